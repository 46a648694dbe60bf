"""The Data page's table: one row per source, configured or not, with its sync health and counts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

import pandas as pd

from core.analytics.freshness import IMPORT_STATE, humanize_age, next_scheduled
from core.config import REAL_SOURCES
from core.records import KINDS
from core.store.base import SyncState
from core.sync import postponed_note

STATUS_COLUMNS = ("source", "configured", "last success", "next sync", "last error", "what to do") + tuple(
    f"{k} rows" for k in KINDS)
NEEDS_A_PERSON = ("AuthExpired", "ConfigError")  # errors the schedule cannot fix by retrying


def source_status(states: Iterable[SyncState], counts: Mapping[tuple[str, str], int],
                  configured: Iterable[str], now: datetime, interval_h: float | None = None) -> pd.DataFrame:
    """Sync health per source: every real source, plus any other source that has state or data."""
    by_name = {s.source: s for s in states if s.source != IMPORT_STATE}  # imports: a caption of their own
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
            "next sync": next_sync(state, name in configured, now, interval_h),
            "last error": (state.last_error or "") if state else "",
            "what to do": (state.last_error_action or "") if state and state.last_error else "",
            **{f"{k} rows": counts.get((k, name), 0) for k in KINDS},
        })
    return pd.DataFrame(rows, columns=STATUS_COLUMNS)


def _when(moment: datetime | None, now: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC ({humanize_age(now - moment)})" if moment else "never"


def next_sync(state: SyncState | None, configured: bool, now: datetime, interval_h: float | None) -> str:
    """When the schedule will next sync this source: after a rate limit's reset, never without a person's fix."""
    if not configured:
        return "not configured"
    details = state.details if state else {}
    if state and state.last_error and details.get("error_kind") in NEEDS_A_PERSON:
        return "after the fix under 'what to do'"
    if not interval_h:
        return "on Refresh"
    slot = next_scheduled(now, interval_h)
    retry_at = details.get("retry_at")
    limited = retry_at and datetime.fromisoformat(retry_at) > now
    while limited and slot < datetime.fromisoformat(retry_at):
        slot = next_scheduled(slot, interval_h)
    note = f" (rate limited until {datetime.fromisoformat(retry_at):%H:%M})" if limited else ""
    return f"{slot:%a %H:%M} UTC{note}"


def postponed_text(state: SyncState) -> str | None:
    """The mirror's deletions waiting for quarantined rows, as a sentence (None when none wait)."""
    count = int(state.details.get("postponed_removals", 0))
    return postponed_note(count) if count else None
