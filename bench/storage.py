"""Sync and read costs: SQLite and DynamoDB (moto), full history and nothing-new, request counts."""

from __future__ import annotations

import math
import os
import tempfile
from datetime import timedelta
from pathlib import Path

import boto3
from moto import mock_aws

from bench.common import NOW, Row, ten_year_source, timed
from core.records import KINDS
from core.store.__main__ import create_tables
from core.store.dynamodb import DynamoDBStore
from core.store.maintenance import check_store
from core.store.sqlite import SQLiteStore
from core.sync import run_sync

CLOCK = lambda: NOW + timedelta(days=8)  # noqa: E731
RUNS = 3


def sqlite_rows(records: list) -> list[Row]:
    """Full-history and nothing-new sync into a fresh SQLite file; a full read of all kinds."""
    tmp = Path(tempfile.mkdtemp())
    paths = iter(tmp / f"s{i}.db" for i in range(100))
    state = {}
    full = timed(lambda: run_sync(state["store"], [ten_year_source()], now=CLOCK), RUNS,
                 setup=lambda: state.update(store=SQLiteStore(next(paths))))
    run_sync(state["store"], [ten_year_source()], now=CLOCK)  # the demo's held-back last week
    again = timed(lambda: run_sync(state["store"], [ten_year_source()], now=CLOCK), RUNS)
    read = timed(lambda: [state["store"].read(k) for k in KINDS], RUNS)
    check = timed(lambda: check_store(state["store"]), RUNS)
    paths2 = iter(tmp / f"u{i}.db" for i in range(100))
    upsert = timed(lambda: state["u"].upsert(records), RUNS, setup=lambda: state.update(u=SQLiteStore(next(paths2))))
    return [Row(f"SQLite: store the full history ({len(records)} records)", upsert, "s", "",
                "records generated beforehand"),
            Row("SQLite: sync of the full history, generation included", full, "s"),
            Row("SQLite: sync with nothing new", again, "s"),
            Row("SQLite: read everything (3 kinds)", read, "s"),
            Row("SQLite: store check before a sync or import", check, "s", "", "quick_check, counts, states")]


class Counter:
    """Counts DynamoDB requests by operation, and the bytes of items read (for read capacity)."""

    def __init__(self, client) -> None:
        self.calls: dict[str, int] = {}
        self.read_units = 0.0
        client.meta.events.register("before-call.dynamodb", self._count)
        client.meta.events.register("after-call.dynamodb.Query", self._capacity)

    def _count(self, model, **_kw) -> None:
        self.calls[model.name] = self.calls.get(model.name, 0) + 1

    def _capacity(self, parsed, **_kw) -> None:
        # item bytes: the packed blob plus ~200 bytes of keys and small attributes
        size = sum(len(item.get("blob", {}).get("B", b"")) + 200 for item in parsed.get("Items", []))
        self.read_units += math.ceil(size / 4096)  # strongly consistent: 1 RCU per 4 KB per page

    def reset(self) -> None:
        self.calls, self.read_units = {}, 0.0


def dynamodb_rows(records: list) -> list[Row]:
    """Same syncs into DynamoDB under moto, with requests counted; the Overview's cold read."""
    os.environ.update({"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": "eu-west-1"})
    rows = []
    with mock_aws():
        client = boto3.client("dynamodb", region_name="eu-west-1")
        counter = Counter(client)
        tables = iter(f"t{i}" for i in range(100))
        state: dict = {}

        def fresh():
            name = next(tables)
            create_tables(client, name, provisioned=False)
            state["store"] = DynamoDBStore(client, name, "me", None, sleep=lambda s: None)
            counter.reset()

        upsert = timed(lambda: [state["store"].upsert(records[i:i + DynamoDBStore.chunk_size])
                                     for i in range(0, len(records), DynamoDBStore.chunk_size)],
                       RUNS, setup=fresh)
        upsert_calls = dict(counter.calls)
        full = timed(lambda: run_sync(state["store"], [ten_year_source()], now=CLOCK), RUNS, setup=fresh)
        full_calls = dict(counter.calls)
        run_sync(state["store"], [ten_year_source()], now=CLOCK)  # the demo's held-back last week
        counter.reset()
        again = timed(lambda: run_sync(state["store"], [ten_year_source()], now=CLOCK), 1)
        again_calls = dict(counter.calls)
        counter.reset()
        store = state["store"]
        cold = timed(lambda: ([store.read(k) for k in KINDS], store.counts(), store.sync_states()), RUNS,
                     setup=counter.reset)
        cold_calls, cold_units = dict(counter.calls), counter.read_units
        items = sum(len(store._months(k)) for k in KINDS)
        check = timed(lambda: check_store(store), RUNS, setup=counter.reset)
        check_calls = dict(counter.calls)
        rows += [
            Row(f"DynamoDB (moto): store the full history ({len(records)} records -> {items} items)", upsert, "s",
                "< 2 s", _calls(upsert_calls) + "; records generated beforehand"),
            Row("DynamoDB (moto): sync of the full history, generation included", full, "s", "",
                _calls(full_calls)),
            Row("DynamoDB (moto): sync with nothing new", again, "s", "", _calls(again_calls)),
            Row("DynamoDB (moto): Overview cold read (3 kinds, counts, states)", cold, "s", "< 1 s",
                f"{_calls(cold_calls)}; ~{cold_units:.0f} RCU (computed from item sizes)"),
            Row("DynamoDB (moto): Overview cold read requests", [float(sum(cold_calls.values()))], "requests",
                "<= 50", "no Scan" if "Scan" not in cold_calls else "SCAN USED"),
            Row("DynamoDB (moto): store check before a sync or import", check, "s", "", _calls(check_calls)),
        ]
    return rows


def _calls(calls: dict[str, int]) -> str:
    return ", ".join(f"{n} {op}" for op, n in sorted(calls.items()))
