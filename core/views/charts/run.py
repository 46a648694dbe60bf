"""Run-page figures: pace, heart rate and elevation against distance on one shared axis; splits; time in zones.

Every chart is thinned by LTTB to at most MAX_POINTS points (core/analytics/thinning.py), each series on its own
with an equal share: a 3-hour run at 1 Hz (10,800 samples) becomes three lines of 666 points that keep its peaks
and dips (more would be finer than the chart's pixels, and each point costs the browser's first draw).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.analytics.thinning import MAX_POINTS, lttb_indices
from core.units import Units
from core.views.charts.base import base_layout, empty_figure, hover
from core.views.format import format_pace

PANELS = (("pace", "y"), ("heart rate", "y2"), ("elevation", "y3"))  # top to bottom
COLOURS = {"y": "#1f6fd1", "y2": "#d62728", "y3": "#6b8e23"}
ZONE_COLOURS = ("#9ecae1", "#74c476", "#fdd049", "#fd8d3c", "#e6550d", "#c62a2a", "#8b0000")  # easy to hard
PACE_TICK_S = (10, 15, 30, 60, 120, 300)  # candidate steps between pace ticks (seconds)


def thinned(x: np.ndarray, y: np.ndarray, n_out: int = MAX_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) at the samples LTTB keeps (at most n_out, NaN gaps dropped)."""
    keep = lttb_indices(x, y, n_out)
    return x[keep], y[keep]


def profile_figure(series: dict[str, np.ndarray], distance: np.ndarray, units: Units, title: str) -> go.Figure:
    """Up to three stacked panels against distance: pace (s per unit, faster up), heart rate and elevation.

    `series` maps a panel ("pace" in s per unit, "heart rate" in bpm, "elevation" in m) to its values per sample;
    a panel without values is left out and the others share its room."""
    shown = [(label, axis) for label, axis in PANELS if label in series and np.isfinite(series[label]).any()]
    if not shown or not np.isfinite(distance).any():
        return empty_figure(title, "This run has no pace, heart rate or elevation to draw")
    x = distance * units.m_factor
    fig = go.Figure(layout=base_layout(title, height=180 + 150 * len(shown)))
    bounds = np.linspace(1.0, 0.0, len(shown) + 1)
    for i, (label, axis) in enumerate(shown):
        values = units.elevation_from_m(series[label]) if label == "elevation" else series[label]
        xs, ys = thinned(x, values, MAX_POINTS // len(shown))  # the chart's budget shared by its lines
        unit = {"pace": units.pace, "heart rate": "bpm", "elevation": units.elevation}[label]
        name = f"{label} ({unit})"
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name=name, yaxis=axis, line=dict(color=COLOURS[axis]),
                                 customdata=[format_pace(v) for v in ys] if label == "pace" else None,
                                 hovertemplate="%{customdata}" if label == "pace" else hover(unit, 0)))
        key = "yaxis" if axis == "y" else f"yaxis{axis[1:]}"
        fig.layout[key] = dict(domain=(bounds[i + 1] + 0.04, bounds[i]), anchor="x", title=dict(text=name),
                               automargin=False, **(_pace_axis(ys) if label == "pace" else {}))
    fig.update_xaxes(title_text=f"distance ({units.distance})", anchor=shown[-1][1])
    return fig


def _pace_axis(pace_s: np.ndarray) -> dict:
    """A reversed axis (faster up) with ticks written m:ss."""
    low, high = np.nanpercentile(pace_s, [1, 99]) if np.isfinite(pace_s).any() else (0.0, 1.0)
    step = next((s for s in PACE_TICK_S if (high - low) / s <= 6), PACE_TICK_S[-1])
    ticks = np.arange(np.floor(low / step) * step, high + step, step)
    return dict(autorange="reversed", tickvals=ticks.tolist(), ticktext=[format_pace(t) for t in ticks])


def splits_figure(table: pd.DataFrame, units: Units, title: str) -> go.Figure:
    """A bar per split, its pace (a lower bar is faster), the fastest green and the slowest red."""
    if table.empty:
        return empty_figure(title, "This run has no timed splits")
    colours = np.where(table.fastest, "seagreen", np.where(table.slowest, "crimson", "#8fa9c9"))
    pace = table.pace_s.to_numpy(float)
    fig = go.Figure(go.Bar(x=table.split, y=pace, marker=dict(color=colours), name="pace",
                           customdata=[format_pace(v) for v in pace], hovertemplate="%{customdata}<extra></extra>"),
                    layout=base_layout(title, hovermode="closest", showlegend=False))
    fig.update_yaxes(title_text=f"pace ({units.pace})",
                     range=[float(np.nanmin(pace)) * 0.9, float(np.nanmax(pace)) * 1.03],
                     **{k: v for k, v in _pace_axis(pace).items() if k in ("tickvals", "ticktext")})
    fig.update_xaxes(title_text=f"split ({units.distance})", dtick=1)
    return fig


def zones_figure(zones: pd.DataFrame, title: str) -> go.Figure:
    """Minutes in each heart-rate zone, horizontal bars from zone 1 at the bottom."""
    if zones.empty or not zones.seconds.sum():
        return empty_figure(title, "No heart rate recorded")
    labels = [f"{z} ({lo:.0f}+ bpm)" for z, lo in zip(zones.zone, zones.low_bpm, strict=True)]
    fig = go.Figure(go.Bar(x=zones.seconds / 60, y=labels, orientation="h", name="time",
                           text=[f"{s:.0%}" for s in zones.share], textposition="auto",
                           hovertemplate=hover("min", 0, "x"),
                           marker=dict(color=ZONE_COLOURS[:len(zones)] if len(zones) <= len(ZONE_COLOURS) else None)),
                    layout=base_layout(title, hovermode="closest", showlegend=False, height=280,
                                       margin=dict(l=140, r=24, t=56, b=48)))
    fig.update_xaxes(title_text="time (min)")
    fig.update_yaxes(title_text="heart-rate zone (bpm)")
    return fig
