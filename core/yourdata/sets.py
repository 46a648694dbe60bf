"""Typed training sets, read by the training log's own parser: the same validation and the same content keys.

The form's values become cells of a log in its layout (date, exercise, set, reps, load, unit, notes, rpe), one
row per set, and `parse_rows` turns them into records exactly as it does a sheet or a CSV row. (The `rpe` cell is
stored as a field once the log's parser reads an RPE column; until then it is kept in the record's raw payload.)
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from core.errors import InvalidEntry
from core.plausible import BOUNDS
from core.records import SET, Record, day_start_utc
from core.sources.sheets.parse import UNITS, parse_rows
from core.store.base import Store
from core.store.overlay import MANUAL, MANUAL_PREFIX
from core.yourdata.rules import clean_text, validate

HEADER = ["date", "exercise", "set", "reps", "load", "unit", "notes", "rpe"]
WHERE = "the training sets"
MAX_SETS = int(BOUNDS["sets"].high)


def _problems(form: dict, moment: datetime) -> list[tuple[str, str]]:
    problems = validate(SET, {"rpe": form["rpe"], "exercise": form["exercise"], "notes": form["notes"]})
    sets = form["sets"]
    if isinstance(sets, bool) or not isinstance(sets, int | float) or sets != int(sets) or not 1 <= sets <= MAX_SETS:
        problems.append(("sets", f"sets {sets!r} is not a whole number between 1 and {MAX_SETS}"))
    if str(form["unit"]).lower() not in UNITS:
        problems.append(("unit", f"unit {form['unit']!r} unknown (use kg or lb)"))
    if not isinstance(form["day"], date) or not date(1900, 1, 1) <= form["day"] <= moment.date() + timedelta(days=1):
        problems.append(("session_date", f"session date {form['day']} is not a past date"))
    return problems


def next_set_number(store: Store, day: date, exercise: str) -> int:
    """1 + the highest set number of this exercise on this day (1 when there is none)."""
    sets = store.read(SET, day_start_utc(day), day_start_utc(day) + timedelta(days=1))
    same = sets[sets.exercise.str.lower() == clean_text(exercise).lower()]
    return 1 if same.empty else int(same.set_number.max()) + 1


def set_records(store: Store, form: dict, provenance: dict, moment: datetime) -> list[Record]:
    """The sets of one form as manual records (InvalidEntry with every problem, or a reason of the parser)."""
    if problems := _problems(form, moment):
        raise InvalidEntry(WHERE, problems)
    first = next_set_number(store, form["day"], form["exercise"])
    cells = [form["day"].isoformat(), clean_text(form["exercise"]), "", str(form["reps"]),
             "" if form["load"] is None else str(form["load"]), str(form["unit"]).lower(), clean_text(form["notes"]),
             "" if form["rpe"] is None else str(form["rpe"])]
    rows = [HEADER] + [[*cells[:2], str(n), *cells[3:]] for n in range(first, first + int(form["sets"]))]
    parsed = parse_rows(rows, MANUAL)
    if parsed.quarantine:
        reason = parsed.quarantine[0]["reason"]
        raise InvalidEntry(WHERE, [(reason.split()[0], reason)])
    return [Record(SET, MANUAL, MANUAL_PREFIX + r.key, r.time_utc, r.fields, {**provenance, "row": r.raw["row"]})
            for r in parsed.records]
