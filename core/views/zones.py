"""Weekly time in heart-rate zones and the polarisation of running, for the Fitness and Running pages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.analytics import between
from core.analytics.athlete import Athlete, run_zones, zone_notes
from core.analytics.hr_zones import POLARISED_RANGES, polarisation, run_zone_seconds, weekly_zones
from core.views.charts.fitness import zones_figure

NO_ZONES = ("No heart-rate zones: set [athlete] max_hr_bpm or threshold_hr_bpm (or dated hr_zones) in "
            "secrets.toml, or a birth year for an estimate.")
NO_HR = ("No run in this range has a heart rate. Runs recorded with a heart-rate strap or watch show their "
         "time in zones here after the next sync.")


@dataclass(frozen=True)
class ZonesView:
    """The weekly zones chart and what it says; `empty` is the sentence shown instead when there is nothing."""

    empty: str
    figure: go.Figure | None = None
    polarisation: str = ""
    caption: str = ""


def zones_view(runs: pd.DataFrame, *, athlete: Athlete, samples: Mapping[str, np.ndarray], start: pd.Timestamp,
               end: pd.Timestamp) -> ZonesView:
    """Weekly hours per zone of the runs whose local date lies in [start, end], each zoned by its own date."""
    shown = between(runs, runs.start_time_local.dt.normalize(), start, end) if not runs.empty else runs
    zones = run_zones(athlete, shown.start_time_local.dt.normalize()) if not shown.empty else []
    if shown.empty or all(z is None for z in zones):
        return ZonesView(empty=NO_HR if shown.empty else NO_ZONES)
    per_run = run_zone_seconds(shown, zones, samples)
    if per_run.empty:
        return ZonesView(empty=NO_HR)
    weekly = weekly_zones(per_run)
    estimated = weekly.estimated_h.sum() / weekly.total_h.sum() if weekly.total_h.sum() else 0.0
    return ZonesView(empty="", figure=zones_figure(weekly), polarisation=_polarisation(polarisation(per_run)),
                     caption=_caption(estimated) + " " + " ".join(zone_notes(athlete)))


def _polarisation(shares: dict[str, float]) -> str:
    """'Low 78 % (advised 75-90 %), moderate ..., high ...' with a verdict."""
    parts = [f"{name} {share:.0%} (advised {low:.0%}-{high:.0%})"
             for name, share in shares.items() for low, high in [POLARISED_RANGES[name]]]
    inside = all(POLARISED_RANGES[n][0] <= s <= POLARISED_RANGES[n][1] for n, s in shares.items())
    verdict = "polarised as advised" if inside else "not polarised as advised"
    return f"Running in this range: {', '.join(parts)}: {verdict} (Seiler's three zones, Dreeve's ranges)."


def _caption(estimated: float) -> str:
    if not estimated:
        return "Measured from each run's heart-rate stream."
    return (f"{estimated:.0%} of the time is estimated: runs without a heart-rate stream count their whole moving "
            "time in the zone of their average HR, which hides the intervals of an interval session.")
