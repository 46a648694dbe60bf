"""The model card's backtest figure: each week's weight change as it happened, what the model predicted for it
from the weeks before only (walk-forward), and the 14-day trend carried forward, the best naive baseline."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.views.charts.base import DATE_AXIS, base_layout, empty_figure, hover

SERIES = (("actual", "what happened", "#444444", "lines+markers"),
          ("model", "model (walk-forward)", "#d62728", "lines"),
          ("trend", "14-day trend carried forward", "#1f77b4", "lines"))


def backtest_figure(weeks: pd.DataFrame, label: str, unit: str, factor: float) -> go.Figure:
    """Weekly change of one target: actual, the model's walk-forward prediction and the trend baseline."""
    title = f"Backtest: {label} change per week, predicted from the weeks before ({unit}/week)"
    if weeks.empty:
        return empty_figure(title, "Too few weeks to backtest: every week was needed to train")
    tip = hover(f"{unit}/week", 2)
    traces = [go.Scatter(x=weeks.index, y=weeks[column] * factor, mode=mode, name=name, line=dict(color=color),
                         marker=dict(size=4), hovertemplate=tip)
              for column, name, color, mode in SERIES if column in weeks]
    return go.Figure(traces, layout=base_layout(title, yaxis=dict(title=dict(text=f"{unit}/week")),
                                                xaxis=dict(title=dict(text="week (Monday)"), **DATE_AXIS)))
