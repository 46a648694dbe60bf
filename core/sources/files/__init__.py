"""File imports (admin only): the format is detected from the content, never from the file name alone.

Accepted: Strava's bulk export (the ZIP with its activity files, or its activities.csv), Withings' export
(the ZIP, or its weight.csv, in any of the common languages), a training-log CSV in the sheet's layout,
this app's own export (`python -m core.sync export`), and activity files: one FIT, GPX or TCX file
(gzipped or not), a ZIP or a folder of them (core/sources/files/bulk.py). A CSV import adds only what the
store does not already hold (same natural keys as the API sources, and for runs a start within a minute:
core/sources/run_match.py), so importing a file twice adds nothing and a CSV never overwrites what an API
sync stored (a later API sync does correct what a CSV import stored). An activity file's run replaces the
stored one (the person's own, richer copy) and keeps its stream and laps beside it.

A file is checked whole before anything is stored (`opening.py`: limits, encoding, a damaged ZIP), then
its rows are streamed into the store in chunks. Every data row is counted once: read = stored +
already stored + not readable (+ skipped: not a run); a training-log row gives one set or more.

An import writes under the sync lease, like a sync: two writers at once could lose a newly created
month on DynamoDB. While a sync runs, an import raises SyncBusy (naming the holder) and stores nothing;
a damaged store is reported before anything is written. A successful import leaves the `import` sync
state (files/state.py), so the sidebar counts it as fresh data. A training-log CSV is read with the
sheet's settings ([sheets] unit, date_order, aliases) unless the import names its own (`--unit`,
`--date-order`, `--timezone`, or the uploader's choices), so its rows get the same keys as the same
rows in the sheet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from core import lease
from core.clock import utc_now
from core.errors import BadInput
from core.plausible import latest_date
from core.records import RUN, Record
from core.sources.files.activity_entries import folder_entries
from core.sources.files.activity_import import ActivityImport, Job, Progress
from core.sources.files.backup import BackupRows, backup_kind
from core.sources.files.bulk import ActivityFiles, activity_files, divert, import_alone
from core.sources.files.limits import Limits
from core.sources.files.opening import STRAVA, Table, open_tables
from core.sources.files.parse import StravaRows, WithingsRows
from core.sources.files.report import ImportReport
from core.sources.files.state import import_state
from core.sources.rows import RowTally, each_row
from core.sources.run_match import RunIndex
from core.sources.sheets.parse import LogFormat, LogReader
from core.store.base import Store
from core.store.maintenance import check_store

__all__ = ["ImportReport", "Limits", "import_file", "import_folder"]
DEFAULT_LOG = LogFormat()  # kg, day-first dates, built-in aliases: the sheet's defaults
DEFAULT_LIMITS = Limits()  # the [imports] defaults
STRAVA_FORMAT = "Strava activities"
CHUNK = 5000  # records per upsert: one SQLite transaction (and fsync) per 5,000 keeps a big import fast


def _reader(table: Table, timezone: str, fmt: LogFormat, latest, tally: RowTally) -> tuple[str, Callable]:
    """(format, row reader) for a table's header; BadInput when no format fits."""
    header = [h.strip().lower() for h in table.header]
    if "activity id" in header:
        return STRAVA_FORMAT, StravaRows(table.header, table.name, timezone, latest, tally)
    if kind := backup_kind(table.header):
        return "this app's export", BackupRows(kind, table.header)
    try:
        return "training log", LogReader(table.header, "csv", fmt, tally, latest, table.delimiter)
    except BadInput:
        pass  # not a training log: maybe a Withings export
    return "Withings weights", WithingsRows(table.header, table.name, timezone, fmt.unit, latest, tally)


def _rows(table: Table, reader: Callable, tally: RowTally) -> Iterator[tuple[int, list[Record]]]:
    rows, number = table.rows(), 1
    for header in rows:  # the header, after any blank lines before it
        if header == table.header:
            break
        number += 1
    return each_row(rows, tally, reader, start=number + 1)


def import_file(store: Store, source: bytes | Path, name: str, timezone: str = "UTC", *,
                log_format: LogFormat = DEFAULT_LOG, limits: Limits = DEFAULT_LIMITS,
                now: Callable[[], datetime] = utc_now, owner: str | None = None, progress: Progress | None = None,
                workers: int = 1, files: ActivityFiles | None = None) -> ImportReport:
    """Check and parse the file, then (under the sync lease) store only records whose key is not stored yet.

    Activity files (the ZIP's, or `files` beside a CSV) are imported one by one after the CSV's other rows,
    `progress(done, total)` after each, parsed by `workers` processes (1: in this process)."""
    latest = latest_date(now().astimezone(ZoneInfo(timezone)).date())
    report = ImportReport(name=name)
    with ExitStack() as stack:
        files = files or activity_files(source, name, limits, stack)
        if files is not None and not files.with_csv:
            return import_alone(store, list(files.entries.values()), report, timezone, now=now, owner=owner,
                                progress=progress, workers=workers)
        streams, kinds = [], set()
        for table in open_tables(source, name, limits, stack):
            report.format, reader = _reader(table, timezone, log_format, latest, report)
            report.notes += [n for n in [table.note()] if n]
            streams.append(_rows(table, reader, report))
            kinds |= set(reader.kinds)
        owner = owner or lease.new_owner("import:")
        with lease.held(store, owner, now, doing="a sync is running, try again in a minute"):
            check_store(store)
            jobs: list[Job] = []
            joined = files is not None and report.format == STRAVA_FORMAT
            if joined:
                streams = [divert(s, files.entries, jobs) for s in streams]
            _store(store, streams, _known(store, kinds), report)
            if joined:
                ActivityImport(store, report, timezone, now, owner, progress).run(jobs, workers)
            if report.records_new or report.records_already:
                store.put_sync_state(import_state(name, report.format, report.records_new,
                                                  report.records_already, now(), report.quarantine,
                                                  report.rows_quarantined, report.warnings))
    if not report.rows_read:
        raise BadInput(name, "there is a header but no rows below it", action="Import a file that holds data.")
    return report


def import_folder(store: Store, folder: Path, timezone: str = "UTC", *, log_format: LogFormat = DEFAULT_LOG,
                  limits: Limits = DEFAULT_LIMITS, now: Callable[[], datetime] = utc_now, owner: str | None = None,
                  progress: Progress | None = None, workers: int = 1) -> ImportReport:
    """Every FIT, GPX and TCX file under a folder; joined to Strava's activities.csv when the folder holds one at
    its top (the bulk export, extracted)."""
    entries = folder_entries(folder)
    if not entries:
        raise BadInput(str(folder), "holds no FIT, GPX or TCX file (.fit, .gpx, .tcx, gzipped or not)",
                       action="Name the folder your watch or service exported the activity files into.")
    if (folder / STRAVA).is_file():
        return import_file(store, folder / STRAVA, folder.name, timezone, log_format=log_format, limits=limits,
                           now=now, owner=owner, progress=progress, workers=workers,
                           files=ActivityFiles({e.name: e for e in entries}, with_csv=True))
    return import_alone(store, entries, ImportReport(name=folder.name), timezone, now=now, owner=owner,
                        progress=progress, workers=workers)


def _known(store: Store, kinds: set[str]) -> Callable[[Record], bool]:
    """Whether a record is stored already by any source (API, sheet, earlier import): its key, or for a run a
    start within a minute of a stored run's (core/sources/run_match.py)."""
    sources = store.counts()
    keys = {kind: set().union(*(store.keys(kind, src) for k, src in sources if k == kind)) for kind in kinds}
    runs = RunIndex.of(store) if RUN in kinds else None
    return lambda r: r.key in keys[r.kind] or (runs is not None and r.kind == RUN and
                                               runs.match(r.key, r.time_utc) is not None)


def _store(store: Store, streams: list[Iterator], known: Callable[[Record], bool], report: ImportReport) -> None:
    """Upsert the rows' new records in chunks (keys within one file are unique: the parsers see to it)."""
    size, buffer = getattr(store, "chunk_size", CHUNK), []
    for stream in streams:
        for _, records in stream:
            fresh = [r for r in records if not known(r)]
            report.count_row(len(fresh), len(records) - len(fresh))
            buffer += fresh
            if len(buffer) >= size:
                store.upsert(buffer)
                buffer = []
    if buffer:
        store.upsert(buffer)
