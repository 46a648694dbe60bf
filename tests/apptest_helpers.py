"""Helpers for AppTest: a seeded store, environment for the app, and logging in.

The app reads its settings from the environment (FITDASH_*), so each test points it at its own
SQLite file; caches are cleared between tests by the autouse fixture in conftest.py.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import bcrypt
import pandas as pd
from streamlit.testing.v1 import AppTest

from core.sources.demo import DemoSource
from core.store.sqlite import SQLiteStore
from core.sync import run_sync
from tests.builders import clock_at

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")
SEEDED_AT = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # the demo history the tests start from
TIMEOUT_S = 60  # first runs import pandas, plotly and the authenticator


def seed_demo_store(path: Path, now: datetime = SEEDED_AT, seed: int = 7) -> SQLiteStore:
    """A SQLite store holding the demo history as a first sync at `now` would leave it."""
    store = SQLiteStore(path)
    clock = clock_at(now)
    run_sync(store, [DemoSource(seed, clock)], now=clock)
    return store


def copy_store(template: Path, target: Path) -> SQLiteStore:
    """A private copy of a seeded store file (seeding once per session keeps tests fast)."""
    shutil.copy(template, target)
    return SQLiteStore(target)


TEST_ADMIN = ("tester", "tester-password")


def with_test_admin(monkeypatch) -> tuple[str, str]:
    """Configure one admin (as `python -m core.users` would), for stores holding non-demo data."""
    hashed = bcrypt.hashpw(TEST_ADMIN[1].encode(), bcrypt.gensalt(4)).decode()  # low cost: tests only
    monkeypatch.setenv("FITDASH_AUTH_USERS", json.dumps({TEST_ADMIN[0]: {"password": hashed, "role": "admin"}}))
    monkeypatch.setenv("FITDASH_AUTH_COOKIE_KEY", "c" * 64)
    return TEST_ADMIN


def app_env(monkeypatch, db_path: Path, **settings: str) -> None:
    """Point the app at a store file; extra settings as FITDASH_<SECTION>_<KEY>=value."""
    monkeypatch.setenv("FITDASH_STORE_SQLITE_PATH", str(db_path))
    monkeypatch.setenv("FITDASH_AUTH_LOGIN_DELAY_BASE_S", "0.001")  # the delays still grow, from 1 ms
    for name, value in settings.items():
        monkeypatch.setenv(f"FITDASH_{name.upper()}", value)


def logged_in_app(username: str = "demo", password: str = "demo") -> AppTest:
    """The app after a successful login through its form."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S).run()
    login(at, username, password)
    return at


def login(at: AppTest, username: str, password: str) -> AppTest:
    """Fill the login form and submit it; on success run again, as the browser's cookie component does."""
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click().run()
    if at.session_state["authentication_status"]:
        assert any("Logged in" in s.value for s in at.success), "the login run ends with a notice"
        at.run()  # in a browser the cookie component reports back once the cookie is set, which reruns
    return at


def open_page(at: AppTest, page: str) -> AppTest:
    """Switch to a page by its file (e.g. 'pages/weight.py') and run it."""
    return at.switch_page(page).run()


def markdown_tables(at: AppTest) -> list[pd.DataFrame]:
    """The small tables an AppTest page shows (Markdown made by core/views/tables.py), as the text of their cells."""
    tables = []
    for element in at.markdown:
        lines = [line.strip()[1:-1] for line in element.value.strip().splitlines()]
        if len(lines) < 2 or not element.value.lstrip().startswith("|") or not set(lines[1]) <= set("-:|"):
            continue
        rows = [[re.sub(r"\\(.)", r"\1", cell.strip()).replace("\u2011", "-").replace("\u00a0", " ")
                 for cell in re.split(r"(?<!\\)\|", line)] for line in lines]
        tables.append(pd.DataFrame(rows[2:], columns=rows[0]))
    return tables
