"""Command-line edges: build settings, store and sources from the environment, then call core."""

from __future__ import annotations

import argparse
import logging
import os
from datetime import UTC, datetime

from core.config import load_settings
from core.errors import FitDashError, SyncBusy
from core.sources import build_sources, unsupported_sources
from core.store import open_store
from core.sync import run_sync


def utc_now() -> datetime:
    """The wall clock, the only one core code is given outside tests."""
    return datetime.now(UTC)


def run_cli_sync(argv: list[str]) -> int:
    """`python -m core.sync`: one line per source; 0 ok, 1 a source failed, 2 busy or misconfigured."""
    parser = argparse.ArgumentParser(prog="python -m core.sync", description="Sync every configured source.")
    parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings(os.environ)
        store = open_store(settings)
        sources = build_sources(settings, store, utc_now)
        report = run_sync(store, sources, now=utc_now)
    except SyncBusy as exc:
        print(f"{exc} - {exc.action}")
        return 2
    except FitDashError as exc:
        print(f"error: {exc} - {exc.action}")
        return 2
    for line in (r.line() for r in report.sources):
        print(line)
    for name in unsupported_sources(settings):
        print(f"{name}: configured but not supported by this version - skipped")
    return 0 if report.ok else 1
