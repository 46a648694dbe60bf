"""Forecast: what a week of training has done to weight and fat ratio in similar past weeks, projected."""

import streamlit as st

from core.errors import ConfigError, ModelMissing, ModelRejected, StoreError
from core.views.forecast import (
    current_caption,
    fat_ratio_note,
    missing_model_message,
    model_card,
    model_warnings,
    no_trend,
    slider_specs,
)
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
    st.warning(missing_model_message(forecast_ui.usable_weeks(forecast_ui.today())))
    st.stop()
except ModelRejected as exc:
    st.warning(f"No forecast model can be used: {exc.reason}.\n\n{exc.action}")
    st.stop()
except StoreError as exc:  # e.g. the app role may not read the model bucket
    st.error(f"The forecast model could not be read: {exc}\n\n{exc.action}")
    st.stop()

trends, averages = forecast_ui.inputs(forecast_ui.today())
if no_trend(trends):
    st.info("No weigh-ins stored: there is no trend to project from.")
    st.stop()
for message in model_warnings(card):
    st.warning(message)
if note := fat_ratio_note(fitted, card):
    st.info(note)


@st.fragment
def scenarios() -> None:
    """Sliders and results: moving a slider reruns only this fragment."""
    horizon = st.slider("Horizon (weeks)", 1, 26, 8, key="forecast_horizon")
    left, right = st.columns(2)
    with left:
        st.subheader("Current")
        st.caption("Your average week over the last 8 complete weeks.")
        st.markdown("  \n".join(current_caption(averages, units)))  # one element: less to send per move
    with right:
        st.subheader("Plan")
        plan = {s.feature: forecast_ui.plan_slider(s, averages[s.feature]) for s in slider_specs(units)}
    view = forecast_ui.scenario_view(fitted, card, trends, averages, plan, horizon, units)
    for by_scenario in view.results.values():
        for col, result in zip(st.columns(2), by_scenario.values(), strict=True):
            col.metric(result.label, result.weekly,
                       help=f"Mean of the most similar past weeks; their spread is ±{result.spread}.")
            col.write(f"After {horizon} weeks: **{result.cumulative}**")
    for note in view.honesty:  # beside the result: a plan unlike your weeks, a prediction against the trend
        st.info(note)
    st.plotly_chart(view.figure, key="forecast_chart")
    st.subheader(f"The {fitted.k} past weeks most like your plan")
    st.markdown(view.neighbours)


scenarios()
st.subheader("Model card")
trained = model_card(card, context.now(), units)
st.write(trained.trained)
widgets.table(trained.errors, hide_index=False, decimals=3)
st.caption(trained.caption)
st.write(trained.features)
st.plotly_chart(trained.backtest, key="forecast_backtest")
