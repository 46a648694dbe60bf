"""The training log's rows -> set records (pure). Every row is stored or quarantined with a reason.

Columns are found by alias (several languages; configurable), a unit may follow in the header
("Load (lb)") or sit in a `unit` column per row. Numbers accept comma decimals ("72,3"), dates
several formats (ISO, day-first with / . -, or month-first when configured). A `sets` column (a count)
expands into that many sets; a `set` column numbers one set per row. Blank rows are ignored; a row
identical to an earlier one is quarantined as a probable copy-paste duplicate.
Keys are content keys ("log:<hash>"), the same for the sheet and a CSV of the same rows.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from core.errors import BadInput
from core.records import SET, Record, day_start_utc
from core.units import KG_PER_LB

ALIASES = {
    "date": ["date", "day", "session date", "datum", "fecha", "data", "jour"],
    "exercise": ["exercise", "movement", "lift", "exercice", "übung", "ubung", "ejercicio", "esercizio"],
    "sets": ["sets", "séries", "series", "sätze", "satze", "serie"],
    "set": ["set", "set number", "set #", "set no", "set nr"],
    "reps": ["reps", "rep", "repetitions", "répétitions", "wdh", "wiederholungen", "repeticiones", "ripetizioni"],
    "load": ["load", "weight", "charge", "poids", "gewicht", "peso", "kg", "lb", "lbs"],
    "unit": ["unit", "units", "unité", "unite", "einheit", "unidad"],
    "notes": ["notes", "note", "comment", "comments", "remarques", "notizen", "notas"],
}
REQUIRED = ("date", "exercise", "reps")
UNITS = {"kg": 1.0, "kgs": 1.0, "lb": KG_PER_LB, "lbs": KG_PER_LB}
MAX_REPS, MAX_SETS, MAX_LOAD_KG = 1000, 50, 1000.0  # beyond these a value is a typo, not a set
DAY_FIRST = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y/%m/%d", "%d/%m/%y", "%d.%m.%y")
MONTH_FIRST = ("%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y", "%Y/%m/%d", "%m/%d/%y")


@dataclass(frozen=True)
class LogFormat:
    """How the training log is written ([sheets] unit, date_order, aliases): the sheet and a CSV share it."""

    unit: str = "kg"
    month_first: bool = False
    aliases: dict[str, list[str]] | None = None


@dataclass
class Parsed:
    """Records, quarantined rows with reasons, warnings about the sheet, and how many rows were read."""

    records: list[Record] = field(default_factory=list)
    quarantine: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_stored: int = 0


def _norm(header: str) -> tuple[str, str | None]:
    """'Load (lb)' -> ('load', 'lb')."""
    text = header.strip().lower()
    unit = re.search(r"\((kg|kgs|lb|lbs)\)", text)
    return re.sub(r"\s*\(.*?\)\s*", " ", text).strip(), unit.group(1) if unit else None


def map_columns(header: list[str], extra: dict[str, list[str]] | None = None) -> tuple[dict, str | None, list]:
    """Column index per field, a unit found in a header, and warnings; BadInput if a required one is missing."""
    aliases = {k: [a.lower() for a in v + (extra or {}).get(k, [])] for k, v in ALIASES.items()}
    columns, unit, warnings = {}, None, []
    for index, raw in enumerate(header):
        name, header_unit = _norm(raw)
        if not name:
            continue  # a blank header: the column is ignored
        found = next((f for f, names in aliases.items() if name in names), None)
        if found is None:
            continue
        if found in columns:
            warnings.append(f"column {raw!r} appears twice; using the first one (column {columns[found] + 1})")
            continue
        if found == "load":  # "Load (lb)", or a header that is itself a unit word ("lbs")
            unit = unit or header_unit or (name if name in UNITS else None)
        columns[found] = index
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        raise BadInput("the training log", f"no column for {', '.join(missing)} (found: {', '.join(header)})",
                       action=f"Name the columns e.g. {', '.join(REQUIRED)}, sets, load, unit, notes - or set "
                              "[sheets] aliases.")
    return columns, unit, warnings


def parse_date(text: str, month_first: bool = False) -> date:
    """A date in one of the accepted formats."""
    value = text.strip()
    for fmt in MONTH_FIRST if month_first else DAY_FIRST:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"date {value!r} not understood (use e.g. 2026-03-02 or 02/03/2026)")


def parse_number(text: str, what: str) -> float:
    """'72,3' -> 72.3, '1 000,5' -> 1000.5; an error names the column and the text."""
    value = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in value and "." in value:  # thousands separators: whichever comes last is the decimal mark
        comma_decimal = value.rfind(",") > value.rfind(".")
        value = value.replace(".", "").replace(",", ".") if comma_decimal else value.replace(",", "")
    else:
        value = value.replace(",", ".")
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{what} {text.strip()!r} is not a number") from None
    if number != number:
        raise ValueError(f"{what} {text.strip()!r} is not a number")
    return number


def parse_rows(rows: list[list[str]], source: str, default_unit: str = "kg", month_first: bool = False,
               aliases: dict[str, list[str]] | None = None) -> Parsed:
    """Header row then data rows; row numbers in messages are the sheet's (header = row 1)."""
    if not rows:
        return Parsed()
    columns, header_unit, warnings = map_columns([str(c) for c in rows[0]], aliases)
    out, seen = Parsed(warnings=warnings), {}
    for number, raw in enumerate(rows[1:], start=2):
        cells = [str(c) for c in raw] + [""] * (len(rows[0]) - len(raw))  # ragged rows are padded
        if not any(c.strip() for c in cells):
            continue
        out.rows_read += 1
        try:
            row = _row(cells, columns, header_unit or default_unit, month_first)
        except ValueError as exc:
            out.quarantine.append({"row": number, "reason": str(exc)})
            continue
        if row in seen:
            out.quarantine.append({"row": number, "reason": f"same as row {seen[row]} (a duplicate? to log it "
                                                             "twice, use the sets column)"})
            continue
        seen[row] = number
        out.records += _records(row, source)
        out.rows_stored += 1
    return out


def _cell(cells: list[str], columns: dict, name: str) -> str:
    return cells[columns[name]].strip() if name in columns else ""


def _row(cells: list[str], columns: dict, unit: str, month_first: bool) -> tuple:
    day = parse_date(_cell(cells, columns, "date"), month_first)
    exercise = " ".join(_cell(cells, columns, "exercise").split())
    if not exercise:
        raise ValueError("the exercise is empty")
    reps = parse_number(_cell(cells, columns, "reps"), "reps")
    sets_text, set_text = _cell(cells, columns, "sets"), _cell(cells, columns, "set")
    sets = parse_number(sets_text, "sets") if sets_text else 1.0
    set_no = parse_number(set_text, "set") if set_text else None
    load_text = _cell(cells, columns, "load")
    match = re.fullmatch(r"(.*?)\s*(kg|kgs|lb|lbs)?", load_text.lower())
    row_unit = (_cell(cells, columns, "unit").lower() or match.group(2) or unit).strip()
    if row_unit not in UNITS:
        raise ValueError(f"unit {row_unit!r} unknown (use kg or lb)")
    load = parse_number(match.group(1), "load") * UNITS[row_unit] if match.group(1) else 0.0
    for value, what, top in ((reps, "reps", MAX_REPS), (sets, "sets", MAX_SETS)):
        if value != int(value) or not 0 < value <= top:
            raise ValueError(f"{what} {value:g} is not a whole number between 1 and {top}")
    if not 0 <= load <= MAX_LOAD_KG:
        raise ValueError(f"load {load:g} kg is outside 0-{MAX_LOAD_KG:g} kg")
    return (day, exercise, int(sets), None if set_no is None else int(set_no), int(reps), round(load, 3),
            _cell(cells, columns, "notes"))


def _records(row: tuple, source: str) -> list[Record]:
    day, exercise, sets, set_no, reps, load, notes = row
    numbers = [set_no] if set_no is not None else range(1, sets + 1)
    out = []
    for n in numbers:
        content = f"{day}|{exercise.lower()}|{n}|{reps}|{load:.3f}|{notes}"
        key = "log:" + hashlib.sha256(content.encode()).hexdigest()[:20]
        fields = {"session_date": day.isoformat(), "exercise": exercise, "set_number": n, "reps": reps,
                  "load_kg": load, "notes": notes}
        out.append(Record(SET, source, key, day_start_utc(day), fields, {"row": list(map(str, row))}))
    return out
