"""Forecast figure: the recent trend and each scenario's projection with its uncertainty band.

Traces are passed to the `go.Figure` constructor as one list (validated once) rather than added one
by one with `add_trace`: ~4 ms instead of ~20 ms per figure, which matters inside the slider fragment.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.charts import base_layout, empty_figure

COLORS = {"current": "#1f77b4", "plan": "#d62728"}


def forecast_figure(history: pd.Series, projections: dict[str, pd.DataFrame], start: pd.Timestamp,
                    label: str, unit: str, factor: float) -> go.Figure:
    """History (trend) as a line, then per scenario a band (neighbours' spread x sqrt(weeks)) and a mean line."""
    title = f"{label}: trend and projection ({unit})"
    if history.empty:
        return empty_figure(title, "No trend to project from")
    traces = [dict(type="scatter", x=history.index, y=history.to_numpy() * factor, mode="lines",
                   name="trend so far", line=dict(color="gray"))]
    for name, proj in projections.items():
        x = (start + pd.to_timedelta(proj.week.to_numpy() * 7, unit="D")).to_numpy()  # arrays: plotly copies lists
        color = COLORS.get(name, "black")
        traces.append(dict(type="scatter", x=np.concatenate([x, x[::-1]]),
                           y=np.concatenate([proj.high.to_numpy(), proj.low.to_numpy()[::-1]]) * factor,
                           fill="toself", fillcolor=color, opacity=0.15, line=dict(width=0), name=f"{name} range",
                           hoverinfo="skip"))
        traces.append(dict(type="scatter", x=x, y=proj["mean"].to_numpy() * factor, mode="lines", name=name,
                           line=dict(color=color)))
    layout = base_layout(title, yaxis=dict(title=dict(text=unit)), xaxis=dict(title=dict(text="date")))
    return go.Figure(data=traces, layout=layout)
