"""What the heatmap page shows: the grid of cells that the runs of a range crossed, on the configured tiles."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.analytics.routes import HEATMAP_CELL_M, heatmap_grid
from core.analytics.running import in_range
from core.maps import MapSettings
from core.views.charts.maps import heatmap_figure


@dataclass(frozen=True)
class HeatmapView:
    """The figure (None when no route is in range) and a sentence on what it is drawn from."""

    figure: go.Figure | None
    note: str


def heatmap_view(lines: dict[str, np.ndarray], runs: pd.DataFrame, *, start: pd.Timestamp, end: pd.Timestamp,
                 min_count: int, maps: MapSettings, damaged: int = 0) -> HeatmapView:
    """The cells crossed by at least min_count of the runs in [start, end] that have a route line."""
    shown = [lines[k] for k in in_range(runs, start, end).key if k in lines]
    cut = " Starts and ends inside the privacy zones are left out." if maps.privacy_zones else ""
    bad = f" {damaged} runs with a damaged stored stream are left out." if damaged else ""
    if not shown:
        return HeatmapView(None, "No run in this range has a recorded route (import activity files on the Data "
                                 f"page).{bad}")
    cells = heatmap_grid(shown, HEATMAP_CELL_M, min_count)
    note = f"{len(shown)} of the {len(in_range(runs, start, end))} runs in the range have a recorded route.{cut}{bad}"
    if cells.empty:
        return HeatmapView(None, f"No place was crossed by {min_count} or more runs. {note}")
    title = f"Where you ran: {len(cells):,} cells crossed by {min_count}+ runs"
    return HeatmapView(heatmap_figure(cells, title, maps, HEATMAP_CELL_M), note)
