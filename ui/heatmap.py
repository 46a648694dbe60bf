"""The heatmap page's cached read: every run's privacy-cut, thinned route line, read one stream at a time."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import streamlit as st

from core.activity.model import Stream
from core.activity.storage import load_stream
from core.analytics.routes import spaced, visible_route
from core.errors import BadInput
from core.maps import PrivacyZone
from core.views.heatmap import HeatmapView, heatmap_view
from ui import context, views

MAX_LINE_SETS = 2  # one per privacy-zone setting in use; each is ~5 MB for ten years of runs


def _streams(keys: list[str], skipped: list[str]) -> Iterator[tuple[str, Stream]]:
    store = context.store()
    for key in keys:
        try:
            stream = load_stream(store, key)
        except BadInput:
            skipped.append(key)  # a damaged blob: the run page says so; the heatmap leaves the run out
            continue
        if stream is not None:
            yield key, stream


@st.cache_resource(max_entries=MAX_LINE_SETS, show_spinner="Reading the runs' routes once...")
def _lines(stamp: tuple, zones: tuple[PrivacyZone, ...], _runs: pd.DataFrame) -> tuple[dict[str, np.ndarray], int]:
    skipped: list[str] = []
    lines = {}
    for key, stream in _streams(list(_runs.key), skipped):  # one stream in memory at a time
        line = spaced(visible_route(stream, zones))
        if len(line) >= 2:
            lines[key] = line
    return lines, len(skipped)


def heatmap(runs: pd.DataFrame, *, start: pd.Timestamp, end: pd.Timestamp, min_count: int) -> HeatmapView:
    """The heatmap of the runs started in [start, end] (local dates), cells crossed by at least min_count runs."""
    maps = context.settings().maps
    lines, damaged = _lines(views.stamp(runs), maps.privacy_zones, runs)
    return views.cached(heatmap_view, (runs,), given=(lines,), start=start, end=end, min_count=min_count,
                        maps=maps, damaged=damaged)
