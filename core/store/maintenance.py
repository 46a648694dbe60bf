"""Store upkeep over the Store protocol, the same on every backend: the health check and the purge of a source.

check_store is what a sync (and the app, once per process) runs before trusting the store: the
backend's own cheap check (SQLite's quick_check, the DynamoDB table's status), then one rule every
backend shares: a source whose watermark says records were stored must still have records.

purge_source removes every record of one source (the demo's, once real data has arrived) and its
sync state, under the sync lease.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from core import lease
from core.errors import StoreDamaged
from core.records import BODY, KINDS, RUN, SET
from core.store.base import Store

KIND_WORDS = {BODY: "body measurements", RUN: "runs", SET: "training sets"}


def check_store(store: Store) -> None:
    """Raise StoreDamaged when the store is damaged or has lost records its sync state says it holds."""
    store.check()
    stored = {source for _, source in store.counts()}
    for state in store.sync_states():
        if state.watermark is not None and state.source not in stored:
            raise StoreDamaged(
                f"{state.source}: its sync state says records up to {state.watermark:%Y-%m-%d %H:%M} UTC were "
                "stored, but the store holds none of them (a store file replaced, or restored from an old copy?)",
                action="Restore them from your last export (`python -m core.sync import EXPORT.zip`), or read them "
                       f"again from the provider: `python -m core.store purge --source {state.source}` forgets "
                       "its sync state, and the next sync reads everything.")


def source_counts(counts: Mapping[tuple[str, str], int], source: str) -> dict[str, int]:
    """Records of one source per kind, from store.counts() (kinds it has none of are left out)."""
    return {kind: n for (kind, src), n in sorted(counts.items()) if src == source and n}


def purge_source(store: Store, source: str, now: Callable[[], datetime]) -> dict[str, int]:
    """Delete every record of `source` and its sync state under the lease; the deleted count per kind."""
    owner = lease.new_owner("purge:")
    with lease.held(store, owner, now, doing=f"cannot purge {source}: a sync is running"):
        deleted = {kind: store.delete(kind, source, keys) for kind in KINDS if (keys := store.keys(kind, source))}
        store.delete_sync_state(source)
    return deleted


def purge_plan(source: str, counts: dict[str, int], demo_returns: bool) -> str:
    """What a purge is about to delete, in one sentence (and whether the next sync brings demo data back)."""
    what = ", ".join(f"{n} {KIND_WORDS.get(kind, kind)}" for kind, n in counts.items()) or "no records"
    text = f"Purge {source}: delete {what} and its sync state."
    if source == "demo" and demo_returns:
        text += (" The store holds nothing else, so the next sync generates demo data again "
                 "unless you set FITDASH_DEMO_ENABLED=false ([demo] enabled = false).")
    elif source == "demo":
        text += " The store holds real data, so the demo source no longer syncs: the demo stays gone."
    return text
