"""Imports and exports from the Data page (imports: admins only, checked on the server)."""

from __future__ import annotations

import streamlit as st

from core.errors import FitDashError
from core.export import export_zip
from core.sources.exports import import_file
from core.sources.sheets import log_format
from ui import auth, context, data

RESULT_KEY = "_last_import"


def import_upload(name: str, content: bytes) -> None:
    """Import one uploaded file with visible progress; the outcome is kept for the next run."""
    if not auth.is_admin():
        st.error("Only an admin may import files.")
        return
    with st.status(f"Importing {name}…", expanded=True) as status:
        st.write(f"Reading {len(content) / 1e6:.1f} MB and detecting the format…")
        try:
            settings = context.settings()
            report = import_file(context.store(), content, name, settings.timezone,
                                 log_format=log_format(settings), now=context.now)
        except FitDashError as exc:  # an unreadable file (BadInput) or a sync holding the lease (SyncBusy)
            status.update(label=f"{name} was not imported", state="error")
            st.session_state[RESULT_KEY] = ("error", f"{exc}\n\n{exc.action}", [])
            return
        status.update(label=f"{name} imported", state="complete")
    st.session_state[RESULT_KEY] = ("success", report.line(), report.quarantine)
    data.clear_all()


def show_last_import() -> None:
    """The last import's outcome and its unreadable rows."""
    outcome = st.session_state.get(RESULT_KEY)
    if outcome:
        kind, text, rows = outcome
        getattr(st, kind)(text)
        if rows:
            st.dataframe(rows, hide_index=True, width="stretch")


def export_button() -> None:
    """Prepare, then download, everything stored as a ZIP of CSVs."""
    if st.button("Prepare a download of everything stored", key="data_export_prepare"):
        st.session_state["_export_zip"] = export_zip(context.store())
    if "_export_zip" in st.session_state:
        st.download_button("Download fitdash-export.zip", st.session_state["_export_zip"], "fitdash-export.zip",
                           "application/zip", key="data_export_download")
