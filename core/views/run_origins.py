"""Where each run of the Running page's range comes from (its provenance), newest first: a small table."""

from __future__ import annotations

import pandas as pd

from core.analytics import running as ra
from core.records import API_ORIGIN, DEMO_ORIGIN, EXPORT_ORIGIN, FILE_ORIGIN, MANUAL_ORIGIN
from core.units import Units
from core.views.format import format_moment, format_numbers, format_pace

ORIGIN_LABELS = {FILE_ORIGIN: "activity file", EXPORT_ORIGIN: "export (CSV row)", API_ORIGIN: "Strava API",
                 DEMO_ORIGIN: "demo", MANUAL_ORIGIN: "entered here"}
UNRECORDED = "not recorded"  # runs stored before provenance was kept
SHOWN = 10  # the newest runs listed: what a person checks after an import or a sync


def origin_labels(runs: pd.DataFrame) -> list[str]:
    """Each run's provenance in words."""
    return [ORIGIN_LABELS.get(p, UNRECORDED) if isinstance(p, str) else UNRECORDED for p in runs.provenance]


def run_origins_table(runs: pd.DataFrame, *, start: pd.Timestamp, end: pd.Timestamp, units: Units) -> pd.DataFrame:
    """The newest runs of [start, end]: date, name, distance, pace and where each comes from."""
    shown = ra.in_range(runs, start, end).sort_values("start_time_utc", ascending=False).head(SHOWN)
    return pd.DataFrame({
        "date": [format_moment(t) for t in shown.start_time_local], "name": shown["name"],
        f"distance ({units.distance})": format_numbers(units.distance_from_m(shown.distance_m), 2),
        f"pace ({units.pace})": [format_pace(units.pace_from_mps(v)) for v in shown.average_speed_mps],
        "from": origin_labels(shown)})
