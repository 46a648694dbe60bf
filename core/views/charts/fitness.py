"""Fitness-page figures: fitness, fatigue, form and ratio over the load that made them and the body beside them,
on one shared date axis; weekly time in heart-rate zones.

Panels of the main figure, top to bottom: chronic and acute load (with the 14-day projections dashed),
form with Dreeve's bands shaded and labelled, the acute:chronic ratio with its optimal band, running and
strength load stacked per day or week, and the weight trend with fat and lean mass. One figure, so zooming
one panel zooms them all: a lean-mass loss in a high-load block lines up with the block.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.analytics.fitness import FORM_BANDS, RATIO_OPTIMAL
from core.units import Units
from core.views.charts.base import RIGHT_AXIS_MARGIN, base_layout, empty_figure

COLORS = {"chronic": "#1f77b4", "acute": "#ff7f0e", "form": "#2ca02c", "ratio": "#9467bd", "run": "#1f77b4",
          "strength": "#d62728", "weight": "#444444", "fat": "#e377c2", "lean": "#17becf"}
PROJECTION_DASH = {"no training": "dot", "plan": "dash"}
BAND_COLORS = {"Risk of detraining": "#fde0dd", "Peak fresh": "#d9f0d3", "Slightly fresh": "#edf8e9",
               "Neutral": "#f7f7f7", "Accumulated fatigue": "#fff3cd", "Over-fatigued": "#fddbc7"}
FORM_LIMITS = (-50.0, 40.0)  # the bands' shading spans this; a form beyond it still shows, unshaded
ROW_HEIGHTS = (0.24, 0.18, 0.14, 0.2, 0.24)
HEIGHT = 900
TOP_MARGIN = 130  # the legend's three rows above the plot, under the title
ZONE_COLORS = {"Z1": "#c6dbef", "Z2": "#6baed6", "Z3": "#fdae6b", "Z4": "#fb6a4a", "Z5": "#a50f15",
               "Z5a": "#de2d26", "Z5b": "#a50f15", "Z5c": "#67000d"}


@dataclass(frozen=True)
class BodyLines:
    """The body panel's trends in kg per local date (empty series when not measured)."""

    weight: pd.Series
    fat: pd.Series
    lean: pd.Series


def fitness_figure(history: pd.DataFrame, projections: dict[str, pd.DataFrame], loads: pd.DataFrame, period: str,
                   body: BodyLines, units: Units) -> go.Figure:
    """The five panels (module docstring) over `history` (a `fitness` frame) and the per-period `loads`."""
    title = "Fitness, fatigue and form, the load behind them, and the body beside them"
    if history.empty:
        return empty_figure(title, "No training in this range")
    fig = make_subplots(rows=5, cols=1, shared_xaxes=True, vertical_spacing=0.03, row_heights=list(ROW_HEIGHTS),
                        specs=[[{}], [{}], [{}], [{}], [{"secondary_y": True}]])
    _loads(fig, history, projections)
    _form(fig, history, projections)
    _ratio(fig, history)
    _stacked(fig, loads, period)
    _body(fig, body, units)
    layout = base_layout(title, right=RIGHT_AXIS_MARGIN, height=HEIGHT, barmode="stack", margin=dict(t=TOP_MARGIN))
    fig.update_layout(layout, title=dict(y=0.99, yanchor="top"))
    fig.update_xaxes(automargin=False)
    fig.update_yaxes(automargin=False)
    fig.update_xaxes(title_text="date", row=5, col=1)
    for row, text in enumerate(("load points / day", "form", "acute:chronic", f"load points / {period}",
                                f"weight, lean ({units.mass})"), 1):
        fig.update_yaxes(title_text=text, row=row, col=1)
    fig.update_yaxes(title_text=f"fat mass ({units.mass})", row=5, col=1, secondary_y=True)
    return fig


def _line(fig: go.Figure, x, y, name: str, color: str, row: int, dash: str = "solid", **extra) -> None:
    fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=name, line=dict(color=color, dash=dash), **extra),
                  row=row, col=1)


def _loads(fig: go.Figure, history: pd.DataFrame, projections: dict[str, pd.DataFrame]) -> None:
    for column, name in (("chronic", "fitness (chronic, 42 d)"), ("acute", "fatigue (acute, 7 d)")):
        _line(fig, history.index, history[column], name, COLORS[column], 1)
        for label, future in projections.items():
            _line(fig, future.index, future[column], f"{column}, {label}", COLORS[column], 1,
                  PROJECTION_DASH.get(label, "dash"), showlegend=False)


def _band(fig: go.Figure, low: float, high: float, color: str, label: str, row: int) -> None:
    """A shaded, labelled horizontal band behind a panel's line."""
    fig.add_hrect(y0=low, y1=high, fillcolor=color, line_width=0, layer="below", row=row, col=1,
                  exclude_empty_subplots=False, annotation_text=label, annotation_position="right",
                  annotation_font_size=9)


def _form(fig: go.Figure, history: pd.DataFrame, projections: dict[str, pd.DataFrame]) -> None:
    tops = [FORM_LIMITS[1], *[bound for bound, _ in FORM_BANDS[:-1]]]  # each band reaches up to the one above
    for top, (low, label) in zip(tops, FORM_BANDS, strict=True):
        _band(fig, max(low, FORM_LIMITS[0]), top, BAND_COLORS[label], label, 2)
    _line(fig, history.index, history.form, "form (yesterday's fitness - fatigue)", COLORS["form"], 2)
    for label, future in projections.items():
        _line(fig, future.index, future.form, f"form, {label}", COLORS["form"], 2, PROJECTION_DASH.get(label, "dash"))


def _ratio(fig: go.Figure, history: pd.DataFrame) -> None:
    _band(fig, *RATIO_OPTIMAL, "#d9f0d3", "optimal", 3)
    _line(fig, history.index, history.ratio, "acute:chronic ratio", COLORS["ratio"], 3)


def _stacked(fig: go.Figure, loads: pd.DataFrame, period: str) -> None:
    for column, name, color in (("run_load", "running load", COLORS["run"]),
                                ("strength_load", "strength load", COLORS["strength"])):
        fig.add_trace(go.Bar(x=loads.index, y=loads[column], name=name, marker_color=color,
                             hovertemplate=f"%{{y:.0f}} points this {period}"), row=4, col=1)


def _body(fig: go.Figure, body: BodyLines, units: Units) -> None:
    factor = units.kg_factor
    for series, name, color, secondary in ((body.weight, "weight trend", COLORS["weight"], False),
                                           (body.lean, "lean mass", COLORS["lean"], False),
                                           (body.fat, "fat mass", COLORS["fat"], True)):
        if not series.empty:
            fig.add_trace(go.Scatter(x=series.index, y=series * factor, mode="lines", name=name,
                                     line=dict(color=color)), row=5, col=1, secondary_y=secondary)
    if body.weight.empty and body.fat.empty and body.lean.empty:
        fig.add_annotation(text="No weigh-ins in this range", showarrow=False, xref="x5 domain", yref="y5 domain",
                           x=0.5, y=0.5)


def zones_figure(weekly: pd.DataFrame) -> go.Figure:
    """Hours per heart-rate zone per week, stacked (zone 1 at the bottom), with the week's low-intensity share."""
    title = "Weekly time in heart-rate zones (h)"
    if weekly.empty:
        return empty_figure(title, "No heart rate in this range")
    zones = [c for c in weekly.columns if c in ZONE_COLORS]
    layout = base_layout(title, right=RIGHT_AXIS_MARGIN, barmode="stack",
                         yaxis=dict(title=dict(text="hours")), xaxis=dict(title=dict(text="week (Monday)")),
                         yaxis2=dict(title=dict(text="low-intensity share"), overlaying="y", side="right",
                                     range=[0, 1], dtick=0.25, tickformat=".0%", automargin=False))
    traces = [go.Bar(x=weekly.index, y=weekly[zone], name=zone, marker_color=ZONE_COLORS[zone]) for zone in zones]
    traces.append(go.Scatter(x=weekly.index, y=weekly.low, mode="lines+markers", name="low share (Z1-Z2)",
                             yaxis="y2", line=dict(color="black", width=1)))
    return go.Figure(traces, layout=layout)
