"""Your data on the pages (issue 20): manual entry forms refuse bad input with the reason and store nothing, store
good input and show it; corrections and deletions from the pages hold through syncs; the Sheet's sets say to change
them in the sheet; a viewer's forced write is refused by the core, not only by a disabled button."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
import streamlit as st

from core.records import BODY, RUN, SET
from core.sources.sheets import SheetsSource
from core.store.sqlite import SQLiteStore
from core.sync import run_sync
from tests.apptest_helpers import markdown_tables
from tests.builders import SYNC_NOW
from tests.yourdata_helpers import run_item, strava_sync
from tests.yourpages_helpers import ADMIN, VIEWER, errors, texts, today, two_users
from tests.yourpages_helpers import page_as as new_session

RUNS_AT = datetime(2026, 3, 10, 7, tzinfo=UTC)  # before the Strava sync's clock (tests/builders.py EDIT_NOW)


@pytest.fixture
def app_store(demo_store, monkeypatch):
    store, path = demo_store
    two_users(monkeypatch, path)
    return store


RECORD_KINDS = {"pages/weight.py": BODY, "pages/running.py": RUN, "pages/crossfit.py": SET}


def page_as(user, page: str):
    """A new session on the page, its 'Correct or remove' switched on (the Data page has the entry forms)."""
    at = new_session(user, page)
    if page in RECORD_KINDS:
        at.toggle(key=f"manage_{RECORD_KINDS[page]}").set_value(True).run()
    return at


def click(at, label: str):
    """Click the (first) button with this label, and run. A disabled button is clicked as a forged WebSocket message
    would (AppTest refuses what a browser cannot do; Streamlit's server does not check `disabled`)."""
    button = next(b for b in at.button if b.label == label)
    if button.disabled:
        button._value = True  # the widget state a forged client sends
        return at.run()
    return button.click().run()


def fill(at, **values):
    """Set widgets by key."""
    for key, value in values.items():
        widget = next(w for kind in ("number_input", "text_input", "date_input", "time_input", "radio", "selectbox")
                      for w in at.get(kind) if getattr(w, "key", None) == key)
        widget.set_value(value)
    return at


def weigh_in(at, weight, day=None, clock=time(7, 15), fat=None):
    day = day or today().date() - timedelta(days=1)
    fill(at, entry_body_date=day, entry_body_time=clock, entry_body_weight=weight, entry_body_fat=fat)
    return click(at, "Save weigh-in")


BAD_WEIGH_INS = [
    ("no weight", {"weight": None}, "enter the weight"),
    ("an absurd weight", {"weight": 500.0}, "weight 500 kg is outside the allowed range"),
    ("an absurd fat ratio", {"weight": 80.0, "fat": 95.0}, "fat ratio 95 % is outside the allowed range"),
    ("a time in the future", {"weight": 80.0, "day": today().date() + timedelta(days=2)}, "is in the future"),
]


@pytest.mark.parametrize(("case", "given", "message"), BAD_WEIGH_INS, ids=[c[0] for c in BAD_WEIGH_INS])
def test_a_bad_weigh_in_is_refused_with_the_reason_and_nothing_is_stored(app_store, case, given, message):
    """Each bad value is named in the message, with 'nothing was stored', and the store's counts do not move."""
    before = app_store.counts()
    at = weigh_in(page_as(ADMIN, "pages/data.py"), **given)
    assert not at.exception and message in errors(at), errors(at)
    assert app_store.counts() == before


def test_a_good_weigh_in_is_stored_as_manual_with_its_withings_key_and_shown(app_store):
    """81.3 kg yesterday 07:15 is stored once as a manual record, the page says so and lists it to correct."""
    day = today().date() - timedelta(days=1)
    at = weigh_in(page_as(ADMIN, "pages/data.py"), 81.3, day, fat=21.5)
    assert not at.exception and not at.error
    key = f"manual:withings:{day.isoformat()}T07:15:00"
    record = app_store.get_record(BODY, key)
    assert record is not None and record.fields["weight_kg"] == 81.3 and record.fields["fat_ratio_pct"] == 21.5
    assert record.raw["entered_by"] == "ann"
    assert f"Weigh-in of 81.3 kg at {day.isoformat()} 07:15 saved." in texts(at)
    again = weigh_in(at, 81.3, day)
    assert "entered already" in errors(again) and app_store.counts()[(BODY, "manual")] == 1
    assert page_as(ADMIN, "pages/weight.py").selectbox(key="edit_body_pick").value == key, "offered to correct"


def test_a_viewers_forged_click_on_a_disabled_button_stores_nothing(app_store):
    """vic (a viewer) sees the forms with their buttons disabled; a click forged anyway is dropped, nothing stored."""
    at = page_as(VIEWER, "pages/data.py")
    assert "only an admin can add, correct or remove one" in "\n".join(texts(at))
    assert next(b for b in at.button if b.label == "Save weigh-in").disabled
    before = app_store.counts()
    weigh_in(at, 81.3)
    assert not at.exception and app_store.counts() == before


def test_a_viewers_write_reaching_the_core_is_refused_there_and_nothing_is_stored(app_store, monkeypatch):
    """Even with the page drawing vic enabled buttons (as a UI bug would), entry, edit and delete reach the core
    with vic's role and are refused (NotAllowed, with its action); the store is unchanged, no ledger written."""
    from ui import gate

    monkeypatch.setattr(gate, "is_admin", lambda: True)  # the page's convenience check only: the role stays viewer
    at = page_as(VIEWER, "pages/data.py")
    assert not next(b for b in at.button if b.label == "Save weigh-in").disabled
    before, shown = app_store.counts(), app_store.read(BODY)
    weigh_in(at, 81.3)
    assert "vic is a viewer: only an admin may enter a weigh-in" in errors(at)
    assert "Ask an admin of this dashboard to make the change" in errors(at)
    at = page_as(VIEWER, "pages/weight.py")
    key = at.selectbox(key="edit_body_pick").value
    click(fill(at, **{f"edit_body_{key}_weight_kg": 99.0}), "Save changes")
    assert "only an admin may edit this weigh-in" in errors(at)
    click(at, "Delete this record")
    assert "only an admin may delete this weigh-in" in errors(at)
    assert app_store.counts() == before and app_store.read(BODY).equals(shown)
    assert app_store.get_document("ledger-body", key) is None, "no ledger written"


def test_a_weigh_in_corrected_on_the_page_keeps_its_value_through_a_sync_and_shows_its_history(app_store):
    """ann sets the newest weigh-in to 77.7 kg; the demo source syncs it again; it still reads 77.7 kg, and the
    page's history names ann, 'edited' and the previous value."""
    at = page_as(ADMIN, "pages/weight.py")
    key = at.selectbox(key="edit_body_pick").value
    was = app_store.get_record(BODY, key).fields["weight_kg"]
    click(fill(at, **{f"edit_body_{key}_weight_kg": 77.7}), "Save changes")
    assert not at.error and "Saved." in texts(at)
    from core.sources.demo import DemoSource
    from tests.builders import clock_at

    report = run_sync(app_store, [DemoSource(7, clock_at(SYNC_NOW))], now=clock_at(SYNC_NOW))
    assert report.ok and app_store.get_record(BODY, key) is not None
    assert app_store.read(BODY).set_index("key").weight_kg[key] == 77.7
    fresh = page_as(ADMIN, "pages/weight.py")
    (history,) = [t for t in markdown_tables(fresh) if "who" in t.columns]
    row = history.iloc[0]
    assert (row.who, row.what, row.field) == ("ann", "edited", "weight (kg)")
    assert (float(row.before), float(row.after)) == (pytest.approx(was, abs=0.005), 77.7)


def test_a_run_deleted_on_the_page_stays_deleted_through_a_strava_sync_and_can_be_restored(tmp_path, monkeypatch):
    """A Strava run deleted on the Running page is not brought back by the next sync; Restore shows it again."""
    store = SQLiteStore(tmp_path / "runs.db")
    runs = [run_item(1, RUNS_AT), run_item(2, RUNS_AT + timedelta(days=2))]
    assert strava_sync(store, runs).ok
    two_users(monkeypatch, tmp_path / "runs.db")
    at = page_as(ADMIN, "pages/running.py")
    assert at.selectbox(key="edit_run_pick").value == "strava:1002"
    click(at, "Delete this record")
    assert not at.error and store.read(RUN).key.tolist() == ["strava:1001"]
    assert strava_sync(store, runs).ok and store.read(RUN).key.tolist() == ["strava:1001"], "a sync keeps it deleted"
    at = page_as(ADMIN, "pages/running.py")
    assert at.selectbox(key="restore_run_pick").value == "strava:1002"
    click(at, "Restore")
    assert not at.error and store.read(RUN).key.tolist() == ["strava:1001", "strava:1002"]


def test_a_run_renamed_on_the_page_keeps_its_name_through_a_strava_sync(tmp_path, monkeypatch):
    """The name typed on the Running page holds when Strava sends the same run again."""
    store = SQLiteStore(tmp_path / "runs.db")
    runs = [run_item(1, RUNS_AT)]
    assert strava_sync(store, runs).ok
    two_users(monkeypatch, tmp_path / "runs.db")
    at = page_as(ADMIN, "pages/running.py")
    click(fill(at, **{"edit_run_strava:1001_name": "Tempo 3x10 min"}), "Save changes")
    assert not at.error
    assert strava_sync(store, [{**runs[0], "kudos_count": 9}]).ok
    assert store.read(RUN).name.tolist() == ["Tempo 3x10 min"]


BAD_RUNS = [
    ("no distance", {"entry_run_moving": "50:00"}, "enter the distance"),
    ("a time that is not one", {"entry_run_distance": 10.0, "entry_run_moving": "fifty"}, "is not h:mm:ss"),
    ("faster than any run", {"entry_run_distance": 42.0, "entry_run_moving": "20:00"}, "faster than any run"),
    ("a bad Strava id", {"entry_run_distance": 10.0, "entry_run_moving": "50:00", "entry_run_strava": "x"},
     "is not a Strava activity id or URL"),
]


@pytest.mark.parametrize(("case", "given", "message"), BAD_RUNS, ids=[c[0] for c in BAD_RUNS])
def test_a_bad_run_is_refused_with_the_reason_and_nothing_is_stored(app_store, case, given, message):
    """Each bad value is named; the store's counts do not move."""
    before = app_store.counts()
    at = click(fill(page_as(ADMIN, "pages/data.py"), entry_run_date=today().date() - timedelta(days=1), **given),
               "Save run")
    assert not at.exception and message in errors(at), errors(at)
    assert app_store.counts() == before


def test_a_good_run_is_stored_and_listed(app_store):
    """10 km in 52:30 with a name is stored as a manual run of 10,000 m and 3,150 s and offered to correct."""
    day = today().date() - timedelta(days=1)
    at = click(fill(page_as(ADMIN, "pages/data.py"), entry_run_date=day, entry_run_distance=10.0,
                    entry_run_moving="52:30", entry_run_name="Easy"), "Save run")
    assert not at.error, errors(at)
    key = f"manual:run:{day.isoformat()}T07:00:00"
    fields = app_store.get_record(RUN, key).fields
    assert (fields["distance_m"], fields["moving_time_s"], fields["name"]) == (10_000.0, 3_150.0, "Easy")
    assert page_as(ADMIN, "pages/running.py").selectbox(key="edit_run_pick").value == key


def test_sets_bad_then_good_and_a_sheet_set_says_to_change_it_in_the_sheet(app_store):
    """An empty exercise and an RPE of 12 are refused (nothing stored); 3 x 5 at 100 kg is stored; a set from the
    Google Sheet shows the sheet's action instead of an edit form."""
    at = page_as(ADMIN, "pages/data.py")
    before = app_store.counts()
    click(fill(at, entry_set_exercise="", entry_set_reps=5), "Save sets")
    assert "the exercise is empty" in errors(at) and app_store.counts() == before
    click(fill(at, entry_set_exercise="Front squat", entry_set_reps=5, entry_set_rpe=12.0), "Save sets")
    assert "RPE 12 is outside the allowed range" in errors(at) and app_store.counts() == before
    day = today().date() - timedelta(days=1)
    click(fill(at, entry_set_date=day, entry_set_exercise="Front squat", entry_set_sets=3, entry_set_reps=5,
               entry_set_load=100.0, entry_set_rpe=None), "Save sets")
    assert not at.error, errors(at)
    manual = app_store.read(SET).query("source == 'manual'")
    assert sorted(manual.set_number) == [1, 2, 3] and set(manual.load_kg) == {100.0}
    rows = [["date", "exercise", "set", "reps", "load", "unit", "notes"],
            [(day + timedelta(days=1)).isoformat(), "Deadlift", "1", "5", "140", "kg", ""]]
    assert run_sync(app_store, [SheetsSource(lambda: rows)], now=lambda: SYNC_NOW).ok
    st.cache_data.clear()  # what the app's Refresh does after its sync (a scheduled one shows after the cache TTL)
    at = page_as(ADMIN, "pages/crossfit.py")
    assert app_store.get_record(SET, at.selectbox(key="edit_set_pick").value).source == "sheets", "the newest set"
    sheet_notes = [i.value for i in at.info if "Google Sheet" in i.value]
    assert sheet_notes and "Make the change in the Google Sheet itself" in sheet_notes[0]
    assert not [b for b in at.button if b.label == "Save changes"], "no edit form for a mirrored set"


def test_a_save_made_on_values_another_tab_changed_since_is_refused(tmp_path, monkeypatch):
    """Two tabs show the same run; the first renames it; the second's rename is refused (reload), the first kept."""
    store = SQLiteStore(tmp_path / "runs.db")
    assert strava_sync(store, [run_item(1, RUNS_AT)]).ok
    two_users(monkeypatch, tmp_path / "runs.db")
    first, second = page_as(ADMIN, "pages/running.py"), page_as(ADMIN, "pages/running.py")
    click(fill(first, **{"edit_run_strava:1001_name": "First tab"}), "Save changes")
    assert not first.error
    click(fill(second, **{"edit_run_strava:1001_name": "Second tab"}), "Save changes")
    assert "was changed since it was shown" in errors(second) and "reload the page" in errors(second)
    assert store.read(RUN).name.tolist() == ["First tab"]
    click(fill(first, **{"edit_run_strava:1001_name": "First tab again"}), "Save changes")
    assert not first.error and store.read(RUN).name.tolist() == ["First tab again"], "its own save is not stale"


def test_a_run_name_too_long_is_refused_and_nothing_changes(tmp_path, monkeypatch):
    """A pasted 5,000-character name is refused with the limit; the stored name and ledger are untouched."""
    store = SQLiteStore(tmp_path / "runs.db")
    assert strava_sync(store, [run_item(1, RUNS_AT)]).ok
    before = store.read(RUN).name.tolist()
    two_users(monkeypatch, tmp_path / "runs.db")
    at = click(fill(page_as(ADMIN, "pages/running.py"), **{"edit_run_strava:1001_name": "x" * 5000}),
               "Save changes")
    assert "name has 5000 characters (at most 200)" in errors(at) and "nothing was stored" in errors(at)
    assert store.read(RUN).name.tolist() == before and store.get_document("ledger-run", "strava:1001") is None


def test_an_entry_then_the_scales_sync_of_it_is_read_once_and_its_conflict_settled_on_the_data_page(tmp_path,
                                                                                                      monkeypatch):
    """ann (in Paris) types 80.4 kg at 07:30; Withings later syncs 80.65 kg at 07:31:40: one weigh-in is read (the
    scale's), the Data page lists the conflict, and 'Keep my values' puts 80.4 kg on the scale's record."""
    from datetime import date

    from tests.yourdata_helpers import weigh_group, withings_sync

    store = SQLiteStore(tmp_path / "body.db")
    two_users(monkeypatch, tmp_path / "body.db")
    at = page_as(ADMIN, "pages/data.py")
    at.sidebar.selectbox(key="pref_timezone").set_value("Europe/Paris").run()
    weigh_in(at, 80.4, date(2026, 3, 10), time(7, 30))
    assert not at.error, errors(at)
    assert store.read(BODY).key.tolist() == ["manual:withings:2026-03-10T07:30:00"], "07:30 Paris, as typed"
    assert withings_sync(store, [weigh_group(datetime(2026, 3, 10, 6, 31, 40, tzinfo=UTC), 80650)]).ok
    assert store.read(BODY).weight_kg.tolist() == [80.65], "read once: the scale's"
    at = page_as(ADMIN, "pages/data.py")
    assert any("was replaced by withings:2026-03-10T07:31:40" in t and "80.4 yours, 80.65 withings's" in t
               for t in texts(at))
    click(at, "Keep my values")
    assert not at.error and store.read(BODY).weight_kg.tolist() == [80.4]
    assert not any("was replaced by" in t for t in texts(at)), "settled: no longer listed"


def test_a_sets_misspelt_exercise_rpe_and_notes_are_corrected_on_the_crossfit_page(app_store):
    """A manual set's misspelt exercise, its RPE and notes are corrected on the CrossFit page (reps kept); an
    emptied exercise is refused with the reason and changes nothing."""
    day = today().date() - timedelta(days=1)
    at = click(fill(page_as(ADMIN, "pages/data.py"), entry_set_date=day, entry_set_exercise="Frnot squat",
                    entry_set_sets=1, entry_set_reps=5, entry_set_load=100.0, entry_set_rpe=None), "Save sets")
    assert not at.error, errors(at)
    key = app_store.read(SET).query("source == 'manual'").key.iloc[0]
    at = page_as(ADMIN, "pages/crossfit.py")
    at.selectbox(key="edit_set_pick").set_value(key).run()
    click(fill(at, **{f"edit_set_{key}_exercise": ""}), "Save changes")
    assert "the exercise is empty" in errors(at)
    assert app_store.read(SET).set_index("key").loc[key, "exercise"] == "Frnot squat"
    at = page_as(ADMIN, "pages/crossfit.py")
    at.selectbox(key="edit_set_pick").set_value(key).run()
    click(fill(at, **{f"edit_set_{key}_exercise": "Front squat", f"edit_set_{key}_rpe": 8.0,
                      f"edit_set_{key}_notes": "belt"}), "Save changes")
    assert not at.error, errors(at)
    fields = app_store.read(SET).set_index("key").loc[key]
    assert (fields["exercise"], fields["rpe"], fields["notes"], fields["reps"]) == ("Front squat", 8.0, "belt", 5)


def test_a_runs_moving_time_typed_as_h_mm_ss_is_stored_in_seconds_and_kept_through_a_sync(tmp_path, monkeypatch):
    """'fifty' is refused with the reason; '1:02:03' typed on the Running page is stored as 3,723 s and holds
    when Strava sends the run again."""
    store = SQLiteStore(tmp_path / "runs.db")
    runs = [run_item(1, RUNS_AT)]
    assert strava_sync(store, runs).ok
    two_users(monkeypatch, tmp_path / "runs.db")
    at = page_as(ADMIN, "pages/running.py")
    before = store.read(RUN).moving_time_s.tolist()
    click(fill(at, **{"edit_run_strava:1001_moving_time_s": "fifty"}), "Save changes")
    assert "is not h:mm:ss" in errors(at) and store.read(RUN).moving_time_s.tolist() == before != [3723.0]
    click(fill(at, **{"edit_run_strava:1001_moving_time_s": "1:02:03"}), "Save changes")
    assert not at.error, errors(at)
    assert strava_sync(store, runs).ok
    assert store.read(RUN).moving_time_s.tolist() == [3723.0]
