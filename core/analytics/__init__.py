"""Pure analytics: DataFrame in, DataFrame (or small dataclasses) out; no I/O, no Streamlit."""

from __future__ import annotations

import pandas as pd


def between(frame: pd.DataFrame | pd.Series, day: pd.Series | pd.Index, start: pd.Timestamp | None,
            end: pd.Timestamp | None) -> pd.DataFrame | pd.Series:
    """The rows of `frame` whose `day` lies in [start, end]; either bound may be None (open)."""
    mask = pd.Series(True, index=frame.index)
    if start is not None:
        mask &= pd.Series(day >= start, index=frame.index)
    if end is not None:
        mask &= pd.Series(day <= end, index=frame.index)
    return frame[mask]


def monday(dates: pd.Series | pd.DatetimeIndex) -> pd.Series | pd.DatetimeIndex:
    """The Monday of each date's local week (weeks run Monday to Sunday)."""
    days = dates.day_of_week if isinstance(dates, pd.DatetimeIndex) else dates.dt.day_of_week
    return dates - pd.to_timedelta(days, unit="D")
