"""Settings: secrets file and environment merged once, validated with messages that name the key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.config import build_settings, load_settings, read_secrets_file
from core.errors import ConfigError

HASH = "$2b$12$" + "a" * 53


def test_defaults_run_the_demo_on_sqlite_without_any_file(tmp_path):
    """No secrets file and no environment: embedded store under data/, demo data, no users."""
    settings = load_settings({}, tmp_path / "absent.toml")
    assert settings.store_backend == "sqlite"
    assert settings.sqlite_path == Path("data/fitdash.sqlite3")
    assert settings.demo and settings.users == () and settings.cookie_key is None
    assert settings.sync_interval_h == 3


def test_environment_overrides_the_secrets_file():
    """FITDASH_<SECTION>_<KEY> wins over secrets.toml; JSON values are parsed."""
    secrets = {"store": {"sqlite_path": "a.db"}, "sync": {"interval_hours": 6}}
    env = {"FITDASH_STORE_SQLITE_PATH": "b.db", "FITDASH_AUTH_COOKIE_KEY": "k" * 32,
           "FITDASH_AUTH_USERS": json.dumps({"Ann": {"password": HASH, "role": "admin"}}), "OTHER": "x"}
    settings = build_settings(secrets, env)
    assert settings.sqlite_path == Path("b.db") and settings.sync_interval_h == 6
    assert settings.users[0].username == "ann" and settings.users[0].role == "admin"


def test_a_real_source_turns_the_demo_off_unless_asked():
    """Configuring Strava stops the demo source; [demo] enabled=true keeps it."""
    assert not build_settings({"strava": {"client_id": "1"}}, {}).demo
    assert build_settings({"strava": {"client_id": "1"}, "demo": {"enabled": True}}, {}).demo
    assert build_settings({"strava": {"client_id": "1"}}, {}).configured_sources == ("strava",)


@pytest.mark.parametrize("secrets,env,message", [
    ({"store": {"backend": "postgres"}}, {}, "backend must be 'sqlite' or 'dynamodb'"),
    ({"auth": {"users": {"bob": {"password": "plain"}}}}, {}, "[auth.users.bob] needs a bcrypt"),
    ({"auth": {"users": {"bob": {"password": HASH, "role": "root"}}}}, {}, "role must be one of"),
    ({"sync": {"interval_hours": "often"}}, {}, "[sync] interval_hours must be a number"),
    ({}, {"FITDASH_AUTH_USERS": "{broken"}, "FITDASH_AUTH_USERS looks like JSON"),
    ({"app": {"units": "stone"}}, {}, "[app] units must be 'metric' (kg, km) or 'imperial' (lb, mi), not 'stone'"),
    ({"auth": {"users": {"bob": {"password": "$2b$12$short"}}}}, {}, "[auth.users.bob] needs a bcrypt"),
    ({"auth": {"cookie_key": "short"}}, {}, "[auth] cookie_key is too short (under 32 characters)"),
    ({"auth": {"login_delay_base_s": 0}}, {}, "[auth] login_delay_base_s must be above 0"),
    ({"auth": {"login_delay_base_s": 10, "login_delay_cap_s": 5}}, {}, "at most login_delay_cap_s"),
])
def test_bad_settings_name_what_is_wrong(secrets, env, message):
    """Each misconfiguration raises ConfigError naming the key."""
    with pytest.raises(ConfigError) as err:
        build_settings(secrets, env)
    assert message in str(err.value)


def test_the_login_delays_and_trusted_proxies_default_sensibly_and_can_be_set():
    """1 s doubling up to 300 s; no trusted proxy except on Heroku (its router); both settable."""
    assert (build_settings({}, {}).login_delay_base_s, build_settings({}, {}).login_delay_cap_s) == (1.0, 300.0)
    assert build_settings({}, {}).trusted_proxies == 0
    assert build_settings({}, {"DYNO": "web.1"}).trusted_proxies == 1
    settings = build_settings({"auth": {"login_delay_base_s": 0.5, "trusted_proxies": 2}}, {"DYNO": "web.1"})
    assert (settings.login_delay_base_s, settings.trusted_proxies) == (0.5, 2)


def test_units_default_to_metric_and_can_be_set_to_imperial_anywhere():
    """[app] units picks what a new session shows; the environment wins."""
    assert build_settings({}, {}).units == "metric"
    assert build_settings({"app": {"units": "imperial"}}, {}).units == "imperial"
    assert build_settings({"app": {"units": "imperial"}}, {"FITDASH_APP_UNITS": "Metric "}).units == "metric"


def test_plain_password_error_says_how_to_fix_it():
    """A plaintext password in the config points to the users command."""
    with pytest.raises(ConfigError) as err:
        build_settings({"auth": {"users": {"bob": {"password": "hunter2"}}}}, {})
    assert "python -m core.users add bob" in err.value.action


def test_broken_secrets_file_is_a_clear_error(tmp_path):
    """A secrets.toml that does not parse names the file."""
    path = tmp_path / "secrets.toml"
    path.write_text("[auth\ncookie_key = 1")
    with pytest.raises(ConfigError, match=r"secrets\.toml is not valid TOML"):
        read_secrets_file(path)


def test_example_secrets_file_parses_and_documents_every_section():
    """The committed example is valid TOML and covers the sections the code reads."""
    example = Path(__file__).resolve().parent.parent / ".streamlit" / "secrets.toml.example"
    text = example.read_text()
    uncommented = "\n".join(line.lstrip("# ") if line.startswith("# [") or line.startswith("# ") else line
                            for line in text.splitlines())
    assert read_secrets_file(example) is not None
    for section in ("[store]", "[sync]", "[auth]", "[demo]", "[app]", "[imports]", "[strength]", "[maps]"):
        assert section in uncommented, section


def test_empty_environment_values_configure_nothing():
    """A workflow passing an unset secret as '' does not switch a source on or blank a setting."""
    settings = build_settings({"store": {"sqlite_path": "a.db"}},
                              {"FITDASH_STRAVA_CLIENT_ID": "", "FITDASH_STORE_SQLITE_PATH": "  "})
    assert settings.configured_sources == () and settings.demo
    assert settings.sqlite_path == Path("a.db")


def test_import_options_alone_do_not_make_the_sheet_a_source():
    """[sheets] unit / date_order / aliases (for CSV imports) leave the sheet unconfigured and the demo on."""
    settings = build_settings({"sheets": {"unit": "lb", "date_order": "MDY", "aliases": {"reps": ["wdh"]}}}, {})
    assert settings.configured_sources == () and settings.demo
    with_key = build_settings({"sheets": {"unit": "lb", "spreadsheet_key": "1AbC"}}, {})
    assert with_key.configured_sources == ("sheets",) and not with_key.demo  # half-set: it fails saying what is missing


def test_a_sync_with_only_import_options_set_runs_no_failing_sheet(tmp_path):
    """With only [sheets] unit set, a sync runs the demo alone and succeeds (before: the sheet failed every time)."""
    from datetime import UTC, datetime

    from core.sources import build_sources
    from core.store.sqlite import SQLiteStore
    from core.sync import run_sync

    settings = build_settings({"sheets": {"unit": "lb"}}, {})
    store, now = SQLiteStore(tmp_path / "s.db"), lambda: datetime(2026, 3, 6, tzinfo=UTC)
    report = run_sync(store, build_sources(settings, store, now), now=now)
    assert report.ok and [r.source for r in report.sources] == ["demo"]


@pytest.mark.parametrize("value,expected", [(["ring row", " L-sit "], ("ring row", "L-sit")),
                                            ("ring row, L-sit", ("ring row", "L-sit")), ([], ())])
def test_bodyweight_exercises_setting_as_a_list_or_an_environment_string(value, expected):
    """[strength] bodyweight_exercises takes a TOML list, or a comma-separated FITDASH_STRENGTH_... value."""
    assert build_settings({"strength": {"bodyweight_exercises": value}}, {}).bodyweight_exercises == expected
    env = build_settings({}, {"FITDASH_STRENGTH_BODYWEIGHT_EXERCISES": "ring row, L-sit"})
    assert env.bodyweight_exercises == ("ring row", "L-sit")


def test_the_old_training_section_is_still_read_with_a_deprecation_line(caplog):
    """A file or host still using [training] bodyweight_exercises keeps working, logs the new name, and loses
    to [strength] when both are set."""
    with caplog.at_level("WARNING", logger="core.config"):
        old = build_settings({"training": {"bodyweight_exercises": ["ring row"]}}, {})
        env = build_settings({}, {"FITDASH_TRAINING_BODYWEIGHT_EXERCISES": "L-sit"})
    assert (old.bodyweight_exercises, env.bodyweight_exercises) == (("ring row",), ("L-sit",))
    assert len(caplog.records) == 2 and "[strength] bodyweight_exercises" in caplog.records[0].getMessage()
    caplog.clear()
    both = build_settings({"training": {"bodyweight_exercises": ["old"]},
                           "strength": {"bodyweight_exercises": ["new"]}}, {})
    assert both.bodyweight_exercises == ("new",) and not caplog.records
    with pytest.raises(ConfigError, match=r"\[training\] bodyweight_exercises must be a list of names"):
        build_settings({"training": {"bodyweight_exercises": 3}}, {})


def test_bad_import_settings_name_the_key():
    """A non-numeric [imports] limit and a non-list bodyweight setting are errors naming the key."""
    from core.sources.files.options import import_options

    with pytest.raises(ConfigError, match=r"\[imports\] max_csv_mb must be a positive number"):
        import_options(build_settings({"imports": {"max_csv_mb": "lots"}}, {}))
    with pytest.raises(ConfigError, match=r"\[strength\] bodyweight_exercises must be a list of names"):
        build_settings({"strength": {"bodyweight_exercises": 3}}, {})
