"""Weight: a body metric's measurements, rolling mean and trend, weekly changes, composition, mis-weighs."""

import streamlit as st

from core.analytics import weight as wa
from core.charts_weight import body_metric_figure, composition_figure, weekly_change_figure
from core.records import BODY
from core.units import signed
from ui import auth, data, sidebar, widgets

auth.require_login()

units = sidebar.units()
st.title("Weight")
body = data.load_kind(BODY)
if body.empty:
    st.info("No weigh-ins stored yet. Connect Withings or import its export on the Data page.")
    st.stop()

left, mid, right = st.columns([2, 2, 1])
with left:
    column = st.selectbox("Metric", list(wa.METRICS), format_func=wa.METRICS.get, key="weight_metric")
with mid:
    start, end = widgets.date_range("weight_range", body.local_date)
with right:
    window = st.number_input("Rolling mean (days)", 2, 90, 7, key="weight_window")

is_ratio = column == "fat_ratio_pct"
unit, factor = ("%", 1.0) if is_ratio else (units.mass, units.kg_factor)
change_unit = "pt" if is_ratio else units.mass
history = body.dropna(subset=[column])
shown = wa.in_range(history, start, end)
if shown.empty:
    st.info(f"No {wa.METRICS[column].lower()} measurements between {start:%d %b %Y} and {end:%d %b %Y}.")
    st.stop()

daily = wa.daily_first(history, column)  # trend computed on the whole history, then cut to the range
trend = wa.ewma_trend(daily)
in_view = (trend.index >= start) & (trend.index <= end)
rate = wa.weekly_rate(daily[daily.index <= end])
misweighs = wa.flag_misweighs(history, column)
misweighs = wa.in_range(misweighs, start, end)

a, b, c = st.columns(3)
a.metric("Trend now", f"{trend[in_view].iloc[-1] * factor:.1f} {unit}")
rate_text = "not enough data" if rate is None else f"{signed(rate * factor, 2)} {change_unit}"
b.metric("Weekly rate (last 14 days)", rate_text)
c.metric("Measurements in range", f"{len(shown)}")
rolling = wa.rolling_mean(daily, int(window))[in_view]
view = wa.metric_view(shown, column, rolling, trend[in_view], misweighs)
st.plotly_chart(body_metric_figure(view, wa.METRICS[column], unit, factor, int(window)), key="weight_main")
if view.weekly:
    st.caption(f"This range holds more than the chart's {wa.CHART_BUDGET:,} points: dots are weekly medians of "
               "every weigh-in (on each week's Thursday) and the lines are sampled at each week's last day. "
               "Pick a shorter range to see every weigh-in.")
st.caption(
    "Several weigh-ins on one day: the first of the day (the morning weight) feeds the rolling mean and the "
    "trend; every weigh-in is drawn as a point on its local date. Trend: exponentially smoothed, each day with "
    f"a weigh-in moves it {wa.ALPHA:.0%} of the way to that day's value (the Hacker's Diet). Weekly rate: "
    "least-squares slope of the last 14 days. Crosses: probable mis-weighs (listed below)."
)
changes = wa.weekly_change(trend)
st.plotly_chart(weekly_change_figure(changes[(changes.index >= start) & (changes.index <= end)],
                                     change_unit, factor), key="weight_weekly")

fat, lean = (wa.trend_series(body, c) for c in ("fat_mass_kg", "lean_mass_kg"))
(fat, lean), thinned = wa.fit_lines([fat[(fat.index >= start) & (fat.index <= end)],
                                     lean[(lean.index >= start) & (lean.index <= end)]])
st.plotly_chart(composition_figure(fat, lean, units.mass, units.kg_factor), key="weight_composition")
st.caption("Fat mass down while lean mass holds or rises is a recomposition, even when the weight is flat."
           + (" Long range: each line is sampled at the last day of every week." if thinned else ""))

st.subheader("Probable mis-weighs")
limit = wa.misweigh_limit(column)
limit_text = f"{limit:g} pt" if is_ratio else f"{units.mass_from_kg(limit):.1f} {units.mass}"
if misweighs.empty:
    st.write(f"None in this range: every weigh-in is within {limit_text} of the previous day's trend.")
else:
    st.write(f"Weigh-ins more than {limit_text} away from the previous day's trend; they still count.")
    table = misweighs[["local_date", column, "trend", "gap"]].copy()
    table[[column, "trend", "gap"]] = (table[[column, "trend", "gap"]] * factor).round(2)
    st.dataframe(table.rename(columns={"local_date": "local date", column: f"{wa.METRICS[column].lower()} ({unit})",
                                       "trend": f"previous day's trend ({unit})", "gap": f"gap ({change_unit})"}),
                 hide_index=True, width="stretch", column_config={"local date": st.column_config.DateColumn()})
