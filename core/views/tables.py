"""Small read-only tables as Markdown text: numbers formatted for reading (core/views/format.py), cells escaped.

The pages show their small tables (last session, records, rep maxes, forecast neighbours, model
card) as Markdown, which the browser renders with the text it already draws: no table or data-grid
code to load before the charts, and no Arrow conversion on every move of the Forecast sliders.
"""

from __future__ import annotations

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
    if index:
        frame = frame.reset_index(names=frame.index.name or "")
    durations = set(frame.select_dtypes("timedelta").columns)
    numeric = set(frame.select_dtypes("number").columns) - durations  # pandas counts a timedelta as a number
    times = set(frame.select_dtypes(["datetime", "datetimetz"]).columns)
    cells = {c: (format_numbers(v, decimals) if c in numeric else format_times(v) if c in times
                 else format_durations(v) if c in durations
                 else [DASH if missing(x) else x.markdown() if isinstance(x, Link) else escape(x) for x in v.tolist()])
             for c, v in frame.items()}
    header = "| " + " | ".join(escape(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---:" if c in numeric | durations else ":---" for c in frame.columns) + "|"
    rows = ["| " + " | ".join(row) + " |" for row in zip(*cells.values(), strict=True)]
    return "\n".join([header, rule, *rows])
