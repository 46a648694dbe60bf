"""Embedded store: one SQLite file in WAL mode (the default on a laptop).

One connection per operation keeps it safe across Streamlit's threads; WAL lets the app read
while a sync writes. Records keep their fields and raw payload as JSON text next to the key.
Every SQLite failure becomes a typed error naming the file and the fix (sqlite_errors.py); an
existing file that is empty (0 bytes) or holds another program's tables is reported, never silently
turned into a new store. The lease row keeps `since_utc`, when its holder first took it. Documents (preferences,
record ledgers) and records by key: sqlite_documents.py; reads apply the ledgers (core/store/overlay.py).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from core.records import Record, iso_utc, parse_utc
from core.store.base import ANY_TOKEN, LEASE_TTL_S, Lease, SyncState, UpsertCounts
from core.store.overlay import overlaid_read
from core.store.sqlite_documents import SQLiteDocuments
from core.store.sqlite_errors import check_file, check_tables, quick_check, store_error
from core.store.sqlite_login import SQLiteLoginCounters

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    kind TEXT NOT NULL, key TEXT NOT NULL, source TEXT NOT NULL, time_utc TEXT NOT NULL,
    fields TEXT NOT NULL, raw TEXT, schema_version INTEGER NOT NULL, digest TEXT NOT NULL,
    PRIMARY KEY (kind, key)
);
CREATE INDEX IF NOT EXISTS records_by_time ON records (kind, time_utc);
CREATE INDEX IF NOT EXISTS records_by_source ON records (kind, source, time_utc);
CREATE TABLE IF NOT EXISTS sync_state (source TEXT PRIMARY KEY, state TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (source TEXT PRIMARY KEY, token TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS lease (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_utc TEXT NOT NULL,
    since_utc TEXT);
CREATE TABLE IF NOT EXISTS blobs (name TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS login_counters (
    key TEXT PRIMARY KEY, failures INTEGER NOT NULL, not_before REAL NOT NULL, last_attempt REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS documents (
    collection TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL,
    PRIMARY KEY (collection, name)
);
"""
_BUSY_TIMEOUT_S = 30  # a sync's write transaction is short; readers wait rather than fail


class SQLiteStore(SQLiteLoginCounters, SQLiteDocuments):
    """Store protocol on a local SQLite file, created (with its folder) on first use."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise store_error(exc, self.path) from exc
        check_file(self.path)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            check_tables({n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}, self.path)
            db.executescript(_SCHEMA)
            if "since_utc" not in {row[1] for row in db.execute("PRAGMA table_info(lease)")}:  # made before it
                db.execute("ALTER TABLE lease ADD COLUMN since_utc TEXT")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            db = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise store_error(exc, self.path) from exc
        try:
            yield db
        except sqlite3.Error as exc:  # named for a person: the file and what to do
            raise store_error(exc, self.path) from exc
        finally:
            db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that takes the write lock up front (no upgrade deadlocks)."""
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                if db.in_transaction:  # SQLite already rolled back after a full disk or an I/O error
                    db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # records -------------------------------------------------------------------------------
    def upsert(self, records: Iterable[Record]) -> UpsertCounts:
        batch = {(r.kind, r.key): r for r in records}  # last one wins within a batch
        if not batch:
            return UpsertCounts()
        with self._write() as db:
            known = self._digests(db, list(batch))
            rows = [
                (r.kind, r.key, r.source, iso_utc(r.time_utc), json.dumps(r.fields), json.dumps(r.raw),
                 r.schema_version, r.digest)
                for k, r in batch.items() if known.get(k) != r.digest
            ]
            db.executemany("INSERT OR REPLACE INTO records VALUES (?,?,?,?,?,?,?,?)", rows)
        inserted = sum(1 for k in batch if k not in known)
        unchanged = sum(1 for k, r in batch.items() if known.get(k) == r.digest)
        return UpsertCounts(inserted, len(batch) - inserted - unchanged, unchanged)

    @staticmethod
    def _digests(db: sqlite3.Connection, keys: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
        db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (kind TEXT, key TEXT)")
        db.execute("DELETE FROM wanted")
        db.executemany("INSERT INTO wanted VALUES (?, ?)", keys)
        rows = db.execute(
            "SELECT r.kind, r.key, r.digest FROM records r JOIN wanted w ON r.kind = w.kind AND r.key = w.key"
        )
        return {(kind, key): digest for kind, key, digest in rows}

    def delete(self, kind: str, source: str, keys: Iterable[str]) -> int:
        with self._write() as db:
            cur = db.executemany(
                "DELETE FROM records WHERE kind = ? AND source = ? AND key = ?",
                [(kind, source, k) for k in keys],
            )
            return cur.rowcount

    def read(self, kind: str, start: datetime | None = None, end: datetime | None = None) -> pd.DataFrame:
        return overlaid_read(self, kind, start, end)

    def stored_rows(self, kind: str, start: datetime | None = None, end: datetime | None = None) -> list[dict]:
        sql = "SELECT fields, source, key, time_utc FROM records WHERE kind = ?"
        args: list[Any] = [kind]
        if start is not None:
            sql, args = sql + " AND time_utc >= ?", args + [iso_utc(start)]
        if end is not None:
            sql, args = sql + " AND time_utc < ?", args + [iso_utc(end)]
        with self._connect() as db:
            rows = db.execute(sql, args).fetchall()
        return [{**json.loads(f), "source": s, "key": k, "_at": t} for f, s, k, t in rows]

    def keys(self, kind: str, source: str) -> set[str]:
        with self._connect() as db:
            rows = db.execute("SELECT key FROM records WHERE kind = ? AND source = ?", (kind, source))
            return {k for (k,) in rows}

    def latest_time(self, kind: str, source: str | None = None) -> datetime | None:
        sql, args = "SELECT MAX(time_utc) FROM records WHERE kind = ?", [kind]
        if source is not None:
            sql, args = sql + " AND source = ?", args + [source]
        with self._connect() as db:
            (latest,) = db.execute(sql, args).fetchone()
        return parse_utc(latest) if latest else None

    def counts(self) -> dict[tuple[str, str], int]:
        with self._connect() as db:
            rows = db.execute("SELECT kind, source, COUNT(*) FROM records GROUP BY kind, source")
            return {(kind, source): n for kind, source, n in rows}

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
            since = row[2] if row and row[0] == owner and row[2] else iso_utc(now)  # a renewal keeps `since`
            db.execute("INSERT OR REPLACE INTO lease (name, owner, expires_utc, since_utc) VALUES ('sync', ?, ?, ?)",
                       (owner, expires, since))
        return True

    def release_lease(self, owner: str) -> None:
        with self._write() as db:
            db.execute("DELETE FROM lease WHERE name = 'sync' AND owner = ?", (owner,))

    def lease_holder(self, now: datetime) -> str | None:
        with self._connect() as db:
            row = db.execute("SELECT owner, expires_utc FROM lease WHERE name = 'sync'").fetchone()
        return row[0] if row and parse_utc(row[1]) > now.astimezone(UTC) else None

    # blobs ---------------------------------------------------------------------------------
    def put_blob(self, name: str, data: bytes) -> None:
        with self._write() as db:
            db.execute("INSERT OR REPLACE INTO blobs VALUES (?, ?)", (name, sqlite3.Binary(data)))

    def get_blob(self, name: str) -> bytes | None:
        with self._connect() as db:
            row = db.execute("SELECT data FROM blobs WHERE name = ?", (name,)).fetchone()
        return bytes(row[0]) if row else None

    def put_blobs(self, blobs: Mapping[str, bytes]) -> None:
        with self._write() as db:  # one commit (one fsync) for a run's stream and laps, or a batch of runs
            db.executemany("INSERT OR REPLACE INTO blobs VALUES (?, ?)",
                           [(name, sqlite3.Binary(data)) for name, data in blobs.items()])

    def delete_blob(self, name: str) -> None:
        with self._write() as db:
            db.execute("DELETE FROM blobs WHERE name = ?", (name,))

    def blob_names(self, prefix: str) -> list[str]:
        with self._connect() as db:  # substr, not LIKE: a name may hold % or _
            rows = db.execute("SELECT name FROM blobs WHERE substr(name, 1, ?) = ? ORDER BY name",
                              (len(prefix), prefix)).fetchall()
        return [name for (name,) in rows]

    # faults and upkeep -----------------------------------------------------------------------
    def lease(self) -> Lease | None:
        with self._connect() as db:
            row = db.execute("SELECT owner, expires_utc, since_utc FROM lease WHERE name = 'sync'").fetchone()
        return Lease(row[0], parse_utc(row[2]) if row[2] else None, parse_utc(row[1])) if row else None

    def check(self) -> None:
        with self._connect() as db:
            quick_check(db, self.path)

    def delete_sync_state(self, source: str) -> bool:
        with self._write() as db:
            return db.execute("DELETE FROM sync_state WHERE source = ?", (source,)).rowcount > 0
