"""A page's derived view (numbers, tables, figures) built once per data version and widget state.

Pages call a pure builder from core (frames + widget values -> a view object) through `cached`: a warm
rerun that changes nothing, or changes back, reuses the built objects instead of recomputing trends
and rebuilding plotly figures (together most of a page's server time on ten years of data). The
objects are shared between reruns and sessions, so views are only read, never mutated.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

V = TypeVar("V")
MAX_VIEWS = 64  # a few widget states per page and session; each view is a few hundred kB of figures


def stamp(frame: pd.DataFrame) -> tuple:
    """A cheap identity of a stored frame: rows, first and last time, last key (changes when a sync adds data)."""
    if frame.empty:
        return (0,)
    first, last = frame.iloc[0], frame.iloc[-1]
    return len(frame), str(first.iloc[0]), str(last.iloc[0]), str(last.get("key", ""))


@st.cache_resource(max_entries=MAX_VIEWS, show_spinner=False)
def _build(name: str, stamps: tuple, params: tuple, _builder: Callable, _frames: tuple, _kwargs: dict) -> Any:
    return _builder(*_frames, **_kwargs)


def cached(builder: Callable[..., V], frames: tuple[pd.DataFrame, ...], **params: Hashable) -> V:
    """builder(*frames, **params), computed once per (frames' stamps, params)."""
    name = f"{builder.__module__}.{builder.__qualname__}"
    key = tuple(sorted(params.items()))
    return _build(name, tuple(stamp(f) for f in frames), key, builder, frames, params)


def clear() -> None:
    """Forget every built view (after a refresh the stamps change anyway; this frees the memory)."""
    _build.clear()
