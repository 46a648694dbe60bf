"""Running-page figures."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.analytics.running import route_offsets
from core.polyline import decode_polyline
from core.units import Units
from core.views.charts.base import RIGHT_AXIS_MARGIN, base_layout, count_axis, empty_figure
from core.views.format import D3_DAY, d3_number, format_day, format_duration

TOTAL_LABELS = {"distance_m": "Distance", "moving_time_s": "Moving time", "elevation_gain_m": "Elevation gain",
                "average_speed_mps": "Average speed", "runs": "Runs"}
START_COLOUR, FINISH_COLOUR = "seagreen", "crimson"
BAR_DAYS = {"week": 6, "month": 26}  # set: plotly would size each trace's bars by its own spacing
MS_PER_DAY = 86_400_000


def total_scale(column: str, period: str, units: Units) -> tuple[float, str, int]:
    """(factor from the stored total, axis unit with its period, decimals of the hover) of one total."""
    return {"distance_m": (units.m_factor, f"{units.distance} / {period}", 1),
            "moving_time_s": (1 / 3600, f"h / {period}", 1),
            "elevation_gain_m": (units.elevation_factor, f"{units.elevation} / {period}", 0),
            "runs": (1.0, f"runs / {period}", 0),
            "average_speed_mps": (units.speed_from_mps(1.0), f"{units.distance}/h", 1)}[column]


def totals_figure(totals: pd.DataFrame, column: str, period: str, units: Units,
                  partial: pd.Series | None = None) -> go.Figure:
    """Bars of one total per week or month, in display units; the periods in `partial` hatched and named so."""
    label = TOTAL_LABELS[column]
    scale, unit, decimals = total_scale(column, period, units)
    title = f"{label} per {period}" + ("" if column == "runs" else f" ({unit.split(' / ')[0]})")
    if totals.empty:
        return empty_figure(title, "No runs in this range")
    values = totals[column] * scale
    cut = partial.reindex(values.index, fill_value=False) if partial is not None else values.index != values.index
    value = ("%{customdata}" if column == "moving_time_s" else f"%{{y:{d3_number(decimals)}}} {unit}")
    fig = go.Figure(layout=base_layout(title, xaxis=dict(hoverformat=f"{period} of {D3_DAY}"),
                                       yaxis=count_axis(values.max()) if column == "runs" else {}))
    for name, part, pattern in ((label, values[~cut], ""), (f"partial {period} (the range cuts it)", values[cut], "/")):
        if part.empty:
            continue
        custom = [format_duration(h * 3600) + f" / {period}" for h in part] if column == "moving_time_s" else None
        fig.add_trace(go.Bar(x=part.index, y=part, name=name, customdata=custom, marker_color="#636efa",
                             width=BAR_DAYS[period] * MS_PER_DAY, offset=0,  # from the first day on
                             marker_pattern_shape=pattern, opacity=0.55 if pattern else 1.0,
                             hovertemplate=f"{value}<extra></extra>"))
    fig.update_layout(barmode="overlay")  # a period is in one trace only: full-width bars
    fig.update_yaxes(title_text=unit)
    edge = pd.Timedelta(days=BAR_DAYS[period] // 4)  # set bar widths throw plotly's autorange off: frame the bars
    fig.update_xaxes(title_text=f"{period} (first day)",
                     range=[values.index.min() - edge, values.index.max() + pd.Timedelta(days=BAR_DAYS[period]) + edge])
    return fig


SCATTER_NOTE = ("Each dot is a run: the bigger the dot, the longer the run; its colour is the run's date "
                "(dark: the start of the range, yellow: the latest runs; dates on the colour bar).")


def speed_elevation_figure(runs: pd.DataFrame, units: Units) -> go.Figure:
    """Average speed against elevation gain, sized by distance, coloured by date (the original's scatter)."""
    speed_unit, climb = f"{units.distance}/h", units.elevation
    title = f"Average speed ({speed_unit}) vs elevation gain ({climb})"
    if runs.empty:
        return empty_figure(title, "No runs in this range")
    km = runs.distance_m * units.m_factor
    first = runs.start_time_local.min().normalize()
    days = (runs.start_time_local - first).dt.days
    ticks = sorted({0, int(days.max() // 2), int(days.max())})
    when = [format_day(t) for t in runs.start_time_local]
    fig = go.Figure(go.Scatter(
        x=units.elevation_from_m(runs.elevation_gain_m), y=units.speed_from_mps(runs.average_speed_mps),
        mode="markers", customdata=list(zip(when, km.round(2), strict=True)),
        marker=dict(size=6 + 2 * km ** 0.8 / max(1, km.max() ** 0.8) * 12, color=days, colorscale="Viridis",
                    showscale=True, colorbar=dict(title="run date", tickvals=ticks,
                                                  ticktext=[format_day(first + pd.Timedelta(days=d)) for d in ticks])),
        text=runs["name"], name="runs",
        hovertemplate=(f"%{{text}}, %{{customdata[0]}}<br>%{{customdata[1]:{d3_number(2)}}} {units.distance}, "
                       f"%{{y:{d3_number(1)}}} {speed_unit}, %{{x:{d3_number(0)}}} {climb} climbed<extra></extra>")),
        layout=base_layout(title, right=2 * RIGHT_AXIS_MARGIN, hovermode="closest"))  # room for the colour bar
    fig.update_xaxes(title_text=f"elevation gain ({climb})")
    fig.update_yaxes(title_text=speed_unit)
    return fig


def route_figure(polyline: str | None, title: str, units: Units) -> go.Figure:
    """The route of one run from its summary polyline, in east/north distance from the start, equal scales."""
    offsets = route_offsets(decode_polyline(polyline or ""))
    if len(offsets) < 2:
        return empty_figure(title, "This run has no route")
    east, north = offsets.east_m * units.m_factor, offsets.north_m * units.m_factor
    fig = go.Figure(go.Scatter(x=east, y=north, mode="lines", name="route", hoverinfo="skip"),
                    layout=base_layout(title, hovermode="closest"))
    # The finish first and larger, the start on top as a ring: on a loop both stay visible.
    for name, i, color, symbol, size in (("finish", -1, FINISH_COLOUR, "square", 16),
                                         ("start", 0, START_COLOUR, "circle-open", 11)):
        fig.add_trace(go.Scatter(x=[east.iloc[i]], y=[north.iloc[i]], mode="markers", name=name,
                                 marker=dict(size=size, color=color, symbol=symbol, line=dict(width=3, color=color)),
                                 hovertemplate=f"{name}<extra></extra>"))
    fig.update_xaxes(title_text=f"east of the start ({units.distance})", showgrid=False)
    fig.update_yaxes(title_text=f"north of the start ({units.distance})", scaleanchor="x", scaleratio=1.0,
                     showgrid=False)
    return fig
