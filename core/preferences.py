"""Per-user preferences kept in the store, not in the browser tab: units, default date range, time zone, goals.

One document per username (collection `preferences`), read and written by compare-and-set on its version, so two
tabs saving at once never lose each other's change silently: `save_preferences` refuses a stale version
(EditConflict), `update_preferences` re-reads and re-applies one change. Everyone, a viewer too, has their own
and writes only their own. A value left unset (None) follows the deployment's setting ([app] units, timezone).
A stored document that holds a value this version cannot use (hand-edited, or written by a newer version) is
read without that value, never refused: the page still opens.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.analytics.activity_goals import WEEK, YEAR, RunningGoal, StrengthGoal
from core.analytics.goals import FAT_RATIO, WEIGHT, BodyGoal
from core.errors import EditConflict, InvalidEntry
from core.plausible import BOUNDS
from core.store.base import Store
from core.units import SYSTEMS
from core.yourdata.access import Actor, require_self
from core.yourdata.rules import clean_text

log = logging.getLogger(__name__)
COLLECTION = "preferences"
# A goal is a body one can live in (narrower than what a scale may read: core/plausible.py).
GOAL_RANGES = {"weight_kg": (20.0, 400.0, "kg"), "fat_ratio_pct": (2.0, 75.0, "%")}
DATE_RANGES = {"3 months": 91, "12 months": 365, "2 years": 730, "all": None}  # days; None: everything
MAX_STRENGTH_GOALS = 20  # one per lift someone follows; bounds the document
MAX_WEEKLY_RATE = {WEIGHT: 2.0, FAT_RATIO: 2.0}  # kg or points a week: beyond, a typo
BAND_LIMITS = (0.1, 10.0)
RUN_LIMITS_M = {WEEK: (100.0, 1_000_000.0), YEAR: (1_000.0, 50_000_000.0)}
CAS_ATTEMPTS = 5


@dataclass(frozen=True)
class Preferences:
    """One person's preferences; None follows the deployment's setting."""

    units: str | None = None
    date_range: str | None = None
    timezone: str | None = None
    body_goal: BodyGoal | None = None
    running_goals: tuple[RunningGoal, ...] = ()  # at most one per period (week, year)
    strength_goals: tuple[StrengthGoal, ...] = ()


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _goal_body(goal: Any) -> dict:
    data = {k: v for k, v in goal.__dict__.items() if v is not None}
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in data.items()}


def preferences_body(prefs: Preferences) -> dict:
    """The stored JSON of preferences."""
    return {"units": prefs.units, "date_range": prefs.date_range, "timezone": prefs.timezone,
            "body_goal": _goal_body(prefs.body_goal) if prefs.body_goal else None,
            "running_goals": [_goal_body(g) for g in prefs.running_goals],
            "strength_goals": [_goal_body(g) for g in prefs.strength_goals]}


def _parts(body: Mapping[str, Any]) -> dict[str, Any]:
    """Each part of a stored body as typed values; a part that cannot be read raises (caught per part)."""
    readers: dict[str, Callable[[Any], Any]] = {
        "units": lambda v: v, "date_range": lambda v: v, "timezone": lambda v: v,
        "body_goal": lambda v: BodyGoal(**{**v, "target_date": _day(v.get("target_date"))}) if v else None,
        "running_goals": lambda v: tuple(RunningGoal(**g) for g in v or ()),
        "strength_goals": lambda v: tuple(StrengthGoal(**{**g, "target_date": _day(g.get("target_date"))})
                                          for g in v or ()),
    }
    parts = {}
    for name, read in readers.items():
        try:
            parts[name] = read(body.get(name))
        except (TypeError, ValueError, AttributeError) as exc:
            log.warning("preferences: stored %s not readable (%s); using the default", name, type(exc).__name__)
    return parts


def preferences_of(body: Mapping[str, Any]) -> Preferences:
    """Preferences from a stored body, leaving out any value that is unreadable or not allowed."""
    prefs = Preferences(**_parts(body))
    for name, _ in validate_preferences(prefs):
        part = name.split("[")[0].split(".")[0]
        log.warning("preferences: stored %s not allowed; using the default", part)
        prefs = replace(prefs, **{part: getattr(Preferences(), part)})
    return prefs


def _zone_ok(name: str) -> bool:
    try:
        ZoneInfo(name)
        return True
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):  # OSError: a name too long for a file
        return False


def _body_goal_problems(goal: BodyGoal) -> list[tuple[str, str]]:
    if goal.metric not in (WEIGHT, FAT_RATIO):  # a tuple: an unhashable stored value is simply not allowed
        return [("body_goal.metric", f"goal metric {goal.metric!r} is neither weight nor fat ratio")]
    low, high, unit = GOAL_RANGES[goal.metric]
    problems = []
    if not isinstance(goal.target, int | float) or not low <= goal.target <= high:
        problems.append(("body_goal.target", f"goal {goal.target!r} is outside {low:g}-{high:g} {unit}"))
    if goal.target_date and goal.weekly_rate:
        problems.append(("body_goal.weekly_rate", "give a target date or a weekly rate, not both"))
    rate = goal.weekly_rate
    if rate is not None and (not isinstance(rate, int | float) or not 0 < abs(rate) <= MAX_WEEKLY_RATE[goal.metric]):
        problems.append(("body_goal.weekly_rate", f"weekly rate {goal.weekly_rate!r} is not between 0 and "
                                                  f"{MAX_WEEKLY_RATE[goal.metric]:g} a week"))
    if not isinstance(goal.band, int | float) or not BAND_LIMITS[0] <= goal.band <= BAND_LIMITS[1]:
        problems.append(("body_goal.band", f"maintenance band {goal.band!r} is outside {BAND_LIMITS[0]:g}-"
                                           f"{BAND_LIMITS[1]:g}"))
    return problems


def _activity_goal_problems(prefs: Preferences) -> list[tuple[str, str]]:
    problems = []
    periods = [g.period for g in prefs.running_goals]
    for i, goal in enumerate(prefs.running_goals):
        low, high = RUN_LIMITS_M[goal.period] if goal.period in (WEEK, YEAR) else (0, -1)
        if not isinstance(goal.distance_m, int | float) or not low <= goal.distance_m <= high:
            problems.append((f"running_goals[{i}]", f"a {goal.period!r} running goal of {goal.distance_m!r} m is "
                                                    "not allowed (a week or a year, a plausible distance)"))
    if len(set(periods)) < len(periods):
        problems.append(("running_goals", "one running goal per period (week, year)"))
    if len(prefs.strength_goals) > MAX_STRENGTH_GOALS:
        problems.append(("strength_goals", f"at most {MAX_STRENGTH_GOALS} strength goals"))
    names = [clean_text(g.exercise).lower() if isinstance(g.exercise, str) else "" for g in prefs.strength_goals]
    for i, goal in enumerate(prefs.strength_goals):
        if not names[i] or len(goal.exercise) > 100 or not isinstance(goal.e1rm_kg, int | float) \
                or not 1 <= goal.e1rm_kg <= BOUNDS["load_kg"].high:
            problems.append((f"strength_goals[{i}]", f"strength goal {goal.exercise!r} {goal.e1rm_kg!r} kg is not "
                                                     f"allowed (an exercise name, 1-{BOUNDS['load_kg'].high:g} kg)"))
    if len(set(names)) < len(names):
        problems.append(("strength_goals", "one strength goal per exercise"))
    return problems


def validate_preferences(prefs: Preferences) -> list[tuple[str, str]]:
    """Every (field, message) that makes these preferences not storable."""
    problems = []
    if prefs.units is not None and prefs.units not in tuple(SYSTEMS):
        problems.append(("units", f"units {prefs.units!r} are neither metric nor imperial"))
    if prefs.date_range is not None and prefs.date_range not in tuple(DATE_RANGES):
        problems.append(("date_range", f"date range {prefs.date_range!r} is not one of {', '.join(DATE_RANGES)}"))
    if prefs.timezone is not None and not _zone_ok(prefs.timezone):
        problems.append(("timezone", f"time zone {str(prefs.timezone)[:60]!r} is unknown (e.g. Europe/Paris)"))
    if prefs.body_goal is not None:
        problems += _body_goal_problems(prefs.body_goal)
    return problems + _activity_goal_problems(prefs)


def load_preferences(store: Store, username: str) -> tuple[Preferences, int]:
    """A person's preferences and their version (the defaults and 0 when none are stored)."""
    doc = store.get_document(COLLECTION, username)
    return (preferences_of(doc.body), doc.version) if doc else (Preferences(), 0)


def save_preferences(store: Store, actor: Actor, username: str, prefs: Preferences, expected_version: int) -> int:
    """Store one's own preferences over the version read; the new version (EditConflict when stale)."""
    require_self(actor, username, "change the preferences")
    if problems := validate_preferences(prefs):
        raise InvalidEntry("the preferences", problems)
    if not store.put_document(COLLECTION, username, preferences_body(prefs), expected_version):
        raise EditConflict(f"the preferences of {username} were saved from another tab meanwhile")
    return expected_version + 1


def update_preferences(store: Store, actor: Actor, username: str,
                       change: Callable[[Preferences], Preferences]) -> tuple[Preferences, int]:
    """Apply one change (e.g. the units switch) to the latest stored preferences, re-reading on a lost race."""
    require_self(actor, username, "change the preferences")
    for _ in range(CAS_ATTEMPTS):
        prefs, version = load_preferences(store, username)
        updated = change(prefs)
        try:
            return updated, save_preferences(store, actor, username, updated, version)
        except EditConflict:
            continue
    raise EditConflict(f"the preferences of {username} kept changing from other tabs")
