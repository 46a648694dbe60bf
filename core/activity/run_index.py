"""Small facts of every run computed from its stream once and kept in one blob beside the streams.

Ten years of runs are 1,500 streams: reading and decoding them all on every visit of a page would cost seconds
and, held at once, hundreds of MB. So an index (the best efforts, the heart-rate summaries) computes each run's
entry one stream at a time, drops the stream at once, and keeps the entries in one zlib'd JSON blob with a
fingerprint of each run's record. A later visit reads that one blob and only opens the streams of runs that are
new or whose record changed (an import of its file rewrites the record); deleted runs drop out. A damaged
stream leaves its run out (logged); a damaged or older index is rebuilt. Two sessions computing at once both
write a correct index; the last one wins and nothing is lost but time.
"""

from __future__ import annotations

import json
import logging
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from core.activity.model import Stream
from core.activity.storage import load_stream
from core.errors import BadInput

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunIndex:
    """Where an index lives, its format version, what it holds (for messages), the JSON field of each run's
    entry, and how a stream becomes that entry (JSON-able; None when the stream has nothing for it)."""

    blob: str
    version: int
    what: str
    field: str
    compute: Callable[[Stream], Any]


def fingerprints(runs: pd.DataFrame) -> dict[str, str]:
    """A hash of each run's stored record, by key: it changes when the record does."""
    hashes = pd.util.hash_pandas_object(runs.drop(columns=["name"], errors="ignore"), index=False)
    return dict(zip(runs.key, (f"{h:016x}" for h in hashes.to_numpy(np.uint64)), strict=True))


def read_index(store: Any, index: RunIndex) -> dict[str, dict]:
    """The kept entries by run key; an unreadable or older index counts as empty (it is rebuilt, not fatal)."""
    blob = store.get_blob(index.blob)
    if blob is None:
        return {}
    try:
        body = json.loads(zlib.decompress(blob))
        return body["runs"] if body.get("version") == index.version else {}
    except (zlib.error, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("the %s index cannot be read (%s): it is rebuilt from the streams", index.what, exc)
        return {}


def _entry(store: Any, index: RunIndex, key: str, fingerprint: str) -> dict:
    """One run's entry from its stream; None as the value without a stream."""
    try:
        stream = load_stream(store, key)
    except BadInput as exc:
        log.warning("run %s: %s; its %s are left out", key, exc, index.what)
        return {"fp": fingerprint, index.field: None, "damaged": True}
    return {"fp": fingerprint, index.field: None if stream is None else index.compute(stream)}


def indexed(store: Any, runs: pd.DataFrame, index: RunIndex) -> dict[str, Any]:
    """Each run's entry by key (None: no stream, or nothing in it for this index), reading only the streams of
    runs the kept index does not know as they are now; the index is written back when it changed."""
    return {key: entry[index.field] for key, entry in _entries(store, runs, index).items()}


def damaged(store: Any, runs: pd.DataFrame, index: RunIndex) -> tuple[dict[str, Any], int]:
    """indexed(), and how many of the runs have a stored stream that cannot be read."""
    entries = _entries(store, runs, index)
    return {key: entry[index.field] for key, entry in entries.items()}, sum("damaged" in e for e in entries.values())


def _entries(store: Any, runs: pd.DataFrame, index: RunIndex) -> dict[str, dict]:
    kept, prints = read_index(store, index), fingerprints(runs)
    entries = {key: kept[key] if kept.get(key, {}).get("fp") == fp else _entry(store, index, key, fp)
               for key, fp in prints.items()}
    if entries != kept:
        body = json.dumps({"version": index.version, "runs": entries}, separators=(",", ":"))
        store.put_blob(index.blob, zlib.compress(body.encode()))
    return entries
