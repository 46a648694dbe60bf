"""Weight-page figures (plotly graph_objects only; long ranges arrive thinned, see weight.metric_view)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.analytics.weight import METRICS, MetricView
from core.units import Units, body_units
from core.views.charts.base import RIGHT_AXIS_MARGIN, base_layout, empty_figure


def body_metric_figure(view: MetricView, column: str, units: Units, window_days: int) -> go.Figure:
    """Measurements of one body column as points on their local day, the N-day rolling mean, the trend and
    mis-weighs."""
    unit, _, factor = body_units(column, units)
    title = f"{METRICS[column]} ({unit})"
    if view.points.empty:
        return empty_figure(title, "No measurements in this range")
    fig = go.Figure(layout=base_layout(title))
    points = view.points
    fig.add_trace(go.Scatter(x=points.index, y=points * factor, mode="markers",
                             name="weekly median" if view.weekly else "measurement",
                             marker=dict(size=4, opacity=0.45)))
    suffix = " (weekly)" if view.weekly else ""
    fig.add_trace(go.Scatter(x=view.rolling.index, y=view.rolling * factor, mode="lines",
                             name=f"{window_days}-day mean{suffix}"))
    fig.add_trace(go.Scatter(x=view.trend.index, y=view.trend * factor, mode="lines", name=f"trend{suffix}",
                             line=dict(width=3)))
    if not view.misweighs.empty:
        fig.add_trace(go.Scatter(x=view.misweighs.index, y=view.misweighs * factor, mode="markers",
                                 name="probable mis-weigh", marker=dict(symbol="x", size=9, color="crimson")))
    fig.update_yaxes(title_text=unit)
    fig.update_xaxes(title_text="local date")
    return fig


def weekly_change_figure(changes: pd.Series, column: str, units: Units) -> go.Figure:
    """Bars of the trend's change of one body column per local week (green down, red up)."""
    _, unit, factor = body_units(column, units)
    title = f"Weekly change of the trend ({unit})"
    if changes.empty:
        return empty_figure(title, "Not enough weeks with weigh-ins")
    values = changes * factor
    fig = go.Figure(layout=base_layout(title))
    # Two single-colour traces, not one with a colour per bar: plotly validates a list of colour names
    # at ~60 us a bar (30 ms for ten years of weeks).
    for name, color, part in (("down", "seagreen", values[values <= 0]), ("up", "indianred", values[values > 0])):
        fig.add_trace(go.Bar(x=part.index, y=part, marker_color=color, name=name))
    fig.update_layout(barmode="overlay")  # the two traces never share a week: full-width bars
    fig.update_yaxes(title_text=f"{unit} per week")
    fig.update_xaxes(title_text="week (Monday)")
    return fig


def composition_figure(fat: pd.Series, lean: pd.Series, units: Units) -> go.Figure:
    """Fat-mass and lean-mass trends (in kg) on two axes, so a recomposition is visible."""
    unit, factor = units.mass, units.kg_factor
    title = f"Fat mass and lean mass trends ({unit})"
    if fat.empty and lean.empty:
        return empty_figure(title, "No body-composition measurements in this range")
    fig = go.Figure(layout=base_layout(title, right=RIGHT_AXIS_MARGIN, yaxis=dict(title=f"fat mass ({unit})"),
                                       yaxis2=dict(title=f"lean mass ({unit})", overlaying="y", side="right",
                                                   automargin=False)))
    fig.add_trace(go.Scatter(x=fat.index, y=fat * factor, mode="lines", name="fat mass"))
    fig.add_trace(go.Scatter(x=lean.index, y=lean * factor, mode="lines", name="lean mass", yaxis="y2"))
    fig.update_xaxes(title_text="date")
    return fig
