"""Writing manual entries: under the sync lease, refused when the same item is stored already, one upsert.

A manual record whose key was entered and deleted before is entered again: the record is written first, then its
ledger's deletion is lifted. Killed between the two, the new values are stored but still hidden (never the old
deleted ones shown); saving the entry again finishes it, with nothing stored twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from core import lease
from core.errors import InvalidEntry
from core.records import Record, iso_utc
from core.store.base import Store
from core.store.ledger import read_ledgers
from core.store.overlay import MATCH_WINDOW, resolve
from core.yourdata.access import Actor
from core.yourdata.edits import KIND_WORDS, restored, update_ledger

ENTERED_AGAIN = "entered again"
BUSY = "cannot save the entry now: a sync or an import is writing, try again in a minute"


def row_of(record: Record) -> dict:
    """A record as a stored row (what core/store/overlay.py resolves)."""
    return {**record.fields, "source": record.source, "key": record.key, "_at": iso_utc(record.time_utc)}


def save_manual(store: Store, actor: Actor, build: Callable[[], list[Record]],
                now: Callable[[], datetime]) -> list[Record]:
    """Under the lease: build the records, refuse any already stored or shown by a provider, upsert them."""
    with lease.held(store, lease.new_owner("entry:"), now, doing=BUSY):
        records = build()
        again = entered_again(store, records)
        store.upsert(records)
        at = iso_utc(now())
        for record in records:
            if record.key in again:
                update_ledger(store, record, lambda ledger: restored(ledger, actor.username, at, ENTERED_AGAIN))
    return records


def entered_again(store: Store, records: list[Record]) -> set[str]:
    """Keys of records entered before and deleted (to be shown again); InvalidEntry if any is stored and shown,
    or if a provider's record already shows the same item."""
    kind, what = records[0].kind, KIND_WORDS[records[0].kind]
    times = [r.time_utc for r in records]
    rows = store.stored_rows(kind, min(times) - MATCH_WINDOW, max(times) + MATCH_WINDOW + timedelta(seconds=1))
    ledgers = read_ledgers(store, kind)
    stored = {row["key"] for row in rows}
    again = {r.key for r in records if r.key in stored and ledgers.get(r.key) and ledgers[r.key].deleted}
    if taken := [r.key for r in records if r.key in stored and r.key not in again]:
        raise InvalidEntry(f"the {what}", [("time", f"this {what} was entered already ({taken[0]}): edit it instead")])
    keys = {r.key for r in records}
    after = resolve(kind, [row for row in rows if row["key"] not in keys] + [row_of(r) for r in records],
                    {k: v for k, v in ledgers.items() if k not in again})
    if blocked := [after.hidden[r.key] for r in records if r.key in after.hidden]:
        source = next((row["source"] for row in rows if row["key"] == blocked[0]), "a source")
        raise InvalidEntry(f"the {what}", [("time", f"{source} already has this {what} ({blocked[0]}): edit that "
                                                    f"one instead, or enter a time at least "
                                                    f"{MATCH_WINDOW.seconds // 60} minutes away")])
    return again
