"""The run page's widgets and cached reads: which run is open (the `?run=<key>` query parameter), its view."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.activity.efforts_index import run_efforts
from core.activity.storage import load_laps, load_stream
from core.errors import BadInput
from core.views.efforts import efforts_view
from core.views.run import LISTED_RUNS, RunView, listed_choices, run_choices, run_view, runs_table
from ui import context, data, views, widgets
from ui.data import CACHE_TTL_S

PICK = "run_pick"  # the selectbox's session-state key
SEARCH = "run_search"  # the search box's
SEEN = "run_param_seen"  # the query parameter last followed, so a changed one (a link) wins over the selectbox
MAX_RUN_VIEWS = 6  # views of recently opened runs kept per process (a few hundred kB of figures each)


def pick_run(runs: pd.DataFrame, units) -> str:
    """The open run's key: the `run` query parameter when it names a stored run, else the latest run; the
    searchable list changes it and the URL follows, so the page can be bookmarked or linked. The list holds the
    latest LISTED_RUNS runs matching the search box (and the open run), not all ten years: a browser builds
    every option of a list when it draws it, about 0.3 s for 1,500 runs (bench/run_page.py)."""
    choices = views.cached(run_choices, (runs,), units=units)
    wanted = st.query_params.get("run")
    if wanted is not None and wanted not in choices:
        st.warning("The link names a run that is not stored (deleted, or from another dashboard): showing the "
                   "latest run.")
    elif wanted is not None and wanted != st.session_state.get(SEEN):
        st.session_state[PICK] = wanted
    if st.session_state.get(PICK) not in choices:
        st.session_state[PICK] = next(iter(choices))
    pick, search = st.columns([3, 1])
    words = search.text_input("Search runs", key=SEARCH, placeholder="date, name or distance",
                              help="Every word must appear in the run's line, e.g. 'Mar 2021 long'.")
    listed, matching = listed_choices(choices, words, st.session_state[PICK])
    key = pick.selectbox("Run", list(listed), format_func=listed.get, key=PICK,
                         help="Type to search the list by date, name or distance.")
    if not matching:
        pick.caption(f"No run matches '{words.strip()}': showing the open run.")
    elif matching > LISTED_RUNS:
        pick.caption(f"The latest {LISTED_RUNS} of {matching:,} {'matching ' if words.strip() else ''}runs: "
                     "search for older ones.")
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


@st.cache_data(ttl=CACHE_TTL_S, show_spinner="Reading new runs' activity files for the best efforts...",
               max_entries=4)
def _efforts(stamp: tuple, _runs: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    return run_efforts(context.store(), _runs)


def best_efforts_section(runs: pd.DataFrame, units) -> None:
    """The Running page's true best efforts (all time, per year), from the runs' streams, linked to the run page."""
    efforts, with_stream = data.last_good("efforts", lambda: _efforts(views.stamp(runs), runs))
    view = views.cached(efforts_view, (runs,), given=(efforts,), with_stream=with_stream, units=units)
    st.subheader("Best efforts")
    if view.all_time is not None:
        widgets.table(view.all_time)
        with st.expander("Per year"):
            widgets.table(view.by_year)
    st.caption(view.note)


def runs_section(runs: pd.DataFrame, units, start: pd.Timestamp, end: pd.Timestamp) -> None:
    """The latest runs of the range, each linking to its run page."""
    st.subheader("Latest runs")
    widgets.table(views.cached(runs_table, (runs,), units=units, start=start, end=end))
    st.caption("Open a run for its pace, heart rate, splits, zones and map (or pick any run on the Run page). "
               "'from' says where each run comes from: an activity file, an export row, Strava's API, the demo or "
               "an entry made here.")
