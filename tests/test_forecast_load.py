"""The forecast learns from load: load features, a walk-forward backtest that never sees the future, the
feature set that wins kept and recorded, a new model format, and the sentences that keep it honest."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from core.config import build_settings
from core.forecast import artifact, model
from core.forecast.artifact import ModelRejected
from core.forecast.backtest import backtest, choose
from core.forecast.features import FEATURE_SETS, FEATURES, TARGETS, training_table
from core.forecast.load_features import complete_plan
from core.forecast.training import retrain_if_week_completed, train_and_save
from core.store.sqlite import SQLiteStore
from core.units import IMPERIAL, METRIC
from core.views import forecast_honesty as honesty
from tests.builders import frames
from tests.forecast_data import KEY, START, Exploit, plan_of, synthetic_records

KEYED = build_settings({"model": {"hmac_key": KEY.decode()}}, {})


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    f = frames(synthetic_records(signal=True))
    return training_table(f["body"], f["run"], f["set"])


@pytest.fixture(scope="module")
def fitted(table) -> model.Fitted:
    return model.fit(table)


def test_no_feature_of_a_week_depends_on_anything_after_it():
    """The table built from data cut at a Monday equals the full table's weeks before that Monday."""
    records = synthetic_records(signal=True)
    cut = pd.Timestamp(START + pd.Timedelta(weeks=40))
    full, early = (frames(rs) for rs in (records, [r for r in records if r.time_utc < cut]))
    whole = training_table(full["body"], full["run"], full["set"])
    part = training_table(early["body"], early["run"], early["set"])
    assert len(part) == 39
    assert_frame_equal(part, whole.loc[part.index])


def test_the_backtest_never_predicts_a_week_from_its_own_outcome_or_a_later_week(table):
    """Poisoning week 45's outcome and every later week leaves every prediction up to week 45 unchanged."""
    args = (TARGETS[0], FEATURE_SETS["training + load"], "prior_rate_kg", model.MIN_WEEKS, model.K_CANDIDATES)
    clean = backtest(table, *args)
    poisoned = table.copy()
    rng = np.random.default_rng(3)
    poisoned.iloc[46:, :] = rng.normal(0, 1000, poisoned.iloc[46:].shape)
    poisoned.iloc[45, poisoned.columns.get_loc(TARGETS[0])] = 99.0
    dirty = backtest(poisoned, *args)
    upto = table.index[45]
    keep = ["model", "no_change", "average", "trend", "k"]
    assert_frame_equal(dirty.loc[:upto, keep], clean.loc[:upto, keep])
    assert dirty.loc[upto, "actual"] == 99.0 and not dirty.loc[table.index[46]:].equals(clean.loc[table.index[46]:])
    assert len(clean) == len(table) - model.MIN_WEEKS and clean.index[0] == table.index[model.MIN_WEEKS]


def test_the_backtest_keeps_the_feature_set_with_the_lower_error_and_the_first_on_a_tie(table):
    """A set padded with a noise column loses to the plain set; identical sets keep the first named."""
    rows = table.assign(junk=np.random.default_rng(5).normal(0, 10, len(table)))
    rest = ("prior_rate_kg", model.MIN_WEEKS, model.K_CANDIDATES)
    choice = choose(rows, TARGETS[0], {"noisy": (*FEATURES, "junk", "junk", "junk"), "training": FEATURES}, *rest)
    assert choice.kept == "training" and choice.mae["training"] < choice.mae["noisy"]
    assert choice.improvement == pytest.approx(1 - choice.mae["training"] / choice.mae["noisy"]), "against the first"
    tie = choose(rows, TARGETS[0], {"a": FEATURES, "b": FEATURES}, *rest)
    assert tie.kept == "a" and tie.improvement == 0.0


def test_the_kept_feature_set_and_its_margin_are_in_the_model_card(tmp_path):
    """Training records per target which set won the backtest, both errors, and the weeks predicted vs actual."""
    store = SQLiteStore(tmp_path / "s.db")
    store.upsert(synthetic_records())
    outcome = train_and_save(store, KEYED, pd.Timestamp("2026-01-01"))
    fitted, card = artifact.load(store.get_blob(artifact.BLOB_NAME), KEY, model.MODEL_FORMAT)
    choice = card["feature_choice"][TARGETS[0]]
    assert set(choice["backtest_mae"]) == set(FEATURE_SETS)
    assert choice["kept"] == min(choice["backtest_mae"], key=choice["backtest_mae"].get)
    first = choice["backtest_mae"]["training"]
    assert choice["improvement"] == pytest.approx((first - choice["backtest_mae"][choice["kept"]]) / first, abs=1e-4)
    assert card["features"] == list(FEATURE_SETS[choice["kept"]]) == list(fitted.weight.features)
    weeks = card["backtest"][TARGETS[0]]
    assert len(weeks["week"]) == len(weeks["actual"]) == len(weeks["model"]) == card["weeks_used"] - model.MIN_WEEKS
    assert f"features: {choice['kept']}" in outcome.message and "walk-forward error" in outcome.message
    assert set(card["baseline_trend_mae"]) == set(card["targets"])


def test_the_three_baselines_are_on_the_same_folds(fitted, table):
    """No change, average change and the 14-day trend carried forward: each error is over the folds' test weeks."""
    cv = fitted.weight.cv
    tested = table.iloc[len(table) - 5 * (len(table) // 6):]  # TimeSeriesSplit(5) tests the last 5/6 of the weeks
    assert cv.zero == pytest.approx(tested[TARGETS[0]].abs().mean())
    assert cv.trend == pytest.approx((tested[TARGETS[0]] - tested.prior_rate_kg).abs().mean())
    assert fitted.beats_baselines == (cv.mae < min(cv.zero, cv.mean, cv.trend))


def test_an_older_model_format_is_refused_before_unpickling(tmp_path):
    """A correctly signed artifact of model format 2 is refused with 'retrain' and its payload never runs."""
    marker = tmp_path / "pwned"
    old = artifact.dump(Exploit(marker), {"model_format": 2}, KEY)
    with pytest.raises(ModelRejected, match="saved by an older version") as err:
        artifact.load(old, KEY, model.MODEL_FORMAT)
    assert "python -m core.forecast train" in err.value.action and not marker.exists()
    assert model.MODEL_FORMAT == 3


def test_a_sync_retrains_over_an_older_format_even_when_it_covers_the_latest_week(tmp_path):
    """The refresh after an upgrade replaces a format-2 model that is 'up to date' instead of keeping it."""
    store = SQLiteStore(tmp_path / "s.db")
    store.upsert(synthetic_records(weeks=30))
    store.put_blob(artifact.BLOB_NAME, artifact.dump({"old": "model"}, {"model_format": 2,
                                                                        "trained_through": "2099-01-01"}, KEY))
    outcome = retrain_if_week_completed(store, KEYED, pd.Timestamp("2026-01-01"))
    assert outcome.saved
    assert artifact.verify(store.get_blob(artifact.BLOB_NAME), KEY)[0]["model_format"] == model.MODEL_FORMAT


def test_a_plan_far_from_every_past_week_is_named(fitted, table):
    """A plan beyond the history is flagged with the features that are out of range; a lived week is not."""
    far = plan_of(table, run_km=400.0, run_hours=40.0, sessions=1, avg_load_kg=100)
    note = honesty.unfamiliar_plan(fitted, far)
    assert note is not None and note.startswith("This plan is unlike the weeks you have lived")
    assert "running distance, running time and running load are beyond any week of yours" in note
    lived = {c: float(table[c].iloc[30]) for c in table.columns}
    assert honesty.unfamiliar_plan(fitted, lived) is None


def test_when_prediction_and_trend_disagree_the_sentence_says_which_the_model_follows_and_which_was_right(fitted):
    """A predicted gain against a falling trend: the model follows its neighbours; the track record decides."""
    note = honesty.trend_disagreement(fitted, TARGETS[0], 0.2, {"prior_rate_kg": -0.3}, METRIC)
    head = fitted.weight
    assert note.startswith("Your weight trend over the last 14 days is -0.3 kg/week, but the model predicts "
                           "+0.2 kg/week: it follows the ")
    better = "the model" if head.choice.weeks.eval("abs(model - actual)").mean() < \
        head.choice.weeks.eval("abs(trend - actual)").mean() else "the trend carried forward"
    assert f"{better} has been the better guide on the walk-forward backtest" in note
    assert "-0.66 lb/week" in honesty.trend_disagreement(fitted, TARGETS[0], 0.2, {"prior_rate_kg": -0.3}, IMPERIAL)
    assert honesty.trend_disagreement(fitted, TARGETS[0], -0.2, {"prior_rate_kg": -0.3}, METRIC) is None
    assert honesty.trend_disagreement(fitted, TARGETS[0], 0.2, {"prior_rate_kg": -0.04}, METRIC) is None


def test_a_plan_completed_from_the_current_week_keeps_its_exact_load_and_state():
    """Unchanged hours and sessions keep the current load exactly; others scale at the current rates."""
    current = {"run_km": 20.0, "run_hours": 2.0, "sessions": 3.0, "avg_load_kg": 60.0, "run_load": 110.0,
               "strength_load": 210.0, "form": -12.0, "prior_rate_kg": -0.2, "prior_rate_pt": -0.1}
    assert complete_plan({f: current[f] for f in FEATURES}, current) == current
    plan = complete_plan({**{f: current[f] for f in FEATURES}, "run_hours": 3.0, "sessions": 0.0}, current)
    assert (plan["run_load"], plan["strength_load"], plan["form"]) == (165.0, 0.0, -12.0)
    empty = complete_plan({"run_km": 10.0, "run_hours": 1.0, "sessions": 1.0, "avg_load_kg": 0.0},
                          {**dict.fromkeys(current, 0.0)})
    assert empty["run_load"] == pytest.approx(56.25) and empty["strength_load"] == pytest.approx(75.0)
