"""Manual entries, edits and deletions killed at every write, then run again: nothing lost, nothing doubled, and a
sync killed at any of its writes never undoes an edit or a deletion (SQLite, moto and dynalite)."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta

import pytest

from core.errors import InvalidEntry
from core.records import BODY, RUN
from core.store.dynamodb import DynamoDBStore
from core.store.sqlite import SQLiteStore
from core.yourdata import delete_record, edit_record, enter_weigh_in
from tests.test_crash_points import CLIENT_WRITES, STORE_WRITES, Killed, count_writes, dead_owner
from tests.yourdata_helpers import ADMIN, NOW, PARIS, clock, run_item, strava_sync, visible

WRITES = STORE_WRITES | {"put_document"}
MORNING = datetime(2026, 3, 5, 7, 30)
START = datetime.fromisoformat("2026-03-10T07:00:00+00:00")
RUNS = [run_item(1, START), run_item(2, START + timedelta(days=2)), run_item(3, START + timedelta(days=35))]


@pytest.fixture(params=["sqlite", "moto", pytest.param("dynalite", marks=pytest.mark.dynalite)])
def opener(request, tmp_path):
    """(fresh store for attempt n, the same store through a proxy that dies at its k-th write)."""
    if request.param == "sqlite":
        return (lambda n: SQLiteStore(tmp_path / f"s{n}.db"),
                lambda n, k: Killed(SQLiteStore(tmp_path / f"s{n}.db"), k, WRITES))
    hosted = request.getfixturevalue(f"{request.param}_store")

    def fresh(n):
        return DynamoDBStore(hosted.client, hosted.table, f"athlete{n}", hosted.blobs, sleep=lambda s: None)

    def dying(n, k):
        killer = Killed(hosted.client, k, CLIENT_WRITES)
        return DynamoDBStore(killer, hosted.table, f"athlete{n}", hosted.blobs, sleep=lambda s: None), killer

    return fresh, dying


def _dying(opener, n, k):
    made = opener[1](n, k)
    return made if isinstance(made, tuple) else (made, made)


def weigh(store, kg=80.4):
    return enter_weigh_in(store, ADMIN, local_time=MORNING, timezone=PARIS, weight_kg=kg, now=clock)


def killed_weigh_in(opener, k, monkeypatch, kg=80.4):
    """Enter a weigh-in through a store that dies at its k-th write, in a process of this host that then exited."""
    store, killer = _dying(opener, k, k)
    monkeypatch.setattr("core.lease.new_owner", lambda prefix="": dead_owner(prefix))
    with contextlib.suppress(SystemExit):
        weigh(store, kg=kg)
    monkeypatch.undo()
    return killer


def saved_again(opener, k, kg=80.4):
    """The person saves the entry again on a fresh store (told it is there already if it was stored)."""
    store = opener[0](k)
    with contextlib.suppress(InvalidEntry):
        weigh(store, kg=kg)
    return store


def test_a_manual_entry_killed_at_any_write_is_stored_once_when_saved_again(opener, monkeypatch):
    """Killed at the lease, the upsert or the lease's release, an entry saved again is read exactly once (or, if it
    was stored before the kill, saving again says it is there already)."""
    def attempt(k):
        return killed_weigh_in(opener, k, monkeypatch)

    points = count_writes(attempt)
    assert points >= 3, "lease, record, release"
    for k in range(1, points + 1):
        attempt(k)
        store = saved_again(opener, k)
        assert visible(store, BODY) == ["manual:withings:2026-03-05T07:30:00"], k
        assert len(store.stored_rows(BODY)) == 1 and store.lease() is None, k


def test_an_entry_over_a_deleted_one_killed_at_any_write_never_shows_the_old_values(opener, monkeypatch):
    """Entering again a weigh-in that was deleted writes the record, then lifts the deletion: killed between them,
    nothing is read (never the deleted 80.4 kg); saved again, 79.8 kg is read once."""
    def attempt(k):
        weigh(opener[0](k))
        delete_record(opener[0](k), ADMIN, BODY, "manual:withings:2026-03-05T07:30:00", now=clock)
        killer = killed_weigh_in(opener, k, monkeypatch, kg=79.8)
        assert opener[0](k).read(BODY).weight_kg.tolist() in ([], [79.8]), f"old values shown after a kill at {k}"
        return killer

    points = count_writes(attempt)
    assert points >= 4, "lease, record, the ledger, release"
    for k in range(1, points + 1):
        attempt(k)
        store = saved_again(opener, k, kg=79.8)
        assert store.read(BODY).weight_kg.tolist() == [79.8] and len(store.stored_rows(BODY)) == 1, k


def test_a_sync_killed_at_any_write_keeps_edits_and_deletions(opener):
    """An edit and a deletion, then a Strava sync killed at each of its writes and run again: the edit is read,
    the deleted run stays out, every run is stored once."""
    def prepare(n):
        store = opener[0](n)
        assert strava_sync(store, RUNS[:2]).ok
        edit_record(store, ADMIN, RUN, "strava:1001", {"name": "Intervals"}, now=clock)
        delete_record(store, ADMIN, RUN, "strava:1002", now=clock)

    def attempt(k):
        prepare(k)
        store, killer = _dying(opener, k, k)
        with contextlib.suppress(SystemExit):
            strava_sync(store, [{**r, "kudos_count": 9} for r in RUNS], now=lambda: NOW + timedelta(hours=1),
                        owner=dead_owner())
        return killer

    points = count_writes(attempt)
    assert points >= 3, "lease, records, state"
    for k in range(1, points + 1):
        attempt(k)
        store = opener[0](k)
        assert strava_sync(store, RUNS, now=lambda: NOW + timedelta(hours=2)).ok, k
        frame = store.read(RUN).set_index("key")
        assert frame.index.tolist() == ["strava:1001", "strava:1003"] and frame.name["strava:1001"] == "Intervals", k
        assert sorted(r["key"] for r in store.stored_rows(RUN)) == ["strava:1001", "strava:1002", "strava:1003"], k


def test_an_edit_killed_before_its_one_write_is_applied_once_when_saved_again(opener):
    """An edit is one compare-and-set write: killed, nothing changed; saved again, one history entry."""
    store = opener[0](0)
    assert strava_sync(store, RUNS[:1]).ok
    dying, _ = _dying(opener, 0, 1)
    with pytest.raises(SystemExit):
        edit_record(dying, ADMIN, RUN, "strava:1001", {"name": "Intervals"}, now=clock)
    assert store.documents("ledger-run") == []
    ledger = edit_record(store, ADMIN, RUN, "strava:1001", {"name": "Intervals"}, now=clock)
    assert (ledger.version, len(ledger.history), visible(store, RUN)) == (1, 1, ["strava:1001"])
