"""The data types of one activity: its per-sample Stream, its Laps and the Activity summary derived from them."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd

from core.errors import BadInput

# The float columns of a stream, units in the names; NaN marks a sample without that measurement.
FLOAT_COLUMNS = ("t_s", "distance_m", "lat_deg", "lon_deg", "altitude_m", "heart_rate_bpm", "cadence_rpm", "speed_mps")
FLAG_COLUMNS = ("paused", "moving")
# At most 200,000 samples (55 hours at 1 Hz) in one activity: more is not one activity, and a stream
# that long already takes 16 MB; a FIT file is refused as soon as it passes this many records.
MAX_SAMPLES = 200_000
UNREADABLE_ACTION = "Export the activity again from the watch or the service; the other files are imported."


def unreadable(where: str, reason: str) -> BadInput:
    """The error for a file that cannot be read: names the file, says why and what to do."""
    return BadInput(where, reason, UNREADABLE_ACTION)


def too_many(where: str, count: int, max_samples: int) -> None:
    """Refuse an activity of more than max_samples samples."""
    if count > max_samples:
        raise unreadable(where, f"more than {max_samples:,} samples: not one activity")


@dataclass(frozen=True, eq=False)
class Stream:
    """One activity sample by sample, as parallel numpy arrays of equal length.

    `t_s` counts seconds from `start_utc` (all NaN for a route without timestamps, whose `start_utc` is None);
    `distance_m` is cumulative and never decreases. Cadence is what the files store: revolutions or strides
    per minute (one foot; double it for steps per minute). `paused[i]` says the timer was stopped during the
    interval that ends at sample i; `moving[i]` that this interval counts as moving time (core.activity.derive).
    """

    start_utc: datetime | None
    t_s: np.ndarray
    distance_m: np.ndarray
    lat_deg: np.ndarray
    lon_deg: np.ndarray
    altitude_m: np.ndarray
    heart_rate_bpm: np.ndarray
    cadence_rpm: np.ndarray
    speed_mps: np.ndarray
    paused: np.ndarray
    moving: np.ndarray

    def __post_init__(self) -> None:
        lengths = {name: len(getattr(self, name)) for name in (*FLOAT_COLUMNS, *FLAG_COLUMNS)}
        if len(set(lengths.values())) > 1:
            raise ValueError(f"stream columns differ in length: {lengths}")

    def __len__(self) -> int:
        return len(self.t_s)

    @property
    def has_time(self) -> bool:
        """Whether the samples carry timestamps (a recorded activity, not a planned route)."""
        return self.start_utc is not None and bool(np.isfinite(self.t_s).any())

    def has(self, column: str) -> bool:
        """Whether any sample has a value in this float column."""
        return bool(np.isfinite(getattr(self, column)).any())

    def frame(self) -> pd.DataFrame:
        """The stream as a DataFrame, one row per sample, the column names above."""
        return pd.DataFrame({name: getattr(self, name) for name in (*FLOAT_COLUMNS, *FLAG_COLUMNS)})

    def same_as(self, other: Stream, atol: dict[str, float] | None = None) -> bool:
        """Equal start and equal columns (NaN where the other has NaN), within per-column tolerances."""
        if self.start_utc != other.start_utc or len(self) != len(other):
            return False
        tol = atol or {}
        return all(np.allclose(getattr(self, n), getattr(other, n), rtol=0, atol=tol.get(n, 0), equal_nan=True)
                   for n in FLOAT_COLUMNS) and all(np.array_equal(getattr(self, n), getattr(other, n))
                                                   for n in FLAG_COLUMNS)

    def take(self, index: np.ndarray) -> Stream:
        """The samples at `index` (a boolean mask or positions), in that order."""
        return Stream(self.start_utc, *(getattr(self, f.name)[index] for f in fields(self)[1:]))


@dataclass(frozen=True)
class Lap:
    """A lap as the file records it; `start_s` counts from the stream's start."""

    index: int
    start_s: float
    elapsed_s: float
    timer_s: float | None
    distance_m: float


@dataclass(frozen=True)
class Activity:
    """The summary of one activity file; times in seconds, None where the file cannot tell."""

    file_format: str
    sport: str | None
    sub_sport: str | None
    start_utc: datetime | None
    utc_offset_s: int | None
    elapsed_s: float | None
    timer_s: float | None
    moving_s: float | None
    distance_m: float
    elevation_gain_m: float | None
    samples: int
    has_positions: bool
    has_heart_rate: bool
    laps: tuple[Lap, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def start_local(self) -> datetime | None:
        """The start on the wall clock where it was recorded (fixed UTC offset), when the file gives the zone."""
        if self.start_utc is None or self.utc_offset_s is None:
            return None
        return self.start_utc.astimezone(timezone(timedelta(seconds=self.utc_offset_s)))

    @property
    def end_utc(self) -> datetime | None:
        """The last sample's time."""
        return None if self.start_utc is None or self.elapsed_s is None else \
            self.start_utc + timedelta(seconds=self.elapsed_s)


@dataclass(frozen=True)
class ActivityFile:
    """What reading one file gives: its summary and its stream."""

    name: str
    activity: Activity
    stream: Stream
