"""Cached reads of the store. 'Refresh data' clears them (clear_all).

When a read fails with a StoreError (DynamoDB throttling, S3 or network errors after botocore's retries, a
locked or unreadable file), the page keeps the last frame this process read successfully and says why
(`last_good`); only a store never read since the server started shows the error alone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

import pandas as pd
import streamlit as st

from core.errors import StoreError
from core.store.base import SyncState
from ui import context, views

CACHE_TTL_S = 600  # bounded: a scheduled sync (every 3 h) shows up within 10 minutes
_SHOWN = "_store_problems_shown"  # messages already shown in this run (one banner per problem)
T = TypeVar("T")
log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def _last_good() -> dict[str, tuple[datetime, object]]:
    """Per process: the newest value each loader read successfully, and when."""
    return {}


def last_good(name: str, read: Callable[[], T]) -> T:
    """read(), remembered; on a StoreError the last good value with a warning (or the error if there is none)."""
    try:
        value = read()
    except StoreError as exc:
        if name not in _last_good():
            raise
        when, value = _last_good()[name]
        log.warning("store read %s failed, showing the data read at %s: %s", name, when, exc)
        _warn_once(f"Showing the data read at {when:%H:%M} UTC: {exc}\n\n{exc.action}")
        return value  # type: ignore[return-value]
    _last_good()[name] = (context.now(), value)
    return value


def _warn_once(text: str) -> None:
    shown = st.session_state.setdefault(_SHOWN, set())
    if text not in shown:
        shown.add(text)
        st.warning(text)


def new_run() -> None:
    """At the top of every run: problems are shown again once in it."""
    st.session_state[_SHOWN] = set()


def show_problem(exc: StoreError, signed_in: bool) -> None:
    """A store that cannot be read: the message and action for a logged-in person, a neutral one otherwise."""
    if signed_in:
        st.error(f"{exc}\n\n{exc.action}")
        return
    log.error("the store cannot be read: %s - %s", exc, exc.action)  # the operator's copy, with the file
    st.error("The dashboard cannot read its data right now. If you run it: the server log, or "
             "`python -m core.sync` on the server, says what is wrong and what to do.")


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False, max_entries=16)
def _load_kind(kind: str) -> pd.DataFrame:
    frame = context.store().read(kind)
    frame.attrs[views.VERSION] = int(pd.util.hash_pandas_object(frame, index=False).sum())
    return frame


def load_kind(kind: str) -> pd.DataFrame:
    """Every stored record of one kind, as a typed frame, stamped with a version of its content.

    The version (a hash of every row, ~40 ms for ten years, once per load) lets cached page views tell
    a corrected record (same key and time, new values: a renamed run, an edited sheet row) from the old one.
    """
    return last_good(f"kind:{kind}", lambda: _load_kind(kind))


@st.cache_data(ttl=60, show_spinner=False)
def _load_sync_states() -> list[SyncState]:
    return context.store().sync_states()


def load_sync_states() -> list[SyncState]:
    """Every source's sync state (short TTL: the freshness caption must not lag)."""
    return last_good("sync_states", _load_sync_states)


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def _load_counts() -> dict[tuple[str, str], int]:
    return context.store().counts()


def load_counts() -> dict[tuple[str, str], int]:
    """Stored records per (kind, source)."""
    return last_good("counts", _load_counts)


# Like the cached functions they wrap: `loader.clear()` forgets the cached reads (what the TTL does).
load_kind.clear, load_sync_states.clear, load_counts.clear = (  # type: ignore[attr-defined]
    _load_kind.clear, _load_sync_states.clear, _load_counts.clear)


def clear_all() -> None:
    """Forget every cached read, so the next run shows what the store holds now (the last good copies stay)."""
    for loader in (_load_kind, _load_sync_states, _load_counts):
        loader.clear()
    from ui import forecast, views  # the model blob may have been retrained by the scheduled job

    forecast.clear()
    views.clear()
