"""A run's detail (its stream and laps) in the store's blobs, beside its record, never inside the month items.

The stream is the codec's compact blob at `streams/<key>.v1`; the laps a small JSON list at `laps/<key>.v1`.
Both are looked up by the run record's natural key. Pages load only the runs they draw. `delete_detail` removes
both (laps first, so a stream is never left without the laps it had); `detail_keys` lists the runs that have one.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any
from urllib.parse import quote, unquote

from core.activity.codec import VERSION, blob_name, decode_stream, encode_stream
from core.activity.model import Lap, Stream
from core.errors import BadInput

LAPS_VERSION = 1
LAPS_DAMAGED = "Import the run's activity file again: its stored laps cannot be read."


def laps_blob_name(run_key: str) -> str:
    """Where a run's laps live in the store's blobs: laps/<run key>.v1 (the key percent-encoded)."""
    return f"laps/{quote(run_key, safe='')}.v{LAPS_VERSION}"


def save_detail(store: Any, run_key: str, stream: Stream, laps: tuple[Lap, ...] | list[Lap] = ()) -> None:
    """Keep a run's stream and laps (the stream first: laps without a stream are never left alone)."""
    store.put_blobs(detail_blobs(run_key, stream, laps))


def detail_blobs(run_key: str, stream: Stream, laps: tuple[Lap, ...] | list[Lap] = ()) -> dict[str, bytes]:
    """A run's stream and laps as the blobs save_detail writes, stream first (for writing many runs at once)."""
    return {blob_name(run_key): encode_stream(stream),
            laps_blob_name(run_key): json.dumps([asdict(lap) for lap in laps]).encode()}


def load_stream(store: Any, run_key: str) -> Stream | None:
    """The run's stream, or None when the run has none stored; BadInput when the stored blob is damaged."""
    blob = store.get_blob(blob_name(run_key))
    return None if blob is None else decode_stream(blob)


def load_laps(store: Any, run_key: str) -> tuple[Lap, ...]:
    """The run's laps as its file recorded them (empty when it had none or has no detail stored)."""
    blob = store.get_blob(laps_blob_name(run_key))
    if blob is None:
        return ()
    try:
        return tuple(Lap(**item) for item in json.loads(blob))
    except (ValueError, TypeError) as exc:
        raise BadInput(f"laps of run {run_key}", f"stored laps damaged ({exc})", LAPS_DAMAGED) from exc


def delete_detail(store: Any, run_key: str) -> None:
    """Forget a run's stream and laps (nothing happens when it has none)."""
    store.delete_blob(laps_blob_name(run_key))
    store.delete_blob(blob_name(run_key))


def detail_keys(store: Any) -> set[str]:
    """The run keys that have a stream stored."""
    suffix = f".v{VERSION}"
    return {unquote(name[len("streams/"):-len(suffix)]) for name in store.blob_names("streams/")
            if name.endswith(suffix)}
