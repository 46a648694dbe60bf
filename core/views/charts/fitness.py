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

from core.analytics.fitness import FORM_BANDS, RATIO_OPTIMAL
from core.units import Units
from core.views.charts.base import DATE_AXIS, RIGHT_AXIS_MARGIN, base_layout, empty_figure, hover
from core.views.charts.forecast import days, packed

COLORS = {"chronic": "#1f77b4", "acute": "#ff7f0e", "form": "#2ca02c", "ratio": "#9467bd", "run": "#1f77b4",
          "strength": "#d62728", "weight": "#444444", "fat": "#e377c2", "lean": "#17becf"}
PROJECTION_DASH = {"no training": "dot", "plan": "dash"}
BAND_COLORS = {"Risk of detraining": "#fde0dd", "Peak fresh": "#d9f0d3", "Slightly fresh": "#edf8e9",
               "Neutral": "#f7f7f7", "Accumulated fatigue": "#fff3cd", "Over-fatigued": "#fddbc7"}
FORM_LIMITS = (-50.0, 40.0)  # the bands' shading spans this; a form beyond it still shows, unshaded
ROW_HEIGHTS = (0.24, 0.18, 0.14, 0.2, 0.24)  # of the plot's height, top panel first
ROW_GAP = 0.03  # between panels
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
    """The five panels (module docstring) over `history` (a `fitness` frame) and the per-period `loads`.

    Built as the forecast figure is (core/views/charts/forecast.py): plain dicts, numbers packed as typed
    arrays, no validation (plotly's validating API spent ~1 s on the shapes and subplots of ten years); the
    tests validate what this makes.
    """
    title = "Fitness, fatigue and form, the load behind them, and the body beside them"
    if history.empty:
        return empty_figure(title, "No training in this range")
    panel = _Panels()
    _loads(panel, history, projections)
    _form(panel, history, projections)
    _ratio(panel, history)
    _stacked(panel, loads, period)
    _body(panel, body, units)
    layout = base_layout(title, right=RIGHT_AXIS_MARGIN, height=HEIGHT, barmode="stack", margin=dict(t=TOP_MARGIN),
                         shapes=panel.shapes, annotations=panel.annotations)
    layout["title"] = {**layout["title"], "y": 0.99, "yanchor": "top"}  # above the legend's rows
    titles = ("load (pt / day)", "form (pt)", "acute:chronic ratio", f"load (pt / {period})",
              f"weight, lean ({units.mass})")
    for row, (text, (low, high)) in enumerate(zip(titles, _domains(), strict=True), 1):
        suffix = "" if row == 1 else str(row)
        layout[f"xaxis{_x(row)[1:]}"] = dict(anchor=f"y{suffix}", automargin=False, domain=[0.0, 1.0], **DATE_AXIS,
                                             **({"matches": "x", "showticklabels": False} if row < 5 else
                                                {"title": dict(text="date")}))
        layout[f"yaxis{suffix}"] = dict(anchor=_x(row), domain=[low, high], automargin=False,
                                        title=dict(text=text))
    layout["yaxis6"] = dict(anchor="x", overlaying="y5", side="right", automargin=False,
                            title=dict(text=f"fat mass ({units.mass})"))
    return go.Figure(data=panel.traces, layout=layout, _validate=False)  # validated by the tests (docstring)


def _x(row: int) -> str:
    """A panel's x axis: the bottom one, which shows the dates, is "x" (the axis the others match); above, x2..x5."""
    return "x" if row == 5 else f"x{row + 1}"


class _Panels:
    """The traces, shapes and annotations of the five panels, as plotly's plain dicts."""

    def __init__(self) -> None:
        self.traces: list[dict] = []
        self.shapes: list[dict] = []
        self.annotations: list[dict] = []

    def line(self, index: pd.DatetimeIndex, values: pd.Series, name: str, color: str, row: int, dash: str = "solid",
             unit: str = "pt", decimals: int = 0, **extra) -> None:
        suffix = "" if row == 1 else str(row)
        self.traces.append(dict(type="scatter", x=days(index), y=packed(values.to_numpy(dtype="float64")),
                                mode="lines", name=name, line=dict(color=color, dash=dash), xaxis=_x(row),
                                yaxis=f"y{suffix}", hovertemplate=hover(unit, decimals), **extra))

    def band(self, low: float, high: float, color: str, label: str, row: int) -> None:
        """A shaded, labelled horizontal band behind a panel's line."""
        self.shapes.append(dict(type="rect", xref=f"{_x(row)} domain", x0=0, x1=1, yref=f"y{row}", y0=low, y1=high,
                                fillcolor=color, line=dict(width=0), layer="below"))
        self.annotations.append(dict(text=label, xref=f"{_x(row)} domain", x=1, xanchor="right", yref=f"y{row}",
                                     y=(low + high) / 2, showarrow=False, font=dict(size=9)))


def _domains() -> list[tuple[float, float]]:
    """Each panel's vertical extent, top first, ROW_HEIGHTS of the height less the gaps between them."""
    usable = 1.0 - ROW_GAP * (len(ROW_HEIGHTS) - 1)
    top, out = 1.0, []
    for share in ROW_HEIGHTS:
        low = max(0.0, top - share * usable)
        out.append((low, top))
        top = low - ROW_GAP
    return out


def _loads(panel: _Panels, history: pd.DataFrame, projections: dict[str, pd.DataFrame]) -> None:
    for column, name in (("chronic", "fitness (chronic, 42 d)"), ("acute", "fatigue (acute, 7 d)")):
        panel.line(history.index, history[column], name, COLORS[column], 1)
        for label, future in projections.items():
            panel.line(future.index, future[column], f"{column}, {label}", COLORS[column], 1,
                       PROJECTION_DASH.get(label, "dash"), showlegend=False)


def _form(panel: _Panels, history: pd.DataFrame, projections: dict[str, pd.DataFrame]) -> None:
    tops = [FORM_LIMITS[1], *[bound for bound, _ in FORM_BANDS[:-1]]]  # each band reaches up to the one above
    for top, (low, label) in zip(tops, FORM_BANDS, strict=True):
        panel.band(max(low, FORM_LIMITS[0]), top, BAND_COLORS[label], label, 2)
    panel.line(history.index, history.form, "form (yesterday's fitness - fatigue)", COLORS["form"], 2)
    for label, future in projections.items():
        panel.line(future.index, future.form, f"form, {label}", COLORS["form"], 2, PROJECTION_DASH.get(label, "dash"))


def _ratio(panel: _Panels, history: pd.DataFrame) -> None:
    panel.band(*RATIO_OPTIMAL, "#d9f0d3", "optimal", 3)
    panel.line(history.index, history.ratio, "acute:chronic ratio", COLORS["ratio"], 3, unit="", decimals=2)


def _stacked(panel: _Panels, loads: pd.DataFrame, period: str) -> None:
    for column, name, color in (("run_load", "running load", COLORS["run"]),
                                ("strength_load", "strength load", COLORS["strength"])):
        panel.traces.append(dict(type="bar", x=days(loads.index), y=packed(loads[column].to_numpy(dtype="float64")),
                                 name=name, marker=dict(color=color), xaxis=_x(4), yaxis="y4",
                                 hovertemplate=hover(f"pt this {period}", 0)))


def _body(panel: _Panels, body: BodyLines, units: Units) -> None:
    for series, name, color, axis in ((body.weight, "weight trend", COLORS["weight"], "y5"),
                                      (body.lean, "lean mass", COLORS["lean"], "y5"),
                                      (body.fat, "fat mass", COLORS["fat"], "y6")):
        if not series.empty:
            panel.traces.append(dict(type="scatter", x=days(series.index),
                                     y=packed(series.to_numpy(dtype="float64") * units.kg_factor), mode="lines",
                                     name=name, line=dict(color=color), xaxis="x", yaxis=axis,
                                     hovertemplate=hover(units.mass)))
    if body.weight.empty and body.fat.empty and body.lean.empty:
        panel.annotations.append(dict(text="No weigh-ins in this range", showarrow=False, xref="x domain",
                                      yref="y5 domain", x=0.5, y=0.5))


def zones_figure(weekly: pd.DataFrame) -> go.Figure:
    """Hours per heart-rate zone per week, stacked (zone 1 at the bottom), with the week's low-intensity share."""
    title = "Weekly time in heart-rate zones (h)"
    if weekly.empty:
        return empty_figure(title, "No heart rate in this range")
    zones = [c for c in weekly.columns if c in ZONE_COLORS]
    layout = base_layout(title, right=RIGHT_AXIS_MARGIN, barmode="stack",
                         yaxis=dict(title=dict(text="time (h)")),
                         xaxis=dict(title=dict(text="week (Monday)"), **DATE_AXIS),
                         yaxis2=dict(title=dict(text="low-intensity share (%)"), overlaying="y", side="right",
                                     range=[0, 1], dtick=0.25, tickformat=".0%", automargin=False))
    traces = [go.Bar(x=weekly.index, y=weekly[zone], name=zone, marker_color=ZONE_COLORS[zone],
                     hovertemplate=hover("h")) for zone in zones]
    traces.append(go.Scatter(x=weekly.index, y=weekly.low, mode="lines+markers", name="low share (Z1-Z2)",
                             yaxis="y2", line=dict(color="black", width=1),
                             hovertemplate="%{fullData.name}: %{y:.0%}<extra></extra>"))
    return go.Figure(traces, layout=layout)
