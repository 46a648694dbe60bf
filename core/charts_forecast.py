"""Forecast figure: the recent trend and each scenario's projection with its uncertainty band."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.charts import LAYOUT, empty_figure

COLORS = {"current": "#1f77b4", "plan": "#d62728"}


def forecast_figure(history: pd.Series, projections: dict[str, pd.DataFrame], start: pd.Timestamp,
                    label: str, unit: str, factor: float) -> go.Figure:
    """History (trend) as a line, then per scenario a mean line and a band (neighbours' spread x sqrt(weeks))."""
    title = f"{label}: trend and projection ({unit})"
    if history.empty:
        return empty_figure(title, "No trend to project from")
    fig = go.Figure(layout=dict(title=title, **LAYOUT))
    fig.add_trace(go.Scatter(x=history.index, y=history * factor, mode="lines", name="trend so far",
                             line=dict(color="gray")))
    for name, proj in projections.items():
        x = [start + pd.Timedelta(weeks=int(w)) for w in proj.week]
        color = COLORS.get(name, "black")
        fig.add_trace(go.Scatter(x=x + x[::-1], y=list(proj.high * factor) + list(proj.low[::-1] * factor),
                                 fill="toself", fillcolor=color, opacity=0.15, line=dict(width=0),
                                 name=f"{name} range", hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=x, y=proj["mean"] * factor, mode="lines", name=name, line=dict(color=color)))
    fig.update_yaxes(title_text=unit)
    fig.update_xaxes(title_text="date")
    return fig
