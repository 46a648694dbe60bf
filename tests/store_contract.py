"""The Store contract: what every backend must do. Subclass StoreContract and provide `store`.

tests/test_store_sqlite.py runs it on SQLite; the DynamoDB backends run the same class.
"""

from __future__ import annotations

import dataclasses
import threading
from datetime import timedelta

import pandas as pd
import pytest

from core.records import BODY, RUN, SET, Record, iso_utc
from core.store.base import LoginCounter, SyncState, UpsertCounts
from tests.builders import T0, body, run, set_row


class StoreContract:
    """Behaviour every Store implementation must share."""

    def test_upsert_counts_inserted_then_unchanged(self, store):
        """A second upsert of the same records stores nothing new and says so."""
        records = [body(i) for i in range(5)]
        assert store.upsert(records) == UpsertCounts(inserted=5)
        assert store.upsert(records) == UpsertCounts(unchanged=5)
        assert len(store.read(BODY)) == 5

    def test_upsert_counts_updates_when_content_changes(self, store):
        """A changed value under the same natural key replaces the stored one, counted as updated."""
        store.upsert([body(0, 80.0), body(1, 81.0)])
        assert store.upsert([body(0, 79.5), body(1, 81.0), body(2)]) == UpsertCounts(1, 1, 1)
        frame = store.read(BODY)
        assert frame.loc[frame.key == "withings:body:0", "weight_kg"].item() == 79.5

    def test_duplicate_keys_in_one_batch_store_once(self, store):
        """Two records with one key in a batch are one stored record (the last wins)."""
        counts = store.upsert([body(0, 80.0), body(0, 82.0)])
        assert counts.inserted == 1
        assert store.read(BODY).weight_kg.tolist() == [82.0]

    def test_empty_upsert_is_a_no_op(self, store):
        """Upserting nothing counts nothing."""
        assert store.upsert([]) == UpsertCounts()

    def test_range_read_is_half_open_and_typed(self, store):
        """read(kind, start, end) returns start <= time < end, typed, sorted by time."""
        store.upsert([body(i) for i in range(10)] + [run(i) for i in range(3)])
        frame = store.read(BODY, T0 + timedelta(days=2), T0 + timedelta(days=5))
        assert frame.time_utc.tolist() == [T0 + timedelta(days=d) for d in (2, 3, 4)]
        assert str(frame.time_utc.dtype).startswith("datetime64") and frame.time_utc.dt.tz is not None
        assert frame.fat_ratio_pct.isna().tolist() == [True, False, True]
        assert set(frame.source) == {"withings"}

    def test_read_of_an_empty_kind_has_the_kind_columns(self, store):
        """An empty read still has every column, so pages can show an empty state."""
        frame = store.read(RUN)
        assert frame.empty and {"distance_m", "start_time_local", "key", "source"} <= set(frame.columns)

    def test_values_round_trip_exactly(self, store):
        """Text with commas and numbers with decimals come back as they were stored."""
        store.upsert([set_row(0, 72.3), run(0, 10_012.7)])
        sets, runs = store.read(SET), store.read(RUN)
        assert sets.load_kg.item() == 72.3 and sets.notes.item() == "72,3 felt easy"
        assert sets.session_date.item() == pd.Timestamp("2025-03-30")
        assert runs.distance_m.item() == 10_012.7
        assert runs.start_time_local.item() == pd.Timestamp("2025-03-30T07:30:00")

    def test_delete_removes_only_the_named_source_keys(self, store):
        """delete() removes keys of one kind and source and reports how many existed."""
        store.upsert([body(0), body(1), body(2, source="demo")])
        assert store.delete(BODY, "withings", ["withings:body:0", "missing"]) == 1
        assert sorted(store.read(BODY).key) == ["demo:body:2", "withings:body:1"]
        assert store.keys(BODY, "withings") == {"withings:body:1"}

    def test_time_moving_to_another_month_is_an_update(self, store):
        """An edited time that crosses a month boundary updates the one stored record (none left behind)."""
        store.upsert([run(0), run(1)])  # 30 and 31 March
        moved = dataclasses.replace(run(40), key="strava:run:0")  # now in May
        assert store.upsert([moved]) == UpsertCounts(updated=1)
        assert store.counts() == {(RUN, "strava"): 2}
        frame = store.read(RUN)
        assert frame.key.tolist() == ["strava:run:1", "strava:run:0"]
        assert frame.start_time_utc.tolist()[1] == T0 + timedelta(days=40, hours=1)
        assert store.read(RUN, T0, T0 + timedelta(days=10)).key.tolist() == ["strava:run:1"]
        assert store.latest_time(RUN) == T0 + timedelta(days=40, hours=1)
        back = dataclasses.replace(run(2), key="strava:run:0")  # back to 1 April, next to a new run in May
        assert store.upsert([back, run(41)]) == UpsertCounts(inserted=1, updated=1)
        assert store.read(RUN).key.tolist() == ["strava:run:1", "strava:run:0", "strava:run:41"]
        assert store.delete(RUN, "strava", ["strava:run:0"]) == 1
        assert store.counts() == {(RUN, "strava"): 2} and store.keys(RUN, "strava") == {"strava:run:1",
                                                                                         "strava:run:41"}

    def test_latest_time_and_counts(self, store):
        """latest_time per kind and source, and counts per (kind, source)."""
        assert store.latest_time(BODY) is None
        store.upsert([body(0), body(3), body(5, source="demo"), run(1)])
        assert store.latest_time(BODY) == T0 + timedelta(days=5)
        assert store.latest_time(BODY, "withings") == T0 + timedelta(days=3)
        assert store.counts() == {(BODY, "withings"): 2, (BODY, "demo"): 1, (RUN, "strava"): 1}

    def test_sync_state_round_trip(self, store):
        """Sync state is stored per source with its watermark, outcome, counts and details."""
        assert store.get_sync_state("strava") is None
        state = SyncState("strava", watermark=T0, last_attempt=T0, last_success=T0, last_error="boom",
                          last_error_action="retry", counts={"inserted": 3}, details={"retry_at": "x"})
        store.put_sync_state(state)
        store.put_sync_state(SyncState("demo"))
        assert store.get_sync_state("strava") == state
        assert [s.source for s in store.sync_states()] == ["demo", "strava"]

    def test_tokens_and_compare_and_set(self, store):
        """A token update conditioned on the previous refresh token succeeds once, then loses."""
        assert store.get_token("strava") is None
        assert store.put_token("strava", {"access_token": "a1", "refresh_token": "r1", "expires_at": 1})
        assert store.put_token("strava", {"refresh_token": "r2"}, expected_refresh_token="r1")
        assert not store.put_token("strava", {"refresh_token": "r3"}, expected_refresh_token="r1")
        assert store.get_token("strava") == {"refresh_token": "r2"}
        assert not store.put_token("withings", {"refresh_token": "w"}, expected_refresh_token="old")
        assert store.put_token("withings", {"refresh_token": "w"}, expected_refresh_token=None)

    def test_two_concurrent_token_refreshes_one_wins(self, store):
        """Two refreshes of one old token at once: exactly one new token is stored; the loser re-reads it."""
        store.put_token("strava", {"refresh_token": "r1"})
        barrier, outcomes = threading.Barrier(2), {}

        def refresh(name):
            old = store.get_token("strava")["refresh_token"]
            barrier.wait(10)
            won = store.put_token("strava", {"refresh_token": f"new-{name}"}, expected_refresh_token=old)
            outcomes[name] = won, store.get_token("strava")

        threads = [threading.Thread(target=refresh, args=(name,)) for name in ("cron", "button")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)
        assert sorted(won for won, _ in outcomes.values()) == [False, True]
        (winner,) = [name for name, (won, _) in outcomes.items() if won]
        assert [seen for _, seen in outcomes.values()] == [{"refresh_token": f"new-{winner}"}] * 2

    def test_lease_excludes_others_until_released(self, store):
        """Only one holder at a time; the holder may renew; release frees it."""
        assert store.acquire_lease("a", T0)
        assert not store.acquire_lease("b", T0 + timedelta(seconds=10))
        assert store.lease_holder(T0) == "a"
        assert store.acquire_lease("a", T0 + timedelta(seconds=20))
        store.release_lease("b")  # not the holder: no effect
        assert store.lease_holder(T0) == "a"
        store.release_lease("a")
        assert store.lease_holder(T0) is None
        assert store.acquire_lease("b", T0)

    def test_lease_of_a_dead_holder_expires(self, store):
        """A lease whose holder died is taken over once its time-to-live has passed."""
        assert store.acquire_lease("dead", T0, ttl_s=60)
        assert not store.acquire_lease("next", T0 + timedelta(seconds=59))
        assert store.acquire_lease("next", T0 + timedelta(seconds=61))
        assert store.lease_holder(T0 + timedelta(seconds=62)) == "next"

    def test_blobs_round_trip(self, store):
        """Bytes saved under a name come back identical; a missing name is None."""
        assert store.get_blob("model/latest") is None
        data = bytes(range(256)) * 40
        store.put_blob("model/latest", data)
        store.put_blob("model/latest", data + b"!")
        assert store.get_blob("model/latest") == data + b"!"

    def test_blobs_are_listed_by_prefix_and_deleted_by_name(self, store):
        """blob_names lists exactly the names under a prefix (sorted, % and _ taken literally); a deleted
        blob is gone, the others stay, and deleting a missing name is harmless."""
        for name in ("streams/strava%3A2.v1", "streams/strava%3A1.v1", "streams_x", "laps/strava%3A1.v1",
                     "model/latest"):
            store.put_blob(name, name.encode())
        assert store.blob_names("streams/") == ["streams/strava%3A1.v1", "streams/strava%3A2.v1"]
        assert store.blob_names("streams/strava%3A1") == ["streams/strava%3A1.v1"]
        assert store.blob_names("nothing/") == []
        store.delete_blob("streams/strava%3A1.v1")
        store.delete_blob("streams/never-stored.v1")
        assert store.get_blob("streams/strava%3A1.v1") is None
        assert store.blob_names("streams") == ["streams/strava%3A2.v1", "streams_x"]
        assert store.get_blob("laps/strava%3A1.v1") == b"laps/strava%3A1.v1"

    def test_several_blobs_are_saved_at_once(self, store):
        """put_blobs saves every blob given (replacing one of the same name); nothing given is nothing saved."""
        store.put_blob("streams/a.v1", b"old")
        store.put_blobs({"streams/a.v1": b"new", "laps/a.v1": b"[]", "streams/b.v1": bytes(range(256))})
        store.put_blobs({})
        assert [store.get_blob(n) for n in ("streams/a.v1", "laps/a.v1", "streams/b.v1")] == [
            b"new", b"[]", bytes(range(256))]
        assert store.blob_names("") == ["laps/a.v1", "streams/a.v1", "streams/b.v1"]

    @pytest.mark.parametrize("n", [60])
    def test_many_records_in_one_upsert(self, store, n):
        """A batch larger than any backend's per-request limit is stored whole, exactly once."""
        assert store.upsert([body(i) for i in range(n)]).inserted == n
        assert store.upsert([body(i) for i in range(n)]).unchanged == n
        assert len(store.read(BODY)) == n

    # Faults and upkeep (issue 15): the lease's holder and age, the health check, forgetting a state, purge ------
    def test_lease_record_keeps_since_across_renewals_and_resets_on_takeover(self, store):
        """lease() names the holder, when it first took the lease (kept by renewals) and when it expires."""
        assert store.lease() is None
        assert store.acquire_lease("a", T0, ttl_s=60)
        assert store.acquire_lease("a", T0 + timedelta(seconds=30), ttl_s=60)  # a renewal
        held = store.lease()
        assert (held.owner, held.since, held.expires) == ("a", T0, T0 + timedelta(seconds=90))
        assert store.acquire_lease("b", T0 + timedelta(seconds=91), ttl_s=60)  # expired: taken over
        assert (store.lease().owner, store.lease().since) == ("b", T0 + timedelta(seconds=91))
        store.release_lease("b")
        assert store.lease() is None

    def test_an_expired_lease_is_still_shown_until_taken(self, store):
        """An expired lease stays readable (the unlock command shows it) but no longer counts as held."""
        assert store.acquire_lease("gone", T0, ttl_s=60)
        later = T0 + timedelta(minutes=5)
        assert store.lease_holder(later) is None and store.lease().owner == "gone"

    def test_a_healthy_store_passes_its_check(self, store):
        """check() raises nothing on a store in use, and its data is untouched."""
        store.upsert([body(0), run(1)])
        store.check()
        assert store.counts() == {(BODY, "withings"): 1, (RUN, "strava"): 1}

    def test_a_sync_state_can_be_forgotten(self, store):
        """delete_sync_state removes one source's state only, and says whether there was one."""
        store.put_sync_state(SyncState("demo", watermark=T0))
        store.put_sync_state(SyncState("strava", watermark=T0))
        assert store.delete_sync_state("demo") and not store.delete_sync_state("demo")
        assert [s.source for s in store.sync_states()] == ["strava"]

    def test_purge_removes_one_source_and_its_state_and_nothing_else(self, store):
        """purge_source deletes every record of the source (all kinds) and its state; other sources stay."""
        from core.store.maintenance import purge_source

        demo_run = dataclasses.replace(run(2), source="demo", key="demo:run:2")
        store.upsert([body(i, source="demo") for i in range(40)] + [demo_run, body(0), run(1), set_row(3)])
        store.put_sync_state(SyncState("demo", watermark=T0))
        store.put_sync_state(SyncState("strava", watermark=T0))
        before = {k: v for k, v in store.counts().items() if k[1] != "demo"}
        assert purge_source(store, "demo", lambda: T0) == {BODY: 40, RUN: 1}
        assert store.counts() == before
        assert store.get_sync_state("demo") is None and store.get_sync_state("strava") is not None
        assert store.lease() is None, "the purge gave the lease back"
        assert purge_source(store, "demo", lambda: T0) == {}

    def test_records_lost_behind_a_watermark_are_reported(self, store):
        """A source whose watermark says it stored records, with none left in the store, fails the check."""
        from core.errors import StoreDamaged
        from core.store.maintenance import check_store

        store.upsert([body(0)])
        store.put_sync_state(SyncState("withings", watermark=T0))
        check_store(store)
        store.delete(BODY, "withings", ["withings:body:0"])
        with pytest.raises(StoreDamaged, match="withings: its sync state says records up to"):
            check_store(store)
    # login counters (core/login.py) ----------------------------------------------------------------
    def test_login_counter_is_replaced_only_while_it_is_as_read(self, store):
        """A counter is written only over what the writer read (nothing, or the same counter); fractions survive."""
        first = LoginCounter("user:alice", 1, 1_800_000_001.25, 1_800_000_000.123456)
        assert store.get_login_counter("user:alice") is None
        assert store.put_login_counter(first, expected=None)
        assert store.get_login_counter("user:alice") == first
        assert not store.put_login_counter(dataclasses.replace(first, failures=9), expected=None)
        second = LoginCounter("user:alice", 2, 1_800_000_004.5, 1_800_000_002.5)
        assert store.put_login_counter(second, expected=first)
        assert not store.put_login_counter(dataclasses.replace(second, failures=3), expected=first), "stale read"
        assert store.get_login_counter("user:alice") == second

    def test_login_counters_are_listed_by_key_and_deleted(self, store):
        """Every counter is listed in key order; deleting counts only the keys that existed."""
        counters = [LoginCounter(key, 1, 2.0, 1.0) for key in ("user:bob", "addr:10.0.0.1", "user:alice")]
        for counter in counters:
            assert store.put_login_counter(counter, expected=None)
        assert [c.key for c in store.login_counters()] == ["addr:10.0.0.1", "user:alice", "user:bob"]
        assert store.delete_login_counters(["user:alice", "user:nobody"]) == 1
        assert [c.key for c in store.login_counters()] == ["addr:10.0.0.1", "user:bob"]
        assert store.delete_login_counters([]) == 0

    def test_parallel_writers_of_one_login_counter_one_wins(self, store):
        """Eight sessions counting an attempt at once from the same read: exactly one write is stored."""
        barrier, won = threading.Barrier(8), []

        def count(i):
            seen = store.get_login_counter("user:alice")
            barrier.wait(10)
            won.append(store.put_login_counter(LoginCounter("user:alice", 1, 2.0, float(i)), expected=seen))

        threads = [threading.Thread(target=count, args=(i,)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)
        assert sorted(won) == [False] * 7 + [True]
    # documents (preferences, record ledgers) and records as stored (issue 20) ----------------------------------
    def test_a_document_is_written_only_over_the_version_read(self, store):
        """put_document succeeds over the version the writer read (0: nothing stored) and refuses a stale one."""
        assert store.get_document("preferences", "alice") is None
        assert store.put_document("preferences", "alice", {"units": "metric", "goals": [{"kg": 72.5}]}, 0)
        assert not store.put_document("preferences", "alice", {"units": "imperial"}, 0), "someone stored it first"
        first = store.get_document("preferences", "alice")
        assert (first.body, first.version) == ({"units": "metric", "goals": [{"kg": 72.5}]}, 1)
        assert store.put_document("preferences", "alice", {"units": "imperial", "zone": "Europe/Zürich"}, 1)
        assert not store.put_document("preferences", "alice", {"units": "metric"}, 1), "a stale version"
        latest = store.get_document("preferences", "alice")
        assert (latest.body, latest.version) == ({"units": "imperial", "zone": "Europe/Zürich"}, 2)

    def test_documents_are_listed_per_collection_by_name(self, store):
        """documents() lists one collection only, sorted by name; the same name in another collection is another one."""
        for name in ("strava:2", "manual:withings:2025-03-30T07:30:00", "strava:10"):
            assert store.put_document("ledger-run", name, {"n": name}, 0)
        assert store.put_document("ledger-body", "strava:2", {"n": "body"}, 0)
        listed = store.documents("ledger-run")
        assert [d.name for d in listed] == ["manual:withings:2025-03-30T07:30:00", "strava:10", "strava:2"]
        assert [d.body["n"] for d in listed] == [d.name for d in listed] and {d.version for d in listed} == {1}
        assert [d.body for d in store.documents("ledger-body")] == [{"n": "body"}]
        assert store.documents("preferences") == []

    def test_a_document_that_cannot_be_stored_is_refused_whole(self, store):
        """NaN, an oversized body or a bad collection name raise StoreError and leave the stored version as it was."""
        from core.errors import StoreError

        assert store.put_document("preferences", "bob", {"units": "metric"}, 0)
        for collection, document in (("preferences", {"x": float("nan")}), ("preferences", {"x": "y" * 70_000}),
                                     ("Prefs#1", {"x": 1})):
            with pytest.raises(StoreError):
                store.put_document(collection, "bob", document, 1)
        assert store.get_document("preferences", "bob").body == {"units": "metric"}

    def test_parallel_writers_of_one_document_one_wins(self, store):
        """Eight tabs saving preferences at once from the same read: exactly one write is stored."""
        barrier, won = threading.Barrier(8), []

        def save(i):
            seen = store.get_document("preferences", "alice")
            barrier.wait(10)
            won.append(store.put_document("preferences", "alice", {"tab": i}, seen.version if seen else 0))

        threads = [threading.Thread(target=save, args=(i,)) for i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)
        assert sorted(won) == [False] * 7 + [True]
        assert store.get_document("preferences", "alice").version == 1

    def test_get_record_returns_it_as_its_source_delivered_it(self, store):
        """get_record finds a record by key (also after its time moved month) with its source, fields and raw."""
        store.upsert([run(0), run(1), body(0)])
        stored = store.get_record(RUN, "strava:run:1")
        assert (stored.source, stored.time_utc, stored.raw) == ("strava", run(1).time_utc, {"id": 1})
        assert stored.fields == run(1).fields and stored.digest == run(1).digest
        store.upsert([dataclasses.replace(run(40), key="strava:run:1")])
        assert store.get_record(RUN, "strava:run:1").time_utc == run(40).time_utc
        assert store.get_record(RUN, "strava:run:9") is None and store.get_record(BODY, "strava:run:0") is None

    def test_stored_rows_are_fields_source_key_and_time_in_the_range(self, store):
        """stored_rows gives each record of the range with its fields, source, key and time as ISO text."""
        store.upsert([body(i) for i in range(5)] + [run(0)])
        rows = store.stored_rows(BODY, T0 + timedelta(days=1), T0 + timedelta(days=3))
        assert sorted(r["key"] for r in rows) == ["withings:body:1", "withings:body:2"]
        one = next(r for r in rows if r["key"] == "withings:body:1")
        assert one == {**body(1).fields, "source": "withings", "key": "withings:body:1",
                       "_at": iso_utc(T0 + timedelta(days=1))}
        assert len(store.stored_rows(BODY)) == 5

    def test_read_applies_edits_while_the_source_says_what_it_said(self, store):
        """An edited field is read with the person's value through re-syncs of the same record (even with a
        changed raw payload); once the source changes that field, the source's value is read."""
        from core.store.ledger import FieldEdit, Ledger, put_ledger

        store.upsert([run(0), run(1)])
        edit = Ledger(RUN, "strava:run:0", "strava", {"name": FieldEdit("Long run", "Run 0"),
                                                      "distance_m": FieldEdit(12_000.0, 10_000.0)})
        assert put_ledger(store, edit)
        frame = store.read(RUN).set_index("key")
        assert frame.loc["strava:run:0", "name"] == "Long run" and frame.loc["strava:run:1", "name"] == "Run 1"
        assert frame.loc["strava:run:0", "average_speed_mps"] == 4.0, "12 km in 3000 s"
        resynced = dataclasses.replace(run(0), raw={"id": 0, "kudos_count": 3})
        assert store.upsert([resynced]).updated == 1
        assert store.read(RUN).set_index("key").loc["strava:run:0", "name"] == "Long run"
        renamed = Record(RUN, "strava", "strava:run:0", run(0).time_utc, {**run(0).fields, "name": "Sunday run"})
        store.upsert([renamed])
        frame = store.read(RUN).set_index("key")
        assert frame.loc["strava:run:0", "name"] == "Sunday run", "the source changed the name: its value wins"
        assert frame.loc["strava:run:0", "distance_m"] == 12_000.0, "the distance edit still applies"

    def test_read_leaves_out_deleted_records_whatever_their_source_sends(self, store):
        """A deleted record stays out of reads after the same or a changed record arrives again; counts keep it."""
        from core.store.ledger import Change, Ledger, put_ledger

        store.upsert([body(0), body(1)])
        gone = Change(iso_utc(T0), "ann", "deleted")
        assert put_ledger(store, Ledger(BODY, "withings:body:0", "withings", deleted=gone))
        store.upsert([body(0), body(1)])
        store.upsert([body(0, weight=79.0)])
        assert store.read(BODY).key.tolist() == ["withings:body:1"]
        assert store.counts() == {(BODY, "withings"): 2}, "stored (hidden), so a sync never brings it back"

    def test_a_manual_record_is_read_until_a_provider_record_shows_the_same_item(self, store):
        """A manual weigh-in is read alone; a provider's weigh-in 4 minutes later replaces it in reads (both stay
        stored); deleting the provider's brings the manual one back. A manual set with the key a sheet row has
        is replaced by that row."""
        from core.store.ledger import Change, Ledger, put_ledger

        manual = dataclasses.replace(body(0, weight=80.5, source="manual"), key="manual:withings:2025-03-30T08:30:00")
        store.upsert([manual, body(3)])
        assert store.read(BODY).key.tolist() == [manual.key, "withings:body:3"]
        scale = dataclasses.replace(body(0), time_utc=T0 + timedelta(minutes=4), key="withings:2025-03-30T08:34:00")
        store.upsert([scale])
        assert store.read(BODY).key.tolist() == [scale.key, "withings:body:3"]
        assert store.read(BODY, T0 + timedelta(minutes=2), T0 + timedelta(days=1)).key.tolist() == [scale.key]
        assert store.read(BODY, T0 - timedelta(days=1), T0 + timedelta(minutes=2)).empty, "replaced at the edge too"
        assert len(store.stored_rows(BODY)) == 3
        assert put_ledger(store, Ledger(BODY, scale.key, "withings", deleted=Change(iso_utc(T0), "ann", "deleted")))
        assert store.read(BODY).key.tolist() == [manual.key, "withings:body:3"]
        mine = dataclasses.replace(set_row(0), source="manual", key="manual:log:abc")
        store.upsert([mine])
        assert store.read(SET).key.tolist() == ["manual:log:abc"]
        store.upsert([dataclasses.replace(set_row(0), key="log:abc")])
        assert store.read(SET).key.tolist() == ["log:abc"]
