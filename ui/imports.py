"""Imports and exports from the Data page (imports: admins only, checked on the server).

While the demo login is what lets people in, an import ends it for everyone (real data stops the demo
credentials): the page says so, names the command that creates a real admin and needs a confirmation
first. Once real data is stored, admins may remove the demo's records (`purge_demo_offer`).
"""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

import streamlit as st

from core.errors import FitDashError
from core.export import export_zip
from core.sources.files.options import import_options
from core.sources.files.uploads import import_uploads
from core.store.maintenance import purge_plan, purge_source, source_counts
from core.views.data import last_import_line, upload_help
from ui import context, data, gate

RESULT_KEY = "_last_import"
PURGE_KEY = "_last_purge"
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


def upload_caption() -> str:
    """What the upload box takes, with this deployment's [imports] limits."""
    return upload_help(import_options(context.settings()).limits)


def import_upload(uploads: list[tuple[str, bytes]], choices: dict[str, str] | None = None) -> None:
    """Import the uploaded file (or activity files) with visible progress; the outcome is kept for the next run."""
    if not gate.is_admin():
        st.error("Only an admin may import files.")
        return
    name = uploads[0][0] if len(uploads) == 1 else f"{len(uploads)} files"
    with st.status(f"Importing {name}…", expanded=True) as status:
        st.write(f"Reading {sum(len(c) for _, c in uploads) / 1e6:.1f} MB and detecting the format…")
        try:
            options = import_options(context.settings(), **(choices or {}))
            report = import_uploads(context.store(), uploads, options.timezone, log_format=options.log_format,
                                    limits=options.limits, now=context.now, progress=progress_bar())
        except FitDashError as exc:  # an unreadable file (BadInput) or a sync holding the lease (SyncBusy)
            status.update(label=f"{name} was not imported", state="error")
            st.session_state[RESULT_KEY] = ("error", f"{exc}\n\n{exc.action}", [], [])
            return
        problem = report.problem()
        status.update(label=f"{name}: nothing stored" if problem else f"{name} imported",
                      state="error" if problem else "complete")
    text = f"{report.line()}\n\n{problem}" if problem else report.line()
    kept = report.records_new or report.records_already  # then the import's state lists the rows on the page
    rows = ([] if kept else report.quarantine) + report.unreadable
    st.session_state[RESULT_KEY] = ("error" if problem else "success", text, rows, report.notes + report.warnings)
    data.clear_all()
    st.rerun()  # the sidebar's freshness, drawn before the import in this run, shows it


def progress_bar():
    """A progress callback drawing `N of M activity files` as a bar (only once an import holds activity files)."""
    bar = None

    def show(done: int, total: int) -> None:
        nonlocal bar
        if total:
            bar = bar or st.progress(0.0)
            bar.progress(done / total, text=f"{done} of {total} activity files")
    return show


def show_last_import() -> None:
    """The last import's outcome, how the file was read, its unreadable rows and activity files."""
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


def confirm_end_of_demo() -> bool:
    """True when an import may run: always, except while the demo login is on, until the admin confirms."""
    settings = context.settings()
    if not gate.demo_login_active(settings, data.load_counts()):
        return True
    st.warning("You are logged in with the demo account. Importing a file stores real data, and real data ends the "
               "demo for everyone: the demo / demo login stops working as soon as the file is stored, for you too. "
               f"First create your own admin on the machine that runs the dashboard: `{gate.CREATE_ADMIN}` (on a "
               "host configured by environment, then `python -m core.users env` and set the printed variables), "
               "and restart the app. Afterwards the demo's records can be removed on this page or with "
               "`python -m core.store purge --source demo`.")
    return st.checkbox("I understand: importing ends the demo login for everyone", key="data_import_end_demo")


def last_import_caption() -> None:
    """When the last file was imported, and what it was."""
    if line := last_import_line(data.load_sync_states(), context.now()):
        st.caption(line)


def purge_demo_offer() -> None:
    """Admins, once real data is stored next to the demo's: remove the demo records (after a confirmation)."""
    counts = data.load_counts()
    sources = {src for _, src in counts}
    if not gate.is_admin() or "demo" not in sources or sources == {"demo"}:
        return
    plan = purge_plan("demo", source_counts(counts, "demo"), demo_returns=False)  # offered only beside real data
    st.info(f"Real data is stored next to the generated demo data. {plan}")
    sure = st.checkbox("Delete the demo records", key="data_purge_demo_sure")
    if st.button("Remove the demo data", key="data_purge_demo", disabled=not sure) and sure:
        try:
            deleted = purge_source(context.store(), "demo", context.now)
        except FitDashError as exc:
            st.session_state[PURGE_KEY] = ("error", f"{exc}\n\n{exc.action}")
        else:
            st.session_state[PURGE_KEY] = ("success", f"Removed {sum(deleted.values())} demo records.")
            data.clear_all()
        st.rerun()


def show_last_purge() -> None:
    """The outcome of the last purge, once."""
    outcome = st.session_state.pop(PURGE_KEY, None)
    if outcome:
        getattr(st, outcome[0])(outcome[1])
