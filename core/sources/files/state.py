"""An import is fresh data: it leaves a sync state under the name `import` that the freshness caption reads.

The state never touches an API source's own state (its watermark and errors stay as its syncs left
them) and carries no watermark, so the store check never expects records under the name `import`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from core.store.base import IMPORT_STATE, SyncState


def import_state(name: str, fmt: str, new: int, already: int, when: datetime, quarantine: Sequence[dict] = (),
                 quarantined: int = 0, warnings: Sequence[str] = ()) -> SyncState:
    """The state an import of `name` leaves: when it succeeded, what it was, what it added and which rows it
    could not read (kept, up to QUARANTINE_KEPT, so the Data page lists them until the next import)."""
    return SyncState(IMPORT_STATE, last_attempt=when, last_success=when,
                     counts={"inserted": new, "updated": 0, "unchanged": already, "deleted": 0},
                     details={"file": name, "format": fmt, "quarantine": list(quarantine),
                              "rows_quarantined": quarantined, "warnings": list(warnings)})
