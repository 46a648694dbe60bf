"""`python -m core.users`: logins are created without editing hashes, and the app accepts them."""

from __future__ import annotations

import base64
import json
import logging
import os
import stat
import subprocess
import sys

import bcrypt
import jwt
import pytest
from streamlit.testing.v1 import AppTest

from core.config import build_settings, read_secrets_file
from core.users import main, remember_me_token, remembered_username
from tests.apptest_helpers import APP, ROOT, TIMEOUT_S, app_env, login
from tests.builders import LOGIN_NOW as NOW


def run_cli(args, password, secrets):
    """Run the command as a person would, the password on stdin."""
    return subprocess.run([sys.executable, "-m", "core.users", "--secrets", str(secrets), *args],
                          input=password + "\n", capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_add_writes_a_bcrypt_hash_role_and_cookie_key(tmp_path):
    """`add` stores a verifiable hash (never the password) and generates a cookie key once."""
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("# my notes\n[strava]\nclient_id = \"123\"\n")
    out = run_cli(["add", "Alice", "--role", "viewer", "--password-stdin"], "correct horse", secrets)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "correct horse" not in out.stdout + out.stderr + secrets.read_text()
    data = read_secrets_file(secrets)
    user = data["auth"]["users"]["alice"]
    assert user["role"] == "viewer"
    assert bcrypt.checkpw(b"correct horse", user["password"].encode())
    key = data["auth"]["cookie_key"]
    assert len(key) == 64 and data["strava"]["client_id"] == "123"
    assert "# my notes" in secrets.read_text(), "the file keeps its comments"
    run_cli(["add", "bob", "--password-stdin"], "another secret", secrets)
    again = read_secrets_file(secrets)
    assert again["auth"]["cookie_key"] == key and again["auth"]["users"]["bob"]["role"] == "admin"
    settings = build_settings(again, {})
    assert {(u.username, u.role) for u in settings.users} == {("alice", "viewer"), ("bob", "admin")}


@pytest.mark.parametrize("password,reason", [("short", "at least 8"), ("x" * 80, "at most 72 bytes")])
def test_unusable_passwords_are_refused(tmp_path, password, reason, monkeypatch, capsys):
    """Too short or too long (bcrypt's 72-byte limit) passwords are refused with the reason."""
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(password + "\n"))
    assert main(["--secrets", str(tmp_path / "s.toml"), "add", "carol", "--password-stdin"]) == 2
    assert reason in capsys.readouterr().out
    assert not (tmp_path / "s.toml").exists()


def test_env_lines_carry_the_same_users(tmp_path, capsys):
    """`env` prints FITDASH_AUTH_USERS as JSON the config reads back."""
    secrets = tmp_path / "s.toml"
    run_cli(["add", "dana", "--password-stdin"], "long enough", secrets)
    main(["--secrets", str(secrets), "env"])
    users_line, key_line = capsys.readouterr().out.splitlines()
    users = json.loads(users_line.split("=", 1)[1].strip("'"))
    env = {"FITDASH_AUTH_USERS": json.dumps(users), "FITDASH_AUTH_COOKIE_KEY": key_line.split("=", 1)[1]}
    assert [u.username for u in build_settings({}, env).users] == ["dana"]


def test_remove_and_list(tmp_path, capsys):
    """`list` shows users and roles; `remove` deletes one and says when there is none."""
    secrets = tmp_path / "s.toml"
    run_cli(["add", "erin", "--role", "viewer", "--password-stdin"], "long enough", secrets)
    main(["--secrets", str(secrets), "list"])
    assert capsys.readouterr().out == "erin\tviewer\n"
    assert main(["--secrets", str(secrets), "remove", "erin"]) == 0
    assert main(["--secrets", str(secrets), "remove", "erin"]) == 1


def _users_env(tmp_path, monkeypatch, store_path):
    secrets = tmp_path / "s.toml"
    run_cli(["add", "vera", "--role", "viewer", "--password-stdin"], "viewer password", secrets)
    run_cli(["add", "adam", "--role", "admin", "--password-stdin"], "admin password", secrets)
    main(["--secrets", str(secrets), "env"])
    app_env(monkeypatch, store_path)
    return secrets


def test_configured_users_log_in_with_their_roles(demo_store, tmp_path, monkeypatch, capsys):
    """A viewer sees the data without a Refresh button; an admin gets it; the demo login no longer works."""
    _users_env(tmp_path, monkeypatch, demo_store[1])
    users_line, key_line = capsys.readouterr().out.splitlines()
    monkeypatch.setenv("FITDASH_AUTH_USERS", users_line.split("=", 1)[1].strip("'"))
    monkeypatch.setenv("FITDASH_AUTH_COOKIE_KEY", key_line.split("=", 1)[1])
    at = login(AppTest.from_file(APP, default_timeout=TIMEOUT_S).run(), "demo", "demo")
    assert at.session_state["authentication_status"] is False
    assert not any("demo" in i.value for i in at.info), "no demo hint once real users exist"
    viewer = login(AppTest.from_file(APP, default_timeout=TIMEOUT_S).run(), "vera", "viewer password")
    assert viewer.metric, "the viewer sees the Overview"
    assert "refresh" not in [b.key for b in viewer.sidebar.button]
    admin = login(AppTest.from_file(APP, default_timeout=TIMEOUT_S).run(), "adam", "admin password")
    assert "refresh" in [b.key for b in admin.sidebar.button]


def test_viewer_refresh_is_refused_by_the_server(demo_store, monkeypatch):
    """Even if a refresh is triggered for a viewer's session, the server refuses and syncs nothing."""
    store, path = demo_store
    app_env(monkeypatch, path)
    before = store.get_sync_state("demo")

    def app():
        import streamlit as st

        from ui import refresh

        st.session_state["authentication_status"] = True
        st.session_state["roles"] = ["viewer"]
        refresh.refresh_now()

    at = AppTest.from_function(app, default_timeout=TIMEOUT_S).run()
    assert [e.value for e in at.sidebar.error] == ["Only an admin may refresh data."]
    assert store.get_sync_state("demo") == before


KEY = "k" * 64


def authenticator_cookie(username: str, expires: float, key: str = KEY) -> str:
    """The remember-me cookie as streamlit-authenticator 0.4.2 writes it (CookieModel._token_encode)."""
    return jwt.encode({"username": username, "exp_date": expires}, key, algorithm="HS256")


def unsigned_cookie(claims: dict) -> str:
    """A JWT with `alg: none`: no signature at all."""
    part = lambda data: base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()  # noqa: E731
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


BAD_COOKIES = {  # every cookie a stranger might send: none of them logs anyone in
    "expired": lambda: authenticator_cookie("alice", NOW - 1),
    "another key": lambda: authenticator_cookie("alice", NOW + 3600, key="x" * 64),
    "unknown user": lambda: authenticator_cookie("mallory", NOW + 3600),
    "no expiry": lambda: jwt.encode({"username": "alice"}, KEY, algorithm="HS256"),
    "expiry as text": lambda: jwt.encode({"username": "alice", "exp_date": "never"}, KEY, algorithm="HS256"),
    "HS512": lambda: jwt.encode({"username": "alice", "exp_date": NOW + 60}, KEY, algorithm="HS512"),
    "alg none": lambda: unsigned_cookie({"username": "alice", "exp_date": NOW + 60}),
    "garbage": lambda: "not-a-jwt",
    "garbage in three parts": lambda: "eyJ!.eyJ?.sig",
    "empty": lambda: "",
    "absent": lambda: None,
}


def test_the_remember_me_cookie_round_trips_for_a_known_user():
    """The cookie the form login writes names its user until it expires."""
    assert remembered_username(remember_me_token("alice", KEY, NOW + 3600), KEY, ["alice", "bob"], NOW) == "alice"
    assert remembered_username(authenticator_cookie("alice", NOW + 3600), KEY, ["alice"], NOW) == "alice", (
        "a cookie streamlit-authenticator wrote before still works")


@pytest.mark.parametrize("name", BAD_COOKIES)
def test_a_bad_remember_me_cookie_names_nobody_and_its_value_stays_out_of_the_log(name, caplog):
    """Forged, expired, foreign or garbled cookies are refused with a log line that does not quote them."""
    token = BAD_COOKIES[name]()
    with caplog.at_level(logging.WARNING, logger="core.users"):
        assert remembered_username(token, KEY, ["alice", "bob"], NOW) is None
    if token:
        assert "remember-me cookie refused" in caplog.text
        assert token not in caplog.text and token.split(".")[0] not in caplog.text


def test_add_writes_the_secrets_file_for_its_owner_only(tmp_path):
    """`add` leaves secrets.toml at mode 0600, also when it was world-readable before."""
    secrets = tmp_path / ".streamlit" / "secrets.toml"
    assert run_cli(["add", "alice", "--password-stdin"], "long enough", secrets).returncode == 0
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
    secrets.chmod(0o644)
    assert run_cli(["add", "bob", "--password-stdin"], "long enough", secrets).returncode == 0
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
    assert set(read_secrets_file(secrets)["auth"]["users"]) == {"alice", "bob"}
    assert [p.name for p in secrets.parent.iterdir()] == ["secrets.toml"], "no temporary file left behind"


def test_lockouts_shows_and_clears_the_stores_counters(tmp_path):
    """`lockouts` lists the login counters of the configured store; `--clear NAME` and `--clear` delete them."""
    from core.login import LoginPolicy, attempt_login
    from core.store.sqlite import SQLiteStore

    db = tmp_path / "s.db"
    store = SQLiteStore(db)
    for user, address in (("alice", "203.0.113.9"), ("bob", "198.51.100.7")):
        attempt_login(store, (), user, "guess", address, NOW, LoginPolicy(60, 60))
    env = {**os.environ, "FITDASH_STORE_SQLITE_PATH": str(db)}

    def cli(*args):
        out = subprocess.run([sys.executable, "-m", "core.users", "--secrets", str(tmp_path / "none.toml"),
                              "lockouts", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
        assert out.returncode == 0, out.stderr
        return out.stdout

    listed = cli()
    assert [line.split()[0] for line in listed.splitlines()[1:]] == [
        "addr:198.51.100.7", "addr:203.0.113.9", "user:alice", "user:bob"]
    assert cli("--clear", "alice") == "cleared 1 login counter(s)\n"
    assert cli("--clear") == "cleared 3 login counter(s)\n"
    assert store.login_counters() == []


def test_list_says_when_there_are_no_users(tmp_path, capsys):
    """`list` on a secrets file without users says so and how to add one, instead of printing nothing."""
    secrets = tmp_path / "s.toml"
    assert main(["--secrets", str(secrets), "list"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"No users in {secrets}") and "python -m core.users add NAME --role admin" in out
