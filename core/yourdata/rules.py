"""What a person may type into a record: the editable fields of each kind and their allowed values, in one place.

`validate(kind, fields)` is the one check manual entries and edits go through; it returns (field, message) pairs,
empty when everything is acceptable. The allowed ranges are the importers' (core/plausible.py), so a value typed
in a form is held to exactly what a file row is. Training sets typed in a form are also read by the training
log's own parser (core/yourdata/entry.py), exactly as an import.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from typing import Any

from core.plausible import BOUNDS, COUNTS, WHOLE
from core.records import BODY, COLUMNS, RUN, SET
from core.sources.strava.parse import RUN_TYPES

Problem = tuple[str, str]  # (field, message)

# The fields a person may change; times and keys are not among them (a wrong time: delete and enter again).
EDITABLE: dict[str, tuple[str, ...]] = {
    BODY: ("weight_kg", "fat_ratio_pct"),
    RUN: ("name", "sport_type", "distance_m", "moving_time_s", "elevation_gain_m"),
    SET: ("exercise", "reps", "load_kg", "notes") + tuple(c for c in ("rpe", "rir") if c in COLUMNS[SET]),
}
# The numeric fields a form may set, each held to its range in core/plausible.py.
RANGES = frozenset({"weight_kg", "fat_ratio_pct", "distance_m", "moving_time_s", "elevation_gain_m", "reps",
                    "load_kg", "rpe", "rir"})
MAX_SPEED_MPS = BOUNDS["average_speed_mps"].high * BOUNDS["average_speed_mps"].scale  # a distance or time typo
CHOICES = {"sport_type": tuple(sorted(RUN_TYPES))}  # the fields picked from a list, not typed
TEXT_LIMITS = {"name": 200, "exercise": 100, "notes": 500, "sport_type": 40}
REQUIRED_TEXT = frozenset({"exercise"})
WORDS = {"weight_kg": "weight", "fat_ratio_pct": "fat ratio", "distance_m": "distance", "moving_time_s": "moving time",
         "elevation_gain_m": "elevation gain", "load_kg": "load", "rpe": "RPE", "rir": "reps in reserve"}


def word(name: str) -> str:
    """A field's name for a person."""
    return WORDS.get(name, name.replace("_", " "))


def clean_text(value: str) -> str:
    """Text as stored: control characters removed (a pasted tab or escape), whitespace collapsed."""
    kept = "".join(" " if unicodedata.category(c).startswith("C") else c for c in str(value))
    return " ".join(kept.split())


def _number_problem(name: str, value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return f"{word(name)} {value!r} is not a number"
    bound = BOUNDS[name]
    shown = value / bound.scale
    if name in WHOLE and shown != int(shown):
        return f"{word(name)} {shown:g} is not a whole number"
    if not bound.holds(shown):
        unit = "" if bound.unit in COUNTS else f" {bound.unit}"
        return f"{word(name)} {round(shown, 3):g}{unit} is outside the allowed range {bound.text()}"
    return None


def _text_problem(name: str, value: Any) -> str | None:
    if not isinstance(value, str):
        return f"{word(name)} must be text"
    if name in REQUIRED_TEXT and not clean_text(value):
        return f"the {word(name)} is empty"
    if len(value) > TEXT_LIMITS[name]:
        return f"{word(name)} has {len(value)} characters (at most {TEXT_LIMITS[name]})"
    if name == "sport_type" and value not in RUN_TYPES:
        return f"sport type {value!r} is not a run ({', '.join(sorted(RUN_TYPES))})"
    return None


def validate(kind: str, fields: Mapping[str, Any]) -> list[Problem]:
    """Every problem with these values of a record of `kind` (None means 'not recorded' and is allowed)."""
    problems = []
    for name, value in fields.items():
        if value is None and name not in REQUIRED_TEXT:
            continue
        check = _text_problem if name in TEXT_LIMITS else _number_problem if name in RANGES else None
        problem = check(name, value) if check else None
        if problem:
            problems.append((name, problem))
    if kind == RUN and not problems:
        distance, moving = fields.get("distance_m"), fields.get("moving_time_s")
        if distance and moving and distance / moving > MAX_SPEED_MPS:
            problems.append(("moving_time_s", f"{distance / 1000:g} km in {moving:g} s is faster than any run "
                                              f"({MAX_SPEED_MPS * 3.6:g} km/h): check the distance and the time"))
    return problems


def editable_problems(kind: str, changes: Mapping[str, Any]) -> list[Problem]:
    """Fields that cannot be edited here (times, keys, derived values)."""
    allowed = EDITABLE[kind]
    return [(name, f"{word(name)} cannot be edited (editable: {', '.join(word(n) for n in allowed)})")
            for name in changes if name not in allowed]
