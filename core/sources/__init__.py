"""The configured sources, built from settings (the demo when no real source is configured).

Each real source registers a factory in FACTORIES: `factory(settings, store, now) -> Source`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from core.config import Settings
from core.sources.base import Source
from core.sources.demo import DemoSource
from core.store.base import Store

Factory = Callable[[Settings, Store, Callable[[], datetime]], Source]
FACTORIES: dict[str, Factory] = {}


def build_sources(settings: Settings, store: Store, now: Callable[[], datetime]) -> list[Source]:
    """Every source that will sync, in a fixed order."""
    sources: list[Source] = [DemoSource(settings.demo_seed, now)] if settings.demo else []
    sources += [FACTORIES[name](settings, store, now) for name in settings.configured_sources
                if name in FACTORIES]
    return sources


def unsupported_sources(settings: Settings) -> list[str]:
    """Configured sources this build cannot sync yet (shown on the Data page, never hidden)."""
    return [name for name in settings.configured_sources if name not in FACTORIES]
