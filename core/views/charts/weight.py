"""Weight-page figures (plotly graph_objects only; long ranges arrive thinned, see weight.metric_view)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.analytics.weight import METRICS, MetricView
from core.units import Units, body_units
from core.views.charts.base import DATE_AXIS, NUMBER_TICKS, RIGHT_AXIS_MARGIN, base_layout, empty_figure, hover
from core.views.format import d3_number

FAT_COLOUR, LEAN_COLOUR = "darkorange", "steelblue"  # two hues, each axis in its line's colour
MIN_MASS_SPAN = 2.0  # a composition axis spans at least this (kg or lb): ticks 0.5 apart, not 64.25 / 64.3


def body_metric_figure(view: MetricView, column: str, units: Units, window_days: int) -> go.Figure:
    """Measurements of one body column as points on their local day, the N-day rolling mean, the trend and
    mis-weighs."""
    unit, _, factor = body_units(column, units)
    title = f"{METRICS[column]} ({unit})"
    if view.points.empty:
        return empty_figure(title, "No measurements in this range")
    fig = go.Figure(layout=base_layout(title, xaxis=DATE_AXIS))
    points, text = view.points, hover(unit)
    fig.add_trace(go.Scatter(x=points.index, y=points * factor, mode="markers",
                             name="weekly median" if view.weekly else "measurement",
                             marker=dict(size=4, opacity=0.45), hovertemplate=text))
    suffix = " (weekly)" if view.weekly else ""
    fig.add_trace(go.Scatter(x=view.rolling.index, y=view.rolling * factor, mode="lines",
                             name=f"{window_days}-day mean{suffix}", hovertemplate=text))
    fig.add_trace(go.Scatter(x=view.trend.index, y=view.trend * factor, mode="lines", name=f"trend{suffix}",
                             line=dict(width=3), hovertemplate=text))
    if not view.misweighs.empty:
        fig.add_trace(go.Scatter(x=view.misweighs.index, y=view.misweighs * factor, mode="markers",
                                 name="probable mis-weigh", marker=dict(symbol="x", size=9, color="crimson"),
                                 hovertemplate=text))
    fig.update_yaxes(title_text=unit)
    fig.update_xaxes(title_text="local date")
    return fig


def weekly_change_figure(changes: pd.Series, column: str, units: Units) -> go.Figure:
    """Bars of the trend's change of one body column per local week (green down, red up)."""
    _, unit, factor = body_units(column, units)
    title = f"Weekly change of the trend ({unit} / week)"
    if changes.empty:
        return empty_figure(title, "Not enough weeks with weigh-ins")
    values = changes * factor
    fig = go.Figure(layout=base_layout(title, xaxis=dict(hoverformat="week of " + DATE_AXIS["hoverformat"])))
    # Two single-colour traces, not one with a colour per bar: plotly validates a list of colour names
    # at ~60 us a bar (30 ms for ten years of weeks).
    for name, color, part in (("down", "seagreen", values[values <= 0]), ("up", "indianred", values[values > 0])):
        fig.add_trace(go.Bar(x=part.index, y=part, marker_color=color, name=name,
                             hovertemplate=f"%{{y:+{d3_number(2)}}} {unit} / week<extra></extra>"))
    fig.update_layout(barmode="overlay")  # the two traces never share a week: full-width bars
    fig.update_yaxes(title_text=f"{unit} / week")
    fig.update_xaxes(title_text="week (Monday)")
    return fig


def composition_figure(fat: pd.Series, lean: pd.Series, units: Units) -> go.Figure:
    """Fat-mass and lean-mass trends (in kg) on two axes, so a recomposition is visible."""
    unit, factor = units.mass, units.kg_factor
    title = f"Fat mass and lean mass trends ({unit})"
    if fat.empty and lean.empty:
        return empty_figure(title, "No body-composition measurements in this range")
    fat, lean = fat * factor, lean * factor
    fig = go.Figure(layout=base_layout(title, right=RIGHT_AXIS_MARGIN, xaxis=DATE_AXIS,
                                       yaxis=mass_axis(f"fat mass ({unit})", fat, FAT_COLOUR),
                                       yaxis2=mass_axis(f"lean mass ({unit})", lean, LEAN_COLOUR, overlaying="y",
                                                        side="right")))
    fig.add_trace(go.Scatter(x=fat.index, y=fat, mode="lines", name="fat mass (left axis)",
                             line=dict(color=FAT_COLOUR), hovertemplate=hover(unit)))
    fig.add_trace(go.Scatter(x=lean.index, y=lean, mode="lines", name="lean mass (right axis)", yaxis="y2",
                             line=dict(color=LEAN_COLOUR), hovertemplate=hover(unit)))
    fig.update_xaxes(title_text="date")
    return fig


def mass_axis(title: str, values: pd.Series, colour: str, **extra: object) -> dict:
    """A composition axis in its line's colour, ticks to one decimal over a span of at least MIN_MASS_SPAN."""
    axis = dict(title=dict(text=title, font=dict(color=colour)), tickfont=dict(color=colour), tickformat=",.1~f",
                automargin=False, **NUMBER_TICKS, **extra)
    if not values.dropna().empty:
        low, high = float(values.min()), float(values.max())
        pad = max(0.0, MIN_MASS_SPAN - (high - low)) / 2 + 0.05 * (high - low)
        axis["range"] = [low - pad, high + pad]
    return axis
