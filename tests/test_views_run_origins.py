"""The Running page lists the latest runs of its range with where each comes from (file, export, API, demo...)."""

from __future__ import annotations

import pandas as pd

from core.records import RUN, frame_from_rows
from core.units import METRIC
from core.views.run import runs_table
from tests.apptest_helpers import app_env, logged_in_app, open_page


def test_each_run_says_where_it_comes_from_newest_first():
    """Provenance in words, a run stored before it was kept as 'not recorded', runs outside the range left out."""
    rows = [{"start_time_utc": f"2026-03-0{d}T07:00:00Z", "start_time_local": f"2026-03-0{d}T08:00:00",
             "name": f"Run {d}", "distance_m": 10_000.0, "moving_time_s": 3000.0, "average_speed_mps": 10_000 / 3000,
             "provenance": p, "source": "strava", "key": f"k{d}"}
            for d, p in ((1, "api"), (2, "file"), (3, None), (4, "export"), (9, "demo"))]
    table = runs_table(frame_from_rows(RUN, rows), start=pd.Timestamp("2026-03-01"),
                              end=pd.Timestamp("2026-03-05"), units=METRIC)
    assert table["from"].tolist() == ["export (CSV row)", "not recorded", "activity file", "Strava API"]
    assert table["run"].tolist()[0].text == "Run 4" and table["pace (min/km)"].tolist()[0] == "5:00"


def test_the_running_page_shows_the_demo_runs_origin(demo_store, monkeypatch):
    """On the page, the table is drawn and the demo's runs say they are the demo's."""
    app_env(monkeypatch, demo_store[1])
    at = open_page(logged_in_app(), "pages/running.py")
    assert not at.exception
    assert "Latest runs" in [h.value for h in at.subheader]
    assert any("| from |" in m.value and "| demo |" in m.value for m in at.markdown)
