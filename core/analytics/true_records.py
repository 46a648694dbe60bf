"""True best efforts across runs: per effort distance, the fastest window of any run, per year and all time.

Input: one row per run and effort distance (core.activity.efforts_index: key, effort, distance_m, elapsed_s,
start_s) and the runs (key, start_time_local, name). Years are the run's local calendar year. Ties go to the
earlier run (the record stands until beaten).
"""

from __future__ import annotations

import pandas as pd

from core.analytics.efforts import BEST_EFFORT_DISTANCES_M

ALL_TIME = "All time"
RECORD_COLUMNS = ["period", "effort", "distance_m", "elapsed_s", "pace_s_per_km", "key", "start_time_local", "name"]


def best_by_period(efforts: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """The fastest effort per distance all time and per year, with the run it came from; efforts in the
    order of BEST_EFFORT_DISTANCES_M, the latest year first after 'All time'."""
    joined = efforts.merge(runs[["key", "start_time_local", "name"]], on="key", how="inner")
    if joined.empty:
        return pd.DataFrame(columns=RECORD_COLUMNS)
    joined = joined.sort_values(["elapsed_s", "start_time_local"], kind="stable")
    joined["year"] = joined.start_time_local.dt.year.astype(str)
    periods = [joined.drop_duplicates("effort").assign(period=ALL_TIME),
               joined.drop_duplicates(["year", "effort"]).assign(period=joined.year)]
    out = pd.concat(periods, ignore_index=True)
    out["pace_s_per_km"] = out.elapsed_s / out.distance_m * 1000
    order = {name: i for i, name in enumerate(BEST_EFFORT_DISTANCES_M)}
    out["_period"] = out.period.map(lambda p: (0, "") if p == ALL_TIME else (1, -int(p)))
    out = out.sort_values(["_period", "effort"], key=lambda s: s.map(order) if s.name == "effort" else s)
    return out[RECORD_COLUMNS].reset_index(drop=True)
