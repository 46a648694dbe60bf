"""`python -m bench`: generate 10 years of data, measure, print the table, write bench/RESULTS.md.

`python -m bench imports [--base PATH]` runs only the file-import rows (bench/imports.py) and rewrites
only their section of bench/RESULTS.md; `python -m bench run_page` the same for the run page, best efforts
and heatmap on ten years of streams (bench/run_page.py).
"""

from __future__ import annotations

import platform
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from bench.common import NOW, Row, table, ten_year_source, ten_year_store, timed

OUT = Path(__file__).resolve().parent / "RESULTS.md"


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next(int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    return f"{platform.node()}: {cpu}, {len(__import__('os').sched_getaffinity(0))} cores, {mem} GiB, Python " \
           f"{platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["imports"]:
        from bench import imports

        return imports.main(argv[1:], OUT, _commit())
    if argv[:1] == ["run_page"]:
        from bench import run_page

        return run_page.main(OUT, _commit())
    from bench import activity_files, app, browser, bulk_import, imports, load, sources, storage
    from core.config import build_settings
    from core.forecast.training import train_and_save

    started = time.time()
    records = list(ten_year_source().fetch(None))
    counts = pd.Series([r.kind for r in records]).value_counts().to_dict()
    rows: list[Row] = []
    rows += sources.source_rows()
    rows += storage.sqlite_rows(records)
    rows += storage.dynamodb_rows(records)
    db = Path(tempfile.mkdtemp()) / "ten_years.db"
    store = ten_year_store(db)
    key = secrets.token_hex(32)
    settings = build_settings({"model": {"hmac_key": key}}, {})
    train = timed(lambda: train_and_save(store, settings, pd.Timestamp(NOW).tz_localize(None)), 3)
    rows.append(Row("forecast training on 10 years of weeks", train, "s", "< 2 s"))
    rows += load.load_rows(store, key)
    rows += activity_files.activity_rows()
    rows += bulk_import.import_rows()
    rows += app.page_rows(db, key)
    try:
        rows += browser.browser_rows(db, key)
    except Exception as exc:
        rows.append(Row("browser figures", [], "", "", f"not measured: {type(exc).__name__}: {exc}"[:200]))
    text = (f"# Benchmark results\n\nMachine: {machine()}  \nDate: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC  \n"
            f"Data: 10 years of demo data: {counts.get('body', 0)} weigh-ins, {counts.get('run', 0)} runs, "
            f"{counts.get('set', 0)} training sets.  \nCommit: {_commit()}  \n"
            f"Median and range over the repeated runs shown; the whole bench took {time.time() - started:.0f} s.\n\n"
            + table(rows) + "\n")
    OUT.write_text(text)
    imports.write_section(OUT, imports.section(imports.import_rows(), _commit()))
    from bench import run_page

    run_page.write_section(OUT, run_page.section(run_page.run_page_rows(), _commit()))
    print(OUT.read_text())
    return 0


def _commit() -> str:
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return out.stdout.strip() or "unknown"


if __name__ == "__main__":
    sys.exit(main())
