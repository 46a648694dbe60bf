"""Weekly time in heart-rate zones and the polarisation of running; which zones apply on which date."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.analytics.athlete import Athlete, athlete_from_section, run_zones, zone_notes
from core.analytics.hr_summary import HrSummary, summarise
from core.analytics.hr_zones import (
    hr_samples,
    polarisation,
    run_zone_seconds,
    weekly_zones,
    zone_seconds,
    zones_from_max_hr,
    zones_from_threshold_hr,
)
from core.errors import ConfigError
from core.records import frame_from_rows
from tests.stream_helpers import stream_of

MAX_190 = zones_from_max_hr(190.0)  # 95, 114, 133, 152, 171 bpm


def runs(*rows: dict) -> pd.DataFrame:
    return frame_from_rows("run", [{"start_time_utc": f"{r['start_time_local']}Z", **r} for r in rows])


def samples(minutes_at: list[tuple[float, float]]) -> HrSummary:
    """The heart rate of (seconds, bpm) pairs at 1 Hz: so many minutes at each heart rate in turn."""
    hr = np.concatenate([np.full(int(m * 60), bpm) for m, bpm in minutes_at])
    return summarise(np.column_stack([np.arange(len(hr) + 1.0), np.concatenate([[hr[0]], hr])]))


WEEK = runs({"key": "A", "start_time_local": "2026-03-03T07:00:00", "moving_time_s": 3000.0,
             "average_heartrate_bpm": 140.0},
            {"key": "B", "start_time_local": "2026-03-05T07:00:00", "moving_time_s": 1800.0,
             "average_heartrate_bpm": 160.0},
            {"key": "C", "start_time_local": "2026-03-10T07:00:00", "moving_time_s": 600.0,
             "average_heartrate_bpm": None})


def test_weekly_zones_add_measured_runs_and_estimate_the_others_from_their_average():
    """Run A measured from its stream; B (no stream) whole in the zone of its 160 bpm average, counted as
    estimated; C (no HR at all) nowhere."""
    measured = {"A": samples([(10, 100), (30, 120), (5, 140), (5, 160)])}
    per_run = run_zone_seconds(WEEK, [MAX_190] * 3, measured)
    week = weekly_zones(per_run).loc["2026-03-02"]
    assert week[["Z1", "Z2", "Z3", "Z4", "Z5"]].tolist() == pytest.approx([10 / 60, 30 / 60, 5 / 60, 35 / 60, 0.0])
    assert (week.total_h, week.estimated_h) == pytest.approx((80 / 60, 30 / 60))
    assert (week.low, week.moderate, week.high) == pytest.approx((40 / 80, 5 / 80, 35 / 80))
    assert weekly_zones(per_run).index.tolist() == [pd.Timestamp("2026-03-02")], "a run without HR has no zone time"


def test_polarisation_groups_friels_seven_zones_by_seiler_and_max_hr_zones_by_dreeve():
    """With threshold 170, 165 bpm is Friel's Z4 (moderate) and 172 bpm Z5a (high); with max 190, 165 is Z4 (high)."""
    stream = {"A": samples([(60, 130), (20, 165), (20, 172)])}
    one = WEEK.iloc[:1]
    friel = polarisation(run_zone_seconds(one, [zones_from_threshold_hr(170.0)], stream))
    garmin = polarisation(run_zone_seconds(one, [MAX_190], stream))
    assert friel == pytest.approx({"low": 0.6, "moderate": 0.2, "high": 0.2})
    assert garmin == pytest.approx({"low": 0.6, "moderate": 0.0, "high": 0.4})


def test_no_time_gives_nan_shares_and_an_empty_typed_table():
    """Without any HR there is no polarisation (NaN, not 0 %) and the weekly table is empty but has its columns."""
    per_run = run_zone_seconds(WEEK.iloc[2:], [MAX_190], {})
    assert per_run.empty and np.isnan(polarisation(per_run)["low"])
    assert {"low", "moderate", "high", "total_h"} <= set(weekly_zones(per_run).columns)
    assert run_zone_seconds(WEEK, [None] * 3, {}).empty, "no zones known: no run is zoned"


def test_a_paused_interval_counts_in_no_zone():
    """hr_samples blanks the HR of intervals the timer was stopped in, so the zones hold only timer time."""
    stream = stream_of(np.arange(0, 601.0), heart_rate_bpm=np.full(601, 150.0), pauses=[(200, 260)])
    assert zone_seconds(hr_samples(stream), MAX_190).sum() == pytest.approx(540.0)


def test_dated_zone_settings_apply_from_their_date_and_the_first_also_before():
    """Threshold 170 from 2024, max 190 from 2025: a 2023 run gets Friel's zones, a 2025 run the max-HR ones."""
    athlete = athlete_from_section({"hr_zones": [{"from": "2025-01-01", "max_hr_bpm": 190},
                                                 {"from": "2024-01-01", "threshold_hr_bpm": 170}]})
    days = pd.Series(pd.to_datetime(["2023-05-01", "2024-12-31", "2025-01-01"]))
    assert [z.names[-1] for z in run_zones(athlete, days)] == ["Z5c", "Z5c", "Z5"]
    assert "from 01 Jan 2024 threshold HR 170 bpm" in zone_notes(athlete)[0]


def test_hr_zones_from_the_environment_are_json_and_dates_from_toml_work_too():
    """FITDASH_ATHLETE_HR_ZONES holds JSON; secrets.toml gives real dates: both parse to the same setting."""
    from datetime import date

    env = athlete_from_section({"hr_zones": '[{"from": "2025-03-01", "max_hr_bpm": 188}]'})
    toml = athlete_from_section({"hr_zones": [{"from": date(2025, 3, 1), "max_hr_bpm": 188}]})
    assert env.hr_zones == toml.hr_zones and env.hr_zones[0].max_hr_bpm == 188.0


@pytest.mark.parametrize(("raw", "message"), [
    ([{"max_hr_bpm": 190}], "needs `from`"),
    ([{"from": "soon", "max_hr_bpm": 190}], "needs `from`"),
    ([{"from": "2025-01-01"}], "exactly one of"),
    ([{"from": "2025-01-01", "max_hr_bpm": 190, "threshold_hr_bpm": 170}], "exactly one of"),
    ([{"from": "2025-01-01", "max_hr_bpm": 900}], "outside"),
    ([{"from": "2025-01-01", "max_hr_bpm": 190}, {"from": "2025-01-01", "max_hr_bpm": 185}], "same date"),
    ("[{not json", "list of tables"),
    ({"from": "2025-01-01"}, "must be a list"),
])
def test_a_malformed_hr_zones_setting_names_what_is_wrong(raw, message):
    """Each broken hr_zones entry raises ConfigError naming the problem, never a zone table built from it."""
    with pytest.raises(ConfigError, match=message):
        athlete_from_section({"hr_zones": raw})


def test_without_settings_zones_follow_the_threshold_then_max_hr_then_age():
    """Undated threshold HR gives Friel's zones; max HR from 220 - age changes with the year; nothing: no zones."""
    days = pd.Series(pd.to_datetime(["2020-06-01", "2025-06-01"]))
    assert run_zones(Athlete(threshold_hr_bpm=170.0), days)[0].names[-1] == "Z5c"
    by_age = run_zones(Athlete(birth_year=1980), days)
    assert [z.lower_bpm[0] for z in by_age] == [90.0, 87.5]
    assert run_zones(Athlete(), days) == [None, None]
    assert "220 - age" in zone_notes(Athlete(birth_year=1980))[0]


def test_the_documented_hr_zones_example_parses_from_secrets_toml_and_the_environment():
    """The commented hr_zones block of secrets.toml.example, uncommented, and its environment form both configure
    dated zones (the documentation is what the code reads)."""
    import tomllib
    from pathlib import Path

    from core.config import build_settings

    lines = (Path(__file__).resolve().parent.parent / ".streamlit" / "secrets.toml.example").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# hr_zones = ["))
    block = [line[2:] for line in lines[start:start + 4]]
    assert block[-1] == "]"
    settings = build_settings(tomllib.loads("[athlete]\n" + "\n".join(block)), {})
    assert [(s.start.date().isoformat(), s.max_hr_bpm, s.threshold_hr_bpm) for s in settings.athlete.hr_zones] == \
        [("2024-01-01", 192.0, None), ("2025-06-01", None, 171.0)]
    env_line = next(line for line in lines if "FITDASH_ATHLETE_HR_ZONES=" in line)
    env_value = env_line.split("FITDASH_ATHLETE_HR_ZONES=", 1)[1].strip("'")
    assert build_settings({}, {"FITDASH_ATHLETE_HR_ZONES": env_value}).athlete.hr_zones[0].max_hr_bpm == 190.0
