"""The training log's rows -> set records (pure). Every row is stored or quarantined with a reason.

Columns are found by alias (several languages; configurable), a unit may follow in the header
("Load (lb)") or sit in a `unit` column per row. Numbers accept comma decimals ("72,3"), dates the
formats of `dates.py`; every value is checked against its range (`core.plausible`). A `sets` column
(a count) expands into that many sets; a `set` column numbers one set per row; RPE and RIR are kept
when the log has them. Text beyond the header's last column (an unquoted comma in a comment) is
added to the notes when notes are the last column, else the row is quarantined. Blank rows are
ignored; a row equal to an earlier one on everything it holds is quarantined as a probable
copy-paste duplicate.

Keys are content keys ("log:<hash>" of date, exercise, set number, reps, load and notes), the same
for the sheet and a CSV of the same rows. RPE and RIR are not part of the key, so a store filled
before they were read gets them as updates, not as a second copy of every set; two sets that differ
only there (or in a column the log does not map) get the next key, "log:<hash>~2".
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from core.plausible import check, check_date, finite
from core.records import SET, Record, day_start_utc
from core.sources.rows import Duplicates, RowTally, each_row
from core.sources.sheets.columns import UNITS, map_columns
from core.sources.sheets.dates import parse_date

__all__ = ["LogFormat", "Parsed", "log_rows", "map_columns", "parse_date", "parse_number", "parse_rows"]

DUPLICATE = "same as row {row} (a duplicate? to log it twice, use the sets column)"


@dataclass(frozen=True)
class LogFormat:
    """How the training log is written ([sheets] unit, date_order, aliases): the sheet and a CSV share it."""

    unit: str = "kg"
    month_first: bool = False
    aliases: dict[str, list[str]] | None = None


@dataclass
class Parsed(RowTally):
    """Records of every readable row, plus the tally (read = stored + quarantined)."""

    records: list[Record] = field(default_factory=list)
    rows_stored: int = 0


def parse_number(text: str, what: str) -> float:
    """'72,3' -> 72.3, '1 000,5' -> 1000.5; an error names the column and the text."""
    value = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in value and "." in value:  # thousands separators: whichever comes last is the decimal mark
        comma_decimal = value.rfind(",") > value.rfind(".")
        value = value.replace(".", "").replace(",", ".") if comma_decimal else value.replace(",", "")
    else:
        value = value.replace(",", ".")
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{what} {text.strip()!r} is not a number") from None
    return finite(number, what, repr(text.strip()))


class LogReader:
    """One log's data rows -> set records: columns from the header, unit, dates, duplicates and keys."""

    kinds = (SET,)

    def __init__(self, header: list[str], source: str, fmt: LogFormat, tally: RowTally,
                 latest: date | None = None, joiner: str = ",") -> None:
        header = [str(c) for c in header]
        self.columns, header_unit, warnings = map_columns(header, fmt.aliases)
        tally.warnings += warnings
        self.width = max(i for i, h in enumerate(header) if h.strip()) + 1  # blank trailing headers: no column
        self.others = [i for i, h in enumerate(header[:self.width]) if h.strip() and i not in self.columns.values()]
        self.source, self.fmt, self.tally, self.latest, self.joiner = source, fmt, tally, latest, joiner
        self.unit, self.unit_named = header_unit or fmt.unit, header_unit is not None
        self.duplicates, self.taken, self.again = Duplicates(DUPLICATE), set(), {}  # keys' hashes given once, more

    def __call__(self, number: int, raw: list[str]) -> list[Record]:
        cells = self._fit(number, [str(c) for c in raw])
        row = self._row(cells)
        unmapped = tuple(cells[i].strip() for i in self.others)
        self.duplicates.check(row + unmapped, number)
        return self._records(row)

    def _fit(self, number: int, cells: list[str]) -> list[str]:
        """Pad a short row; text beyond the last column joins the notes, or the row is refused."""
        extra = cells[self.width:]
        while extra and not extra[-1].strip():
            extra.pop()  # trailing empty fields ("a,b,c,,,") carry nothing
        cells = cells[:self.width] + [""] * (self.width - len(cells))
        if not extra:
            return cells
        if self.columns.get("notes") != self.width - 1:
            raise ValueError(f"{self.width + len(extra)} fields but the header has {self.width} columns (an "
                             "unquoted separator in a text?): put that text in quotes, or make notes the last column")
        cells[-1] = self.joiner.join([cells[-1], *extra])
        self.tally.note("rows with more fields than the header (an unquoted comma in a comment?) keep the extra "
                        "text in their notes")
        return cells

    def _cell(self, cells: list[str], name: str) -> str:
        return cells[self.columns[name]].strip() if name in self.columns else ""

    def _row(self, cells: list[str]) -> tuple:
        day = check_date(parse_date(self._cell(cells, "date"), self.fmt.month_first), self.latest)
        exercise = " ".join(self._cell(cells, "exercise").split())
        if not exercise:
            raise ValueError("the exercise is empty")
        reps = int(check("reps", parse_number(self._cell(cells, "reps"), "reps")))
        sets_text, set_text = self._cell(cells, "sets"), self._cell(cells, "set")
        sets = int(check("sets", parse_number(sets_text, "sets"))) if sets_text else 1
        set_no = int(check("sets", parse_number(set_text, "set"), "set")) if set_text else None
        load = round(check("load_kg", self._load(cells), "load"), 3)
        effort = [self._effort(cells, name) for name in ("rpe", "rir")]
        return (day, exercise, sets, set_no, reps, load, self._cell(cells, "notes"), *effort)

    def _load(self, cells: list[str]) -> float:
        text = self._cell(cells, "load")
        match = re.fullmatch(r"(.*?)\s*(kg|kgs|lb|lbs)?", text.lower())
        unit = (self._cell(cells, "unit").lower() or match.group(2) or "").strip()
        if not unit and match.group(1) and not self.unit_named:
            self.tally.note(f"the file names no unit: loads were read as {self.unit} (choose the unit on import: "
                            "--unit, the uploader's unit, or [sheets] unit)")
        unit = unit or self.unit
        if unit not in UNITS:
            raise ValueError(f"unit {unit!r} unknown (use kg or lb)")
        return parse_number(match.group(1), "load") * UNITS[unit] if match.group(1) else 0.0

    def _effort(self, cells: list[str], name: str) -> float | None:
        text = self._cell(cells, name).lstrip("@")  # "@8": how RPE is often written
        return check(name, parse_number(text, name.upper()), name.upper()) if text else None

    def _records(self, row: tuple) -> list[Record]:
        day, exercise, sets, set_no, reps, load, notes, rpe, rir = row
        effort = {k: v for k, v in (("rpe", rpe), ("rir", rir)) if v is not None}  # absent: as before RPE was read
        raw = {"row": list(map(str, row[:7])), **effort}
        out = []
        for n in [set_no] if set_no is not None else range(1, sets + 1):
            content = f"{day}|{exercise.lower()}|{n}|{reps}|{load:.3f}|{notes}"
            key = "log:" + hashlib.sha256(content.encode()).hexdigest()[:20]
            seen = self._seen(hash(key))
            fields = {"session_date": day.isoformat(), "exercise": exercise, "set_number": n, "reps": reps,
                      "load_kg": load, "notes": notes, **effort}
            out.append(Record(SET, self.source, key if seen == 1 else f"{key}~{seen}", day_start_utc(day), fields,
                              raw))
        return out


    def _seen(self, key_hash: int) -> int:
        """How many records so far had this key (a set for the first, a small dict for the rare repeats)."""
        if key_hash not in self.taken:
            self.taken.add(key_hash)
            return 1
        seen = self.again[key_hash] = self.again.get(key_hash, 1) + 1
        return seen


def log_rows(rows: Iterable[list[str] | str], source: str, fmt: LogFormat, tally: RowTally,
             latest: date | None = None, joiner: str = ",") -> Iterator[tuple[int, list[Record]]]:
    """(row number, set records) per readable row of a header row then data rows (streamed)."""
    iterator = iter(rows)
    header = next(iterator, None)
    if header is None:
        return
    yield from each_row(iterator, tally, LogReader(header, source, fmt, tally, latest, joiner))


def parse_rows(rows: list[list[str]], source: str, default_unit: str = "kg", month_first: bool = False,
               aliases: dict[str, list[str]] | None = None, latest: date | None = None) -> Parsed:
    """Every row at once (the sheet); row numbers in messages are the sheet's (header = row 1)."""
    out = Parsed()
    for _, records in log_rows(rows, source, LogFormat(default_unit, month_first, aliases), out, latest, ", "):
        out.records += records
        out.rows_stored += 1
    return out
