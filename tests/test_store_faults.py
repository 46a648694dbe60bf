"""A damaged, empty, unreadable or full SQLite store: one message naming the file and the fix, in the CLI and
on the page (never a traceback, never the file's path to an anonymous visitor), and nothing stored before lost."""

from __future__ import annotations

import ctypes
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.errors import StoreDamaged, StoreUnavailable
from core.records import BODY
from core.sources.demo import DemoSource
from core.store.sqlite import SQLiteStore
from core.sync import run_sync
from tests.apptest_helpers import APP, ROOT, SEEDED_AT, TIMEOUT_S, app_env, login, with_test_admin
from tests.builders import body

RESTORE = "python -m core.sync import EXPORT.zip"


def cli(db: Path, *args: str, ordinary_user: bool = False) -> subprocess.CompletedProcess:
    """`python -m core.sync ...` on the store file; as an ordinary user (no root override of file modes) if asked."""
    env = {"FITDASH_STORE_SQLITE_PATH": str(db), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "core.sync", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=120, preexec_fn=_without_root_override if ordinary_user else None)


def _without_root_override() -> None:
    """In the child, before exec: root drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH, so file modes apply."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def assert_one_message(out: subprocess.CompletedProcess, *expected: str) -> None:
    """Exit 2, one error line holding every expected phrase, no traceback."""
    assert out.returncode == 2, out.stdout + out.stderr
    assert "Traceback" not in out.stderr and "Traceback" not in out.stdout, out.stderr
    lines = [line for line in out.stdout.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1, out.stdout
    for phrase in expected:
        assert phrase in lines[0], (phrase, lines[0])


@pytest.fixture
def seeded(demo_template, tmp_path):
    """A private copy of the demo store (closed, no WAL left) and its record count."""
    path = tmp_path / "data" / "fitdash.sqlite3"
    path.parent.mkdir()
    shutil.copy(demo_template, path)
    return path, sum(SQLiteStore(path).counts().values())


def test_a_corrupt_file_is_named_with_how_to_restore_and_left_as_it_is(tmp_path):
    """Garbage where the store should be: the sync says the file is damaged and how to restore; the file stays."""
    db = tmp_path / "fitdash.sqlite3"
    db.write_bytes(b"not a database, a half-written download " * 200)
    before = db.read_bytes()
    with pytest.raises(StoreDamaged, match="is damaged"):
        SQLiteStore(db)
    assert_one_message(cli(db), str(db), "is damaged", RESTORE)
    assert db.read_bytes() == before, "never overwritten by a fresh store"


def test_a_truncated_file_fails_the_sync_loudly(seeded):
    """A store cut short (a copy interrupted) is reported as damaged; no sync runs into it."""
    db, _ = seeded
    with open(db, "r+b") as handle:
        handle.truncate(db.stat().st_size * 6 // 10)
    before = db.read_bytes()
    out = cli(db)
    assert_one_message(out, str(db), "damaged", RESTORE)
    assert "demo: ok" not in out.stdout and db.read_bytes() == before, "nothing written into it"


def test_quick_check_catches_damage_the_first_reads_do_not(seeded):
    """A damaged index page that opening the file does not touch is still caught by the sync's check."""
    db, count = seeded
    with sqlite3.connect(db) as raw:
        (page,) = raw.execute("SELECT rootpage FROM sqlite_master WHERE name = 'records_by_source'").fetchone()
        (size,) = raw.execute("PRAGMA page_size").fetchone()
    with open(db, "r+b") as handle:
        handle.seek((page - 1) * size)
        handle.write(b"\x00\xff" * (size // 2))
    store = SQLiteStore(db)  # opens: the schema and the records table are intact
    with pytest.raises(StoreDamaged, match="integrity check"):
        run_sync(store, [DemoSource(7, lambda: SEEDED_AT)], now=lambda: SEEDED_AT)
    assert_one_message(cli(db), str(db), "damaged", RESTORE)
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT COUNT(*) FROM records NOT INDEXED").fetchone() == (count,), "nothing was written"


def test_an_empty_file_is_reported_not_recreated(tmp_path):
    """A 0-byte store file (its data gone) is reported; it stays 0 bytes rather than becoming a new, empty store."""
    db = tmp_path / "fitdash.sqlite3"
    db.touch()
    assert_one_message(cli(db), str(db), "is empty (0 bytes)", RESTORE)
    assert db.stat().st_size == 0


def test_lost_records_behind_a_sync_state_are_reported_before_syncing(seeded):
    """Records gone while the sync state says they were stored: the sync stops with a message, adds nothing."""
    db, _ = seeded
    with sqlite3.connect(db) as raw:
        raw.execute("DELETE FROM records")
    out = cli(db)
    assert_one_message(out, "demo: its sync state says records up to", "python -m core.store purge --source demo")
    assert SQLiteStore(db).counts() == {}, "the watermark would have skipped the history: nothing synced"


def test_a_lost_records_table_is_reported(seeded):
    """A store whose records table was dropped is reported, not silently given a new empty one."""
    db, _ = seeded
    with sqlite3.connect(db) as raw:
        raw.execute("DROP TABLE records")
    assert_one_message(cli(db), str(db), "has lost its records table")
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT name FROM sqlite_master WHERE name = 'records'").fetchall() == []


def test_another_programs_database_is_not_taken_for_a_store(tmp_path):
    """Pointing the setting at some other SQLite file says so and leaves that file alone."""
    db = tmp_path / "other.sqlite3"
    with sqlite3.connect(db) as raw:
        raw.execute("CREATE TABLE photos (id INTEGER)")
    assert_one_message(cli(db), str(db), "not this dashboard's store", "FITDASH_STORE_SQLITE_PATH")
    with sqlite3.connect(db) as raw:
        assert [n for (n,) in raw.execute("SELECT name FROM sqlite_master")] == ["photos"]


def test_an_unreadable_file_says_to_fix_permissions(seeded):
    """A store file its user may not read: one message naming the file and the permission fix."""
    db, count = seeded
    db.chmod(0)
    try:
        assert_one_message(cli(db, ordinary_user=True), str(db), "cannot be opened", "chmod")
    finally:
        db.chmod(0o644)
    assert sum(SQLiteStore(db).counts().values()) == count


def test_a_read_only_data_folder_says_to_fix_permissions_and_loses_nothing(seeded):
    """A data folder that cannot be written (SQLite needs its -wal and -shm files there): the message names the
    file and the folder, and everything stored stays readable once the folder is writable again."""
    db, count = seeded
    db.parent.chmod(0o555)
    try:
        assert_one_message(cli(db, ordinary_user=True), str(db), str(db.parent), "FITDASH_STORE_SQLITE_PATH")
    finally:
        db.parent.chmod(0o755)
    assert sum(SQLiteStore(db).counts().values()) == count


class TinyDisk(SQLiteStore):
    """A store whose file may not grow past `max_pages` pages (SQLite's own limit): a full disk."""

    max_pages: int | None = None

    @contextmanager
    def _connect(self):
        with super()._connect() as db:
            if self.max_pages:
                db.execute(f"PRAGMA max_page_count = {self.max_pages}")
            yield db


def test_a_full_disk_keeps_everything_stored_before(tmp_path):
    """When the file cannot grow, the write fails with a 'disk is full' message and every earlier record stays."""
    store = TinyDisk(tmp_path / "s.db")
    store.upsert([body(i) for i in range(50)])
    with sqlite3.connect(store.path) as raw:
        (pages,) = raw.execute("PRAGMA page_count").fetchone()
    store.max_pages = pages + 2
    big = [body(i, weight=70.0 + i / 1000) for i in range(50, 5000)]
    with pytest.raises(StoreUnavailable, match="is full: this write was not stored") as caught:
        store.upsert(big)
    assert f"df -h {tmp_path}" in caught.value.action
    assert store.counts() == {(BODY, "withings"): 50}
    store.check()
    store.max_pages = None  # space freed
    assert store.upsert(big).inserted == len(big) and store.counts() == {(BODY, "withings"): 5000}


@pytest.fixture
def tiny_mount():
    """A 1 MB tmpfs (needs root and CAP_SYS_ADMIN, as here: skipped where mounting is not allowed)."""
    where = Path(f"/tmp/fitdash-full-{uuid.uuid4().hex[:8]}")
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)], capture_output=True)
    if mounted.returncode != 0:
        where.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=True)
        where.rmdir()


def test_a_really_full_disk_during_a_sync_then_a_rerun_converges(tiny_mount, tmp_path):
    """The demo's first sync on a 1 MB file system runs out of space: the CLI names the file and the fix; after
    space is freed the next sync ends with exactly the data of a sync that never failed."""
    db = tiny_mount / "fitdash.sqlite3"
    out = cli(db)
    assert_one_message(out, str(db), "is full", "df -h")
    stored = SQLiteStore(db).counts()
    subprocess.run(["mount", "-o", "remount,size=64m", str(tiny_mount)], check=True)  # space freed
    SQLiteStore(db).check()
    assert cli(db).returncode == 0 and cli(db).returncode == 0  # resumes, then (nothing held back) catches up
    assert all(SQLiteStore(db).counts()[k] >= n for k, n in stored.items()), "nothing stored before was lost"
    reference = tmp_path / "ref.sqlite3"
    assert cli(reference).returncode == 0 and cli(reference).returncode == 0  # the demo's first sync and catch-up
    assert SQLiteStore(db).counts() == SQLiteStore(reference).counts()


def _corrupt(db: Path) -> None:
    db.write_bytes(b"\x00garbage" * 4096)


def test_an_anonymous_visitor_never_sees_the_files_path(tmp_path, monkeypatch):
    """No users configured and a damaged store: a visitor gets a neutral sentence, no path, no traceback."""
    db = tmp_path / "secret-folder" / "fitdash.sqlite3"
    db.parent.mkdir()
    _corrupt(db)
    app_env(monkeypatch, db)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S).run()
    assert not at.exception
    shown = " ".join(e.value for e in [*at.error, *at.warning, *at.info, *at.markdown])
    assert "cannot read its data right now" in shown
    assert "secret-folder" not in shown and "damaged" not in shown
    assert not at.text_input, "no login form on a store that cannot say whether the demo is on"


def test_a_logged_in_admin_sees_the_file_and_the_fix(tmp_path, monkeypatch):
    """With users configured the login works without the store; after it, the damaged file and the fix show."""
    db = tmp_path / "fitdash.sqlite3"
    _corrupt(db)
    before = db.read_bytes()
    app_env(monkeypatch, db)
    user = with_test_admin(monkeypatch)
    at = login(AppTest.from_file(APP, default_timeout=TIMEOUT_S).run(), *user)
    assert not at.exception
    assert any(str(db) in e.value and "is damaged" in e.value and RESTORE in e.value for e in at.error)
    assert db.read_bytes() == before
