"""Strava bulk exports and activity files for the import tests, made with the fixtures' writers (Garmin's FIT
encoder, gpxpy, ElementTree): short runs (a sample every 10 s) so that a test imports a few in well under a second."""

from __future__ import annotations

import gzip
import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from tests.fixtures.make_activity_files import fit_bytes, gpx_text, synthetic_run, tcx_text
from tests.fixtures.provider_fakes import STRAVA_HEADER

T = datetime(2026, 1, 10, 7, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Activity:
    """One activity of an export: its id, start, file name in activities/ (None: no file) and file bytes."""

    ident: int
    start: datetime
    filename: str | None
    data: bytes = b""
    sport: str = "Run"
    csv_distance_m: float = 5000.0
    csv_moving_s: float = 1500.0


@cache
def run_file(kind: str, start: datetime, seconds: int = 600, offset_h: float | None = 1.0) -> bytes:
    """A run's file: 'fit' (local time zone offset_h), 'fit.gz', 'gpx', 'gpx.gz', 'tcx' or 'tcx.gz'."""
    run = synthetic_run(start, seconds, step_s=10, pause_at_s=300, seed=int(start.timestamp()) % 97)
    base = kind.removesuffix(".gz")
    if base == "fit":
        data = fit_bytes(run, None if offset_h is None else timedelta(hours=offset_h))
    else:
        data = (gpx_text(run) if base == "gpx" else tcx_text(run, leading="\n\n")).encode()
    return gzip.compress(data, mtime=0) if kind.endswith(".gz") else data


def activities(kinds: list[str], start: datetime = T) -> list[Activity]:
    """One run a day per kind, with ids 7001, 7002, ... and files activities/<id>.<kind>."""
    out = []
    for i, kind in enumerate(kinds):
        when, ident = start + timedelta(days=i), 7001 + i
        out.append(Activity(ident, when, f"activities/{ident}.{kind}", run_file(kind, when)))
    return out


def csv_row(a: Activity) -> str:
    """The activity's row in Strava's activities.csv layout (dates in UTC, metres and seconds in the later columns)."""
    return (f'{a.ident},"{a.start:%b %d, %Y, %I:%M:%S %p}",Run {a.ident},{a.sport},,{a.csv_moving_s + 60:.0f},5.0,'
            f"178,40,false,,,{a.filename or ''},72,,{a.csv_moving_s + 60:.1f},{a.csv_moving_s:.1f},"
            f"{a.csv_distance_m:.1f},4.1,3.3,12.0,12.0,150.0")


def export_zip(items: list[Activity], extra: dict[str, bytes] | None = None) -> bytes:
    """Strava's bulk export: activities.csv and activities/ with each activity's file (and `extra` members)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("activities.csv", STRAVA_HEADER + "\n" + "\n".join(csv_row(a) for a in items) + "\n")
        for a in items:
            if a.filename and a.data:
                archive.writestr(a.filename, a.data)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()
