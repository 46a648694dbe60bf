"""Manual entries a provider's record replaced with other values (core/yourdata/history.py conflicts), listed on the
Data page for an admin to settle: keep the source's values (the entry is set aside, kept in its history) or keep
the typed ones (put on the provider's record as edits)."""

from __future__ import annotations

import streamlit as st

from core.records import KINDS
from core.views.records import conflict_line
from core.yourdata import Conflict, conflicts, resolve_conflict
from ui import context, data, prefs, views
from ui.entry import WRITES, attempt


@st.cache_data(ttl=data.CACHE_TTL_S, show_spinner=False, max_entries=8)
def _found(versions: tuple, writes: int) -> list[Conflict]:
    """Every conflict, once per content of the stored kinds and this session's writes (it reads every record)."""
    return conflicts(context.store())


def render(disabled: bool) -> None:
    """Each conflict with its two ways out; nothing when there is none."""
    versions = tuple(data.load_kind(kind).attrs.get(views.VERSION) for kind in KINDS)
    found = _found(versions, st.session_state.get(WRITES, 0))
    if not found:
        return
    st.markdown("**Conflicts**: entries a source later brought with other values. Reads show the source's.")
    for c in found:
        st.write(conflict_line(c))
        theirs, mine = st.columns(2)
        if theirs.button("Keep the source's values", key=f"conflict_provider_{c.manual_key}", disabled=disabled):
            attempt(lambda c=c: resolve_conflict(context.store(), prefs.actor(), c, "provider", now=context.now),
                    "Kept the source's values; your entry is set aside (in its history).")
        if mine.button("Keep my values", key=f"conflict_manual_{c.manual_key}", disabled=disabled):
            attempt(lambda c=c: resolve_conflict(context.store(), prefs.actor(), c, "manual", now=context.now),
                    "Kept your values, as edits of the source's record.")
