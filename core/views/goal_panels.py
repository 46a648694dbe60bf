"""What a page's goal panel says, and goals from the forms' values (pure): the person types in their own units,
goals are stored in kg and metres (core/preferences.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from core.analytics.activity_goals import (
    WEEK,
    YEAR,
    RunningGoal,
    StrengthGoal,
    running_goal_progress,
    strength_goal_progress,
)
from core.analytics.goals import FAT_RATIO, WEIGHT, BodyGoal, body_goal_status, implied_energy
from core.errors import InvalidEntry
from core.units import Units
from core.views.goals import body_goal_lines, energy_line, running_goal_line, strength_goal_line

METRIC_WORDS = {WEIGHT: "weight", FAT_RATIO: "fat ratio"}
PERIOD_WORDS = {WEEK: "a week", YEAR: "a year"}
NO_GOAL = "No goal set yet: set one below (a target, optionally a date or a weekly rate)."


def body_panel(body: pd.DataFrame, goal: BodyGoal | None, today: date, units: Units) -> list[str]:
    """The body goal's sentences (distance, projected date, needed rate, band) and the implied energy balance."""
    energy = implied_energy(body)
    energy_lines = [energy_line(energy)] if energy is not None else []
    if goal is None:
        return [NO_GOAL, *energy_lines]
    progress = body_goal_status(body, goal, today)
    if progress is None:
        return [f"No {METRIC_WORDS[goal.metric]} measurement yet to compare with your goal."]
    lines = body_goal_lines(progress, units)
    return lines if goal.metric == WEIGHT else lines + energy_lines


def _number(value: float | None, name: str, where: str) -> float:
    if value is None:
        raise InvalidEntry(where, [(name, f"enter the {name}")])
    return float(value)


def body_goal_of(metric: str, target: float | None, target_date: date | None, weekly_rate: float | None,
                 band: float | None, units: Units) -> BodyGoal:
    """A body goal from the form (mass in the person's unit, a fat ratio in %); InvalidEntry for a missing target."""
    factor = 1.0 if metric == FAT_RATIO else units.kg_factor
    target_kg = _number(target, "target", "the goal") / factor
    return BodyGoal(metric, target_kg, target_date, None if not weekly_rate else weekly_rate / factor,
                    _number(band, "maintenance band", "the goal") / factor)


def body_form_values(goal: BodyGoal | None, units: Units) -> dict:
    """A stored goal as the form shows it (the person's units); empty fields without a goal."""
    if goal is None:
        return {"metric": WEIGHT, "target": None, "target_date": None, "weekly_rate": None,
                "band": round(units.mass_from_kg(1.0), 1)}
    factor = 1.0 if goal.metric == FAT_RATIO else units.kg_factor
    return {"metric": goal.metric, "target": round(goal.target * factor, 1), "target_date": goal.target_date,
            "weekly_rate": None if goal.weekly_rate is None else round(goal.weekly_rate * factor, 2),
            "band": round(goal.band * factor, 1)}


@dataclass(frozen=True)
class RunningLine:
    text: str
    fraction: float  # done / target, for a progress bar (capped at 1 by the page)


def running_panel(runs: pd.DataFrame, goals: tuple[RunningGoal, ...], today: date, units: Units) -> list[RunningLine]:
    """Each running goal's progress this week / this year (weekly first)."""
    ordered = sorted(goals, key=lambda g: (g.period != WEEK, g.period))
    out = []
    for goal in ordered:
        progress = running_goal_progress(runs, goal, today)
        out.append(RunningLine(running_goal_line(progress, units), progress.fraction))
    return out


def running_goal_of(period: str, distance: float | None, units: Units) -> RunningGoal:
    """A running goal from the form (distance in km or mi)."""
    return RunningGoal(period, _number(distance, "distance", "the running goal") / units.m_factor)


def with_running_goal(goals: tuple[RunningGoal, ...], goal: RunningGoal | None, period: str) -> tuple:
    """The goals with this period's replaced (or removed when goal is None)."""
    return tuple(g for g in goals if g.period != period) + ((goal,) if goal else ())


def strength_goal_for(goals: tuple[StrengthGoal, ...], exercise: str) -> StrengthGoal | None:
    """The goal naming this exercise (case and spacing ignored)."""
    wanted = " ".join(exercise.split()).lower()
    return next((g for g in goals if " ".join(g.exercise.split()).lower() == wanted), None)


def strength_panel(sets: pd.DataFrame, goal: StrengthGoal | None, today: date, units: Units) -> str | None:
    """The sentence for the exercise's goal (None without one)."""
    return strength_goal_line(strength_goal_progress(sets, goal, today), units) if goal else None


def strength_goal_of(exercise: str, e1rm: float | None, target_date: date | None, units: Units) -> StrengthGoal:
    """A strength goal from the form (the e1RM in the person's mass unit)."""
    return StrengthGoal(exercise, _number(e1rm, "estimated one-rep max", "the strength goal") / units.kg_factor,
                        target_date)


def with_strength_goal(goals: tuple[StrengthGoal, ...], goal: StrengthGoal | None, exercise: str) -> tuple:
    """The goals with this exercise's replaced (or removed when goal is None)."""
    other = strength_goal_for(goals, exercise)
    return tuple(g for g in goals if g is not other) + ((goal,) if goal else ())
