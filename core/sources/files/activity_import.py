"""Activity files into the store, one at a time: parsed (in worker processes when asked), stored, counted.

Per batch of BATCH files, in this order: their streams and laps (core/activity/storage.py, blobs beside the
records, never inside the month items), their run records (keys by core/sources/run_match.py), then a marker in
the store (a document in `activity-files` mapping a hash of each file's bytes to its run's key) saying the files
are done. An import killed anywhere is resumed by importing again: files with a marker (and their run still
stored) are skipped without being parsed; a file killed before its marker is imported again over the same key,
so nothing is stored twice. Streams are
never held together: at most 2 x workers files are in flight. The caller holds the sync lease; it is renewed
every RENEW_EVERY files. Every file that cannot be read is listed with its reason; the rest import.
"""

from __future__ import annotations

import hashlib
import multiprocessing
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from core import lease
from core.activity import ActivityFile, read_activity
from core.activity.storage import detail_blobs
from core.errors import BadInput
from core.records import Record
from core.sources.files.activity_entries import Entry
from core.sources.files.activity_runs import corrected, file_run, run_sport
from core.sources.files.report import ImportReport
from core.sources.run_match import RunIndex, file_key
from core.store.base import Store

MARKERS = "activity-files"
RENEW_EVERY = 50  # files between lease renewals: 50 files take seconds, the lease lasts 15 minutes
# Files written together: their streams and laps in one write, their records in one upsert, one marker. A SQLite
# commit waits for the disk (tens of ms on a busy one); per file, four of them took longer than parsing.
BATCH = 25
Progress = Callable[[int, int], None]  # (files done, files in all)
# Workers are forked: they share the parent's imported libraries instead of importing them again (a spawned
# worker re-imports the CLI and costs 150 MB). Only the CLI asks for workers, single-threaded when the pool starts;
# the app parses in its own process (workers=1), where forking a threaded server would not be safe.
START_METHOD = "fork"


@dataclass(frozen=True)
class Job:
    """One file to import, with the export's CSV row it belongs to (None for a file alone)."""

    entry: Entry
    row: Record | None = None


def parse(name: str, data: bytes) -> ActivityFile | str:
    """The parsed file, or why it cannot be read (a worker process runs this: errors come back as text)."""
    try:
        return read_activity(data, name)
    except BadInput as exc:
        return exc.reason


def _parsed(jobs: Iterable[Job], workers: int, skip: Callable[[str], bool]) -> Iterator[tuple[Job, str, object]]:
    """(job, fingerprint, parsed file | reason | None when already imported), in order, at most 2 x workers ahead."""
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(START_METHOD)) if workers > 1 else None
    pending: deque[tuple[Job, str, Future | object]] = deque()
    try:
        for job in jobs:
            try:
                data = job.entry.read()
            except BadInput as exc:
                pending.append((job, "", exc.reason))
            else:
                fingerprint = hashlib.sha256(data).hexdigest()[:40]
                work = None if skip(fingerprint) else (pool.submit(parse, job.entry.name, data) if pool
                                                   else parse(job.entry.name, data))
                pending.append((job, fingerprint, work))
            while len(pending) > 2 * max(workers, 1) or (not pool and pending):
                yield _done(pending.popleft())
        while pending:
            yield _done(pending.popleft())
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)


def _done(item: tuple[Job, str, object]) -> tuple[Job, str, object]:
    job, fingerprint, work = item
    return job, fingerprint, work.result() if isinstance(work, Future) else work


class ActivityImport:
    """One import's files into one store, under the caller's lease, written BATCH files at a time."""

    def __init__(self, store: Store, report: ImportReport, timezone: str, now: Callable[[], datetime],
                 owner: str, progress: Progress | None = None) -> None:
        self.store, self.report, self.timezone, self.now, self.owner = store, report, timezone, now, owner
        self.progress = progress or (lambda _done, _total: None)
        self.index = RunIndex.of(store)
        self.done = {fp: key for d in store.documents(MARKERS) for fp, key in d.body.get("files", {}).items()}
        self.batch: list[tuple[Record, dict[str, bytes], str]] = []  # (record, its blobs, the file's fingerprint)
        self.fixed: Counter[str] = Counter()
        self.zoneless = 0  # files read that give no time zone of their own (GPX, TCX): their local times are assumed

    def done_before(self, fingerprint: str) -> bool:
        """Whether a file with these bytes was imported and its run is still stored."""
        return self.done.get(fingerprint) in self.index.provenance

    def run(self, jobs: list[Job], workers: int = 1) -> None:
        """Import every job's file, reporting progress after each."""
        total = self.report.files_total = len(jobs)
        self.progress(0, total)
        for done, (job, fingerprint, parsed) in enumerate(_parsed(jobs, workers, self.done_before), start=1):
            self._one(job, fingerprint, parsed)
            if done % RENEW_EVERY == 0 and not self.store.acquire_lease(self.owner, self.now()):
                raise lease.busy_error(self.store, self.now(), f"import lease lost after {done} of {total} files")
            self.progress(done, total)
        self._flush()
        if self.fixed:
            said = ", ".join(f"{label} of {n} run{'s' if n > 1 else ''}" for label, n in self.fixed.most_common())
            self.report.note(f"the activity files' values replaced the CSV summary's: {said}")

    def _one(self, job: Job, fingerprint: str, parsed: object) -> None:
        if parsed is None:
            self.report.count_files(0, 1, job.row is not None)
        elif isinstance(parsed, str):
            self.report.unreadable_file(job.entry.name, parsed)
            self._row_alone(job.row)
        elif job.row is None and run_sport(parsed.activity) is None:
            self.report.files_skipped += 1
        elif not parsed.stream.has_time:
            self.report.unreadable_file(job.entry.name, "no timestamps (a planned route, not a recorded run)")
            self._row_alone(job.row)
        else:
            self._add(job, fingerprint, parsed)

    def _add(self, job: Job, fingerprint: str, parsed: ActivityFile) -> None:
        """The file's run into the batch (its stream encoded now: the parsed file is not kept)."""
        activity, row = parsed.activity, job.row
        self.zoneless += activity.utc_offset_s is None
        key = self.index.match(row.key if row else None, activity.start_utc) or (row.key if row else
                                                                                 file_key(activity.start_utc))
        if any(r.key == key for r, _, _ in self.batch):
            self._flush()  # two files of one run: the second replaces the first, counted after it
        raw = {"file": job.entry.name, "sha256": fingerprint, "format": activity.file_format,
               "utc_offset_s": activity.utc_offset_s, "notes": list(activity.notes), "csv": row.raw if row else None}
        record = file_run(activity, parsed.stream, key, row, self.timezone, raw)
        self.batch.append((record, detail_blobs(key, parsed.stream, activity.laps), fingerprint))
        self.index.add(key, record.time_utc, record.fields["provenance"])
        if row:
            self.fixed.update(corrected(row, record))
        if len(self.batch) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        """The batch's streams and laps, then its records, then its marker: three writes for BATCH files."""
        if not self.batch:
            return
        self.store.put_blobs({name: data for _, blobs, _ in self.batch for name, data in blobs.items()})
        counts = self.store.upsert([record for record, _, _ in self.batch])
        files = {fingerprint: record.key for record, _, fingerprint in self.batch}
        name = hashlib.sha256("".join(sorted(files)).encode()).hexdigest()[:40]
        self.store.put_document(MARKERS, name, {"files": files}, 0)  # a batch of the same files again: already there
        self.done.update(files)
        self.report.count_files(counts.inserted + counts.updated, counts.unchanged,
                                self.batch[0][0].raw.get("csv") is not None)
        self.batch = []

    def _row_alone(self, row: Record | None) -> None:
        """A CSV row whose file cannot be read: its summary is stored as any CSV row is (if not stored yet)."""
        if row is None:
            return
        if self.index.match(row.key, row.time_utc) is not None:
            self.report.count_row(0, 1)
            return
        self.store.upsert([row])
        self.index.add(row.key, row.time_utc, row.fields.get("provenance"))
        self.report.count_row(1, 0)
