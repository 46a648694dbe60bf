"""File imports (admin only): the format is detected from the content, never from the file name alone.

Accepted: Strava's bulk export (the ZIP, or its activities.csv), Withings' export (the ZIP, or its
weight.csv, in any of the common languages), and a training-log CSV in the sheet's layout. An import
adds only what the store does not already hold (same natural keys as the API sources), so importing
a file twice adds nothing and an import never overwrites what an API sync stored.

An import writes under the sync lease, like a sync: two writers at once could lose a newly created
month on DynamoDB. While a sync runs, an import raises SyncBusy (naming the holder) and stores nothing;
a damaged store is reported before anything is written. A successful import leaves the `import` sync
state (exports/state.py), so the sidebar counts it as fresh data. A training-log
CSV is read with the sheet's settings ([sheets] unit, date_order, aliases), so its rows get the
same keys as the same rows in the sheet.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from core import lease
from core.errors import BadInput
from core.records import Record
from core.sources.exports.parse import read_csv, strava_runs, withings_weights
from core.sources.exports.state import import_state
from core.sources.sheets.parse import LogFormat, parse_rows
from core.store.base import Store
from core.store.maintenance import check_store

ZIP_MAGIC = b"PK\x03\x04"
DEFAULT_LOG = LogFormat()  # kg, day-first dates, built-in aliases: the sheet's defaults


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


def _wall_clock() -> datetime:
    return datetime.now(UTC)


def _is_strava_activities(data: bytes) -> bool:
    """Strava's activities.csv starts with "Activity ID"; Withings' export has an activities.csv too (from,to,...)."""
    first_line = data[:4096].decode("utf-8-sig", errors="ignore").splitlines()[:1]
    return bool(first_line) and "activity id" in first_line[0].lower()


def _from_zip(data: bytes, name: str) -> tuple[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = {m.split("/")[-1].lower(): m for m in archive.namelist()}
        if "activities.csv" in members:
            content = archive.read(members["activities.csv"])
            if _is_strava_activities(content):
                return "activities.csv", content
        if "weight.csv" in members:
            return "weight.csv", archive.read(members["weight.csv"])
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise BadInput(name, "the ZIP is damaged or incomplete (an interrupted download?)",
                       action="Download the export again and import the new file.") from exc
    raise BadInput(name, "this ZIP holds neither activities.csv (Strava) nor weight.csv (Withings)")


def parse_file(data: bytes, name: str, timezone: str,
               log_format: LogFormat = DEFAULT_LOG) -> tuple[str, list[Record], list[dict], int]:
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
        parsed = parse_rows(rows, "csv", log_format.unit, log_format.month_first, log_format.aliases)
        return "training log", parsed.records, parsed.quarantine, parsed.rows_read
    except BadInput:
        pass  # not a training log: maybe a Withings export
    records, quarantine = withings_weights(rows, name, timezone)
    return "Withings weights", records, quarantine, len(rows) - 1


def import_file(store: Store, data: bytes, name: str, timezone: str = "UTC", *,
                log_format: LogFormat = DEFAULT_LOG, now: Callable[[], datetime] = _wall_clock,
                owner: str | None = None) -> ImportReport:
    """Parse, then (under the sync lease) store only records whose natural key is not stored yet."""
    fmt, records, quarantine, read = parse_file(data, name, timezone, log_format)
    owner = owner or lease.new_owner("import:")
    with lease.held(store, owner, now, doing="a sync is running, try again in a minute"):
        check_store(store)
        sources = store.counts()
        known: dict[str, set[str]] = {}
        for kind in {r.kind for r in records}:  # keys already stored by any source (API, sheet, earlier import)
            known[kind] = set().union(*(store.keys(kind, src) for k, src in sources if k == kind))
        fresh = [r for r in records if r.key not in known[r.kind]]
        counts = store.upsert(fresh)
        if records:
            store.put_sync_state(import_state(name, fmt, counts.inserted, len(records) - len(fresh), now()))
    return ImportReport(name, fmt, read, counts.inserted, len(records) - len(fresh), quarantine)
