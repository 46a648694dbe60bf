"""File imports (admin only): the format is detected from the content, never from the file name alone.

Accepted: Strava's bulk export (the ZIP, or its activities.csv), Withings' export (the ZIP, or its
weight.csv, in any of the common languages), and a training-log CSV in the sheet's layout. An import
adds only what the store does not already hold (same natural keys as the API sources), so importing
a file twice adds nothing and an import never overwrites what an API sync stored.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field

from core.errors import BadInput
from core.records import Record
from core.sources.exports.parse import read_csv, strava_runs, withings_weights
from core.sources.sheets.parse import parse_rows
from core.store.base import Store

ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class ImportReport:
    """What an import did."""

    name: str
    format: str
    read: int
    new: int
    already: int
    quarantine: list[dict] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.name}: {self.format}, {self.read} rows read, {self.new} new, {self.already} already stored, "
                f"{len(self.quarantine)} not readable")


def _from_zip(data: bytes, name: str) -> tuple[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = {m.split("/")[-1].lower(): m for m in archive.namelist()}
        for wanted in ("activities.csv", "weight.csv"):
            if wanted in members and (wanted == "weight.csv" or members[wanted].count("/") == 0):
                return wanted, archive.read(members[wanted])
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise BadInput(name, "the ZIP is damaged or incomplete (an interrupted download?)",
                       action="Download the export again and import the new file.") from exc
    raise BadInput(name, "this ZIP holds neither activities.csv (Strava) nor weight.csv (Withings)")


def parse_file(data: bytes, name: str, timezone: str) -> tuple[str, list[Record], list[dict], int]:
    """(format, records, quarantined rows, rows read) of an uploaded file."""
    if data.startswith(ZIP_MAGIC):
        inner, data = _from_zip(data, name)
        name = f"{name}/{inner}"
    rows = read_csv(data, name)
    if not rows:
        raise BadInput(name, "the file is empty")
    header = [h.strip().lower() for h in rows[0]]
    if "activity id" in header:
        records, quarantine = strava_runs(rows, name)
        return "Strava activities", records, quarantine, len(rows) - 1
    try:
        parsed = parse_rows(rows, "csv")
        return "training log", parsed.records, parsed.quarantine, parsed.rows_read
    except BadInput:
        pass  # not a training log: maybe a Withings export
    records, quarantine = withings_weights(rows, name, timezone)
    return "Withings weights", records, quarantine, len(rows) - 1


def import_file(store: Store, data: bytes, name: str, timezone: str = "UTC") -> ImportReport:
    """Parse, then store only records whose natural key is not stored yet."""
    fmt, records, quarantine, read = parse_file(data, name, timezone)
    sources = store.counts()
    known: dict[str, set[str]] = {}
    for kind in {r.kind for r in records}:  # keys already stored by any source (API, sheet, earlier import)
        known[kind] = set().union(*(store.keys(kind, src) for k, src in sources if k == kind))
    fresh = [r for r in records if r.key not in known[r.kind]]
    counts = store.upsert(fresh)
    return ImportReport(name, fmt, read, counts.inserted, len(records) - len(fresh), quarantine)
