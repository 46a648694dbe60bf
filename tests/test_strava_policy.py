"""Strava's API policy settings: [strava] api_in_forecast keeps API-only runs out of the model, api_retention_days
expires them (records and streams) at every sync; the person's own runs (export, file) are never touched."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest

from core.activity import read_activity
from core.activity.storage import detail_keys, save_detail
from core.config import build_settings
from core.errors import ConfigError
from core.forecast import training
from core.records import RUN, Record, iso_utc
from core.sources.strava.retention import model_runs
from core.sync import run_sync
from tests.activity_exports import run_file
from tests.builders import SYNC_NOW as NOW
from tests.builders import run


def aged(key: str, days: float, provenance: str | None, source: str = "strava", raw=None) -> Record:
    """A run that started `days` before NOW, from `source`, with this provenance (None: stored before it was kept)."""
    base = run(0)
    when = NOW - timedelta(days=days)
    fields = {**base.fields, "start_time_utc": iso_utc(when)}
    if provenance:
        fields["provenance"] = provenance
    return Record(RUN, source, key, when, fields, raw if raw is not None else {"id": key})


def test_the_policy_settings_default_off_and_parse_from_secrets_and_environment():
    """By default API runs are kept and used; the secrets file or FITDASH_STRAVA_* turn the policy on."""
    default = build_settings({}, {})
    assert (default.api_in_forecast, default.api_retention_days) == (True, 0.0)
    policy = build_settings({"strava": {"api_in_forecast": False, "api_retention_days": 7}}, {})
    assert (policy.api_in_forecast, policy.api_retention_days) == (False, 7.0)
    env = build_settings({}, {"FITDASH_STRAVA_API_IN_FORECAST": "false", "FITDASH_STRAVA_API_RETENTION_DAYS": "7"})
    assert (env.api_in_forecast, env.api_retention_days) == (False, 7.0)
    assert env.configured_sources == ()  # the policy alone does not configure Strava
    for bad in ("a week", -1):
        with pytest.raises(ConfigError, match=r"\[strava\] api_retention_days must be"):
            build_settings({"strava": {"api_retention_days": bad}}, {})


def test_a_sync_expires_old_api_only_runs_with_their_streams_and_nothing_else(store):
    """Past 7 days, API-only runs go (and their streams); recent API runs, export rows, files, the demo and manual
    entries stay; a run stored before provenance was kept is told apart by its raw payload."""
    stream = read_activity(run_file("fit", NOW - timedelta(days=10)), "a.fit")
    store.upsert([aged("strava:1", 10, "api"), aged("strava:2", 2, "api"), aged("strava:3", 30, "export"),
                  aged("strava:4", 30, "file"), aged("demo:run:5", 30, "demo", source="demo"),
                  aged("strava:6", 30, None, raw={"id": 6, "resource_state": 2}),
                  aged("strava:7", 30, None, raw={"export": "activities.csv", "id": "7"})])
    save_detail(store, "strava:1", stream.stream)
    save_detail(store, "strava:4", stream.stream)
    report = run_sync(store, [], now=lambda: NOW, api_retention_days=7)
    assert report.expired == 2
    assert sorted(store.read(RUN).key) == ["demo:run:5", "strava:2", "strava:3", "strava:4", "strava:7"]
    assert detail_keys(store) == {"strava:4"}
    assert store.read(RUN).set_index("key").provenance["strava:7"] == "export"  # now stored with the record
    assert run_sync(store, [], now=lambda: NOW + timedelta(days=30), api_retention_days=0).expired == 0
    assert len(store.read(RUN)) == 5


def test_api_only_runs_stay_out_of_the_model_when_asked(store, monkeypatch):
    """With api_in_forecast = false the training table is built without API-only runs; the others are used."""
    store.upsert([aged("strava:1", 10, "api"), aged("strava:3", 12, "export"), aged("file:x", 14, "file")])
    seen = {}

    def table(body, runs, sets, today, athlete):
        seen["runs"] = sorted(runs.key)
        raise LookupError("seen: stop before fitting")

    monkeypatch.setattr(training, "training_table", table)  # the edge: what the model is given
    key = {"model": {"hmac_key": "k" * 64}}
    for api_in_forecast, expected in ((True, ["file:x", "strava:1", "strava:3"]), (False, ["file:x", "strava:3"])):
        settings = build_settings({**key, "strava": {"api_in_forecast": api_in_forecast}}, {})
        with pytest.raises(LookupError, match="seen"):
            training.train_and_save(store, settings, pd.Timestamp(NOW).tz_localize(None))
        assert seen["runs"] == expected


def test_runs_stored_before_provenance_stay_in_the_model():
    """A frame without provenance values (older runs) keeps every run: only those known to be API-only go."""
    frame = pd.DataFrame({"key": ["a", "b", "c"], "provenance": pd.array([None, "api", "file"], dtype="string")})
    assert model_runs(frame, False).key.tolist() == ["a", "c"]
    assert model_runs(frame, True).key.tolist() == ["a", "b", "c"]
