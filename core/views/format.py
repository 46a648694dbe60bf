"""Numbers, durations and dates as the pages show them: the one place text is made from a value.

Units are converted before (core/units.py: conversions only); these functions only write the result.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

DASH = "–"  # a missing value
NB_HYPHEN, NB_SPACE = "\u2011", "\u00a0"  # keep a date on one line in a narrow column


def format_pace(seconds: float) -> str:
    """Seconds per unit distance as m:ss ('–' when unknown)."""
    if seconds != seconds or seconds <= 0:  # NaN or impossible
        return DASH
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


def signed(value: float, decimals: int = 1) -> str:
    """A change with its sign, never '-0.0' (a rounding of a tiny loss shows as '±0.0')."""
    text = f"{value:+.{decimals}f}"
    return "±" + text[1:] if float(text) == 0 else text


def format_day(value: date) -> str:
    """'2 Mar 2026'."""
    return f"{value.day} {value:%b %Y}"


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
    """Numbers with a thousands separator and `decimals` decimals (none if all are whole), a dash for missing."""
    numbers = values.tolist()
    whole = all(missing(v) or float(v).is_integer() for v in numbers)
    pattern = "{:,.0f}" if whole else f"{{:,.{decimals}f}}"
    return [DASH if missing(v) else pattern.format(v) for v in numbers]


def format_times(values: pd.Series) -> list[str]:
    """Dates (with the time of day only if some have one) that never wrap: non-breaking hyphens, a dash for missing."""
    times = pd.to_datetime(values)
    pattern = "%Y-%m-%d" if (times.dropna() == times.dropna().dt.normalize()).all() else "%Y-%m-%d %H:%M"
    return [DASH if t is pd.NaT else t.strftime(pattern).replace("-", NB_HYPHEN).replace(" ", NB_SPACE)
            for t in times]


def format_duration(seconds: float) -> str:
    """A duration as h:mm:ss, or m:ss under an hour ('–' when unknown)."""
    if missing(seconds) or seconds < 0:
        return DASH
    hours, rest = divmod(round(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
