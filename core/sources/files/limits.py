"""[imports] limits: how large a file may be, uploaded or decompressed, and how far a ZIP may expand.

A file beyond a limit is refused when the limit is crossed (a ZIP member is counted as it is
decompressed: its header's sizes may lie), with a message naming the limit and the setting that
raises it. The defaults are well above real exports (20 years of a training log is ~3 MB, of
weigh-ins ~2 MB; Strava's activities.csv has roughly 1 KB per activity), so they only stop wrong
files and ZIP bombs, and a file just under them stays under 300 MB of memory (a 25 MB log of narrow
rows is 560,000 rows, whose duplicate checks are the memory): the figures are in bench/RESULTS.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.errors import BadInput, ConfigError

MB = 1_000_000
RATIO_FLOOR = 10 * MB  # a member is ratio-checked from 10 MB on: small repetitive CSVs compress very well
DEFAULTS = {"max_upload_mb": 100.0, "max_csv_mb": 25.0, "max_zip_ratio": 100.0}


@dataclass(frozen=True)
class Limits:
    """The largest upload (MB), CSV or ZIP member once decompressed (MB) and ZIP compression ratio."""

    max_upload_mb: float = DEFAULTS["max_upload_mb"]
    max_csv_mb: float = DEFAULTS["max_csv_mb"]
    max_zip_ratio: float = DEFAULTS["max_zip_ratio"]

    def check_upload(self, size: int, name: str) -> None:
        """BadInput when an uploaded file is larger than max_upload_mb."""
        if size > self.max_upload_mb * MB:
            raise BadInput(name, f"{size / MB:.0f} MB is more than the {self.max_upload_mb:g} MB an upload may be",
                           action="Import a large file with `python -m core.sync import PATH` (a Strava export: "
                                  "upload just its activities.csv), or raise [imports] max_upload_mb and "
                                  "server.maxUploadSize in .streamlit/config.toml.")

    def check_read(self, size: int, compressed: int | None, name: str) -> None:
        """BadInput once a CSV (or a ZIP member, decompressed) passes max_csv_mb or max_zip_ratio."""
        if size > self.max_csv_mb * MB:
            grown = "expands to" if compressed is not None else "is"
            raise BadInput(name, f"{grown} more than {self.max_csv_mb:g} MB, the largest CSV an import reads",
                           action="If the file is genuine, raise [imports] max_csv_mb (FITDASH_IMPORTS_MAX_CSV_MB).")
        if compressed is not None and size > RATIO_FLOOR and size > self.max_zip_ratio * max(compressed, 1):
            raise BadInput(name, f"expands more than {self.max_zip_ratio:g} times its compressed size "
                                 f"({compressed / MB:.1f} MB): a ZIP bomb?",
                           action="If the file is genuine, raise [imports] max_zip_ratio "
                                  "(FITDASH_IMPORTS_MAX_ZIP_RATIO).")


def limits_from(section: Mapping[str, Any]) -> Limits:
    """Limits from the [imports] section; ConfigError naming a value that is not a positive number."""
    values = {}
    for key, default in DEFAULTS.items():
        try:
            values[key] = float(section.get(key, default))
        except (TypeError, ValueError):
            values[key] = -1.0
        if values[key] <= 0:
            raise ConfigError(f"[imports] {key} must be a positive number, not {section.get(key)!r}")
    return Limits(**values)
