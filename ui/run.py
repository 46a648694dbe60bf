"""The run page's widgets and cached reads: which run is open (the `?run=<key>` query parameter), its view."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.activity.storage import load_laps, load_stream
from core.errors import BadInput
from core.views.run import RunView, run_choices, run_view
from ui import context, views

PICK = "run_pick"  # the selectbox's session-state key
SEEN = "run_param_seen"  # the query parameter last followed, so a changed one (a link) wins over the selectbox
MAX_RUN_VIEWS = 6  # views of recently opened runs kept per process (a few hundred kB of figures each)


def pick_run(runs: pd.DataFrame, units) -> str:
    """The open run's key: the `run` query parameter when it names a stored run, else the latest run; the
    searchable list changes it and the URL follows, so the page can be bookmarked or linked."""
    choices = views.cached(run_choices, (runs,), units=units)
    wanted = st.query_params.get("run")
    if wanted is not None and wanted not in choices:
        st.warning("The link names a run that is not stored (deleted, or from another dashboard): showing the "
                   "latest run.")
    elif wanted is not None and wanted != st.session_state.get(SEEN):
        st.session_state[PICK] = wanted
    if st.session_state.get(PICK) not in choices:
        st.session_state[PICK] = next(iter(choices))
    key = st.selectbox("Run", list(choices), format_func=choices.get, key=PICK,
                       help="Type to search by date, name or distance.")
    st.session_state[SEEN] = key
    st.query_params["run"] = key
    return key


@st.cache_resource(max_entries=MAX_RUN_VIEWS, show_spinner=False)
def _view(key: str, stamp: tuple, units, athlete, maps, _runs: pd.DataFrame) -> RunView:
    store = context.store()
    stream = load_stream(store, key)  # only this run's stream is read, and not kept once drawn
    return run_view(_runs, stream, load_laps(store, key) if stream is not None else (), key=key, units=units,
                    athlete=athlete, maps=maps)


def open_run(runs: pd.DataFrame, key: str, units) -> tuple[RunView, BadInput | None]:
    """The run's view built from its stored stream and laps; a damaged blob gives the summary-only view and the
    error to show."""
    settings = context.settings()
    try:
        return _view(key, views.stamp(runs), units, settings.athlete, settings.maps, runs), None
    except BadInput as exc:
        return run_view(runs, None, (), key=key, units=units, athlete=settings.athlete, maps=settings.maps), exc
