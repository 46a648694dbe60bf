"""Several files uploaded at once: a watch's activity files, or the files of a Strava export's `activities/` picked
with its activities.csv (a person without the whole ZIP, or with one too large to upload in one piece).

One file is imported as any file is (core.sources.files.import_file). Several must all be activity files (FIT,
GPX, TCX, gzipped or not), plus at most Strava's activities.csv: the CSV is then joined to them by its
`Filename` column (`activities/<name>`), exactly as the ZIP's would be. Any other mix is refused before anything
is read, with what to do. Together they are held to [imports] max_upload_mb, as one upload is; an import in
several parts is safe, since files already imported are skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from core.clock import utc_now
from core.errors import BadInput
from core.sources.files import DEFAULT_LIMITS, DEFAULT_LOG, import_file
from core.sources.files.activity_entries import Entry, is_activity_name
from core.sources.files.activity_import import Progress
from core.sources.files.bulk import ActivityFiles, import_alone
from core.sources.files.limits import Limits
from core.sources.files.opening import STRAVA
from core.sources.files.report import ImportReport
from core.sources.sheets.parse import LogFormat
from core.store.base import Store

MIXED = ("Upload several activity files (FIT, GPX, TCX) at once, with Strava's activities.csv if you have it; "
         "import any other file on its own, or a whole export as its ZIP.")


def import_uploads(store: Store, uploads: Sequence[tuple[str, bytes]], timezone: str = "UTC", *,
                   log_format: LogFormat = DEFAULT_LOG, limits: Limits = DEFAULT_LIMITS,
                   now: Callable[[], datetime] = utc_now, progress: Progress | None = None) -> ImportReport:
    """Import the uploaded (name, content) pairs: one as a file import, several as activity files (joined to
    Strava's activities.csv when it is among them)."""
    if not uploads:
        raise BadInput("the upload", "holds no file", action="Choose a file to import.")
    if len(uploads) == 1:
        name, content = uploads[0]
        limits.check_upload(len(content), name)
        return import_file(store, content, name, timezone, log_format=log_format, limits=limits, now=now,
                           progress=progress)
    others = [name for name, _ in uploads if not is_activity_name(name)]
    where = f"{len(uploads)} files"
    if len(others) > 1 or (others and others[0].lower() != STRAVA):
        raise BadInput(where, f"{', '.join(others[:3])}{' ...' if len(others) > 3 else ''} cannot be imported "
                              "together with other files", action=MIXED)
    limits.check_upload(sum(len(content) for _, content in uploads), where)
    prefix = "activities/" if others else ""  # how Strava's CSV names its files
    entries = [Entry(prefix + name, (lambda c=content: c)) for name, content in uploads if is_activity_name(name)]
    if not others:  # two files of one name (from two folders) are both imported: their runs have their own keys
        return import_alone(store, entries, ImportReport(name=f"{len(entries)} activity files"), timezone, now=now,
                            progress=progress)
    csv = next(content for name, content in uploads if name == others[0])
    return import_file(store, csv, others[0], timezone, log_format=log_format, limits=limits, now=now,
                       progress=progress, files=ActivityFiles({e.name: e for e in entries}, with_csv=True))
