"""Hosted store: one DynamoDB table (records packed by month) plus S3 for blobs.

Table design (README "Hosted store and deployment" and docs/dynamodb.md): partition key `pk`, sort key
`sk`, both strings.
- records: pk = "<user>#rec#<kind>", sk = "YYYY-MM"; one item per month and kind (core/store/months.py:
  the packed `blob`, a `version` for optimistic concurrency, and small `counts`, `latest`, `keylist`).
- sync state, tokens and the lease (core/store/dynamodb_meta.py): pk = "<user>#state" / "<user>#token"
  with sk = source, and pk = "<user>#lease" with sk = "sync".
- documents (core/store/dynamodb_docs.py: preferences, record ledgers): pk = "<user>#doc#<collection>", sk = name.
Every read is a Query on one partition or a GetItem/BatchGetItem by key (never a Scan), strongly
consistent so a page read right after a sync shows it. New month items go out with BatchWriteItem
(<= 25 per request, UnprocessedItems retried with backoff); changed ones with a PutItem (or DeleteItem
when emptied) conditioned on the version read: on a conflict the writer re-reads and merges again.
Throttling, 5xx answers and timeouts that outlast botocore's retries raise StoreThrottled / StoreUnavailable
(core/store/aws_errors.py).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

import pandas as pd

from core.errors import StoreError
from core.records import KINDS, Record, iso_utc, parse_utc
from core.store.aws_errors import guarded
from core.store.base import UpsertCounts
from core.store.dynamodb_docs import DocumentItems
from core.store.dynamodb_meta import MetaItems
from core.store.months import DIGEST, count, month_attributes, row_of, unpack
from core.store.overlay import overlaid_read

BATCH_LIMIT = 25  # DynamoDB's maximum per BatchWriteItem
GET_LIMIT = 100  # DynamoDB's maximum per BatchGetItem
RETRIES = 8  # unprocessed-item and version-conflict retries before giving up loudly
BACKOFF_S = 0.05  # first backoff; doubles each retry (0.05 .. 6.4 s)
# Attribute names through placeholders: `blob` and `keys`-like words are DynamoDB reserved words.
NAMES = {"#b": "blob", "#v": "version", "#c": "counts", "#l": "latest", "#k": "keylist", "#s": "sk"}

Month = tuple[str, str]  # (kind, "YYYY-MM")


class DynamoDBStore(MetaItems, DocumentItems):
    """Store protocol on DynamoDB (records, state, tokens, lease) with blobs delegated to S3."""

    # Records per sync upsert: a 10-year history is one upsert. Every chunk boundary costs a rewrite of the
    # months two chunks share and a keylist look-up; a failing source still hands over what it read.
    chunk_size = 50_000

    def __init__(self, client: Any, table: str, user: str, blobs: Any, sleep: Callable[[float], None] = time.sleep):
        self.client, self.table, self.user, self.blobs, self.sleep = client, table, user, blobs, sleep
        self.client = guarded(client, "DynamoDB", f"table {table!r}")  # throttling, 5xx: typed errors

    # reads -----------------------------------------------------------------------------------
    def _pk(self, kind: str) -> str:
        return f"{self.user}#rec#{kind}"

    def _months(self, kind: str, attrs: str = "#s, #b", first: str = "0000-00", last: str = "9999-99",
                **extra: Any) -> list[dict]:
        """Month items of a kind with first <= sk <= last, only the named attributes, paginated."""
        names = {n: v for n, v in NAMES.items() if n in attrs}
        return self._query("pk = :pk AND sk BETWEEN :a AND :b",
                           {":pk": {"S": self._pk(kind)}, ":a": {"S": first}, ":b": {"S": last}},
                           ProjectionExpression=attrs, ExpressionAttributeNames=names, **extra)

    def _batch_get(self, months: Iterable[Month]) -> dict[Month, dict]:
        """Month items (blob and version) by BatchGetItem: <= 100 keys a request, unprocessed keys retried."""
        wanted, found = sorted(set(months)), {}
        kind_of = {self._pk(kind): kind for kind, _ in wanted}
        for start in range(0, len(wanted), GET_LIMIT):
            keys = [self._key(self._pk(kind), month) for kind, month in wanted[start:start + GET_LIMIT]]
            pending = {self.table: {"Keys": keys, "ConsistentRead": True, "ProjectionExpression": "pk, #s, #b, #v",
                                    "ExpressionAttributeNames": {"#s": "sk", "#b": "blob", "#v": "version"}}}
            for attempt in range(RETRIES + 1):
                if attempt:
                    self.sleep(BACKOFF_S * 2 ** (attempt - 1))
                response = self.client.batch_get_item(RequestItems=pending)
                for item in response.get("Responses", {}).get(self.table, []):
                    found[(kind_of[item["pk"]["S"]], item["sk"]["S"])] = item
                pending = response.get("UnprocessedKeys") or {}
                if not pending:
                    break
            else:
                raise StoreError(f"{len(pending[self.table]['Keys'])} keys still unread after {RETRIES} retries")
        return found

    def _get_month(self, kind: str, month: str) -> dict | None:
        return self.client.get_item(TableName=self.table, Key=self._key(self._pk(kind), month), ConsistentRead=True,
                                    ProjectionExpression="#b, #v",
                                    ExpressionAttributeNames={"#b": "blob", "#v": "version"}).get("Item")

    def _where(self, kind: str, keys: set[str], source: str | None = None) -> dict[str, set[str]]:
        """Months holding any of these keys (of one source, or any), from the small keylists only."""
        found: dict[str, set[str]] = {}
        for month, lists in self._keylists(kind).items():
            hits = {k for s, ks in lists.items() if source in (None, s) for k in ks if k in keys}
            if hits:
                found[month] = hits
        return found

    def _keylists(self, kind: str) -> dict[str, dict[str, list[str]]]:
        """{month: {source: [keys]}} of a kind, reading only the small keylist attribute."""
        items = self._months(kind, "#s, #k")
        lists = {i["sk"]["S"]: unpack(i["keylist"]["B"]) for i in items if "keylist" in i}
        older = [(kind, i["sk"]["S"]) for i in items if "keylist" not in i]
        for (_, month), item in self._batch_get(older).items():  # written before keylists existed
            for key, (_, source, *_rest) in unpack(item["blob"]["B"]).items():
                lists.setdefault(month, {}).setdefault(source, []).append(key)
        return lists

    # writes ----------------------------------------------------------------------------------
    def upsert(self, records: Iterable[Record]) -> UpsertCounts:
        latest = {(r.kind, r.key): r for r in records}  # last one wins within a batch
        batch: dict[Month, dict[str, list]] = defaultdict(dict)
        for (kind, key), r in latest.items():
            row = row_of(r)
            batch[(kind, row[0][:7])][key] = row
        current = self._batch_get(batch)
        stored = {m: unpack(item["blob"]["B"]) for m, item in current.items()}
        moved = self._moved(batch, stored)
        moved_keys = {kind: {k for (kd, _), ks in moved.items() if kd == kind for k in ks} for kind in KINDS}
        if set(moved) - set(batch):  # months records moved out of, not otherwise written: fetch them
            current.update(self._batch_get(set(moved) - set(batch)))
            stored.update({m: unpack(current[m]["blob"]["B"]) for m in set(moved) - set(batch) if m in current})
        total, fresh = UpsertCounts(), []
        # Months that lose a moved record are written first: a crash in between leaves the record
        # missing (the sync re-fetches it, its watermark has not moved) rather than stored twice.
        for month in sorted(set(batch) | set(moved), key=lambda m: (m not in moved, m)):
            counts, _, item = self._merge(month, batch.get(month, {}), moved.get(month, set()), current.get(month),
                                          stored.get(month), moved_keys[month[0]])
            total += counts
            if item is not None:
                fresh.append(item)
        self._batch_put(fresh)
        return total

    def _moved(self, batch: dict[Month, dict[str, list]], stored: dict[Month, dict]) -> dict[Month, set[str]]:
        """Keys about to be inserted that already live in another month of their kind (their time moved)."""
        moved: dict[Month, set[str]] = {}
        for kind in KINDS:
            new = {k for (kd, m), rows in batch.items() if kd == kind for k in rows if k not in stored.get((kd, m), ())}
            if not new:
                continue  # no insert, so no moved record (the common re-sync costs no look-up)
            for month, keys in self._where(kind, new).items():
                keys -= set(batch.get((kind, month), ()))  # already in its target month
                if keys:
                    moved[(kind, month)] = keys
        return moved

    def _merge(self, month: Month, rows: dict[str, list], drop: set[str], current: dict | None,
               stored: dict | None, moved: set[str] = frozenset(), source: str | None = None,
               ) -> tuple[UpsertCounts, int, dict | None]:
        """Read-modify-write one month: add rows, drop keys (of one source, or any); new items are returned."""
        kind, sk = month
        for attempt in range(RETRIES):
            if attempt:  # a conflict: read again what the other writer stored
                current = self._get_month(kind, sk)
                stored = None
            if stored is None:
                stored = unpack(current["blob"]["B"]) if current else {}
            counts = count(stored, rows, moved)
            gone = [k for k in drop if k in stored and source in (None, stored[k][1])]
            changed = {k: row for k, row in rows.items() if k not in stored or stored[k][DIGEST] != row[DIGEST]}
            if not changed and not gone:
                return counts, 0, None
            for k in gone:
                del stored[k]
            stored.update(changed)
            if current is None:
                return counts, len(gone), {**self._key(self._pk(kind), sk), **month_attributes(kind, sk, stored),
                                           "version": {"N": "1"}}
            if self._write_month(kind, sk, stored, int(current["version"]["N"])):
                return counts, len(gone), None
            self.sleep(BACKOFF_S * 2 ** attempt)  # another writer changed this month: merge again on theirs
        raise StoreError(f"{kind} {sk}: gave up after {RETRIES} concurrent-write conflicts")

    def _write_month(self, kind: str, month: str, stored: dict, version: int) -> bool:
        """PutItem (DeleteItem once empty) if the version is still the one read; False on a conflict."""
        condition = {"ConditionExpression": "#v = :v", "ExpressionAttributeNames": {"#v": "version"},
                     "ExpressionAttributeValues": {":v": {"N": str(version)}}}
        key = self._key(self._pk(kind), month)
        if not stored:
            return self._conditional(lambda: self.client.delete_item(TableName=self.table, Key=key, **condition))
        item = {**key, **month_attributes(kind, month, stored), "version": {"N": str(version + 1)}}
        return self._conditional(lambda: self.client.put_item(TableName=self.table, Item=item, **condition))

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
        where = self._where(kind, set(keys), source)
        current = self._batch_get((kind, month) for month in where)
        return sum(self._merge((kind, month), {}, drop, current.get((kind, month)), None, source=source)[1]
                   for month, drop in sorted(where.items()))

    def read(self, kind: str, start: datetime | None = None, end: datetime | None = None) -> pd.DataFrame:
        return overlaid_read(self, kind, start, end)

    def stored_rows(self, kind: str, start: datetime | None = None, end: datetime | None = None) -> list[dict]:
        lo, hi = (iso_utc(start) if start else ""), (iso_utc(end) if end else "~")
        rows = {}
        for item in self._months(kind, "#s, #b", lo[:7] or "0000-00", hi[:7] if end else "9999-99"):
            for key, (when, source, fields, *_rest) in unpack(item["blob"]["B"]).items():
                if lo <= when < hi:
                    rows[key] = {**fields, "source": source, "key": key, "_at": when}
        return list(rows.values())

    def keys(self, kind: str, source: str) -> set[str]:
        return {k for lists in self._keylists(kind).values() for k in lists.get(source, ())}

    def latest_time(self, kind: str, source: str | None = None) -> datetime | None:
        for item in self._months(kind, "#s, #l", ScanIndexForward=False):
            times = [v["S"] for s, v in item.get("latest", {}).get("M", {}).items() if source in (None, s)]
            if times:
                return parse_utc(max(times))
        return None

    def counts(self) -> dict[tuple[str, str], int]:
        out: dict[tuple[str, str], int] = defaultdict(int)
        for kind in KINDS:
            for item in self._months(kind, "#s, #c"):
                for source, n in item.get("counts", {}).get("M", {}).items():
                    out[(kind, source)] += int(n["N"])
        return {k: v for k, v in out.items() if v}

    # blobs -----------------------------------------------------------------------------------
    def put_blob(self, name: str, data: bytes) -> None:
        self.blobs.put_blob(name, data)

    def get_blob(self, name: str) -> bytes | None:
        return self.blobs.get_blob(name)

    def put_blobs(self, blobs: Mapping[str, bytes]) -> None:
        for name, data in blobs.items():  # S3 has no batch write: one PutObject each, in order
            self.blobs.put_blob(name, data)

    def delete_blob(self, name: str) -> None:
        self.blobs.delete_blob(name)

    def blob_names(self, prefix: str) -> list[str]:
        return self.blobs.blob_names(prefix)


def open_dynamodb_store(settings: Any) -> DynamoDBStore:
    """Build the hosted store from settings, with clear errors for what is missing."""
    from core.store.aws import dynamodb_client, s3_blobs

    section = settings.section("dynamodb")
    client, table = dynamodb_client(settings)
    return DynamoDBStore(client, table, str(section.get("user_id", "me")), s3_blobs(settings))
