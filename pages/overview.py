"""Overview: latest body values and their changes, the last run against the previous one, the last session."""

import streamlit as st

from core.analytics import overview as ov
from core.charts import weight_overview_figure
from core.records import BODY, RUN, SET
from core.units import format_pace, signed
from ui import auth, context, data, sidebar

auth.require_login()

units, tz = sidebar.units(), context.settings().timezone
body, runs, sets = data.load_kind(BODY), data.load_kind(RUN), data.load_kind(SET)
st.title("Overview")

st.subheader("Body")
if body.empty:
    st.info("No weigh-ins stored yet. Connect Withings or import an export on the Data page.")
else:
    left, right = st.columns(2)
    for col, column, label, unit, change_unit, factor in (
        (left, "weight_kg", "Weight", units.mass, units.mass, units.kg_factor),
        (right, "fat_ratio_pct", "Fat ratio", "%", "pt", 1.0),
    ):
        latest = ov.latest_value(body, column)
        if latest is None:
            col.metric(label, "no data")
            continue
        col.metric(label, f"{latest.value * factor:.1f} {unit}")
        col.caption(f"Measured {latest.time_utc.tz_convert(tz):%a %d %b %Y, %H:%M} ({tz})")
        for period, change in ov.changes(body, column).items():
            text = "not enough data" if change is None else f"{signed(change * factor)} {change_unit}"
            col.write(f"Change since {period}: **{text}**")
    st.caption(
        "Changes compare the mean of the 7 days ending at the latest weigh-in with the mean of the 7 days "
        "ending a week, 30 days or 365 days earlier; each window needs at least 2 weigh-ins. "
        "Fat ratio changes are in percentage points (pt)."
    )
    st.plotly_chart(weight_overview_figure(ov.daily_mean(body, "weight_kg"), units), key="overview_weight")

st.subheader("Last run")
last, previous = ov.last_two_runs(runs)
if last is None:
    st.info("No runs stored yet.")
else:
    st.caption(f"{last.name}, {last.start_time_local:%a %d %b %Y %H:%M} (local time)"
               + (f" - compared with {previous.start_time_local:%d %b %Y}" if previous else ""))
    a, b, c = st.columns(3)
    dist, pace = units.distance_from_m(last.distance_m), units.pace_from_mps(last.speed_mps)
    elevation = "not recorded" if last.elevation_gain_m is None else f"{last.elevation_gain_m:.0f} m"
    if previous:
        d_dist = dist - units.distance_from_m(previous.distance_m)
        d_pace = pace - units.pace_from_mps(previous.speed_mps)
        climbs = (last.elevation_gain_m, previous.elevation_gain_m)
        d_elev = None if None in climbs else f"{climbs[0] - climbs[1]:+.0f} m"
        a.metric("Distance", f"{dist:.2f} {units.distance}", f"{d_dist:+.2f} {units.distance}")
        b.metric("Pace", f"{format_pace(pace)} {units.pace}",
                 f"{'+' if d_pace >= 0 else '-'}{format_pace(abs(d_pace))}", delta_color="inverse")
        c.metric("Elevation gain", elevation, d_elev)
    else:
        a.metric("Distance", f"{dist:.2f} {units.distance}")
        b.metric("Pace", f"{format_pace(pace)} {units.pace}")
        c.metric("Elevation gain", elevation)

st.subheader("Last CrossFit session")
session = ov.last_session(sets)
if session.empty:
    st.info("No training sets stored yet.")
else:
    st.caption(f"{session.session_date.iloc[0]:%A %d %B %Y}")
    table = session[["exercise", "set_number", "reps", "load_kg", "notes"]].copy()
    table["load"] = (table.pop("load_kg") * units.kg_factor).round(1)
    st.dataframe(table.rename(columns={"set_number": "set", "load": f"load ({units.mass})"}),
                 hide_index=True, width="stretch")
