"""Correct and remove (issue 20): an edit is kept through syncs until the source changes that field, a deletion
stays through syncs, the Sheet says its sets are changed there, a viewer can never write; SQLite, moto, dynalite."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from core.errors import EditConflict, InvalidEntry, NotAllowed, ReadOnlySource
from core.records import BODY, RUN, SET
from core.sources.files import import_file
from core.sources.sheets import SheetsSource
from core.store.sqlite import SQLiteStore
from core.sync import run_sync
from core.yourdata import (
    changed,
    conflicts,
    delete_record,
    edit_record,
    enter_weigh_in,
    ledger_version,
    record_history,
    resolve_conflict,
    restore_record,
)
from tests.yourdata_helpers import (
    ADMIN,
    NOW,
    PARIS,
    VIEWER,
    clock,
    run_item,
    strava_sync,
    visible,
    weigh_group,
    withings_sync,
)

START = datetime.fromisoformat("2026-03-10T07:00:00+00:00")
RUNS = [run_item(1, START), run_item(2, START + timedelta(days=2))]


def later(minutes: int):
    return lambda: NOW + timedelta(minutes=minutes)


def test_an_edited_run_keeps_its_edit_through_syncs_and_its_history_says_who_when_and_what_before(any_store):
    """A run renamed here keeps its name through a sync of the same run, and through one where only its kudos
    changed; its history names the editor, the time and the previous value."""
    assert strava_sync(any_store, RUNS).ok
    ledger = edit_record(any_store, ADMIN, RUN, "strava:1001", {"name": "Intervals 6x800"}, now=clock)
    assert ledger.version == 1
    assert strava_sync(any_store, RUNS).ok
    assert strava_sync(any_store, [{**RUNS[0], "kudos_count": 12}, RUNS[1]]).ok
    names = any_store.read(RUN).set_index("key").name
    assert (names["strava:1001"], names["strava:1002"]) == ("Intervals 6x800", "Happy Friday")
    (entry,) = record_history(any_store, RUN, "strava:1001").history
    assert (entry.by, entry.at, entry.action) == ("ann", "2026-03-20T12:00:00Z", "edited")
    assert entry.fields == {"name": ("Happy Friday", "Intervals 6x800")}


def test_when_the_source_changes_an_edited_field_its_new_value_wins_and_the_edit_is_kept_superseded(any_store):
    """Renamed on Strava after the edit here: the read shows Strava's new name; the edit stays in the history,
    marked as not applying; a load or distance edit of another field still applies."""
    assert strava_sync(any_store, RUNS).ok
    edit_record(any_store, ADMIN, RUN, "strava:1001", {"name": "Intervals", "distance_m": 8000.0}, now=clock)
    assert strava_sync(any_store, [{**RUNS[0], "name": "Track Tuesday"}, RUNS[1]], now=later(60)).ok
    run = any_store.read(RUN).set_index("key").loc["strava:1001"]
    assert (run["name"], run.distance_m, run.average_speed_mps) == ("Track Tuesday", 8000.0, 8000.0 / 4500)
    status = {e.field: e for e in record_history(any_store, RUN, "strava:1001").edits}
    assert (status["name"].applies, status["name"].was, status["name"].source_now) == (False, "Happy Friday",
                                                                                       "Track Tuesday")
    assert status["distance_m"].applies


def test_a_deleted_run_is_not_brought_back_by_later_syncs_and_can_be_restored(any_store):
    """A deleted Strava run stays out of reads through the next syncs (even changed at Strava); restoring it
    brings it back with its edits; the history keeps what it showed."""
    assert strava_sync(any_store, RUNS).ok
    edit_record(any_store, ADMIN, RUN, "strava:1002", {"elevation_gain_m": 120.0}, now=clock)
    delete_record(any_store, ADMIN, RUN, "strava:1002", now=later(1))
    for minutes, item in ((60, RUNS[1]), (120, {**RUNS[1], "name": "Renamed at Strava", "kudos_count": 40})):
        assert strava_sync(any_store, [RUNS[0], item], now=later(minutes)).ok
        assert visible(any_store, RUN) == ["strava:1001"]
    assert changed(any_store, RUN).deleted[0][0] == "strava:1002"
    history = record_history(any_store, RUN, "strava:1002")
    assert history.shown is None and history.deleted.fields["elevation_gain_m"] == (120.0, None)
    restore_record(any_store, ADMIN, RUN, "strava:1002", now=later(130))
    run = any_store.read(RUN).set_index("key").loc["strava:1002"]
    assert (run["name"], run.elevation_gain_m) == ("Renamed at Strava", 120.0)
    assert [c.action for c in record_history(any_store, RUN, "strava:1002").history] == ["edited", "deleted",
                                                                                          "restored"]


def test_an_edited_weigh_in_keeps_its_value_through_a_withings_sync(any_store):
    """A mis-weigh corrected here (80.65 -> 78.9 kg) is read corrected after the scale's next sync."""
    groups = [weigh_group(datetime.fromisoformat("2026-03-05T06:31:40+00:00"), 80650, 215)]
    assert withings_sync(any_store, groups).ok
    edit_record(any_store, ADMIN, BODY, "withings:2026-03-05T07:31:40", {"weight_kg": 78.9}, now=clock)
    assert withings_sync(any_store, groups + [weigh_group(START, 80100, grpid=2)]).ok
    frame = any_store.read(BODY).set_index("key")
    assert frame.weight_kg.to_dict() == {"withings:2026-03-05T07:31:40": 78.9, "withings:2026-03-10T08:00:00": 80.1}
    assert changed(any_store, BODY).edited == {"withings:2026-03-05T07:31:40"}


def test_a_set_from_the_sheet_cannot_be_changed_here_and_the_error_says_to_use_the_sheet(any_store):
    """Editing or deleting a mirrored sheet set raises ReadOnlySource naming the set; the store is unchanged."""
    rows = [["Date", "Exercise", "Sets", "Reps", "Load"], ["02/03/2026", "Squat", "1", "5", "90"]]
    sheet = SheetsSource(lambda: rows)
    assert run_sync(any_store, [sheet], now=clock).ok
    (key,) = visible(any_store, SET)
    for change in (lambda: edit_record(any_store, ADMIN, SET, key, {"load_kg": 95.0}, now=clock),
                   lambda: delete_record(any_store, ADMIN, SET, key, now=clock)):
        with pytest.raises(ReadOnlySource, match=r"comes from the Google Sheet .*2026-03-02, Squat, set 1") as caught:
            change()
        assert "in the Google Sheet itself" in caught.value.action
    assert any_store.read(SET).load_kg.tolist() == [90.0] and any_store.documents("ledger-set") == []
    assert record_history(any_store, SET, key).read_only.startswith("a mirror of the Google Sheet")


def test_a_set_imported_from_a_csv_can_be_corrected_and_reimporting_the_file_keeps_the_correction(tmp_path):
    """A CSV import is the person's own file, not a mirror: its set's load is edited, and importing the file
    again adds nothing and changes nothing."""
    store = SQLiteStore(tmp_path / "s.db")
    csv_text = b"Date,Exercise,Sets,Reps,Load\n2026-03-02,Back squat,1,5,100\n"
    import_file(store, csv_text, "log.csv", now=clock)
    (key,) = visible(store, SET)
    edit_record(store, ADMIN, SET, key, {"load_kg": 110, "reps": 5.0, "notes": " felt\teasy "}, now=clock)
    assert import_file(store, csv_text, "log.csv", now=clock).records_new == 0
    row = store.read(SET).iloc[0]
    assert (row.load_kg, row.reps, row.notes) == (110.0, 5.0, "felt easy")


def test_a_viewer_can_never_change_a_record(any_store):
    """Edit, delete, restore and resolving a conflict all refuse a viewer; nothing is written."""
    assert strava_sync(any_store, RUNS).ok
    for change in (lambda a: edit_record(any_store, a, RUN, "strava:1001", {"name": "x"}, now=clock),
                   lambda a: delete_record(any_store, a, RUN, "strava:1001", now=clock),
                   lambda a: restore_record(any_store, a, RUN, "strava:1001", now=clock)):
        with pytest.raises(NotAllowed, match="vic is a viewer: only an admin may"):
            change(VIEWER)
    assert any_store.documents("ledger-run") == [] and visible(any_store, RUN) == ["strava:1001", "strava:1002"]


def test_an_edit_made_on_stale_values_is_refused(any_store):
    """Two tabs show a run at version 0: the first save wins, the second (expected version 0) raises EditConflict."""
    assert strava_sync(any_store, RUNS).ok
    shown = ledger_version(any_store, RUN, "strava:1001")
    edit_record(any_store, ADMIN, RUN, "strava:1001", {"name": "First tab"}, now=clock, expected_version=shown)
    with pytest.raises(EditConflict):
        edit_record(any_store, ADMIN, RUN, "strava:1001", {"name": "Second tab"}, now=clock, expected_version=shown)
    assert any_store.read(RUN).set_index("key").name["strava:1001"] == "First tab"


EDIT_ERRORS = [
    ({"start_time_utc": "2026-03-11T07:00:00Z"}, "start time utc cannot be edited"),
    ({"name": "x" * 201}, "name has 201 characters (at most 200)"),
    ({"distance_m": -5.0}, "distance -0.005 km is outside the allowed range 0 < km < 400"),
    ({"moving_time_s": 60.0}, "faster than any run"),
    ({"sport_type": "Swim"}, "'Swim' is not a run"),
]


@pytest.mark.parametrize(("changes", "message"), EDIT_ERRORS, ids=[m for _, m in EDIT_ERRORS])
def test_an_edit_with_a_bad_value_is_refused_and_nothing_changes(tmp_path, changes, message):
    """A field that cannot be edited or a value out of range raises InvalidEntry naming it; nothing is written."""
    store = SQLiteStore(tmp_path / "s.db")
    assert strava_sync(store, RUNS).ok
    with pytest.raises(InvalidEntry, match=message.replace("(", r"\(").replace(")", r"\)")):
        edit_record(store, ADMIN, RUN, "strava:1001", changes, now=clock)
    assert store.documents("ledger-run") == []


def test_editing_back_to_the_source_value_removes_the_edit_and_an_unchanged_save_writes_nothing(tmp_path):
    """Setting a field back to what the source says leaves no edit; saving the shown values writes nothing."""
    store = SQLiteStore(tmp_path / "s.db")
    assert strava_sync(store, RUNS).ok
    edit_record(store, ADMIN, RUN, "strava:1001", {"name": "Tempo"}, now=clock)
    unchanged = edit_record(store, ADMIN, RUN, "strava:1001", {"name": "Tempo"}, now=clock)
    assert unchanged.version == 1
    back = edit_record(store, ADMIN, RUN, "strava:1001", {"name": "Happy Friday"}, now=clock)
    assert (back.edits, back.version, len(back.history)) == ({}, 2, 2)
    assert changed(store, RUN).edited == frozenset()


def test_a_conflict_is_resolved_by_keeping_the_typed_values_or_the_providers(any_store):
    """Keeping the typed weight puts it on the scale's record as an edit; keeping the scale's sets the typed one
    aside; either way the conflict is gone and each weigh-in is read once."""
    for day, grams in ((5, 80650), (6, 81200)):
        enter_weigh_in(any_store, ADMIN, local_time=datetime(2026, 3, day, 7, 30), timezone=PARIS, weight_kg=80.4,
                       now=clock)
        stamp = datetime.fromisoformat(f"2026-03-0{day}T06:33:00+00:00")
        assert withings_sync(any_store, [weigh_group(stamp, grams, grpid=day)]).ok
    first, second = conflicts(any_store)
    resolve_conflict(any_store, ADMIN, first, "manual", now=clock)
    resolve_conflict(any_store, ADMIN, second, "provider", now=clock)
    with pytest.raises(NotAllowed):
        resolve_conflict(any_store, VIEWER, first, "manual", now=clock)
    assert conflicts(any_store) == []
    weights = any_store.read(BODY).set_index("key").weight_kg.to_dict()
    assert weights == {"withings:2026-03-05T07:33:00": 80.4, "withings:2026-03-06T07:33:00": 81.2}
    assert record_history(any_store, BODY, second.manual_key).deleted.action == "dismissed"


def test_a_manual_record_can_be_edited_and_deleted_like_any_other(tmp_path):
    """A typed weigh-in's value is corrected by an edit, and deleting it leaves nothing to read."""
    store = SQLiteStore(tmp_path / "s.db")
    mine = enter_weigh_in(store, ADMIN, local_time=datetime(2026, 3, 5, 7, 30), timezone=PARIS, weight_kg=80.4,
                          now=clock)
    edit_record(store, ADMIN, BODY, mine.key, {"weight_kg": 80.2}, now=clock)
    assert store.read(BODY).weight_kg.tolist() == [80.2]
    delete_record(store, ADMIN, BODY, mine.key, now=clock)
    assert store.read(BODY).empty and store.counts() == {(BODY, "manual"): 1}
    assert record_history(store, BODY, mine.key).entered["form"]["weight_kg"] == 80.4
    assert date.fromisoformat(record_history(store, BODY, mine.key).deleted.at[:10]) == NOW.date()


def test_a_record_edited_hundreds_of_times_with_long_notes_keeps_its_newest_history(tmp_path):
    """150 edits of a set's notes at the 500-character limit: every save is stored, the history keeps the newest
    entries within the document's size, and the read shows the last value."""
    store = SQLiteStore(tmp_path / "s.db")
    import_file(store, b"Date,Exercise,Sets,Reps,Load\n2026-03-02,Back squat,1,5,100\n", "log.csv", now=clock)
    (key,) = visible(store, SET)
    for i in range(150):
        edit_record(store, ADMIN, SET, key, {"notes": f"{i:03d}" + "n" * 497}, now=clock)
    history = record_history(store, SET, key).history
    assert 10 < len(history) < 100 and history[-1].fields["notes"][1].startswith("149")
    assert store.read(SET).notes.item().startswith("149") and record_history(store, SET, key).version == 150
