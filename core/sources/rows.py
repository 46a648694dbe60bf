"""Row bookkeeping shared by every parser of rows (the sheet, the CSV log, Strava's and Withings' exports).

Each data row is counted once: read rows = rows that gave records + rows quarantined with a reason
+ rows skipped on purpose (a ride in Strava's export). Blank rows are not counted. A row equal to an
earlier one on everything the file holds is quarantined as "same as row N", never dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from core.records import Record

QUARANTINE_KEPT = 1000  # rows listed with their reason; beyond that only counted (a wrong file lists every row)


class Unreadable(str):
    """A row the CSV reader could not split (e.g. a field beyond the size limit): its reason."""


@dataclass
class RowTally:
    """Counts of one read, its quarantined rows, warnings about the columns and notes on how it was read."""

    quarantine: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_quarantined: int = 0
    rows_skipped: int = 0

    def refuse(self, number: int, reason: str) -> None:
        """Quarantine row `number` with its reason (listed up to QUARANTINE_KEPT rows)."""
        self.rows_quarantined += 1
        if len(self.quarantine) < QUARANTINE_KEPT:
            self.quarantine.append({"row": number, "reason": reason})

    def note(self, text: str) -> None:
        """A fact about how the file was read (a unit assumed, a time zone), said once."""
        if text not in self.notes:
            self.notes.append(text)


class Duplicates:
    """Rows seen so far by content (or by key): a later equal one is named with the first one's number."""

    def __init__(self, message: str = "same as row {row} (a duplicate?)") -> None:
        self.message = message
        self.first: dict[int, int] = {}  # hash of the content -> its row number (small: no copies of rows)

    def check(self, content: tuple, number: int) -> None:
        """ValueError naming the earlier row when one held the same content."""
        earlier = self.first.setdefault(hash(content), number)
        if earlier != number:
            raise ValueError(self.message.format(row=earlier))


def each_row(rows: Iterable[list[str] | str], tally: RowTally, read: Callable[[int, list[str]], list[Record]],
             start: int = 2) -> Iterator[tuple[int, list[Record]]]:
    """(row number, records) of every row that gave records; the first data row is `start` (header: row 1)."""
    for number, cells in enumerate(rows, start=start):
        if isinstance(cells, Unreadable):
            tally.rows_read += 1
            tally.refuse(number, str(cells))
            continue
        if not any(str(c).strip() for c in cells):
            continue
        tally.rows_read += 1
        try:
            records = read(number, cells)
        except ValueError as exc:
            tally.refuse(number, str(exc))
            continue
        if not records:
            tally.rows_skipped += 1
            continue
        yield number, records
