"""A bulk import killed midway resumes when run again: what was stored stays once, the rest is added, and files
already imported are not parsed again."""

from __future__ import annotations

import contextlib
from datetime import timedelta

from core.activity.storage import detail_keys, load_stream
from core.records import RUN
from core.sources.files import import_file
from core.store.sqlite import SQLiteStore
from tests.activity_exports import Activity, T, activities, export_zip
from tests.builders import EDIT_NOW as NOW
from tests.kills import Killed, count_writes, dead_owner

WRITES = frozenset({"upsert", "put_blob", "put_blobs", "delete_blob", "put_document", "put_sync_state", "acquire_lease",
                    "release_lease"})
DATA = export_zip(activities(["fit.gz", "gpx", "tcx.gz", "fit"]) + [Activity(7100, T + timedelta(days=9), None)])


def clock():
    return NOW


def stored(store) -> tuple:
    """Everything an import leaves that must not differ: the runs, their detail, the streams' bytes."""
    frame = store.read(RUN).astype(str)  # text: NaN compares equal to NaN
    keys = sorted(detail_keys(store))
    return (frame.to_dict("records"), keys, [store.get_blob(n) for n in store.blob_names("")],
            sorted(d.name for d in store.documents("activity-files")))


def test_an_export_import_killed_at_any_write_resumes_to_what_one_clean_import_gives(tmp_path, monkeypatch):
    """Killed at each of its writes (blobs, records, markers of each batch of two files, state, lease), the import
    run again ends with exactly what one uninterrupted import stores: every run once, four streams, no lease left."""
    monkeypatch.setattr("core.sources.files.activity_import.BATCH", 2)
    reference = SQLiteStore(tmp_path / "ref.db")
    import_file(reference, DATA, "export.zip", now=clock)

    def attempt(n: int) -> Killed:
        killed = Killed(SQLiteStore(tmp_path / f"s{n}.db"), n, WRITES)
        with contextlib.suppress(SystemExit):
            import_file(killed, DATA, "export.zip", now=clock, owner=dead_owner("import:"))
        return killed

    points = count_writes(attempt)
    assert points >= 2 * 3 + 3, "per batch: streams and laps, records, marker; then lease, CSV row, state"
    for n in range(1, points + 1):
        assert attempt(n).dead, n
        store = SQLiteStore(tmp_path / f"s{n}.db")
        report = import_file(store, DATA, "export.zip", now=clock)
        assert stored(store) == stored(reference), n
        assert report.files_stored + report.files_already == 4 and store.lease() is None, n


class DiesAfterMarker:
    """A store whose process dies right after its k-th marker (of a batch of files) is written."""

    def __init__(self, store, k: int) -> None:
        self.store, self.k = store, k

    def __getattr__(self, name):
        attr = getattr(self.store, name)
        if name != "put_document":
            return attr

        def put(*args, **kwargs):
            done = attr(*args, **kwargs)
            self.k -= 1
            if self.k == 0:
                raise SystemExit("killed after a marker")
            return done
        return put


def test_a_resumed_import_parses_only_the_files_not_done(tmp_path, monkeypatch):
    """Killed after its first batch of two files, the next import reads the two done files as already stored without
    parsing them, and parses the other two."""
    import core.sources.files.activity_import as activity_import

    monkeypatch.setattr(activity_import, "BATCH", 2)
    path = tmp_path / "s.db"
    with contextlib.suppress(SystemExit):
        import_file(DiesAfterMarker(SQLiteStore(path), 1), DATA, "export.zip", now=clock,
                    owner=dead_owner("import:"))
    assert detail_keys(SQLiteStore(path)) == {"strava:7001", "strava:7002"}
    parsed, real = [], activity_import.parse
    monkeypatch.setattr(activity_import, "parse", lambda name, data: parsed.append(name) or real(name, data))
    report = import_file(SQLiteStore(path), DATA, "export.zip", now=clock)
    assert parsed == ["activities/7003.tcx.gz", "activities/7004.fit"]
    assert (report.files_already, report.files_stored) == (2, 2)
    store = SQLiteStore(path)
    assert len(store.read(RUN)) == 5 and all(load_stream(store, k) is not None for k in detail_keys(store))
