"""Activity files: parse rate of one-hour 1 Hz FIT/GPX/TCX files, the stream blob's size, stream analytics.

`python -m bench.activity_files` prints the table. The files are written by the fixtures' generator (Garmin's
FIT encoder, gpxpy, ElementTree), so this needs the dev requirements. Context: the import of a bulk export
should take 1,500 one-hour files in under 3 minutes on two cores, memory under 400 MB.
"""

from __future__ import annotations

import gzip
import statistics
import sys
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta

import numpy as np

from bench.common import Row, table, timed
from core.activity import decode_stream, encode_stream, read_activity
from core.activity.derive import Decoded, make_stream
from core.analytics.efforts import BEST_EFFORT_DISTANCES_M, best_efforts
from core.analytics.hr_zones import time_in_zones, zones_from_max_hr
from core.analytics.splits import splits
from core.analytics.thinning import lttb_indices

START = datetime(2026, 3, 1, 7, tzinfo=UTC)
RUNS = 5
IMPORT_FILES, IMPORT_TARGET_S = 1500, 180


def hour_files() -> dict[str, bytes]:
    """One hour at 1 Hz with positions, altitude, HR, cadence and speed, in each format (and FIT gzipped)."""
    from tests.fixtures.make_activity_files import fit_bytes, gpx_text, synthetic_run, tcx_text

    run = synthetic_run(START, 3600, step_s=1, pause_at_s=1800, seed=11)
    fit = fit_bytes(run, timedelta(hours=1))
    return {"hour.fit": fit, "hour.fit.gz": gzip.compress(fit), "hour.gpx": gpx_text(run).encode(),
            "hour.tcx": tcx_text(run).encode()}


def _parse(item: tuple[str, bytes]) -> int:
    return read_activity(item[1], item[0]).activity.samples


def parse_rows(files: dict[str, bytes]) -> list[Row]:
    """Files per second for each format on one core, then the FIT rate over two processes."""
    rows = []
    for name, data in files.items():
        seconds = timed(lambda n=name, d=data: read_activity(d, n), RUNS)
        rows.append(Row(f"parse a one-hour 1 Hz {name[5:].upper()} file ({len(data) / 1e6:.2f} MB), one core",
                        [1 / s for s in seconds], "files/s", "> 10 files/s", "read_activity: bytes to stream"))
    batch = [("hour.fit.gz", files["hour.fit.gz"])] * 40
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_parse, batch[:4]))  # start both workers before timing
        seconds = timed(lambda: list(pool.map(_parse, batch, chunksize=4)), 3)
    rate = [len(batch) / s for s in seconds]
    projected = IMPORT_FILES / statistics.median(rate)
    rows.append(Row("parse one-hour .fit.gz files on two processes", rate, "files/s", "",
                    f"1,500 such files in {projected:.0f} s of parsing (target for the whole import: "
                    f"{IMPORT_TARGET_S} s)"))
    rows.append(_decoder_row(files["hour.fit"]))
    tracemalloc.start()
    read_activity(files["hour.fit.gz"], "hour.fit.gz")
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    rows.append(Row("peak Python memory while reading one hour .fit.gz", [peak], "MB", "", "tracemalloc"))
    return rows


def _decoder_row(fit: bytes) -> Row:
    """fitdecode against Garmin's SDK decoder on the same file, decoding only (for the choice of FIT library)."""
    import io

    import fitdecode
    from garmin_fit_sdk import Decoder, Stream

    def fitdecode_only() -> None:
        with fitdecode.FitReader(io.BytesIO(fit), processor=None, check_crc=fitdecode.CrcCheck.DISABLED) as reader:
            for _ in reader:
                pass

    def sdk_only() -> None:
        Decoder(Stream.from_byte_array(bytearray(fit))).read(
            convert_datetimes_to_dates=False, convert_types_to_strings=False, enable_crc_check=False,
            expand_sub_fields=False, expand_components=False, merge_heart_rates=False)

    ours, sdk = timed(fitdecode_only, RUNS), timed(sdk_only, RUNS)
    return Row("one-hour FIT, decoding alone: fitdecode 0.11.0", [s * 1000 for s in ours], "ms", "",
               f"garmin-fit-sdk 21.218.0's Decoder on the same file: {statistics.median(sdk) * 1000:.0f} ms")


def codec_rows(files: dict[str, bytes]) -> list[Row]:
    """Bytes per hour of 1 Hz data in the stream blob, and the time to encode and decode it."""
    stream = read_activity(files["hour.fit"], "hour.fit").stream
    blob = encode_stream(stream)
    raw = len(stream) * 8 * 8 + 2 * len(stream)  # eight float64 columns and two flag bytes a sample
    return [Row("stream blob, one hour at 1 Hz (all 8 columns)", [len(blob) / 1000], "kB/hour", "",
                f"{len(blob) / len(stream):.1f} bytes a sample; float64 columns would take {raw / 1000:.0f} kB"),
            Row("encode one hour's stream", [s * 1000 for s in timed(lambda: encode_stream(stream), RUNS)], "ms"),
            Row("decode one hour's stream", [s * 1000 for s in timed(lambda: decode_stream(blob), RUNS)], "ms")]


def three_hours() -> object:
    """10,800 samples at 1 Hz, about 4 m/s (a marathon inside), with heart rate."""
    rng = np.random.default_rng(4)
    t = np.arange(10_800.0)
    speed = np.clip(4.0 + 0.5 * np.sin(t / 400) + rng.normal(0, 0.2, t.size), 0, None)
    d = np.concatenate(([0.0], np.cumsum(speed[1:])))
    hr = 140 + 20 * np.sin(t / 900) + rng.normal(0, 2, t.size)
    return make_stream(Decoded("fit", START.timestamp() + t, {"distance_m": d, "heart_rate_bpm": hr}))


def two_pointer_python(t: np.ndarray, d: np.ndarray, target: float) -> float:
    """The same window stepped one sample at a time in Python, for comparison."""
    best, j, n, tl, dl = float("inf"), 0, len(d), t.tolist(), d.tolist()
    for i in range(n):
        while j < n and dl[j] - dl[i] < target:
            j += 1
        if j == n:
            break
        end = tl[j - 1] + (dl[i] + target - dl[j - 1]) / (dl[j] - dl[j - 1]) * (tl[j] - tl[j - 1])
        best = min(best, end - tl[i])
    return best


def analytics_rows() -> list[Row]:
    """Stream analytics on a 3-hour, 10,800-point run."""
    s = three_hours()
    py = lambda: [two_pointer_python(s.t_s, s.distance_m, m) for m in BEST_EFFORT_DISTANCES_M.values()]  # noqa: E731
    ms = lambda fn, runs=RUNS: [x * 1000 for x in timed(fn, runs)]  # noqa: E731
    return [Row("best efforts (7 distances) on a 3-hour 10,800-point stream", ms(lambda: best_efforts(s)), "ms", "",
                "numpy searchsorted for the window ends"),
            Row("the same, the two pointers stepped in Python", ms(py, 3), "ms", "", "for comparison"),
            Row("km splits of the 3-hour stream", ms(lambda: splits(s)), "ms"),
            Row("time in 5 HR zones of the 3-hour stream", ms(lambda: time_in_zones(s, zones_from_max_hr(190))), "ms"),
            Row("LTTB 10,800 -> 2,000 points (pace against distance)",
                ms(lambda: lttb_indices(s.distance_m, s.speed_mps, 2000)), "ms")]


def activity_rows() -> list[Row]:
    """Every figure of this module."""
    files = hour_files()
    return parse_rows(files) + codec_rows(files) + analytics_rows()


def main() -> int:
    started = time.time()
    text = table(activity_rows())
    print(text + f"\n(bench took {time.time() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
