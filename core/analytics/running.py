"""Running-page analytics. Dates are the run's LOCAL start date (a 23:30 run in New York stays on
its day), weeks run Monday to Sunday, and average speed over a period is total distance divided by
total moving time (not the mean of each run's speed). Routes are drawn in local east/north
distances from the start (equirectangular: longitude differences scaled by cos(latitude)), so a
route keeps its shape at any latitude."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.analytics import between

RECORD_DISTANCES_M = {"5 km": 5_000.0, "10 km": 10_000.0, "Half marathon": 21_097.5}
SIMILAR_TOLERANCE = 0.10  # "similar distance": within 10% of the run's distance
PERIODS = {"week": "W-SUN", "month": "MS"}
EARTH_RADIUS_M = 6_371_008.8  # mean radius; the flat-earth error over a run's few km is far below 0.1%
TOTAL_COLUMNS = ("runs", "distance_m", "moving_time_s", "elevation_gain_m", "average_speed_mps")


def local_day(runs: pd.DataFrame) -> pd.Series:
    """Each run's local calendar date."""
    return runs.start_time_local.dt.normalize()


def in_range(runs: pd.DataFrame, start: pd.Timestamp | None, end: pd.Timestamp | None) -> pd.DataFrame:
    """Runs whose local start date lies in [start, end]."""
    return between(runs, local_day(runs), start, end)


def range_summary(runs: pd.DataFrame) -> dict[str, float]:
    """Runs, total distance and moving time, and average speed (total distance / total time; NaN if none)."""
    distance, moving = float(runs.distance_m.sum()), float(runs.moving_time_s.sum())
    return {"runs": float(len(runs)), "distance_m": distance, "moving_time_s": moving,
            "average_speed_mps": distance / moving if moving else float("nan")}


def period_totals(runs: pd.DataFrame, period: str = "week") -> pd.DataFrame:
    """Count, distance, moving time, elevation and average speed per local week (Monday) or month."""
    if runs.empty:
        return pd.DataFrame(columns=TOTAL_COLUMNS, index=pd.DatetimeIndex([], name="period"), dtype="float64")
    day = local_day(runs)
    if period == "week":
        start = day - pd.to_timedelta(day.dt.day_of_week, unit="D")
    else:
        start = day.dt.to_period("M").dt.start_time
    grouped = runs.assign(period=start).groupby("period")
    totals = grouped[["distance_m", "moving_time_s", "elevation_gain_m"]].sum()
    totals.insert(0, "runs", grouped.size().astype("float64"))
    totals["average_speed_mps"] = totals.distance_m / totals.moving_time_s
    return totals[list(TOTAL_COLUMNS)]


def partial_periods(periods: pd.DatetimeIndex, period: str, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    """For each week or month (by its first day), True when the range [start, end] leaves some of its days out."""
    length = pd.offsets.Week(1) if period == "week" else pd.offsets.MonthBegin(1)
    last_days = pd.DatetimeIndex([p + length for p in periods]) - pd.Timedelta(days=1)
    return pd.Series((periods < start) | (last_days > end), index=periods)


def records(runs: pd.DataFrame) -> pd.DataFrame:
    """Longest run and fastest average pace among runs of at least 5 km, 10 km, a half marathon."""
    rows = []
    if not runs.empty:
        longest = runs.loc[runs.distance_m.idxmax()]
        rows.append(_record_row("Longest run", longest))
    for label, minimum in RECORD_DISTANCES_M.items():
        eligible = runs[runs.distance_m >= minimum]
        if not eligible.empty:
            fastest = eligible.loc[eligible.average_speed_mps.idxmax()]
            rows.append(_record_row(f"Fastest average pace, {label} or more", fastest))
    return pd.DataFrame(rows, columns=["record", "date", "name", "distance_m", "average_speed_mps", "key"])


def records_not_reached(runs: pd.DataFrame) -> list[str]:
    """The record distances (labels) that no run reaches, so `records` has no pace record for them."""
    longest = runs.distance_m.max()  # NaN without runs: `NaN >= minimum` is False, so nothing is reached
    return [label for label, minimum in RECORD_DISTANCES_M.items() if not longest >= minimum]


def _record_row(label: str, run: pd.Series) -> dict:
    return {"record": label, "date": run.start_time_local.normalize(), "name": run["name"],
            "distance_m": float(run.distance_m), "average_speed_mps": float(run.average_speed_mps), "key": run.key}


def similar_runs(runs: pd.DataFrame, run: pd.Series, tolerance: float = SIMILAR_TOLERANCE) -> pd.DataFrame:
    """Other runs within +/- tolerance of a run's distance."""
    low, high = run.distance_m * (1 - tolerance), run.distance_m * (1 + tolerance)
    return runs[(runs.distance_m.between(low, high)) & (runs.key != run.key)]


def compare_last(runs: pd.DataFrame) -> pd.DataFrame:
    """The last run against the previous run and against the mean of runs of similar distance."""
    if runs.empty:
        return pd.DataFrame()
    ordered = runs.sort_values("start_time_utc")
    last = ordered.iloc[-1]
    columns = {"distance_m": "distance_m", "moving_time_s": "moving_time_s",
               "elevation_gain_m": "elevation_gain_m", "average_heartrate_bpm": "average_heartrate_bpm"}
    table = {"last run": {c: last[c] for c in columns}}
    table["last run"]["average_speed_mps"] = last.distance_m / last.moving_time_s
    if len(ordered) > 1:
        prev = ordered.iloc[-2]
        table["previous run"] = {c: prev[c] for c in columns}
        table["previous run"]["average_speed_mps"] = prev.distance_m / prev.moving_time_s
    similar = similar_runs(ordered.iloc[:-1], last)
    if not similar.empty:
        table[f"similar distance (mean of {len(similar)})"] = {
            **{c: similar[c].mean() for c in columns},
            "average_speed_mps": similar.distance_m.sum() / similar.moving_time_s.sum(),
        }
    return pd.DataFrame(table).T


def route_offsets(coords: list[tuple[float, float]]) -> pd.DataFrame:
    """East and north distance (m) of each (lat, lon) point from the first one, at the route's mean latitude."""
    if not coords:
        return pd.DataFrame({"east_m": [], "north_m": []}, dtype="float64")
    lat, lon = np.radians(np.asarray(coords, dtype=float)).T
    east = EARTH_RADIUS_M * (lon - lon[0]) * np.cos(lat.mean())
    north = EARTH_RADIUS_M * (lat - lat[0])
    return pd.DataFrame({"east_m": east, "north_m": north})
