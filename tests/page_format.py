"""Walk what an AppTest page rendered (text, tables, widgets' options, charts) and list what breaks the format rules.

The rules are core/views/format.py's: no ISO date, no number ending in a zero decimal, moving time as h:mm:ss,
every chart axis titled (a value axis with its unit), hover text written by the number rules, dates in hovers
not ISO, and no unit said twice ("Runs per week (runs)").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from streamlit.testing.v1 import AppTest

from tests.html_tables import table_rows

ISO_DATE = re.compile(r"(?<!\d)\d{4}[-\u2011]\d{2}[-\u2011]\d{2}(?!\d)")
ZERO_DECIMAL = re.compile(r"(?<![\d.:])\d[\d,]*\.\d*0(?![\d.])")  # 11.00, 32.0, 10.80 (not 10:05 or 1.05)
H_MM_SS = re.compile(r"^[+-]?\d+:\d{2}:\d{2}$")
DOUBLED_UNIT = re.compile(r"^(\w+)\b.*\(\1\)$", re.IGNORECASE)
UNITLESS_AXES = ("date", "week", "month", "local date", "session date", "reps", "sessions", "runs",
                 "acute:chronic ratio")  # a ratio of two loads has no unit
# The Forecast's "current week" lines repeat its sliders' digits on purpose (a slider's printf format keeps its
# zeros: "1.60"), so the two read the same (tests/test_forecast_plan.py).
SLIDER_MIRROR = ("Running distance (km/week):", "Running distance (mi/week):")
MAP_TRACES = ("scattermap", "densitymap", "choroplethmap", "scattermapbox", "densitymapbox", "scattergeo")
UNIT_WORDS = re.compile(r"\b(kg|lb|km|mi|m|ft|h|pt|bpm|reps|sessions|runs)\b|%|/h")


MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # a backslash before ASCII punctuation: shown as the mark alone


def shown(value: str) -> str:
    """A Markdown-read value (a metric's) as the browser shows it: escapes undone ('0\\:36\\:06' is 0:36:06)."""
    return MARKDOWN_ESCAPE.sub(r"\1", value)


def texts(at: AppTest) -> Iterator[tuple[str, str]]:
    """(where, text) for every piece of text the page shows outside charts, table cells included."""
    for kind in ("title", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        for element in getattr(at, kind):
            yield kind, element.value
    for metric in at.metric:
        yield "metric", f"{metric.label}: {shown(metric.value)}"
        if metric.proto.delta:
            yield "metric delta", metric.proto.delta
    for expander in at.expander:
        yield "expander", expander.label
    for box in at.selectbox:
        yield from ((f"selectbox {box.label}", str(option)) for option in box.options)
    for element in at.get("html"):
        yield from (("html table", cell) for rows in table_rows(element.proto.body) for row in rows for cell in row)
    for frame in at.dataframe:
        table = frame.value
        yield from (("dataframe", str(column)) for column in table.columns)
        yield from (("dataframe", str(cell)) for row in table.astype(str).itertuples(index=False) for cell in row)


def text_problems(at: AppTest) -> list[str]:
    """Every shown text that holds an ISO date or a number ending in a zero decimal."""
    problems = []
    for where, text in texts(at):
        if text.startswith(SLIDER_MIRROR):
            continue
        bare = re.sub(r"`[^`]*`", "", text)  # commands and settings in backticks are typed as written
        problems += [f"{where}: ISO date in {text!r}" for _ in ISO_DATE.findall(bare)[:1]]
        problems += [f"{where}: zero decimal {m!r} in {text!r}" for m in ZERO_DECIMAL.findall(bare)[:1]]
    for metric in at.metric:
        if "moving time" in metric.label.lower() and not H_MM_SS.match(shown(metric.value)):
            problems.append(f"metric {metric.label}: {shown(metric.value)!r} is not h:mm:ss")
    return problems


def charts(at: AppTest) -> Iterator[dict]:
    """Each chart's plotly spec as the browser gets it."""
    for chart in at.get("plotly_chart"):
        yield json.loads(chart.proto.spec)


def chart_problems(spec: dict) -> list[str]:
    """What breaks the rules in one chart: untitled or unit-less axes, hover text not made by the rules."""
    layout, traces = spec["layout"], spec.get("data", [])
    title = layout.get("title", {}).get("text", "")
    if not traces:  # an empty figure: a message, no axes
        return []
    problems = [f"{title}: doubled unit"] if DOUBLED_UNIT.match(title) else []
    problems += [f"{title}: ISO date in the title"] if ISO_DATE.search(title) else []
    cartesian = [t for t in traces if t.get("type") not in MAP_TRACES]  # a map trace draws on layout "map", no axes
    used = {"xaxis"} if cartesian else set()
    used |= {"yaxis" + t.get("yaxis", "y")[1:] for t in cartesian}  # trace "y2" draws on layout "yaxis2"
    for name in sorted(used):
        axis = layout.get(name, {})
        text = (axis.get("title") or {}).get("text", "") if isinstance(axis.get("title"), dict) else axis.get("title")
        if not text:
            problems.append(f"{title}: {name} has no title")
        elif name.startswith("y") and text not in UNITLESS_AXES and not UNIT_WORDS.search(text):
            problems.append(f"{title}: {name} title {text!r} names no unit")
    dated = any(isinstance(t.get("x"), list) and t["x"] and ISO_DATE.match(str(t["x"][0])) for t in traces)
    if dated and "%Y" not in layout.get("xaxis", {}).get("hoverformat", ""):
        problems.append(f"{title}: dates on the x axis hover as ISO (no hoverformat)")
    for trace in traces:
        if trace.get("hoverinfo") != "skip" and not trace.get("hovertemplate"):
            problems.append(f"{title}: trace {trace.get('name')!r} hovers with plotly's default number format")
        elif ZERO_DECIMAL.search(trace.get("hovertemplate", "")):
            problems.append(f"{title}: trace {trace.get('name')!r} hover has a fixed zero decimal")
    return problems


def format_problems(at: AppTest) -> list[str]:
    """Everything on the page, charts included, that breaks the format rules (empty when all is well)."""
    return text_problems(at) + [p for spec in charts(at) for p in chart_problems(spec)]
