"""AppTest helpers for the goal, entry and edit forms (issue 20): an admin and a viewer, the app logged in as one."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import bcrypt
from streamlit.testing.v1 import AppTest

from tests.apptest_helpers import app_env, logged_in_app, open_page

ADMIN, VIEWER = ("ann", "ann-password"), ("vic", "vic-password")


def two_users(monkeypatch, db_path) -> None:
    """Point the app at the store and configure an admin (ann) and a viewer (vic)."""
    app_env(monkeypatch, db_path)
    users = {name: {"password": bcrypt.hashpw(pw.encode(), bcrypt.gensalt(4)).decode(), "role": role}
             for (name, pw), role in ((ADMIN, "admin"), (VIEWER, "viewer"))}
    monkeypatch.setenv("FITDASH_AUTH_USERS", json.dumps(users))
    monkeypatch.setenv("FITDASH_AUTH_COOKIE_KEY", "k" * 64)


def page_as(user: tuple[str, str], page: str) -> AppTest:
    """A new session (as after a reload or on another device) logged in as user, on page."""
    at = open_page(logged_in_app(*user), page)
    assert not at.exception, at.exception
    return at


def today() -> datetime:
    """Today in UTC (the app's default time zone), as the pages compute it."""
    return datetime.now(UTC)


def texts(at: AppTest) -> list[str]:
    """Every markdown, caption and alert text of the page."""
    return [e.value for kind in ("markdown", "caption", "error", "success", "info", "warning") for e in at.get(kind)]


def errors(at: AppTest) -> str:
    """The page's error messages, joined."""
    return "\n".join(e.value for e in at.error)
