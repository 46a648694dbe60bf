"""Forecast: what a week of training has done to weight and fat ratio in similar past weeks, projected."""

import pandas as pd
import streamlit as st

from core.errors import ConfigError, StoreError
from core.forecast import display
from core.forecast.artifact import ModelMissing, ModelRejected
from core.forecast.features import TARGETS
from core.forecast.model import MIN_WEEKS
from core.forecast.training import version_warnings
from ui import context, gate, sidebar, widgets
from ui import forecast as forecast_ui

gate.require_login()

units = sidebar.units()
st.title("Forecast")
try:
    fitted, card = forecast_ui.load_model()
except ConfigError as exc:
    st.warning(f"The forecast is switched off: {exc}.\n\n{exc.action}")
    st.stop()
except ModelMissing:
    st.warning(display.missing_model_message(forecast_ui.usable_weeks(forecast_ui.today())))
    st.stop()
except ModelRejected as exc:
    st.warning(f"No forecast model can be used: {exc.reason}.\n\n{exc.action}")
    st.stop()
except StoreError as exc:  # e.g. the app role may not read the model bucket
    st.error(f"The forecast model could not be read: {exc}\n\n{exc.action}")
    st.stop()

trends, averages = forecast_ui.inputs(forecast_ui.today())
if trends[TARGETS[0]].empty:
    st.info("No weigh-ins stored: there is no trend to project from.")
    st.stop()
for message in version_warnings(card):
    st.warning(message)
if not card["beats_baselines"]:
    st.warning("On your own history this model does not predict weekly weight change better than a naive guess "
               "(see the model card). Read the numbers as 'what happened in similar weeks', not as a forecast.")
if TARGETS[1] not in fitted.heads:
    st.info(f"Fat ratio is unavailable: only {card['fat_ratio_weeks']} of the {card['weeks_used']} weeks have a "
            f"fat-ratio change (it needs {MIN_WEEKS}). Weight is forecast on its own.")


@st.fragment
def scenarios() -> None:
    """Sliders and results: moving a slider reruns only this fragment."""
    horizon = st.slider("Horizon (weeks)", 1, 26, 8, key="forecast_horizon")
    left, right = st.columns(2)
    with left:
        st.subheader("Current")
        st.caption("Your average week over the last 8 complete weeks.")
        st.markdown("  \n".join(display.current_caption(averages, units)))  # one element: less to send per move
    with right:
        st.subheader("Plan")
        plan = {s.feature: forecast_ui.plan_slider(s, averages[s.feature]) for s in display.slider_specs(units)}
    view = forecast_ui.scenario_view(fitted, card, trends, averages, plan, horizon, units)
    for by_scenario in view.results.values():
        for col, result in zip(st.columns(2), by_scenario.values(), strict=True):
            col.metric(result.label, result.weekly,
                       help=f"Mean of the most similar past weeks; their spread is ±{result.spread}.")
            col.write(f"After {horizon} weeks: **{result.cumulative}**")
    st.plotly_chart(view.figure, key="forecast_chart")
    st.subheader(f"The {fitted.k} past weeks most like your plan")
    st.markdown(view.neighbours)


scenarios()
st.subheader("Model card")
st.write(f"Trained {display.trained_when(card['trained_at'], context.now())} on **{card['weeks_used']} weeks** "
         f"({card['first_week']} to {card['last_week']}), k = {card['k']} neighbours chosen by time-ordered "
         "cross-validation.")
errors = pd.DataFrame({"model": card["cv_mae"], "no change": card["baseline_zero_mae"],
                       "average weekly change": card["baseline_mean_mae"],
                       "14-day trend carried forward": card["baseline_trend_mae"]}).T
names = {TARGETS[0]: "weight MAE (kg/week)", TARGETS[1]: "fat ratio MAE (pt/week)"}
widgets.table(errors.rename(columns=names), hide_index=False, decimals=3)
st.caption("Mean absolute error of each weekly prediction on weeks the model had not seen (lower is better). "
           "The model learns only from your own weeks; it cannot know diet, sleep or illness. Trained with "
           + ", ".join(f"{name} {version}" for name, version in card["versions"].items()) + ".")
