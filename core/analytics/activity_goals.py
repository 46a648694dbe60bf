"""Running and strength goals, pure. Definitions (docs/analytics.md repeats them):

- Running goal: a distance per local Monday-Sunday week or per calendar year. Done: the distance of the runs
  whose local start date lies in the period up to today. Expected by now: the target x the share of the
  period's days elapsed (today included). On pace: done >= expected. Needed per week: what is left / the weeks
  left (today included); projected: done / days elapsed x days in the period.
- Strength goal: an estimated one-rep max for an exercise (the name compared without case or extra spaces).
  Per session the best Epley estimate counts (core/analytics/strength.py e1rm_by_session). Current: the best
  session estimate of the last CURRENT_WEEKS; trend: the least-squares slope of the session estimates over the
  last TREND_WEEKS (kg per week, from MIN_TREND_SESSIONS sessions); projected date: when that trend reaches
  the target. Reached: the current estimate is at or above the target.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from core.analytics.goals import date_after
from core.analytics.running import local_day
from core.analytics.strength import LOW_CONFIDENCE_REPS, e1rm_by_session

WEEK, YEAR = "week", "year"
CURRENT_WEEKS = 8  # older bests are history, not the current strength
TREND_WEEKS = 12
MIN_TREND_SESSIONS = 3


@dataclass(frozen=True)
class RunningGoal:
    """A distance (m) per week or per year."""

    period: str
    distance_m: float


@dataclass(frozen=True)
class RunningGoalProgress:
    period: str
    period_start: date
    period_end: date  # inclusive
    target_m: float
    done_m: float
    fraction: float  # done / target
    expected_m: float  # pro rata of the days elapsed
    ahead_m: float  # done - expected (negative: behind)
    on_pace: bool
    reached: bool
    remaining_m: float
    days_left: int  # today included
    needed_per_week_m: float | None  # None once reached
    projected_m: float  # at the pace so far


def period_bounds(period: str, today: date) -> tuple[date, date]:
    """First and last day of the week (Monday-Sunday) or year that holds today."""
    if period == WEEK:
        start = today - timedelta(days=today.weekday())
        return start, start + timedelta(days=6)
    return date(today.year, 1, 1), date(today.year, 12, 31)


def running_goal_progress(runs: pd.DataFrame, goal: RunningGoal, today: date) -> RunningGoalProgress:
    """Progress of a weekly or yearly distance goal on `today` (a local date)."""
    start, end = period_bounds(goal.period, today)
    days = local_day(runs).dt.date
    done = float(runs.distance_m[(days >= start) & (days <= today)].sum())
    total_days, elapsed = (end - start).days + 1, (today - start).days + 1
    expected = goal.distance_m * elapsed / total_days
    remaining = max(goal.distance_m - done, 0.0)
    days_left = (end - today).days + 1
    return RunningGoalProgress(goal.period, start, end, goal.distance_m, done, done / goal.distance_m, expected,
                               done - expected, done >= expected, done >= goal.distance_m, remaining, days_left,
                               remaining / (days_left / 7) if remaining else None, done / elapsed * total_days)


@dataclass(frozen=True)
class StrengthGoal:
    """A target estimated one-rep max (kg) for an exercise, optionally by a date."""

    exercise: str
    e1rm_kg: float
    target_date: date | None = None


@dataclass(frozen=True)
class StrengthGoalProgress:
    exercise: str
    target_kg: float
    current_kg: float | None  # best session estimate of the last CURRENT_WEEKS (None: no recent loaded set)
    current_date: date | None
    low_confidence: bool  # the current estimate comes from a set of more than 10 reps
    best_kg: float | None  # best ever, and when
    best_date: date | None
    distance_kg: float | None  # target - current
    reached: bool
    trend_kg_per_week: float | None
    projected_date: date | None
    target_date: date | None
    needed_per_week_kg: float | None


def same_exercise(names: pd.Series, exercise: str) -> pd.Series:
    """Rows naming this exercise, whatever the case or spacing."""
    wanted = " ".join(exercise.split()).lower()
    return names.astype("string").str.split().str.join(" ").str.lower() == wanted


def _slope_per_week(sessions: pd.DataFrame) -> float | None:
    if len(sessions) < MIN_TREND_SESSIONS or sessions.session_date.nunique() < 2:
        return None
    x = (sessions.session_date - sessions.session_date.min()).dt.days.to_numpy(dtype=float)
    return float(np.polyfit(x, sessions.epley_kg.to_numpy(dtype=float), 1)[0] * 7)


def strength_goal_progress(sets: pd.DataFrame, goal: StrengthGoal, today: date) -> StrengthGoalProgress:
    """Progress of an e1RM goal for one exercise on `today`."""
    sessions = e1rm_by_session(sets[same_exercise(sets.exercise, goal.exercise)])
    sessions = sessions.assign(session_date=pd.to_datetime(sessions.session_date))
    today_ts = pd.Timestamp(today)
    recent = sessions[sessions.session_date > today_ts - pd.Timedelta(weeks=CURRENT_WEEKS)]
    top = recent.loc[recent.epley_kg.idxmax()] if not recent.empty else None
    best = sessions.loc[sessions.epley_kg.idxmax()] if not sessions.empty else None
    current = float(top.epley_kg) if top is not None else None
    trend = _slope_per_week(sessions[sessions.session_date > today_ts - pd.Timedelta(weeks=TREND_WEEKS)])
    distance = goal.e1rm_kg - current if current is not None else None
    reached = distance is not None and distance <= 0
    projected = date_after(today, distance / trend) if distance and not reached and trend and trend > 0 else None
    weeks_left = (goal.target_date - today).days / 7 if goal.target_date else 0
    return StrengthGoalProgress(
        goal.exercise, goal.e1rm_kg, current, top.session_date.date() if top is not None else None,
        bool(top.reps > LOW_CONFIDENCE_REPS) if top is not None else False,
        float(best.epley_kg) if best is not None else None, best.session_date.date() if best is not None else None,
        distance, reached, trend, projected, goal.target_date,
        distance / weeks_left if distance is not None and not reached and weeks_left > 0 else None)
