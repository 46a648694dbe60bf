"""Loading the signed forecast model once per version (st.cache_resource keyed by its digest)."""

from __future__ import annotations

import hashlib

import streamlit as st

from core.forecast import artifact
from ui import context

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


def clear() -> None:
    """Forget the cached artifact bytes (after training)."""
    _blob.clear()
