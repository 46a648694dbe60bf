"""Forecast: what a week of training has done to weight and fat ratio in similar past weeks, projected."""

import pandas as pd
import streamlit as st

from core.charts_forecast import forecast_figure
from core.errors import ConfigError
from core.forecast import model as fm
from core.forecast.artifact import ModelRejected
from core.forecast.features import FEATURE_LABELS, FEATURES, TARGETS
from core.units import signed
from ui import auth, sidebar
from ui import forecast as forecast_ui

auth.require_login()

SLIDERS = {"run_km": (0.0, 120.0, 1.0), "run_hours": (0.0, 15.0, 0.25), "sessions": (0, 7, 1),
           "avg_load_kg": (0.0, 200.0, 2.5)}
units = sidebar.units()
st.title("Forecast")
try:
    fitted, card = forecast_ui.load_model()
except ConfigError as exc:
    st.warning(f"The forecast is switched off: {exc}.\n\n{exc.action}")
    st.stop()
except ModelRejected as exc:
    st.warning(f"No forecast model can be used: {exc.reason}.\n\n{exc.action}")
    st.caption(f"The model needs at least {fm.MIN_WEEKS} complete weeks with a weigh-in at both ends.")
    st.stop()

trends, averages = forecast_ui.inputs()
if trends[TARGETS[0]].empty:
    st.info("No weigh-ins stored: there is no trend to project from.")
    st.stop()
if not card["beats_baselines"]:
    st.warning("On your own history this model does not predict weekly weight change better than a naive guess "
               "(see the model card). Read the numbers as 'what happened in similar weeks', not as a forecast.")


@st.fragment
def scenarios() -> None:
    """Sliders and results: moving a slider reruns only this fragment."""
    horizon = st.slider("Horizon (weeks)", 1, 26, 8, key="forecast_horizon")
    left, right = st.columns(2)
    plan = {}
    with left:
        st.subheader("Current")
        st.caption("Your average week over the last 8 weeks.")
        for f in FEATURES:
            st.write(f"{FEATURE_LABELS[f]}: **{averages[f]:.1f}**")
    with right:
        st.subheader("Plan")
        for f in FEATURES:
            low, high, step = SLIDERS[f]
            start = min(max(type(low)(round(averages[f] / step) * step), low), high)
            plan[f] = st.slider(FEATURE_LABELS[f], low, high, start, step, key=f"forecast_{f}")
    results = {name: fm.predict(fitted, s) for name, s in (("current", averages), ("plan", plan))}
    for target, label, unit, factor in ((TARGETS[0], "Weight", units.mass, units.kg_factor),
                                        (TARGETS[1], "Fat ratio", "pt", 1.0)):
        cols = st.columns(2)
        for col, (name, (mean, spread)) in zip(cols, results.items(), strict=True):
            col.metric(f"{label}, {name}: per week", f"{signed(mean[target] * factor, 2)} {unit}",
                       help=f"Mean of the {fitted.k} most similar past weeks; their spread is ±{spread[target]:.2f}.")
            col.write(f"After {horizon} weeks: **{signed(mean[target] * factor * horizon, 1)} {unit}**")
    trend = trends[TARGETS[0]]
    start_at = trend.index.max()
    projections = {name: fm.project(trend.iloc[-1], mean[TARGETS[0]], spread[TARGETS[0]], horizon)
                   for name, (mean, spread) in results.items()}
    st.plotly_chart(forecast_figure(trend[trend.index > start_at - pd.Timedelta(days=182)], projections, start_at,
                                    "Weight", units.mass, units.kg_factor), key="forecast_chart")
    st.subheader(f"The {fitted.k} past weeks most like your plan")
    near = fm.neighbours(fitted, plan).reset_index()
    st.dataframe(near.round(dict.fromkeys([*FEATURES, *TARGETS], 2)), hide_index=True, width="stretch")


scenarios()
st.subheader("Model card")
st.write(f"Trained {card['trained_at']} on **{card['weeks_used']} weeks** ({card['first_week']} to "
         f"{card['last_week']}), k = {card['k']} neighbours chosen by time-ordered cross-validation.")
errors = pd.DataFrame({"model": card["cv_mae"], "no change": card["baseline_zero_mae"],
                       "average weekly change": card["baseline_mean_mae"]}).T
names = {TARGETS[0]: "weight MAE (kg/week)", TARGETS[1]: "fat ratio MAE (pt/week)"}
st.dataframe(errors.round(3).rename(columns=names), width="stretch")
st.caption("Mean absolute error of each weekly prediction on weeks the model had not seen (lower is better). "
           "The model learns only from your own weeks; it cannot know diet, sleep or illness.")
