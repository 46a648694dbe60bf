"""The wall clock: the only one core code is given outside tests (everything else takes `now` as a parameter)."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)
