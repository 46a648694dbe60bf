"""The forecast: weekly features, honest accuracy, and an artifact that is verified before unpickling."""

from __future__ import annotations

import base64
import io
import pickle
import struct
from datetime import UTC, datetime

import joblib
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from core.config import build_settings
from core.errors import ConfigError
from core.forecast import __main__ as forecast_cli
from core.forecast import artifact, model
from core.forecast.artifact import ModelRejected
from core.forecast.features import FEATURES, TARGETS, local_today, recent_averages, training_table, weekly_features
from core.forecast.training import library_versions, retrain_if_week_completed, train_and_save, version_warnings
from core.records import frame_from_rows
from core.store.sqlite import SQLiteStore
from core.units import IMPERIAL, METRIC
from core.views import forecast as display
from core.views.charts.forecast import Panel, forecast_figure
from tests.builders import frames
from tests.forecast_data import KEY, Exploit, plan_of, synthetic_records


def test_two_week_history_gives_hand_computed_features_and_targets():
    """Week 2: 15 km in 1.5 h, 2 sessions, 90 kg per rep; weight trend change from hand-rolled EWMA. Its load:
    runs at the usual pace (IF 0.75): 1 h -> 56.25 and 0.5 h -> 28.125 points; squats 5 x 100 kg (22.5 AU) and
    5 x 80 kg against the e1RM of 116.7 (18 AU), / 4.2; form 0 before any training; no trend from one weigh-in."""
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
    row = table.loc["2026-03-02"]
    assert row.run_load == pytest.approx(84.375) and row.strength_load == pytest.approx(40.5 / 4.2)
    assert (row.form, row.prior_rate_kg, row.prior_rate_pt) == (0.0, 0.0, 0.0)


def test_model_beats_baselines_when_training_drives_weight():
    """On data where weight change is a function of running, the model's error is below all three baselines."""
    f = frames(synthetic_records(signal=True))
    table = training_table(f["body"], f["run"], f["set"])
    fitted = model.fit(table)
    assert fitted.beats_baselines
    low, high = (model.predict(fitted, plan_of(table, run_km=km, run_hours=km / 10, sessions=1, avg_load_kg=100))[0]
                 ["weight_change_kg"] for km in (0, 50))
    assert high < low, "more running predicts more loss"


def test_weight_only_scale_gives_a_weight_model_without_fat_ratio():
    """With no fat-ratio readings every week still counts and the model predicts weight only."""
    f = frames(synthetic_records(fat=False))
    table = training_table(f["body"], f["run"], f["set"])
    assert len(table) == 79 and table[TARGETS[1]].isna().all()
    fitted = model.fit(table)
    assert fitted.targets == (TARGETS[0],) and fitted.beats_baselines
    mean, spread = model.predict(fitted, plan_of(table))
    assert list(mean) == [TARGETS[0]] and list(spread) == [TARGETS[0]]


def test_fat_ratio_is_modelled_only_when_enough_weeks_have_it():
    """Fat ratio on 15 of 80 weeks: no fat head; on every week: both heads."""
    f = frames(synthetic_records())
    table = training_table(f["body"], f["run"], f["set"])
    assert model.fit(table).targets == TARGETS
    sparse = table.copy()
    sparse.loc[sparse.index[15:], TARGETS[1]] = float("nan")
    assert model.fit(sparse).targets == (TARGETS[0],)


def test_recent_averages_use_the_last_eight_complete_weeks_with_idle_weeks_as_zero():
    """Today's unfinished week is left out and weeks without training since the last one count as zero."""
    weeks = pd.date_range("2026-01-05", periods=10, freq="7D", name="week")  # Mondays up to 2026-03-09
    features = pd.DataFrame({f: 8.0 for f in FEATURES}, index=weeks)
    features.loc["2026-03-09"] = 80.0  # this week, unfinished on Wednesday 2026-03-11
    averages = recent_averages(features, pd.Timestamp("2026-03-11"))
    assert averages["run_km"] == pytest.approx(8.0)
    later = recent_averages(features.iloc[:-1], pd.Timestamp("2026-03-25"))  # 2 idle weeks after 2026-03-02
    assert later["sessions"] == pytest.approx(8.0 * 6 / 8)


def test_today_is_taken_in_the_configured_time_zone():
    """23:30 UTC on a Sunday is already Monday in Auckland; an unset or unknown zone means UTC."""
    now = datetime(2026, 3, 8, 23, 30, tzinfo=UTC)
    assert local_today(now, "Pacific/Auckland") == pd.Timestamp("2026-03-09")
    assert local_today(now, "UTC") == pd.Timestamp("2026-03-08")
    assert local_today(now, "Not/AZone") == pd.Timestamp("2026-03-08")


def test_model_on_pure_noise_does_not_claim_skill():
    """When weight change is noise unrelated to training, the training features do not beat the baselines.

    (The load set's prior 14-day trend does carry skill here: the Weight page's trend lags the scale, so
    its next change follows the recent slope. That is real, and the backtest is what decides.)"""
    f = frames(synthetic_records(signal=False))
    table = training_table(f["body"], f["run"], f["set"])
    assert not model.fit(table, {"training": FEATURES}).beats_baselines


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
    assert isinstance(fitted, model.Fitted) and card["features"] == list(fitted.weight.features)


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


def test_moving_the_header_boundary_or_an_unparseable_header_is_refused():
    """Re-splitting header and payload (same signed bytes under v1) or a signed non-JSON header is refused."""
    blob = signed_blob()
    start = len(artifact.MAGIC) + 4
    (size,) = struct.unpack(">I", blob[len(artifact.MAGIC):start])
    header, signature = blob[start:start + size], blob[start + size:start + size + 32]
    payload = blob[start + size + 32:]
    moved = artifact.MAGIC + struct.pack(">I", size + 3) + header + payload[:3] + signature + payload[3:]
    with pytest.raises(ModelRejected, match="signature does not match"):
        artifact.load(moved, KEY)
    with pytest.raises(ModelRejected, match="metadata does not parse"):
        artifact.load(artifact.frame(b"{not json", payload, KEY), KEY)
    with pytest.raises(ModelRejected, match="saved by an older version"):
        artifact.load(b"FITDASH-MODEL-v1" + blob[len(artifact.MAGIC):], KEY)


def test_model_card_records_library_versions_and_warns_on_a_different_scikit_learn(tmp_path):
    """The card names scikit-learn, joblib, numpy and Python; a different scikit-learn gives a warning."""
    store = SQLiteStore(tmp_path / "s.db")
    store.upsert(synthetic_records())
    train_and_save(store, build_settings({"model": {"hmac_key": KEY.decode()}}, {}), pd.Timestamp("2026-01-01"))
    card = artifact.verify(store.get_blob(artifact.BLOB_NAME), KEY)[0]
    assert {"scikit-learn", "joblib", "numpy", "python"} <= set(card["versions"])
    assert card["versions"] == library_versions() and version_warnings(card) == []
    old = {**card, "versions": {**card["versions"], "scikit-learn": "0.24.2"}}
    assert "trained with scikit-learn 0.24.2" in version_warnings(old)[0]


def store_with(tmp_path, weeks):
    store = SQLiteStore(tmp_path / "s.db")
    store.upsert(synthetic_records(weeks=weeks))
    return store


KEYED = build_settings({"model": {"hmac_key": KEY.decode()}}, {})


def test_retrain_after_a_sync_only_when_a_new_week_has_completed(tmp_path):
    """A newer complete week retrains; the same week again leaves the stored model untouched."""
    store = store_with(tmp_path, 80)  # data through the week of 2025-07-07
    first = retrain_if_week_completed(store, KEYED, pd.Timestamp("2025-07-09"))
    assert first.saved
    assert artifact.verify(store.get_blob(artifact.BLOB_NAME), KEY)[0]["trained_through"] == "2025-06-30"
    blob = store.get_blob(artifact.BLOB_NAME)
    same_week = retrain_if_week_completed(store, KEYED, pd.Timestamp("2025-07-13"))
    assert not same_week.saved and "up to date" in same_week.message
    assert store.get_blob(artifact.BLOB_NAME) == blob
    next_week = retrain_if_week_completed(store, KEYED, pd.Timestamp("2025-07-14"))
    assert next_week.saved and store.get_blob(artifact.BLOB_NAME) != blob


def test_retrain_after_a_sync_reports_instead_of_raising(tmp_path):
    """Without a key, or with too few weeks, the sync gets a sentence and no exception."""
    store = store_with(tmp_path, 10)
    no_key = retrain_if_week_completed(store, build_settings({}, {}), pd.Timestamp("2026-01-01"))
    assert not no_key.saved and "FITDASH_MODEL_HMAC_KEY" in no_key.message
    few = retrain_if_week_completed(store, KEYED, pd.Timestamp("2026-01-01"))
    assert not few.saved and "11 more weeks" in few.message and store.get_blob(artifact.BLOB_NAME) is None


def test_train_command_exits_cleanly_with_too_few_weeks(tmp_path, monkeypatch, capsys):
    """The weekly job is green while history is short, and says how many weeks are missing."""
    store_with(tmp_path, 10)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FITDASH_STORE_SQLITE_PATH", str(tmp_path / "s.db"))
    monkeypatch.setenv("FITDASH_MODEL_HMAC_KEY", KEY.decode())
    assert forecast_cli.main(["train"]) == 0
    assert "11 more weeks" in capsys.readouterr().out
    monkeypatch.delenv("FITDASH_MODEL_HMAC_KEY")
    assert forecast_cli.main(["train"]) == 2, "a missing key is still a failure"


def test_train_command_reads_the_key_make_run_wrote_when_no_key_is_set(tmp_path, monkeypatch, capsys):
    """As the README says: after `make run`, `python -m core.forecast train` signs with data/model-hmac.key."""
    store = store_with(tmp_path, 30)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FITDASH_STORE_SQLITE_PATH", str(tmp_path / "s.db"))
    monkeypatch.delenv("FITDASH_MODEL_HMAC_KEY", raising=False)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "model-hmac.key").write_text(KEY.decode() + "\n")
    assert forecast_cli.main(["train"]) == 0
    assert artifact.load(store.get_blob(artifact.BLOB_NAME), KEY, model.MODEL_FORMAT)[1]["weeks_used"] > 0
    monkeypatch.setenv("FITDASH_MODEL_HMAC_KEY", "another-key-of-enough-length")
    assert forecast_cli.main(["train"]) == 0
    with pytest.raises(ModelRejected):  # a key that is set wins over the file
        artifact.load(store.get_blob(artifact.BLOB_NAME), KEY, model.MODEL_FORMAT)


def test_train_help_describes_the_command_and_the_key(capsys):
    """`python -m core.forecast --help` says what `train` does and where the key comes from."""
    with pytest.raises(SystemExit):
        forecast_cli.main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "train fit the model on the stored history" in out and "data/model-hmac.key" in out


def test_signed_artifact_round_trip_through_s3(moto_store):
    """Training on the hosted store writes the artifact to S3; it loads back, and a tampered object is refused."""
    moto_store.upsert(synthetic_records(weeks=30))
    assert train_and_save(moto_store, KEYED, pd.Timestamp("2026-01-01")).saved
    s3 = moto_store.blobs.client
    obj = s3.get_object(Bucket="models", Key="fitdash/" + artifact.BLOB_NAME)["Body"].read()
    fitted, card = artifact.load(moto_store.get_blob(artifact.BLOB_NAME), KEY, model.MODEL_FORMAT)
    assert obj.startswith(artifact.MAGIC) and card["weeks_used"] == len(fitted.train) == 29
    tampered = bytearray(obj)
    tampered[-10] ^= 0x01
    s3.put_object(Bucket="models", Key="fitdash/" + artifact.BLOB_NAME, Body=bytes(tampered))
    with pytest.raises(ModelRejected, match="signature does not match"):
        artifact.load(moto_store.get_blob(artifact.BLOB_NAME), KEY)


def test_imperial_sliders_convert_miles_and_pounds_to_the_models_km_and_kg():
    """Imperial distance and load sliders are in mi and lb, start at the averages converted, and feed km and kg."""
    metric, imperial = ({s.feature: s for s in display.slider_specs(u)} for u in (METRIC, IMPERIAL))
    km, mi = metric["run_km"], imperial["run_km"]
    assert (km.key, km.to_model, km.start(50.0)) == ("forecast_run_km", 1.0, 50.0)
    assert (mi.key, mi.label) == ("forecast_run_mi", "Running distance (mi/week)")
    assert mi.start(50.0) == pytest.approx(31.0686, abs=1e-4) and mi.to_model_value(31.0, 50.0) == \
        pytest.approx(49.89, abs=0.01)
    lb = imperial["avg_load_kg"]
    assert (lb.key, lb.start(100.0)) == ("forecast_avg_load_lb", pytest.approx(220.462, abs=1e-3))
    assert lb.to_model_value(220.0, 100.0) == pytest.approx(99.79, abs=0.01)


def test_the_model_card_says_how_long_ago_the_model_was_trained():
    """The training time reads as an age plus the exact UTC time, whatever offset the artifact stored."""
    now = datetime(2026, 11, 25, 1, 30, tzinfo=UTC)
    assert display.trained_when("2026-11-24T22:25:19+00:00", now) == "3 h ago (24 Nov 2026 22:25 UTC)"
    assert display.trained_when("2026-11-25T02:29:30+01:00", now) == "just now (25 Nov 2026 01:29 UTC)"
    assert display.trained_when("2026-11-20T01:30:00+00:00", now).startswith("5 days ago")


def test_missing_model_message_counts_the_weeks_still_needed():
    """Below the minimum the message gives usable and missing weeks; at it, it says to train."""
    assert "12 of 20 usable weeks, 8 more needed" in display.missing_model_message(12)
    assert display.missing_model_message(20).startswith("No model trained yet, but 20 usable weeks are enough")


def test_neighbour_table_shows_dates_and_display_units():
    """Weeks appear as dates, distance in mi, load and weight change in lb when imperial."""
    near = pd.DataFrame({"run_km": [16.09344], "run_hours": [1.5], "sessions": [2.0], "avg_load_kg": [45.359237],
                         TARGETS[0]: [-0.45359237], TARGETS[1]: [float("nan")]},
                        index=pd.DatetimeIndex(["2026-03-02"], name="week"))
    table = display.neighbour_table(near, IMPERIAL)
    assert table["Week of"].tolist() == [pd.Timestamp("2026-03-02")]
    assert table["Running (mi)"].tolist() == [10.0] and table["Weight change (lb)"].tolist() == [-1.0]
    assert table["Avg load per rep (lb)"].tolist() == [100.0]


def shown(values) -> list:
    """A trace's x or y as plotly.js reads it: typed arrays decoded, date strings as timestamps."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return [pd.Timestamp(v) for v in values]


def test_forecast_figure_is_already_in_the_form_plotly_validation_gives():
    """Built without validation (it is rebuilt on every slider move), the figure still needs no coercion:
    validating it changes nothing, so no misspelt or malformed property reaches the browser."""
    start = pd.Timestamp("2026-03-08")
    panel = Panel(pd.Series([80.0, 79.8], index=pd.DatetimeIndex(["2026-03-01", "2026-03-08"])),
                  {"current": model.project(79.8, 0.0, 0.1, 3), "plan": model.project(79.8, -0.3, 0.1, 3)}, start,
                  "Weight", "kg", 1.0)
    for panels in ([panel], [panel, panel]):
        sent = forecast_figure(panels).to_dict()
        assert go.Figure(sent).to_dict() == sent
    with pytest.raises(ValueError, match="colour"):
        go.Figure({**sent, "data": [{**sent["data"][0], "colour": "red"}]})  # what validation would have caught


def test_forecast_figure_draws_trend_and_each_scenario_with_a_widening_band():
    """Trend, then per scenario a band and a mean line in the display unit; the band is wider further out."""
    history = pd.Series([22.0, 21.8], index=pd.DatetimeIndex(["2026-03-01", "2026-03-08"]))
    projections = {"current": model.project(21.8, 0.0, 0.1, 4), "plan": model.project(21.8, -0.1, 0.2, 4)}
    fig = forecast_figure([Panel(history, projections, pd.Timestamp("2026-03-08"), "Fat ratio", "%", 1.0)])
    assert [t.name for t in fig.data] == ["trend so far", "current range", "current", "plan range", "plan"]
    assert fig.layout.title.text == "Trend and projection"
    assert (fig.layout.yaxis.title.text, fig.layout.xaxis.title.text) == ("Fat ratio (%)", "date")
    band = shown(fig.data[3].y)  # high at weeks 0..4, then low at weeks 4..0
    widths = [band[i] - band[len(band) - 1 - i] for i in range(5)]
    assert widths == sorted(widths) and widths[0] == 0 and widths[4] == pytest.approx(0.8)
    assert shown(fig.data[4].x)[-1] == pd.Timestamp("2026-04-05") and shown(fig.data[4].y)[-1] == pytest.approx(21.4)


def test_forecast_figure_stacks_weight_and_fat_ratio_on_one_date_axis():
    """Two targets: two stacked panels in one figure (one chart to redraw per slider move), each legend entry once."""
    start = pd.Timestamp("2026-03-08")
    weight = Panel(pd.Series([80.0, 79.8], index=pd.DatetimeIndex(["2026-03-01", "2026-03-08"])),
                   {"plan": model.project(79.8, -0.3, 0.1, 2)}, start, "Weight", "kg", 1.0)
    fat = Panel(pd.Series([22.0, 21.8], index=pd.DatetimeIndex(["2026-03-01", "2026-03-08"])),
                {"plan": model.project(21.8, -0.1, 0.1, 2)}, start, "Fat ratio", "%", 1.0)
    fig = forecast_figure([weight, fat])
    assert [t.yaxis for t in fig.data] == ["y"] * 3 + ["y2"] * 3
    assert {t.xaxis or "x" for t in fig.data} == {"x"} and fig.layout.xaxis.anchor == "y2"
    assert (fig.layout.yaxis.title.text, fig.layout.yaxis2.title.text) == ("Weight (kg)", "Fat ratio (%)")
    assert fig.layout.yaxis.domain[0] > fig.layout.yaxis2.domain[1], "weight above fat ratio, apart"
    assert [t.name for t in fig.data if t.showlegend] == ["trend so far", "plan range", "plan"]
    assert shown(fig.data[5].y)[-1] == pytest.approx(21.6) and shown(fig.data[2].y)[-1] == pytest.approx(79.2)
    only_weight = forecast_figure([weight, Panel(pd.Series(dtype="float64"), {}, start, "Fat ratio", "%", 1.0)])
    assert {t.yaxis for t in only_weight.data} == {"y"} and only_weight.layout.yaxis.domain == (0.0, 1.0)


def test_forecast_figure_converts_to_pounds_and_says_when_there_is_nothing():
    """Weight in lb multiplies every value; an empty trend gives a figure with a message, not empty axes."""
    history = pd.Series([80.0], index=pd.DatetimeIndex(["2026-03-08"]))
    fig = forecast_figure([Panel(history, {"plan": model.project(80.0, -0.5, 0.0, 1)}, pd.Timestamp("2026-03-08"),
                                 "Weight", "lb", 1 / 0.45359237)])
    assert shown(fig.data[0].y)[0] == pytest.approx(176.37, abs=0.01) and fig.layout.yaxis.title.text == "Weight (lb)"
    empty = forecast_figure([Panel(pd.Series(dtype="float64"), {}, pd.Timestamp("2026-03-08"), "Weight", "kg", 1.0)])
    assert not empty.data and empty.layout.annotations[0].text == "No trend to project from"
