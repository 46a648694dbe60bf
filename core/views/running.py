"""What the Running page shows for one range, metric and period: headline numbers, figures, tables, route labels."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from core.analytics import running as ra
from core.units import Units
from core.views.charts.running import (
    SCATTER_NOTE,
    TOTAL_LABELS,
    route_figure,
    speed_elevation_figure,
    totals_figure,
)
from core.views.format import format_day, format_moment, format_number, format_pace

METRICS = TOTAL_LABELS  # the metric picker: total column -> label
PERIODS = tuple(ra.PERIODS)  # the "Per" choices: week, month


def run_days(runs: pd.DataFrame) -> pd.Series:
    """Each run's local start date (what the range picker spans)."""
    return ra.local_day(runs)


@dataclass(frozen=True)
class RunningView:
    """Everything the page draws; `empty` is set (with nothing else) when the range holds no run."""

    empty: bool
    runs: str = ""
    distance: str = ""
    pace: str = ""
    speed: str = ""
    totals: go.Figure | None = None
    partial_note: str = ""  # which bars are partial periods ("" when none)
    scatter: go.Figure | None = None
    scatter_note: str = SCATTER_NOTE
    compared: pd.DataFrame | None = None
    records: pd.DataFrame | None = None
    records_missing: str = ""  # which pace records no run reaches yet, as a sentence ("" when none)
    route_labels: dict[str, str] | None = None  # run key -> label, latest run first


def running_view(runs: pd.DataFrame, *, start: pd.Timestamp, end: pd.Timestamp, metric: str, period: str,
                 units: Units) -> RunningView:
    """The page for runs whose local start date lies in [start, end]; records use every run."""
    shown = ra.in_range(runs, start, end)
    if shown.empty:
        return RunningView(empty=True)
    summary = ra.range_summary(shown)
    speed = summary["average_speed_mps"]
    totals = ra.period_totals(shown, period)
    partial = ra.partial_periods(totals.index, period, start, end)
    return RunningView(
        empty=False,
        runs=format_number(summary["runs"], 0),
        distance=f"{format_number(units.distance_from_m(summary['distance_m']))} {units.distance}",
        pace=f"{format_pace(units.pace_from_mps(speed))} {units.pace}",
        speed=f"{format_number(units.speed_from_mps(speed))} {units.distance}/h",
        totals=totals_figure(totals, metric, period, units, partial),
        partial_note=partial_note(partial, period, start, end),
        scatter=speed_elevation_figure(shown, units),
        compared=_compared_table(ra.compare_last(shown), units),
        records=_records_table(ra.records(runs), units),
        records_missing=_not_reached(ra.records_not_reached(runs)),
        route_labels={k: _label(t, n, d, units) for k, t, n, d in
                      shown.sort_values("start_time_utc", ascending=False)[
                          ["key", "start_time_local", "name", "distance_m"]].itertuples(index=False)},
    )


def route_view(runs: pd.DataFrame, *, key: str, units: Units) -> go.Figure:
    """The route figure of the run with this key, titled with its label (a missing polyline is no route)."""
    run = runs[runs.key == key].iloc[0]
    polyline = None if pd.isna(run.summary_polyline) else run.summary_polyline  # stored NA: `NA or ""` raises
    return route_figure(polyline, _label(run.start_time_local, run["name"], run.distance_m, units), units)


def _label(start_local: pd.Timestamp, name: str, distance_m: float, units: Units) -> str:
    distance = format_number(units.distance_from_m(distance_m))
    return f"{format_moment(start_local)} - {name} ({distance} {units.distance})"


def partial_note(partial: pd.Series, period: str, start: pd.Timestamp, end: pd.Timestamp) -> str:
    """Which bars are partial periods and why, as a sentence ("" when every period is whole)."""
    cut = partial.index[partial.to_numpy()]
    if cut.empty:
        return ""
    days = {True: f"the range starts on {format_day(start)}", False: f"the range ends on {format_day(end)}"}
    parts = [f"the {period} of {format_day(p)} ({days[bool(p < start)]})" for p in cut]
    return f"Hatched bars are partial: {' and '.join(parts)}, so they hold only the runs of the days in the range."


def _pace_columns(runs: pd.DataFrame, units: Units) -> dict[str, object]:
    """Distance, pace and speed of each run in display units, under their unit-labelled names."""
    return {f"distance ({units.distance})": units.distance_from_m(runs.distance_m).round(2),
            f"pace ({units.pace})": [format_pace(units.pace_from_mps(v)) for v in runs.average_speed_mps],
            f"speed ({units.distance}/h)": units.speed_from_mps(runs.average_speed_mps).round(1)}


def _compared_table(compared: pd.DataFrame, units: Units) -> pd.DataFrame:
    climb = units.elevation_from_m(compared.elevation_gain_m).round(0)
    return pd.DataFrame({**_pace_columns(compared, units),
                         "moving time (h:mm:ss)": pd.to_timedelta(compared.moving_time_s.round(0), unit="s"),
                         f"elevation gain ({units.elevation})": climb,
                         "avg heart rate (bpm)": compared.average_heartrate_bpm.round(0)}, index=compared.index)


def _not_reached(labels: list[str]) -> str:
    """'No run reaches 10 km or a half marathon yet: ...' for the record distances without a record."""
    if not labels:
        return ""
    names = [("a " if label[0].isalpha() else "") + label.lower() for label in labels]
    joined = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return f"No run reaches {joined} yet: {'that record' if len(names) == 1 else 'each'} appears with the first run " \
           "that long."


def _records_table(recs: pd.DataFrame, units: Units) -> pd.DataFrame:
    return pd.DataFrame({"record": recs.record, "date": recs.date, "name": recs["name"], **_pace_columns(recs, units)},
                        index=recs.index)
