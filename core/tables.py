"""Small read-only tables as Markdown text: numbers formatted for reading, cells escaped.

The pages show their small tables (last session, records, rep maxes, forecast neighbours, model
card) as Markdown, which the browser renders with the text it already draws: no table or data-grid
code to load before the charts, and no Arrow conversion on every move of the Forecast sliders.
"""

from __future__ import annotations

import re

import pandas as pd

DASH = "–"  # a missing value
NB_HYPHEN, NB_SPACE = "\u2011", "\u00a0"  # keep a date on one line in a narrow column
_SPECIAL = re.compile(r"([\\`*_\[\]<>|$~&])")  # inline Markdown syntax, and Streamlit's $ for LaTeX


def format_numbers(values: pd.Series, decimals: int) -> list[str]:
    """Numbers with a thousands separator and `decimals` decimals (none if all are whole), a dash for missing."""
    numbers = values.tolist()
    whole = all(_missing(v) or float(v).is_integer() for v in numbers)
    pattern = "{:,.0f}" if whole else f"{{:,.{decimals}f}}"
    return [DASH if _missing(v) else pattern.format(v) for v in numbers]


def _missing(value: object) -> bool:
    """None, NaN, NaT or pandas' NA (whose `!=` is NA, not a bool, in string and nullable columns)."""
    return value is None or bool(pd.isna(value))


def format_times(values: pd.Series) -> list[str]:
    """Dates (with the time of day only if some have one) that never wrap: non-breaking hyphens, a dash for missing."""
    times = pd.to_datetime(values)
    pattern = "%Y-%m-%d" if (times.dropna() == times.dropna().dt.normalize()).all() else "%Y-%m-%d %H:%M"
    return [DASH if t is pd.NaT else t.strftime(pattern).replace("-", NB_HYPHEN).replace(" ", NB_SPACE)
            for t in times]


def escape(text: object) -> str:
    """A cell's text with Markdown syntax escaped and line breaks flattened, so it shows literally."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def markdown_table(frame: pd.DataFrame, *, index: bool = False, decimals: int = 2) -> str:
    """`frame` as a GitHub-flavoured Markdown table; numeric columns right-aligned, the index first if `index`."""
    if index:
        frame = frame.reset_index(names=frame.index.name or "")
    numeric = set(frame.select_dtypes("number").columns)
    times = set(frame.select_dtypes(["datetime", "datetimetz"]).columns)
    cells = {c: (format_numbers(v, decimals) if c in numeric else format_times(v) if c in times
                 else [DASH if _missing(x) else escape(x) for x in v.tolist()])
             for c, v in frame.items()}
    header = "| " + " | ".join(escape(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---:" if c in numeric else ":---" for c in frame.columns) + "|"
    rows = ["| " + " | ".join(row) + " |" for row in zip(*cells.values(), strict=True)]
    return "\n".join([header, rule, *rows])
