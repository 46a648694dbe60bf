"""Running-page figures."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.analytics.running import route_offsets
from core.polyline import decode_polyline
from core.units import Units
from core.views.charts.base import RIGHT_AXIS_MARGIN, base_layout, empty_figure

TOTAL_LABELS = {"distance_m": "Distance", "moving_time_s": "Moving time", "elevation_gain_m": "Elevation gain",
                "average_speed_mps": "Average speed", "runs": "Runs"}


def totals_figure(totals: pd.DataFrame, column: str, period: str, units: Units) -> go.Figure:
    """Bars of one total per week or month, in display units."""
    label = TOTAL_LABELS[column]
    scale, unit = {"distance_m": (units.m_factor, units.distance), "moving_time_s": (1 / 3600, "h"),
                   "elevation_gain_m": (1.0, "m"), "runs": (1.0, "runs"),
                   "average_speed_mps": (units.speed_from_mps(1.0), f"{units.distance}/h")}[column]
    title = f"{label} per {period} ({unit})"
    if totals.empty:
        return empty_figure(title, "No runs in this range")
    fig = go.Figure(go.Bar(x=totals.index, y=totals[column] * scale, name=label), layout=base_layout(title))
    fig.update_yaxes(title_text=unit)
    fig.update_xaxes(title_text=period)
    return fig


def speed_elevation_figure(runs: pd.DataFrame, units: Units) -> go.Figure:
    """Average speed against elevation gain, sized by distance, coloured by date (the original's scatter)."""
    speed_unit = f"{units.distance}/h"
    title = f"Average speed ({speed_unit}) vs elevation gain (m)"
    if runs.empty:
        return empty_figure(title, "No runs in this range")
    km = runs.distance_m * units.m_factor
    days = (runs.start_time_local - runs.start_time_local.min()).dt.days
    fig = go.Figure(go.Scatter(
        x=runs.elevation_gain_m, y=units.speed_from_mps(runs.average_speed_mps), mode="markers",
        marker=dict(size=6 + 2 * km ** 0.8 / max(1, km.max() ** 0.8) * 12, color=days, colorscale="Viridis",
                    showscale=True, colorbar=dict(title="days since first")),
        text=runs["name"], name="runs"), layout=base_layout(title, right=2 * RIGHT_AXIS_MARGIN))  # the colour bar
    fig.update_xaxes(title_text="elevation gain (m)")
    fig.update_yaxes(title_text=speed_unit)
    return fig


def route_figure(polyline: str | None, title: str, units: Units) -> go.Figure:
    """The route of one run from its summary polyline, in east/north distance from the start, equal scales."""
    offsets = route_offsets(decode_polyline(polyline or ""))
    if len(offsets) < 2:
        return empty_figure(title, "This run has no route")
    east, north = offsets.east_m * units.m_factor, offsets.north_m * units.m_factor
    fig = go.Figure(go.Scatter(x=east, y=north, mode="lines", name="route"), layout=base_layout(title))
    for name, i, color, symbol in (("start", 0, "seagreen", "circle"), ("finish", -1, "crimson", "square")):
        fig.add_trace(go.Scatter(x=[east.iloc[i]], y=[north.iloc[i]], mode="markers", name=name,
                                 marker=dict(size=10, color=color, symbol=symbol)))
    fig.update_xaxes(title_text=f"east of the start ({units.distance})", showgrid=False)
    fig.update_yaxes(title_text=f"north of the start ({units.distance})", scaleanchor="x", scaleratio=1.0,
                     showgrid=False)
    return fig
