"""Sync state, OAuth tokens, the sync lease, blobs and the health check of the embedded SQLite store.

The non-record half of SQLiteStore (it needs `path`, `_connect` and `_write`), like dynamodb_meta is
for the hosted store. The lease row keeps `since_utc`, when its holder first took it, across renewals.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from core.records import iso_utc, parse_utc
from core.store.base import ANY_TOKEN, LEASE_TTL_S, Lease, SyncState
from core.store.sqlite_errors import quick_check


class SQLiteMeta:
    """State, tokens, lease and blobs on the store file."""

    path: Path

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def _write(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    # sync state ----------------------------------------------------------------------------
    def get_sync_state(self, source: str) -> SyncState | None:
        with self._connect() as db:
            row = db.execute("SELECT state FROM sync_state WHERE source = ?", (source,)).fetchone()
        return SyncState.from_json(row[0]) if row else None

    def put_sync_state(self, state: SyncState) -> None:
        with self._write() as db:
            db.execute("INSERT OR REPLACE INTO sync_state VALUES (?, ?)", (state.source, state.to_json()))

    def sync_states(self) -> list[SyncState]:
        with self._connect() as db:
            rows = db.execute("SELECT state FROM sync_state ORDER BY source").fetchall()
        return [SyncState.from_json(text) for (text,) in rows]

    def delete_sync_state(self, source: str) -> bool:
        with self._write() as db:
            return db.execute("DELETE FROM sync_state WHERE source = ?", (source,)).rowcount > 0

    # tokens --------------------------------------------------------------------------------
    def get_token(self, source: str) -> dict | None:
        with self._connect() as db:
            row = db.execute("SELECT token FROM tokens WHERE source = ?", (source,)).fetchone()
        return json.loads(row[0]) if row else None

    def put_token(self, source: str, token: Mapping[str, Any], expected_refresh_token: Any = ANY_TOKEN) -> bool:
        with self._write() as db:
            if expected_refresh_token is not ANY_TOKEN:
                row = db.execute("SELECT token FROM tokens WHERE source = ?", (source,)).fetchone()
                current = json.loads(row[0]).get("refresh_token") if row else None
                if current != expected_refresh_token:
                    return False
            db.execute("INSERT OR REPLACE INTO tokens VALUES (?, ?)", (source, json.dumps(dict(token))))
        return True

    # lease ---------------------------------------------------------------------------------
    def acquire_lease(self, owner: str, now: datetime, ttl_s: float = LEASE_TTL_S) -> bool:
        expires = iso_utc(now + timedelta(seconds=ttl_s))
        with self._write() as db:
            row = db.execute("SELECT owner, expires_utc, since_utc FROM lease WHERE name = 'sync'").fetchone()
            if row and row[0] != owner and parse_utc(row[1]) > now.astimezone(UTC):
                return False
            since = row[2] if row and row[0] == owner and row[2] else iso_utc(now)
            db.execute("INSERT OR REPLACE INTO lease (name, owner, expires_utc, since_utc) VALUES ('sync', ?, ?, ?)",
                       (owner, expires, since))
        return True

    def release_lease(self, owner: str) -> None:
        with self._write() as db:
            db.execute("DELETE FROM lease WHERE name = 'sync' AND owner = ?", (owner,))

    def lease_holder(self, now: datetime) -> str | None:
        found = self.lease()
        return found.owner if found and found.expires > now.astimezone(UTC) else None

    def lease(self) -> Lease | None:
        with self._connect() as db:
            row = db.execute("SELECT owner, expires_utc, since_utc FROM lease WHERE name = 'sync'").fetchone()
        return Lease(row[0], parse_utc(row[2]) if row[2] else None, parse_utc(row[1])) if row else None

    # blobs and health ----------------------------------------------------------------------
    def put_blob(self, name: str, data: bytes) -> None:
        with self._write() as db:
            db.execute("INSERT OR REPLACE INTO blobs VALUES (?, ?)", (name, sqlite3.Binary(data)))

    def get_blob(self, name: str) -> bytes | None:
        with self._connect() as db:
            row = db.execute("SELECT data FROM blobs WHERE name = ?", (name,)).fetchone()
        return bytes(row[0]) if row else None

    def check(self) -> None:
        with self._connect() as db:
            quick_check(db, self.path)


def lease_columns(db: sqlite3.Connection) -> Iterator[str]:
    """Statements that bring a lease table made before `since_utc` existed up to date."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(lease)")}
    if "since_utc" not in columns:
        yield "ALTER TABLE lease ADD COLUMN since_utc TEXT"
