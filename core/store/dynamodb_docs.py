"""Documents (preferences, record ledgers) and one record by key, on the hosted table.

A document is one item: pk = "<user>#doc#<collection>", sk = its name, `body` (JSON text) and `version`. A write
is a PutItem conditioned on `attribute_not_exists(pk)` (nothing stored yet) or on the version read, so of two
writers holding the same version one wins. Listing a collection is one Query of its partition (never a Scan).
A record by key: the kind's keylists say which month holds it, then one GetItem of that month.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from core.records import Record, parse_utc
from core.store.base import Document
from core.store.documents import document_of, document_text
from core.store.months import unpack


class DocumentItems:
    """The documents half of DynamoDBStore (needs `client`, `table`, `user` and the month helpers)."""

    client: Any
    table: str
    user: str
    _key: Callable[[str, str], dict]
    _query: Callable[..., list[dict]]
    _conditional: Callable[[Callable[[], Any]], bool]
    _where: Callable[..., dict[str, set[str]]]
    _get_month: Callable[[str, str], dict | None]

    def _doc_pk(self, collection: str) -> str:
        return f"{self.user}#doc#{collection}"

    def get_document(self, collection: str, name: str) -> Document | None:
        item = self.client.get_item(TableName=self.table, Key=self._key(self._doc_pk(collection), name),
                                    ConsistentRead=True).get("Item")
        return document_of(collection, name, item["body"]["S"], item["version"]["N"]) if item else None

    def put_document(self, collection: str, name: str, body: Mapping[str, Any], expected_version: int) -> bool:
        item = {**self._key(self._doc_pk(collection), name), "body": {"S": document_text(collection, name, body)},
                "version": {"N": str(expected_version + 1)}}
        if expected_version == 0:
            condition: dict[str, Any] = {"ConditionExpression": "attribute_not_exists(pk)"}
        else:
            condition = {"ConditionExpression": "#v = :v", "ExpressionAttributeNames": {"#v": "version"},
                         "ExpressionAttributeValues": {":v": {"N": str(expected_version)}}}
        return self._conditional(lambda: self.client.put_item(TableName=self.table, Item=item, **condition))

    def documents(self, collection: str) -> list[Document]:
        items = self._query("pk = :pk", {":pk": {"S": self._doc_pk(collection)}})
        return sorted((document_of(collection, i["sk"]["S"], i["body"]["S"], i["version"]["N"]) for i in items),
                      key=lambda d: d.name)

    def get_record(self, kind: str, key: str) -> Record | None:
        for month in self._where(kind, {key}):
            item = self._get_month(kind, month)
            row = unpack(item["blob"]["B"]).get(key) if item else None
            if row:
                when, source, fields, raw, version, _digest = row
                return Record(kind, source, key, parse_utc(when), fields, raw, version)
        return None
