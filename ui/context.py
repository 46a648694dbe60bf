"""Process-wide resources: settings, the store and the clock (st.cache_resource: one per process)."""

from __future__ import annotations

import os
from datetime import datetime

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from core.clock import utc_now
from core.config import Settings, build_settings
from core.store import Store, open_store
from core.store.maintenance import check_store


def secrets_mapping() -> dict:
    """st.secrets as a plain dict; {} when no secrets.toml exists (any access would raise)."""
    try:
        return st.secrets.to_dict()
    except (StreamlitSecretNotFoundError, FileNotFoundError):
        return {}


@st.cache_resource(show_spinner=False)
def settings() -> Settings:
    """Settings built once per process from st.secrets and the environment."""
    return build_settings(secrets_mapping(), os.environ)


@st.cache_resource(show_spinner=False)
def store() -> Store:
    """The configured store, shared by every session (the backends are thread-safe), checked once per process:
    a damaged file or lost records are reported (StoreDamaged) instead of shown as an empty dashboard."""
    opened = open_store(settings())
    check_store(opened)
    return opened


def now() -> datetime:
    """The wall clock in UTC."""
    return utc_now()
