"""Heart-rate zones, which zones apply on which date, the time a run spent in each, and weekly time in zones
with the polarisation of running. Definitions (docs/analytics.md, "Heart-rate zones and polarisation"):

- Zones from max HR: five, from 50/60/70/80/90 % (Garmin's table, the default of most watches); from a
  lactate-threshold HR: Friel's seven. Each zone is named by its lower bound; the first also holds anything
  below it, the last anything above.
- Which zones: `[athlete] hr_zones`, a list of {from = date, max_hr_bpm or threshold_hr_bpm}; each entry
  applies from its date to the next entry's, the first also to every run before it. Without a list, the
  undated threshold_hr_bpm (Friel's zones), else max HR (configured, or 220 - age, an estimate).
- A run's time in zones is measured from its HR stream; a run without one but with an average HR counts its
  whole moving time in the zone of that average, as `estimated` seconds (an average hides intervals).
- Polarisation (Seiler's three intensity zones): low below the first threshold, moderate between, high above
  the second. Max-HR zones: Z1-Z2 low, Z3 moderate, Z4-Z5 high (Dreeve's grouping); Friel's: Z1-Z2 low,
  Z3-Z4 moderate, Z5a-Z5c high (Z5a starts at threshold). Dreeve recommends 75-90 % low, 0-10 % moderate and
  10-20 % high (POLARISED_RANGES).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from core.activity.model import Stream
from core.analytics import monday
from core.errors import BadInput

# Five zones as fractions of max HR: the "Heart Rate Zone Calculations" table of Garmin's watch manuals
# (50-60, 60-70, 70-80, 80-90, 90-100 %), the default of most watches and apps.
MAX_HR_ZONES = {"Z1": 0.50, "Z2": 0.60, "Z3": 0.70, "Z4": 0.80, "Z5": 0.90}
MAX_HR_INTENSITY = ("low", "low", "moderate", "high", "high")
# Joe Friel's running zones as fractions of lactate-threshold HR ("Quick Guide to Setting Zones", Friel's blog,
# 2009): Z1 < 85 %, Z2 85-89 %, Z3 90-94 %, Z4 95-99 %, Z5a 100-102 %, Z5b 103-106 %, Z5c > 106 %.
LTHR_ZONES = {"Z1": 0.0, "Z2": 0.85, "Z3": 0.90, "Z4": 0.95, "Z5a": 1.00, "Z5b": 1.03, "Z5c": 1.07}
LTHR_INTENSITY = ("low", "low", "moderate", "moderate", "high", "high", "high")
ZONE_ORDER = ("Z1", "Z2", "Z3", "Z4", "Z5", "Z5a", "Z5b", "Z5c")  # weekly columns when zones change over time
INTENSITIES = ("low", "moderate", "high")
POLARISED_RANGES = {"low": (0.75, 0.90), "moderate": (0.0, 0.10), "high": (0.10, 0.20)}  # Dreeve's advice
ZONE_COLUMNS = ["zone", "low_bpm", "high_bpm", "seconds", "share"]
RUN_ZONE_COLUMNS = ["key", "week", "zone", "intensity", "seconds", "estimated"]


@dataclass(frozen=True)
class Zones:
    """Named zones by their lower bounds in bpm; the first zone also holds anything below its bound."""

    names: tuple[str, ...]
    lower_bpm: tuple[float, ...]
    intensity: tuple[str, ...] = ()  # per zone: low, moderate or high (Seiler); () for zones made by hand

    def index(self, bpm: np.ndarray) -> np.ndarray:
        """The zone index of each heart rate (0 for anything below zone 2)."""
        return np.clip(np.searchsorted(np.asarray(self.lower_bpm), bpm, side="right") - 1, 0, len(self.names) - 1)


class ZonedHeartRate(Protocol):
    """A run's heart rate that gives its seconds per zone (core.analytics.hr_summary.HrSummary)."""

    def zone_seconds(self, zones: Zones) -> np.ndarray: ...


@dataclass(frozen=True)
class ZoneSetting:
    """One `[athlete] hr_zones` entry: from which local date a max or threshold HR defines the zones."""

    start: pd.Timestamp
    max_hr_bpm: float | None = None
    threshold_hr_bpm: float | None = None

    def zones(self) -> Zones:
        """Friel's zones for a threshold HR, else the max-HR zones."""
        if self.threshold_hr_bpm is not None:
            return zones_from_threshold_hr(self.threshold_hr_bpm)
        return zones_from_max_hr(self.max_hr_bpm)


def zones_from_max_hr(max_hr_bpm: float) -> Zones:
    """Five zones as percentages of max HR."""
    return _zones(MAX_HR_ZONES, max_hr_bpm, MAX_HR_INTENSITY)


def zones_from_threshold_hr(lthr_bpm: float) -> Zones:
    """Friel's seven running zones as percentages of lactate-threshold HR."""
    return _zones(LTHR_ZONES, lthr_bpm, LTHR_INTENSITY)


def _zones(fractions: dict[str, float], reference_bpm: float, intensity: tuple[str, ...]) -> Zones:
    if not 30 <= reference_bpm <= 250:
        raise BadInput("heart-rate zones", f"a reference heart rate of {reference_bpm} bpm is not a human one",
                       "Set the max or threshold heart rate in [athlete] to a value between 30 and 250 bpm.")
    return Zones(tuple(fractions), tuple(round(f * reference_bpm, 1) for f in fractions.values()), intensity)


def setting_on(settings: Sequence[ZoneSetting], days: pd.Series) -> np.ndarray:
    """Position in `settings` (sorted by start) of the entry that applies on each day; the first before it."""
    starts = np.array([s.start.to_datetime64() for s in settings], dtype="datetime64[ns]")
    return np.clip(np.searchsorted(starts, days.to_numpy(dtype="datetime64[ns]"), side="right") - 1, 0, None)


def hr_samples(stream: Stream) -> np.ndarray:
    """A stream's (seconds, bpm) pairs, the HR NaN where the timer was stopped: what zones and TRIMP read."""
    return np.column_stack([stream.t_s, np.where(stream.paused, np.nan, stream.heart_rate_bpm)])


def zone_intervals(samples: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(seconds, bpm) of each interval of (seconds, bpm) pairs that zones count: HR known at its end, time on."""
    samples = np.asarray(samples, dtype="float64").reshape(-1, 2)
    dt, hr = np.diff(samples[:, 0]), samples[1:, 1]
    ok = np.isfinite(hr) & np.isfinite(dt) & (dt > 0)
    return dt[ok], hr[ok]


def zone_seconds(samples: np.ndarray, zones: Zones) -> np.ndarray:
    """Seconds per zone of (seconds, bpm) pairs: each interval counts in the zone of the HR at its end."""
    dt, hr = zone_intervals(samples)
    return binned_seconds(hr, dt, zones)


def binned_seconds(bpm: np.ndarray, seconds: np.ndarray, zones: Zones) -> np.ndarray:
    """Seconds per zone of `seconds` spent at heart rates `bpm`."""
    return np.bincount(zones.index(bpm), seconds, minlength=len(zones.names)).astype("float64")


def time_in_zones(stream: Stream, zones: Zones) -> pd.DataFrame:
    """Seconds of timer time in each zone: each running interval counts in the zone of the HR at its end."""
    seconds = zone_seconds(hr_samples(stream), zones)
    total = seconds.sum()
    return pd.DataFrame({"zone": zones.names, "low_bpm": zones.lower_bpm,
                         "high_bpm": (*zones.lower_bpm[1:], np.inf), "seconds": seconds,
                         "share": seconds / total if total else np.zeros(len(seconds))})[ZONE_COLUMNS]


def run_zone_seconds(runs: pd.DataFrame, zones: Sequence[Zones | None],
                     samples: Mapping[str, ZonedHeartRate]) -> pd.DataFrame:
    """Long frame (key, week, zone, intensity, seconds, estimated) for each run with zones and any HR; `samples`
    holds the heart rate of the runs with an HR stream (core.analytics.hr_summary)."""
    rows: dict[str, list] = {column: [] for column in RUN_ZONE_COLUMNS}
    weeks = monday(runs.start_time_local.dt.normalize()).to_numpy()
    for (key, moving, average), week, run_zones in zip(
            runs[["key", "moving_time_s", "average_heartrate_bpm"]].itertuples(index=False), weeks, zones, strict=True):
        if run_zones is None:
            continue
        if key in samples:
            seconds, estimated = samples[key].zone_seconds(run_zones), False
        elif np.isfinite(average) and moving > 0:
            seconds = np.zeros(len(run_zones.names))
            seconds[run_zones.index(np.array([average]))[0]], estimated = float(moving), True
        else:
            continue
        n = len(run_zones.names)
        for column, values in (("key", [key] * n), ("week", [week] * n), ("zone", run_zones.names),
                               ("intensity", run_zones.intensity or ("",) * n), ("seconds", seconds),
                               ("estimated", [estimated] * n)):
            rows[column].extend(values)
    return pd.DataFrame(rows, columns=RUN_ZONE_COLUMNS).astype({"seconds": "float64", "estimated": "bool",
                                                                 "week": "datetime64[ns]"})


def weekly_zones(per_run: pd.DataFrame) -> pd.DataFrame:
    """Per week: hours in each zone, total and estimated hours, and the low / moderate / high shares (NaN at 0 h)."""
    if per_run.empty:
        return pd.DataFrame(columns=["total_h", "estimated_h", *INTENSITIES],
                            index=pd.DatetimeIndex([], name="week"), dtype="float64")
    hours = per_run.assign(hours=per_run.seconds / 3600.0)
    table = hours.pivot_table(index="week", columns="zone", values="hours", aggfunc="sum", fill_value=0.0)
    table = table[[z for z in ZONE_ORDER if z in table.columns]].astype("float64")
    table["total_h"] = table.sum(axis=1)
    table["estimated_h"] = hours[hours.estimated].groupby("week").hours.sum().reindex(table.index, fill_value=0.0)
    by_intensity = hours.pivot_table(index="week", columns="intensity", values="hours", aggfunc="sum", fill_value=0.0)
    total = table.total_h.where(table.total_h > 0)
    for name in INTENSITIES:
        table[name] = by_intensity.get(name, pd.Series(0.0, index=table.index)).reindex(table.index) / total
    table.columns.name = None
    return table.rename_axis("week")


def polarisation(per_run: pd.DataFrame) -> dict[str, float]:
    """The low / moderate / high shares of all the time in `per_run` (NaN without any time)."""
    total = float(per_run.seconds.sum()) if not per_run.empty else 0.0
    shares = per_run.groupby("intensity").seconds.sum() / total if total else pd.Series(dtype="float64")
    return {name: float(shares.get(name, 0.0)) if total else float("nan") for name in INTENSITIES}
