"""Imports and exports from the Data page (imports: admins only, checked on the server)."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

import streamlit as st

from core.errors import FitDashError
from core.export import export_zip
from core.sources.exports import import_file
from core.sources.exports.options import import_options
from ui import auth, context, data

RESULT_KEY = "_last_import"
DATE_ORDERS = {"DMY": "day first (02/03/2026 = 2 March)", "MDY": "month first (02/03/2026 = 3 February)"}


@cache
def _zones() -> tuple[str, ...]:
    return tuple(sorted(available_timezones()))  # reads the tz database's folder: once per process


def import_choices() -> dict[str, str]:
    """The unit, date order and time zone to read the file with (defaults: the settings)."""
    defaults = import_options(context.settings())
    zones = sorted({*_zones(), defaults.timezone})
    unit, order, zone = st.columns(3)
    return {
        "unit": unit.selectbox("Unit when the file names none", ["kg", "lb"],
                               index=["kg", "lb"].index(defaults.log_format.unit), key="data_import_unit"),
        "date_order": order.selectbox("Dates written", list(DATE_ORDERS), format_func=DATE_ORDERS.get,
                                      index=list(DATE_ORDERS).index(defaults.date_order), key="data_import_order"),
        "timezone": zone.selectbox("Time zone of the file's times", zones, index=zones.index(defaults.timezone),
                                   key="data_import_timezone"),
    }


def import_upload(name: str, content: bytes, choices: dict[str, str] | None = None) -> None:
    """Import one uploaded file with visible progress; the outcome is kept for the next run."""
    if not auth.is_admin():
        st.error("Only an admin may import files.")
        return
    with st.status(f"Importing {name}…", expanded=True) as status:
        st.write(f"Reading {len(content) / 1e6:.1f} MB and detecting the format…")
        try:
            options = import_options(context.settings(), **(choices or {}))
            options.limits.check_upload(len(content), name)
            report = import_file(context.store(), content, name, options.timezone, log_format=options.log_format,
                                 limits=options.limits, now=context.now)
        except FitDashError as exc:  # an unreadable file (BadInput) or a sync holding the lease (SyncBusy)
            status.update(label=f"{name} was not imported", state="error")
            st.session_state[RESULT_KEY] = ("error", f"{exc}\n\n{exc.action}", [], [])
            return
        problem = report.problem()
        status.update(label=f"{name}: nothing stored" if problem else f"{name} imported",
                      state="error" if problem else "complete")
    text = f"{report.line()}\n\n{problem}" if problem else report.line()
    st.session_state[RESULT_KEY] = ("error" if problem else "success", text, report.quarantine,
                                    report.notes + report.warnings)
    data.clear_all()


def show_last_import() -> None:
    """The last import's outcome, how the file was read, and its unreadable rows."""
    outcome = st.session_state.get(RESULT_KEY)
    if outcome:
        kind, text, rows, notes = outcome
        getattr(st, kind)(text)
        for note in notes:
            st.info(note)
        if rows:
            st.dataframe(rows, hide_index=True, width="stretch")


def export_button() -> None:
    """Prepare, then download, everything stored as a ZIP of CSVs."""
    if st.button("Prepare a download of everything stored", key="data_export_prepare"):
        st.session_state["_export_zip"] = export_zip(context.store())
    if "_export_zip" in st.session_state:
        st.download_button("Download fitdash-export.zip", st.session_state["_export_zip"], "fitdash-export.zip",
                           "application/zip", key="data_export_download")
