"""How fresh the stored data is: the age of the last successful sync, and whether it is stale.

Numbers only: the sidebar's and the Data page's sentences are made in core/views/data.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.store.base import IMPORT_STATE, SyncState

STALE_FACTOR = 2  # stale once two scheduled syncs in a row have been missed


@dataclass(frozen=True)
class Freshness:
    """The newest successful sync across sources, its age and whether that is too old.

    `lagging` names the active sources whose own last success is too old (or that were tried and never
    succeeded) while others keep syncing: one expired token must not hide behind a healthy source.
    `imported` is the age of the last file import: fresh data for the caption, never a sync (staleness is about
    syncs).
    """

    last_success: datetime | None
    age: timedelta | None
    stale: bool
    lagging: tuple[str, ...] = ()
    imported: timedelta | None = None


def freshness(states: Iterable[SyncState], now: datetime, interval_h: float,
              active: Iterable[str] = ()) -> Freshness:
    """Freshness of the data given every source's sync state; `active` are the sources that should sync."""
    states = list(states)
    imports = [s.last_success for s in states if s.source == IMPORT_STATE and s.last_success]
    imported = max(now - max(imports), timedelta(0)) if imports else None
    states = [s for s in states if s.source != IMPORT_STATE]
    limit = timedelta(hours=STALE_FACTOR * interval_h)
    wanted = set(active)
    lagging = tuple(sorted(s.source for s in states if s.source in wanted and (
        (s.last_success is None and s.last_attempt is not None)
        or (s.last_success is not None and now - s.last_success > limit))))
    successes = [s.last_success for s in states if s.last_success]
    if not successes:
        return Freshness(None, None, True, lagging, imported)
    last = max(successes)
    age = max(now - last, timedelta(0))
    return Freshness(last, age, age > limit, lagging, imported)


def next_scheduled(now: datetime, interval_h: float) -> datetime:
    """When the cron `0 */N * * *` fires next (UTC hours divisible by N; GitHub may run it late)."""
    step = max(1, round(interval_h))
    base = now.replace(minute=0, second=0, microsecond=0)
    hours_ahead = step - base.hour % step
    return base + timedelta(hours=hours_ahead)
