"""Fitness: fitness, fatigue and form from running and lifting together, the 14-day outlook, the body beside them."""

import streamlit as st

from core.records import BODY, RUN, SET
from core.views.fitness import PERIODS, no_training, training_days
from ui import data, gate, sidebar, widgets
from ui import fitness as fitness_ui
from ui import forecast as forecast_ui

gate.require_login()

units = sidebar.units()
st.title("Fitness")
runs, sets, body = data.load_kind(RUN), data.load_kind(SET), data.load_kind(BODY)
if message := no_training(runs, sets):
    st.info(message)
    st.stop()

today = forecast_ui.today()
current = forecast_ui.inputs(today)[1]
left, mid, right = st.columns([2, 2, 1])
with left:
    start, end = widgets.date_range("fitness_range", training_days(runs, sets, today))
with mid:
    plan = fitness_ui.plan_inputs(current)
with right:
    period = st.radio("Load per", PERIODS, index=1, horizontal=True, key="fitness_period")
view = fitness_ui.view(runs, sets, body, current=current, start=start, end=end, today=today, period=period,
                       plan=plan, units=units)

for col, (label, (value, band)) in zip(st.columns(4), view.headline.items(), strict=True):
    col.metric(label, value, help=band)
    col.caption(band)
for note in view.notes:
    st.info(note)
st.plotly_chart(view.figure, key="fitness_chart")
if view.projection:
    st.markdown("  \n".join(view.projection))
else:
    st.caption("The 14-day projection starts today: choose a period that ends today to see it.")

fitness_ui.zones_section(runs, start, end, key="fitness_zones")

st.subheader("How each session's load was measured")
st.write(view.methods)
widgets.table(view.sessions, decimals=0)
st.caption("Load points: 100 is an hour at threshold. TRIMP is Banister's heart-rate load; sRPE is session RPE x "
           "minutes (Foster); the estimates are used where the log has no heart rate or RPE (docs/analytics.md).")

st.subheader("Athlete settings")
st.markdown("\n".join(f"- {line}" for line in view.settings))
