"""The sync core: idempotent, isolates failing sources, survives crashes between writes, one at a time."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest

from core.errors import AuthExpired, RateLimited, SyncBusy
from core.records import BODY, RUN, Record, iso_utc
from core.sources.demo import DemoSource
from core.store.sqlite import SQLiteStore
from core.sync import run_sync, sync_source
from tests.apptest_helpers import ROOT
from tests.builders import SYNC_NOW as NOW
from tests.builders import FakeSource, clock_at

clock = clock_at(NOW)


def weigh_in(i: int, weight: float = 80.0, source: str = "fake") -> Record:
    when = NOW - timedelta(days=30 - i)
    return Record(BODY, source, f"{source}:{i}", when,
                  {"time_utc": iso_utc(when), "local_date": when.date().isoformat(), "weight_kg": weight})


def test_second_run_stores_nothing_new(store):
    """Syncing twice leaves the same data; the second run counts no insert and no update."""
    demo = DemoSource(7, clock)
    first = run_sync(store, [demo], now=clock)  # the first import holds back the last week
    catch_up = run_sync(store, [demo], now=clock)
    again = run_sync(store, [demo], now=clock)
    assert first.ok and first.sources[0].counts.inserted > 5000
    assert catch_up.sources[0].counts.inserted > 0
    assert again.sources[0].counts.inserted == 0 and again.sources[0].counts.updated == 0
    assert again.sources[0].counts.unchanged > 0, "the overlap window was re-read"
    total = first.sources[0].counts.inserted + catch_up.sources[0].counts.inserted
    assert sum(store.counts().values()) == total


def test_watermark_minus_overlap_is_what_is_read(store):
    """The next sync reads from the watermark minus the overlap window, catching late uploads."""
    src = FakeSource("fake", [weigh_in(i) for i in range(5)])
    run_sync(store, [src], now=clock)
    late = weigh_in(3, source="fake")
    late = Record(BODY, "fake", "fake:late", late.time_utc + timedelta(hours=1), late.fields)
    src.records.append(late)
    report = run_sync(store, [src], now=clock)
    assert src.calls[-1] == weigh_in(4).time_utc - timedelta(days=2)
    assert report.sources[0].counts.inserted == 1
    assert "fake:late" in store.keys(BODY, "fake")


def test_failing_source_leaves_others_synced_and_its_error_recorded(store):
    """One source raising (expired token) does not stop the others; its error and action are stored."""
    bad = FakeSource("withings", [weigh_in(0, source="withings")], fail_after=0, error=AuthExpired("withings"))
    good = FakeSource("fake", [weigh_in(i) for i in range(3)])
    report = run_sync(store, [bad, good], now=clock)
    assert not report.ok
    assert [r.ok for r in report.sources] == [False, True]
    assert store.counts() == {(BODY, "fake"): 3}
    state = store.get_sync_state("withings")
    assert "authorisation refused" in state.last_error
    assert "python -m core.authorize withings" in state.last_error_action
    assert state.last_success is None and state.watermark is None


def test_unexpected_exception_is_recorded_not_raised(store):
    """A bug in a source (any exception) is reported as that source's failure."""
    buggy = FakeSource("fake", [weigh_in(0)], fail_after=0, error=KeyError("grpid"))
    report = run_sync(store, [buggy], now=clock)
    assert not report.ok and "grpid" in store.get_sync_state("fake").last_error


class CrashAfterUpsert(SQLiteStore):
    """A store whose process 'dies' right after the data is written, before the cursor is."""

    crash = True

    def put_sync_state(self, state):
        if self.crash:
            raise SystemExit("killed between upsert and watermark write")
        super().put_sync_state(state)


def test_crash_between_upsert_and_watermark_is_recovered(tmp_path):
    """After a crash between the upsert and the cursor write, a rerun converges: nothing lost or doubled."""
    path = tmp_path / "s.db"
    crashing = CrashAfterUpsert(path)
    demo = DemoSource(7, clock)
    with pytest.raises(SystemExit):
        run_sync(crashing, [demo], now=clock, owner="dead-process")
    assert crashing.get_sync_state("demo") is None
    stored_before = sum(crashing.counts().values())
    assert stored_before > 0, "the first chunk was written before the crash"
    store = SQLiteStore(path)
    report = run_sync(store, [demo], now=clock, owner="next")
    reference = SQLiteStore(tmp_path / "ref.db")
    run_sync(reference, [DemoSource(7, clock)], now=clock)
    assert report.ok
    assert store.counts() == reference.counts()
    assert report.sources[0].counts.unchanged == stored_before


def test_partial_ascending_import_resumes_where_it_stopped(store, monkeypatch):
    """A rate limit halfway through a first import keeps what was stored and resumes after it."""
    monkeypatch.setattr("core.sync.CHUNK", 5)
    records = [weigh_in(i) for i in range(20)]
    retry_at = NOW + timedelta(minutes=15)
    src = FakeSource("fake", records, fail_after=10, error=RateLimited("fake", retry_at))
    report = sync_source(store, src, now=clock)
    assert not report.ok and len(store.keys(BODY, "fake")) == 10
    assert store.get_sync_state("fake").watermark == records[9].time_utc
    skipped = sync_source(store, src, now=clock)
    assert skipped.skipped, "before retry_at the source is not called again"
    src.fail_after = None
    later = clock_at(retry_at + timedelta(seconds=1))
    assert sync_source(store, src, now=later).ok
    assert len(store.keys(BODY, "fake")) == 20
    assert src.calls[-1] == records[9].time_utc - src.overlap
    assert "retry_at" not in store.get_sync_state("fake").details


def test_non_ascending_source_keeps_old_watermark_on_failure(store, monkeypatch):
    """A source without time order never moves its cursor on a partial read."""
    monkeypatch.setattr("core.sync.CHUNK", 3)
    src = FakeSource("fake", [weigh_in(i) for i in range(6)], fail_after=3,
                     error=RuntimeError("reset"), ascending=False)
    sync_source(store, src, now=clock)
    assert store.get_sync_state("fake").watermark is None
    assert len(store.keys(BODY, "fake")) == 3, "what was stored stays stored"


def test_a_second_sync_while_one_runs_is_refused(store):
    """While a sync holds the lease, another one says so instead of running."""
    assert store.acquire_lease("cron-runner", NOW)
    with pytest.raises(SyncBusy, match="already running"):
        run_sync(store, [FakeSource("fake", [])], now=clock)
    assert store.lease_holder(NOW) == "cron-runner"


def test_lease_is_released_after_a_run(store):
    """A finished sync frees the lease for the next one."""
    run_sync(store, [FakeSource("fake", [weigh_in(0)])], now=clock)
    assert store.lease_holder(NOW) is None


def test_mirror_source_deletes_vanished_keys_but_never_on_empty_read(store):
    """A mirror (the sheet) removes rows deleted upstream, and an empty read wipes nothing."""
    src = FakeSource("sheets", [weigh_in(i, source="sheets") for i in range(4)])
    src.mirror = True
    run_sync(store, [src], now=clock)
    assert src.calls == [None]
    src.records = src.records[:2]
    report = run_sync(store, [src], now=clock)
    assert report.sources[0].deleted == 2 and len(store.keys(BODY, "sheets")) == 2
    src.records = []
    run_sync(store, [src], now=clock)
    assert len(store.keys(BODY, "sheets")) == 2
    assert src.calls == [None, None, None], "a mirror is always read whole"


def test_cli_syncs_demo_and_prints_one_line_per_source(tmp_path):
    """`python -m core.sync` with no configuration syncs the demo into the configured file."""
    env = {"FITDASH_STORE_SQLITE_PATH": str(tmp_path / "cli.db"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-m", "core.sync"], capture_output=True, text=True, env=env,
                         cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("demo: ok - ") and out.stdout.count("\n") == 1
    assert SQLiteStore(tmp_path / "cli.db").counts()[(RUN, "demo")] > 200


class CrashAtWrite(SQLiteStore):
    """Dies (SystemExit) at the n-th write of any kind: record upserts and sync-state writes."""

    def __init__(self, path, crash_at):
        super().__init__(path)
        self.writes, self.crash_at = 0, crash_at

    def _tick(self):
        self.writes += 1
        if self.writes == self.crash_at:
            raise SystemExit(f"killed at write {self.writes}")

    def upsert(self, records):
        records = list(records)
        self._tick()
        return super().upsert(records)

    def put_sync_state(self, state):
        self._tick()
        super().put_sync_state(state)


@pytest.mark.parametrize("crash_at", range(1, 8))
def test_a_crash_at_any_write_point_converges_on_rerun(tmp_path, monkeypatch, crash_at):
    """Killed at write 1..7 of a chunked first import, the next run ends with exactly the full data set."""
    monkeypatch.setattr("core.sync.CHUNK", 1500)  # four chunks: upsert, checkpoint, upsert, ... final state
    demo = DemoSource(7, clock)
    crashing = CrashAtWrite(tmp_path / "s.db", crash_at)
    with pytest.raises(SystemExit):
        run_sync(crashing, [demo], now=clock, owner="dead")
    store = SQLiteStore(tmp_path / "s.db")
    store.release_lease("dead")  # or wait for the lease to expire
    assert run_sync(store, [demo], now=clock).ok
    run_sync(store, [demo], now=clock)  # the demo's first import holds back a week: catch up, as without a crash
    reference = SQLiteStore(tmp_path / "ref.db")
    run_sync(reference, [demo], now=clock)
    run_sync(reference, [demo], now=clock)
    assert store.counts() == reference.counts()
    for kind in ("body", "run", "set"):
        assert store.keys(kind, "demo") == reference.keys(kind, "demo")


def test_a_sync_longer_than_the_lease_ttl_keeps_the_lease(store):
    """Three sources of 10 minutes each (30 > 15-min TTL): the lease is renewed, so no other sync starts meanwhile."""
    moment = [NOW]
    intruder = []

    class Slow(FakeSource):
        def fetch(self, since):
            moment[0] += timedelta(minutes=10)
            intruder.append(store.acquire_lease("intruder", moment[0]))
            yield from super().fetch(since)

    sources = [Slow(f"s{i}", [weigh_in(i, source=f"s{i}")]) for i in range(3)]
    report = run_sync(store, sources, now=lambda: moment[0], owner="long-sync")
    assert report.ok and intruder == [False, False, False]
    assert store.lease_holder(moment[0]) is None


def test_default_chunk_stores_what_a_failing_source_gave_first(store):
    """At the default chunk size, 10 records read before a 5xx are stored and checkpointed."""
    from core.errors import SourceUnavailable

    records = [weigh_in(i) for i in range(20)]
    src = FakeSource("fake", records, fail_after=10, error=SourceUnavailable("HTTP 503"))
    report = sync_source(store, src, now=clock)
    assert not report.ok and len(store.keys(BODY, "fake")) == 10
    assert store.get_sync_state("fake").watermark == records[9].time_utc


def test_quarantined_items_of_an_incremental_source_stay_until_resolved(store):
    """A held item stays listed after later syncs that do not re-read it, and leaves once its record is stored."""

    class Holding(FakeSource):
        held: tuple = ()

        def report(self):
            return {"quarantine": list(self.held)}

    src = Holding("withings", [weigh_in(i, source="withings") for i in range(2)])
    src.held = [{"row": "withings:9", "reason": "ambiguous"}]
    run_sync(store, [src], now=clock)
    src.held = [{"row": "withings:8", "reason": "ambiguous"}]
    run_sync(store, [src], now=clock)
    held = store.get_sync_state("withings").details["quarantine"]
    assert [q["row"] for q in held] == ["withings:9", "withings:8"]
    src.held, src.records = [], src.records + [weigh_in(9, source="withings")]  # assigned in the app
    run_sync(store, [src], now=clock)
    assert [q["row"] for q in store.get_sync_state("withings").details["quarantine"]] == ["withings:8"]
