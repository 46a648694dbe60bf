"""The sync: one entry point for the scheduled workflow, the CLI and the app's Refresh button.

Per source: read from the watermark minus the source's overlap window, upsert idempotently in
chunks, move the watermark only after the data it covers is stored, record the outcome. One
source failing never stops the others. The whole run holds the store's sync lease, renewed before
each source so a long sync never outlives it (core/lease.py: a dead holder on this host is taken over,
SIGTERM gives it back). Before the first source the store is checked (core/store/maintenance.py): a
damaged store fails the whole run loudly instead of syncing into it. When a source stops mid-read (429, 5xx, bad page),
the records it already gave are stored before the error is recorded.

A mirror source whose read quarantined any row deletes nothing that sync: a row that became
unreadable (a typo) must not vanish from the store; the removals wait until the rows are fixed.
Quarantined items of incremental sources (Withings' ambiguous weigh-ins) are kept across syncs,
merged by key, until the record arrives readable.

The command line (`python -m core.sync`: sync, import, export, unlock) is `core/sync/__main__.py`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from core import lease
from core.errors import FitDashError, RateLimited
from core.lease import new_owner
from core.records import Record
from core.sources.base import Source
from core.sources.strava.retention import expire_api_runs
from core.store.base import Store, SyncState, UpsertCounts
from core.store.maintenance import check_store

log = logging.getLogger(__name__)
CHUNK = 500  # records per upsert: progress and checkpoints every few hundred records
QUARANTINE_KEPT = 200  # held items remembered per incremental source: enough to act on, bounded in size
Progress = Callable[[str, str], None]


@dataclass(frozen=True)
class SourceReport:
    """What one source's sync did."""

    source: str
    ok: bool
    counts: UpsertCounts = field(default_factory=UpsertCounts)
    deleted: int = 0
    error: str | None = None
    action: str | None = None
    skipped: bool = False
    postponed: int = 0

    def line(self) -> str:
        """One log line; counts only, never values or secrets."""
        c = self.counts
        text = f"{self.source}: {'ok' if self.ok else 'FAILED'} - {c.inserted} new, {c.updated} updated, "
        text += f"{c.unchanged} unchanged, {self.deleted} deleted"
        if self.postponed:
            text += f" ({postponed_note(self.postponed)})"
        if self.error:
            text += f" - {self.error} -> {self.action}"
        return text


@dataclass(frozen=True)
class SyncReport:
    """Every source's report, and how many API-only runs [strava] api_retention_days expired."""

    sources: list[SourceReport] = field(default_factory=list)
    expired: int = 0

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.sources)


def run_sync(store: Store, sources: Sequence[Source], *, now: Callable[[], datetime],
             owner: str | None = None, progress: Progress | None = None, api_retention_days: float = 0) -> SyncReport:
    """Sync every source under the lease, then expire API-only runs past api_retention_days (0: none); raise
    SyncBusy if another sync holds the lease."""
    owner = owner or new_owner()
    with lease.held(store, owner, now):
        check_store(store)  # a damaged store fails loudly, never "ok"
        reports = []
        for source in sources:
            if not store.acquire_lease(owner, now()):  # renewal: the same owner extends its lease
                raise lease.busy_error(store, now(), f"sync lease lost; stopped before {source.name}")
            reports.append(sync_source(store, source, now=now, progress=progress))
        return SyncReport(reports, expire_api_runs(store, now(), api_retention_days))


def postponed_note(count: int) -> str:
    """The sentence shown when a mirror's deletions wait for quarantined rows."""
    return f"{count} removal{'s' if count != 1 else ''} postponed until the quarantined rows are fixed"


def sync_source(store: Store, source: Source, *, now: Callable[[], datetime],
                progress: Progress | None = None) -> SourceReport:
    """Sync one source, recording its state; errors are caught, recorded and reported."""
    say = progress or (lambda _name, _msg: None)
    state = store.get_sync_state(source.name) or SyncState(source.name)
    started = now()
    retry_at = state.details.get("retry_at")
    if retry_at and datetime.fromisoformat(retry_at) > started:
        say(source.name, f"rate limited until {retry_at}; skipped")
        return SourceReport(source.name, ok=True, skipped=True)
    state = replace(state, last_attempt=started)
    tally = _Tally(state.watermark)
    try:
        since = state.watermark - source.overlap if state.watermark and not source.mirror else None
        say(source.name, f"reading since {since:%Y-%m-%d %H:%M} UTC" if since else "first import")
        for chunk in _chunks(source.fetch(since), getattr(store, "chunk_size", CHUNK)):
            tally.add(store.upsert(chunk), chunk)
            if source.ascending:  # everything up to here is stored: checkpoint the cursor
                store.put_sync_state(replace(state, watermark=tally.watermark))
            say(source.name, f"{tally.seen} records read, {tally.counts.inserted} new")
        extra = source.report() if hasattr(source, "report") else {}  # e.g. quarantined rows
        deleted, postponed = _reconcile(store, source, tally, bool(extra.get("quarantine")))
    except FitDashError as exc:
        return _fail(store, replace(state, watermark=_safe_mark(source, state, tally)), tally, exc)
    except Exception as exc:  # an unexpected bug in one source must not stop the others
        log.exception("%s: unexpected error during sync", source.name)
        return _fail(store, replace(state, watermark=_safe_mark(source, state, tally)), tally, exc)
    details = {k: v for k, v in state.details.items() if k not in ("retry_at", "postponed_removals", "error_kind")}
    details.update(_merged_quarantine(source, state, tally, extra))
    if postponed:
        details["postponed_removals"] = postponed
    store.put_sync_state(replace(
        state, watermark=tally.watermark, last_success=now(), last_error=None, last_error_action=None,
        counts=_count_dict(tally.counts, deleted), details=details,
    ))
    say(source.name, "done")
    return SourceReport(source.name, ok=True, counts=tally.counts, deleted=deleted, postponed=postponed)


class _Tally:
    """Running counts, keys seen per kind and the newest stored time."""

    def __init__(self, watermark: datetime | None) -> None:
        self.counts, self.seen, self.watermark = UpsertCounts(), 0, watermark
        self.keys: dict[str, set[str]] = {}

    def add(self, counts: UpsertCounts, chunk: list[Record]) -> None:
        self.counts += counts
        self.seen += len(chunk)
        newest = max(r.time_utc for r in chunk)
        self.watermark = newest if self.watermark is None else max(self.watermark, newest)
        for r in chunk:
            self.keys.setdefault(r.kind, set()).add(r.key)


def _safe_mark(source: Source, state: SyncState, tally: _Tally) -> datetime | None:
    """After a failure the cursor may only cover what an ascending source has fully delivered."""
    return tally.watermark if source.ascending else state.watermark


def _reconcile(store: Store, source: Source, tally: _Tally, quarantined: bool) -> tuple[int, int]:
    """Mirror sources: (deleted, postponed) stored keys the source no longer has; never on an empty read."""
    if not source.mirror or not tally.seen:
        return 0, 0
    gone = {kind: store.keys(kind, source.name) - tally.keys.get(kind, set()) for kind in source.kinds}
    if quarantined:  # a stored row that became unreadable is among them: wait until it is fixed
        return 0, sum(len(keys) for keys in gone.values())
    return sum(store.delete(kind, source.name, keys) for kind, keys in gone.items() if keys), 0


def _merged_quarantine(source: Source, state: SyncState, tally: _Tally, extra: dict) -> dict:
    """An incremental read sees only what changed: earlier held items stay until their record is stored."""
    if source.mirror or "quarantine" not in extra:
        return extra
    stored = set().union(*tally.keys.values()) if tally.keys else set()
    held = {str(q["row"]): q for q in state.details.get("quarantine", []) if str(q["row"]) not in stored}
    held.update({str(q["row"]): q for q in extra["quarantine"]})
    return {**extra, "quarantine": list(held.values())[-QUARANTINE_KEPT:]}


def _fail(store: Store, state: SyncState, tally: _Tally, exc: Exception) -> SourceReport:
    action = getattr(exc, "action", "Check the sync log; the next sync retries.")
    details = {**state.details, "error_kind": type(exc).__name__}  # the Data page tells re-auth from retry
    if isinstance(exc, RateLimited) and exc.retry_at:
        details["retry_at"] = exc.retry_at.astimezone(UTC).isoformat()
    store.put_sync_state(replace(
        state, last_error=str(exc) or type(exc).__name__, last_error_action=action,
        counts=_count_dict(tally.counts, 0), details=details,
    ))
    return SourceReport(state.source, ok=False, counts=tally.counts, error=str(exc), action=action)


def _count_dict(counts: UpsertCounts, deleted: int) -> dict[str, int]:
    return {"inserted": counts.inserted, "updated": counts.updated, "unchanged": counts.unchanged,
            "deleted": deleted}


def _chunks(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    """Batches of `size`; when the source fails mid-batch, what it already gave is handed over first."""
    iterator, chunk = iter(records), []
    while True:
        try:
            record = next(iterator)
        except StopIteration:
            break
        except Exception:  # a 429 / 5xx / bad page: store the records read so far, then report the error
            if chunk:
                yield chunk
            raise
        chunk.append(record)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
