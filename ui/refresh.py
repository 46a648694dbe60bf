"""The Refresh data button: the same sync as the scheduled workflow, run in-process with progress."""

from __future__ import annotations

import streamlit as st

from core.errors import FitDashError, SyncBusy
from core.forecast.training import retrain_if_week_completed
from core.sources import build_sources
from core.sync import run_sync
from ui import context, data, gate
from ui import forecast as forecast_ui

REPORT_KEY = "_last_refresh_report"


def refresh_now() -> None:
    """Sync every source with per-source progress, clear cached reads and rerun. Admins only."""
    if not gate.is_admin():  # checked on the server, whatever the browser sent
        st.sidebar.error("Only an admin may refresh data.")
        return
    store, settings = context.store(), context.settings()
    sources = build_sources(settings, store, context.now)
    with st.sidebar.status("Syncing…", expanded=True) as status:
        boxes = {s.name: st.empty() for s in sources}

        def progress(name: str, message: str) -> None:
            boxes[name].write(f"**{name}**: {message}")

        try:
            report = run_sync(store, sources, now=context.now, progress=progress,
                              api_retention_days=settings.api_retention_days)
        except SyncBusy as exc:
            status.update(label="A sync is already running", state="error")
            st.session_state[REPORT_KEY] = ("warning", f"{exc}. {exc.action}")
            return
        except FitDashError as exc:  # a damaged, full or unreachable store: nothing was synced into it
            status.update(label="The sync could not start", state="error")
            st.session_state[REPORT_KEY] = ("error", f"{exc}\n\n{exc.action}")
            return
        lines = [r.line() for r in report.sources]
        if report.ok:  # a week that completed since the last training gets a new model (reported, never raised)
            status.update(label="Retraining the forecast if a week has completed…")
            lines.append(retrain_if_week_completed(store, settings, forecast_ui.today()).message)
        state = "complete" if report.ok else "error"
        status.update(label="Sync finished" if report.ok else "Sync finished with errors", state=state)
    st.session_state[REPORT_KEY] = ("success" if report.ok else "error", "\n\n".join(lines))
    data.clear_all()
    st.rerun()


def show_last_report() -> None:
    """After the rerun, say what the last refresh did (once)."""
    outcome = st.session_state.pop(REPORT_KEY, None)
    if outcome:
        kind, text = outcome
        getattr(st.sidebar, kind)(text)
