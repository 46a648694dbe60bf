"""Killed at every write point, then run again: nothing stored before is lost, nothing is stored twice.

A "kill" is a proxy that raises SystemExit at the n-th write and stays dead for every later call (so no
`finally` of the dying run can write either, as after a SIGKILL); the rerun is a fresh store object on
the same file or table, as a new process would open. The dead run's owner id names an exited process of
this host, so the rerun takes its lease over at once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import threading
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import pytest
import responses

from core.records import BODY, RUN
from core.sources.files import import_file
from core.sources.withings import WithingsSource
from core.sources.withings.client import API, WithingsClient
from core.store.dynamodb import DynamoDBStore
from core.store.months import unpack
from core.store.sqlite import SQLiteStore
from core.sync import run_sync
from tests.aws_fixtures import SerialClient
from tests.builders import EDIT_NOW as NOW
from tests.builders import FakeSource, body, run
from tests.fixtures.provider_fakes import STRAVA_HEADER
from tests.kills import Killed, count_writes, dead_owner

STORE_WRITES = frozenset({"upsert", "delete", "put_sync_state", "delete_sync_state", "put_token", "acquire_lease",
                          "release_lease", "put_blob"})
CLIENT_WRITES = frozenset({"put_item", "batch_write_item", "delete_item"})


# imports ----------------------------------------------------------------------------------------
def strava_file(days: range) -> bytes:
    """A Strava activities.csv with one run per listed day (spread over months), in the export's layout."""
    rows = []
    for day in days:
        when, ident = datetime(2025, 1, 5, 7, tzinfo=UTC) + timedelta(days=day), 5000 + day
        rows.append(f'{ident},"{when:%b %d, %Y, %I:%M:%S %p}",Run {day},Run,,3000,10.02,178,40,false,,,'
                    f"activities/{ident}.fit.gz,72,,3000.0,2900.0,10020.5,4.1,3.45,85.0,80.0,151.2")
    return (STRAVA_HEADER + "\n" + "\n".join(rows) + "\n").encode()


FIRST, FULL = strava_file(range(0, 120, 30)), strava_file(range(0, 240, 12))  # 4 runs; 20 in 8 months, 2 known


def imported(store) -> dict:
    return {"counts": store.counts(), "runs": sorted(store.keys(RUN, "strava"))}


def test_an_import_killed_at_any_write_of_sqlite_converges(tmp_path):
    """An import into a store holding part of the file, killed at each of its writes: the next import ends with
    exactly what one clean import gives (each run once, the earlier ones intact)."""
    reference = SQLiteStore(tmp_path / "ref.db")
    import_file(reference, FIRST, "a.csv", now=lambda: NOW)
    import_file(reference, FULL, "b.csv", now=lambda: NOW)

    def attempt(n: int) -> Killed:
        path = tmp_path / f"s{n}.db"
        import_file(SQLiteStore(path), FIRST, "a.csv", now=lambda: NOW)
        killed = Killed(SQLiteStore(path), n, STORE_WRITES)
        try:
            import_file(killed, FULL, "b.csv", now=lambda: NOW, owner=dead_owner("import:"))
        except SystemExit:
            assert killed.dead and SQLiteStore(path).counts() in ({(RUN, "strava"): 4}, reference.counts())
        return killed

    points = count_writes(attempt)
    assert points >= 4, "lease, records, import state, release"
    for n in range(1, points + 1):
        attempt(n)
        store = SQLiteStore(tmp_path / f"s{n}.db")
        report = import_file(store, FULL, "b.csv", now=lambda: NOW)
        assert imported(store) == imported(reference), n
        assert report.records_new + report.records_already == 20 and store.lease() is None, n


def test_an_import_killed_at_any_dynamodb_request_converges(moto_store, tmp_path):
    """The same on DynamoDB, killed before each PutItem / BatchWriteItem / DeleteItem of the import (changed months
    and new months alike): the next import stores every run exactly once."""
    reference = SQLiteStore(tmp_path / "ref.db")
    import_file(reference, FIRST, "a.csv", now=lambda: NOW)
    import_file(reference, FULL, "b.csv", now=lambda: NOW)
    table = moto_store.table

    def attempt(n: int) -> Killed:
        user = f"athlete{n}"  # one partition per kill point: a fresh store on the same table
        import_file(DynamoDBStore(moto_store.client, table, user, moto_store.blobs), FIRST, "a.csv", now=lambda: NOW)
        killed = Killed(moto_store.client, n, CLIENT_WRITES)
        with contextlib.suppress(SystemExit):
            import_file(DynamoDBStore(killed, table, user, moto_store.blobs), FULL, "b.csv", now=lambda: NOW,
                        owner=dead_owner("import:"))
        return killed

    points = count_writes(attempt)
    assert points >= 4, "lease, a changed month, the new months, import state, release"
    for n in range(1, points + 1):
        attempt(n)
        store = DynamoDBStore(moto_store.client, table, f"athlete{n}", moto_store.blobs)
        import_file(store, FULL, "b.csv", now=lambda: NOW)
        assert imported(store) == imported(reference), n
        assert len(store.read(RUN)) == len(reference.read(RUN)) == 22 and store.lease() is None, n


# a non-ascending source: Withings ------------------------------------------------------------------
def group(day: int) -> dict:
    """A Withings measure group (the documented shape) weighed on `day` days after 1 March 2026."""
    when = int(datetime(2026, 3, 1, 6, tzinfo=UTC).timestamp()) + day * 86400
    return {"grpid": 9000 + day, "attrib": 0, "date": when, "created": when + 60, "modified": when + 60,
            "category": 1, "deviceid": "a1b2", "hash_deviceid": "a1b2", "model": "Body Cardio", "modelid": 6,
            "measures": [{"value": 80000 + day * 10, "type": 1, "unit": -3, "algo": 0, "fm": 3}]}


class FakeMeasure:
    """POST /measure getmeas: groups modified after `lastupdate`, newest first (as Withings may), paged by offset."""

    def __init__(self, days: range, per_page: int = 4) -> None:
        self.per_page = per_page
        self.serve(days)

    def serve(self, days: range) -> None:
        """What the account holds from now on (newest first)."""
        self.groups = sorted((group(d) for d in days), key=lambda g: -g["date"])

    def __call__(self, request):
        form = {k: v[0] for k, v in parse_qs(request.body).items()}
        newer = [g for g in self.groups if g["modified"] > int(form["lastupdate"])]
        start = int(form.get("offset", 0))
        page = newer[start:start + self.per_page]
        more = start + self.per_page < len(newer)
        body = {"updatetime": int(NOW.timestamp()), "timezone": "Europe/Paris", "measuregrps": page,
                "more": int(more), "offset": start + len(page)}
        return 200, {}, json.dumps({"status": 0, "body": body})


def withings(store) -> WithingsSource:
    return WithingsSource(WithingsClient("cid", "csecret", store, lambda: NOW, sleep=lambda s: None))


def with_token(store):
    store.put_token("withings", {"access_token": "a", "refresh_token": "r",
                                 "expires_at": (NOW + timedelta(hours=2)).timestamp()})
    return store


def test_withings_killed_at_any_write_keeps_its_watermark_and_converges(tmp_path, monkeypatch):
    """Withings delivers newest first, so its cursor may only move once the whole read is stored: killed at
    each write of a sync (between chunks, before the final state), the stored watermark is still the previous
    one, and the next sync stores every weigh-in once (a cursor moved mid-read would skip the older ones)."""
    monkeypatch.setattr("core.sync.CHUNK", 3)  # 12 new weigh-ins in 4 chunks
    fake = FakeMeasure(range(5))
    with responses.RequestsMock() as mock:
        mock.add_callback(responses.POST, f"{API}/measure", callback=fake)

        def synced(path, store=None):
            store = store or with_token(SQLiteStore(path))
            return run_sync(store, [withings(store)], now=lambda: NOW)

        assert synced(tmp_path / "ref.db").ok
        first = SQLiteStore(tmp_path / "ref.db").get_sync_state("withings").watermark
        fake.serve(range(17))
        assert synced(tmp_path / "ref.db").ok
        reference = SQLiteStore(tmp_path / "ref.db")

        def attempt(n: int) -> Killed:
            path = tmp_path / f"w{n}.db"
            fake.serve(range(5))
            synced(path)
            fake.serve(range(17))
            killed = Killed(SQLiteStore(path), n, STORE_WRITES)
            try:
                run_sync(killed, [withings(killed)], now=lambda: NOW, owner=dead_owner())
            except SystemExit:
                after = SQLiteStore(path)
                stored_all = after.counts() == {(BODY, "withings"): 17}
                assert after.get_sync_state("withings").watermark == first or stored_all, f"cursor moved at {n}"
            return killed

        points = count_writes(attempt)
        assert points >= 6, "lease, four chunks, the final state"
        for n in range(1, points + 1):
            attempt(n)
            assert synced(tmp_path / f"w{n}.db", SQLiteStore(tmp_path / f"w{n}.db")).ok
            store = SQLiteStore(tmp_path / f"w{n}.db")
            assert store.counts() == reference.counts() == {(BODY, "withings"): 17}, n
            assert store.keys(BODY, "withings") == reference.keys(BODY, "withings"), n


# a record moving between months on DynamoDB --------------------------------------------------------
@pytest.mark.parametrize("target_exists", [True, False], ids=["into-a-stored-month", "into-a-new-month"])
def test_a_move_between_months_killed_between_its_writes_ends_with_the_record_once(moto_store, target_exists):
    """A run whose start moved from March to May is written as two month writes; killed at any write of that sync
    (between the two included), it is never stored twice, and the next sync leaves it exactly once in May."""
    moved = dataclasses.replace(run(40), key="strava:run:0")  # 30 March -> 9 May

    def prepare(user: str) -> DynamoDBStore:
        store = DynamoDBStore(moto_store.client, moto_store.table, user, moto_store.blobs)
        stored = [run(0), run(1)] + ([run(41)] if target_exists else [])
        src = FakeSource("strava", stored)
        assert run_sync(store, [src], now=lambda: NOW).ok
        src.records = [moved] + stored[1:]
        return store, src

    def attempt(n: int) -> Killed:
        _, src = prepare(f"m{n}")
        killed = Killed(moto_store.client, n, CLIENT_WRITES)
        with contextlib.suppress(SystemExit):
            run_sync(DynamoDBStore(killed, moto_store.table, f"m{n}", moto_store.blobs), [src], now=lambda: NOW,
                     owner=dead_owner())
        return killed

    points = count_writes(attempt)
    expected = {"strava:run:0", "strava:run:1"} | ({"strava:run:41"} if target_exists else set())
    for n in range(1, points + 1):
        attempt(n)
        store = DynamoDBStore(moto_store.client, moto_store.table, f"m{n}", moto_store.blobs)
        frame = store.read(RUN)
        assert frame.key.value_counts().max() == 1, f"stored twice after a kill at {n}"
        src = FakeSource("strava", [moved, run(1)] + ([run(41)] if target_exists else []))
        assert run_sync(store, [src], now=lambda: NOW).ok
        frame = store.read(RUN)
        assert sorted(frame.key) == sorted(expected), n
        assert frame.set_index("key").start_time_utc["strava:run:0"] == moved.time_utc, n
        keys_in_months = [k for item in store._months(RUN) for k in unpack(item["blob"]["B"])]
        assert sorted(keys_in_months) == sorted(expected), f"one copy in one month only ({n})"


# truly concurrent writers to one month ---------------------------------------------------------------
WRITERS = 4


class ReadThenWait:
    """A client whose first BatchGetItem (an upsert reading the months it will change) waits for the other
    writers' reads, so that all of them hold the same version before any writes."""

    def __init__(self, client, barrier: threading.Barrier) -> None:
        self.client, self.barrier, self.waited, self.calls = client, barrier, False, {}

    def __getattr__(self, name):
        attr = getattr(self.client, name)
        if not callable(attr) or name.startswith("_") or name == "meta":
            return attr

        def call(**kwargs):
            self.calls[name] = self.calls.get(name, 0) + 1
            result = attr(**kwargs)
            if name == "batch_get_item" and not self.waited:
                self.waited = True
                self.barrier.wait(30)
            return result

        return call


def concurrent_upserts(clients, table, user) -> list[ReadThenWait]:
    """WRITERS threads, each with its own client, upserting its own three weigh-ins of March 2025 at once."""
    barrier = threading.Barrier(WRITERS)
    wrapped = [ReadThenWait(c, barrier) for c in clients]
    errors = []

    def write(w: int) -> None:
        try:
            DynamoDBStore(wrapped[w], table, user, None, sleep=lambda s: None).upsert(
                [body(-(3 * w + j) - 1) for j in range(3)])  # 29 March and earlier: the stored month
        except Exception as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    return wrapped


def assert_every_writer_kept(store, wrapped):
    frame = store.read(BODY)
    assert sorted(frame.key) == sorted(f"withings:body:{i}" for i in range(-3 * WRITERS, 1))
    (item,) = store._months(BODY, "#s, #b, #v")
    assert int(item["version"]["N"]) == 1 + WRITERS, "each writer's merge is one new version"
    assert sum(w.calls.get("get_item", 0) for w in wrapped) >= WRITERS - 1, "the writers really conflicted"


def test_concurrent_writers_to_the_same_month_keep_every_record_on_moto(moto_store):
    """Four threads with their own clients read the same version of one month, then write: the version condition
    makes the losers re-read and merge, so every writer's records are stored (moto)."""
    moto_store.upsert([body(0)])
    lock = moto_store.client._client._lock  # one server: requests from every client are applied one at a time
    clients = []
    for _ in range(WRITERS):
        serial = SerialClient(moto_store.client._client._client)
        serial._lock = lock
        clients.append(serial)
    wrapped = concurrent_upserts(clients, moto_store.table, "me")
    assert_every_writer_kept(moto_store, wrapped)


@pytest.mark.dynalite
def test_concurrent_writers_to_the_same_month_keep_every_record_on_dynalite(dynalite_store, dynalite_endpoint):
    """The same race against a real DynamoDB server (dynalite), each writer on its own connection."""
    import boto3

    from core.store.aws import CLIENT_CONFIG
    from tests.aws_fixtures import REGION

    dynalite_store.upsert([body(0)])
    clients = [boto3.client("dynamodb", region_name=REGION, endpoint_url=dynalite_endpoint, config=CLIENT_CONFIG,
                            aws_access_key_id="x", aws_secret_access_key="x") for _ in range(WRITERS)]
    wrapped = concurrent_upserts(clients, dynalite_store.table, "me")
    assert_every_writer_kept(dynalite_store, wrapped)
