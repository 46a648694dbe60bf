"""Everything stored, as a ZIP of one CSV per kind: the person's own copy, which `import` reads back whole.

One row per record with its source and key, SI units. Times are ISO-8601 (UTC with a Z; local times
without a zone), dates YYYY-MM-DD, set numbers and reps integers, other numbers in full precision (a
float's repr reads back to the same float). Text that a spreadsheet would run as a formula (starting
with = + - @, a tab or a carriage return) gets a leading apostrophe, and so does text that already
starts with one, so the importer (core/sources/files/backup.py) strips exactly one. Numbers are
written as numbers and never prefixed: "-3.5" stays a number.
"""

from __future__ import annotations

import csv
import io
import math
import zipfile

import pandas as pd

from core.records import COLUMNS, KINDS, META_COLUMNS, column_type
from core.store.base import Store

FILE_NAMES = {"body": "body_measurements.csv", "run": "runs.csv", "set": "training_sets.csv"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")  # OWASP's CSV-injection list, plus our own escape
INTEGERS = frozenset({"set_number", "reps"})


def neutralise(text: str) -> str:
    """Text a spreadsheet shows as text: a leading apostrophe before a formula's first character."""
    return "'" + text if text.startswith(FORMULA_START) else text


def cell(column: str, value) -> str:
    """One value as the export writes it (empty when missing)."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return ""
    kind = column_type(column)
    if kind == "utc":
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if kind == "local":
        return value.isoformat()
    if kind == "date":
        return value.strftime("%Y-%m-%d")
    if kind == "text":
        return neutralise(str(value))
    number = float(value)
    return str(int(number)) if column in INTEGERS and number.is_integer() else repr(number)


def kind_csv(frame: pd.DataFrame, kind: str) -> str:
    """The CSV text of one kind's frame (as store.read returns it)."""
    columns = list(COLUMNS[kind]) + list(META_COLUMNS)
    out = io.StringIO()
    writer = csv.writer(out)  # CRLF line ends: a field holding \r or \n is then quoted
    writer.writerow(columns)
    for row in frame[columns].itertuples(index=False, name=None):
        writer.writerow([cell(c, v) for c, v in zip(columns, row, strict=True)])
    return out.getvalue()


def export_zip(store: Store) -> bytes:
    """The ZIP's bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind in KINDS:
            archive.writestr(FILE_NAMES[kind], kind_csv(store.read(kind), kind))
    return buffer.getvalue()
