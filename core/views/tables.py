"""Small read-only tables as Markdown or HTML text: numbers formatted for reading (core/views/format.py), cells escaped.

The pages show their small tables (last session, records, rep maxes, forecast neighbours, model
card) as Markdown, which the browser renders with the text it already draws: no table or data-grid
code to load before the charts, and no Arrow conversion on every move of the Forecast sliders.
A longer table on a chart-heavy page (the run page's splits and laps) is plain HTML instead: the browser
parses it in one go, where Streamlit's Markdown renders every cell as its own component (about 0.3 s of a
new tab for 33 splits, bench/run_page.py).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pandas as pd

from core.views.format import DASH, format_durations, format_numbers, format_times, missing

_SPECIAL = re.compile(r"([\\`*_\[\]<>|$~&])")  # inline Markdown syntax, and Streamlit's $ for LaTeX


def escape(text: object) -> str:
    """A cell's text with Markdown syntax escaped and line breaks flattened, so it shows literally."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


@dataclass(frozen=True)
class Link:
    """A cell that links somewhere (a page-relative URL), its text escaped like any other cell's."""

    text: str
    url: str

    def markdown(self) -> str:
        """[text](url), with Markdown in the text escaped and the URL's parentheses and spaces encoded."""
        url = self.url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
        return f"[{escape(self.text)}]({url})"


def markdown_table(frame: pd.DataFrame, *, index: bool = False, decimals: int = 2) -> str:
    """`frame` as a GitHub-flavoured Markdown table; numbers and durations right-aligned, the index first if `index`."""
    head, right, rows = _cells(frame, index, decimals)
    cell = lambda x: x.markdown() if isinstance(x, Link) else x if isinstance(x, _Formatted) else escape(x)  # noqa: E731
    header = "| " + " | ".join(escape(c) for c in head) + " |"
    rule = "|" + "|".join("---:" if r else ":---" for r in right) + "|"
    return "\n".join([header, rule, *("| " + " | ".join(cell(x) for x in row) + " |" for row in rows)])


def html_table(frame: pd.DataFrame, *, index: bool = False, decimals: int = 2) -> str:
    """`frame` as an HTML <table> with the same cells and alignment as `markdown_table`, text HTML-escaped."""
    head, right, rows = _cells(frame, index, decimals)
    align = [' class="num"' if r else "" for r in right]
    cell = lambda x: f'<a href="{html.escape(x.url)}">{html.escape(x.text)}</a>' \
        if isinstance(x, Link) else html.escape(x)  # noqa: E731
    header = "".join(f"<th{a}>{html.escape(c)}</th>" for c, a in zip(head, align, strict=True))
    body = "".join("<tr>" + "".join(f"<td{a}>{cell(x)}</td>" for x, a in zip(row, align, strict=True)) + "</tr>"
                   for row in rows)
    return f'<table class="fd-table"><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>'


class _Formatted(str):
    """A number, time or duration as format.py writes it: shown as it is (its no-break spaces kept)."""


def _cells(frame: pd.DataFrame, index: bool, decimals: int) -> tuple[list[str], list[bool], list[tuple]]:
    """The header, which columns are right-aligned (numbers, durations) and the rows of cells: a formatted value,
    a Link, or a text cell to escape."""
    if index:
        frame = frame.reset_index(names=frame.index.name or "")
    durations = set(frame.select_dtypes("timedelta").columns)
    numeric = set(frame.select_dtypes("number").columns) - durations  # pandas counts a timedelta as a number
    times = set(frame.select_dtypes(["datetime", "datetimetz"]).columns)
    cells = [list(map(_Formatted, format_numbers(v, decimals) if c in numeric else format_times(v) if c in times
                       else format_durations(v))) if c in numeric | times | durations
             else [DASH if missing(x) else x if isinstance(x, Link) else str(x) for x in v.tolist()]
             for c, v in frame.items()]
    return ([str(c) for c in frame.columns], [c in numeric | durations for c in frame.columns],
            list(zip(*cells, strict=True)))
