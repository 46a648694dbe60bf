"""The demo source: deterministic, plausible, and incremental like a real source."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pandas as pd
import pytest

from core.records import BODY, RUN, SET
from core.sources.demo import FIRST_IMPORT_HOLDBACK, DemoSource
from tests.builders import SYNC_NOW as NOW
from tests.builders import frames


@pytest.fixture(scope="module")
def history():
    """Everything a first import at NOW returns."""
    return list(DemoSource(7, lambda: NOW).fetch(None))


def test_same_seed_same_data_other_seed_other_data(history):
    """The demo is reproducible from its seed (and only from it)."""
    again = list(DemoSource(7, lambda: NOW).fetch(None))
    other = list(DemoSource(8, lambda: NOW).fetch(None))
    assert [(r.key, r.digest) for r in again] == [(r.key, r.digest) for r in history]
    assert {r.digest for r in other} != {r.digest for r in history}


def test_history_covers_two_years_up_to_a_week_ago(history):
    """At least two years of history; the first import stops a week short of now."""
    times = [r.time_utc for r in history]
    assert min(times) <= NOW - timedelta(days=730)
    assert NOW - FIRST_IMPORT_HOLDBACK - timedelta(days=2) <= max(times) <= NOW - FIRST_IMPORT_HOLDBACK
    assert times == sorted(times), "records come in time order (the sync checkpoints on that)"
    assert len({(r.kind, r.key) for r in history}) == len(history), "natural keys are unique"


def test_weigh_ins_are_irregular_plausible_and_consistent(history):
    """Weight 60-100 kg with gaps and some days with two weigh-ins; fat + lean mass = weight."""
    body = frames(history)[BODY]
    assert body.weight_kg.between(60, 100).all()
    assert body.fat_ratio_pct.between(8, 35).all()
    per_day = body.groupby("local_date").size()
    assert (per_day == 2).any() and per_day.max() <= 2
    days = pd.date_range(body.local_date.min(), body.local_date.max())
    assert len(per_day) < 0.9 * len(days), "there are days without a weigh-in"
    assert ((body.fat_mass_kg + body.lean_mass_kg) - body.weight_kg).abs().max() <= 0.011
    assert (body.fat_mass_kg / body.weight_kg * 100 - body.fat_ratio_pct).abs().max() < 0.1
    first_year = body[body.local_date < body.local_date.min() + pd.Timedelta(days=90)].weight_kg.mean()
    last_year = body[body.local_date > body.local_date.max() - pd.Timedelta(days=90)].weight_kg.mean()
    assert last_year < first_year - 2, "the weight trend goes down over the history"


def test_runs_are_plausible(history):
    """2-4 runs a week, 4-22 km, paces between 4:00 and 7:30 per km, heart rates in range."""
    runs = frames(history)[RUN]
    per_week = runs.groupby(runs.start_time_local.dt.to_period("W")).size()
    assert per_week.between(2, 4).all()
    assert runs.distance_m.between(4_000, 22_000).all()
    pace_s_per_km = 1000 / runs.average_speed_mps
    assert pace_s_per_km.between(240, 450).all()
    assert (runs.max_heartrate_bpm > runs.average_heartrate_bpm).all()
    assert runs.average_heartrate_bpm.between(110, 185).all()
    assert (runs.elapsed_time_s >= runs.moving_time_s).all()
    assert set(runs.timezone) == {"Europe/Paris", "America/New_York"}
    assert runs.summary_polyline.str.len().gt(20).all()


def test_crossfit_sessions_progress(history):
    """About 3 sessions a week over about 10 exercises, and squat loads go up over time."""
    sets = frames(history)[SET]
    sessions = sets.groupby(sets.session_date.dt.to_period("W")).session_date.nunique()
    assert sessions.max() == 3 and sessions.mean() > 2.3
    assert 8 <= sets.exercise.nunique() <= 14
    squat = sets[sets.exercise == "Back squat"].set_index("session_date").load_kg
    assert squat.iloc[-30:].mean() > squat.iloc[:30].mean()
    assert (sets[sets.exercise == "Pull-up"].load_kg == 0).all()


def test_fetch_since_returns_only_newer_records(history):
    """A later fetch returns exactly the records after the watermark, up to now."""
    watermark = history[-1].time_utc
    newer = list(DemoSource(7, lambda: NOW).fetch(watermark))
    assert newer and all(watermark < r.time_utc <= NOW for r in newer)
    full = {r.key for r in DemoSource(7, lambda: NOW + timedelta(days=30)).fetch(None)}
    assert {r.key for r in newer} <= full
    assert Counter(r.kind for r in newer).keys() <= {BODY, RUN, SET}
    assert list(DemoSource(7, lambda: NOW).fetch(NOW)) == []
