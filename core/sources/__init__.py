"""The configured sources, built from settings (the demo when no real source is configured).

Each real source is a package with `build(settings, store, now) -> Source`, named in FACTORIES and imported only
when a sync builds it: the clients' libraries (stravalib, gspread: ~40 MB) stay out of a process that only
serves pages.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from core.config import Settings
from core.errors import ConfigError
from core.sources.base import Source
from core.sources.demo import DemoSource
from core.store.base import Store

DEMO_STOPPED = ("the store holds real data, so no demo data is generated any more "
                "(remove what is left of it: python -m core.store purge --source demo)")

Factory = Callable[[Settings, Store, Callable[[], datetime]], Source]
FACTORIES: dict[str, str] = {"withings": "core.sources.withings", "strava": "core.sources.strava",
                             "sheets": "core.sources.sheets"}


def factory(name: str) -> Factory:
    """The `build` of a real source, its package imported on first use."""
    return importlib.import_module(FACTORIES[name]).build


def build_sources(settings: Settings, store: Store, now: Callable[[], datetime]) -> list[Source]:
    """Every source that will sync, in a fixed order; a misconfigured one fails alone when synced.

    The demo source stops once the store holds real records (an import, a sync): generated weigh-ins mixed
    into real ones would be wrong numbers, and a purged demo must not come back with the next sync.
    """
    demo = settings.demo and not holds_real_data(store)
    sources: list[Source] = [DemoSource(settings.demo_seed, now)] if demo else []
    for name in settings.configured_sources:
        if name in FACTORIES:
            try:
                sources.append(factory(name)(settings, store, now))
            except ConfigError as exc:
                sources.append(Misconfigured(name, exc))
    return sources


def holds_real_data(store: Store) -> bool:
    """True when any stored record came from a source other than the demo."""
    return any(source != "demo" for _, source in store.counts())


class Misconfigured:
    """Stands in for a source whose settings are wrong: its sync fails with the ConfigError."""

    kinds: tuple[str, ...] = ()
    overlap = timedelta(0)
    ascending = False
    mirror = False

    def __init__(self, name: str, error: ConfigError) -> None:
        self.name, self.error = name, error

    def fetch(self, since: datetime | None) -> Iterator:
        raise self.error
        yield  # a generator, like every source


def unsupported_sources(settings: Settings) -> list[str]:
    """Configured sources this build cannot sync yet (shown on the Data page, never hidden)."""
    return [name for name in settings.configured_sources if name not in FACTORIES]

