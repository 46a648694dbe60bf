"""Shared pieces: timing with median and range, the 10-year data set, the result table."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from core.sources.demo import DemoSource
from core.store.sqlite import SQLiteStore
from core.sync import run_sync

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
TEN_YEARS = timedelta(days=3653)


@dataclass
class Row:
    """One line of the results table."""

    figure: str
    samples: list[float]
    unit: str
    target: str = ""
    note: str = ""

    def cells(self) -> list[str]:
        if not self.samples:
            return [self.figure, "not measured", "", self.unit, self.target, self.note]
        med = statistics.median(self.samples)
        spread = f"{min(self.samples):.3g}-{max(self.samples):.3g}" if len(self.samples) > 1 else ""
        return [self.figure, f"{med:.3g}", spread, self.unit, self.target, self.note]


def timed(fn: Callable[[], object], runs: int, setup: Callable[[], object] | None = None) -> list[float]:
    """Seconds per run of fn (setup not timed)."""
    out = []
    for _ in range(runs):
        if setup:
            setup()
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def ten_year_source() -> DemoSource:
    """The demo source with ten years of history up to NOW (the first import takes all of it)."""
    return DemoSource(7, lambda: NOW + timedelta(days=8), history=TEN_YEARS)


def ten_year_store(path: Path) -> SQLiteStore:
    """A SQLite store holding ten years of demo data."""
    store = SQLiteStore(path)
    clock = lambda: NOW + timedelta(days=8)  # noqa: E731
    run_sync(store, [ten_year_source()], now=clock)
    return store


def table(rows: list[Row]) -> str:
    """Markdown table."""
    head = ["figure", "median", "range", "unit", "target", "note"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r.cells()) + " |" for r in rows]
    return "\n".join(lines)
