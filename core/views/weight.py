"""What the Weight page shows for one metric, range and rolling window: headline numbers, figures, mis-weighs."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from core.analytics import between
from core.analytics import weight as wa
from core.units import Units, body_units
from core.views.charts.weight import body_metric_figure, composition_figure, weekly_change_figure
from core.views.format import format_day, format_number, signed

TREND_LABEL = "Trend at end of range"

METRICS = wa.METRICS  # the metric picker: body column -> label
WEEKLY_POINTS_NOTE = (f"This range holds more than the chart's {wa.CHART_BUDGET:,} points: dots are weekly medians "
                      "of every weigh-in (on each week's Thursday) and the lines are sampled at each week's last day. "
                      "Pick a shorter range to see every weigh-in.")
METHOD_NOTE = (
    "Several weigh-ins on one day: the first of the day (the morning weight) feeds the rolling mean and the "
    "trend; every weigh-in is drawn as a point on its local date. Trend: exponentially smoothed, each day with "
    f"a weigh-in moves it {wa.ALPHA:.0%} of the way to that day's value (the Hacker's Diet). Weekly rate: "
    "least-squares slope of the last 14 days. Crosses: probable mis-weighs (listed below)."
)


@dataclass(frozen=True)
class WeightView:
    """Everything the page draws; `empty` is set (with nothing else) when the range holds no measurement."""

    empty: bool
    trend_now: str = ""
    trend_help: str = ""  # which day the trend is read on
    weekly_rate: str = ""
    measurements: int = 0
    main: go.Figure | None = None
    weekly_points: bool = False
    weekly: go.Figure | None = None
    composition: go.Figure | None = None
    composition_thinned: bool = False
    limit_text: str = ""
    misweighs: pd.DataFrame | None = None  # the most recent MISWEIGH_ROWS, newest first
    misweigh_count: int = 0  # in the range (every one is a cross on the main chart)


MISWEIGH_ROWS = 15  # a short list to read; the main chart marks every mis-weigh in the range


def weight_view(body: pd.DataFrame, *, column: str, start: pd.Timestamp, end: pd.Timestamp, window: int,
                units: Units) -> WeightView:
    """The page for `column` between start and end (local dates); trends use the whole history, then are cut."""
    is_ratio = column == "fat_ratio_pct"
    unit, change_unit, factor = body_units(column, units)
    history = body.dropna(subset=[column])
    shown = wa.in_range(history, start, end)
    if shown.empty:
        return WeightView(empty=True)
    daily = wa.daily_first(history, column)
    trend = wa.ewma_trend(daily)
    rate = wa.weekly_rate(daily[daily.index <= end])
    misweighs = wa.in_range(wa.flag_misweighs(history, column, trend=trend), start, end)
    rolling = wa.rolling_mean(daily, window)
    trend_shown = between(trend, trend.index, start, end)
    metric = wa.metric_view(shown, column, between(rolling, rolling.index, start, end), trend_shown, misweighs)
    changes = wa.weekly_change(trend)
    changes = between(changes, changes.index, start, end)
    fat, lean = (wa.trend_series(body, c) for c in ("fat_mass_kg", "lean_mass_kg"))
    fat, lean = between(fat, fat.index, start, end), between(lean, lean.index, start, end)
    (fat, lean), thinned = wa.fit_lines([fat, lean])
    limit = wa.misweigh_limit(column)
    return WeightView(
        empty=False,
        trend_now=f"{format_number(trend_shown.iloc[-1] * factor)} {unit}",
        trend_help=f"The trend on {format_day(trend_shown.index[-1])}, the last day of the chosen range with a "
                   "weigh-in; pick a range ending earlier to read it on another day.",
        weekly_rate="not enough data" if rate is None else f"{signed(rate * factor, 2)} {change_unit} / week",
        measurements=len(shown),
        main=body_metric_figure(metric, column, units, window),
        weekly_points=metric.weekly,
        weekly=weekly_change_figure(changes, column, units),
        composition=composition_figure(fat, lean, units),
        composition_thinned=thinned,
        limit_text=f"{limit:g} pt" if is_ratio else f"{format_number(units.mass_from_kg(limit))} {units.mass}",
        misweighs=_misweigh_table(misweighs, column, unit, change_unit, factor),
        misweigh_count=len(misweighs),
    )


def _misweigh_table(misweighs: pd.DataFrame, column: str, unit: str, change_unit: str,
                    factor: float) -> pd.DataFrame:
    """The most recent mis-weighs, newest first, in display units with readable column names."""
    table = misweighs.sort_values("local_date", ascending=False).head(MISWEIGH_ROWS)[
        ["local_date", column, "trend", "gap"]].copy()
    table[[column, "trend", "gap"]] = (table[[column, "trend", "gap"]] * factor).round(2)
    return table.rename(columns={"local_date": "local date", column: f"{wa.METRICS[column].lower()} ({unit})",
                                 "trend": f"previous day's trend ({unit})", "gap": f"gap ({change_unit})"})
