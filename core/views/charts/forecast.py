"""Forecast figure: the recent trend and each scenario's projection with its uncertainty band.

The figure is rebuilt and sent on every move of the Forecast sliders, so it is made the cheap way:
values are packed as plotly's typed arrays (base64 of float64, which plotly.js reads directly) and
dates as day strings, and `go.Figure` skips property validation. Validating cost ~4 ms per build, and
`to_dict` (which `st.plotly_chart` calls on every run) spent ~3 ms packing numpy arrays itself. The
tests validate the figures this module makes, so nothing unchecked reaches the browser.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.views.charts.base import DATE_AXIS, MARGIN, base_layout, empty_figure, hover

COLORS = {"current": "#1f77b4", "plan": "#d62728"}
TITLE = "Trend and projection"
PANEL_HEIGHT = 260  # per target; plus the fixed margins
PANEL_GAP = 0.1  # of the plot height, between stacked panels


@dataclass(frozen=True)
class Panel:
    """One target's part of the figure: its recent trend and each scenario's projection from `start`."""

    history: pd.Series
    projections: dict[str, pd.DataFrame]
    start: pd.Timestamp
    label: str
    unit: str
    factor: float


def packed(values: np.ndarray) -> dict:
    """Numbers as plotly's typed-array spec (what plotly.py itself sends), made once instead of on every run."""
    return {"dtype": "f8", "bdata": base64.b64encode(np.ascontiguousarray(values, dtype="<f8").tobytes()).decode()}


def days(values: np.ndarray) -> list[str]:
    """Dates as 'YYYY-MM-DD' strings, the shortest form plotly reads as dates."""
    return np.datetime_as_string(np.asarray(values, dtype="datetime64[D]"), unit="D").tolist()


def _traces(panel: Panel, yaxis: str, first: bool) -> list[dict]:
    """History (trend) as a line, then per scenario a band (neighbours' spread x sqrt(weeks)) and a mean line."""
    common = dict(yaxis=yaxis, showlegend=first)
    text = hover(panel.unit, 2)
    traces = [dict(type="scatter", x=days(panel.history.index), y=packed(panel.history.to_numpy() * panel.factor),
                   mode="lines", name="trend so far", legendgroup="trend", line=dict(color="gray"),
                   hovertemplate=text, **common)]
    for name, proj in panel.projections.items():
        x = np.datetime64(panel.start.date()) + proj.week.to_numpy() * np.timedelta64(7, "D")
        color = COLORS.get(name, "black")
        traces.append(dict(type="scatter", x=days(np.concatenate([x, x[::-1]])),
                           y=packed(np.concatenate([proj.high.to_numpy(), proj.low.to_numpy()[::-1]]) * panel.factor),
                           mode="lines", fill="toself", fillcolor=color, opacity=0.15, line=dict(width=0),
                           name=f"{name} range", legendgroup=f"{name} range", hoverinfo="skip", **common))
        traces.append(dict(type="scatter", x=days(x), y=packed(proj["mean"].to_numpy() * panel.factor), mode="lines",
                           name=name, legendgroup=name, line=dict(color=color), hovertemplate=text, **common))
    return traces


def forecast_figure(panels: Sequence[Panel]) -> go.Figure:
    """One figure with a panel per target (weight, then fat ratio) stacked on one shared date axis.

    One figure rather than one per target: each slider move makes the browser redraw a single chart,
    which halves the time until the new prediction is on screen.
    """
    shown = [panel for panel in panels if not panel.history.empty]
    if not shown:
        return empty_figure(TITLE, "No trend to project from")
    axes = ["y" if i == 0 else f"y{i + 1}" for i in range(len(shown))]  # plotly's names: y, y2, ...
    step = (1 + PANEL_GAP) / len(shown)
    layout = base_layout(TITLE, height=PANEL_HEIGHT * len(shown) + MARGIN["t"] + MARGIN["b"],  # the date axis
                         xaxis=dict(title=dict(text="date"), anchor=axes[-1], **DATE_AXIS))  # under the last panel
    traces = []
    for i, (panel, axis) in enumerate(zip(shown, axes, strict=True)):
        top = 1 - i * step
        layout["yaxis" + axis[1:]] = dict(title=dict(text=f"{panel.label} ({panel.unit})"), automargin=False,
                                          domain=[max(0.0, top - step + PANEL_GAP), top], anchor="x")
        traces += _traces(panel, axis, first=i == 0)
    return go.Figure(data=traces, layout=layout, _validate=False)  # validated by the tests (module docstring)
