"""Sidebar shared by every page: freshness, Refresh data (admins), display units, logout."""

from __future__ import annotations

import streamlit as st

from core.analytics.freshness import freshness
from core.units import SYSTEMS, Units
from ui import context, data, gate, refresh

UNITS_KEY = "units_system"


def render() -> None:
    """Draw the sidebar."""
    settings = context.settings()
    fresh = freshness(data.load_sync_states(), context.now(), settings.sync_interval_h, settings.active_sources)
    st.sidebar.caption(f"Data {fresh.caption}")
    if fresh.stale and fresh.last_success is not None:
        st.sidebar.warning(
            f"The last successful sync is older than {2 * settings.sync_interval_h:g} h. "
            "Likely causes: the scheduled workflow was disabled (GitHub disables schedules after 60 days "
            "without activity) or a source's token expired - see the Data page."
        )
    elif fresh.lagging:
        st.sidebar.warning(
            f"{', '.join(n.capitalize() for n in fresh.lagging)}: no successful sync for more than "
            f"{2 * settings.sync_interval_h:g} h while other sources sync. Likely causes: an expired token or "
            "a rate limit - the Data page says what to do."
        )
    if gate.is_admin() and st.sidebar.button("Refresh data", key="refresh", type="primary", width="stretch"):
        refresh.refresh_now()
    refresh.show_last_report()
    st.session_state.setdefault(UNITS_KEY, settings.units)  # the configured default, until switched here
    st.sidebar.radio("Units", list(SYSTEMS), key=UNITS_KEY, horizontal=True,
                     format_func=lambda s: "kg, km" if s == "metric" else "lb, mi")
    gate.logout_button()


def units() -> Units:
    """The display units chosen in the sidebar ([app] units until changed)."""
    return SYSTEMS[st.session_state.get(UNITS_KEY, context.settings().units)]
