"""The hosted store: the Store contract on moto and on dynalite, plus faults and concurrency."""

from __future__ import annotations

import dataclasses
import random
import threading
import zlib
from datetime import timedelta

import pytest

from core.errors import StoreError, SyncBusy
from core.records import BODY, RUN
from core.sources.demo import DemoSource
from core.store.base import UpsertCounts
from core.store.dynamodb import DynamoDBStore
from core.store.months import unpack
from core.store.sqlite import SQLiteStore
from core.sync import run_sync
from tests.aws_fixtures import aws_error, dynalite_missing
from tests.builders import SYNC_NOW as NOW
from tests.builders import T0, body, clock_at, run
from tests.store_contract import StoreContract


class TestMotoContract(StoreContract):
    @pytest.fixture
    def store(self, moto_store):
        return moto_store


@pytest.mark.dynalite
class TestDynaliteContract(StoreContract):
    @pytest.fixture
    def store(self, dynalite_store):
        return dynalite_store


class CountingClient:
    """Wraps a client: counts calls per operation, and can return UnprocessedItems on the first batches."""

    def __init__(self, client, unprocessed_batches: int = 0):
        self.client, self.unprocessed_batches, self.calls = client, unprocessed_batches, {}

    def __getattr__(self, name):
        method = getattr(self.client, name)

        def call(**kwargs):
            self.calls[name] = self.calls.get(name, 0) + 1
            if name == "batch_write_item" and self.unprocessed_batches:
                self.unprocessed_batches -= 1
                (table, requests), = kwargs["RequestItems"].items()
                half = len(requests) // 2
                if half:
                    method(RequestItems={table: requests[:half]})
                return {"UnprocessedItems": {table: requests[half:]}}
            return method(**kwargs)

        return call


def test_unprocessed_items_are_retried_until_written_once(moto_store):
    """Throttled halves of batches come back as UnprocessedItems; every record ends up stored once."""
    flaky = CountingClient(moto_store.client, unprocessed_batches=3)
    store = DynamoDBStore(flaky, moto_store.table, "me", moto_store.blobs, sleep=lambda s: None)
    records = [body(i * 31) for i in range(40)]  # 40 months: two BatchWriteItem chunks of <= 25
    assert store.upsert(records).inserted == 40
    assert flaky.calls["batch_write_item"] >= 5
    assert sorted(store.read(BODY).key) == sorted(r.key for r in records)
    assert store.upsert(records).unchanged == 40


def test_persistent_throttling_is_a_clear_error(moto_store):
    """If a batch never gets through, the upsert fails loudly instead of dropping records."""
    stuck = CountingClient(moto_store.client, unprocessed_batches=10_000)
    store = DynamoDBStore(stuck, moto_store.table, "me", moto_store.blobs, sleep=lambda s: None)
    with pytest.raises(StoreError, match="unprocessed"):
        store.upsert([body(0), body(40)])


def test_throttling_exceptions_are_retried_by_botocore(moto_store):
    """ThrottlingException responses on the first attempts are retried (standard mode): all written once."""
    client = moto_store.client
    remaining = {"n": 2}

    def throttle(request, **kwargs):
        if remaining["n"]:
            remaining["n"] -= 1
            return aws_error(request, 400, "ThrottlingException", "slow down")
        return None

    client.meta.events.register_first("before-send.dynamodb.BatchWriteItem", throttle)
    try:
        assert moto_store.upsert([body(0), body(40)]).inserted == 2
    finally:
        client.meta.events.unregister("before-send.dynamodb.BatchWriteItem", throttle)
    assert remaining["n"] == 0 and len(moto_store.read(BODY)) == 2


def test_whole_history_reads_in_few_requests(moto_store):
    """Three years of demo data: stored in a few dozen packed items, read back with Queries only."""
    clock = clock_at(NOW)
    counting = CountingClient(moto_store.client)
    store = DynamoDBStore(counting, moto_store.table, "me", moto_store.blobs, sleep=lambda s: None)
    report = run_sync(store, [DemoSource(7, clock)], now=clock)
    assert report.ok
    items = sum(len(store._months(kind)) for kind in ("body", "run", "set"))
    writes = counting.calls.get("put_item", 0) + counting.calls.get("batch_write_item", 0)
    assert writes < 2 * items, "packed: about one write per month item, not one per record"
    assert "scan" not in counting.calls
    counting.calls.clear()
    total = sum(len(store.read(kind)) for kind in ("body", "run", "set"))
    assert total == report.sources[0].counts.inserted
    assert set(counting.calls) == {"query"} and counting.calls["query"] <= 10


def test_concurrent_writers_to_one_month_lose_nothing(moto_store):
    """A writer whose version check fails re-reads and merges, so both writers' records survive."""
    other = DynamoDBStore(moto_store.client, moto_store.table, "me", moto_store.blobs, sleep=lambda s: None)
    moto_store.upsert([body(0)])
    original = moto_store.client.batch_get_item

    def racing_get(**kwargs):  # the other writer lands between our read and our conditional write
        item = original(**kwargs)
        if not racing_get.done:
            racing_get.done = True
            other.upsert([body(1)])
        return item

    racing_get.done = False
    moto_store.client = CountingClient(moto_store.client)
    moto_store.client.batch_get_item = racing_get
    moto_store.upsert([body(-1)])  # 29 March: the month the other writer changed (body(2) was April: no race)
    assert sorted(other.read(BODY).key) == ["withings:body:-1", "withings:body:0", "withings:body:1"]
    assert moto_store.client.calls["get_item"] == 1, "our conditional write lost and we re-read the month"


def test_two_concurrent_syncs_one_is_refused(moto_store):
    """While one sync holds the lease (a slow source), a second reports 'sync already running'."""
    started, release = threading.Event(), threading.Event()

    class Slow:
        name, kinds, overlap, ascending, mirror = "slow", (BODY,), timedelta(0), True, False

        def fetch(self, since):
            started.set()
            release.wait(10)
            yield body(0)

    clock = clock_at(NOW)
    results = {}
    thread = threading.Thread(target=lambda: results.update(a=run_sync(moto_store, [Slow()], now=clock)))
    thread.start()
    assert started.wait(10)
    with pytest.raises(SyncBusy, match="already running"):
        run_sync(moto_store, [Slow()], now=clock)
    release.set()
    thread.join(10)
    assert results["a"].ok and moto_store.lease_holder(NOW) is None


def test_delete_racing_a_writer_re_reads_and_retries(moto_store):
    """A version conflict during delete() re-reads the month and retries: the key goes, the other write stays."""
    moto_store.upsert([body(0), body(1)])
    other = DynamoDBStore(moto_store.client, moto_store.table, "me", moto_store.blobs, sleep=lambda s: None)
    counting = CountingClient(moto_store.client)
    original = counting.__getattr__("put_item")

    def racing_put(**kwargs):  # the other writer lands between our read and our conditional write
        if not racing_put.done:
            racing_put.done = True
            other.upsert([body(1, 90.0)])
        return original(**kwargs)

    racing_put.done = False
    counting.put_item = racing_put
    store = DynamoDBStore(counting, moto_store.table, "me", moto_store.blobs, sleep=lambda s: None)
    assert store.delete(BODY, "withings", ["withings:body:0"]) == 1
    frame = store.read(BODY)
    assert frame.key.tolist() == ["withings:body:1"] and frame.weight_kg.tolist() == [90.0]
    assert counting.calls["get_item"] == 1, "the conflict was resolved by re-reading the month"


def test_small_reads_never_fetch_the_packed_records(moto_store):
    """counts(), latest_time() and keys() project the small attributes: no packed blob crosses the wire."""
    moto_store.upsert([body(i * 10) for i in range(12)] + [run(1)])
    seen = []
    moto_store.client.meta.events.register("after-call.dynamodb.Query",
                                           lambda parsed, **kw: seen.extend(parsed.get("Items", [])))
    assert moto_store.counts() == {(BODY, "withings"): 12, (RUN, "strava"): 1}
    assert moto_store.latest_time(BODY) == T0 + timedelta(days=110)
    assert len(moto_store.keys(BODY, "withings")) == 12
    assert seen and not any("blob" in item for item in seen)


def test_a_resync_with_nothing_new_looks_nothing_up(moto_store):
    """Looking for records that moved month costs a Query only when a batch inserts keys."""
    records = [body(i * 10) for i in range(12)]
    counting = CountingClient(moto_store.client)
    store = DynamoDBStore(counting, moto_store.table, "me", moto_store.blobs, sleep=lambda s: None)
    store.upsert(records)
    assert counting.calls == {"batch_get_item": 1, "query": 1, "batch_write_item": 1}
    counting.calls.clear()
    assert store.upsert(records[:-1] + [body(110, 70.0)]) == UpsertCounts(updated=1, unchanged=11)
    assert counting.calls == {"batch_get_item": 1, "put_item": 1}


def test_nan_is_stored_as_null_never_as_a_number(moto_store):
    """A NaN or infinite value is written as JSON null and reads back as missing."""
    moto_store.upsert([body(0, float("nan")), body(1, float("inf"))])
    assert moto_store.read(BODY).weight_kg.isna().all()
    (item,) = moto_store._months(BODY)
    text = zlib.decompress(item["blob"]["B"]).decode()
    assert "NaN" not in text and "Infinity" not in text
    assert [row[2]["weight_kg"] for row in unpack(item["blob"]["B"]).values()] == [None, None]


@pytest.mark.parametrize("ci,node,installed,expected", [
    (False, None, False, "skip"),  # no node on a laptop: skipped, with the reason in the summary
    (True, None, False, "fail"),  # CI must run the leg
    (False, "/usr/bin/node", False, "fail"),  # node but no `npm ci`: not silently skipped
    (True, "/usr/bin/node", False, "fail"),
    (False, "/usr/bin/node", True, None),
])
def test_the_dynalite_leg_is_skipped_only_without_node(ci, node, installed, expected):
    """The dynalite fixture skips only when node is absent outside CI; otherwise it runs or fails loudly."""
    outcome = dynalite_missing(ci, node, installed)
    assert (outcome[0] if outcome else None) == expected


@pytest.mark.dynalite
def test_dynalite_rejects_what_moto_accepts(dynalite_store):
    """The second implementation is stricter: a 26-item batch is refused there (so our chunking matters)."""
    from botocore.exceptions import ClientError

    items = [{"PutRequest": {"Item": {"pk": {"S": "x"}, "sk": {"S": str(i)}}}} for i in range(26)]
    with pytest.raises(ClientError):
        dynalite_store.client.batch_write_item(RequestItems={dynalite_store.table: items})
    assert dynalite_store.upsert([body(i * 31) for i in range(30)]).inserted == 30


def test_model_blob_round_trip_on_s3(moto_store):
    """The model artifact goes to S3 under the configured prefix and comes back identical."""
    from core.forecast import artifact

    blob = artifact.dump({"model": 1}, {"k": 3}, b"k" * 32)
    moto_store.put_blob(artifact.BLOB_NAME, blob)
    assert moto_store.get_blob(artifact.BLOB_NAME) == blob
    keys = [o["Key"] for o in moto_store.blobs.client.list_objects_v2(Bucket="models")["Contents"]]
    assert keys == ["fitdash/model/forecast.joblib"]
    assert artifact.load(moto_store.get_blob(artifact.BLOB_NAME), b"k" * 32)[0] == {"model": 1}
    assert moto_store.get_blob("model/missing") is None


def test_same_answers_as_sqlite_over_a_random_history(moto_store, tmp_path):
    """Seeded random upserts (new, changed, moved month, repeated) and deletes: DynamoDB answers as SQLite does."""
    rng, sqlite = random.Random(11), SQLiteStore(tmp_path / "same.db")
    for step in range(25):
        if step % 5 == 4:
            keys = [f"withings:body:{rng.randrange(40)}" for _ in range(3)]
            assert moto_store.delete(BODY, "withings", keys) == sqlite.delete(BODY, "withings", keys), step
        else:
            batch = [dataclasses.replace(body(rng.randrange(120), rng.choice([80.0, 81.5])),
                                         key=f"withings:body:{rng.randrange(40)}") for _ in range(rng.randrange(1, 8))]
            assert moto_store.upsert(batch) == sqlite.upsert(batch), step
        ours, theirs = moto_store.read(BODY), sqlite.read(BODY)
        assert ours.key.tolist() == theirs.key.tolist() and ours.time_utc.tolist() == theirs.time_utc.tolist(), step
        assert moto_store.counts() == sqlite.counts(), step
        assert moto_store.latest_time(BODY) == sqlite.latest_time(BODY), step
