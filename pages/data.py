"""Data: sync health per source with what to do, quarantined rows, imports (admins) and a full export."""

import streamlit as st

from core.sources import unsupported_sources
from core.views.data import postponed_text, source_status
from ui import context, data, gate, imports

gate.require_login()

settings = context.settings()
st.title("Data")
states = data.load_sync_states()
table = source_status(states, data.load_counts(), settings.active_sources, context.now(), settings.sync_interval_h)
st.dataframe(table, hide_index=True, width="stretch")
for _, row in table[table["last error"] != ""].iterrows():
    st.error(f"**{row.source}**: {row['last error']}\n\n{row['what to do']}")
for name in unsupported_sources(settings):
    st.warning(f"{name} is configured but this version cannot sync it yet.")
st.caption(f"Scheduled sync every {settings.sync_interval_h:g} h ('next sync' per source, if the GitHub Actions "
           f"schedule is enabled; GitHub may start it late); store: {settings.store_backend}.")

for state in states:
    held, warnings = state.details.get("quarantine", []), state.details.get("warnings", [])
    if not held and not warnings:
        continue
    with st.expander(f"{state.source}: {len(held)} rows not stored", expanded=bool(held)):
        if "rows_read" in state.details:
            st.write(f"{state.details['rows_read']} rows read = {state.details['rows_stored']} stored + "
                     f"{len(held)} not readable. Fix them at the source; the next sync picks them up.")
        if postponed := postponed_text(state):
            st.info(postponed)
        for text in warnings:
            st.warning(text)
        if held:
            st.dataframe(held, hide_index=True, width="stretch")

st.subheader("Import files")
if gate.is_admin():
    st.caption("Strava's bulk export (the ZIP or its activities.csv), Withings' export (the ZIP or weight.csv, "
               "in English, French, German, Spanish, Italian, Dutch or Portuguese), a training-log CSV with the "
               "sheet's columns, or this app's own export. Importing the same file twice adds nothing.")
    upload = st.file_uploader("Export file", type=["zip", "csv", "txt", "tsv"], key="data_import_file")
    choices = imports.import_choices()
    may_import = imports.confirm_end_of_demo()
    if upload is not None and st.button("Import", key="data_import", type="primary", disabled=not may_import) \
            and may_import:
        imports.import_upload(upload.name, upload.getvalue(), choices)
    imports.show_last_import()
    imports.last_import_caption()
    imports.purge_demo_offer()
    imports.show_last_purge()
else:
    st.caption("Only an admin can import files.")

st.subheader("Your data")
imports.export_button()
