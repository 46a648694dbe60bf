"""Opening an import: a CSV, or the CSVs of a ZIP that the app knows, each checked before a row is parsed.

Every CSV is first read through once, streamed (`sniff.check_file`): the [imports] limits, the
encoding and, inside a ZIP, the CRC, so a damaged or oversized file stores nothing. A ZIP member is
read from the archive without extracting the rest (a Strava export's activity files are never read).
Rows are then streamed by `Table.rows`, never held as a list.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from core.errors import BadInput
from core.sources.files.limits import Limits
from core.sources.files.sniff import ENCODING_NAMES, bom_encoding, check_file, delimiter, head, zip_errors
from core.sources.rows import Unreadable

SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
STRAVA, WITHINGS = "activities.csv", "weight.csv"
BACKUP_MEMBERS = ("body_measurements.csv", "runs.csv", "training_sets.csv")  # core.export's file names
EMPTY = "Export the data again: this file has no content."


@dataclass
class Table:
    """One CSV: its name, encoding, separator, header and a way to stream its rows again."""

    name: str
    encoding: str
    delimiter: str
    opener: Callable[[], BinaryIO]
    header: list[str] = field(default_factory=list)

    def rows(self) -> Iterator[list[str] | Unreadable]:
        """Every row, the header first; a row the CSV reader cannot split comes as Unreadable(reason)."""
        with self.opener() as stream:
            reader = csv.reader(io.TextIOWrapper(stream, self.encoding, newline=""), delimiter=self.delimiter)
            while True:
                try:
                    yield next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield Unreadable(f"not readable as CSV: {exc}")

    def note(self) -> str | None:
        """How the file was read, when it is not UTF-8 with commas."""
        said = [f"read as {ENCODING_NAMES[self.encoding]}"] if ENCODING_NAMES[self.encoding] != "UTF-8" else []
        said += [f"separated by {SEPARATOR_NAMES[self.delimiter]}s"] if self.delimiter != "," else []
        return f"{self.name}: {', '.join(said)}" if said else None


def open_tables(source: bytes | Path, name: str, limits: Limits, stack: ExitStack) -> list[Table]:
    """The CSVs to import from a file (a ZIP stays open on `stack` while its rows are read)."""
    size = len(source) if isinstance(source, bytes) else source.stat().st_size
    opener = (lambda: io.BytesIO(source)) if isinstance(source, bytes) else (lambda: source.open("rb"))
    with opener() as stream:
        magic = stream.read(4)
    if not size or not magic:
        raise BadInput(name, "the file is empty", action=EMPTY)
    if not magic.startswith(b"PK"):
        limits.check_read(size, None, name)  # before reading: a CSV's size is its size
        return [sniff(name, opener, limits, None)]
    with zip_errors(name):
        archive = stack.enter_context(zipfile.ZipFile(stack.enter_context(opener())))
    return _members(archive, name, size, limits)


def _members(archive: zipfile.ZipFile, name: str, size: int, limits: Limits) -> list[Table]:
    """Strava's activities.csv, else Withings' weight.csv, else this app's export, else the ZIP's one CSV."""
    infos = {i.filename.rsplit("/", 1)[-1].lower(): i for i in archive.infolist() if not i.is_dir()}

    def table(member: str) -> Table:
        info = infos[member]
        opener = lambda: archive.open(info)  # noqa: E731
        return sniff(f"{name}/{info.filename}", opener, limits, min(info.compress_size, size))

    strava = table(STRAVA) if STRAVA in infos else None
    if strava and "activity id" in [h.strip().lower() for h in strava.header]:
        return [strava]  # Withings' export has an activities.csv too (steps): told apart by its header
    if WITHINGS in infos:
        return [table(WITHINGS)]
    if backup := [table(m) for m in BACKUP_MEMBERS if m in infos]:
        return backup
    csvs = [m for m in infos if m.endswith(".csv")]
    if len(csvs) == 1:
        return [table(csvs[0])]
    found = ", ".join(sorted(infos)[:6]) + (", ..." if len(infos) > 6 else "") or "nothing"
    raise BadInput(name, f"this ZIP holds no file the app imports (found: {found})",
                   action="Import Strava's export (activities.csv), Withings' (weight.csv), this app's export, or a "
                          "ZIP holding one training-log CSV.")


def sniff(name: str, opener: Callable[[], BinaryIO], limits: Limits, compressed: int | None) -> Table:
    """Check the whole CSV (limits, encoding, CRC), then find its separator and read its header."""
    start = head(name, opener)
    if not start.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise BadInput(name, "the file is empty", action=EMPTY)
    encoding = check_file(name, opener, limits, compressed, bom_encoding(name, start))
    first = (start.decode(encoding, errors="replace").lstrip("\ufeff").splitlines() or [""])[0]
    table = Table(name, encoding, delimiter(first), opener)
    table.header = next((r for r in table.rows() if not isinstance(r, Unreadable) and any(c.strip() for c in r)), [])
    if len(table.header) < 2:
        raise BadInput(name, f"the first line is one column ({first[:60]!r}): its separator is not a comma, "
                             "semicolon, tab or |", action="Save the file as CSV with one of those separators.")
    return table
