"""What a failing SQLite file means for a person: one typed error that names the file and the fix.

SQLite reports a damaged file (SQLITE_CORRUPT, SQLITE_NOTADB), a full disk (SQLITE_FULL), a file or
folder it may not write (SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM) and a stuck lock (SQLITE_BUSY).
Each becomes a StoreDamaged or StoreUnavailable whose action says what to do; a write that failed was
rolled back whole, so what was stored before stays stored.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from core.errors import StoreDamaged, StoreError, StoreUnavailable


def _permissions(path: Path) -> str:
    return (f"Let the user running the dashboard read and write {path} and its folder {path.parent} (SQLite also "
            f"writes {path.name}-wal and {path.name}-shm there): `chown`/`chmod u+rw`, or point "
            "FITDASH_STORE_SQLITE_PATH ([store] sqlite_path) at a writable folder.")


def store_error(exc: sqlite3.Error | OSError, path: Path) -> StoreError:
    """The typed error for an SQLite (or file system) failure on the store file at `path`."""
    if isinstance(exc, OSError):
        return StoreUnavailable(f"the store {path} cannot be opened: {exc.strerror or exc}", _permissions(path))
    name, detail = getattr(exc, "sqlite_errorname", "") or "", str(exc)
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return StoreDamaged(f"the store file {path} is damaged ({detail})")
    if name == "SQLITE_FULL":
        return StoreUnavailable(
            f"the disk holding {path} is full: this write was not stored (everything stored before is intact)",
            f"Free space on that disk (`df -h {path.parent}`), then run the sync or the import again.")
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")):
        return StoreUnavailable(f"the store {path} cannot be opened for writing ({detail})", _permissions(path))
    if name.startswith("SQLITE_IOERR"):
        return StoreUnavailable(f"reading or writing {path} failed ({detail})",
                                "Check the disk (free space, `dmesg`); if the file is damaged, restore it from an "
                                "export (`python -m core.sync import EXPORT.zip`).")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StoreUnavailable(f"{path} stayed locked by another process ({detail})",
                                "Another program holds the file (a copy or a backup in progress?): try again later.")
    return StoreError(f"the store {path}: {detail}")


def check_file(path: Path) -> None:
    """Before SQLite touches it: an existing 0-byte file is a store whose data is gone, never a new one."""
    try:
        size = path.stat().st_size if path.exists() else None
    except OSError as exc:
        raise store_error(exc, path) from exc
    if size == 0:
        raise StoreDamaged(f"the store file {path} is empty (0 bytes) where a store was expected",
                           action="If this is a new install, delete the empty file and start again. Otherwise its "
                                  "data is gone (an interrupted copy, a full disk?): restore the file from a backup, "
                                  "or your data from your last export with `python -m core.sync import EXPORT.zip`.")


def check_tables(names: set[str], path: Path) -> None:
    """A database that holds tables, but not the records table, is another program's file or lost its tables."""
    if names and "records" not in names:
        what = ("has lost its records table (its sync state is still there)" if "sync_state" in names else
                f"is an SQLite database but not this dashboard's store (no records table; it holds "
                f"{', '.join(sorted(names)[:5])})")
        raise StoreDamaged(
            f"{path} {what}",
            action="Point FITDASH_STORE_SQLITE_PATH ([store] sqlite_path) at the dashboard's store, or restore it "
                   "from a backup or an export (`python -m core.sync import EXPORT.zip`).")


def quick_check(db: sqlite3.Connection, path: Path) -> None:
    """PRAGMA quick_check (a few ms per MB): StoreDamaged naming the first problems it finds."""
    problems = [row[0] for row in db.execute("PRAGMA quick_check(5)")]
    if problems != ["ok"]:
        found = " ".join("; ".join(problems).split())[:300]  # its lines can hold newlines: one line here
        raise StoreDamaged(f"the store file {path} is damaged (integrity check: {found})")
