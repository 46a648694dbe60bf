"""Where each run comes from (its provenance), in words: the Running page's latest runs say it."""

from __future__ import annotations

import pandas as pd

from core.records import API_ORIGIN, DEMO_ORIGIN, EXPORT_ORIGIN, FILE_ORIGIN, MANUAL_ORIGIN

ORIGIN_LABELS = {FILE_ORIGIN: "activity file", EXPORT_ORIGIN: "export (CSV row)", API_ORIGIN: "Strava API",
                 DEMO_ORIGIN: "demo", MANUAL_ORIGIN: "entered here"}
UNRECORDED = "not recorded"  # runs stored before provenance was kept


def origin_labels(runs: pd.DataFrame) -> list[str]:
    """Each run's provenance in words."""
    column = runs["provenance"] if "provenance" in runs else [None] * len(runs)
    return [ORIGIN_LABELS.get(p, UNRECORDED) if isinstance(p, str) else UNRECORDED for p in column]
