"""Page views (core.views): pure builders from small literal frames and widget values."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from core.records import empty_frame, frame_from_rows
from core.units import IMPERIAL, METRIC
from core.views.crossfit import crossfit_view, exercise_names
from core.views.overview import overview_view
from core.views.running import route_view, running_view
from tests.builders import daily_weigh_ins
from tests.builders import sets as strength_sets

D = pd.Timestamp


def runs():
    """Three runs: 5 km in 25 min, 10 km in 50 min, 8 km in 48 min (the last, without a route)."""
    rows = [("2026-03-02", 5, 25), ("2026-03-05", 10, 50), ("2026-03-09", 8, 48)]
    return frame_from_rows("run", [
        {"start_time_utc": f"{d}T07:00:00Z", "start_time_local": f"{d}T08:00:00", "name": f"r{i}",
         "distance_m": km * 1000.0, "moving_time_s": minutes * 60.0, "elevation_gain_m": 10.0 * i,
         "average_speed_mps": km * 1000 / (minutes * 60), "average_heartrate_bpm": 150.0, "source": "t",
         "key": f"k{i}"} for i, (d, km, minutes) in enumerate(rows)])


def sets():
    """Back squat and pull-up sets over three sessions."""
    return strength_sets([("2026-03-02", "Back squat", 5, 100.0), ("2026-03-02", "Back squat", 3, 110.0),
                          ("2026-03-05", "Pull-up", 8, 0.0), ("2026-03-09", "Pull-up", 10, 5.0)])


def body():
    """Fourteen daily weigh-ins falling 0.1 kg a day from 80 kg."""
    return daily_weigh_ins(datetime(2026, 3, 1, 6, tzinfo=UTC), 14)


def test_running_view_headline_numbers_equal_a_direct_computation():
    """Runs, distance and pace over a range are the count, sum and total distance / total time of its runs."""
    view = running_view(runs(), start=D("2026-03-01"), end=D("2026-03-06"), metric="distance_m", period="week",
                        units=METRIC)
    assert (view.empty, view.runs, view.distance, view.pace) == (False, "2", "15 km", "5:00 min/km")
    assert view.speed == "12 km/h" and list(view.route_labels) == ["k1", "k0"]
    assert view.route_labels["k1"] == "5 Mar 2026 08:00 - r1 (10 km)"
    assert view.records["record"].iloc[0] == "Longest run" and view.records["distance (km)"].iloc[0] == 10.0


def test_running_view_says_which_records_no_run_reaches_yet():
    """With 10 km the longest run, the view names the half marathon as the record still missing; with all
    three distances run, it says nothing."""
    view = running_view(runs(), start=D("2026-03-01"), end=D("2026-03-31"), metric="runs", period="week",
                        units=METRIC)
    assert view.records_missing == ("No run reaches a half marathon yet: that record appears with the first run "
                                    "that long.")
    assert "Fastest average pace, Half marathon or more" not in set(view.records["record"])
    every = runs()
    view = running_view(every[every.distance_m < 6_000], start=D("2026-03-01"), end=D("2026-03-31"), metric="runs",
                        period="week", units=IMPERIAL)
    assert view.records_missing.startswith("No run reaches 10 km or a half marathon yet: each appears")
    longer = runs().assign(distance_m=[5_000.0, 21_100.0, 8_000.0])
    assert running_view(longer, start=D("2026-03-01"), end=D("2026-03-31"), metric="runs", period="week",
                        units=METRIC).records_missing == ""


def test_running_view_of_an_empty_range_is_empty():
    """A range without runs gives the empty flag and nothing to draw."""
    view = running_view(runs(), start=D("2026-04-01"), end=D("2026-04-30"), metric="runs", period="month",
                        units=IMPERIAL)
    assert view.empty and view.totals is None


def test_route_view_titles_the_run_and_says_when_it_has_no_route():
    """The route figure is titled with the run's label; a run without a polyline says so."""
    fig = route_view(runs(), key="k2", units=METRIC)
    assert fig.layout.title.text == "9 Mar 2026 08:00 - r2 (8 km)"
    assert fig.layout.annotations[0].text == "This run has no route"


def test_training_view_loaded_exercise_numbers():
    """A loaded exercise shows its heaviest load, reps, sets and reps-weighted average load, in the units."""
    assert exercise_names(sets()) == ["Back squat", "Pull-up"]
    view = crossfit_view(sets(), exercise="Back squat", start=D("2026-03-01"), end=D("2026-03-31"), units=METRIC)
    assert not view.empty and not view.bodyweight
    assert dict(view.metrics) == {"Heaviest load": "110 kg", "Total reps": "8", "Sets": "2",
                                  "Average load per rep": "103.8 kg"}
    assert view.rep_maxes.columns.tolist() == ["rep max", "date", "load (kg)", "note"]


def test_training_view_bodyweight_exercise_draws_the_added_load_and_notes_the_body_weight():
    """A bodyweight exercise is shown by reps and added load; the caption gives the body weight on those days."""
    view = crossfit_view(sets(), body(), exercise="Pull-up", start=D("2026-03-01"), end=D("2026-03-31"),
                         units=METRIC)
    assert view.bodyweight and dict(view.metrics)["Most reps in a set"] == "10"
    assert sorted(view.scatter.data[0].x) == [0.0, 5.0]  # the added loads, not body weight + load
    weights = body().set_index("local_date").weight_kg  # one weigh-in a day
    mean = weights[pd.to_datetime(["2026-03-05", "2026-03-09"])].mean()
    assert f"your body weight ({mean:.1f} kg on average on the 2 of 2 sets' days with a weigh-in)" in view.caption


def test_training_view_of_an_empty_range_still_draws_the_volume():
    """No set of the exercise in the range gives the empty flag, with the all-exercise volume still built."""
    view = crossfit_view(sets(), exercise="Back squat", start=D("2026-03-03"), end=D("2026-03-31"), units=METRIC)
    assert view.empty and view.volume is not None and view.scatter is None


def test_overview_view_latest_values_and_empty_sections():
    """The latest weight, its week change and the last run against the previous; missing kinds set empty flags."""
    view = overview_view(body(), runs(), empty_frame("set"), units=METRIC, tz="UTC")
    weight, fat = view.body_values
    assert (weight.value, fat.value, fat.measured) == ("78.7 kg", "no data", None)
    assert weight.changes[0] == "Change since last week: **-0.7 kg**"
    assert [(m.label, m.value, m.delta) for m in view.run_metrics] == [
        ("Distance", "8 km", "-2 km"), ("Moving time", "0:48:00", "-0:02:00"), ("Pace", "6:00 min/km", "+1:00"),
        ("Elevation gain", "20 m", "+10 m")]
    assert view.session_empty and view.session is None
    empty = overview_view(empty_frame("body"), empty_frame("run"), sets(), units=METRIC, tz="UTC")
    assert empty.body_empty and empty.run_empty and empty.session_caption == "Mon 9 Mar 2026"


def test_training_view_last_session_table_with_rpe_and_rir():
    """The last session's sets in set order, load in the display unit, RPE and RIR shown only when logged."""
    rows = [("2026-03-02", 1, 5, 100.0, 7.0, None), ("2026-03-09", 2, 3, 110.0, 9.0, 1.0),
            ("2026-03-09", 1, 5, 100.0, 8.5, 2.0)]
    logged = frame_from_rows("set", [{"session_date": d, "exercise": "Back squat", "set_number": n, "reps": r,
                                      "load_kg": w, "rpe": rpe, "rir": rir, "notes": "", "source": "t",
                                      "key": f"k{i}"} for i, (d, n, r, w, rpe, rir) in enumerate(rows)])
    view = crossfit_view(logged, exercise="Back squat", start=D("2026-03-01"), end=D("2026-03-31"), units=IMPERIAL)
    assert view.last_date == D("2026-03-09")
    assert view.last_session.columns.tolist() == ["set", "reps", "load (lb)", "RPE", "RIR", "notes"]
    assert view.last_session[["set", "reps", "RPE", "RIR"]].values.tolist() == [[1, 5, 8.5, 2.0], [2, 3, 9.0, 1.0]]
    assert view.last_session["load (lb)"].tolist() == [220.5, 242.5]
    plain = crossfit_view(sets(), body(), exercise="Pull-up", start=D("2026-03-01"), end=D("2026-03-31"),
                          units=METRIC)
    assert plain.last_session.columns.tolist() == ["set", "reps", "added load (kg)", "notes"]


def test_bodyweight_caption_lists_the_logged_bodyweight_exercises():
    """The caption names the logged exercises counted as bodyweight, including names added by the setting."""
    from core.views.crossfit import bodyweight_caption

    assert "body weight is not counted): Pull-up." in bodyweight_caption(sets())
    assert "Back squat, Pull-up." in bodyweight_caption(sets(), ("back squats",))


def test_overview_delta_colours_only_where_up_is_good_or_bad():
    """A longer or shorter run, more or less time or climbing is neutral (no colour); only a faster pace is green."""
    view = overview_view(body(), runs(), empty_frame("set"), units=METRIC, tz="UTC")
    assert {m.label: m.delta_color for m in view.run_metrics} == {
        "Distance": "off", "Moving time": "off", "Pace": "inverse", "Elevation gain": "off"}


def test_overview_times_follow_one_time_zone_rule():
    """The weigh-in and the run are both shown in the app's time zone, said once: a 07:00 UTC run is 18:00 in Sydney."""
    view = overview_view(body(), runs(), empty_frame("set"), units=METRIC, tz="Australia/Sydney")
    assert view.times_note == ("Times on this page are in Australia/Sydney (your time zone: Your preferences in the "
                               "sidebar, else [app] timezone).")
    assert view.run_caption == "r2, Mon 9 Mar 2026 18:00 - compared with r1 of Thu 5 Mar 2026"
    assert view.body_values[0].measured == "Measured Sat 14 Mar 2026 17:00"
    assert "local time" not in view.run_caption and "UTC" not in view.body_values[0].measured


def test_overview_shows_a_climb_in_feet_in_imperial():
    """The last run's elevation gain and its change are in feet in imperial units."""
    view = overview_view(body(), runs(), empty_frame("set"), units=IMPERIAL, tz="UTC")
    assert {m.label: (m.value, m.delta) for m in view.run_metrics}["Elevation gain"] == ("66 ft", "+33 ft")


def test_running_view_marks_the_partial_first_and_last_weeks():
    """A range from Wednesday to Monday cuts its first and last weeks: hatched, and the note says which and why."""
    view = running_view(runs(), start=D("2026-03-04"), end=D("2026-03-09"), metric="distance_m", period="week",
                        units=METRIC)
    assert [t.name for t in view.totals.data] == ["partial week (the range cuts it)"]
    assert view.partial_note == ("Hatched bars are partial: the week of 2 Mar 2026 (the range starts on 4 Mar 2026) "
                                 "and the week of 9 Mar 2026 (the range ends on 9 Mar 2026), so they hold only the "
                                 "runs of the days in the range.")
    whole = running_view(runs(), start=D("2026-03-02"), end=D("2026-03-15"), metric="distance_m", period="week",
                         units=METRIC)
    assert whole.partial_note == "" and [t.name for t in whole.totals.data] == ["Distance"]


def test_running_view_compares_moving_time_as_h_mm_ss_and_climbs_in_feet():
    """The last-run table shows moving time as a duration (h:mm:ss in the table) and elevation in ft in imperial."""
    view = running_view(runs(), start=D("2026-03-01"), end=D("2026-03-31"), metric="runs", period="week",
                        units=IMPERIAL)
    last = view.compared.loc["last run"]
    assert last["moving time (h:mm:ss)"] == pd.Timedelta(minutes=48) and last["elevation gain (ft)"] == 66


def test_rep_max_table_says_when_a_lower_rep_max_is_a_heavier_rep_set():
    """With only a 3-rep set at 110 kg, the 1-rep max says no heavier single or double was logged."""
    view = crossfit_view(sets(), exercise="Back squat", start=D("2026-03-01"), end=D("2026-03-31"), units=METRIC)
    notes = dict(zip(view.rep_maxes["rep max"], view.rep_maxes["note"], strict=True))
    assert notes[1] == "no heavier single or double logged, so this is the 3-rep set"
    assert notes[3] == "" and notes[5] == "" and notes[10] == ""


def test_crossfit_history_lists_every_session_newest_first():
    """The exercise history has one row per session, newest first, its sets in set order as reps x load."""
    rows = [("2026-03-02", "Back squat", 5, 100.0), ("2026-03-02", "Back squat", 3, 110.0),
            ("2026-03-09", "Back squat", 5, 102.5)]
    view = crossfit_view(strength_sets(rows), exercise="Back squat", start=D("2026-03-01"), end=D("2026-03-31"),
                         units=METRIC)
    history = view.history
    assert history["date"].tolist() == [D("2026-03-09"), D("2026-03-02")]
    assert history["sets (reps x load (kg))"].tolist() == ["5 x 102.5", "5 x 100, 3 x 110"]
    assert history["reps"].tolist() == [5, 8] and history["volume (kg)"].tolist() == [512.0, 830.0]


def test_e1rm_prs_count_sessions_before_the_range():
    """A session in the range is a PR only if it beats every earlier session, including those before the range."""
    rows = [("2026-02-02", "Back squat", 1, 120.0), ("2026-03-02", "Back squat", 1, 110.0),
            ("2026-03-09", "Back squat", 1, 125.0)]
    view = crossfit_view(strength_sets(rows), exercise="Back squat", start=D("2026-03-01"), end=D("2026-03-31"),
                         units=METRIC)
    pr = [t for t in view.e1rm.data if t.name.startswith("PR")]
    assert [pd.Timestamp(x) for x in pr[0].x] == [D("2026-03-09")] and list(pr[0].y) == [125.0]
