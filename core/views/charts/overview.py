"""Overview-page figure: the last 90 days of weight."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.units import Units
from core.views.charts.base import DATE_AXIS, base_layout, empty_figure, hover


def weight_overview_figure(daily_kg: pd.Series, units: Units, days: int = 90) -> go.Figure:
    """Daily mean weight over the last `days` days with its 7-day rolling mean."""
    title = f"Weight, last {days} days ({units.mass})"
    if daily_kg.empty:
        return empty_figure(title, "No weigh-ins yet")
    daily = daily_kg.sort_index()
    daily = daily[daily.index > daily.index.max() - pd.Timedelta(days=days)] * units.kg_factor
    rolling = daily.rolling("7D").mean()
    fig = go.Figure(layout=base_layout(title, xaxis=DATE_AXIS))
    fig.add_trace(go.Scatter(x=daily.index, y=daily.values, mode="markers", name="daily mean",
                             marker=dict(size=5, opacity=0.6), hovertemplate=hover(units.mass)))
    fig.add_trace(go.Scatter(x=rolling.index, y=rolling.values, mode="lines", name="7-day mean",
                             hovertemplate=hover(units.mass)))
    fig.update_yaxes(title_text=units.mass)
    fig.update_xaxes(title_text="date")
    return fig
