"""The forecast: weekly features, honest accuracy, and an artifact that is verified before unpickling."""

from __future__ import annotations

import io
import pickle

import joblib
import pandas as pd
import pytest

from core.config import build_settings
from core.errors import ConfigError
from core.forecast import artifact, model
from core.forecast.artifact import ModelRejected
from core.forecast.features import FEATURES, training_table, weekly_features
from core.forecast.training import train_and_save
from core.records import frame_from_rows
from core.store.sqlite import SQLiteStore
from tests.forecast_data import synthetic_records

KEY = b"k" * 32


def frames(records):
    by_kind = {"body": [], "run": [], "set": []}
    for r in records:
        by_kind[r.kind].append({**r.fields, "source": r.source, "key": r.key})
    return {k: frame_from_rows(k, rows) for k, rows in by_kind.items()}


def test_two_week_history_gives_hand_computed_features_and_targets():
    """Week 2: 15 km in 1.5 h, 2 sessions, 90 kg per rep; weight trend change from hand-rolled EWMA."""
    body = frame_from_rows("body", [
        {"time_utc": "2026-03-01T07:00:00Z", "local_date": "2026-03-01", "weight_kg": 80.0, "fat_ratio_pct": 20.0},
        {"time_utc": "2026-03-08T07:00:00Z", "local_date": "2026-03-08", "weight_kg": 79.0, "fat_ratio_pct": 19.0}])
    runs = frame_from_rows("run", [
        {"start_time_utc": "2026-03-03T07:00:00Z", "start_time_local": "2026-03-03T08:00:00", "distance_m": 10_000,
         "moving_time_s": 3600},
        {"start_time_utc": "2026-03-05T07:00:00Z", "start_time_local": "2026-03-05T08:00:00", "distance_m": 5_000,
         "moving_time_s": 1800}])
    sets = frame_from_rows("set", [
        {"session_date": "2026-03-02", "exercise": "Squat", "set_number": 1, "reps": 5, "load_kg": 100.0},
        {"session_date": "2026-03-04", "exercise": "Squat", "set_number": 1, "reps": 5, "load_kg": 80.0}])
    features = weekly_features(runs, sets)
    assert features.loc["2026-03-02"].tolist() == [15.0, 1.5, 2.0, 90.0]
    table = training_table(body, runs, sets)
    assert table.index.tolist() == [pd.Timestamp("2026-03-02")]
    assert table.weight_change_kg.item() == pytest.approx(-0.1)  # 80 -> 80 + 0.1 * (79 - 80)
    assert table.fat_ratio_change_pt.item() == pytest.approx(-0.1)


def test_model_beats_baselines_when_training_drives_weight():
    """On data where weight change is a function of running, the model's error is below both baselines."""
    f = frames(synthetic_records(signal=True))
    fitted = model.fit(training_table(f["body"], f["run"], f["set"]))
    assert fitted.beats_baselines
    low, high = (model.predict(fitted, {**dict.fromkeys(FEATURES, 0.0), "run_km": km, "run_hours": km / 10,
                                        "sessions": 1, "avg_load_kg": 100})[0]["weight_change_kg"] for km in (0, 50))
    assert high < low, "more running predicts more loss"


def test_model_on_pure_noise_does_not_claim_skill():
    """When weight change is noise, the model does not beat the baselines."""
    f = frames(synthetic_records(signal=False))
    assert not model.fit(training_table(f["body"], f["run"], f["set"])).beats_baselines


def test_too_few_weeks_says_how_many_more():
    """Below the minimum, no model and a sentence with the number of weeks missing."""
    f = frames(synthetic_records(weeks=12))
    with pytest.raises(model.NotEnoughWeeks, match=r"needs at least 20 \(9 more weeks"):
        model.fit(training_table(f["body"], f["run"], f["set"]))


def test_projection_band_widens_with_the_horizon():
    """The band is the neighbours' spread times sqrt(weeks)."""
    proj = model.project(80.0, -0.5, 0.2, 4)
    assert proj["mean"].tolist() == [80.0, 79.5, 79.0, 78.5, 78.0]
    assert (proj.high - proj["mean"]).round(3).tolist() == [0.0, 0.2, 0.283, 0.346, 0.4]


def test_artifact_round_trip_on_the_embedded_store(tmp_path):
    """Training saves a signed artifact; loading with the same key gives the model and its card."""
    store = SQLiteStore(tmp_path / "s.db")
    store.upsert(synthetic_records())
    settings = build_settings({"model": {"hmac_key": KEY.decode()}}, {})
    outcome = train_and_save(store, settings, pd.Timestamp("2026-01-01"))
    assert outcome.saved and "beats the naive baselines" in outcome.message
    fitted, card = artifact.load(store.get_blob(artifact.BLOB_NAME), KEY)
    assert card["weeks_used"] == outcome.weeks and card["beats_baselines"]
    assert isinstance(fitted, model.Fitted) and card["features"] == list(FEATURES)


class Exploit:
    """A pickle that would create a file when unpickled."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def signed_blob():
    return artifact.dump({"any": "model"}, {"k": 1}, KEY)


@pytest.mark.parametrize("mutate,reason", [
    (lambda b: b[:-1] + bytes([b[-1] ^ 1]), "signature does not match"),
    (lambda b: b.replace(b'"k": 1', b'"k": 2'), "signature does not match"),
    (lambda b: b[:len(artifact.MAGIC) + 4 + 10], "truncated"),
    (lambda b: b"not a model", "not a signed forecast model"),
])
def test_tampered_or_unsigned_artifacts_are_refused(mutate, reason):
    """A flipped byte, edited metadata, a truncated file or a foreign file is refused."""
    with pytest.raises(ModelRejected, match=reason):
        artifact.load(mutate(signed_blob()), KEY)


def test_wrong_key_and_missing_artifact_are_refused():
    """Another key's signature and a missing artifact are refused with a clear reason."""
    with pytest.raises(ModelRejected, match="signed with another key"):
        artifact.load(signed_blob(), b"x" * 32)
    with pytest.raises(ModelRejected, match="no model has been trained yet"):
        artifact.load(None, KEY)


def test_a_code_executing_pickle_never_runs(tmp_path):
    """A malicious joblib payload, raw or signed with another key, is refused before unpickling."""
    marker = tmp_path / "pwned"
    raw = io.BytesIO()
    joblib.dump(Exploit(marker), raw)
    with pytest.raises(ModelRejected):
        artifact.load(raw.getvalue(), KEY)
    forged = artifact.dump(Exploit(marker), {}, b"attacker-key-attacker-key")
    assert not marker.exists(), "dumping does not run it"
    with pytest.raises(ModelRejected):
        artifact.load(forged, KEY)
    assert not marker.exists(), "the payload never ran"
    pickle.loads(pickle.dumps(Exploit(marker)))  # control: unpickling really would have run it
    assert marker.exists()


def test_missing_or_short_key_is_a_config_error():
    """No key in the configuration: training and loading refuse and say how to make one."""
    for section in ({}, {"model": {"hmac_key": "short"}}):
        with pytest.raises(ConfigError) as err:
            artifact.signing_key(build_settings(section, {}))
        assert "FITDASH_MODEL_HMAC_KEY" in str(err.value) and "secrets.token_hex" in err.value.action
