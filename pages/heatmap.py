"""Heatmap: every recorded route of a date range, as the places crossed by at least some number of runs."""

import streamlit as st

from core.records import RUN
from core.views.running import run_days
from ui import data, gate, heatmap, sidebar, widgets

gate.require_login()

sidebar.units()
st.title("Heatmap")
runs = data.load_kind(RUN)
if runs.empty:
    st.info("No runs stored yet. Connect Strava or import your Strava export on the Data page.")
    st.stop()

left, right = st.columns([3, 2])
with left:
    start, end = widgets.date_range("heatmap_range", run_days(runs), default="All")
with right:
    min_count = st.number_input("Crossed by at least (runs)", 1, 100, 1, key="heatmap_min_count",
                                help="Hide the places you ran only once or twice: raise this.")
view = heatmap.heatmap(runs, start=start, end=end, min_count=int(min_count))
if view.figure is not None:
    st.plotly_chart(view.figure, key="heatmap_map", config={"scrollZoom": True})
st.caption(view.note)
