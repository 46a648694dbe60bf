"""Overview figures: latest body values, changes over standard periods, last run vs previous, last session.

Definitions (shown on the page too):
- Latest weight / fat ratio: the most recent weigh-in that has the value.
- A run's missing elevation gain stays missing (None, shown as "not recorded"), never 0 m.
- Change over a period P (7, 30, 365 days): mean of the weigh-ins in the 7 days ending at the latest
  weigh-in, minus the mean of the 7 days ending P days earlier. Each window needs at least
  MIN_WEIGH_INS values, otherwise the change is "not enough data" (None), never a misleading number.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

WINDOW = pd.Timedelta(days=7)
MIN_WEIGH_INS = 2
PERIODS = {"last week": 7, "last month": 30, "last year": 365}


@dataclass(frozen=True)
class Latest:
    """A latest value and when it was measured."""

    value: float
    time_utc: pd.Timestamp


def latest_value(body: pd.DataFrame, column: str) -> Latest | None:
    """The most recent non-missing value of a body column."""
    rows = body.dropna(subset=[column])
    if rows.empty:
        return None
    last = rows.loc[rows.time_utc.idxmax()]
    return Latest(float(last[column]), last.time_utc)


def window_mean(body: pd.DataFrame, column: str, end: pd.Timestamp) -> float | None:
    """Mean of a column over the 7 days ending at `end` (inclusive), or None if too few values."""
    values = body.loc[(body.time_utc > end - WINDOW) & (body.time_utc <= end), column].dropna()
    return float(values.mean()) if len(values) >= MIN_WEIGH_INS else None


def change_over(body: pd.DataFrame, column: str, days: int) -> float | None:
    """7-day mean now minus the 7-day mean `days` earlier; None when either window lacks data."""
    latest = latest_value(body, column)
    if latest is None:
        return None
    now = window_mean(body, column, latest.time_utc)
    before = window_mean(body, column, latest.time_utc - pd.Timedelta(days=days))
    return None if now is None or before is None else now - before


def changes(body: pd.DataFrame, column: str) -> dict[str, float | None]:
    """change_over for each standard period, keyed by its label."""
    return {label: change_over(body, column, days) for label, days in PERIODS.items()}


@dataclass(frozen=True)
class RunSummary:
    """One run's headline numbers (SI)."""

    start_time_local: pd.Timestamp
    name: str
    distance_m: float
    moving_time_s: float
    elevation_gain_m: float | None  # None when the run did not record it
    start_time_utc: pd.Timestamp | None = None  # the same start as an instant (shown in the app's time zone)

    @property
    def speed_mps(self) -> float:
        return self.distance_m / self.moving_time_s if self.moving_time_s else float("nan")


def last_two_runs(runs: pd.DataFrame) -> tuple[RunSummary | None, RunSummary | None]:
    """The latest run and the one before it (either may be None)."""
    ordered = runs.sort_values("start_time_utc")
    picked = [_summary(row) for _, row in ordered.tail(2).iloc[::-1].iterrows()]
    picked += [None] * (2 - len(picked))
    return picked[0], picked[1]


def _summary(row: pd.Series) -> RunSummary:
    return RunSummary(row.start_time_local, str(row["name"]), float(row.distance_m), float(row.moving_time_s),
                      float(row.elevation_gain_m) if pd.notna(row.elevation_gain_m) else None, row.start_time_utc)


def last_session(sets: pd.DataFrame) -> pd.DataFrame:
    """Every set of the most recent session date, by exercise and set number."""
    if sets.empty:
        return sets
    day = sets.session_date.max()
    session = sets[sets.session_date == day]
    return session.sort_values(["exercise", "set_number"], kind="stable").reset_index(drop=True)


def daily_mean(body: pd.DataFrame, column: str) -> pd.Series:
    """Mean of a column per local day (several weigh-ins a day count once), indexed by date."""
    rows = body.dropna(subset=[column])
    return rows.groupby("local_date")[column].mean()
