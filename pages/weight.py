"""Weight: a body metric's measurements, rolling mean and trend, weekly changes, composition, mis-weighs."""

import streamlit as st

from core.records import BODY
from core.views.format import format_day
from core.views.weight import METHOD_NOTE, METRICS, TREND_LABEL, WEEKLY_POINTS_NOTE, weight_view
from ui import data, gate, goals, records, sidebar, views, widgets

gate.require_login()

units = sidebar.units()
st.title("Weight")
body = data.load_kind(BODY)
if body.empty:
    st.info("No weigh-ins stored yet. Connect Withings or import its export on the Data page.")
    st.stop()

left, mid, right = st.columns([2, 2, 1])
with left:
    column = st.selectbox("Metric", list(METRICS), format_func=METRICS.get, key="weight_metric")
with mid:
    start, end = widgets.date_range("weight_range", body.local_date)
with right:
    window = st.number_input("Rolling mean (days)", 2, 90, 7, key="weight_window")

view = views.cached(weight_view, (body,), column=column, start=start, end=end, window=int(window), units=units)
if view.empty:
    st.info(f"No {METRICS[column].lower()} measurements between {format_day(start)} and {format_day(end)}.")
    st.stop()

a, b, c = st.columns(3)
a.metric(TREND_LABEL, view.trend_now, help=view.trend_help)
b.metric("Weekly rate (last 14 days of the range)", view.weekly_rate)
c.metric("Measurements in range", f"{view.measurements}")
goals.body_goal(body, units, key="weight")
st.plotly_chart(view.main, key="weight_main")
if view.weekly_points:
    st.caption(WEEKLY_POINTS_NOTE)
st.caption(METHOD_NOTE)
st.plotly_chart(view.weekly, key="weight_weekly")
st.plotly_chart(view.composition, key="weight_composition")
st.caption("Fat mass down while lean mass holds or rises is a recomposition, even when the weight is flat."
           + (" Long range: each line is sampled at the last day of every week." if view.composition_thinned else ""))

st.subheader("Probable mis-weighs")
if view.misweighs.empty:
    st.write(f"None in this range: every weigh-in is within {view.limit_text} of the previous day's trend.")
else:
    st.write(f"Weigh-ins more than {view.limit_text} away from the previous day's trend; they still count.")
    widgets.table(view.misweighs)
    if view.misweigh_count > len(view.misweighs):
        st.caption(f"The {len(view.misweighs)} most recent of {view.misweigh_count} in this range; the crosses on "
                   "the first chart mark every one.")
records.manage(BODY, body, units)
