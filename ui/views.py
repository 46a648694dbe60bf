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


VERSION = "content_version"  # frame.attrs key set by ui.data.load_kind


def stamp(data: pd.DataFrame | pd.Series) -> tuple:
    """A cheap identity of a stored frame (rows, first and last time, last key, and the content version
    `ui.data.load_kind` stamps it with) or a derived series (rows, first and last index, last value): it
    changes when a sync adds data, and for a stored frame also when a sync corrects a record."""
    if data.empty:
        return (0,)
    if isinstance(data, pd.Series):
        return len(data), str(data.index[0]), str(data.index[-1]), float(data.iloc[-1])
    first, last = data.iloc[0], data.iloc[-1]
    return len(data), str(first.iloc[0]), str(last.iloc[0]), str(last.get("key", "")), data.attrs.get(VERSION)


@st.cache_resource(max_entries=MAX_VIEWS, show_spinner=False)
def _build(name: str, stamps: tuple, params: tuple, _builder: Callable, _args: tuple, _kwargs: dict) -> Any:
    return _builder(*_args, **_kwargs)


def cached(builder: Callable[..., V], frames: tuple[pd.DataFrame | pd.Series, ...], *, given: tuple = (),
           **params: Hashable) -> V:
    """builder(*given, *frames, **params), computed once per (frames' stamps, params).

    `given` are inputs that cannot be stamped (a fitted model): a param must identify them (e.g. its digest).
    """
    name = f"{builder.__module__}.{builder.__qualname__}"
    key = tuple(sorted(params.items()))
    return _build(name, tuple(stamp(f) for f in frames), key, builder, (*given, *frames), params)


def clear() -> None:
    """Forget every built view (after a refresh the stamps change anyway; this frees the memory)."""
    _build.clear()
