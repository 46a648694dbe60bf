"""Small facts of every run computed from its stream once and kept in one blob beside the streams.

Ten years of runs are 1,500 streams: reading and decoding them all on every visit of a page would cost seconds
and, held at once, hundreds of MB. So an index (best efforts, heart-rate summaries, heatmap lines) computes each run's
entry one stream at a time, drops the stream at once, and keeps the entries in one zlib'd JSON blob with a
fingerprint of each run's record. A later visit reads that one blob and only opens the streams of runs that are
new or whose record changed (an import of its file rewrites the record); deleted runs drop out. A stream
opened for one index fills every kept index that lacks that run in the same pass (KEPT_MODULES). A damaged
stream leaves its run out (logged); a damaged or older index is rebuilt. Two sessions computing at once both
write a correct index; the last one wins and nothing is lost but time.
"""

from __future__ import annotations

import importlib
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


# Every kept index, by the module that defines it (as KEPT_INDEX): a stream opened for one fills them all, so
# the first visits after an import read each new stream once, not once per index (on S3, one GET per run).
KEPT_MODULES = ("core.activity.efforts_index", "core.activity.hr_index", "core.activity.route_index")


def kept_indexes() -> tuple[RunIndex, ...]:
    """The indexes of KEPT_MODULES (imported on first use: they import this module)."""
    return tuple(importlib.import_module(name).KEPT_INDEX for name in KEPT_MODULES)


def _entries(store: Any, key: str, fingerprint: str, indexes: list[RunIndex]) -> dict[str, dict]:
    """One run's entries of these indexes from its stream, read once; a None value without a stream."""
    try:
        stream = load_stream(store, key)
    except BadInput as exc:
        log.warning("run %s: %s; it is left out of the %s", key, exc, ", ".join(i.what for i in indexes))
        return {i.blob: {"fp": fingerprint, i.field: None, "damaged": True} for i in indexes}
    return {i.blob: {"fp": fingerprint, i.field: None if stream is None else i.compute(stream)} for i in indexes}


def indexed(store: Any, runs: pd.DataFrame, index: RunIndex) -> dict[str, Any]:
    """Each run's entry by key (None: no stream, or nothing in it for this index), reading only the streams of
    runs the kept index does not know as they are now; the index is written back when it changed."""
    return {key: entry[index.field] for key, entry in _current(store, runs, index).items()}


def indexed_with_damage(store: Any, runs: pd.DataFrame, index: RunIndex) -> tuple[dict[str, Any], int]:
    """indexed(), and how many of the runs have a stored stream that cannot be read."""
    entries = _current(store, runs, index)
    return {key: entry[index.field] for key, entry in entries.items()}, sum("damaged" in e for e in entries.values())


def _current(store: Any, runs: pd.DataFrame, index: RunIndex) -> dict[str, dict]:
    """`index` as the runs are now. When some of its runs are new or changed, their streams are read once and
    the other kept indexes that lack them are filled in the same pass; each changed index is written back."""
    prints = fingerprints(runs)
    kept = read_index(store, index)
    stale = [key for key, fp in prints.items() if kept.get(key, {}).get("fp") != fp]
    if not stale and kept.keys() == prints.keys():
        return kept
    others = [i for i in kept_indexes() if i.blob != index.blob] if stale else []
    tables = {index.blob: (index, kept), **{i.blob: (i, read_index(store, i)) for i in others}}
    filled = {index.blob}  # the asked index is written back in any case: it changed or lost deleted runs
    for key in stale:
        lacking = [i for i, table in tables.values()
                   if i.blob == index.blob or table.get(key, {}).get("fp") != prints[key]]
        for blob, entry in _entries(store, key, prints[key], lacking).items():
            tables[blob][1][key] = entry
            filled.add(blob)
    _write(store, index, {key: kept[key] for key in prints})
    for blob in filled - {index.blob}:
        _write(store, *tables[blob])
    return {key: kept[key] for key in prints}


def _write(store: Any, index: RunIndex, entries: dict[str, dict]) -> None:
    body = json.dumps({"version": index.version, "runs": entries}, separators=(",", ":"))
    store.put_blob(index.blob, zlib.compress(body.encode()))
