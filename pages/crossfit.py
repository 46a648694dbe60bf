"""CrossFit: per exercise, loads and reps, estimated one-rep max, rep maxes; weekly volume and sessions."""

import streamlit as st

from core.records import BODY, SET
from core.views.crossfit import bodyweight_caption, crossfit_view, exercise_names, needs_weigh_ins
from core.views.format import format_day
from ui import context, data, gate, goals, records, sidebar, views, widgets

gate.require_login()

units = sidebar.units()
extra = context.settings().bodyweight_exercises
st.title("CrossFit")
sets = data.load_kind(SET)
if sets.empty:
    st.info("No training sets stored yet. Connect the Google Sheet or import a CSV log on the Data page.")
    st.stop()

left, right = st.columns(2)
with left:
    exercise = st.selectbox("Exercise", views.cached(exercise_names, (sets,)), key="crossfit_exercise")
with right:
    start, end = widgets.date_range("crossfit_range", sets.session_date)
frames = (sets, data.load_kind(BODY)) if needs_weigh_ins(exercise, extra) else (sets,)
view = views.cached(crossfit_view, frames, exercise=exercise, start=start, end=end, units=units,
                    bodyweight_extra=extra)
if view.empty:
    st.info(f"No {exercise} sets between {format_day(start)} and {format_day(end)}.")
else:
    for col, (label, value) in zip(st.columns(4), view.metrics, strict=True):
        col.metric(label, value)
    if view.bodyweight:
        st.plotly_chart(view.reps, key="crossfit_reps")
        st.plotly_chart(view.scatter, key="crossfit_scatter")
        st.caption(view.caption)
    else:
        st.plotly_chart(view.scatter, key="crossfit_scatter")
        st.plotly_chart(view.e1rm, key="crossfit_e1rm")
        widgets.table(view.rep_maxes)
        st.caption("Rep max: the heaviest load lifted for at least that many reps in one set, in the range. "
                   "Stars on the one-rep max chart: a PR, the best estimate of any session until then.")
    st.subheader(f"Last session: {format_day(view.last_date)}")
    widgets.table(view.last_session, decimals=1)
    with st.expander(f"{exercise}: every session in the range, newest first"):
        widgets.table(view.history)
goals.strength_goal(sets, exercise, units)

st.subheader("All exercises: weekly volume and sessions")
st.plotly_chart(view.volume, key="crossfit_volume")
st.caption("Volume is reps x load; bodyweight sets add only their added load.")
st.caption(views.cached(bodyweight_caption, (sets,), extra=extra))
records.manage(SET, sets, units)
