"""Sync state, OAuth tokens, the sync lease and login counters on the hosted table: one small item each.

pk = "<user>#state" / "<user>#token" / "<user>#lease" / "<user>#login", sk = source (or "sync" for the lease,
the counter's key for a login counter). Reads are strongly consistent: the lease, token and counter updates
are conditional writes that decide on what was read. The lease item keeps `since` (when its holder first
took it) across renewals, so a busy message can say how long a sync has held it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from core.errors import StoreUnavailable
from core.store.base import ANY_TOKEN, LEASE_TTL_S, Lease, LoginCounter, SyncState


class MetaItems:
    """The non-record half of DynamoDBStore (needs `client`, `table` and `user`)."""

    client: Any
    table: str
    user: str

    def _key(self, pk: str, sk: str) -> dict:
        return {"pk": {"S": pk}, "sk": {"S": sk}}

    def _query(self, condition: str, values: dict, **extra: Any) -> list[dict]:
        """Every item of one Query (strongly consistent), following LastEvaluatedKey."""
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

    def _conditional(self, call: Callable[[], Any]) -> bool:
        """Run a conditional write; False when its condition failed."""
        try:
            call()
            return True
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise

    # sync state and tokens -----------------------------------------------------------------
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

    # lease -----------------------------------------------------------------------------------
    def acquire_lease(self, owner: str, now: datetime, ttl_s: float = LEASE_TTL_S) -> bool:
        held = self.lease()
        since = held.since if held and held.owner == owner and held.since else now  # a renewal keeps `since`
        item = {**self._key(f"{self.user}#lease", "sync"), "holder": {"S": owner},
                "expires": {"N": str(now.timestamp() + ttl_s)}, "since": {"N": str(since.timestamp())}}
        return self._conditional(lambda: self.client.put_item(
            TableName=self.table, Item=item,
            ConditionExpression="attribute_not_exists(pk) OR holder = :me OR expires < :now",
            ExpressionAttributeValues={":me": {"S": owner}, ":now": {"N": str(now.timestamp())}}))

    def release_lease(self, owner: str) -> None:
        self._conditional(lambda: self.client.delete_item(
            TableName=self.table, Key=self._key(f"{self.user}#lease", "sync"),
            ConditionExpression="holder = :me", ExpressionAttributeValues={":me": {"S": owner}}))

    def lease_holder(self, now: datetime) -> str | None:
        held = self.lease()
        return held.owner if held and held.expires.timestamp() > now.timestamp() else None

    def lease(self) -> Lease | None:
        item = self.client.get_item(TableName=self.table, Key=self._key(f"{self.user}#lease", "sync"),
                                    ConsistentRead=True).get("Item")
        if not item:
            return None
        since = datetime.fromtimestamp(float(item["since"]["N"]), UTC) if "since" in item else None
        return Lease(item["holder"]["S"], since, datetime.fromtimestamp(float(item["expires"]["N"]), UTC))

    # faults and upkeep -----------------------------------------------------------------------
    def check(self) -> None:
        status = self.client.describe_table(TableName=self.table)["Table"]["TableStatus"]
        if status not in ("ACTIVE", "UPDATING"):  # UPDATING: a capacity change, reads and writes still work
            raise StoreUnavailable(f"DynamoDB table {self.table!r} is {status}",
                                   action="Wait until the table is ACTIVE again (AWS console or `aws dynamodb "
                                          "describe-table`), then try again.")

    def delete_sync_state(self, source: str) -> bool:
        gone = self.client.delete_item(TableName=self.table, Key=self._key(f"{self.user}#state", source),
                                       ReturnValues="ALL_OLD")
        return bool(gone.get("Attributes"))

    # login counters ----------------------------------------------------------------------------
    def get_login_counter(self, key: str) -> LoginCounter | None:
        item = self.client.get_item(TableName=self.table, Key=self._key(f"{self.user}#login", key),
                                    ConsistentRead=True).get("Item")
        return _counter(item) if item else None

    def put_login_counter(self, counter: LoginCounter, expected: LoginCounter | None) -> bool:
        item = {**self._key(f"{self.user}#login", counter.key), **_counter_attributes(counter)}
        if expected is None:
            condition: dict[str, Any] = {"ConditionExpression": "attribute_not_exists(pk)"}
        else:  # every attribute still as read: a parallel attempt's write makes this one lose
            was = _counter_attributes(expected)
            condition = {"ConditionExpression": "failures = :f AND not_before = :n AND last_attempt = :l",
                         "ExpressionAttributeValues": {":f": was["failures"], ":n": was["not_before"],
                                                       ":l": was["last_attempt"]}}
        return self._conditional(lambda: self.client.put_item(TableName=self.table, Item=item, **condition))

    def login_counters(self) -> list[LoginCounter]:
        return sorted((_counter(i) for i in self._query("pk = :pk", {":pk": {"S": f"{self.user}#login"}})),
                      key=lambda c: c.key)

    def delete_login_counters(self, keys: Iterable[str]) -> int:
        return sum("Attributes" in self.client.delete_item(
            TableName=self.table, Key=self._key(f"{self.user}#login", key), ReturnValues="ALL_OLD") for key in keys)


def _counter_attributes(counter: LoginCounter) -> dict[str, dict[str, str]]:
    return {"failures": {"N": str(counter.failures)}, "not_before": {"N": repr(counter.not_before)},
            "last_attempt": {"N": repr(counter.last_attempt)}}


def _counter(item: dict) -> LoginCounter:
    return LoginCounter(item["sk"]["S"], int(item["failures"]["N"]), float(item["not_before"]["N"]),
                        float(item["last_attempt"]["N"]))
