"""Sidebar shared by every page: freshness, Refresh data (admins), display units, logout."""

from __future__ import annotations

import streamlit as st

from core.analytics.freshness import freshness
from core.units import SYSTEMS, Units
from core.views.data import freshness_caption, freshness_warning
from ui import context, data, gate, prefs, refresh

UNITS_KEY = prefs.UNITS_KEY


def render() -> None:
    """Draw the sidebar."""
    settings = context.settings()
    fresh = freshness(data.load_sync_states(), context.now(), settings.sync_interval_h, settings.active_sources)
    st.sidebar.caption(f"Data {freshness_caption(fresh)}")
    if warning := freshness_warning(fresh, settings.sync_interval_h, settings.scheduled):
        st.sidebar.warning(warning)
    if gate.is_admin() and st.sidebar.button("Refresh data", key="refresh", type="primary", width="stretch"):
        refresh.refresh_now()
    refresh.show_last_report()
    prefs.sidebar_preferences()  # the units switch and the person's other preferences, kept in the store
    gate.logout_button()


def units() -> Units:
    """The display units chosen in the sidebar (the person's stored choice, else [app] units)."""
    return SYSTEMS[st.session_state.get(UNITS_KEY, context.settings().units)]
