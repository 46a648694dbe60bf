"""The heatmap page's cached read: every run's privacy-cut route line, from the kept route index (only the
streams of new or changed runs are read, one at a time)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from core.activity.route_index import run_lines
from core.maps import PrivacyZone
from core.views.heatmap import HeatmapView, heatmap_view
from ui import context, data, views

MAX_LINE_SETS = 2  # one per privacy-zone setting in use; each is ~5 MB for ten years of runs


@st.cache_resource(max_entries=MAX_LINE_SETS, show_spinner="Reading the runs' routes...")
def _lines(stamp: tuple, zones: tuple[PrivacyZone, ...], _runs: pd.DataFrame) -> tuple[dict[str, np.ndarray], int]:
    return run_lines(context.store(), _runs, zones)


def heatmap(runs: pd.DataFrame, *, start: pd.Timestamp, end: pd.Timestamp, min_count: int) -> HeatmapView:
    """The heatmap of the runs started in [start, end] (local dates), cells crossed by at least min_count runs."""
    maps = context.settings().maps
    lines, damaged = data.last_good("routes", lambda: _lines(views.stamp(runs), maps.privacy_zones, runs))
    return views.cached(heatmap_view, (runs,), given=(lines,), start=start, end=end, min_count=min_count,
                        maps=maps, damaged=damaged)
