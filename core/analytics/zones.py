"""Weekly time in heart-rate zones and the polarisation of running. Definitions:

- Input: per run, seconds in each zone (zone 1 = easiest), computed from the HR stream elsewhere; a
  long frame with columns `key`, `week` (the local Monday), `zone`, `seconds`.
- Runs without that, but with an average HR: the whole moving time in the zone of the average HR,
  counted in `estimated_s` (and so labelled: an average hides the intervals of an interval run).
- Zones: lower bounds in bpm, zone 1 from 0; by default Dreeve's five zones from 50, 61, 71, 81 and 91 %
  of max HR (core.analytics.athlete gives max HR).
- Polarisation (Seiler's three intensity zones, as Dreeve groups them): the share of the week's time in
  zones 1-2 (low), 3 (moderate) and 4-5 (high); Dreeve recommends 75-90 % low, 0-10 % moderate,
  10-20 % high.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.analytics import monday

DEFAULT_ZONE_SHARES = (0.50, 0.61, 0.71, 0.81, 0.91)  # of max HR: Dreeve's default lower bounds
LOW_ZONES, MODERATE_ZONES = (1, 2), (3,)  # the rest (4, 5) is high
POLARISED_RANGES = {"low": (0.75, 0.90), "moderate": (0.0, 0.10), "high": (0.10, 0.20)}  # Dreeve's advice


def zone_bounds(max_hr_bpm: float, shares: tuple[float, ...] = DEFAULT_ZONE_SHARES) -> np.ndarray:
    """Lower bound (bpm) of each zone; zone 1 also takes everything below its bound."""
    return np.asarray(shares, dtype="float64") * max_hr_bpm


def zone_of(bpm, bounds: np.ndarray) -> np.ndarray:
    """Zone number (1 = lowest) of each heart rate; 0 for an unknown one."""
    bpm = np.asarray(bpm, dtype="float64")
    zone = np.clip(np.searchsorted(bounds, bpm, side="right"), 1, len(bounds))
    return np.where(np.isnan(bpm), 0, zone)


def estimated_time_in_zone(runs: pd.DataFrame, bounds: np.ndarray, skip: set[str] = frozenset()) -> pd.DataFrame:
    """The fallback: each run's whole moving time in the zone of its average HR (runs in `skip` left out)."""
    rows = runs[~runs.key.isin(skip) & runs.average_heartrate_bpm.notna() & (runs.moving_time_s > 0)]
    return pd.DataFrame({"key": rows.key.to_numpy(), "week": monday(rows.start_time_local.dt.normalize()).to_numpy(),
                         "zone": zone_of(rows.average_heartrate_bpm, bounds),
                         "seconds": rows.moving_time_s.to_numpy(dtype="float64")})


def weekly_zones(measured: pd.DataFrame, runs: pd.DataFrame, bounds: np.ndarray) -> pd.DataFrame:
    """Seconds per zone per week (measured, plus the average-HR estimate for runs without), and the shares."""
    estimate = estimated_time_in_zone(runs, bounds, set(measured.key))
    both = pd.concat([measured.assign(estimated=False), estimate.assign(estimated=True)], ignore_index=True)
    zones = range(1, len(bounds) + 1)
    columns = [f"zone_{z}_s" for z in zones]
    if both.empty:
        return pd.DataFrame(columns=[*columns, "total_s", "estimated_s", "low", "moderate", "high"],
                            index=pd.DatetimeIndex([], name="week"), dtype="float64")
    table = both.pivot_table(index="week", columns="zone", values="seconds", aggfunc="sum", fill_value=0.0)
    table = table.reindex(columns=list(zones), fill_value=0.0).set_axis(columns, axis=1).astype("float64")
    table["total_s"] = table[columns].sum(axis=1)
    table["estimated_s"] = both[both.estimated].groupby("week").seconds.sum().reindex(table.index, fill_value=0.0)
    return table.join(_shares(table, len(bounds))).rename_axis("week")


def _shares(table: pd.DataFrame, zones: int) -> pd.DataFrame:
    total = table.total_s.where(table.total_s > 0)
    pick = lambda group: table[[f"zone_{z}_s" for z in group]].sum(axis=1) / total  # noqa: E731
    high = [z for z in range(1, zones + 1) if z not in LOW_ZONES + MODERATE_ZONES]
    return pd.DataFrame({"low": pick(LOW_ZONES), "moderate": pick(MODERATE_ZONES), "high": pick(high)})
