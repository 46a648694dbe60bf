"""What every figure starts from: the layout with fixed margins, and the figure that says there is nothing to show.

The figure builders (one module per page beside this one) are pure functions from frames and `Units` to
`go.Figure`, never calling Streamlit. `plotly.graph_objects` only (px.line costs ~60 ms per figure against
~2 ms for go), and lines or aggregates rather than tens of thousands of SVG markers (performance.md).
"""

from __future__ import annotations

import math
from typing import Any

import plotly.graph_objects as go

from core.views.format import D3_DAY, d3_number

MARGIN = dict(l=72, r=24, t=72, b=56)  # room for tick labels, axis titles, the title and the legend above the plot
RIGHT_AXIS_MARGIN = 80  # a second y axis (or a colour bar) on the right
NUMBER_TICKS = dict(separatethousands=True, exponentformat="none")  # "12,000", never plotly's "12k"
DATE_AXIS = dict(hoverformat=D3_DAY)  # the hover's date as "12 Apr 2026" (core/views/format.py), never ISO
COUNT_TICKS = 5  # about this many ticks on a count axis


def hover(unit: str, decimals: int = 1, value: str = "y") -> str:
    """A trace's hover text: its name and the value under the number rules, with the unit ('%{y:,.1~f} kg')."""
    return f"%{{fullData.name}}: %{{{value}:{d3_number(decimals)}}}{' ' + unit if unit else ''}<extra></extra>"


def count_axis(top: float, **extra: Any) -> dict:
    """A y axis of counts (sessions, runs): whole-number ticks from 0 (1, 2, 5, 10... apart), never '0.91'."""
    raw = max(1.0, float(top) / COUNT_TICKS)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return dict(automargin=False, rangemode="tozero", tick0=0, dtick=step, tickformat=",d", **extra)


def base_layout(title: str, *, right: int = MARGIN["r"], **overrides: Any) -> dict:
    """The layout every figure starts from: fixed margins, no automargin, the legend above the plot.

    With automargin (plotly's default) the tick labels, axis titles and a legend below the plot push the
    margins after a first layout pass, and plotly then lays out and draws the whole figure again: fixed
    margins halve each chart's first draw in the browser (bench/RESULTS.md). `overrides` are merged into the
    matching layout entries (e.g. yaxis=dict(title=...) keeps automargin off).
    """
    layout = dict(title=dict(text=title), margin={**MARGIN, "r": right}, height=320, hovermode="x unified",
                  legend=dict(orientation="h", x=1, xanchor="right", y=1.02, yanchor="bottom"),
                  xaxis=dict(automargin=False, **NUMBER_TICKS), yaxis=dict(automargin=False, **NUMBER_TICKS))
    for key, value in overrides.items():
        layout[key] = {**layout.get(key, {}), **value} if isinstance(value, dict) else value
    return layout


def empty_figure(title: str, message: str) -> go.Figure:
    """A figure that says there is nothing to show, instead of an empty axis."""
    fig = go.Figure(layout=base_layout(title))
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig

