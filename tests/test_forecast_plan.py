"""The plan is kept in SI and only shown in the display unit: it starts at the current week exactly, and
switching between metric and imperial never changes the prediction."""

from __future__ import annotations

import pytest

from core.analytics.weight import trend_series
from core.forecast import model
from core.forecast.features import FEATURES, TARGETS, training_table
from core.forecast.load_features import complete_plan
from core.units import IMPERIAL, METRIC
from core.views import forecast as display
from core.views.format import signed
from tests.builders import frames
from tests.forecast_data import synthetic_records

CURRENT = {"run_km": 24.2, "run_hours": 2.4375, "sessions": 2.375, "avg_load_kg": 61.3, "run_load": 140.0,
           "strength_load": 170.0, "form": -8.0, "prior_rate_kg": -0.12, "prior_rate_pt": -0.05}


@pytest.fixture(scope="module")
def history():
    f = frames(synthetic_records(signal=True))
    table = training_table(f["body"], f["run"], f["set"])
    trends = {t: trend_series(f["body"], c) for t, c in zip(TARGETS, ("weight_kg", "fat_ratio_pct"), strict=True)}
    return model.fit(table), trends


def shown_plan(units, current, moved: dict[str, float] | None = None) -> dict[str, float]:
    """What the page's sliders give in model units: untouched sliders at the current week, `moved` ones (SI) moved."""
    planned = {**current, **(moved or {})}
    return {s.feature: s.to_model_value(s.start(planned[s.feature]), planned[s.feature])
            for s in display.slider_specs(units)}


@pytest.mark.parametrize("units", [METRIC, IMPERIAL])
def test_plan_sliders_start_exactly_at_the_current_week(units):
    """24.2 km starts the km slider at 24.2 (not 24.00, the old step-snapped start) and the mi slider at 15.04;
    the caption of the current week and the slider show the same digits."""
    specs = display.slider_specs(units)
    assert shown_plan(units, CURRENT) == {f: CURRENT[f] for f in FEATURES}
    captions = display.current_caption(CURRENT, units)
    for spec, caption in zip(specs, captions, strict=True):
        assert spec.start(CURRENT[spec.feature]) == CURRENT[spec.feature] / spec.to_model
        assert caption == f"{spec.label}: **{spec.format % spec.start(CURRENT[spec.feature])}**"
    assert captions[0].endswith("**24.2**" if units is METRIC else "**15.0**")
    assert specs[0].start(24.2) != round(24.2 / specs[0].step) * specs[0].step, "the start is not snapped to a step"


@pytest.mark.parametrize("moved", [None, {"run_km": 30.0, "avg_load_kg": 72.5}])
def test_switching_units_leaves_the_prediction_in_kg_identical(history, moved):
    """The same plan, kept in km and kg, predicts exactly the same kg in both unit systems, moved or not;
    the shown results differ only by the unit conversion."""
    fitted, trends = history
    predictions, views = {}, {}
    for units in (METRIC, IMPERIAL):
        plan = shown_plan(units, CURRENT, moved)
        predictions[units.system] = model.predict(fitted, complete_plan(plan, CURRENT))[0]
        views[units.system] = display.scenario_view(fitted, trends, {"current": CURRENT, "plan": plan}, 8, units)
    assert predictions["metric"] == predictions["imperial"]
    kg = predictions["metric"][TARGETS[0]]
    assert views["metric"].results[TARGETS[0]]["plan"].weekly == f"{signed(kg, 2)} kg"
    assert views["imperial"].results[TARGETS[0]]["plan"].weekly == f"{signed(kg * IMPERIAL.kg_factor, 2)} lb"


def test_a_moved_slider_is_the_same_plan_in_the_other_unit():
    """30 km chosen on the metric slider shows as 18.64 mi and goes back to exactly 30 km."""
    km, mi = (next(s for s in display.slider_specs(u) if s.feature == "run_km") for u in (METRIC, IMPERIAL))
    planned = km.to_model_value(30.0, CURRENT["run_km"])
    assert planned == 30.0 and mi.start(planned) == pytest.approx(18.6411, abs=1e-4)
    assert mi.to_model_value(mi.start(planned), planned) == 30.0
    assert mi.to_model_value(19.0, planned) == pytest.approx(30.5775, abs=1e-4), "moving it in miles re-plans in km"


def test_a_plan_equal_to_the_current_week_predicts_the_current_week(history):
    """Untouched sliders: the plan's prediction and the current week's are the same numbers."""
    fitted, _ = history
    current, plan = model.predict_many(fitted, [complete_plan(CURRENT, CURRENT),
                                                complete_plan(shown_plan(IMPERIAL, CURRENT), CURRENT)])
    assert current == plan
    assert complete_plan(shown_plan(IMPERIAL, CURRENT), CURRENT) == CURRENT
