"""Sentences that keep the forecast honest, as pure functions (the page shows them beside the result).

- `unfamiliar_plan`: a plan whose k nearest past weeks are, on average, further from it than
  FAMILIAR_QUANTILE (95 %) of the cross-validated weeks were from theirs is outside what the model
  was ever tested on; the sentence names the plan's values beyond anything in the history.
- `trend_disagreement`: when the predicted weekly change and the current 14-day trend point in
  opposite directions (each at least MIN_CHANGE a week), the model follows its neighbours, not the
  trend; the sentence says so, why, and which of the two has erred less on the walk-forward backtest.
"""

from __future__ import annotations

import numpy as np

from core.forecast.backtest import mae
from core.forecast.features import TARGETS
from core.forecast.load_features import PRIOR_RATE
from core.forecast.model import FAMILIAR_QUANTILE, Fitted, Head, nearest
from core.units import Units
from core.views.format import signed

MIN_CHANGE = {TARGETS[0]: 0.05, TARGETS[1]: 0.05}  # kg or pt a week: below this a direction is noise
NAMES = {"run_km": "running distance", "run_hours": "running time", "sessions": "CrossFit sessions",
         "avg_load_kg": "load per rep", "run_load": "running load", "strength_load": "strength load", "form": "form",
         "prior_rate_kg": "weight trend"}


def unfamiliar_plan(fitted: Fitted, plan: dict[str, float]) -> str | None:
    """A sentence when the (completed) plan is further from its neighbours than cross-validation ever saw; else None."""
    head = fitted.weight
    distance = float(nearest(head, [plan])[0][0].mean())
    if distance <= head.cv.familiar:
        return None
    train = head.train[list(head.features)]
    beyond = [NAMES.get(f, f) for f in head.features if not train[f].min() <= plan[f] <= train[f].max()]
    outside = f" Its {_join(beyond)} {'is' if len(beyond) == 1 else 'are'} beyond any week of yours." if beyond else ""
    return (f"This plan is unlike the weeks you have lived: its {head.k} most similar weeks are further from it "
            f"({distance:.1f}) than {FAMILIAR_QUANTILE:.0%} of the weeks the model was tested on were from theirs "
            f"({head.cv.familiar:.1f}).{outside} Read the result as a guess, not a forecast.")


def trend_disagreement(fitted: Fitted, target: str, predicted: float, current: dict[str, float],
                       units: Units) -> str | None:
    """A sentence when the prediction and the current 14-day trend disagree in direction; else None."""
    trend = float(current.get(PRIOR_RATE[target], 0.0))
    floor = MIN_CHANGE[target]
    if abs(predicted) < floor or abs(trend) < floor or np.sign(predicted) == np.sign(trend):
        return None
    head = fitted.heads[target]
    unit, factor = (units.mass, units.kg_factor) if target == TARGETS[0] else ("pt", 1.0)
    name = "weight" if target == TARGETS[0] else "fat ratio"
    amount = lambda value: f"{signed(value * factor, 2)} {unit}/week"  # noqa: E731
    return (f"Your {name} trend over the last 14 days is {amount(trend)}, but the model predicts "
            f"{amount(predicted)}: it follows the {head.k} past weeks whose training was most like this plan "
            f"(their average), not the recent trend, which says only where the last two weeks went. "
            f"{_track_record(head, factor, unit)}")


def _track_record(head: Head, factor: float, unit: str) -> str:
    """Which has erred less, week by week: the model or the trend carried forward (backtest, else CV)."""
    weeks = head.choice.weeks
    model, trend, how = ((mae(weeks), mae(weeks, "trend"), "on the walk-forward backtest") if len(weeks)
                         else (head.cv.mae, head.cv.trend, "in cross-validation"))
    better = "the model" if model < trend else "the trend carried forward"
    return (f"Over your history {better} has been the better guide {how}: an average error of "
            f"{model * factor:.2f} {unit}/week for the model against {trend * factor:.2f} for the trend.")


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
