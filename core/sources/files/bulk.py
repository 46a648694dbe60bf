"""Imports that hold activity files: Strava's bulk export (activities.csv joined to activities/ by `Filename`),
a ZIP of FIT / GPX / TCX files (a Garmin export), or one such file (a folder: core/sources/files/__init__.py).

In Strava's export, a run row whose `Filename` names a file in the ZIP is imported from that file (its values
correcting the row's, core/sources/files/activity_runs.py); the other rows are imported as any CSV row. Files of
other sports' rows are not read. Files alone are runs unless they name another sport. docs/activity-files.md.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from core import lease
from core.sources.files.activity_entries import Entry, file_entry, looks_like_activity, zip_entries
from core.sources.files.activity_import import ActivityImport, Job, Progress
from core.sources.files.limits import Limits
from core.sources.files.report import ImportReport
from core.sources.files.sniff import zip_errors
from core.sources.files.state import import_state
from core.store.base import Store
from core.store.maintenance import check_store

FORMAT = "activity files"
ACTIVITIES = "activities/"  # Strava's folder of activity files, which its CSV's Filename starts with
BUSY = "a sync is running, try again in a minute"


@dataclass(frozen=True)
class ActivityFiles:
    """The activity files an import holds, by name, and whether a CSV comes with them (then the CSV decides: Strava's
    activities.csv is joined to them, another export's CSV is imported without them)."""

    entries: dict[str, Entry]
    with_csv: bool


def activity_files(source: bytes | Path, name: str, limits: Limits, stack: ExitStack) -> ActivityFiles | None:
    """The activity files of a ZIP or the one activity file given; None when the import holds none."""
    opener = (lambda: io.BytesIO(source)) if isinstance(source, bytes) else (lambda: source.open("rb"))
    with opener() as stream:
        head = stream.read(4096)
    if looks_like_activity(head):
        return ActivityFiles({name: file_entry(source, name)}, with_csv=False)
    if not head.startswith(b"PK"):
        return None
    with zip_errors(name):
        archive = stack.enter_context(zipfile.ZipFile(opener()))
        entries = zip_entries(archive, name, limits)
        with_csv = any(i.filename.lower().endswith(".csv") for i in archive.infolist())
    return ActivityFiles(entries, with_csv) if entries else None


def divert(rows: Iterator[tuple[int, list]], entries: dict[str, Entry], jobs: list[Job]) -> Iterator[tuple[int, list]]:
    """The CSV's rows, less the run rows whose file is in the import: those become jobs (row and file). A file is
    found by the row's `Filename` from the archive's top, or from its `activities/` folder (an export zipped again
    inside a folder)."""
    tails = {n[n.rfind(ACTIVITIES):]: e for n, e in entries.items() if ACTIVITIES in n}
    for number, records in rows:
        kept = []
        for record in records:
            filename = ((record.raw or {}).get("file") or "").strip()
            entry = entries.get(filename) or tails.get(filename)
            if entry is None:
                kept.append(record)
            else:
                jobs.append(Job(entry, record))
        if kept:
            yield number, kept


def import_alone(store: Store, entries: list[Entry], report: ImportReport, timezone: str, *,
                 now: Callable[[], datetime], owner: str | None = None, progress: Progress | None = None,
                 workers: int = 1) -> ImportReport:
    """Import activity files without an export's CSV, under the sync lease."""
    report.format = FORMAT
    owner = owner or lease.new_owner("import:")
    with lease.held(store, owner, now, doing=BUSY):
        check_store(store)
        importing = ActivityImport(store, report, timezone, now, owner, progress)
        importing.run([Job(e) for e in entries], workers)
        if report.files_stored or report.files_already:
            store.put_sync_state(import_state(report.name, FORMAT, report.records_new, report.records_already, now()))
    if importing.zoneless:  # said only when such a file was read and stored (not for unreadable or known ones)
        files = f"{importing.zoneless} file{'s' if importing.zoneless != 1 else ''}"
        report.note(f"GPX and TCX files have no time zone: the local times of {files} were read in {timezone} "
                    "(the time zone chosen for the import); FIT files give their own")
    return report
