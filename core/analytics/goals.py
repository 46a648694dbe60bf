"""Body goals (a weight or a fat ratio), pure. Definitions (docs/analytics.md repeats them for people):

- Current value: the trend (core/analytics/weight.py ewma_trend) at the last weigh-in; rate: weight.py's weekly
  rate (slope of the daily values over the last 14 days, x 7). Nothing is recomputed differently here.
- Distance: target - current (negative: to lose). Reached: the current value is within the maintenance band
  (target +/- band, 1 kg or 1 point by default); the band then is where to stay.
- Toward / away / flat: the rate's sign against the distance's; |rate| below FLAT_RATE is flat (no projection).
  Projected date: the last weigh-in's date + distance / rate weeks, when moving toward the target.
- Needed rate: distance / weeks left until the target date (from today). Realistic up to 1 % of the current
  weight a week (weight) or 0.8 point a week (fat ratio: 1 % of the weight as pure fat moves a 20 % ratio by
  about 0.8 point). A target date today or earlier is `target_date_passed` (no needed rate).
- A goal with a weekly rate instead of a date: the date that rate reaches the target from today, and whether the
  current rate is on that plan (toward the target at PLAN_SHARE of the planned rate or more).
- Energy balance: rate (kg/week) x KCAL_PER_KG / 7 per day; positive is a surplus. See docs/analytics.md for
  what the constant ignores (water, glycogen, lean tissue).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from core.analytics import weight as wa

WEIGHT, FAT_RATIO = "weight_kg", "fat_ratio_pct"
REACHED, TOWARD, AWAY, FLAT, NO_RATE = "reached", "toward", "away", "flat", "no rate"
DEFAULT_BAND = 1.0  # +/- 1 kg (or 1 point): a day's water swings the scale by about that much
FLAT_RATE = {WEIGHT: 0.05, FAT_RATIO: 0.05}  # per week: below this the 14-day slope is noise, not a direction
MAX_WEEKLY_SHARE = 0.01  # 1 % of body weight a week: the usual upper bound for a sustainable loss or gain
MAX_RATIO_PT = 0.8  # points a week: what 1 % of body weight of pure fat moves a 20 % fat ratio by
PLAN_SHARE = 0.8  # "on plan": at least 80 % of the planned rate, toward the target
KCAL_PER_KG = 7700.0  # energy in a kg of body fat (~87 % fat tissue at 9 kcal/g): Wishnofsky's rule
MAX_WEEKS = 5200  # a projection beyond 100 years is no date


@dataclass(frozen=True)
class BodyGoal:
    """A target weight (kg) or fat ratio (%), with a target date or a weekly rate (signed), and a band."""

    metric: str
    target: float
    target_date: date | None = None
    weekly_rate: float | None = None
    band: float = DEFAULT_BAND


@dataclass(frozen=True)
class BodyGoalProgress:
    """Where the trend stands against a body goal (numbers only; goal_text.py makes sentences)."""

    metric: str
    current: float  # the trend at `as_of`
    as_of: date  # the last weigh-in's local date
    target: float
    distance: float  # target - current
    rate_per_week: float | None
    state: str  # REACHED, TOWARD, AWAY, FLAT, NO_RATE
    band_low: float
    band_high: float
    projected_date: date | None = None
    weeks_to_goal: float | None = None
    target_date: date | None = None
    target_date_passed: bool = False
    needed_per_week: float | None = None
    needed_realistic: bool | None = None
    planned_per_week: float | None = None
    planned_date: date | None = None
    on_plan: bool | None = None
    energy_kcal_per_day: float | None = None  # weight goals: the balance the current rate implies


def energy_balance(rate_kg_per_week: float | None) -> float | None:
    """Estimated daily surplus (+) or deficit (-) in kcal implied by a weight rate in kg/week."""
    return None if rate_kg_per_week is None else rate_kg_per_week * KCAL_PER_KG / 7


def date_after(start: date, weeks: float) -> date | None:
    """The date `weeks` weeks after start (None for a negative or endless wait)."""
    return start + timedelta(days=round(weeks * 7)) if 0 <= weeks <= MAX_WEEKS else None


def direction(distance: float, rate: float | None, flat: float) -> str:
    """TOWARD, AWAY, FLAT or NO_RATE for a rate against the distance still to go."""
    if rate is None:
        return NO_RATE
    if abs(rate) < flat:
        return FLAT
    return TOWARD if rate * distance > 0 else AWAY


def realistic(metric: str, per_week: float, current: float) -> bool:
    """A weekly change one can sustain: within 1 % of the weight, or 0.8 point of fat ratio."""
    limit = MAX_RATIO_PT if metric == FAT_RATIO else MAX_WEEKLY_SHARE * current
    return abs(per_week) <= limit


def body_progress(goal: BodyGoal, current: float, rate: float | None, as_of: date, today: date) -> BodyGoalProgress:
    """The arithmetic of a body goal from the current trend value and the 14-day weekly rate."""
    distance = goal.target - current
    reached = abs(distance) <= goal.band
    state = REACHED if reached else direction(distance, rate, FLAT_RATE.get(goal.metric, 0.05))
    weeks = distance / rate if state == TOWARD and rate else None
    return BodyGoalProgress(
        metric=goal.metric, current=current, as_of=as_of, target=goal.target, distance=distance, rate_per_week=rate,
        state=state, band_low=goal.target - goal.band, band_high=goal.target + goal.band,
        projected_date=date_after(as_of, weeks) if weeks is not None else None, weeks_to_goal=weeks,
        energy_kcal_per_day=energy_balance(rate) if goal.metric == WEIGHT else None,
        **_by_date(goal, current, distance, reached, today), **_by_plan(goal, distance, rate, state, reached, today))


def _by_date(goal: BodyGoal, current: float, distance: float, reached: bool, today: date) -> dict:
    """The target date's part: passed, or the weekly rate it needs and whether that is realistic."""
    if goal.target_date is None:
        return {}
    weeks_left = (goal.target_date - today).days / 7
    if weeks_left <= 0 or reached:
        return {"target_date": goal.target_date, "target_date_passed": weeks_left <= 0}
    needed = distance / weeks_left
    return {"target_date": goal.target_date, "needed_per_week": needed,
            "needed_realistic": realistic(goal.metric, needed, current)}


def _by_plan(goal: BodyGoal, distance: float, rate: float | None, state: str, reached: bool, today: date) -> dict:
    """The planned weekly rate's part: the date it reaches the target from today, and whether the trend keeps it."""
    if not goal.weekly_rate or reached:
        return {}
    return {"planned_per_week": goal.weekly_rate, "planned_date": date_after(today, distance / goal.weekly_rate),
            "on_plan": state == TOWARD and abs(rate or 0) >= PLAN_SHARE * abs(goal.weekly_rate)}


def body_goal_status(body: pd.DataFrame, goal: BodyGoal, today: date) -> BodyGoalProgress | None:
    """body_progress from the body frame (None without a measurement of the goal's metric)."""
    daily = wa.daily_first(body, goal.metric)
    if daily.empty:
        return None
    trend = wa.ewma_trend(daily)
    return body_progress(goal, float(trend.iloc[-1]), wa.weekly_rate(daily), trend.index[-1].date(), today)


def implied_energy(body: pd.DataFrame) -> float | None:
    """The daily energy balance the weight's current 14-day rate implies (None with too few weigh-ins)."""
    return energy_balance(wa.weekly_rate(wa.daily_first(body, WEIGHT)))
