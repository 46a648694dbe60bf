"""Running: weekly / monthly totals, speed vs elevation, the last run compared, records, a route."""

import streamlit as st

from core.records import RUN
from core.views.format import format_day
from core.views.running import METRICS, PERIODS, route_view, run_days, running_view
from ui import data, gate, goals, records, run, sidebar, views, widgets
from ui.fitness import zones_section

gate.require_login()

units = sidebar.units()
st.title("Running")
runs = data.load_kind(RUN)
if runs.empty:
    st.info("No runs stored yet. Connect Strava or import your Strava export on the Data page.")
    st.stop()

left, mid, right = st.columns([2, 2, 1])
with left:
    start, end = widgets.date_range("running_range", run_days(runs))
with mid:
    metric = st.selectbox("Metric", list(METRICS), format_func=METRICS.get, key="running_metric")
with right:
    period = st.radio("Per", list(PERIODS), horizontal=True, key="running_period")
view = views.cached(running_view, (runs,), start=start, end=end, metric=metric, period=period, units=units)
if view.empty:
    st.info(f"No runs between {format_day(start)} and {format_day(end)}.")
    st.stop()

a, b, c, d = st.columns(4)
a.metric("Runs", view.runs)
b.metric("Distance", view.distance)
c.metric("Average pace", view.pace, help="Total distance divided by total moving time over the range.")
d.metric("Average speed", view.speed, help="Total distance divided by total moving time over the range.")
goals.running_goals(runs, units)
st.plotly_chart(view.totals, key="running_totals")
if view.partial_note:
    st.caption(view.partial_note)
st.plotly_chart(view.scatter, key="running_scatter")
st.caption(view.scatter_note)

st.subheader("Last run compared")
widgets.table(view.compared, hide_index=False)

st.subheader("Records")
widgets.table(view.records)
st.caption(f"Records come from whole-run summaries (average pace over the run), all time, not split times. "
           f"{view.records_missing}".rstrip())
run.best_efforts_section(runs, units)  # true best efforts from the streams (ui/run.py)

st.subheader("Route")
labels = view.route_labels
chosen = st.selectbox("Run", list(labels), format_func=labels.get, key="running_route")
st.plotly_chart(views.cached(route_view, (runs,), key=chosen, units=units), key="running_map")
st.caption("Drawn as distance east and north of the start, on equal scales (no map tiles: works offline).")
run.runs_section(runs, units, start, end)  # the range's latest runs, linked to the run page (ui/run.py)

zones_section(runs, start, end, key="running_zones")
records.manage(RUN, runs, units)
