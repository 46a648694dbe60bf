"""`python -m core.sync [import PATH [--unit --date-order --timezone] | export PATH | unlock [--yes]]`.

`import` takes a file (an export, a CSV, a FIT / GPX / TCX file) or a folder of activity files, and prints a
progress line every PROGRESS_EVERY activity files.

Without a command: sync every configured source into the configured store. Exit 0 ok; 1 a source failed
(an import: nothing stored, every row refused; unlock declined); 2 busy, misconfigured, a bad file or a
damaged or unavailable store.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from core import lease
from core.clock import utc_now
from core.config import load_settings
from core.console import ERROR_EXIT, confirm, failed
from core.errors import FitDashError, SyncBusy
from core.export import export_zip
from core.sources import DEMO_STOPPED, build_sources, unsupported_sources
from core.sources.files import ImportReport, import_file, import_folder
from core.sources.files.options import DATE_ORDERS, import_options
from core.store import open_store
from core.sync import run_sync

PROGRESS_EVERY = 50  # activity files between progress lines: a line every few seconds on a 1,500-file export
WORKERS = min(2, os.cpu_count() or 1)  # parsing processes: FIT decoding is CPU-bound, the machine of record has 2


def parser() -> argparse.ArgumentParser:
    """The command line: no command syncs; import, export and unlock are the others."""
    parser = argparse.ArgumentParser(prog="python -m core.sync", description="Sync every configured source.")
    sub = parser.add_subparsers(dest="command")
    imports = sub.add_parser("import", help="import a Strava / Withings export, a training-log CSV, an export, or "
                                            "activity files (a FIT / GPX / TCX file, or a folder of them)")
    imports.add_argument("path")
    imports.add_argument("--unit", choices=("kg", "lb"), help="unit of loads and masses the file does not name "
                                                              "(default: [sheets] unit, else kg)")
    imports.add_argument("--date-order", choices=DATE_ORDERS, help="02/03/2026 is 2 March (DMY) or 3 February "
                                                                   "(MDY) (default: [sheets] date_order, else DMY)")
    imports.add_argument("--timezone", help="time zone of the file's local times, e.g. Europe/Paris "
                                            "(default: [app] timezone)")
    sub.add_parser("export", help="write everything stored as a ZIP of CSVs").add_argument("path")
    sub.add_parser("unlock", help="free the sync lease left by a killed sync or import (admin)").add_argument(
        "--yes", action="store_true", help="do not ask for confirmation")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command the arguments name (sync when none)."""
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    lease.exit_on_sigterm()  # a SIGTERM (a host stopping the job) gives the lease back on the way out
    if args.command == "unlock":
        return unlock(args.yes)
    if args.command == "export":
        return export(Path(args.path))
    if args.command == "import":
        return import_one(Path(args.path), args.unit, args.date_order, args.timezone)
    return sync_all()


def sync_all() -> int:
    """Sync every configured source; 1 when one of them failed."""
    try:
        settings = load_settings(os.environ)
        store = open_store(settings)
        sources = build_sources(settings, store, utc_now)
        report = run_sync(store, sources, now=utc_now, api_retention_days=settings.api_retention_days)
    except SyncBusy as exc:
        print(f"{exc} - {exc.action}")
        return ERROR_EXIT
    except FitDashError as exc:
        return failed(exc)
    for line in (r.line() for r in report.sources):
        print(line)
    if report.expired:
        print(f"strava: {report.expired} API-only runs expired ([strava] api_retention_days = "
              f"{settings.api_retention_days:g})")
    for name in unsupported_sources(settings):
        print(f"{name}: configured but not supported by this version - skipped")
    if settings.demo and "demo" not in {s.name for s in sources}:
        print(f"demo: not synced - {DEMO_STOPPED}")
    return 0 if report.ok else 1


def export(path: Path) -> int:
    """Export everything from the configured store."""
    try:
        store = open_store(load_settings(os.environ))
        path.write_bytes(export_zip(store))
    except FitDashError as exc:
        return failed(exc)
    print(f"exported {sum(store.counts().values())} records to {path}")
    return 0


def import_one(path: Path, unit: str | None, date_order: str | None, timezone: str | None) -> int:
    """Import one file into the configured store; 1 when every row was refused."""
    try:
        settings = load_settings(os.environ)
        options = import_options(settings, unit, date_order, timezone)
        store = open_store(settings)
        if path.is_dir():
            report = import_folder(store, path, options.timezone, log_format=options.log_format,
                                   limits=options.limits, now=utc_now, progress=progress_lines(), workers=WORKERS)
        elif not path.is_file():
            print(f"error: {path} is not a file or a folder")
            return ERROR_EXIT
        else:
            report = import_file(store, path, path.name, options.timezone, log_format=options.log_format,
                                 limits=options.limits, now=utc_now, progress=progress_lines(), workers=WORKERS)
    except FitDashError as exc:
        return failed(exc)
    print_report(report)
    problem = report.problem()
    if problem:
        print(f"error: {problem}")
    return 1 if problem else 0


def progress_lines(every: int = PROGRESS_EVERY):
    """A progress callback printing `N of M activity files` every `every` files and at the last one."""
    def say(done: int, total: int) -> None:
        if done and (done % every == 0 or done == total):
            print(f"  {done} of {total} activity files", flush=True)
    return say


def print_report(report: ImportReport, shown: int = 50) -> None:
    """The report line, how the file was read, warnings, every unreadable activity file and the first quarantined
    rows."""
    print(report.line())
    for text in report.notes + report.warnings:
        print(f"  note: {text}")
    for item in report.unreadable:
        print(f"  file {item['file']}: {item['reason']}")
    for row in report.quarantine[:shown]:
        print(f"  row {row['row']}: {row['reason']}")
    if report.rows_quarantined > shown:
        print(f"  ... and {report.rows_quarantined - shown} more rows not readable")


def unlock(yes: bool) -> int:
    """Free the sync lease after showing whose it is and asking (unless --yes)."""
    try:
        store = open_store(load_settings(os.environ))
        return lease.unlock(store, utc_now(), (lambda _q: True) if yes else confirm, print)
    except FitDashError as exc:
        return failed(exc)


if __name__ == "__main__":
    sys.exit(main())
