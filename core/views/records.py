"""Records a person corrects or removes on the page that shows them (pure): labels to pick one, the editable
fields in the person's units, the changes back in SI units, and a record's history as a table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd

from core.errors import InvalidEntry
from core.records import BODY, RUN, SET
from core.units import Units
from core.views.format import format_duration
from core.yourdata import Conflict, Provenance
from core.yourdata.rules import CHOICES, EDITABLE, word

PICK_LIMIT = 200  # the newest records offered to correct: a selectbox, not a browser of ten years
KIND_TITLES = {BODY: "weigh-ins", RUN: "runs", SET: "training sets"}
# The fields the page's form edits (core/yourdata/rules.py EDITABLE has them all) and how each is shown.
FORM_FIELDS = {BODY: ("weight_kg", "fat_ratio_pct"),
               RUN: ("name", "sport_type", "distance_m", "moving_time_s", "elevation_gain_m"),
               SET: tuple(n for n in ("exercise", "reps", "load_kg", "rpe", "rir", "notes") if n in EDITABLE[SET])}
MASS, DISTANCE, CLIMB = {"weight_kg", "load_kg"}, {"distance_m"}, {"elevation_gain_m"}
TEXT, DURATION = {"name", "exercise", "notes"}, {"moving_time_s"}  # typed as text; a duration as h:mm:ss


def _num(value: Any, digits: int = 1) -> str:
    return "" if value is None or pd.isna(value) else f"{float(value):.{digits}f}"


def record_label(kind: str, row: Mapping[str, Any], units: Units) -> str:
    """'2026-11-20 07:31 · 80.4 kg · withings' for a weigh-in, a run or a set."""
    if kind == BODY:
        when = pd.Timestamp(row["time_utc"]).strftime("%Y-%m-%d %H:%M UTC")
        fat = f" · {_num(row.get('fat_ratio_pct'))} %" if not pd.isna(row.get("fat_ratio_pct")) else ""
        text = f"{when} · {_num(units.mass_from_kg(row['weight_kg']))} {units.mass}{fat}" \
            if not pd.isna(row.get("weight_kg")) else f"{when}{fat}"
    elif kind == RUN:
        text = (f"{pd.Timestamp(row['start_time_local']):%Y-%m-%d %H:%M} · {row.get('name') or 'Run'} · "
                f"{_num(units.distance_from_m(row['distance_m']), 2)} {units.distance}")
    else:
        load = f" × {_num(units.mass_from_kg(row['load_kg']))} {units.mass}" if not pd.isna(row.get("load_kg")) else ""
        text = f"{pd.Timestamp(row['session_date']):%Y-%m-%d} · {row['exercise']} set {int(row['set_number'])} · " \
               f"{int(row['reps'])} reps{load}"
    return f"{text} · {row['source']}"


def record_choices(frame: pd.DataFrame, *, kind: str, units: Units) -> dict[str, str]:
    """key -> label of the newest PICK_LIMIT shown records, newest first."""
    order = {BODY: "time_utc", RUN: "start_time_utc", SET: "session_date"}[kind]
    newest = frame.sort_values(order, ascending=False, kind="stable").head(PICK_LIMIT)
    return {row["key"]: record_label(kind, row, units) for row in newest.to_dict("records")}


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    value: Any  # in the person's units; text for a text or duration field
    text: bool = False
    choices: tuple[str, ...] = ()  # a pick from these instead of a typed value


def _unit(name: str, units: Units) -> str:
    return units.mass if name in MASS else units.distance if name in DISTANCE else units.elevation if name in CLIMB \
        else "h:mm:ss" if name in DURATION else "%" if name == "fat_ratio_pct" else ""


def _shown(name: str, value: Any, units: Units) -> Any:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "" if name in TEXT | DURATION else None
    if name in MASS:
        return round(units.mass_from_kg(value), 2)
    if name in DURATION:
        return format_duration(value)
    if name in CLIMB:
        return round(float(units.elevation_from_m(value)), 1)
    return round(units.distance_from_m(value), 3) if name in DISTANCE else value


def form_fields(kind: str, shown: Mapping[str, Any], units: Units) -> list[FormField]:
    """The fields the edit form shows, with the record's current values in the person's units."""
    out = []
    for name in FORM_FIELDS[kind]:
        unit = _unit(name, units)
        label = word(name).capitalize() + (f" ({unit})" if unit else "")
        out.append(FormField(name, label, _shown(name, shown.get(name), units), text=name in TEXT | DURATION,
                             choices=CHOICES.get(name, ())))
    return out


def _stored(name: str, value: Any, units: Units) -> Any:
    """A typed value back in stored units (kg, m, s); empty text or an emptied number is 'not recorded' (None)."""
    if value is None or (isinstance(value, str) and not value.strip() and name != "exercise"):
        return None  # an emptied exercise stays "" so that the check names it
    if name in MASS:
        return value / units.kg_factor
    if name in DISTANCE:
        return value / units.m_factor
    if name in CLIMB:
        return value / units.elevation_factor
    if name in DURATION:
        return duration_s(value)
    return int(value) if name in ("reps", "rir") and value == int(value) else value


def changes_of(fields: list[FormField], typed: Mapping[str, Any], units: Units) -> dict[str, Any]:
    """The fields the person changed, back in stored units. A field left as shown is not sent (its shown value
    is rounded: sending it would be an edit of nothing); a duration that is not one raises InvalidEntry."""
    return {f.name: _stored(f.name, typed[f.name], units) for f in fields if typed[f.name] != f.value}


def stored_word(name: str) -> str:
    """A field's name with the unit its stored values are in ('weight (kg)')."""
    unit = "kg" if name in MASS else "m" if name in DISTANCE | CLIMB else "s" if name in DURATION else \
        "%" if name == "fat_ratio_pct" else ""
    return f"{word(name)} ({unit})" if unit else word(name)


def history_table(p: Provenance) -> pd.DataFrame:
    """Who changed what and when, newest first: one row per field of each change (before -> after)."""
    rows = [{"when (UTC)": datetime.fromisoformat(c.at).strftime("%Y-%m-%d %H:%M"), "who": c.by, "what": c.action,
             "field": stored_word(name), "before": before, "after": after}
            for c in reversed(p.history) for name, (before, after) in (c.fields.items() or {"": ("", "")}.items())]
    return pd.DataFrame(rows, columns=["when (UTC)", "who", "what", "field", "before", "after"])


def provenance_lines(p: Provenance) -> list[str]:
    """Where the record comes from, who entered it, what replaced it, which edits the source superseded."""
    lines = [f"Source: {p.source} (key {p.natural_key})."]
    if p.entered.get("entered_by"):
        lines.append(f"Entered by {p.entered['entered_by']} at {p.entered.get('entered_at')}.")
    if p.replaced_by:
        lines.append(f"Replaced by {p.replaced_by}: the provider's record is shown instead of this entry.")
    lines += [f"Your {word(e.field)} {e.value!r} is superseded: the source now says {e.source_now!r}."
              for e in p.edits if not e.applies]
    return lines


def required(where: str, typed: Mapping[str, Any], names: tuple[str, ...]) -> None:
    """InvalidEntry naming each required field left empty."""
    if empty := [(n, f"enter the {word(n)}") for n in names if typed.get(n) is None or typed.get(n) == ""]:
        raise InvalidEntry(where, empty)


def duration_s(text: str) -> float | None:
    """'45:30' or '1:02:03' (or minutes alone, '50') as seconds; None when empty; InvalidEntry otherwise."""
    value = (text or "").strip()
    if not value:
        return None
    parts = value.split(":")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        numbers = []
    if not 1 <= len(numbers) <= 3 or any(n < 0 or n != n for n in numbers) or any(n >= 60 for n in numbers[1:]):
        raise InvalidEntry("the run", [("moving_time_s", f"moving time {value[:20]!r} is not h:mm:ss, mm:ss or "
                                                         "minutes (e.g. 52:30)")])
    if len(numbers) == 1:
        return numbers[0] * 60
    return sum(n * 60 ** i for i, n in enumerate(reversed(numbers)))


def conflict_line(c: Conflict) -> str:
    """'Your weigh-in (manual:withings:2026-03-10T07:30:00) was replaced by withings:...: weight (kg) 80.4 yours,
    80.65 withings's.'"""
    what = {BODY: "weigh-in", RUN: "run", SET: "training set"}[c.kind]
    diffs = "; ".join(f"{stored_word(n)} {typed!r} yours, {theirs!r} {c.provider_source}'s"
                      for n, (typed, theirs) in c.differences.items())
    return f"Your {what} ({c.manual_key}) was replaced by {c.provider_key}, with other values: {diffs}."
