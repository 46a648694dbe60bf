"""Loading the signed forecast model once per version (st.cache_resource keyed by its digest)."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from core.analytics.weight import trend_series
from core.forecast import artifact
from core.forecast.features import TARGETS, recent_averages, weekly_features
from core.records import BODY, RUN, SET
from ui import context, data

BLOB_TTL_S = 600  # a retrained model shows up within 10 minutes (or at the next Refresh)


@st.cache_data(ttl=BLOB_TTL_S, show_spinner=False)
def _blob() -> bytes | None:
    return context.store().get_blob(artifact.BLOB_NAME)


@st.cache_resource(max_entries=2, show_spinner=False)
def _verified(digest: str, _blob: bytes | None, _key: bytes):
    return artifact.load(_blob, _key)


def load_model():
    """(fitted model, metadata); raises ConfigError without a key and ModelRejected for a bad artifact."""
    key = artifact.signing_key(context.settings())
    blob = _blob()
    digest = hashlib.sha256((blob or b"") + key).hexdigest()
    return _verified(digest, blob, key)


@st.cache_data(ttl=data.CACHE_TTL_S, show_spinner=False)
def inputs() -> tuple[dict[str, pd.Series], dict[str, float]]:
    """Trends of weight and fat ratio, and the recent average week (computed once per data version)."""
    body = data.load_kind(BODY)
    trends = {t: trend_series(body, c) for t, c in zip(TARGETS, ("weight_kg", "fat_ratio_pct"), strict=True)}
    return trends, recent_averages(weekly_features(data.load_kind(RUN), data.load_kind(SET)))


def clear() -> None:
    """Forget the cached artifact bytes and derived inputs (after a sync or training)."""
    _blob.clear()
    inputs.clear()
