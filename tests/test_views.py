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
    assert (view.empty, view.runs, view.distance, view.pace) == (False, "2", "15.0 km", "5:00 min/km")
    assert view.speed == "12.0 km/h" and list(view.route_labels) == ["k1", "k0"]
    assert view.route_labels["k1"] == "2026-03-05 08:00 - r1 (10.0 km)"
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
    assert fig.layout.title.text == "2026-03-09 08:00 - r2 (8.0 km)"
    assert fig.layout.annotations[0].text == "This run has no route"


def test_training_view_loaded_exercise_numbers():
    """A loaded exercise shows its heaviest load, reps, sets and reps-weighted average load, in the units."""
    assert exercise_names(sets()) == ["Back squat", "Pull-up"]
    view = crossfit_view(sets(), exercise="Back squat", start=D("2026-03-01"), end=D("2026-03-31"), units=METRIC)
    assert not view.empty and not view.bodyweight
    assert dict(view.metrics) == {"Heaviest load": "110.0 kg", "Total reps": "8", "Sets": "2",
                                  "Average load per rep": "103.8 kg"}
    assert view.rep_maxes.columns.tolist() == ["rep max", "date", "load (kg)"]


def test_training_view_bodyweight_exercise_counts_sets_with_a_weigh_in():
    """A bodyweight exercise is shown by reps; the caption counts the sets done on a weigh-in day."""
    view = crossfit_view(sets(), body(), exercise="Pull-up", start=D("2026-03-01"), end=D("2026-03-31"),
                         units=METRIC)
    assert view.bodyweight and dict(view.metrics)["Most reps in a set"] == "10"
    assert "for the 2 of 2 sets done on a day with a weigh-in" in view.caption


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
    assert [(m.label, m.value, m.delta) for m in view.run_metrics][:2] == [
        ("Distance", "8.00 km", "-2.00 km"), ("Pace", "6:00 min/km", "+1:00")]
    assert view.session_empty and view.session is None
    empty = overview_view(empty_frame("body"), empty_frame("run"), sets(), units=METRIC, tz="UTC")
    assert empty.body_empty and empty.run_empty and empty.session_caption == "Monday 09 March 2026"


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

    assert "body weight + added load): Pull-up." in bodyweight_caption(sets())
    assert "Back squat, Pull-up." in bodyweight_caption(sets(), ("back squats",))
