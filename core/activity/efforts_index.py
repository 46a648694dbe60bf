"""Every run's true best efforts, computed from its stream once and kept in one small blob beside the streams.

Ten years of runs are 1,500 streams: reading and decoding them all on every visit of the Running page would
cost seconds and, held at once, hundreds of MB. So each run's efforts (seven numbers) are computed one stream
at a time, the stream dropped at once, and the results kept at `efforts/index.v1` (zlib'd JSON,
about 100 bytes per run) with a fingerprint of the run's record. A later visit reads that one blob and only
opens the streams of runs that are new or whose record changed (an import of its file rewrites the record).
Two sessions computing at once both write a correct index; the last one wins and nothing is lost but time.
"""

from __future__ import annotations

import json
import logging
import zlib
from typing import Any

import numpy as np
import pandas as pd

from core.activity.storage import load_stream
from core.analytics.efforts import best_efforts
from core.errors import BadInput

INDEX_BLOB = "efforts/index.v1"
INDEX_VERSION = 1
COLUMNS = ["key", "effort", "distance_m", "elapsed_s", "start_s"]
log = logging.getLogger(__name__)


def fingerprints(runs: pd.DataFrame) -> dict[str, str]:
    """A hash of each run's stored record, by key: it changes when the record does."""
    hashes = pd.util.hash_pandas_object(runs.drop(columns=["name"], errors="ignore"), index=False)
    return dict(zip(runs.key, (f"{h:016x}" for h in hashes.to_numpy(np.uint64)), strict=True))


def read_index(store: Any) -> dict[str, dict]:
    """The kept efforts by run key; an unreadable or older index counts as empty (it is rebuilt, not fatal)."""
    blob = store.get_blob(INDEX_BLOB)
    if blob is None:
        return {}
    try:
        body = json.loads(zlib.decompress(blob))
        return body["runs"] if body.get("version") == INDEX_VERSION else {}
    except (zlib.error, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("the best-efforts index cannot be read (%s): it is rebuilt from the streams", exc)
        return {}


def _entry(store: Any, key: str, fingerprint: str) -> dict:
    """One run's efforts from its stream: [[name, distance, elapsed, start], ...], None without a stream."""
    try:
        stream = load_stream(store, key)
    except BadInput as exc:
        log.warning("run %s: %s; its best efforts are left out", key, exc)
        return {"fp": fingerprint, "efforts": None, "damaged": True}
    if stream is None:
        return {"fp": fingerprint, "efforts": None}
    table = best_efforts(stream)
    rows = [[r.effort, r.distance_m, round(r.elapsed_s, 2), round(r.start_s, 1)] for r in table.itertuples()]
    return {"fp": fingerprint, "efforts": rows}


def run_efforts(store: Any, runs: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """(one row per run and effort distance it covers, how many runs have a stream), reading only the streams
    of runs the kept index does not know as they are now; the index is written back when it changed."""
    kept, prints = read_index(store), fingerprints(runs)
    index = {key: kept[key] if kept.get(key, {}).get("fp") == fp else _entry(store, key, fp)
             for key, fp in prints.items()}
    if index != kept:
        store.put_blob(INDEX_BLOB, zlib.compress(json.dumps({"version": INDEX_VERSION, "runs": index}).encode()))
    rows = [[key, *row] for key, entry in index.items() for row in entry["efforts"] or ()]
    with_stream = sum(entry["efforts"] is not None for entry in index.values())
    return pd.DataFrame(rows, columns=COLUMNS), with_stream
