"""The Forecast page in AppTest: without a key, without a model, with a model; sliders move the prediction."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time

import pandas as pd
import pytest

from core.config import build_settings
from core.forecast.features import local_today
from core.forecast.training import train_and_save
from core.store.sqlite import SQLiteStore
from tests.apptest_helpers import app_env, logged_in_app, markdown_tables, open_page, with_test_admin
from tests.forecast_data import synthetic_records

KEY = "f" * 64


def synthetic_store(path, weeks=80, fat=True):
    store = SQLiteStore(path)
    store.upsert(synthetic_records(weeks=weeks, fat=fat))
    return store


def test_without_a_key_the_page_says_how_to_enable_it(demo_store, monkeypatch):
    """No HMAC key configured: a warning naming the setting and how to generate it."""
    app_env(monkeypatch, demo_store[1])
    at = open_page(logged_in_app(), "pages/forecast.py")
    assert not at.exception
    assert "FITDASH_MODEL_HMAC_KEY" in at.warning[0].value and "token_hex" in at.warning[0].value


def test_with_too_few_weeks_no_model_and_the_reason(tmp_path, monkeypatch):
    """Too little history: no model is saved and the page says how many weeks are usable and how many more."""
    store = synthetic_store(tmp_path / "s.db", weeks=10)
    settings = build_settings({"model": {"hmac_key": KEY}}, {})
    outcome = train_and_save(store, settings, pd.Timestamp("2026-01-01"))
    assert not outcome.saved and "more weeks" in outcome.message
    app_env(monkeypatch, tmp_path / "s.db", model_hmac_key=KEY)
    at = open_page(logged_in_app(*with_test_admin(monkeypatch)), "pages/forecast.py")
    assert not at.exception
    assert "Too few weeks for a forecast: 9 of 20 usable weeks, 11 more needed" in at.warning[0].value


def test_with_enough_weeks_but_no_model_the_page_says_to_train(tmp_path, monkeypatch):
    """Enough history but nothing trained yet: the page says so and names the training command."""
    synthetic_store(tmp_path / "s.db", weeks=30)
    app_env(monkeypatch, tmp_path / "s.db", model_hmac_key=KEY)
    at = open_page(logged_in_app(*with_test_admin(monkeypatch)), "pages/forecast.py")
    assert not at.exception
    assert "No model trained yet, but 29 usable weeks are enough" in at.warning[0].value
    assert "python -m core.forecast train" in at.warning[0].value


def test_a_model_the_store_refuses_to_read_is_an_error_with_the_fix(tmp_path, monkeypatch):
    """A store error reading the model (an S3 permission) is shown with its action, never a traceback."""
    from core.errors import StoreError

    synthetic_store(tmp_path / "s.db", weeks=30)
    denied = StoreError("reading fitdash/model/forecast.bin was denied", action="Grant the app role s3:GetObject.")
    monkeypatch.setattr(SQLiteStore, "get_blob", lambda self, name: (_ for _ in ()).throw(denied))
    app_env(monkeypatch, tmp_path / "s.db", model_hmac_key=KEY)
    at = open_page(logged_in_app(*with_test_admin(monkeypatch)), "pages/forecast.py")
    assert not at.exception
    assert "was denied" in at.error[0].value and "s3:GetObject" in at.error[0].value


def test_an_old_format_model_is_refused_by_the_page_and_never_unpickled(tmp_path, monkeypatch):
    """A correctly signed artifact of an older model format: the page says to retrain; its payload never runs."""
    from core.forecast import artifact, model
    from tests.forecast_data import Exploit

    store = synthetic_store(tmp_path / "s.db", weeks=30)
    marker = tmp_path / "pwned"
    store.put_blob(artifact.BLOB_NAME, artifact.dump(Exploit(marker), {"model_format": model.MODEL_FORMAT - 1},
                                                     KEY.encode()))
    app_env(monkeypatch, tmp_path / "s.db", model_hmac_key=KEY)
    at = open_page(logged_in_app(*with_test_admin(monkeypatch)), "pages/forecast.py")
    assert not at.exception and not marker.exists(), "the old artifact was not unpickled"
    warning = at.warning[0].value
    assert "saved by an older version of this app" in warning and "python -m core.forecast train" in warning


@pytest.fixture
def trained(tmp_path, monkeypatch):
    store = synthetic_store(tmp_path / "s.db")
    train_and_save(store, build_settings({"model": {"hmac_key": KEY}}, {}), pd.Timestamp("2026-01-01"))
    app_env(monkeypatch, tmp_path / "s.db", model_hmac_key=KEY)
    return open_page(logged_in_app(*with_test_admin(monkeypatch)), "pages/forecast.py")


def test_with_a_model_more_running_predicts_more_loss(trained):
    """Moving the plan's running slider up lowers the predicted weekly weight change."""
    at = trained
    assert not at.exception and not at.warning, "the synthetic model beats its baselines: no caveat"
    plan = lambda: float(at.metric[1].value.split()[0].replace("±", ""))  # noqa: E731
    at.slider(key="forecast_run_km").set_value(0.0).run()
    at.slider(key="forecast_run_hours").set_value(0.0).run()
    idle = plan()
    at.slider(key="forecast_run_km").set_value(50.0).run()
    at.slider(key="forecast_run_hours").set_value(5.0).run()
    assert plan() < idle
    card = next(m.value for m in at.markdown if m.value.startswith("Trained"))
    assert "on **" in card and "weeks**" in card and "k = " in card


def test_the_neighbour_table_lists_k_dated_past_weeks_like_the_plan(trained):
    """The table under the chart has k past weeks (their Monday, training, what followed), and follows the plan."""
    at = trained
    k = int(next(m.value for m in at.markdown if m.value.startswith("Trained")).split("k = ")[1].split()[0])

    def shown_weeks() -> pd.DataFrame:
        table = next(t for t in markdown_tables(at) if "Week of" in t.columns)
        assert len(table) == k and (pd.to_datetime(table["Week of"]).dt.day_of_week == 0).all()
        return table

    at.slider(key="forecast_run_km").set_value(0.0).run()
    idle = shown_weeks()["Running (km)"].astype(float).mean()
    at.slider(key="forecast_run_km").set_value(60.0).run()
    assert shown_weeks()["Running (km)"].astype(float).mean() > idle


def test_with_a_model_both_weight_and_fat_ratio_are_projected(trained):
    """One projection chart with a weight panel and a fat-ratio panel, each with both scenarios and their bands."""
    charts = [c for c in trained.get("plotly_chart") if c.key == "forecast_chart"]
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.spec)
    assert (spec["layout"]["yaxis"]["title"]["text"], spec["layout"]["yaxis2"]["title"]["text"]) == \
        ("Weight (kg)", "Fat ratio (%)")
    for axis in ("y", "y2"):
        names = [t["name"] for t in spec["data"] if t.get("yaxis", "y") == axis]
        assert names == ["trend so far", "current range", "current", "plan range", "plan"], axis


def test_weight_only_history_forecasts_weight_and_says_fat_ratio_is_unavailable(tmp_path, monkeypatch):
    """A scale without fat ratio still gives a model; the page says fat ratio is unavailable and why."""
    store = synthetic_store(tmp_path / "s.db", fat=False)
    assert train_and_save(store, build_settings({"model": {"hmac_key": KEY}}, {}), pd.Timestamp("2026-01-01")).saved
    app_env(monkeypatch, tmp_path / "s.db", model_hmac_key=KEY)
    at = open_page(logged_in_app(*with_test_admin(monkeypatch)), "pages/forecast.py")
    assert not at.exception
    assert "Fat ratio is unavailable: only 0 of the 79 weeks" in at.info[0].value
    assert [m.label for m in at.metric] == ["Weight, current: per week", "Weight, plan: per week"]
    assert [c.key for c in at.get("plotly_chart")] == ["forecast_chart", "forecast_backtest"]


def test_imperial_display_shows_running_in_miles(trained):
    """In lb/mi the distance slider is in miles, more miles still predict more loss, and changes are in lb."""
    at = trained
    at.radio(key="units_system").set_value("imperial").run()
    slider = at.slider(key="forecast_run_mi")
    assert slider.label == "Running distance (mi/week)"
    plan = lambda: float(at.metric[1].value.split()[0].replace("±", ""))  # noqa: E731
    slider.set_value(0.0).run()
    at.slider(key="forecast_run_hours").set_value(0.0).run()
    idle = plan()
    at.slider(key="forecast_run_mi").set_value(31.0).run()
    at.slider(key="forecast_run_hours").set_value(5.0).run()
    assert plan() < idle and at.metric[1].value.endswith("lb")


def test_horizon_scales_the_cumulative_change(trained):
    """The cumulative change after N weeks is N times the weekly prediction (as shown)."""
    at = trained
    at.slider(key="forecast_horizon").set_value(10).run()
    weekly = float(at.metric[1].value.split()[0].replace("±", ""))
    shown = [m.value for m in at.markdown if m.value.startswith("After 10 weeks")]
    assert len(shown) == 4
    assert float(shown[1].split("**")[1].split()[0].replace("±", "")) == pytest.approx(weekly * 10, abs=0.051)


def test_a_tampered_model_is_refused_on_the_page(tmp_path, monkeypatch):
    """A stored model with a flipped byte is not loaded; the page says to retrain."""
    store = synthetic_store(tmp_path / "s.db")
    train_and_save(store, build_settings({"model": {"hmac_key": KEY}}, {}), pd.Timestamp("2026-01-01"))
    blob = bytearray(store.get_blob("model/forecast.joblib"))
    blob[-5] ^= 0xFF
    store.put_blob("model/forecast.joblib", bytes(blob))
    app_env(monkeypatch, tmp_path / "s.db", model_hmac_key=KEY)
    at = open_page(logged_in_app(*with_test_admin(monkeypatch)), "pages/forecast.py")
    assert "signature does not match" in at.warning[0].value
    assert "python -m core.forecast train" in at.warning[0].value


def test_refresh_data_retrains_the_forecast_when_a_week_has_completed(demo_store, monkeypatch):
    """After a successful Refresh data the forecast is trained on the new weeks and the report says so."""
    store, path = demo_store
    app_env(monkeypatch, path, model_hmac_key=KEY)
    assert store.get_blob("model/forecast.joblib") is None
    at = logged_in_app()
    at.sidebar.button(key="refresh").click().run()
    assert not at.exception
    assert any("model saved:" in s.value for s in at.sidebar.success)
    assert store.get_blob("model/forecast.joblib") is not None
    at.sidebar.button(key="refresh").click().run()
    assert any("forecast model up to date" in s.value for s in at.sidebar.success)


@pytest.fixture
def current(tmp_path, monkeypatch):
    """The page over a history that ends this week, whenever the test runs (the current week is a lived one)."""
    today = local_today(datetime.now(UTC), "UTC")
    first = datetime.combine((today - pd.Timedelta(weeks=79, days=today.day_of_week)).date(), time(7), UTC)
    store = SQLiteStore(tmp_path / "s.db")
    store.upsert(synthetic_records(start=first))
    train_and_save(store, build_settings({"model": {"hmac_key": KEY}}, {}), today)
    app_env(monkeypatch, tmp_path / "s.db", model_hmac_key=KEY)
    return open_page(logged_in_app(*with_test_admin(monkeypatch)), "pages/forecast.py")


def test_the_plan_starts_at_the_current_week_and_predicts_the_same(current):
    """Untouched, each plan slider holds the current average exactly (shown with the caption's digits), and the
    plan's prediction is the current week's."""
    at = current
    assert not at.exception
    lines = next(m.value for m in at.markdown if m.value.startswith("Running distance (km/week):")).split("  \n")
    hours = at.slider(key="forecast_run_hours")
    assert lines[1] == f"Running time (h/week): **{hours.value:.2f}**"
    assert hours.value > 0 and hours.value % hours.proto.step != 0, "not snapped to the slider's 0.25 h steps"
    assert at.metric[0].value == at.metric[1].value


def test_switching_units_shows_the_same_plan_and_the_same_prediction(trained):
    """30 km on the metric slider is 18.64 mi after the switch, still 30 km in the plan, and the predicted change
    in lb is the kg prediction converted (to the shown precision)."""
    at = trained
    at.slider(key="forecast_run_km").set_value(30.0).run()
    in_kg = float(at.metric[1].value.split()[0].replace("±", ""))
    at.radio(key="units_system").set_value("imperial").run()
    assert not at.exception
    assert at.slider(key="forecast_run_mi").value == pytest.approx(30 / 1.609344)
    assert at.session_state["forecast_plan_run_km"] == 30.0
    in_lb = float(at.metric[1].value.split()[0].replace("±", ""))
    assert in_lb == pytest.approx(in_kg / 0.45359237, abs=0.005 / 0.45359237 + 0.005)
    at.radio(key="units_system").set_value("metric").run()
    assert at.slider(key="forecast_run_km").value == 30.0 and at.metric[1].value.startswith(f"{in_kg:+.2f}"[:1])


def test_the_model_card_says_whether_the_load_features_won_and_keeps_the_winner(trained, tmp_path):
    """The card names the feature set the walk-forward backtest kept, with both errors; the three baselines
    (including the 14-day trend carried forward) are rows of its error table."""
    from core.forecast import artifact

    card = artifact.verify(SQLiteStore(tmp_path / "s.db").get_blob(artifact.BLOB_NAME), KEY.encode())[0]
    choice = card["feature_choice"]["weight_change_kg"]
    verdict = next(m.value for m in trained.markdown if m.value.startswith("On the walk-forward backtest"))
    won = choice["kept"] == "training + load"
    assert ("the load features beat the old ones" if won else "the load features did not beat the old ones") in verdict
    kept_error = choice["backtest_mae"][choice["kept"]]
    assert f"({choice['weeks']} weeks," in verdict and f"{kept_error:.3f} kg/week" in verdict
    errors = next(t for t in markdown_tables(trained) if "weight MAE (kg/week)" in t.columns)
    assert errors.iloc[:, 0].tolist() == ["model", "no change", "average weekly change", "14-day trend carried forward"]


def test_the_backtest_chart_shows_each_walk_forward_week_predicted_against_what_happened(trained, tmp_path):
    """One point per backtest week for what happened, the model's walk-forward prediction and the trend baseline."""
    from core.forecast import artifact

    card = artifact.verify(SQLiteStore(tmp_path / "s.db").get_blob(artifact.BLOB_NAME), KEY.encode())[0]
    spec = json.loads(next(c for c in trained.get("plotly_chart") if c.key == "forecast_backtest").proto.spec)
    names = [t["name"] for t in spec["data"]]
    assert names == ["what happened", "model (walk-forward)", "14-day trend carried forward"]
    assert len(spec["data"][0]["x"]) == card["feature_choice"]["weight_change_kg"]["weeks"] > 0


def test_a_plan_far_from_every_past_week_is_named_beside_the_result(current):
    """Sliders at their far ends: a sentence beside the result says the plan is unlike any lived week;
    the current plan (a lived week) gets none."""
    at = current
    assert not [i for i in at.info if i.value.startswith("This plan is unlike")]
    for key, value in (("forecast_run_km", 120.0), ("forecast_run_hours", 15.0), ("forecast_sessions", 7.0)):
        at.slider(key=key).set_value(value).run()
    assert not at.exception
    assert any(i.value.startswith("This plan is unlike the weeks you have lived") for i in at.info)


def test_a_plan_set_on_the_fitness_page_moves_the_forecast_slider(current):
    """The Fitness page's plan input and the Forecast slider are one plan: 6 h set there is 6 h here, and the
    plan's prediction follows it."""
    at = current
    before = at.metric[1].value
    open_page(at, "pages/fitness.py")
    at.number_input(key="fitness_plan_run_hours").set_value(6.0).run()
    open_page(at, "pages/forecast.py")
    assert not at.exception
    assert at.slider(key="forecast_run_hours").value == 6.0 and at.session_state["forecast_plan_run_hours"] == 6.0
    assert at.metric[1].value != before
