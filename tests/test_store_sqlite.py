"""The Store contract on the embedded SQLite store, plus what is specific to a file on disk."""

import sqlite3

import pytest

from core.records import BODY
from core.store.sqlite import SQLiteStore
from tests.builders import body
from tests.store_contract import StoreContract


class TestSQLiteContract(StoreContract):
    @pytest.fixture
    def store(self, tmp_path):
        return SQLiteStore(tmp_path / "store.sqlite3")


def test_creates_folder_and_uses_wal(tmp_path):
    """The store file and its folder are created on first use, in WAL mode."""
    path = tmp_path / "nested" / "data" / "fit.sqlite3"
    SQLiteStore(path)
    (mode,) = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()
    assert path.exists() and mode == "wal"


def test_data_survives_reopening(tmp_path):
    """What was stored is there after the process reopens the file."""
    SQLiteStore(tmp_path / "s.db").upsert([body(0), body(1)])
    assert len(SQLiteStore(tmp_path / "s.db").read(BODY)) == 2


def test_failed_batch_stores_nothing(tmp_path):
    """A batch that fails midway is rolled back whole (no half-written upsert)."""
    store = SQLiteStore(tmp_path / "s.db")
    store.upsert([body(0)])

    class Boom:
        kind, key, source = "body", "withings:body:9", "withings"

        def __getattr__(self, name):
            raise RuntimeError("crash while writing")

    with pytest.raises(RuntimeError):
        store.upsert([body(1), Boom()])
    assert store.read(BODY).key.tolist() == ["withings:body:0"]
