"""The Data page's table: one row per source, configured or not, with its sync health and counts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

import pandas as pd

from core.analytics.freshness import humanize_age
from core.config import REAL_SOURCES
from core.records import KINDS
from core.store.base import SyncState

STATUS_COLUMNS = ("source", "configured", "last success", "last error", "what to do") + tuple(
    f"{k} rows" for k in KINDS)


def source_status(states: Iterable[SyncState], counts: Mapping[tuple[str, str], int],
                  configured: Iterable[str], now: datetime) -> pd.DataFrame:
    """Sync health per source: every real source, plus any other source that has state or data."""
    by_name = {s.source: s for s in states}
    configured = set(configured)
    names = list(REAL_SOURCES) + sorted((set(by_name) | {src for _, src in counts} | configured)
                                        - set(REAL_SOURCES))
    rows = []
    for name in names:
        state = by_name.get(name)
        rows.append({
            "source": name,
            "configured": "yes" if name in configured else "no",
            "last success": _when(state.last_success, now) if state else "never",
            "last error": (state.last_error or "") if state else "",
            "what to do": (state.last_error_action or "") if state and state.last_error else "",
            **{f"{k} rows": counts.get((k, name), 0) for k in KINDS},
        })
    return pd.DataFrame(rows, columns=STATUS_COLUMNS)


def _when(moment: datetime | None, now: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC ({humanize_age(now - moment)})" if moment else "never"
