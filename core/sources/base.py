"""What every source looks like to the sync core.

A source has a `name`, the record kinds it produces, an `overlap` window re-read behind its
watermark (late uploads, edits), and `fetch(since)`, a generator of Records newer than `since`
(None: everything). `ascending=True` promises records come in time order, which lets the sync
move the watermark after every stored chunk, so an interrupted first import resumes where it
stopped. A mirror source (`mirror=True`) is always asked for everything (since=None); keys it no
longer returns are deleted from the store (never when it returns nothing, nor after a failure).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Protocol

from core.records import Record


class Source(Protocol):
    """The common shape of Withings, Strava, the sheet, file imports and the demo."""

    name: str
    kinds: tuple[str, ...]
    overlap: timedelta
    ascending: bool
    mirror: bool

    def fetch(self, since: datetime | None) -> Iterator[Record]:
        """Records newer than `since` (everything when None)."""
