"""`python -m core.users`: logins are created without editing hashes, and the app accepts them."""

from __future__ import annotations

import json
import subprocess
import sys

import bcrypt
import jwt
import pytest
from streamlit.testing.v1 import AppTest

from core.config import build_settings, read_secrets_file
from core.users import main, remembered_username
from tests.apptest_helpers import APP, ROOT, TIMEOUT_S, app_env, login


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
NOW = 1_800_000_000.0


def authenticator_cookie(username: str, expires: float, key: str = KEY) -> str:
    """The remember-me cookie as streamlit-authenticator 0.4.2 writes it (CookieModel._token_encode)."""
    return jwt.encode({"username": username, "exp_date": expires}, key, algorithm="HS256")


@pytest.mark.parametrize(("token", "expected"), [
    (lambda: authenticator_cookie("alice", NOW + 3600), "alice"),
    (lambda: authenticator_cookie("alice", NOW - 1), None),  # expired
    (lambda: authenticator_cookie("alice", NOW + 3600, key="x" * 64), None),  # signed with another key
    (lambda: authenticator_cookie("mallory", NOW + 3600), None),  # not (or no longer) a user
    (lambda: jwt.encode({"username": "alice"}, KEY, algorithm="HS256"), None),  # no expiry
    (lambda: jwt.encode({"username": "alice", "exp_date": NOW + 60}, KEY, algorithm="HS512"), None),
    (lambda: "not-a-jwt", None),
    (lambda: "", None),
    (lambda: None, None),
])
def test_remember_me_cookie_names_a_known_user_only_while_valid(token, expected):
    """The remembered login accepts the authenticator's own cookie and refuses forged, expired or stale ones."""
    assert remembered_username(token(), KEY, ["alice", "bob"], NOW) == expected
