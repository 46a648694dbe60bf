"""A record's ledger: the edits and the deletion a person made to one stored record, and their history.

One document per record, in the collection `ledger-<kind>` under the record's key, written by compare-and-set.
The record itself is never rewritten by an edit or a deletion: a sync or an import may replace it with what its
source says now, and the ledger still applies on every read (core/store/overlay.py):

- an edit of a field holds while the source still says what it said when the edit was made (`was`); once the
  source says something else for that field, the source's new value is shown and the edit is kept, superseded;
- a deletion holds whatever the source later says, until the record is restored.

The history keeps who changed what, when, and the value before (at most HISTORY_KEPT entries, the newest).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from core.store.base import Store

HISTORY_KEPT = 100  # entries per record: far more than a person makes, and it bounds the document's size
HISTORY_BYTES = 40_000  # and at most this much JSON of them (documents are at most 64 KB): long notes edited often
EDITED, DELETED, RESTORED, SUPERSEDED, DISMISSED = "edited", "deleted", "restored", "superseded", "dismissed"


@dataclass(frozen=True)
class FieldEdit:
    """A field's value set by a person, and what the source said for it at that moment."""

    value: Any
    was: Any


@dataclass(frozen=True)
class Change:
    """One entry of a record's history: when (ISO UTC), by whom, what, and each field's [before, after]."""

    at: str
    by: str
    action: str
    fields: Mapping[str, tuple[Any, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Ledger:
    """Every change a person made to one record; `version` is the stored document's (0: not stored yet)."""

    kind: str
    key: str
    source: str
    edits: Mapping[str, FieldEdit] = field(default_factory=dict)
    deleted: Change | None = None
    history: tuple[Change, ...] = ()
    version: int = 0

    def logged(self, change: Change) -> Ledger:
        """The ledger with one more history entry (the oldest dropped beyond HISTORY_KEPT or HISTORY_BYTES)."""
        history = (*self.history, change)[-HISTORY_KEPT:]
        sizes = [len(json.dumps(_change_body(c), default=str)) for c in history]
        while len(history) > 1 and sum(sizes) > HISTORY_BYTES:
            history, sizes = history[1:], sizes[1:]
        return replace(self, history=history)


def collection(kind: str) -> str:
    """The document collection holding the ledgers of one record kind."""
    return f"ledger-{kind}"


def _change(data: Mapping[str, Any]) -> Change:
    fields = {name: (pair[0], pair[1]) for name, pair in dict(data.get("fields") or {}).items()}
    return Change(str(data["at"]), str(data["by"]), str(data["action"]), fields)


def _change_body(change: Change) -> dict:
    return {"at": change.at, "by": change.by, "action": change.action,
            "fields": {name: list(pair) for name, pair in change.fields.items()}}


def ledger_body(ledger: Ledger) -> dict:
    """The JSON body stored for a ledger."""
    return {"source": ledger.source,
            "edits": {name: {"value": e.value, "was": e.was} for name, e in ledger.edits.items()},
            "deleted": _change_body(ledger.deleted) if ledger.deleted else None,
            "history": [_change_body(c) for c in ledger.history]}


def ledger_of(kind: str, key: str, body: Mapping[str, Any], version: int) -> Ledger:
    """Inverse of ledger_body."""
    edits = {name: FieldEdit(e.get("value"), e.get("was")) for name, e in dict(body.get("edits") or {}).items()}
    deleted = _change(body["deleted"]) if body.get("deleted") else None
    history = tuple(_change(c) for c in body.get("history") or ())
    return Ledger(kind, key, str(body.get("source", "")), edits, deleted, history, version)


def read_ledgers(store: Store, kind: str) -> dict[str, Ledger]:
    """Every ledger of one kind, by record key."""
    return {d.name: ledger_of(kind, d.name, d.body, d.version) for d in store.documents(collection(kind))}


def get_ledger(store: Store, kind: str, key: str) -> Ledger | None:
    """One record's ledger, or None when nobody changed it."""
    doc = store.get_document(collection(kind), key)
    return ledger_of(kind, key, doc.body, doc.version) if doc else None


def put_ledger(store: Store, ledger: Ledger) -> bool:
    """Write a ledger over the version it was read at; False when someone wrote it meanwhile."""
    return store.put_document(collection(ledger.kind), ledger.key, ledger_body(ledger), ledger.version)
