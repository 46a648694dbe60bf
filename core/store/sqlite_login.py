"""The login counters (core/login.py) on the embedded SQLite store: one row per username or client address.

A counter is replaced only inside one write transaction that first reads it (BEGIN IMMEDIATE takes the write
lock up front), so of two parallel attempts from the same read one writes and the other sees its write.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from contextlib import AbstractContextManager

from core.store.base import LoginCounter


class SQLiteLoginCounters:
    """The login-counter half of SQLiteStore (it needs `_connect` and `_write`)."""

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def _write(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def get_login_counter(self, key: str) -> LoginCounter | None:
        with self._connect() as db:
            return self._login_counter(db, key)

    @staticmethod
    def _login_counter(db: sqlite3.Connection, key: str) -> LoginCounter | None:
        row = db.execute("SELECT key, failures, not_before, last_attempt FROM login_counters WHERE key = ?",
                         (key,)).fetchone()
        return LoginCounter(*row) if row else None

    def put_login_counter(self, counter: LoginCounter, expected: LoginCounter | None) -> bool:
        with self._write() as db:  # read and write in one transaction: a parallel attempt waits, then sees ours
            if self._login_counter(db, counter.key) != expected:
                return False
            db.execute("INSERT OR REPLACE INTO login_counters VALUES (?, ?, ?, ?)",
                       (counter.key, counter.failures, counter.not_before, counter.last_attempt))
        return True

    def login_counters(self) -> list[LoginCounter]:
        with self._connect() as db:
            rows = db.execute("SELECT key, failures, not_before, last_attempt FROM login_counters ORDER BY key")
            return [LoginCounter(*row) for row in rows]

    def delete_login_counters(self, keys: Iterable[str]) -> int:
        with self._write() as db:
            return db.executemany("DELETE FROM login_counters WHERE key = ?", [(k,) for k in keys]).rowcount
