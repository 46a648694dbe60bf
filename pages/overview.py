"""Overview: latest body values and their changes, the last run against the previous one, the last session."""

import streamlit as st

from core.records import BODY, RUN, SET
from core.views.overview import overview_view
from ui import data, gate, goals, prefs, sidebar, views, widgets

gate.require_login()

units, tz = sidebar.units(), prefs.timezone()
body, runs, sets = data.load_kind(BODY), data.load_kind(RUN), data.load_kind(SET)
view = views.cached(overview_view, (body, runs, sets), units=units, tz=tz)
st.title("Overview")
st.caption(view.times_note)

st.subheader("Body")
if view.body_empty:
    st.info("No weigh-ins stored yet. Connect Withings or import an export on the Data page.")
else:
    for col, value in zip(st.columns(2), view.body_values, strict=True):
        widgets.metric(col, value.label, value.value)
        if value.measured is None:
            continue
        col.caption(value.measured)
        for line in value.changes:
            col.write(line)
    st.caption(
        "Changes compare the mean of the 7 days ending at the latest weigh-in with the mean of the 7 days "
        "ending a week, 30 days or 365 days earlier; each window needs at least 2 weigh-ins. "
        "Fat ratio changes are in percentage points (pt)."
    )
    st.plotly_chart(view.weight, key="overview_weight")
    goals.body_goal(body, units, key="overview")

st.subheader("Last run")
if view.run_empty:
    st.info("No runs stored yet.")
else:
    st.caption(view.run_caption)
    for col, metric in zip(st.columns(len(view.run_metrics)), view.run_metrics, strict=True):
        widgets.metric(col, metric.label, metric.value, metric.delta, delta_color=metric.delta_color)

st.subheader("Last CrossFit session")
if view.session_empty:
    st.info("No training sets stored yet.")
else:
    st.caption(view.session_caption)
    widgets.table(view.session)
