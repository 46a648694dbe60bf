"""How the hosted store packs a month of one record kind into one DynamoDB item (pure, no I/O).

A month item holds `blob` (zlib JSON {key: [time, source, fields, raw, schema_version, digest]}) and
three small attributes computed from it, so nothing but a page read ever decompresses the blob:
`counts` (records per source), `latest` (newest time per source) and `keylist` (zlib JSON
{source: [keys]}, used to find a record that moved to another month and to list keys per source).
"""

from __future__ import annotations

import json
import math
import zlib
from collections import defaultdict
from collections.abc import Collection, Mapping
from typing import Any

from core.errors import StoreError
from core.records import Record
from core.store.base import UpsertCounts

MAX_ITEM_BYTES = 350_000  # DynamoDB refuses items over 400 KB; keep a margin for keys and small maps
ZLIB_LEVEL = 1  # level 6 is 2x slower for 10% smaller blobs; items stay far under the limit either way
DIGEST = 5  # position of the digest in a stored row


def _clean(value: Any) -> Any:
    """NaN and infinities become None so JSON stays valid and nothing non-numeric is stored as a number."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def _dumps(value: Any) -> bytes:
    try:  # the common case has no NaN: skip the (slow) recursive clean
        text = json.dumps(value, separators=(",", ":"), allow_nan=False)
    except ValueError:
        text = json.dumps(_clean(value), separators=(",", ":"), allow_nan=False)
    return zlib.compress(text.encode(), ZLIB_LEVEL)


def pack(rows: Mapping[str, list]) -> bytes:
    """A month's rows {key: [time, source, fields, raw, schema_version, digest]} as compressed JSON."""
    return _dumps(rows)


def unpack(blob: bytes) -> dict[str, Any]:
    """Inverse of pack (also reads a keylist)."""
    return json.loads(zlib.decompress(bytes(blob)))


def row_of(record: Record) -> list:
    """The stored row of a record (its time as ISO UTC text with a Z, like iso_utc but faster)."""
    when = record.time_utc.isoformat()[:19] + "Z"  # Record.time_utc is always UTC
    return [when, record.source, dict(record.fields), record.raw, record.schema_version, record.digest]


def month_attributes(kind: str, month: str, rows: Mapping[str, list]) -> dict[str, Any]:
    """blob, counts, latest and keylist of a month item (DynamoDB attribute values)."""
    counts: dict[str, int] = defaultdict(int)
    latest: dict[str, str] = {}
    keys: dict[str, list[str]] = defaultdict(list)
    for key, (when, source, *_rest) in rows.items():
        counts[source] += 1
        latest[source] = max(latest.get(source, ""), when)
        keys[source].append(key)
    blob, keylist = pack(rows), _dumps(keys)
    if len(blob) + len(keylist) > MAX_ITEM_BYTES:
        raise StoreError(f"{kind} {month}: {len(blob) + len(keylist)} bytes packed, over the item size limit")
    return {"blob": {"B": blob}, "keylist": {"B": keylist},
            "counts": {"M": {s: {"N": str(n)} for s, n in counts.items()}},
            "latest": {"M": {s: {"S": t} for s, t in latest.items()}}}


def count(stored: Mapping[str, list], batch: Mapping[str, list], moved: Collection[str] = ()) -> UpsertCounts:
    """Inserted / updated / unchanged for rows about to be merged; a key moving in from another month is updated."""
    inserted = sum(1 for k in batch if k not in stored and k not in moved)
    unchanged = sum(1 for k, row in batch.items() if k in stored and stored[k][DIGEST] == row[DIGEST])
    return UpsertCounts(inserted, len(batch) - inserted - unchanged, unchanged)
