"""Numbers, durations and dates as the pages show them: the one place text is made from a value.

The rules, for every page, table, metric and chart:
- a number has a comma between thousands and never ends in a zero decimal ("97.5", "32", "1,458.9");
- a duration is h:mm:ss ("1:05:09", "0:36:06");
- a date is "12 Apr 2026" (a time of day after it: "12 Apr 2026 18:34"), never ISO;
- charts follow the same rules through the d3 formats below (plotly writes the hover and tick text).

Units are converted before (core/units.py: conversions only); these functions only write the result.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd

DASH = "–"  # a missing value
NB_SPACE = "\u00a0"  # keeps a date on one line in a narrow column
D3_DAY = "%-d %b %Y"  # plotly's hover and tick text of a date: "12 Apr 2026"


def d3_number(decimals: int) -> str:
    """The d3 format of a number under these rules: thousands separated, zero decimals trimmed (',.1~f')."""
    return f",.{decimals}~f"


def format_number(value: float, decimals: int = 1) -> str:
    """'1,458.9', '97.5', '32': rounded to `decimals`, thousands separated, no zero decimal at the end."""
    text = f"{value:,.{decimals}f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text in ("-0", "") else text


def signed(value: float, decimals: int = 1) -> str:
    """A change with its sign, never '-0' (a rounding of a tiny loss shows as '±0')."""
    text = format_number(value, decimals)
    return "±0" if text == "0" else text if text.startswith("-") else "+" + text


def format_pace(seconds: float) -> str:
    """Seconds per unit distance as m:ss ('–' when unknown)."""
    if seconds != seconds or seconds <= 0:  # NaN or impossible
        return DASH
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


def format_duration(seconds: float) -> str:
    """A duration as h:mm:ss ('0:36:06'), '–' when unknown."""
    if missing(seconds) or seconds < 0:
        return DASH
    hours, rest = divmod(round(seconds), 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


def format_day(value: date) -> str:
    """'2 Mar 2026'."""
    return f"{value.day} {value:%b %Y}"


def format_moment(value: datetime) -> str:
    """'2 Mar 2026 18:34'."""
    return f"{format_day(value)} {value:%H:%M}"


def humanize_age(age: timedelta) -> str:
    """'just now', '5 min ago', '2 h ago', '3 days ago'."""
    seconds = age.total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 2 * 86400:
        return f"{int(seconds // 3600)} h ago"
    return f"{int(seconds // 86400)} days ago"


def missing(value: object) -> bool:
    """None, NaN, NaT or pandas' NA (whose `!=` is NA, not a bool, in string and nullable columns)."""
    return value is None or bool(pd.isna(value))


def format_numbers(values: pd.Series, decimals: int) -> list[str]:
    """Each number under the rules above (at most `decimals` decimals), a dash for missing."""
    return [DASH if missing(v) else format_number(float(v), decimals) for v in values.tolist()]


def format_durations(values: pd.Series) -> list[str]:
    """Durations (timedeltas) as h:mm:ss, a dash for missing."""
    return [DASH if missing(v) else format_duration(v.total_seconds()) for v in values.tolist()]


def format_times(values: pd.Series) -> list[str]:
    """Dates (with the time of day only if some have one) that never wrap: non-breaking spaces, a dash for missing."""
    times = pd.to_datetime(values)
    with_time = not (times.dropna() == times.dropna().dt.normalize()).all()
    return [DASH if t is pd.NaT else (format_moment(t) if with_time else format_day(t)).replace(" ", NB_SPACE)
            for t in times]
