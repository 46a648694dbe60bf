"""The model card's verdict on the load features and its backtest figure, from the card's metadata (no unpickling).

Training backtests the original features (the plan: km, hours, sessions, load per rep) and the same plus load,
form and the weight trend, walk-forward, and keeps the set with the lower error (core/forecast/backtest.py);
the card says which won, by how much, and on how many weeks.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.forecast.features import TARGETS
from core.units import Units
from core.views.charts.backtest import backtest_figure

SET_NAMES = {"training": "the original features (distance, time, sessions, load per rep)",
             "training + load": "the original features plus running and strength load, form and the weight trend"}


def feature_verdict(card: dict, units: Units) -> str:
    """Which feature set the weight model kept and why, in one or two sentences."""
    choice = card.get("feature_choice", {}).get(TARGETS[0])
    if not choice:
        return "This model was trained before the load features were compared."
    kept = SET_NAMES.get(choice["kept"], choice["kept"])
    errors = choice["backtest_mae"]
    if not choice["weeks"] or len(errors) < 2:
        return f"Kept {kept}: too few weeks to backtest another set against it."
    other = next(name for name in errors if name != choice["kept"])
    amount = lambda name: f"{errors[name] * units.kg_factor:.3f} {units.mass}/week"  # noqa: E731
    load_won = choice["kept"] != "training"
    verdict = "the load features beat the old ones" if load_won else "the load features did not beat the old ones"
    return (f"On the walk-forward backtest ({choice['weeks']} weeks, each predicted from the weeks before it) "
            f"{verdict}: {amount(choice['kept'])} against {amount(other)} for {SET_NAMES.get(other, other)}. "
            f"The model keeps {kept}.")


def backtest_weeks(card: dict, target: str = TARGETS[0]) -> pd.DataFrame:
    """The card's backtest weeks of one target as a frame indexed by week (empty when there are none)."""
    stored = card.get("backtest", {}).get(target) or {"week": []}
    frame = pd.DataFrame({k: v for k, v in stored.items() if k != "week"}, index=pd.to_datetime(stored["week"]))
    return frame.rename_axis("week")


def backtest_chart(card: dict, units: Units) -> go.Figure:
    """Predicted against actual weight change per backtest week, in the display unit."""
    return backtest_figure(backtest_weeks(card), "weight", units.mass, units.kg_factor)
