"""Data: sync health per source with what to do, quarantined rows, imports (admins) and a full export."""

import streamlit as st

from core.views.data import UPLOAD_TYPES, data_view
from ui import context, data, gate, imports, records, sidebar

gate.require_login()

st.title("Data")
view = data_view(data.load_sync_states(), data.load_counts(), context.settings(), context.now())
st.dataframe(view.table, hide_index=True, width="stretch")
for text in view.errors:
    st.error(text)
for text in view.unsupported:
    st.warning(text)
st.caption(view.schedule)

for held in view.held:
    with st.expander(held.title, expanded=held.expanded):
        if held.counts:
            st.write(held.counts)
        if held.postponed:
            st.info(held.postponed)
        for text in held.warnings:
            st.warning(text)
        if held.rows:
            st.dataframe(list(held.rows), hide_index=True, width="stretch")

st.subheader("Import files")
if gate.is_admin():
    st.caption(imports.upload_caption())
    uploads = st.file_uploader("Export or activity files", type=list(UPLOAD_TYPES), key="data_import_file",
                               accept_multiple_files=True)
    choices = imports.import_choices()
    may_import = imports.confirm_end_of_demo()
    if uploads and st.button("Import", key="data_import", type="primary", disabled=not may_import) and may_import:
        imports.import_upload([(u.name, u.getvalue()) for u in uploads], choices)
    imports.show_last_import()
    imports.last_import_caption()
    imports.purge_demo_offer()
    imports.show_last_purge()
else:
    st.caption("Only an admin can import files.")
records.entry_forms(sidebar.units())

st.subheader("Your data")
imports.export_button()
