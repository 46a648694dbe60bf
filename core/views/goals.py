"""Goal progress as sentences for the pages (pure): numbers in the person's units, dates as '2 Mar 2026'."""

from __future__ import annotations

from core.analytics.activity_goals import WEEK, RunningGoalProgress, StrengthGoalProgress
from core.analytics.goals import AWAY, FAT_RATIO, FLAT, NO_RATE, REACHED, TOWARD, BodyGoalProgress
from core.units import Units
from core.views.format import format_day, format_number, signed


def _amount(value: float, metric: str, units: Units, decimals: int = 1, style: str = "level") -> str:
    """A level ('21.3 %', '80.1 kg'), a change ('2 pt', '3.5 kg') or a signed change ('-0.25 pt')."""
    number = value if metric == FAT_RATIO else units.mass_from_kg(value)
    text = signed(number, decimals) if style == "signed" else format_number(number, decimals)
    unit = units.mass if metric != FAT_RATIO else "%" if style == "level" else "pt"
    return f"{text} {unit}"


def body_goal_lines(p: BodyGoalProgress, units: Units) -> list[str]:
    """What the Weight page and the Overview say about a body goal, most important first."""
    to_go = _amount(abs(p.distance), p.metric, units, style="change")
    rate = f"{_amount(p.rate_per_week, p.metric, units, 2, 'signed')}/week" if p.rate_per_week is not None else ""
    lines = {
        REACHED: f"Goal reached: the trend ({_amount(p.current, p.metric, units)}) is within your maintenance band "
                 f"of {_amount(p.band_low, p.metric, units)} to {_amount(p.band_high, p.metric, units)}.",
        TOWARD: f"{to_go} to go; at the current {rate} you get there around {format_day(p.projected_date)}."
                if p.projected_date else f"{to_go} to go at {rate}: more than a century at this pace.",
        AWAY: f"{to_go} to go, and the trend is moving away from the goal ({rate}).",
        FLAT: f"{to_go} to go; the trend is flat ({rate}), so there is no date to project.",
        NO_RATE: f"{to_go} to go; not enough weigh-ins in the last 14 days for a rate.",
    }
    out = [lines[p.state]]
    if p.target_date_passed:
        out.append(f"The target date ({format_day(p.target_date)}) has passed: set a new one.")
    elif p.needed_per_week is not None:
        needed = f"{_amount(p.needed_per_week, p.metric, units, 2, 'signed')}/week"
        out.append(f"To reach it by {format_day(p.target_date)} you need {needed}"
                   + ("." if p.needed_realistic else ": faster than 1 % of body weight a week, which few sustain."))
    if p.planned_date is not None:
        out.append(f"At your planned {_amount(p.planned_per_week, p.metric, units, 2, 'signed')}/week you reach it "
                   f"around {format_day(p.planned_date)}; you are {'on' if p.on_plan else 'off'} plan.")
    if p.energy_kcal_per_day is not None:
        out.append(energy_line(p.energy_kcal_per_day))
    return out


def energy_line(kcal_per_day: float) -> str:
    """'The trend implies a deficit of about 450 kcal a day' (an estimate: docs/analytics.md)."""
    what = "surplus" if kcal_per_day > 0 else "deficit"
    return f"The trend implies a {what} of about {abs(round(kcal_per_day, -1)):.0f} kcal a day (an estimate)."


def running_goal_line(p: RunningGoalProgress, units: Units) -> str:
    """'32.4 of 40 km this week (81 %): 3.1 km ahead of pace; 7.6 km to go, 7.6 km a week.'"""
    dist = lambda m: f"{format_number(units.distance_from_m(m))} {units.distance}"  # noqa: E731
    period = "this week" if p.period == WEEK else f"in {p.period_start.year}"
    head = f"{format_number(units.distance_from_m(p.done_m))} of {dist(p.target_m)} {period} ({p.fraction:.0%})"
    if p.reached:
        return f"{head}: goal reached."
    pace = f"{dist(abs(p.ahead_m))} {'ahead of' if p.ahead_m >= 0 else 'behind'} pace"
    need = f"{dist(p.needed_per_week_m)} a week" if p.period != WEEK else f"in {p.days_left} days"
    return f"{head}: {pace}; {dist(p.remaining_m)} to go, {need}."


def strength_goal_line(p: StrengthGoalProgress, units: Units) -> str:
    """'Back squat: e1RM 112.5 kg of 120 kg; +1.2 kg/week, about 18 May 2026.'"""
    mass = lambda kg: f"{format_number(units.mass_from_kg(kg))} {units.mass}"  # noqa: E731
    if p.current_kg is None:
        return f"{p.exercise}: no loaded set in the last 8 weeks to estimate a one-rep max from."
    head = f"{p.exercise}: estimated 1RM {mass(p.current_kg)} of {mass(p.target_kg)}"
    head += " (from a high-rep set, low confidence)" if p.low_confidence else ""
    if p.reached:
        return f"{head}: goal reached."
    trend = (f"{signed(units.mass_from_kg(p.trend_kg_per_week), 1)} {units.mass}/week"
             if p.trend_kg_per_week is not None else "too few recent sessions for a trend")
    when = f", about {format_day(p.projected_date)}" if p.projected_date else ""
    return f"{head}; {trend}{when}."
