"""CrossFit: per exercise, loads and reps, estimated one-rep max, rep maxes; weekly volume and sessions."""

import streamlit as st

from core.analytics import training as ta
from core.charts_training import e1rm_figure, reps_load_figure, reps_session_figure, volume_figure
from core.records import BODY, SET
from ui import auth, data, sidebar, widgets

auth.require_login()

units = sidebar.units()
st.title("CrossFit")
sets = data.load_kind(SET)
if sets.empty:
    st.info("No training sets stored yet. Connect the Google Sheet or import a CSV log on the Data page.")
    st.stop()

left, right = st.columns(2)
with left:
    exercises = sorted(sets.exercise.dropna().unique())
    exercise = st.selectbox("Exercise", exercises, key="crossfit_exercise")
with right:
    start, end = widgets.date_range("crossfit_range", sets.session_date)
in_range = ta.in_range(sets, start, end)
chosen = in_range[in_range.exercise == exercise]
if chosen.empty:
    st.info(f"No {exercise} sets between {start:%d %b %Y} and {end:%d %b %Y}.")
elif ta.is_bodyweight(exercise):
    chosen = ta.with_bodyweight(chosen, data.load_kind(BODY))
    summary = ta.exercise_summary(chosen)
    a, b, c, d = st.columns(4)
    a.metric("Most reps in a set", f"{summary['max_set_reps']:.0f}")
    b.metric("Total reps", f"{summary['total_reps']:.0f}")
    c.metric("Sets", f"{summary['sets']:.0f}")
    d.metric("Sessions", f"{summary['sessions']:.0f}")
    st.plotly_chart(reps_session_figure(ta.reps_by_session(chosen), exercise), key="crossfit_reps")
    weighed = chosen.dropna(subset=["effective_load_kg"])
    st.plotly_chart(reps_load_figure(weighed, exercise, units, "effective_load_kg"), key="crossfit_scatter")
    st.caption(f"Bodyweight exercise: every set counts in the reps above. The load chart shows body weight + added "
               f"load for the {len(weighed)} of {len(chosen)} sets done on a day with a weigh-in.")
else:
    summary = ta.exercise_summary(chosen)
    a, b, c, d = st.columns(4)
    a.metric("Heaviest load", f"{summary['heaviest_load_kg'] * units.kg_factor:.1f} {units.mass}")
    b.metric("Total reps", f"{summary['total_reps']:.0f}")
    c.metric("Sets", f"{summary['sets']:.0f}")
    d.metric("Average load per rep", f"{summary['average_load_per_rep_kg'] * units.kg_factor:.1f} {units.mass}")
    st.plotly_chart(reps_load_figure(chosen, exercise, units), key="crossfit_scatter")
    st.plotly_chart(e1rm_figure(ta.e1rm_by_session(chosen), exercise, units), key="crossfit_e1rm")
    maxes = ta.rep_maxes(chosen)
    maxes["load"] = (maxes.pop("load_kg") * units.kg_factor).round(1)
    st.dataframe(maxes.rename(columns={"reps": "rep max", "load": f"load ({units.mass})"}), hide_index=True)
    st.caption("Rep max: the heaviest load lifted for at least that many reps in one set, in the range.")

st.subheader("All exercises: weekly volume and sessions")
st.plotly_chart(volume_figure(ta.weekly_volume(in_range), units), key="crossfit_volume")
st.caption("Volume is reps x load; bodyweight sets add only their added load.")
