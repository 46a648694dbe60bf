"""The training log's header: which column holds which field, by alias (several languages, configurable).

A unit may follow a header in parentheses ("Load (lb)"), or a load column may be headed by a unit
word ("lbs"). A blank or unknown header is not read; a field's second column is warned about.
"""

from __future__ import annotations

import re

from core.errors import BadInput
from core.units import KG_PER_LB

ALIASES = {
    "date": ["date", "day", "session date", "datum", "fecha", "data", "jour"],
    "exercise": ["exercise", "movement", "lift", "exercice", "übung", "ubung", "ejercicio", "esercizio"],
    "sets": ["sets", "séries", "series", "sätze", "satze", "serie"],
    "set": ["set", "set number", "set #", "set no", "set nr", "satz"],
    "reps": ["reps", "rep", "repetitions", "répétitions", "wdh", "wiederholungen", "repeticiones", "ripetizioni"],
    "load": ["load", "weight", "charge", "poids", "gewicht", "peso", "kg", "lb", "lbs"],
    "unit": ["unit", "units", "unité", "unite", "einheit", "unidad"],
    "notes": ["notes", "note", "comment", "comments", "remarques", "notizen", "notas"],
    "rpe": ["rpe", "@rpe", "effort", "perceived effort", "effort perçu", "ressenti", "anstrengung",
            "belastungsempfinden", "esfuerzo", "esfuerzo percibido", "sforzo"],
    "rir": ["rir", "reps in reserve", "reps in the tank", "répétitions en réserve", "reps en réserve",
            "wiederholungen in reserve", "repeticiones en reserva", "ripetizioni in riserva"],
}
REQUIRED = ("date", "exercise", "reps")
UNITS = {"kg": 1.0, "kgs": 1.0, "lb": KG_PER_LB, "lbs": KG_PER_LB}


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
        found = next((f for f, names in aliases.items() if name in names), None) if name else None
        if found is None:
            continue  # a blank or unknown header: the column is not read
        if found in columns:
            warnings.append(f"column {raw!r} appears twice; using the first one (column {columns[found] + 1})")
            continue
        if found == "load":  # "Load (lb)", or a header that is itself a unit word ("lbs")
            unit = unit or header_unit or (name if name in UNITS else None)
        columns[found] = index
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        raise BadInput("the training log", f"no column for {', '.join(missing)} (found: {', '.join(header)})",
                       action=f"Name the columns e.g. {', '.join(REQUIRED)}, sets, load, unit, rpe, notes - or set "
                              "[sheets] aliases. A file separated by something other than , ; tab or | is not "
                              "read as columns.")
    return columns, unit, warnings
