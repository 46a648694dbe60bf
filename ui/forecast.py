"""Loading the signed forecast model once per version (st.cache_resource keyed by its digest), and the page's inputs."""

from __future__ import annotations

import hashlib
import math

import pandas as pd
import streamlit as st

from core.analytics.weight import trend_series
from core.forecast import artifact
from core.forecast.features import TARGETS, current_week, local_today, training_table
from core.forecast.model import MODEL_FORMAT
from core.records import BODY, RUN, SET
from core.sources.strava.retention import model_runs
from core.units import Units
from core.views import forecast as forecast_view
from ui import context, data, views

BLOB_TTL_S = 600  # a retrained model shows up within 10 minutes (or at the next Refresh)


@st.cache_data(ttl=BLOB_TTL_S, show_spinner=False)
def _read_blob() -> bytes | None:
    return context.store().get_blob(artifact.BLOB_NAME)


@st.cache_resource(max_entries=2, show_spinner=False)
def _verified(digest: str, _blob: bytes | None, _key: bytes):
    return artifact.load(_blob, _key, MODEL_FORMAT)


def load_model():
    """(fitted model, metadata); raises ConfigError without a key and ModelRejected for a bad artifact."""
    key = artifact.signing_key(context.settings())
    blob = data.last_good("model", _read_blob)  # an S3 error after a good read: the same model, with a warning
    digest = hashlib.sha256((blob or b"") + key).hexdigest()
    fitted, card = _verified(digest, blob, key)
    return fitted, {**card, "digest": digest}


def _scenarios(fitted, weight: pd.Series, fat_ratio: pd.Series, *, current: tuple, plan: tuple, horizon: int,
               units: Units, digest: str) -> forecast_view.ScenarioView:
    trends = dict(zip(TARGETS, (weight, fat_ratio), strict=True))
    return forecast_view.scenario_view(fitted, trends, {"current": dict(current), "plan": dict(plan)}, horizon, units)


def scenario_view(fitted, card: dict, trends: dict[str, pd.Series], current: dict[str, float],
                  plan: dict[str, float], horizon: int, units: Units) -> forecast_view.ScenarioView:
    """The page's results, figures and neighbours, built once per model version, data version and slider state.

    A rerun that changes nothing (another widget, a units switch back) reuses the figures instead of
    rebuilding them; the objects are shared and only read.
    """
    return views.cached(_scenarios, tuple(trends[t] for t in TARGETS), given=(fitted,), current=tuple(current.items()),
                        plan=tuple(plan.items()), horizon=horizon, units=units, digest=card["digest"])


def today() -> pd.Timestamp:
    """Today in the configured display time zone (which weeks are complete)."""
    return local_today(context.now(), context.settings().timezone)


@st.cache_data(ttl=data.CACHE_TTL_S, show_spinner=False)
def inputs(day: pd.Timestamp) -> tuple[dict[str, pd.Series], dict[str, float]]:
    """Trends of weight and fat ratio, and the current week: the last 8 complete weeks, today's form and trend."""
    body = data.load_kind(BODY)
    trends = {t: trend_series(body, c) for t, c in zip(TARGETS, ("weight_kg", "fat_ratio_pct"), strict=True)}
    return trends, current_week(body, _model_runs(), data.load_kind(SET), day, context.settings().athlete)


@st.cache_data(ttl=data.CACHE_TTL_S, show_spinner=False)
def usable_weeks(day: pd.Timestamp) -> int:
    """How many complete weeks the stored data gives the model (shown when there is no model yet)."""
    return len(training_table(data.load_kind(BODY), _model_runs(), data.load_kind(SET), day))


def _model_runs() -> pd.DataFrame:
    """The runs the model may see ([strava] api_in_forecast = false leaves the API-only ones out)."""
    return model_runs(data.load_kind(RUN), context.settings().api_in_forecast)


def _plan_key(spec: forecast_view.SliderSpec) -> str:
    return _feature_key(spec.feature)


def _feature_key(feature: str) -> str:
    return f"forecast_plan_{feature}"  # one per feature, whatever the unit: the plan in model units


def planned(feature: str, current: float) -> float:
    """The plan's value of one feature in model units (the Fitness page shares it): `current` until moved."""
    return st.session_state.get(_feature_key(feature), current)


def set_planned(feature: str, value: float) -> None:
    """Move the plan (the Forecast slider shows it on its next run)."""
    st.session_state[_feature_key(feature)] = value


def _moved(spec: forecast_view.SliderSpec, current: float) -> None:
    st.session_state[_plan_key(spec)] = spec.to_model_value(st.session_state[spec.key],
                                                            st.session_state.get(_plan_key(spec), current))


def plan_slider(spec: forecast_view.SliderSpec, current: float) -> float:
    """A plan slider that owns the plan in model units: it starts at `current` exactly, follows `current`
    until moved, and a units switch shows the same plan in the other unit (never a rounded one)."""
    planned = st.session_state.get(_plan_key(spec), current)
    shown = st.session_state.get(spec.key)
    if shown is None or not math.isclose(shown, spec.start(planned), rel_tol=1e-12, abs_tol=1e-12):
        st.session_state[spec.key] = spec.start(planned)  # before the widget: it shows the plan, in this unit
    shown = st.slider(spec.label, spec.low, spec.high, step=spec.step, format=spec.format, key=spec.key,
                      on_change=_moved, args=(spec, current))
    return spec.to_model_value(shown, planned)


def clear() -> None:
    """Forget the cached artifact bytes and derived inputs (after a sync or training)."""
    _read_blob.clear()
    inputs.clear()
    usable_weeks.clear()
