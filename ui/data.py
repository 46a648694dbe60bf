"""Cached reads of the store. 'Refresh data' clears them (clear_all)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.store.base import SyncState
from ui import context, views

CACHE_TTL_S = 600  # bounded: a scheduled sync (every 3 h) shows up within 10 minutes


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False, max_entries=16)
def load_kind(kind: str) -> pd.DataFrame:
    """Every stored record of one kind, as a typed frame, stamped with a version of its content.

    The version (a hash of every row, ~40 ms for ten years, once per load) lets cached page views tell
    a corrected record (same key and time, new values: a renamed run, an edited sheet row) from the old one.
    """
    frame = context.store().read(kind)
    frame.attrs[views.VERSION] = int(pd.util.hash_pandas_object(frame, index=False).sum())
    return frame


@st.cache_data(ttl=60, show_spinner=False)
def load_sync_states() -> list[SyncState]:
    """Every source's sync state (short TTL: the freshness caption must not lag)."""
    return context.store().sync_states()


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def load_counts() -> dict[tuple[str, str], int]:
    """Stored records per (kind, source)."""
    return context.store().counts()


def clear_all() -> None:
    """Forget every cached read, so the next run shows what the store holds now."""
    for loader in (load_kind, load_sync_states, load_counts):
        loader.clear()
    from ui import forecast, views  # the model blob may have been retrained by the scheduled job

    forecast.clear()
    views.clear()
