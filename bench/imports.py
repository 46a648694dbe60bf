"""File imports: peak memory of a huge CSV and a ZIP bomb, and the throughput of a 100,000-row training log.

Each import runs in a child process (a fresh interpreter), so its RSS high-water mark (VmHWM) is the
import's own, not the bench's. `python -m bench imports [--base PATH]` runs only these rows; with
`--base`, the same measurements run against another checkout (e.g. `git worktree add /tmp/base <commit>`)
for comparison, passing the file as bytes as that code expects.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from bench.common import Row, table

ROOT = Path(__file__).resolve().parent.parent
HEADER = "Date,Exercise,Set,Reps,Load,Notes\n"
EXERCISES = ("Back squat", "Front squat", "Deadlift", "Bench press", "Strict press", "Push press", "Clean",
             "Power clean", "Snatch", "Power snatch", "Thruster", "Clean and jerk", "Overhead squat",
             "Romanian deadlift", "Sumo deadlift", "Barbell row", "Weighted pull-up", "Weighted dip",
             "Hip thrust", "Lunge", "Good morning", "Split jerk", "Push jerk", "Kettlebell swing", "Goblet squat")
FIRST_DAY = date(2000, 1, 1)
BIG_CSV_MB = 200  # the huge upload
BOMB_GB = 1  # the ZIP bomb: about 3 MB that expands to 1 GB
THROUGHPUT_ROWS = 100_000
AT_LIMIT_MB = 24.9  # just under the default [imports] max_csv_mb: the largest log an import accepts
MEMORY_TARGET_MB = 300
ADDRESS_CAP = 8 << 30  # the child's address space: code that holds a decompressed GB fails (MemoryError), not the host

# The child: import one file into a fresh SQLite store and report time, peak RSS and the outcome.
CHILD = r"""
import json, sys, time
from pathlib import Path
from core.store.sqlite import SQLiteStore
try:
    from core.sources.files import import_file
except ImportError:  # a checkout from before the package's rename (--base)
    from core.sources.exports import import_file
mode, path, db = sys.argv[1:4]
store = SQLiteStore(db)
start = time.perf_counter()
try:
    if mode == "bytes":
        report = import_file(store, Path(path).read_bytes(), Path(path).name)
    else:
        report = import_file(store, Path(path), Path(path).name)
    outcome = report.line()
except Exception as exc:
    outcome = f"refused ({type(exc).__name__}): {exc}"
seconds = time.perf_counter() - start
hwm = next(int(l.split()[1]) for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmHWM:"))
print(json.dumps({"seconds": seconds, "hwm_mb": hwm / 1024, "outcome": outcome}))
"""


def log_lines(rows: int) -> Iterator[str]:
    """Distinct training-log rows: one set per line, 25 exercises x up to 30 sets a day from 2000 on."""
    for i in range(rows):
        day = FIRST_DAY + timedelta(days=(i // 750) % 9000)
        exercise, set_no = EXERCISES[i % 25], (i // 25) % 30 + 1
        yield f"{day:%Y-%m-%d},{exercise},{set_no},{1 + i % 12},{20 + (i * 7) % 180}.5,row {i}\n"


def write_log(path: Path, rows: int | None = None, megabytes: float | None = None) -> Path:
    """A training-log CSV of `rows` rows, or of about `megabytes` MB."""
    with path.open("w") as out:
        out.write(HEADER)
        if rows is not None:
            out.writelines(log_lines(rows))
        else:
            limit, written = int(megabytes * 1e6), 0
            for line in log_lines(10**9):
                out.write(line)
                written += len(line)
                if written >= limit:
                    break
    return path


def write_bomb(path: Path, gigabytes: float = BOMB_GB) -> Path:
    """A ZIP whose weight.csv expands to `gigabytes` GB of near-identical rows (a few MB compressed)."""
    line = "2026-03-03 08:00:00,80.45,15.728,3.34,61.28,45.1,\n"
    block = ("Date,Weight (kg),Fat mass (kg),Bone mass (kg),Muscle mass (kg),Hydration (kg),Comments\n"
             + line * 20_000).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("weight.csv", "w") as member:
        written = 0
        while written < gigabytes * 1e9:
            member.write(block)
            written += len(block)
    return path


def run_child(root: Path, mode: str, path: Path) -> dict:
    """Import `path` with the code at `root` in a fresh interpreter."""
    db = Path(tempfile.mkdtemp()) / "import.db"
    out = subprocess.run([sys.executable, "-c", CHILD, mode, str(path), str(db)], cwd=root, capture_output=True,
                         text=True, timeout=1800, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
                         preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_CAP, ADDRESS_CAP)))
    if out.returncode:
        return {"seconds": float("nan"), "hwm_mb": float("nan"), "outcome": out.stderr.strip()[-300:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def import_rows(root: Path = ROOT, mode: str = "file", label: str = "", runs: int = 3) -> list[Row]:
    """The three figures for the code at `root`."""
    tmp = Path(tempfile.mkdtemp())
    big = write_log(tmp / "big-log.csv", megabytes=BIG_CSV_MB)
    bomb = write_bomb(tmp / "bomb.zip")
    log = write_log(tmp / "log-100k.csv", rows=THROUGHPUT_ROWS)
    edge = write_log(tmp / "log-at-limit.csv", megabytes=AT_LIMIT_MB)
    tag = f" ({label})" if label else ""
    rows = []
    for what, path in ((f"{big.stat().st_size / 1e6:.0f} MB training-log CSV", big),
                       (f"{bomb.stat().st_size / 1e6:.1f} MB ZIP expanding to {BOMB_GB} GB", bomb),
                       (f"{edge.stat().st_size / 1e6:.1f} MB training-log CSV (just under the limit)", edge)):
        result = run_child(root, mode, path)
        rows.append(Row(f"import of a {what}: peak memory{tag}", [result["hwm_mb"]], "MB",
                        f"< {MEMORY_TARGET_MB} MB or refused early", result["outcome"][:160]))
    results = [run_child(root, mode, log) for _ in range(runs)]
    rows.append(Row(f"import of a {THROUGHPUT_ROWS:,}-row training log: throughput{tag}",
                    [THROUGHPUT_ROWS / r["seconds"] for r in results], "rows/s", "no slower than before",
                    f"peak {max(r['hwm_mb'] for r in results):.0f} MB; {results[0]['outcome'][:120]}"))
    return rows


SECTION = "\n## Imports\n"


def section(rows: list[Row], commit: str, note: str = "") -> str:
    """The Imports section of bench/RESULTS.md."""
    return (f"{SECTION}\nCommit: {commit}. Each import runs in a fresh child process (peak = its VmHWM; address "
            f"space capped at {ADDRESS_CAP >> 30} GB so a runaway import fails instead of the host).{note}\n\n"
            + table(rows) + "\n")


def write_section(path: Path, text: str) -> None:
    """Replace (or add) the Imports section of the results file, keeping the rest."""
    current = path.read_text() if path.exists() else "# Benchmark results\n"
    head = current.split(SECTION)[0].rstrip("\n") + "\n"
    path.write_text(head + text)


def main(argv: list[str], out: Path, commit: str) -> int:
    """`python -m bench imports [--base PATH]`: these rows alone (and the same at another checkout)."""
    rows = import_rows()
    if "--base" in argv:
        base = Path(argv[argv.index("--base") + 1])
        rows += import_rows(base, "bytes", f"before, at {_commit(base)}")
    text = section(rows, commit)
    write_section(out, text)
    print(text)
    return 0


def _commit(root: Path) -> str:
    out = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return out.stdout.strip() or str(root)
