"""Import of a Strava bulk export with 1,500 one-hour activity files: files per second, total time, peak memory.

`python -m bench.bulk_import` prints the table. The export is generated: one one-hour 1 Hz FIT file written by
Garmin's encoder (the fixtures' generator), copied 1,500 times a day apart by shifting its timestamps in the
binary (the encoder takes 1.5 s a file), each gzipped as Strava stores them, with its activities.csv. The import
is the CLI's (`python -m core.sync import export.zip`: two parsing processes, a progress line every 50 files) in
a child process; memory is the child's and its workers' together (proportional set size), sampled every 0.1 s.
"""

from __future__ import annotations

import gzip
import os
import resource
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import Row, table
from core.activity.fit import CRC_TABLE

FILES, TARGET_S, TARGET_MB = 1500, 180, 400
START = datetime(2021, 1, 4, 7, tzinfo=UTC)
ROOT = Path(__file__).resolve().parent.parent
# FIT time fields besides every message's timestamp (253): lap and session start_time, activity local_timestamp,
# file_id time_created (global message number -> field numbers).
TIME_FIELDS = {0: {4}, 18: {2}, 19: {2}, 34: {5}}


def hour_fit() -> bytes:
    """One hour at 1 Hz with positions, altitude, HR, cadence, a pause and laps, in Paris' winter time zone."""
    from tests.fixtures.make_activity_files import fit_bytes, synthetic_run

    return fit_bytes(synthetic_run(START, 3600, step_s=1, pause_at_s=1800, seed=11), timedelta(hours=1))


def shifted(fit: bytes, seconds: int) -> bytes:
    """The same FIT file `seconds` later: every time field moved, the file's CRC recomputed."""
    out, definitions, pos = bytearray(fit), {}, fit[0]
    end = fit[0] + struct.unpack_from("<I", fit, 4)[0]
    while pos < end:
        header = out[pos]
        if header & 0x80:
            raise ValueError("compressed timestamps are not written by the encoder")
        local = header & 0x0F
        if header & 0x40:  # a definition: where each field of this local message sits
            arch, count = out[pos + 2], out[pos + 5]
            number = struct.unpack_from(">H" if arch else "<H", out, pos + 3)[0]
            fields = [tuple(out[pos + 6 + 3 * i: pos + 9 + 3 * i]) for i in range(count)]
            pos += 6 + 3 * count
            dev = 0
            if header & 0x20:
                dev = sum(out[pos + 2 + 3 * i] for i in range(out[pos]))
                pos += 1 + 3 * out[pos]
            definitions[local] = ("<" if not arch else ">", number, fields, dev)
            continue
        order, number, fields, dev = definitions[local]
        offset = pos + 1
        for num, size, _ in fields:
            if size == 4 and (num == 253 or num in TIME_FIELDS.get(number, ())):
                value = struct.unpack_from(order + "I", out, offset)[0]
                if value != 0xFFFFFFFF:
                    struct.pack_into(order + "I", out, offset, value + seconds)
            offset += size
        pos = offset + dev
    crc = 0
    for byte in out[:end]:
        crc = (crc >> 8) ^ CRC_TABLE[(crc ^ byte) & 0xFF]
    struct.pack_into("<H", out, end, crc)
    return bytes(out)


def export(path: Path, files: int = FILES) -> None:
    """Strava's bulk export: activities.csv and activities/<id>.fit.gz, one one-hour run a day."""
    from tests.fixtures.provider_fakes import STRAVA_HEADER

    template, rows = hour_fit(), []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:  # the members are gzipped already
        for i in range(files):
            ident, when = 9_000_000 + i, START + timedelta(days=i)
            archive.writestr(f"activities/{ident}.fit.gz", gzip.compress(shifted(template, i * 86400), 6, mtime=0))
            rows.append(f'{ident},"{when:%b %d, %Y, %I:%M:%S %p}",Morning Run,Run,,3660,10.8,170,60,false,,,'
                        f"activities/{ident}.fit.gz,72,,3660.0,3600.0,10800.0,4.5,3.0,40.0,40.0,150.0")
        archive.writestr("activities.csv", STRAVA_HEADER + "\n" + "\n".join(rows) + "\n")


def tree_pss_mb(pid: int) -> float:
    """Memory of a process and all its descendants, MB: the sum of their proportional set sizes (a page shared by
    the forked workers counts once in all), from /proc."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/smaps_rollup").read_text()
            total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("Pss:"))
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            continue
    return total / 1024


def timed_import(zip_path: Path, db: Path) -> tuple[float, float, list[str], float]:
    """(seconds, peak MB of the import's process tree, its output lines, CPU seconds of the whole tree) of the CLI's
    import (the workers' CPU time reaches us through the CLI, which waits for them)."""
    env = {**os.environ, "FITDASH_STORE_SQLITE_PATH": str(db), "PYTHONPATH": str(ROOT)}
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "core.sync", "import", str(zip_path)], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0.0]

    def sample() -> None:
        while child.poll() is None:
            peak[0] = max(peak[0], tree_pss_mb(child.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = child.communicate()[0].splitlines()
    seconds = time.perf_counter() - started
    sampler.join()
    if child.returncode:
        raise RuntimeError("the import failed:\n" + "\n".join(output[-20:]))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, peak[0], output, after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime


def import_rows(files: int = FILES) -> list[Row]:
    """The bulk import's figures, then a second import of the same export (everything already stored)."""
    work = Path(tempfile.mkdtemp())
    made = time.perf_counter()
    export(work / "export.zip", files)
    size = (work / "export.zip").stat().st_size / 1e6
    made = time.perf_counter() - made
    load = os.getloadavg()[0]
    seconds, peak, output, cpu = timed_import(work / "export.zip", work / "bulk.db")
    again, again_peak, again_output, _ = timed_import(work / "export.zip", work / "bulk.db")
    progress = sum(1 for line in output if line.strip().endswith("activity files"))
    summary = next(line for line in output if "activity files =" in line)
    note = f"{files:,} one-hour 1 Hz .fit.gz ({size:.0f} MB ZIP, made in {made:.0f} s); {progress} progress lines"
    return [Row(f"import a Strava export of {files:,} one-hour activity files: total", [seconds], "s",
                f"< {TARGET_S} s", note),
            Row("the same: files per second", [files / seconds], "files/s", "", summary.split(": ", 1)[1][:120]),
            Row("the same: CPU time of the CLI and its workers", [cpu], "s", "",
                f"{cpu / 2:.0f} s of wall time on two free cores; load average {load:.1f} when it started "
                "(the machine is shared)"),
            Row("the same: peak memory (the CLI and its 2 parsing processes)", [peak], "MB", f"< {TARGET_MB} MB",
                "proportional set size of the process tree, sampled every 0.1 s"),
            Row("the same export imported again (every file already stored)", [again], "s", "",
                f"peak {again_peak:.0f} MB; " + next(line for line in again_output if "activity files =" in line)
                .split("; ", 1)[1][:90]),
            Row("the store after the import", [(work / "bulk.db").stat().st_size / 1e6], "MB", "",
                f"SQLite file: {files:,} runs with their streams and laps")]


def main() -> int:
    print(table(import_rows(int(sys.argv[1]) if len(sys.argv) > 1 else FILES)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
