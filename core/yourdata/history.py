"""A record's provenance for its page, the manual entries a provider replaced with other values, and what changed.

Reading is for everyone (a viewer sees the history too); resolving a conflict is an admin's change, made with the
same one-write functions as any edit or deletion (core/yourdata/edits.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from core.errors import BadInput
from core.records import KINDS, iso_utc
from core.sources.sheets import SOURCE as SHEET
from core.store.base import Store
from core.store.ledger import DISMISSED, Change, Ledger, get_ledger, read_ledgers
from core.store.overlay import MANUAL, MATCH_WINDOW, applied_edits, apply_edits, natural_key, resolve
from core.yourdata.access import Actor
from core.yourdata.edits import edit_record, target, update_ledger
from core.yourdata.rules import EDITABLE

SAME = 1e-6  # numbers closer than this are the same value (JSON round trips are exact; typed ones may not be)


@dataclass(frozen=True)
class EditStatus:
    """One edited field: the person's value, what the source said then and says now, and whether it applies."""

    field: str
    value: Any
    was: Any
    source_now: Any
    applies: bool  # False: the source changed that field since; its new value is shown (the edit is superseded)


@dataclass(frozen=True)
class Provenance:
    """Everything a record page shows about where a record comes from and what people changed."""

    kind: str
    key: str
    natural_key: str
    source: str
    time_utc: datetime
    source_fields: Mapping[str, Any]  # as the source delivered them
    shown: Mapping[str, Any] | None  # as reads show it; None when deleted or replaced
    edits: tuple[EditStatus, ...]
    deleted: Change | None
    history: tuple[Change, ...]
    version: int  # the ledger's: pass it back as expected_version to refuse an edit made on stale values
    replaced_by: str | None  # a manual record: the provider record shown instead
    replaces: tuple[str, ...]  # a provider record: the manual ones it replaces
    entered: Mapping[str, Any] = field(default_factory=dict)  # a manual record: who entered it, when, the form
    read_only: str | None = None  # why it cannot be changed here (the sheet), else None


def _neighbourhood(store: Store, kind: str, moment: datetime) -> tuple[list[dict], dict[str, Ledger]]:
    rows = store.stored_rows(kind, moment - MATCH_WINDOW, moment + MATCH_WINDOW + timedelta(seconds=1))
    return rows, read_ledgers(store, kind)


def record_history(store: Store, kind: str, key: str) -> Provenance:
    """The provenance of one stored record (BadInput when there is none)."""
    record = store.get_record(kind, key)
    if record is None:
        raise BadInput(f"record {key}", "no such record is stored", action="Reload the page.")
    rows, ledgers = _neighbourhood(store, kind, record.time_utc)
    resolution = resolve(kind, rows, ledgers)
    ledger = ledgers.get(key) or Ledger(kind, key, record.source)
    live = {row["key"]: row for row in resolution.rows}
    applied = applied_edits(record.fields, ledger.edits)
    edits = tuple(EditStatus(n, e.value, e.was, record.fields.get(n), n in applied) for n, e in ledger.edits.items())
    shown = {n: v for n, v in live[key].items() if n not in ("source", "key", "_at")} if key in live else None
    raw = record.raw if isinstance(record.raw, dict) else {}
    entered = {n: raw.get(n) for n in ("entered_by", "entered_at", "form")} if record.source == MANUAL else {}
    return Provenance(kind, key, natural_key(key), record.source, record.time_utc, record.fields, shown, edits,
                      ledger.deleted, ledger.history, ledger.version, resolution.hidden.get(key),
                      tuple(sorted(m for m, p in resolution.hidden.items() if p == key)), entered,
                      "a mirror of the Google Sheet: change it in the sheet" if record.source == SHEET else None)


@dataclass(frozen=True)
class Conflict:
    """A manual entry a provider's record replaced with other values: field -> (typed value, provider's value)."""

    kind: str
    manual_key: str
    provider_key: str
    provider_source: str
    differences: Mapping[str, tuple[Any, Any]]


def _differs(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(a - b) > SAME
    return a != b


def conflicts(store: Store, kinds: Iterable[str] = KINDS) -> list[Conflict]:
    """Manual entries replaced by a provider's record whose values differ (what the admin should look at)."""
    found = []
    for kind in kinds:
        rows, ledgers = store.stored_rows(kind), read_ledgers(store, kind)
        resolution = resolve(kind, rows, ledgers)
        stored, live = {r["key"]: r for r in rows}, {r["key"]: r for r in resolution.rows}
        for manual_key, provider_key in sorted(resolution.hidden.items()):
            ledger = ledgers.get(manual_key)
            typed = apply_edits(kind, stored[manual_key], ledger.edits if ledger else {})
            provider = live[provider_key]
            diff = {n: (typed.get(n), provider.get(n)) for n in EDITABLE[kind]
                    if typed.get(n) not in (None, "") and _differs(typed.get(n), provider.get(n))}
            if diff:
                found.append(Conflict(kind, manual_key, provider_key, provider["source"], diff))
    return found


def resolve_conflict(store: Store, actor: Actor, conflict: Conflict, keep: str, *,
                     now: Callable[[], datetime]) -> Ledger:
    """keep="provider": the manual entry is set aside (deleted, kept in history); keep="manual": the provider's
    record gets the typed values as edits (they hold until the provider changes those fields)."""
    if keep == "manual":
        return edit_record(store, actor, conflict.kind, conflict.provider_key,
                           {n: typed for n, (typed, _) in conflict.differences.items()}, now=now)
    if keep != "provider":
        raise BadInput("keep", f"must be 'manual' or 'provider', not {keep!r}")
    record = target(store, actor, conflict.kind, conflict.manual_key, "set this entry aside")
    change = Change(iso_utc(now()), actor.username, DISMISSED, dict(conflict.differences))
    return update_ledger(store, record, lambda ledger: ledger if ledger.deleted else
                         replace(ledger, deleted=change).logged(change))


@dataclass(frozen=True)
class Changed:
    """What people changed in one kind: keys with edits that apply, and deleted records with their deletion."""

    edited: frozenset[str]
    deleted: tuple[tuple[str, Change], ...]


def changed(store: Store, kind: str) -> Changed:
    """For a page: which shown records carry an edit (a marker), and which were deleted (a list to restore)."""
    ledgers = read_ledgers(store, kind)
    deleted = tuple(sorted(((k, lg.deleted) for k, lg in ledgers.items() if lg.deleted), key=lambda p: p[1].at))
    candidates = {k: lg for k, lg in ledgers.items() if lg.edits and not lg.deleted}
    rows = {r["key"]: r for r in store.stored_rows(kind)} if candidates else {}
    edited = {k for k, lg in candidates.items() if k in rows and applied_edits(rows[k], lg.edits)}
    return Changed(frozenset(edited), deleted)


def ledger_version(store: Store, kind: str, key: str) -> int:
    """The version an edit form should pass back as expected_version (0 when nothing was changed yet)."""
    ledger = get_ledger(store, kind, key)
    return ledger.version if ledger else 0

