"""What the Overview page shows: latest body values and changes, the last run against the previous, the last session."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from core.analytics import overview as ov
from core.units import Units
from core.views.charts.overview import weight_overview_figure
from core.views.format import format_day, format_duration, format_number, format_pace, signed

NEUTRAL = "off"  # a longer or shorter run, more or less climbing: neither good nor bad, so no red or green


@dataclass(frozen=True)
class BodyValue:
    """One body column: its latest value, when it was measured (None: no data) and its changes, as lines."""

    label: str
    value: str
    measured: str | None = None
    changes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Metric:
    """Arguments of one st.metric."""

    label: str
    value: str
    delta: str | None = None
    delta_color: str = "normal"


@dataclass(frozen=True)
class OverviewView:
    """Everything the page draws; an empty section has its flag set and nothing else."""

    body_empty: bool
    body_values: tuple[BodyValue, ...]
    weight: go.Figure | None
    run_empty: bool
    times_note: str  # the one time-zone rule, said once
    run_caption: str
    run_metrics: tuple[Metric, ...]
    session_empty: bool
    session_caption: str
    session: pd.DataFrame | None


def overview_view(body: pd.DataFrame, runs: pd.DataFrame, sets: pd.DataFrame, *, units: Units,
                  tz: str) -> OverviewView:
    """The page for the stored frames, measurement times shown in the time zone `tz`."""
    last, previous = ov.last_two_runs(runs)
    session = ov.last_session(sets)
    return OverviewView(
        body_empty=body.empty,
        body_values=() if body.empty else _body_values(body, units, tz),
        weight=None if body.empty else weight_overview_figure(ov.daily_mean(body, "weight_kg"), units),
        run_empty=last is None,
        times_note=f"Times on this page are in {tz} (your time zone: Your preferences in the sidebar, else "
                   "[app] timezone).",
        run_caption="" if last is None else (
            f"{last.name}, {_at(last.start_time_utc, tz)}"
            + (f" - compared with {previous.name.lower()} of {_at(previous.start_time_utc, tz, time=False)}"
               if previous else "")),
        run_metrics=() if last is None else _run_metrics(last, previous, units),
        session_empty=session.empty,
        session_caption="" if session.empty else f"{session.session_date.iloc[0]:%a} "
                                                 f"{format_day(session.session_date.iloc[0])}",
        session=None if session.empty else _session_table(session, units),
    )


def _body_values(body: pd.DataFrame, units: Units, tz: str) -> tuple[BodyValue, ...]:
    values = []
    for column, label, unit, change_unit, factor in (
        ("weight_kg", "Weight", units.mass, units.mass, units.kg_factor),
        ("fat_ratio_pct", "Fat ratio", "%", "pt", 1.0),
    ):
        latest = ov.latest_value(body, column)
        if latest is None:
            values.append(BodyValue(label, "no data"))
            continue
        texts = {period: "not enough data" if change is None else f"{signed(change * factor)} {change_unit}"
                 for period, change in ov.changes(body, column).items()}
        changes = tuple(f"Change since {period}: **{text}**" for period, text in texts.items())
        values.append(BodyValue(label, f"{format_number(latest.value * factor)} {unit}",
                                f"Measured {_at(latest.time_utc, tz)}", changes))
    return tuple(values)


def _at(moment: pd.Timestamp, tz: str, time: bool = True) -> str:
    """'Fri 13 Nov 2026 05:28': an instant in the app's time zone (the page says which, once)."""
    local = moment.tz_convert(tz)
    return f"{local:%a} {format_day(local)}" + (f" {local:%H:%M}" if time else "")


def _run_metrics(last: ov.RunSummary, previous: ov.RunSummary | None, units: Units) -> tuple[Metric, ...]:
    dist, pace = units.distance_from_m(last.distance_m), units.pace_from_mps(last.speed_mps)
    climb = units.elevation
    elevation = ("not recorded" if last.elevation_gain_m is None
                 else f"{format_number(units.elevation_from_m(last.elevation_gain_m), 0)} {climb}")
    shown = (f"{format_number(dist, 2)} {units.distance}", format_duration(last.moving_time_s),
             f"{format_pace(pace)} {units.pace}", elevation)
    if not previous:
        return tuple(Metric(label, value) for label, value in zip(RUN_LABELS, shown, strict=True))
    d_dist = dist - units.distance_from_m(previous.distance_m)
    d_time = last.moving_time_s - previous.moving_time_s
    d_pace = pace - units.pace_from_mps(previous.speed_mps)
    climbs = (last.elevation_gain_m, previous.elevation_gain_m)
    d_elev = None if None in climbs else f"{signed(units.elevation_from_m(climbs[0] - climbs[1]), 0)} {climb}"
    return (Metric(RUN_LABELS[0], shown[0], f"{signed(d_dist, 2)} {units.distance}", NEUTRAL),
            Metric(RUN_LABELS[1], shown[1], f"{'+' if d_time >= 0 else '-'}{format_duration(abs(d_time))}", NEUTRAL),
            Metric(RUN_LABELS[2], shown[2], f"{'+' if d_pace >= 0 else '-'}{format_pace(abs(d_pace))}", "inverse"),
            Metric(RUN_LABELS[3], shown[3], d_elev, NEUTRAL))


RUN_LABELS = ("Distance", "Moving time", "Pace", "Elevation gain")


def _session_table(session: pd.DataFrame, units: Units) -> pd.DataFrame:
    table = session[["exercise", "set_number", "reps", "load_kg", "notes"]].copy()
    table.insert(3, "load", (table.pop("load_kg") * units.kg_factor).round(1))
    return table.rename(columns={"set_number": "set", "load": f"load ({units.mass})"})
