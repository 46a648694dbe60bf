"""Small versioned JSON documents (preferences, record ledgers): the rules every backend applies the same way.

A document is written only by compare-and-set on its version (0: nothing stored yet; the stored version becomes
expected + 1), so of two writers that read the same version one wins and the other re-reads. Bodies are JSON
text of at most MAX_DOCUMENT_BYTES (far under DynamoDB's 400 KB item limit); NaN and infinities are refused.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from core.errors import StoreError
from core.store.base import Document

MAX_DOCUMENT_BYTES = 64_000  # a ledger keeps at most 100 history entries (~20 KB); preferences are ~1 KB
_COLLECTION = re.compile(r"[a-z][a-z0-9-]{0,39}")  # a fixed vocabulary, part of DynamoDB partition keys
MAX_NAME_CHARS = 400  # a record key or a username; DynamoDB allows 1 KB sort keys


def document_text(collection: str, name: str, body: Mapping[str, Any]) -> str:
    """The stored JSON of a document body; StoreError naming what is wrong when it cannot be stored."""
    if not _COLLECTION.fullmatch(collection):
        raise StoreError(f"document collection {collection!r} is not a valid name (lower-case letters, digits, -)")
    if not name or len(name) > MAX_NAME_CHARS:
        raise StoreError(f"{collection}: a document name must have 1 to {MAX_NAME_CHARS} characters")
    try:
        text = json.dumps(dict(body), sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"{collection}/{name}: not storable as JSON ({exc})") from exc
    if len(text.encode()) > MAX_DOCUMENT_BYTES:
        raise StoreError(f"{collection}/{name}: {len(text.encode())} bytes, over the {MAX_DOCUMENT_BYTES}-byte limit")
    return text


def document_of(collection: str, name: str, text: str, version: int) -> Document:
    """A Document from its stored text and version."""
    return Document(collection, name, json.loads(text), int(version))
