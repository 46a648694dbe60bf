"""Hosted store: one DynamoDB table (records packed by month) plus S3 for blobs.

Table design (docs/dynamodb.md has the access patterns): partition key `pk`, sort key `sk`, both strings.
- records: pk = "<user>#rec#<kind>", sk = "YYYY-MM"; one item per month and kind holding that month's
  records as zlib-compressed JSON (`blob`), a `version` for optimistic concurrency, and small
  per-source summaries (`counts`, `latest`) so counts and freshness never decompress anything.
- sync state: pk = "<user>#state", sk = source; tokens: pk = "<user>#token", sk = source;
  the lease: pk = "<user>#lease", sk = "sync".
Every read is a Query on one partition (never a Scan). New month items go out with BatchWriteItem
(<= 25 per request, UnprocessedItems retried with backoff); changed ones with a PutItem conditioned on
the version read, so two writers never lose each other's records.
"""

from __future__ import annotations

import json
import math
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

import pandas as pd
from botocore.exceptions import ClientError

from core.errors import StoreError
from core.records import Record, frame_from_rows, iso_utc, parse_utc
from core.store.base import ANY_TOKEN, LEASE_TTL_S, SyncState, UpsertCounts

BATCH_LIMIT = 25  # DynamoDB's maximum per BatchWriteItem
GET_LIMIT = 100  # DynamoDB's maximum per BatchGetItem
MAX_ITEM_BYTES = 350_000  # DynamoDB refuses items over 400 KB; keep a margin for attribute names
RETRIES = 8  # unprocessed-item and version-conflict retries before giving up loudly
BACKOFF_S = 0.05  # first backoff; doubles each retry (0.05 .. 6.4 s)


def _clean(value: Any) -> Any:
    """NaN and infinities become None so JSON stays valid and nothing non-numeric is stored as a number."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def pack(records: Mapping[str, list]) -> bytes:
    """A month's records {key: [time, source, fields, raw, schema_version, digest]} as compressed JSON."""
    return zlib.compress(json.dumps(_clean(records), separators=(",", ":"), allow_nan=False).encode(), 6)


def unpack(blob: bytes) -> dict[str, list]:
    """Inverse of pack."""
    return json.loads(zlib.decompress(bytes(blob)))


class DynamoDBStore:
    """Store protocol on DynamoDB (records, state, tokens, lease) with blobs delegated to S3."""

    chunk_size = 2500  # records per sync upsert: fewer rewrites of a month split across chunks

    def __init__(self, client: Any, table: str, user: str, blobs: Any, sleep: Callable[[float], None] = time.sleep):
        self.client, self.table, self.user, self.blobs, self.sleep = client, table, user, blobs, sleep

    # records -------------------------------------------------------------------------------
    def _pk(self, kind: str) -> str:
        return f"{self.user}#rec#{kind}"

    def _months(self, kind: str, first: str | None = None, last: str | None = None) -> list[dict]:
        """Every month item of a kind (optionally sk between first and last), paginated."""
        cond, values = "pk = :pk", {":pk": {"S": self._pk(kind)}}
        if first and last:
            cond, values = cond + " AND sk BETWEEN :a AND :b", {**values, ":a": {"S": first}, ":b": {"S": last}}
        return self._query(cond, values)

    def _query(self, condition: str, values: dict, **extra: Any) -> list[dict]:
        items, start = [], None
        while True:
            kwargs = {"TableName": self.table, "KeyConditionExpression": condition,
                      "ExpressionAttributeValues": values, "ConsistentRead": True, **extra}
            if start:
                kwargs["ExclusiveStartKey"] = start
            page = self.client.query(**kwargs)
            items += page.get("Items", [])
            start = page.get("LastEvaluatedKey")
            if not start:
                return items

    def upsert(self, records: Iterable[Record]) -> UpsertCounts:
        by_month: dict[tuple[str, str], dict[str, Record]] = defaultdict(dict)
        for r in records:
            by_month[(r.kind, r.time_utc.strftime("%Y-%m"))][r.key] = r
        total = UpsertCounts()
        fresh: list[dict] = []
        current = self._batch_get([(self._pk(kind), month) for kind, month in by_month])
        for (kind, month), batch in sorted(by_month.items()):
            counts, item, is_new = self._merge(kind, month, batch, current.get((self._pk(kind), month)))
            total += counts
            if item is not None and is_new:
                fresh.append(item)
        self._batch_put(fresh)
        return total

    def _batch_get(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict]:
        """Items by (pk, sk) with BatchGetItem (<= 100 keys a request, unprocessed keys retried)."""
        found: dict[tuple[str, str], dict] = {}
        for start in range(0, len(keys), GET_LIMIT):
            pending = {self.table: {"Keys": [self._key(pk, sk) for pk, sk in keys[start:start + GET_LIMIT]],
                                    "ConsistentRead": True}}
            for attempt in range(RETRIES + 1):
                if attempt:
                    self.sleep(BACKOFF_S * 2 ** (attempt - 1))
                response = self.client.batch_get_item(RequestItems=pending)
                for item in response.get("Responses", {}).get(self.table, []):
                    found[(item["pk"]["S"], item["sk"]["S"])] = item
                pending = response.get("UnprocessedKeys") or {}
                if not pending:
                    break
            else:
                raise StoreError(f"{len(pending[self.table]['Keys'])} keys still unread after {RETRIES} retries")
        return found

    def _merge(self, kind: str, month: str, batch: dict[str, Record],
               current: dict | None) -> tuple[UpsertCounts, dict | None, bool]:
        """Read-modify-write one month item; new items are returned for a batch write."""
        for attempt in range(RETRIES):
            if attempt:  # a conflict: read again what the other writer stored
                current = self.client.get_item(TableName=self.table, Key=self._key(self._pk(kind), month),
                                               ConsistentRead=True).get("Item")
            stored = unpack(current["blob"]["B"]) if current else {}
            counts = _count(stored, batch)
            if counts.inserted == counts.updated == 0:
                return counts, None, False
            for key, r in batch.items():
                stored[key] = [iso_utc(r.time_utc), r.source, dict(r.fields), r.raw, r.schema_version, r.digest]
            version = int(current["version"]["N"]) if current else 0
            item = self._month_item(kind, month, stored, version + 1)
            if current is None:
                return counts, item, True
            if self._conditional(lambda item=item, version=version: self._put(
                    item, "version = :v", {":v": {"N": str(version)}})):
                return counts, None, False
            self.sleep(BACKOFF_S)  # another writer changed this month: merge again on top of theirs
        raise StoreError(f"{kind} {month}: gave up after {RETRIES} concurrent-write conflicts")

    def _month_item(self, kind: str, month: str, stored: dict, version: int) -> dict:
        blob = pack(stored)
        if len(blob) > MAX_ITEM_BYTES:
            raise StoreError(f"{kind} {month}: {len(blob)} bytes packed, over the item size limit")
        counts: dict[str, int] = defaultdict(int)
        latest: dict[str, str] = {}
        for when, source, *_ in stored.values():
            counts[source] += 1
            latest[source] = max(latest.get(source, ""), when)
        return {**self._key(self._pk(kind), month), "blob": {"B": blob}, "version": {"N": str(version)},
                "counts": {"M": {s: {"N": str(n)} for s, n in counts.items()}},
                "latest": {"M": {s: {"S": t} for s, t in latest.items()}}}

    def _put(self, item: dict, condition: str, values: dict) -> None:
        self.client.put_item(TableName=self.table, Item=item, ConditionExpression=condition,
                             ExpressionAttributeValues=values)

    def _batch_put(self, items: list[dict]) -> None:
        """BatchWriteItem in chunks of 25; unprocessed items retried with backoff until written."""
        for start in range(0, len(items), BATCH_LIMIT):
            pending = [{"PutRequest": {"Item": i}} for i in items[start:start + BATCH_LIMIT]]
            for attempt in range(RETRIES + 1):
                if attempt:
                    self.sleep(BACKOFF_S * 2 ** (attempt - 1))
                response = self.client.batch_write_item(RequestItems={self.table: pending})
                pending = response.get("UnprocessedItems", {}).get(self.table, [])
                if not pending:
                    break
            else:
                raise StoreError(f"{len(pending)} items still unprocessed after {RETRIES} retries (throttled)")

    def delete(self, kind: str, source: str, keys: Iterable[str]) -> int:
        wanted, deleted = set(keys), 0
        for item in self._months(kind):
            stored = unpack(item["blob"]["B"])
            gone = [k for k in wanted if k in stored and stored[k][1] == source]
            if gone:
                for k in gone:
                    del stored[k]
                version = int(item["version"]["N"])
                self._put(self._month_item(kind, item["sk"]["S"], stored, version + 1), "version = :v",
                          {":v": {"N": str(version)}})
                deleted += len(gone)
        return deleted

    def read(self, kind: str, start: datetime | None = None, end: datetime | None = None) -> pd.DataFrame:
        first = start.strftime("%Y-%m") if start else "0000-00"
        last = end.strftime("%Y-%m") if end else "9999-99"
        lo, hi = (iso_utc(start) if start else ""), (iso_utc(end) if end else "~")
        rows = {}
        for item in self._months(kind, first, last):
            for key, (when, source, fields, *_rest) in unpack(item["blob"]["B"]).items():
                if lo <= when < hi:
                    rows[key] = {**fields, "source": source, "key": key}
        return frame_from_rows(kind, rows.values())

    def keys(self, kind: str, source: str) -> set[str]:
        return {k for item in self._months(kind) for k, v in unpack(item["blob"]["B"]).items() if v[1] == source}

    def latest_time(self, kind: str, source: str | None = None) -> datetime | None:
        for item in self._query("pk = :pk", {":pk": {"S": self._pk(kind)}}, ScanIndexForward=False):
            latest = {s: v["S"] for s, v in item.get("latest", {}).get("M", {}).items()}
            times = [t for s, t in latest.items() if source is None or s == source]
            if times:
                return parse_utc(max(times))
        return None

    def counts(self) -> dict[tuple[str, str], int]:
        out: dict[tuple[str, str], int] = defaultdict(int)
        for kind in ("body", "run", "set"):
            for item in self._months(kind):
                for source, n in item.get("counts", {}).get("M", {}).items():
                    out[(kind, source)] += int(n["N"])
        return {k: v for k, v in out.items() if v}

    # sync state and tokens -----------------------------------------------------------------
    def _key(self, pk: str, sk: str) -> dict:
        return {"pk": {"S": pk}, "sk": {"S": sk}}

    def get_sync_state(self, source: str) -> SyncState | None:
        item = self.client.get_item(TableName=self.table, Key=self._key(f"{self.user}#state", source),
                                    ConsistentRead=True).get("Item")
        return SyncState.from_json(item["state"]["S"]) if item else None

    def put_sync_state(self, state: SyncState) -> None:
        self.client.put_item(TableName=self.table, Item={**self._key(f"{self.user}#state", state.source),
                                                         "state": {"S": state.to_json()}})

    def sync_states(self) -> list[SyncState]:
        items = self._query("pk = :pk", {":pk": {"S": f"{self.user}#state"}})
        return [SyncState.from_json(i["state"]["S"]) for i in items]

    def get_token(self, source: str) -> dict | None:
        item = self.client.get_item(TableName=self.table, Key=self._key(f"{self.user}#token", source),
                                    ConsistentRead=True).get("Item")
        return json.loads(item["token"]["S"]) if item else None

    def put_token(self, source: str, token: Mapping[str, Any], expected_refresh_token: Any = ANY_TOKEN) -> bool:
        item = {**self._key(f"{self.user}#token", source), "token": {"S": json.dumps(dict(token))},
                "refresh_token": {"S": str(token.get("refresh_token") or "")}}
        kwargs: dict[str, Any] = {}
        if expected_refresh_token is None:
            kwargs = {"ConditionExpression": "attribute_not_exists(pk)"}
        elif expected_refresh_token is not ANY_TOKEN:
            kwargs = {"ConditionExpression": "refresh_token = :old",
                      "ExpressionAttributeValues": {":old": {"S": str(expected_refresh_token)}}}
        return self._conditional(lambda: self.client.put_item(TableName=self.table, Item=item, **kwargs))

    def _conditional(self, call: Callable[[], Any]) -> bool:
        try:
            call()
            return True
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise

    # lease -----------------------------------------------------------------------------------
    def acquire_lease(self, owner: str, now: datetime, ttl_s: float = LEASE_TTL_S) -> bool:
        item = {**self._key(f"{self.user}#lease", "sync"), "holder": {"S": owner},
                "expires": {"N": str(now.timestamp() + ttl_s)}}
        return self._conditional(lambda: self.client.put_item(
            TableName=self.table, Item=item,
            ConditionExpression="attribute_not_exists(pk) OR holder = :me OR expires < :now",
            ExpressionAttributeValues={":me": {"S": owner}, ":now": {"N": str(now.timestamp())}}))

    def release_lease(self, owner: str) -> None:
        self._conditional(lambda: self.client.delete_item(
            TableName=self.table, Key=self._key(f"{self.user}#lease", "sync"),
            ConditionExpression="holder = :me", ExpressionAttributeValues={":me": {"S": owner}}))

    def lease_holder(self, now: datetime) -> str | None:
        item = self.client.get_item(TableName=self.table, Key=self._key(f"{self.user}#lease", "sync"),
                                    ConsistentRead=True).get("Item")
        return item["holder"]["S"] if item and float(item["expires"]["N"]) > now.timestamp() else None

    # blobs -----------------------------------------------------------------------------------
    def put_blob(self, name: str, data: bytes) -> None:
        self.blobs.put_blob(name, data)

    def get_blob(self, name: str) -> bytes | None:
        return self.blobs.get_blob(name)


def _count(stored: dict, batch: dict[str, Record]) -> UpsertCounts:
    inserted = sum(1 for k in batch if k not in stored)
    unchanged = sum(1 for k, r in batch.items() if k in stored and stored[k][5] == r.digest)
    return UpsertCounts(inserted, len(batch) - inserted - unchanged, unchanged)


def open_dynamodb_store(settings: Any) -> DynamoDBStore:
    """Build the hosted store from settings, with clear errors for what is missing."""
    from core.store.aws import dynamodb_client, s3_blobs

    section = settings.section("dynamodb")
    client, table = dynamodb_client(settings)
    return DynamoDBStore(client, table, str(section.get("user_id", "me")), s3_blobs(settings))
