"""Every page, as a new user sees it on the demo data, follows the format rules (tests/page_format.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from core.config import build_settings
from core.forecast.training import train_and_save
from core.views import running, weight
from tests.apptest_helpers import SEEDED_AT, app_env, logged_in_app, open_page
from tests.page_format import chart_problems, format_problems
from tests.run_page_helpers import STREAM_FIXTURES, attach_fixture_streams

KEY = "f" * 64
PAGES = ["overview", "weight", "running", "crossfit", "data", "forecast", "fitness", "run", "heatmap"]
CHOICES = {"weight": ["weight_metric"], "running": ["running_metric", "running_period"],
           "crossfit": ["crossfit_exercise"]}  # every option of these widgets is tried
RAW_OPTIONS = {"weight_metric": list(weight.METRICS), "running_metric": list(running.METRICS)}  # shown by label


@pytest.fixture
def stored(demo_store, monkeypatch):
    """The demo with a trained forecast model (so the Forecast page shows its numbers), the streams of a FIT, a GPX
    and a treadmill FIT on three recent runs (so the run page and the heatmap draw their charts) and a max HR (so
    time in zones is drawn); the runs' keys."""
    store, path = demo_store
    assert train_and_save(store, build_settings({"model": {"hmac_key": KEY}}, {}),
                          pd.Timestamp(SEEDED_AT.date())).saved
    keys = attach_fixture_streams(store)
    app_env(monkeypatch, path, model_hmac_key=KEY, maps_tile_url="off", athlete_max_hr_bpm="190")
    return keys


@pytest.fixture
def app(stored):
    """That demo, logged in."""
    return logged_in_app()


def choices(at, page: str):
    """The page after each option of its picker widgets in turn (the page as opened first)."""
    yield "as opened", at
    for key in CHOICES.get(page, []):
        if key == "running_period":
            for option in at.radio(key=key).options[1:]:
                at.radio(key=key).set_value(option).run()
                yield f"{key}={option}", at
            continue
        for option in RAW_OPTIONS.get(key, at.selectbox(key=key).options)[1:]:
            at.selectbox(key=key).set_value(option).run()
            yield f"{key}={option}", at


@pytest.mark.parametrize("system", ["metric", "imperial"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_follows_the_format_rules(app, page, system):
    """No ISO date, no trailing zero decimal, h:mm:ss, titled axes with units, rule-made hovers: on every page."""
    at = app
    at.sidebar.radio(key="units_system").set_value(system).run()
    open_page(at, f"pages/{page}.py")
    assert not at.exception
    shown = at.get("plotly_chart") or at.metric
    assert shown or page == "data", "the page drew its numbers"
    problems = {f"{choice}: {p}" for choice, state in choices(at, page) for p in format_problems(state)}
    assert not at.exception
    assert sorted(problems) == []


@pytest.mark.parametrize("system", ["metric", "imperial"])
@pytest.mark.parametrize("kind", list(STREAM_FIXTURES))
def test_the_run_page_with_a_stored_stream_follows_the_format_rules(stored, kind, system):
    """A run with a stored stream (profile, splits, laps, zones, map: as much as its file has) follows the rules."""
    at = logged_in_app()
    at.sidebar.radio(key="units_system").set_value(system).run()
    at.query_params["run"] = stored[kind]
    open_page(at, "pages/run.py")
    assert not at.exception and len(at.get("plotly_chart")) >= 2, "the run's charts are drawn"
    assert format_problems(at) == []


def test_the_checker_finds_what_the_rules_forbid():
    """The walker is not blind: an ISO date, '11.00', an untitled axis and a default hover are each reported (a
    map's too)."""
    spec = {"layout": {"title": {"text": "Runs per week (runs)"}, "xaxis": {}, "yaxis": {"title": {"text": "speed"}}},
            "data": [{"type": "bar", "x": ["2026-01-05T00:00:00"], "y": [1], "name": "runs"}]}
    problems = chart_problems(spec)
    assert "Runs per week (runs): doubled unit" in problems
    assert "Runs per week (runs): xaxis has no title" in problems
    assert "Runs per week (runs): yaxis title 'speed' names no unit" in problems
    assert "Runs per week (runs): dates on the x axis hover as ISO (no hoverformat)" in problems
    assert "Runs per week (runs): trace 'runs' hovers with plotly's default number format" in problems
    route = {"layout": {"title": {"text": "Route"}, "map": {}}, "data": [{"type": "scattermap", "name": "route"}]}
    assert chart_problems(route) == ["Route: trace 'route' hovers with plotly's default number format"], \
        "a map has no x or y axis to title, but its hover is still checked"
    from tests.page_format import ISO_DATE, ZERO_DECIMAL

    assert ISO_DATE.search("2026-04-12") and ZERO_DECIMAL.search("11.00 km/h") and ZERO_DECIMAL.search("32.0")
    assert not ZERO_DECIMAL.search("10:05, 1.05, 97.5, 1,458.9, 3.11.7")
