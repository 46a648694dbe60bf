"""Every run's heart-rate summary (core.analytics.hr_summary), computed from its stream once and kept in one
blob beside the streams (`hr/index.v1`, a few kB per run; core.activity.run_index says how it is kept). The
Fitness page's loads and the weekly time in zones read these instead of every run's samples."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from core.activity.model import Stream
from core.activity.run_index import RunIndex, indexed
from core.analytics.hr_summary import HrSummary, summarise
from core.analytics.hr_zones import hr_samples

log = logging.getLogger(__name__)


def _summary(stream: Stream) -> dict | None:
    """The stream's heart-rate summary as JSON lists; None when it has no heart rate."""
    if not np.isfinite(stream.heart_rate_bpm).any():
        return None
    summary = summarise(hr_samples(stream))
    return None if summary is None else summary.to_json()


HEART_RATE = RunIndex("hr/index.v1", 1, "heart-rate summaries", "hr", _summary)
KEPT_INDEX = HEART_RATE  # filled with the other kept indexes (core.activity.run_index)


def run_heart_rates(store, runs: pd.DataFrame) -> dict[str, HrSummary]:
    """The heart-rate summary of every run with an HR stream, by key, opening only the streams the kept index
    does not know; an entry that cannot be read leaves its run to its average HR (logged)."""
    out = {}
    for key, body in indexed(store, runs, HEART_RATE).items():
        if body is None:
            continue
        try:
            out[key] = HrSummary.from_json(body)
        except ValueError as exc:
            log.warning("run %s: its kept heart-rate summary cannot be read (%s): its average HR is used", key, exc)
    return out
