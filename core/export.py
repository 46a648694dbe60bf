"""Everything stored, as a ZIP of one CSV per kind (SI units, one row per record): the person's own copy."""

from __future__ import annotations

import io
import zipfile

from core.records import KINDS
from core.store.base import Store

FILE_NAMES = {"body": "body_measurements.csv", "run": "runs.csv", "set": "training_sets.csv"}


def export_zip(store: Store) -> bytes:
    """The ZIP's bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind in KINDS:
            archive.writestr(FILE_NAMES[kind], store.read(kind).to_csv(index=False))
    return buffer.getvalue()
