"""The configured sources, built from settings (the demo when no real source is configured).

Each real source registers a factory in FACTORIES: `factory(settings, store, now) -> Source`.
"""

from __future__ import annotations

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
FACTORIES: dict[str, Factory] = {}


def _register() -> None:
    from core.sources import sheets, strava, withings

    FACTORIES["withings"] = withings.build
    FACTORIES["strava"] = strava.build
    FACTORIES["sheets"] = sheets.build


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
                sources.append(FACTORIES[name](settings, store, now))
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


_register()
