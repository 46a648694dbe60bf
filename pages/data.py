"""Data: per source, whether it is configured, its last sync, its last error with what to do, row counts."""

import streamlit as st

from core.analytics.freshness import next_scheduled
from core.analytics.sources_status import source_status
from core.sources import unsupported_sources
from ui import auth, context, data

auth.require_login()

settings = context.settings()
st.title("Data")
configured = list(settings.configured_sources) + (["demo"] if settings.demo else [])
table = source_status(data.load_sync_states(), data.load_counts(), configured, context.now())
st.dataframe(table, hide_index=True, width="stretch")
for _, row in table[table["last error"] != ""].iterrows():
    st.error(f"**{row.source}**: {row['last error']}\n\n{row['what to do']}")
for name in unsupported_sources(settings):
    st.warning(f"{name} is configured but this version cannot sync it yet.")
upcoming = next_scheduled(context.now(), settings.sync_interval_h)
st.caption(f"Scheduled sync every {settings.sync_interval_h:g} h (next at about {upcoming:%H:%M} UTC, if the "
           f"GitHub Actions schedule is enabled; GitHub may start it late); store: {settings.store_backend}.")
