"""What an import did, in one unit: rows (then the sets a training log's rows gave), activity files, what went wrong."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from core.sources.rows import RowTally

# The setting or format to use when every row was refused for the same kind of reason.
ADVICE = {
    "date": "Choose the date order (--date-order MDY or DMY, the uploader's date order, [sheets] date_order) or "
            "write dates like 2026-03-02.",
    "unit": "Write kg or lb in the unit column, or choose the unit (--unit, the uploader's unit, [sheets] unit).",
    "load": "Loads are read in the chosen unit: a log in pounds needs --unit lb (or the uploader's unit).",
    "weight": "Masses are read in the chosen unit: a file in pounds needs --unit lb (or the uploader's unit).",
}


@dataclass
class ImportReport(RowTally):
    """Counts per row and per record, quarantined rows, notes on how the file was read."""

    name: str = ""
    format: str = ""
    rows_stored: int = 0
    rows_already: int = 0
    records_new: int = 0
    records_already: int = 0
    files_total: int = 0  # activity files found (those of runs, for a Strava export)
    files_stored: int = 0
    files_already: int = 0
    files_skipped: int = 0  # files alone of another sport (a ride)
    unreadable: list[dict] = field(default_factory=list)  # {"file", "reason"} of every file that was not read

    def count_files(self, stored: int, already: int, with_rows: bool) -> None:
        """Activity files stored and already stored; their CSV rows (when they have them) counted with them."""
        self.files_stored, self.files_already = self.files_stored + stored, self.files_already + already
        if with_rows:
            self.rows_stored, self.rows_already = self.rows_stored + stored, self.rows_already + already
        self.records_new, self.records_already = self.records_new + stored, self.records_already + already

    def unreadable_file(self, name: str, reason: str) -> None:
        """A file that could not be read, listed with why (every one: a person looks for theirs)."""
        self.unreadable.append({"file": name, "reason": reason})

    def count_row(self, new: int, already: int) -> None:
        """A readable row whose records were `new` and `already` stored (a row with one new record is stored)."""
        if new:
            self.rows_stored += 1
        else:
            self.rows_already += 1
        self.records_new, self.records_already = self.records_new + new, self.records_already + already

    def line(self) -> str:
        """The one-line summary: rows read = stored + already stored + not readable (+ skipped), then sets or files."""
        text = f"{self.name}: {self.format}"
        if self.rows_read or not self.files_total:
            text += (f", {self.rows_read} rows read = {self.rows_stored} stored + {self.rows_already} already stored + "
                     f"{self.rows_quarantined} not readable")
        if self.rows_skipped:
            text += f" + {self.rows_skipped} skipped (not runs)"
        if self.format == "training log":
            text += f"; they gave {self.records_new} new sets ({self.records_already} already stored)"
        if self.files_total:
            files = f"{self.files_total} activity file{'s' if self.files_total != 1 else ''}"
            text += (f"; {files} = {self.files_stored} stored + {self.files_already} already stored + "
                     f"{len(self.unreadable)} not readable")
            text += f" + {self.files_skipped} skipped (not runs)" if self.files_skipped else ""
        return text

    def problem(self) -> str | None:
        """When nothing was stored and rows were refused: what went wrong most often, and what to do."""
        if self.files_total and not (self.files_stored or self.files_already or self.rows_stored or self.rows_already):
            return (f"Nothing was stored: none of the {self.files_total} activity files could be read "
                    f"(e.g. {self.unreadable[0]['file']}: {self.unreadable[0]['reason']})." if self.unreadable
                    else None)
        if self.rows_stored or self.rows_already or not self.rows_quarantined:
            return None
        reasons = Counter(q["reason"].split(" ")[0].lower() for q in self.quarantine)
        word, _ = reasons.most_common(1)[0]
        example = next(q for q in self.quarantine if q["reason"].lower().startswith(word))
        advice = ADVICE.get(word, "Fix the rows listed below, or check that this is the right file.")
        return (f"Nothing was stored: all {self.rows_quarantined} rows were refused, e.g. row {example['row']}: "
                f"{example['reason']}. {advice}")
