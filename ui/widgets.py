"""Widgets that own their session-state key and return a plain value."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from core.views import tables
from ui import prefs

RANGE_PRESETS = {"Last 3 months": 91, "Last 12 months": 365, "Last 2 years": 730, "All": None, "Custom": -1}


def metric(column, label: str, value: str, *args, **kwargs) -> None:
    """st.metric with its value's colons escaped: Streamlit reads a value as Markdown, and "3:00:00" holds ":00:",
    an emoji shortcode to it, so a new tab would fetch its emoji plugin (~260 kB) for a duration. Shown unchanged."""
    column.metric(label, str(value).replace(":", "\\:"), *args, **kwargs)


def date_range(key: str, dates: pd.Series, default: str | None = None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """A preset or custom range of local dates, clipped to the data; returns (start, end) inclusive. It starts on
    `default`, else the person's default period (their preferences), else the last 12 months."""
    default = default or prefs.range_label()
    first, last = dates.min().date(), dates.max().date()
    preset = st.selectbox("Period", list(RANGE_PRESETS), index=list(RANGE_PRESETS).index(default),
                          key=f"{key}_preset")
    days = RANGE_PRESETS[preset]
    if days == -1:
        picked = st.date_input("From - to", value=(max(first, last - timedelta(days=365)), last),
                               min_value=first, max_value=last, key=f"{key}_custom")
        start, end = (picked if isinstance(picked, tuple) and len(picked) == 2 else (first, last))
    else:
        start, end = (first if days is None else max(first, last - timedelta(days=days - 1))), last
    return pd.Timestamp(start), pd.Timestamp(end)


def as_date(ts: pd.Timestamp) -> date:
    """A timestamp's calendar date (for captions)."""
    return ts.date()


# The static tables' look, close to Streamlit's Markdown tables; grey rules read on the light and the dark theme.
STATIC_TABLE_CSS = (".fd-scroll{overflow-x:auto;margin:0 0 1rem}"
                    ".fd-table{border-collapse:collapse;font-size:0.875rem}"
                    ".fd-table th,.fd-table td{padding:0.25rem 0.4rem;border-bottom:1px solid rgba(128,128,128,0.3);"
                    "text-align:left;vertical-align:bottom}.fd-table th{font-weight:600}"
                    ".fd-table td{white-space:nowrap}"
                    ".fd-table .num{text-align:right;font-variant-numeric:tabular-nums}")


def static_table(frame: pd.DataFrame, *, decimals: int = 2) -> None:
    """A longer read-only table as plain HTML (core/views/tables.py): drawn in one go on a chart-heavy page."""
    table = tables.html_table(frame, decimals=decimals)
    st.html(f'<style>{STATIC_TABLE_CSS}</style><div class="fd-scroll">{table}</div>')


def table(frame: pd.DataFrame, *, hide_index: bool = True, decimals: int = 2) -> None:
    """A small read-only table as Markdown (core/views/tables.py): no table code to load, no Arrow conversion."""
    st.markdown(tables.markdown_table(frame, index=not hide_index, decimals=decimals))
