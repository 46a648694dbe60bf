"""Every page, as a new user sees it on the demo data, follows the format rules (tests/page_format.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from core.config import build_settings
from core.forecast.training import train_and_save
from core.views import running, weight
from tests.apptest_helpers import SEEDED_AT, app_env, logged_in_app, open_page
from tests.page_format import chart_problems, format_problems

KEY = "f" * 64
PAGES = ["overview", "weight", "running", "crossfit", "data", "forecast"]
CHOICES = {"weight": ["weight_metric"], "running": ["running_metric", "running_period"],
           "crossfit": ["crossfit_exercise"]}  # every option of these widgets is tried
RAW_OPTIONS = {"weight_metric": list(weight.METRICS), "running_metric": list(running.METRICS)}  # shown by label


@pytest.fixture
def app(demo_store, monkeypatch):
    """The demo, logged in, with a trained forecast model (so the Forecast page shows its numbers)."""
    store, path = demo_store
    assert train_and_save(store, build_settings({"model": {"hmac_key": KEY}}, {}),
                          pd.Timestamp(SEEDED_AT.date())).saved
    app_env(monkeypatch, path, model_hmac_key=KEY)
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


def test_the_checker_finds_what_the_rules_forbid():
    """The walker is not blind: an ISO date, '11.00', an untitled axis and a default hover are each reported."""
    spec = {"layout": {"title": {"text": "Runs per week (runs)"}, "xaxis": {}, "yaxis": {"title": {"text": "speed"}}},
            "data": [{"type": "bar", "x": ["2026-01-05T00:00:00"], "y": [1], "name": "runs"}]}
    problems = chart_problems(spec)
    assert "Runs per week (runs): doubled unit" in problems
    assert "Runs per week (runs): xaxis has no title" in problems
    assert "Runs per week (runs): yaxis title 'speed' names no unit" in problems
    assert "Runs per week (runs): dates on the x axis hover as ISO (no hoverformat)" in problems
    assert "Runs per week (runs): trace 'runs' hovers with plotly's default number format" in problems
    from tests.page_format import ISO_DATE, ZERO_DECIMAL

    assert ISO_DATE.search("2026-04-12") and ZERO_DECIMAL.search("11.00 km/h") and ZERO_DECIMAL.search("32.0")
    assert not ZERO_DECIMAL.search("10:05, 1.05, 97.5, 1,458.9, 3.11.7")
