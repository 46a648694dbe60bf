"""Heart-rate zones from max HR or threshold HR, and the time a run spent in each."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.activity.model import Stream
from core.errors import BadInput

# Five zones as fractions of max HR: the "Heart Rate Zone Calculations" table of Garmin's watch manuals
# (50-60, 60-70, 70-80, 80-90, 90-100 %), the default of most watches and apps.
MAX_HR_ZONES = {"Z1": 0.50, "Z2": 0.60, "Z3": 0.70, "Z4": 0.80, "Z5": 0.90}
# Joe Friel's running zones as fractions of lactate-threshold HR ("Quick Guide to Setting Zones", Friel's blog,
# 2009): Z1 < 85 %, Z2 85-89 %, Z3 90-94 %, Z4 95-99 %, Z5a 100-102 %, Z5b 103-106 %, Z5c > 106 %.
LTHR_ZONES = {"Z1": 0.0, "Z2": 0.85, "Z3": 0.90, "Z4": 0.95, "Z5a": 1.00, "Z5b": 1.03, "Z5c": 1.07}
ZONE_COLUMNS = ["zone", "low_bpm", "high_bpm", "seconds", "share"]


@dataclass(frozen=True)
class Zones:
    """Named zones by their lower bounds in bpm; the first zone also holds anything below its bound."""

    names: tuple[str, ...]
    lower_bpm: tuple[float, ...]

    def index(self, bpm: np.ndarray) -> np.ndarray:
        """The zone index of each heart rate (0 for anything below zone 2)."""
        return np.clip(np.searchsorted(np.asarray(self.lower_bpm), bpm, side="right") - 1, 0, len(self.names) - 1)


def zones_from_max_hr(max_hr_bpm: float) -> Zones:
    """Five zones as percentages of max HR."""
    return _zones(MAX_HR_ZONES, max_hr_bpm)


def zones_from_threshold_hr(lthr_bpm: float) -> Zones:
    """Friel's seven running zones as percentages of lactate-threshold HR."""
    return _zones(LTHR_ZONES, lthr_bpm)


def _zones(fractions: dict[str, float], reference_bpm: float) -> Zones:
    if not 30 <= reference_bpm <= 250:
        raise BadInput("heart-rate zones", f"a reference heart rate of {reference_bpm} bpm is not a human one",
                       "Set the max or threshold heart rate in [athlete] to a value between 30 and 250 bpm.")
    return Zones(tuple(fractions), tuple(round(f * reference_bpm, 1) for f in fractions.values()))


def time_in_zones(stream: Stream, zones: Zones) -> pd.DataFrame:
    """Seconds of timer time in each zone: each running interval counts in the zone of the HR at its end."""
    dt = np.diff(stream.t_s) if len(stream) > 1 else np.array([])
    hr = stream.heart_rate_bpm[1:]
    ok = np.isfinite(hr) & np.isfinite(dt) & (dt > 0) & ~stream.paused[1:]
    seconds = np.bincount(zones.index(hr[ok]), dt[ok], minlength=len(zones.names))
    total = seconds.sum()
    return pd.DataFrame({"zone": zones.names, "low_bpm": zones.lower_bpm,
                         "high_bpm": (*zones.lower_bpm[1:], np.inf), "seconds": seconds,
                         "share": seconds / total if total else np.zeros(len(seconds))})[ZONE_COLUMNS]
