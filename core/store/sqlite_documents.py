"""Documents (preferences, record ledgers) and one record by key, on the embedded SQLite store.

A document is replaced only inside one write transaction that first reads its version (BEGIN IMMEDIATE takes the
write lock up front), so of two writers holding the same version one writes and the other gets False.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any

from core.records import Record, parse_utc
from core.store.base import Document
from core.store.documents import document_of, document_text


class SQLiteDocuments:
    """The documents half of SQLiteStore (it needs `_connect` and `_write`)."""

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def _write(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def get_document(self, collection: str, name: str) -> Document | None:
        with self._connect() as db:
            row = db.execute("SELECT body, version FROM documents WHERE collection = ? AND name = ?",
                             (collection, name)).fetchone()
        return document_of(collection, name, *row) if row else None

    def put_document(self, collection: str, name: str, body: Mapping[str, Any], expected_version: int) -> bool:
        text = document_text(collection, name, body)
        with self._write() as db:  # read and write in one transaction: a parallel writer waits, then sees ours
            row = db.execute("SELECT version FROM documents WHERE collection = ? AND name = ?",
                             (collection, name)).fetchone()
            if (row[0] if row else 0) != expected_version:
                return False
            db.execute("INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?)",
                       (collection, name, expected_version + 1, text))
        return True

    def documents(self, collection: str) -> list[Document]:
        with self._connect() as db:
            rows = db.execute("SELECT name, body, version FROM documents WHERE collection = ? ORDER BY name",
                              (collection,)).fetchall()
        return [document_of(collection, name, body, version) for name, body, version in rows]

    def get_record(self, kind: str, key: str) -> Record | None:
        with self._connect() as db:
            row = db.execute("SELECT source, time_utc, fields, raw, schema_version FROM records "
                             "WHERE kind = ? AND key = ?", (kind, key)).fetchone()
        if not row:
            return None
        source, when, fields, raw, version = row
        return Record(kind, source, key, parse_utc(when), json.loads(fields), json.loads(raw) if raw else None,
                      version)
