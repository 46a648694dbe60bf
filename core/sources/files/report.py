"""What an import did, in one unit: rows (then the sets a training log's rows gave), and what went wrong."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

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

    def count_row(self, new: int, already: int) -> None:
        """A readable row whose records were `new` and `already` stored (a row with one new record is stored)."""
        if new:
            self.rows_stored += 1
        else:
            self.rows_already += 1
        self.records_new, self.records_already = self.records_new + new, self.records_already + already

    def line(self) -> str:
        """The one-line summary: rows read = stored + already stored + not readable (+ skipped), then sets."""
        text = (f"{self.name}: {self.format}, {self.rows_read} rows read = {self.rows_stored} stored + "
                f"{self.rows_already} already stored + {self.rows_quarantined} not readable")
        if self.rows_skipped:
            text += f" + {self.rows_skipped} skipped (not runs)"
        if self.format == "training log":
            text += f"; they gave {self.records_new} new sets ({self.records_already} already stored)"
        return text

    def problem(self) -> str | None:
        """When nothing was stored and rows were refused: what went wrong most often, and what to do."""
        if self.rows_stored or self.rows_already or not self.rows_quarantined:
            return None
        reasons = Counter(q["reason"].split(" ")[0].lower() for q in self.quarantine)
        word, _ = reasons.most_common(1)[0]
        example = next(q for q in self.quarantine if q["reason"].lower().startswith(word))
        advice = ADVICE.get(word, "Fix the rows listed below, or check that this is the right file.")
        return (f"Nothing was stored: all {self.rows_quarantined} rows were refused, e.g. row {example['row']}: "
                f"{example['reason']}. {advice}")
