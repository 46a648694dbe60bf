"""Running: weekly / monthly totals, speed vs elevation, the last run compared, records, a route."""

import streamlit as st

from core.analytics import running as ra
from core.charts_running import TOTAL_LABELS, route_figure, speed_elevation_figure, totals_figure
from core.records import RUN
from core.units import format_pace
from ui import auth, data, sidebar, widgets

auth.require_login()

units = sidebar.units()
st.title("Running")
runs = data.load_kind(RUN)
if runs.empty:
    st.info("No runs stored yet. Connect Strava or import your Strava export on the Data page.")
    st.stop()

left, mid, right = st.columns([2, 2, 1])
with left:
    start, end = widgets.date_range("running_range", ra.local_day(runs))
with mid:
    metric = st.selectbox("Metric", list(TOTAL_LABELS), format_func=TOTAL_LABELS.get, key="running_metric")
with right:
    period = st.radio("Per", list(ra.PERIODS), horizontal=True, key="running_period")
shown = ra.in_range(runs, start, end)
if shown.empty:
    st.info(f"No runs between {start:%d %b %Y} and {end:%d %b %Y}.")
    st.stop()

totals = ra.period_totals(shown, period)
summary = ra.range_summary(shown)
speed = summary["average_speed_mps"]
a, b, c, d = st.columns(4)
a.metric("Runs", f"{summary['runs']:.0f}")
b.metric("Distance", f"{units.distance_from_m(summary['distance_m']):,.1f} {units.distance}")
c.metric("Average pace", f"{format_pace(units.pace_from_mps(speed))} {units.pace}",
         help="Total distance divided by total moving time over the range.")
d.metric("Average speed", f"{units.distance_from_m(speed) * 3600:.1f} {units.distance}/h",
         help="Total distance divided by total moving time over the range.")
st.plotly_chart(totals_figure(totals, metric, period, units), key="running_totals")
st.plotly_chart(speed_elevation_figure(shown, units), key="running_scatter")

st.subheader("Last run compared")
compared = ra.compare_last(shown)
table = compared.assign(
    distance=(compared.distance_m * units.m_factor).round(2),
    pace=[format_pace(units.pace_from_mps(v)) for v in compared.average_speed_mps],
    speed=(compared.average_speed_mps * units.m_factor * 3600).round(1),
    moving_min=(compared.moving_time_s / 60).round(1),
    elevation_m=compared.elevation_gain_m.round(0),
    heart_rate=compared.average_heartrate_bpm.round(0),
)[["distance", "pace", "speed", "moving_min", "elevation_m", "heart_rate"]]
st.dataframe(table.rename(columns={"distance": f"distance ({units.distance})", "pace": f"pace ({units.pace})",
                                   "speed": f"speed ({units.distance}/h)", "elevation_m": "elevation gain (m)",
                                   "moving_min": "moving time (min)", "heart_rate": "avg heart rate (bpm)"}),
             width="stretch")

st.subheader("Records")
recs = ra.records(runs)
st.dataframe(recs.assign(
    distance=(recs.distance_m * units.m_factor).round(2),
    pace=[format_pace(units.pace_from_mps(v)) for v in recs.average_speed_mps],
    speed=(recs.average_speed_mps * units.m_factor * 3600).round(1),
)[["record", "date", "name", "distance", "pace", "speed"]].rename(
    columns={"distance": f"distance ({units.distance})", "pace": f"pace ({units.pace})",
             "speed": f"speed ({units.distance}/h)"}),
    hide_index=True, width="stretch")
st.caption("Records come from whole-run summaries (average pace over the run), all time, not split times.")

st.subheader("Route")
labels = {k: f"{t:%Y-%m-%d %H:%M} - {n} ({d * units.m_factor:.1f} {units.distance})" for k, t, n, d in
          shown.sort_values("start_time_utc", ascending=False)[["key", "start_time_local", "name", "distance_m"]]
          .itertuples(index=False)}
chosen = st.selectbox("Run", list(labels), format_func=labels.get, key="running_route")
run = shown[shown.key == chosen].iloc[0]
st.plotly_chart(route_figure(run.summary_polyline, labels[chosen], units), key="running_map")
st.caption("Drawn as distance east and north of the start, on equal scales (no map tiles: works offline).")
