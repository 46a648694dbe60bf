"""Every run's true best efforts, computed from its stream once and kept in one small blob beside the streams
(`efforts/index.v1`, about 100 bytes per run; core.activity.run_index says how such an index is kept)."""

from __future__ import annotations

import pandas as pd

from core.activity.model import Stream
from core.activity.run_index import RunIndex, indexed
from core.analytics.efforts import best_efforts

COLUMNS = ["key", "effort", "distance_m", "elapsed_s", "start_s"]


def _efforts(stream: Stream) -> list[list]:
    """[[name, distance, elapsed, start], ...] of one stream."""
    return [[r.effort, r.distance_m, round(r.elapsed_s, 2), round(r.start_s, 1)]
            for r in best_efforts(stream).itertuples()]


EFFORTS = RunIndex("efforts/index.v1", 1, "best efforts", "efforts", _efforts)
KEPT_INDEX = EFFORTS  # filled with the other kept indexes (core.activity.run_index)
INDEX_BLOB = EFFORTS.blob


def run_efforts(store, runs: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """(one row per run and effort distance it covers, how many runs have a stream), reading only the streams
    of runs the kept index does not know as they are now."""
    entries = indexed(store, runs, EFFORTS)
    rows = [[key, *row] for key, efforts in entries.items() for row in efforts or ()]
    return pd.DataFrame(rows, columns=COLUMNS), sum(efforts is not None for efforts in entries.values())
