"""This app's own export (core/export.py) read back: every record with its source, key and fields.

A backup is restored whole: values are not range-checked (the store accepted them, API values
included), only read as their column's type. The apostrophe the export puts before text starting
like a formula (or with an apostrophe) is stripped; other text is kept as it is, so an export of
an older version (which did not neutralise) reads back too. Empty text is "" except for a route
(no route: none). Exports written before set numbers became integers ("3.0") and before RPE and
RIR were columns are read too.
"""

from __future__ import annotations

from datetime import date, datetime

from core.export import FORMULA_START
from core.plausible import finite
from core.records import BODY, COLUMNS, META_COLUMNS, RUN, Record, column_type, day_start_utc, iso_utc, parse_utc
from core.sources.rows import Duplicates

INTEGERS = frozenset({"set_number", "reps"})
NULLABLE_TEXT = frozenset({"summary_polyline"})


def backup_kind(header: list[str]) -> str | None:
    """The record kind whose export this header is, or None."""
    names = [h.strip() for h in header]
    for kind, columns in COLUMNS.items():
        if names and names[0] == columns[0] and set(META_COLUMNS) <= set(names) <= set(columns) | set(META_COLUMNS):
            return kind
    return None


def typed(column: str, text: str):
    """A cell of the export as the field value it was; None when empty."""
    kind = column_type(column)
    if kind == "text":
        text = text[1:] if text[:1] == "'" and text[1:2] and text[1] in FORMULA_START else text
        return None if not text and column in NULLABLE_TEXT else text
    if not text.strip():
        return None
    if kind == "utc":
        return iso_utc(parse_utc(text.strip().replace(" ", "T")))
    if kind == "local":
        return datetime.fromisoformat(text.strip()).isoformat()
    if kind == "date":
        return date.fromisoformat(text.strip()[:10]).isoformat()
    try:
        number = float(text)
    except ValueError:
        raise ValueError("not a number") from None
    finite(number, column, repr(text))
    return int(number) if column in INTEGERS and number.is_integer() else number


class BackupRows:
    """Records of one kind from its CSV in the export."""

    def __init__(self, kind: str, header: list[str]) -> None:
        self.kind, self.kinds = kind, (kind,)
        self.at = {h.strip(): i for i, h in enumerate(header)}
        self.duplicates = Duplicates()
        self.keys = Duplicates("the same key as row {row} with other values: only that row was read")

    def __call__(self, number: int, row: list[str]) -> list[Record]:
        value = lambda c: row[self.at[c]] if c in self.at and self.at[c] < len(row) else ""  # noqa: E731
        self.duplicates.check(tuple(row), number)
        source, key = typed("source", value("source")), typed("key", value("key"))
        if not source or not key:
            raise ValueError("no source or no key: not a row of this app's export")
        self.keys.check((key,), number)
        fields = {}
        for column in COLUMNS[self.kind]:
            try:
                parsed = typed(column, value(column))
            except ValueError as exc:
                raise ValueError(f"{column} {value(column)!r} not understood ({exc})") from None
            if parsed is not None:
                fields[column] = parsed
        return [Record(self.kind, source, key, _time(self.kind, fields), fields, {"export": "fitdash"})]


def _time(kind: str, fields: dict) -> datetime:
    """The record's time, as its source gives it: the UTC time, or midnight UTC of a session's date."""
    column = {BODY: "time_utc", RUN: "start_time_utc"}.get(kind, "session_date")
    if column not in fields:
        raise ValueError(f"no {column}: the row has no time")
    return parse_utc(fields[column]) if column != "session_date" else day_start_utc(
        date.fromisoformat(fields[column]))
