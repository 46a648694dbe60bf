"""The Store protocol: everything the app and the sync need from storage, and nothing else.

Every backend (SQLite here, DynamoDB and S3 when hosted) implements it and passes the same
contract suite (tests/store_contract.py). Nothing outside `core/store/` knows which one it talks to.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

import pandas as pd

from core.records import Record, parse_utc

ANY_TOKEN = object()  # put_token default: write unconditionally
LEASE_TTL_S = 15 * 60  # a sync that has not finished in 15 minutes is presumed dead


@dataclass(frozen=True)
class UpsertCounts:
    """What an upsert did, per natural key."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: UpsertCounts) -> UpsertCounts:
        return UpsertCounts(
            self.inserted + other.inserted,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
        )



IMPORT_STATE = "import"  # the SyncState a file import leaves (core/sources/files/state.py): fresh data, not a source

@dataclass(frozen=True)
class SyncState:
    """Where a source's sync stands: cursor, last outcome, counts and source-specific details."""

    source: str
    watermark: datetime | None = None
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    last_error_action: str | None = None
    counts: Mapping[str, int] = field(default_factory=dict)
    details: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        """Serialise for stores that keep one text blob per source."""
        data = asdict(self)
        for name in ("watermark", "last_attempt", "last_success"):
            data[name] = data[name].isoformat() if data[name] else None
        return json.dumps(data, sort_keys=True, default=str)

    @classmethod
    def from_json(cls, text: str) -> SyncState:
        """Inverse of to_json."""
        data = json.loads(text)
        for name in ("watermark", "last_attempt", "last_success"):
            data[name] = parse_utc(data[name]) if data.get(name) else None
        return cls(**data)


@dataclass(frozen=True)
class Lease:
    """The sync lease as stored: who holds it, since when (kept across renewals) and until when."""

    owner: str
    since: datetime | None
    expires: datetime


@dataclass(frozen=True)
class LoginCounter:
    """Login attempts counted for one username or client address, and when the next one may start."""

    key: str  # "user:<name>" or "addr:<address>"
    failures: int  # attempts counted since the last successful login
    not_before: float  # Unix time: an attempt before it is refused without checking the password
    last_attempt: float  # Unix time of the latest counted attempt


@dataclass(frozen=True)
class Document:
    """A small JSON document (a user's preferences, one record's edits), written only by compare-and-set."""

    collection: str  # e.g. "preferences", "ledger-run"
    name: str  # the username, the record's key
    body: Mapping[str, Any]  # JSON-native values
    version: int  # 1 for the first stored version, +1 at every write


@runtime_checkable
class Store(Protocol):
    """Storage for records, sync state, tokens, the sync lease, blobs, login counters and documents."""

    def upsert(self, records: Iterable[Record]) -> UpsertCounts:
        """Insert or replace records by (kind, key); count inserted / updated / unchanged."""

    def delete(self, kind: str, source: str, keys: Iterable[str]) -> int:
        """Delete records of one kind and source by key; return how many existed."""

    def read(self, kind: str, start: datetime | None = None, end: datetime | None = None) -> pd.DataFrame:
        """Records of one kind with start <= time < end, as a typed frame (records.frame_from_rows), as people see
        them: edits applied, deleted records and manual entries a provider's record replaces left out
        (core/store/overlay.py, the same on every backend)."""

    def keys(self, kind: str, source: str) -> set[str]:
        """Natural keys stored for one kind and source (for mirror-style sources)."""

    def latest_time(self, kind: str, source: str | None = None) -> datetime | None:
        """Time of the newest record of a kind (optionally of one source)."""

    def counts(self) -> dict[tuple[str, str], int]:
        """Number of stored records per (kind, source)."""

    def get_sync_state(self, source: str) -> SyncState | None:
        """The source's sync state, or None before its first sync."""

    def put_sync_state(self, state: SyncState) -> None:
        """Replace the source's sync state."""

    def sync_states(self) -> list[SyncState]:
        """Every source's sync state, sorted by source."""

    def get_token(self, source: str) -> dict | None:
        """The source's stored OAuth token dict, or None."""

    def put_token(self, source: str, token: Mapping[str, Any], expected_refresh_token: Any = ANY_TOKEN) -> bool:
        """Store a token; with expected_refresh_token, only if the stored one still has it (CAS)."""

    def acquire_lease(self, owner: str, now: datetime, ttl_s: float = LEASE_TTL_S) -> bool:
        """Take the sync lease if free, expired or already ours; False if someone else holds it."""

    def release_lease(self, owner: str) -> None:
        """Give the lease back (no-op if we no longer hold it)."""

    def lease_holder(self, now: datetime) -> str | None:
        """Owner of an unexpired lease, or None."""

    def put_blob(self, name: str, data: bytes) -> None:
        """Save bytes under a name (the model artifact, a run's stream and laps)."""

    def get_blob(self, name: str) -> bytes | None:
        """Bytes saved under a name, or None."""

    def put_blobs(self, blobs: Mapping[str, bytes]) -> None:
        """Save several blobs, in their order (in one transaction where the backend has them: SQLite)."""

    def delete_blob(self, name: str) -> None:
        """Forget the bytes saved under a name (nothing happens when there are none)."""

    def blob_names(self, prefix: str) -> list[str]:
        """The names of every saved blob that starts with `prefix`, sorted."""

    def lease(self) -> Lease | None:
        """The stored sync lease, expired or not (None when free): its holder, since when, until when."""

    def check(self) -> None:
        """Raise StoreDamaged when the store itself is damaged (cheap: SQLite's quick_check, the table's status)."""

    def delete_sync_state(self, source: str) -> bool:
        """Forget a source's sync state (its next sync reads everything again); False if there was none."""
    # login counters (core/login.py): the login's rate limit, shared by every session and process -----------
    def get_login_counter(self, key: str) -> LoginCounter | None:
        """The counter stored under a key, or None."""

    def put_login_counter(self, counter: LoginCounter, expected: LoginCounter | None) -> bool:
        """Store a counter only if the stored one is still `expected` (None: nothing stored); False otherwise."""

    def login_counters(self) -> list[LoginCounter]:
        """Every stored counter, sorted by key."""

    def delete_login_counters(self, keys: Iterable[str]) -> int:
        """Delete counters by key; return how many existed."""
    # documents (core/preferences.py, core/store/ledger.py) and records as stored (core/store/overlay.py) ----------
    def get_document(self, collection: str, name: str) -> Document | None:
        """The document stored under (collection, name), or None."""

    def put_document(self, collection: str, name: str, body: Mapping[str, Any], expected_version: int) -> bool:
        """Store a document only if its stored version is still `expected_version` (0: none stored); False otherwise."""

    def documents(self, collection: str) -> list[Document]:
        """Every document of a collection, sorted by name."""

    def get_record(self, kind: str, key: str) -> Record | None:
        """One record by (kind, key) exactly as its source delivered it (no edit applied, deleted or not)."""

    def stored_rows(self, kind: str, start: datetime | None = None, end: datetime | None = None) -> list[dict]:
        """Every stored record of a kind with start <= time < end, before edits and deletions: its fields plus
        `source`, `key` and `_at` (its time as ISO-8601 UTC text), in no particular order."""
