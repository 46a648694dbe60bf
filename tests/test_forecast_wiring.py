"""The Forecast view's wiring of honesty and the model card: sentences beside the result, the card's verdict."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.forecast import model
from core.forecast.features import TARGETS, training_table
from core.forecast.training import metadata
from core.units import IMPERIAL, METRIC
from core.views.forecast import model_card, scenario_view
from core.views.forecast_card import backtest_weeks, feature_verdict
from tests.builders import frames
from tests.forecast_data import plan_of, synthetic_records


@pytest.fixture(scope="module")
def history():
    f = frames(synthetic_records(signal=True))
    table = training_table(f["body"], f["run"], f["set"])
    return table, model.fit(table)


def test_a_prediction_against_the_trend_is_explained_beside_the_result(history):
    """A rising 14-day trend with a plan of heavy running (a predicted loss): the view carries the sentence saying
    the model follows its neighbours, in the display unit; the same plan with a falling trend carries none."""
    table, fitted = history
    heavy = plan_of(table, run_km=float(table.run_km.max()), run_hours=float(table.run_hours.max()))
    plan = {f: heavy[f] for f in ("run_km", "run_hours", "sessions", "avg_load_kg")}
    rising = {**heavy, "prior_rate_kg": 1.0}
    trends = {t: table[t].cumsum() for t in TARGETS}
    view = scenario_view(fitted, trends, {"current": rising, "plan": plan}, 4, IMPERIAL)
    predicted = float(view.results[TARGETS[0]]["plan"].weekly.split()[0])
    assert predicted < 0, "the synthetic history loses weight in its heaviest running weeks"
    assert any(n.startswith("Your weight trend over the last 14 days is +2.2 lb/week, but the model predicts")
               for n in view.honesty)
    falling = scenario_view(fitted, trends, {"current": {**heavy, "prior_rate_kg": -1.0}, "plan": plan}, 4, METRIC)
    assert not [n for n in falling.honesty if n.startswith("Your weight trend")]


def test_the_card_verdict_follows_the_feature_set_the_backtest_kept(history):
    """The verdict names the winner; forcing the original set to win (a single candidate) says so instead."""
    table, fitted = history
    card = metadata(fitted, table.index.max())
    kept = card["feature_choice"][TARGETS[0]]["kept"]
    assert ("beat the old ones" in feature_verdict(card, METRIC)) == (kept == "training + load")
    only = metadata(model.fit(table, {"training": ("run_km", "run_hours", "sessions", "avg_load_kg")}),
                    table.index.max())
    assert feature_verdict(only, METRIC).startswith("Kept the original features")
    assert feature_verdict({}, METRIC) == "This model was trained before the load features were compared."


def test_the_card_backtest_weeks_are_the_stored_walk_forward_weeks(history):
    """The card's figure reads the weeks training stored: as many as were backtested, in display units."""
    table, fitted = history
    card = metadata(fitted, table.index.max())
    weeks = backtest_weeks(card)
    assert len(weeks) == card["feature_choice"][TARGETS[0]]["weeks"] and weeks.index.is_monotonic_increasing
    figure = model_card(card, datetime.now(UTC), IMPERIAL).backtest
    assert figure.data[0].y[0] == pytest.approx(weeks.actual.iloc[0] / 0.45359237)
    assert "lb/week" in figure.layout.title.text


def test_the_card_error_table_is_in_the_display_unit(history):
    """In pounds the weight errors are the card's kg errors over 0.4536 under a 'lb/week' heading; the fat ratio's
    points stay as they are."""
    table, fitted = history
    card = metadata(fitted, table.index.max())
    metric = model_card(card, datetime.now(UTC), METRIC).errors
    imperial = model_card(card, datetime.now(UTC), IMPERIAL).errors
    assert list(imperial.columns) == ["weight MAE (lb/week)", "fat ratio MAE (pt/week)"]
    assert imperial.iloc[:, 0].tolist() == pytest.approx((metric.iloc[:, 0] / 0.45359237).tolist())
    assert imperial.iloc[:, 1].tolist() == pytest.approx(metric.iloc[:, 1].tolist())
    assert metric.loc["model"].iloc[0] == pytest.approx(card["cv_mae"][TARGETS[0]])
