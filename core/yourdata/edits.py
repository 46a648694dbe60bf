"""Correct and remove stored records (admins only): each change is one compare-and-set write of the record's ledger.

The record itself is never rewritten, so no sync, import or manual entry running at the same time can undo the
change or be undone by it (core/store/ledger.py has the rules, core/store/overlay.py applies them on every read).
The Google Sheet is a mirror: its sets are changed in the sheet, and the functions here say so (ReadOnlySource).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from core.errors import BadInput, EditConflict, InvalidEntry, ReadOnlySource
from core.records import SET, Record, iso_utc
from core.sources.sheets import SOURCE as SHEET
from core.store.base import Store
from core.store.ledger import DELETED, EDITED, RESTORED, Change, FieldEdit, Ledger, get_ledger, put_ledger
from core.store.overlay import SPEED_INPUTS, apply_edits
from core.yourdata.access import Actor, require_admin
from core.yourdata.rules import EDITABLE, clean_text, editable_problems, validate

CAS_ATTEMPTS = 5  # re-reads after losing a race with another tab before saying so
KIND_WORDS = {"body": "weigh-in", "run": "run", SET: "training set"}


def target(store: Store, actor: Actor, kind: str, key: str, doing: str) -> Record:
    """The stored record an admin is about to change; typed errors for a viewer, a missing or a sheet record."""
    require_admin(actor, doing)
    record = store.get_record(kind, key)
    if record is None:
        raise BadInput(f"{KIND_WORDS.get(kind, kind)} {key}", "no such record is stored (deleted from its source?)",
                       action="Reload the page: the list shows what is stored now.")
    if record.source == SHEET:
        f = record.fields
        raise ReadOnlySource(f"this set comes from the Google Sheet (session {f.get('session_date')}, "
                             f"{f.get('exercise')}, set {f.get('set_number')}): {doing} in the sheet, not here")
    return record


def update_ledger(store: Store, record: Record, change: Callable[[Ledger], Ledger],
                  expected_version: int | None = None) -> Ledger:
    """Apply `change` to the record's ledger by compare-and-set; re-read on a lost race unless a version was given."""
    for _ in range(CAS_ATTEMPTS):
        ledger = get_ledger(store, record.kind, record.key) or Ledger(record.kind, record.key, record.source)
        if expected_version is not None and ledger.version != expected_version:
            raise EditConflict(f"{KIND_WORDS.get(record.kind, record.kind)} {record.key} was changed since it was "
                               f"shown (version {ledger.version}, not {expected_version})")
        updated = change(ledger)
        if updated == ledger:
            return ledger  # nothing to change: nothing written
        if put_ledger(store, updated):
            return replace(updated, version=ledger.version + 1)
        if expected_version is not None:
            break
    raise EditConflict(f"{KIND_WORDS.get(record.kind, record.kind)} {record.key}: changed by someone else at the "
                       "same moment")


def normalised(kind: str, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Typed values as stored: text cleaned, whole numbers as int, other numbers as float."""
    out = {}
    for name, value in changes.items():
        if isinstance(value, str):
            out[name] = clean_text(value)
        elif name == "reps" and isinstance(value, int | float) and not isinstance(value, bool) and value == int(value):
            out[name] = int(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            out[name] = float(value)
        else:
            out[name] = value
    return out


def with_edits(ledger: Ledger, source: Mapping[str, Any], changes: Mapping[str, Any], by: str, at: str) -> Ledger:
    """The ledger after setting `changes` over the record's source values (pure); unchanged if nothing differs."""
    shown = apply_edits(ledger.kind, dict(source), ledger.edits)
    edits, delta = dict(ledger.edits), {}
    for name, value in changes.items():
        if value == shown.get(name):
            continue
        delta[name] = (shown.get(name), value)
        if value == source.get(name):
            edits.pop(name, None)  # back to what the source says: no edit left
        else:
            edits[name] = FieldEdit(value, source.get(name))
    if not delta:
        return ledger
    return replace(ledger, edits=edits).logged(Change(at, by, EDITED, delta))


def edit_record(store: Store, actor: Actor, kind: str, key: str, changes: Mapping[str, Any], *,
                now: Callable[[], datetime], expected_version: int | None = None) -> Ledger:
    """Set editable fields of a stored record; the ledger as stored (InvalidEntry, NotAllowed, ReadOnlySource...)."""
    record = target(store, actor, kind, key, f"edit this {KIND_WORDS.get(kind, kind)}")
    values = normalised(kind, changes)
    problems = editable_problems(kind, values)
    if not problems:
        shown = apply_edits(kind, dict(record.fields), (get_ledger(store, kind, key) or Ledger(kind, key, "")).edits)
        paired = {n: shown.get(n) for n in SPEED_INPUTS} if SPEED_INPUTS & set(values) else {}
        problems = validate(kind, {**paired, **values})  # only what changes (and the speed it implies)
    if problems:
        raise InvalidEntry(f"{KIND_WORDS.get(kind, kind)} {key}", problems)
    return update_ledger(store, record, lambda ledger: with_edits(ledger, record.fields, values, actor.username,
                                                                  iso_utc(now())), expected_version)


def delete_record(store: Store, actor: Actor, kind: str, key: str, *, now: Callable[[], datetime],
                  expected_version: int | None = None) -> Ledger:
    """Delete a record for good (its source cannot bring it back); the values it showed stay in its history."""
    record = target(store, actor, kind, key, f"delete this {KIND_WORDS.get(kind, kind)}")

    def deleted(ledger: Ledger) -> Ledger:
        if ledger.deleted:
            return ledger
        shown = apply_edits(kind, dict(record.fields), ledger.edits)
        change = Change(iso_utc(now()), actor.username, DELETED, {n: (shown.get(n), None) for n in EDITABLE[kind]})
        return replace(ledger, deleted=change).logged(change)

    return update_ledger(store, record, deleted, expected_version)


def restore_record(store: Store, actor: Actor, kind: str, key: str, *, now: Callable[[], datetime],
                   expected_version: int | None = None) -> Ledger:
    """Undo a deletion: the record is read again (with its edits)."""
    record = target(store, actor, kind, key, f"restore this {KIND_WORDS.get(kind, kind)}")
    return update_ledger(store, record, lambda ledger: restored(ledger, actor.username, iso_utc(now())),
                         expected_version)


def restored(ledger: Ledger, by: str, at: str, action: str = RESTORED) -> Ledger:
    """The ledger without its deletion (pure); unchanged if it was not deleted."""
    if ledger.deleted is None:
        return ledger
    return replace(ledger, deleted=None).logged(Change(at, by, action))
