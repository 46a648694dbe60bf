"""Shared fixtures: Streamlit caches cleared per test, a demo store seeded once per session."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.components.v2 import component_manager
from streamlit.runtime.pages_manager import PagesManager

from tests.apptest_helpers import copy_store, seed_demo_store

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
