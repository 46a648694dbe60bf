"""Shared fixtures: Streamlit caches cleared per test, a demo store seeded once per session, and the stores.

Stores: `store` (an empty SQLite file), `moto_store` (DynamoDB and S3 in-process), `dynalite_store` (a real
second DynamoDB implementation, via node), `any_store` (the same test on all three). Records, frames and
clock constants to put in them: tests/builders.py.
"""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.components.v2 import component_manager
from streamlit.runtime.pages_manager import PagesManager

from core.store.sqlite import SQLiteStore
from tests.apptest_helpers import copy_store, seed_demo_store
from tests.aws_fixtures import FAKE_CREDENTIALS, dynalite_server, dynalite_table, moto_dynamodb

# Each new AppTest scans every installed package for v2 component manifests (~160 ms, performance.md);
# the app ships none, so the scan is skipped in tests.
component_manager.BidiComponentManager.discover_and_register_components = lambda self, **kw: None

# A running server stops treating `pages/` as v1 multipage pages as soon as the entrypoint calls
# st.navigation (for the whole process). AppTest resets that flag before every run, so its second
# run would execute the page file alone, skipping the entrypoint. Pin the server's steady state.
# (The v1 first-request path itself is covered by test_page_opened_directly_requires_login.)
_pages_manager_init = PagesManager.__init__


def _steady_state_init(self, *args, **kwargs):
    _pages_manager_init(self, *args, **kwargs)
    PagesManager.uses_pages_directory = False


PagesManager.__init__ = _steady_state_init


@pytest.fixture(autouse=True)
def _fresh_streamlit_caches():
    """st.cache_* are process-global: never let one test see another's store or settings."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """A demo store file seeded once per test session."""
    path = tmp_path_factory.mktemp("template") / "demo.sqlite3"
    seed_demo_store(path)
    return path


@pytest.fixture
def demo_store(demo_template, tmp_path):
    """A private copy of the seeded demo store, and its path."""
    path = tmp_path / "fitdash.sqlite3"
    return copy_store(demo_template, path), path


@pytest.fixture
def store(tmp_path):
    """An empty store: a SQLite file in the test's own folder."""
    return SQLiteStore(tmp_path / "s.db")


@pytest.fixture
def aws_credentials(monkeypatch):
    """Fake AWS credentials in the environment (moto needs some; no real account is ever reached)."""
    for name, value in FAKE_CREDENTIALS.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def moto_store(aws_credentials):
    """A DynamoDBStore on moto's in-process DynamoDB, with blobs in moto's S3."""
    yield from moto_dynamodb()


@pytest.fixture(scope="session")
def dynalite_endpoint():
    """A dynalite server on a free loopback port for this test process (skipped without node, outside CI)."""
    yield from dynalite_server()


@pytest.fixture
def dynalite_store(dynalite_endpoint):
    """A DynamoDBStore on a fresh dynalite table."""
    return dynalite_table(dynalite_endpoint)


@pytest.fixture(params=["sqlite", "moto", pytest.param("dynalite", marks=pytest.mark.dynalite)])
def any_store(request, tmp_path):
    """The same test on the embedded store, on moto and on dynalite."""
    if request.param == "sqlite":
        return SQLiteStore(tmp_path / "s.db")
    return request.getfixturevalue(f"{request.param}_store")
