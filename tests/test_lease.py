"""The sync lease under kills: SIGTERM gives it back, a SIGKILLed holder on this host is taken over at once,
a busy lease is named with its age, and `python -m core.sync unlock` frees a stuck one."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from core import lease
from core.errors import SyncBusy
from core.records import BODY
from core.store.sqlite import SQLiteStore
from core.sync import run_sync
from tests.apptest_helpers import ROOT
from tests.fixtures.provider_fakes import strava_csv
from tests.lease_child import FIRST_CHUNK, StallingSource

T0 = datetime(2026, 3, 1, 6, 30, tzinfo=UTC)
HOST = socket.gethostname()
WAIT_S = 60  # a child imports pandas and the sources before it is READY


def dead_pid() -> int:
    """The pid of a process of this host that has exited (and been reaped)."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def start(mode: str, db, *args: str) -> subprocess.Popen:
    """A writer process (tests/lease_child.py) on the store file, once it says it holds the lease."""
    env = {"FITDASH_STORE_SQLITE_PATH": str(db), "PATH": "/usr/bin:/bin"}
    child = subprocess.Popen([sys.executable, "-m", "tests.lease_child", mode, *args], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = child.stdout.readline()
    assert line.strip() == "READY", child.stderr.read() if child.poll() is not None else line
    return child


def stop(child: subprocess.Popen, signum: int) -> int:
    child.send_signal(signum)
    return child.wait(WAIT_S)


def cli(db, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {"FITDASH_STORE_SQLITE_PATH": str(db), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "core.sync", *args], input=stdin, capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)


def test_sigterm_mid_sync_gives_the_lease_back_and_keeps_what_was_stored(tmp_path):
    """SIGTERM during a sync: exit 143, the lease is free at once, the first chunk stays; a rerun completes once."""
    db = tmp_path / "s.db"
    child = start("sync", db)
    assert SQLiteStore(db).lease().owner.split(":")[-2] == str(child.pid)
    assert stop(child, signal.SIGTERM) == lease.SIGTERM_EXIT
    store = SQLiteStore(db)
    assert store.lease() is None
    assert store.counts() == {(BODY, "slow"): FIRST_CHUNK}
    report = run_sync(store, [StallingSource(total=FIRST_CHUNK)], now=lambda: T0)  # the rest, no stall
    assert report.ok and store.counts() == {(BODY, "slow"): FIRST_CHUNK}, "nothing stored twice"


def test_sigkill_mid_sync_leaves_a_lease_the_next_sync_takes_over_at_once(tmp_path):
    """SIGKILL runs no cleanup: the lease stays, but its holder is gone from this host, so the next CLI sync
    takes it over without waiting 15 minutes, and the chunk stored before the kill is kept."""
    db = tmp_path / "s.db"
    child = start("sync", db)
    assert stop(child, signal.SIGKILL) == -signal.SIGKILL
    store = SQLiteStore(db)
    assert store.lease_holder(datetime.now(UTC)).split(":")[-2] == str(child.pid), "no handler ran"
    out = cli(db)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "already running" not in out.stdout and out.stdout.startswith("demo: not synced - the store holds real data")
    assert store.lease() is None and store.counts()[(BODY, "slow")] == FIRST_CHUNK


def test_sigterm_mid_import_gives_the_lease_back_and_stores_nothing_half(tmp_path):
    """SIGTERM inside an import's write: exit 143, lease free, nothing half-stored; the same import then works."""
    db, csv = tmp_path / "s.db", tmp_path / "activities.csv"
    csv.write_bytes(strava_csv())
    SQLiteStore(db)
    child = start("import", db, str(csv))
    assert stop(child, signal.SIGTERM) == lease.SIGTERM_EXIT
    store = SQLiteStore(db)
    assert store.lease() is None and store.counts() == {}
    out = cli(db, "import", str(csv))
    assert out.returncode == 0 and "1 stored" in out.stdout, out.stdout
    assert store.counts() == {("run", "strava"): 1}


def test_sigkill_mid_import_is_taken_over_by_the_next_import(tmp_path):
    """An import SIGKILLed while holding the lease does not block the next import from this host."""
    db, csv = tmp_path / "s.db", tmp_path / "activities.csv"
    csv.write_bytes(strava_csv())
    SQLiteStore(db)
    child = start("import", db, str(csv))
    assert stop(child, signal.SIGKILL) == -signal.SIGKILL
    assert SQLiteStore(db).lease().owner.startswith(f"import:{HOST}:{child.pid}:")
    out = cli(db, "import", str(csv))
    assert out.returncode == 0 and "1 stored" in out.stdout, out.stdout + out.stderr
    assert SQLiteStore(db).counts() == {("run", "strava"): 1}


def test_a_server_stopping_mid_refresh_gives_the_lease_back_at_exit(tmp_path):
    """A sync in a daemon thread (the Refresh button's, in Streamlit's script thread) of a process that exits
    cleanly on SIGTERM, as the Streamlit server does: the lease is given back at exit."""
    db = tmp_path / "s.db"
    child = start("server", db)
    assert SQLiteStore(db).lease() is not None
    assert stop(child, signal.SIGTERM) == 0
    store = SQLiteStore(db)
    assert store.lease() is None and store.counts() == {(BODY, "slow"): FIRST_CHUNK}


def test_holder_gone_only_for_a_finished_process_of_this_host():
    """Gone: an exited pid on this host, or this process's own id once released. Never another host's."""
    assert lease.holder_gone(f"{HOST}:{dead_pid()}:abcd1234")
    assert lease.holder_gone(f"import:{HOST}:{dead_pid()}:abcd1234")
    assert not lease.holder_gone(f"{HOST}:{os.getppid()}:abcd1234"), "a live process"
    assert not lease.holder_gone(f"elsewhere:{dead_pid()}:abcd1234"), "another host is never guessed"
    assert not lease.holder_gone("github-actions:123") and not lease.holder_gone("cron-runner")
    mine = lease.new_owner()
    assert lease.holder_gone(mine), "this process does not hold that lease"


def test_this_process_holding_the_lease_is_not_taken_over(store):
    """Two writers of one process (the app's Refresh and an import): the second waits, it does not steal."""
    mine = lease.new_owner()
    lease.take(store, mine, lambda: T0)
    with pytest.raises(SyncBusy):
        lease.take(store, lease.new_owner("import:"), lambda: T0)
    lease.give_back(store, mine)
    assert store.lease() is None


def test_a_busy_lease_names_its_holder_and_age(store):
    """The message says who holds the lease, for how long and until when, and how to free a stuck one."""
    assert store.acquire_lease("web-1:4242:ab12cd34", T0)
    with pytest.raises(SyncBusy) as caught:
        run_sync(store, [], now=lambda: T0 + timedelta(minutes=12))
    assert str(caught.value) == ("sync already running (held by web-1:4242:ab12cd34 for 12 min (since 06:30 UTC), "
                                 "expires in 3 min)")
    assert "python -m core.sync unlock" in caught.value.action


def test_unlock_asks_then_frees(store):
    """unlock shows the holder, keeps the lease on a no, frees it on a yes, and says when nothing is held."""
    said = []
    assert store.acquire_lease("web-1:4242:ab12cd34", T0)
    assert lease.unlock(store, T0 + timedelta(minutes=2), lambda q: False, said.append) == 1
    assert store.lease_holder(T0) == "web-1:4242:ab12cd34"
    assert said[0] == "The sync lease is held by web-1:4242:ab12cd34 for 2 min (since 06:30 UTC), expires in 13 min."
    assert lease.unlock(store, T0, lambda q: True, said.append) == 0 and store.lease() is None
    assert lease.unlock(store, T0, lambda q: True, said.append) == 0
    assert said[-1] == "The sync lease is free: nothing to unlock."


def test_unlock_command_with_a_prompt_and_with_yes(tmp_path):
    """`python -m core.sync unlock` keeps the lease on "n", frees it on "y" or with --yes; then a sync runs."""
    db = tmp_path / "s.db"
    store = SQLiteStore(db)
    assert store.acquire_lease("other-host:77:deadbeef", datetime.now(UTC))
    kept = cli(db, "unlock", stdin="n\n")
    assert kept.returncode == 1 and "held by other-host:77:deadbeef" in kept.stdout
    assert store.lease().owner == "other-host:77:deadbeef"
    assert cli(db).returncode == 2, "a sync is refused while it is held"
    freed = cli(db, "unlock", stdin="y\n")
    assert freed.returncode == 0 and "Freed" in freed.stdout and store.lease() is None
    assert store.acquire_lease("other-host:77:deadbeef", datetime.now(UTC))
    assert cli(db, "unlock", "--yes").returncode == 0 and store.lease() is None
    assert cli(db).returncode == 0
