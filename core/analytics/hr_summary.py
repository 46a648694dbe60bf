"""A run's heart rate reduced to what its time in zones and its TRIMP read: the seconds spent at each heart rate.

Both sums ignore the order of the samples: time in zones adds each interval's seconds in the zone of the HR at
its end (core.analytics.hr_zones), TRIMP each interval's seconds weighted by the HR at its start, pauses left
out (core.analytics.run_load). So the seconds per distinct heart rate, counted once by each rule, give exactly
the same results for any zones and any resting or max HR as the samples themselves. Stored streams keep whole
bpm, so a run of any length reduces to about 150 numbers per rule instead of thousands of samples: ten years
of runs fit in a few MB of memory (core.activity.hr_index keeps them in one blob).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from core.analytics.hr_zones import Zones, binned_seconds, zone_intervals
from core.analytics.run_load import load_intervals, trimp_of_seconds


@dataclass(frozen=True, eq=False)
class HrSummary:
    """Seconds at each heart rate (`bpm`, ascending): `zone_s` by the time-in-zones rule, `load_s` by TRIMP's."""

    bpm: np.ndarray
    zone_s: np.ndarray
    load_s: np.ndarray

    def zone_seconds(self, zones: Zones) -> np.ndarray:
        """Seconds per zone, as core.analytics.hr_zones.zone_seconds gives for the samples."""
        return binned_seconds(self.bpm, self.zone_s, zones)

    def trimp(self, resting: float, maximum: float, sex: str) -> float:
        """Banister's TRIMP, as core.analytics.run_load.trimp_from_stream gives for the samples."""
        return trimp_of_seconds(self.bpm, self.load_s, resting, maximum, sex)

    def to_json(self) -> dict[str, list]:
        """Plain lists for a JSON blob (seconds to the millisecond)."""
        return {"bpm": self.bpm.tolist(), "zone_s": np.round(self.zone_s, 3).tolist(),
                "load_s": np.round(self.load_s, 3).tolist()}

    @classmethod
    def from_json(cls, body: Any) -> HrSummary:
        """The summary back from `to_json`'s lists; ValueError when they are not three equal-length number lists."""
        try:
            bpm, zone_s, load_s = (np.asarray(body[k], dtype="float64") for k in ("bpm", "zone_s", "load_s"))
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a heart-rate summary ({exc})") from exc
        if not bpm.ndim == zone_s.ndim == load_s.ndim == 1 or not len(bpm) == len(zone_s) == len(load_s):
            raise ValueError("a heart-rate summary's lists differ in length")
        return cls(bpm, zone_s, load_s)


def summarise(samples: np.ndarray) -> HrSummary | None:
    """The summary of (seconds, bpm) pairs (core.analytics.hr_zones.hr_samples), None when no HR is counted."""
    zone_dt, zone_hr = zone_intervals(samples)
    load_dt, load_hr = load_intervals(np.asarray(samples, dtype="float64").reshape(-1, 2))
    if not len(zone_dt) and not len(load_dt):
        return None
    bpm, where = np.unique(np.concatenate([zone_hr, load_hr]), return_inverse=True)
    zone_s = np.bincount(where[:len(zone_hr)], zone_dt, minlength=len(bpm))
    load_s = np.bincount(where[len(zone_hr):], load_dt, minlength=len(bpm))
    return HrSummary(bpm, zone_s, load_s)
