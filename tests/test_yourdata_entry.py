"""Manual entry (issue 20): natural keys, then a sync or an import of the same item (no double, nothing lost), bad
input refused with what is wrong and nothing stored, a viewer refused, on SQLite, moto and dynalite."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from core.errors import InvalidEntry, NotAllowed, SyncBusy
from core.records import BODY, RUN, SET
from core.sources.files import import_file
from core.sources.sheets.parse import parse_rows
from core.store.sqlite import SQLiteStore
from core.yourdata import conflicts, enter_run, enter_sets, enter_weigh_in, record_history
from tests.fixtures.provider_fakes import STRAVA_HEADER
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
    withings_csv,
    withings_sync,
)

MORNING = datetime(2026, 3, 5, 7, 30)  # local Paris time (06:30 UTC)


def weigh_in(store, local=MORNING, kg=80.4, fat=None, actor=ADMIN):
    return enter_weigh_in(store, actor, local_time=local, timezone=PARIS, weight_kg=kg, fat_ratio_pct=fat, now=clock)


def test_a_manual_weigh_in_gets_the_withings_key_and_is_read(any_store):
    """A typed weigh-in is stored as manual under Withings' natural key (its local time), with who entered it."""
    record = weigh_in(any_store, fat=21.5)
    assert (record.key, record.source) == ("manual:withings:2026-03-05T07:30:00", "manual")
    frame = any_store.read(BODY)
    assert frame.key.tolist() == [record.key]
    assert (frame.weight_kg.item(), frame.fat_ratio_pct.item()) == (80.4, 21.5)
    assert frame.time_utc.item() == datetime.fromisoformat("2026-03-05T06:30:00+00:00")
    assert record_history(any_store, BODY, record.key).entered["entered_by"] == "ann"


def test_a_withings_sync_of_the_same_weigh_in_is_read_once_and_the_typed_values_stay(any_store):
    """The scale's weigh-in of the same morning (seconds later, other values) is read instead of the typed one,
    twice synced still once; the typed one stays stored, listed as a conflict and in the record's provenance."""
    mine = weigh_in(any_store)
    scale = weigh_group(datetime.fromisoformat("2026-03-05T06:31:40+00:00"), 80650, 215)
    for _ in range(2):
        assert withings_sync(any_store, [scale]).ok
    assert visible(any_store, BODY) == ["withings:2026-03-05T07:31:40"]
    assert any_store.read(BODY).weight_kg.item() == 80.65
    assert any_store.counts() == {(BODY, "manual"): 1, (BODY, "withings"): 1}
    (conflict,) = conflicts(any_store)
    assert (conflict.manual_key, conflict.provider_source) == (mine.key, "withings")
    assert conflict.differences == {"weight_kg": (80.4, 80.65)}, "the fat ratio was not typed: not a difference"
    assert record_history(any_store, BODY, mine.key).replaced_by == "withings:2026-03-05T07:31:40"
    assert record_history(any_store, BODY, "withings:2026-03-05T07:31:40").replaces == (mine.key,)


def test_a_manual_weigh_in_then_the_withings_export_of_it(any_store):
    """Importing weight.csv with the same weigh-in (same key, same value) shows it once, with no conflict."""
    weigh_in(any_store, kg=80.45)
    report = import_file(any_store, withings_csv('"2026-03-05 07:30:00",80.45,,,,,'), "weight.csv", PARIS,
                         now=clock)
    assert report.records_new == 1
    assert visible(any_store, BODY) == ["withings:2026-03-05T07:30:00"] and conflicts(any_store) == []


def test_a_manual_run_with_its_strava_id_then_the_strava_sync(any_store):
    """A run typed with its activity id shares Strava's key: after the sync one run, Strava's values, the typed
    distance kept as a conflict."""
    start = datetime.fromisoformat("2026-03-10T07:02:00+00:00")
    mine = enter_run(any_store, ADMIN, local_start=datetime(2026, 3, 10, 8, 0), timezone=PARIS, distance_m=10_000.0,
                     moving_time_s=3000.0, name="Tempo", activity_id="https://www.strava.com/activities/1007",
                     now=clock)
    assert mine.key == "manual:strava:1007"
    assert strava_sync(any_store, [run_item(7, start)]).ok
    frame = any_store.read(RUN)
    assert frame.key.tolist() == ["strava:1007"] and frame.distance_m.item() == 24931.4
    (conflict,) = conflicts(any_store, [RUN])
    assert conflict.differences["distance_m"] == (10_000.0, 24931.4) and conflict.differences["name"][0] == "Tempo"


def test_a_manual_run_without_an_id_then_the_strava_export_of_it(any_store):
    """A run typed without an id is the same run as an exported one starting within 10 minutes: read once."""
    mine = enter_run(any_store, ADMIN, local_start=datetime(2026, 3, 10, 7, 0), timezone="UTC", distance_m=10_000.0,
                     moving_time_s=3000.0, now=clock)
    assert mine.key == "manual:run:2026-03-10T07:00:00"
    row = ('5001,"Mar 10, 2026, 7:04:00 AM",Morning Run,Run,,3000,10.02,178,40,false,,,activities/5001.fit.gz,72,,'
           "3000.0,2900.0,10020.5,4.1,3.45,85.0,80.0,151.2")
    assert import_file(any_store, f"{STRAVA_HEADER}\n{row}\n".encode(), "activities.csv", now=clock).records_new == 1
    assert visible(any_store, RUN) == ["strava:5001"]
    assert record_history(any_store, RUN, mine.key).replaced_by == "strava:5001"


def test_manual_sets_then_the_training_log_csv_of_the_same_sets(any_store):
    """Typed sets get the log's content keys, so a CSV (or the sheet) with the same row shows each set once."""
    typed = enter_sets(any_store, ADMIN, session_date=date(2026, 3, 2), exercise="Back squat", sets=3, reps=5,
                       load=100.5, now=clock)
    sheet = parse_rows([["Date", "Exercise", "Sets", "Reps", "Load"], ["2026-03-02", "Back squat", "3", "5", "100,5"]],
                       "sheets").records
    assert sorted(r.key for r in typed) == sorted(f"manual:{r.key}" for r in sheet)
    csv_text = "Date,Exercise,Sets,Reps,Load\n2026-03-02,Back squat,3,5,\"100,5\"\n"
    assert import_file(any_store, csv_text.encode(), "log.csv", now=clock).records_new == 3
    assert sorted(visible(any_store, SET)) == sorted(r.key for r in sheet)
    assert conflicts(any_store, [SET]) == []


def test_sets_entered_twice_the_same_day_continue_the_numbering_and_lb_matches_an_lb_log(tmp_path):
    """A second entry of an exercise that day numbers its sets after the first; 225 lb gets the lb row's keys."""
    store = SQLiteStore(tmp_path / "s.db")
    enter_sets(store, ADMIN, session_date=date(2026, 3, 2), exercise="Bench press", sets=2, reps=5, load=225,
               unit="lb", rpe=8, now=clock)
    again = enter_sets(store, ADMIN, session_date=date(2026, 3, 2), exercise="bench  press", sets=1, reps=3,
                       load=235, unit="lb", now=clock)
    assert sorted(store.read(SET).set_number.tolist()) == [1, 2, 3] and again[0].fields["set_number"] == 3
    lb_log = parse_rows([["Date", "Exercise", "Set", "Reps", "Load (lb)"], ["2026-03-02", "Bench press", "1", "5",
                                                                             "225"]], "sheets").records
    assert f"manual:{lb_log[0].key}" in set(store.read(SET).key)
    assert store.get_record(SET, f"manual:{lb_log[0].key}").raw["form"]["rpe"] == 8, "the RPE typed is kept"


def test_the_same_item_entered_twice_or_already_synced_is_refused_and_nothing_is_stored(any_store):
    """A second entry of one weigh-in, or one the scale synced 4 minutes away, is refused naming what to do."""
    weigh_in(any_store)
    with pytest.raises(InvalidEntry, match=r"entered already .*edit it instead"):
        weigh_in(any_store, kg=81.0)
    assert withings_sync(any_store, [weigh_group(datetime.fromisoformat("2026-03-06T06:00:00+00:00"), 80500)]).ok
    with pytest.raises(InvalidEntry, match=r"withings already has this weigh-in \(withings:2026-03-06T07:00:00\)"):
        weigh_in(any_store, local=datetime(2026, 3, 6, 7, 4))
    assert any_store.counts() == {(BODY, "manual"): 1, (BODY, "withings"): 1}


BAD_ENTRIES = [
    ("weight out of range", lambda s: weigh_in(s, kg=500), "weight_kg", "weight 500 kg is outside the allowed range"),
    ("weight not a number", lambda s: weigh_in(s, kg=float("nan")), "weight_kg", "weight nan is not a number"),
    ("weight as text", lambda s: weigh_in(s, kg="80"), "weight_kg", "weight '80' is not a number"),
    ("fat ratio out of range", lambda s: weigh_in(s, fat=90.0), "fat_ratio_pct", "90 % is outside the allowed range 2"),
    ("unknown time zone", lambda s: enter_weigh_in(s, ADMIN, local_time=MORNING, timezone="Mars/Olympus",
                                                   weight_kg=80, now=clock), "timezone", "'Mars/Olympus' is unknown"),
    ("a time zone name longer than any file name", lambda s: enter_weigh_in(s, ADMIN, local_time=MORNING,
                                                                           timezone="x" * 5000, weight_kg=80,
                                                                           now=clock), "timezone", "is unknown"),
    ("a time as text", lambda s: weigh_in(s, local="2026-03-05 07:30"), "time", "is not a date and time"),
    ("a year long gone", lambda s: weigh_in(s, local=datetime(1850, 3, 5, 7, 30)), "time", "after 1900"),
    ("a time the clocks skip", lambda s: weigh_in(s, local=datetime(2026, 3, 29, 2, 30)), "time",
     "does not exist in Europe/Paris"),
    ("a weigh-in in the future", lambda s: weigh_in(s, local=datetime(2026, 3, 21, 7, 0)), "time", "in the future"),
    ("a run faster than anyone", lambda s: enter_run(s, ADMIN, local_start=MORNING, timezone=PARIS,
                                                     distance_m=42_195, moving_time_s=1800, now=clock),
     "moving_time_s", "faster than any run"),
    ("a run of another sport", lambda s: enter_run(s, ADMIN, local_start=MORNING, timezone=PARIS, distance_m=5000,
                                                   moving_time_s=1800, sport_type="Ride", now=clock),
     "sport_type", "'Ride' is not a run"),
    ("a run with a bad Strava id", lambda s: enter_run(s, ADMIN, local_start=MORNING, timezone=PARIS,
                                                       distance_m=5000, moving_time_s=1800,
                                                       activity_id="abc123", now=clock), "strava_id",
     "not a Strava activity id"),
    ("no sets", lambda s: enter_sets(s, ADMIN, session_date=date(2026, 3, 2), exercise="Squat", sets=0, reps=5,
                                     now=clock), "sets", "between 1 and 50"),
    ("half a rep", lambda s: enter_sets(s, ADMIN, session_date=date(2026, 3, 2), exercise="Squat", sets=1,
                                        reps=2.5, now=clock), "reps", "reps 2.5 is not a whole number"),
    ("a load in stone", lambda s: enter_sets(s, ADMIN, session_date=date(2026, 3, 2), exercise="Squat", sets=1,
                                             reps=5, load=10, unit="st", now=clock), "unit", "unknown (use kg or lb)"),
    ("a load beyond any lift", lambda s: enter_sets(s, ADMIN, session_date=date(2026, 3, 2), exercise="Squat",
                                                    sets=1, reps=5, load=1200, now=clock), "load", "1200 kg is out"),
    ("no exercise", lambda s: enter_sets(s, ADMIN, session_date=date(2026, 3, 2), exercise="  ", sets=1, reps=5,
                                         now=clock), "exercise", "the exercise is empty"),
    ("RPE above 10", lambda s: enter_sets(s, ADMIN, session_date=date(2026, 3, 2), exercise="Squat", sets=1, reps=5,
                                          rpe=11, now=clock), "rpe", "RPE 11 is outside"),
]


@pytest.mark.parametrize(("case", "enter", "field", "message"), BAD_ENTRIES, ids=[c[0] for c in BAD_ENTRIES])
def test_bad_input_is_refused_with_the_field_and_the_reason_and_nothing_is_stored(tmp_path, case, enter, field,
                                                                                  message):
    """Each bad value raises InvalidEntry naming the field and what is wrong; the store holds nothing after."""
    store = SQLiteStore(tmp_path / "s.db")
    with pytest.raises(InvalidEntry) as caught:
        enter(store)
    fields = [name for name, _ in caught.value.problems]
    assert field in fields and message in str(caught.value), (fields, str(caught.value))
    assert "nothing was stored" in caught.value.action
    assert store.counts() == {} and store.lease() is None


def test_a_viewer_can_never_enter_data(any_store):
    """Every entry function refuses a viewer (and an unknown role) on the server side; nothing is stored."""
    entries = [lambda a: weigh_in(any_store, actor=a),
               lambda a: enter_run(any_store, a, local_start=MORNING, timezone=PARIS, distance_m=5000,
                                   moving_time_s=1800, now=clock),
               lambda a: enter_sets(any_store, a, session_date=date(2026, 3, 2), exercise="Squat", sets=1, reps=5,
                                    now=clock)]
    for enter in entries:
        for actor in (VIEWER, ADMIN.__class__("mallory", "Admin"), ADMIN.__class__("", "admin")):
            with pytest.raises(NotAllowed):
                enter(actor)
    assert any_store.counts() == {} and any_store.lease() is None


def test_an_entry_while_a_sync_runs_waits_for_it(tmp_path):
    """While another process holds the sync lease, an entry raises SyncBusy and stores nothing."""
    store = SQLiteStore(tmp_path / "s.db")
    assert store.acquire_lease("otherhost:1:abc", NOW - timedelta(seconds=5))
    with pytest.raises(SyncBusy, match="cannot save the entry now"):
        weigh_in(store)
    assert store.counts() == {}


def test_a_time_that_happens_twice_in_autumn_is_the_first_of_the_two(tmp_path):
    """02:30 on the night the clocks go back (Paris, 26 October 2025) is stored as 00:30 UTC, summer time's."""
    store = SQLiteStore(tmp_path / "s.db")
    record = enter_weigh_in(store, ADMIN, local_time=datetime(2025, 10, 26, 2, 30), timezone=PARIS,
                            weight_kg=80.0, now=clock)
    assert record.time_utc == datetime.fromisoformat("2025-10-26T00:30:00+00:00")
    assert record.fields["local_date"] == "2025-10-26" and record.key == "manual:withings:2025-10-26T02:30:00"
