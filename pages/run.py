"""Run: one run in detail: pace, heart rate and elevation against distance, splits, laps, zones, the map."""

import streamlit as st

from core.records import RUN
from ui import data, gate, run, sidebar, widgets

gate.require_login()

units = sidebar.units()
st.title("Run")
runs = data.load_kind(RUN)
if runs.empty:
    st.info("No runs stored yet. Connect Strava or import your Strava export on the Data page.")
    st.stop()

key = run.pick_run(runs, units)
view, problem = run.open_run(runs, key, units)
st.subheader(view.title)
if problem is not None:
    st.error(f"{problem}\n\n{problem.action}")
for column, (label, value) in zip(st.columns(len(view.summary)), view.summary.items(), strict=True):
    widgets.metric(column, label, value)
for note in view.notes:
    st.info(note)
if view.profile is not None:
    st.plotly_chart(view.profile, key="run_profile")
if view.splits_chart is not None:
    left, right = st.columns(2)
    left.plotly_chart(view.splits_chart, key="run_splits")
    with right:
        widgets.static_table(view.splits_table)
if view.laps_table is not None:
    st.subheader("Laps")
    widgets.static_table(view.laps_table)
if view.zones_chart is not None:
    st.plotly_chart(view.zones_chart, key="run_zones")
if view.zones_note:
    st.caption(view.zones_note)
if view.route is not None:
    st.plotly_chart(view.route, key="run_map", config={"scrollZoom": True})
if view.route_note:
    st.caption(view.route_note)
