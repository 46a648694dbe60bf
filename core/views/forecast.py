"""What the Forecast page shows, as pure functions: sliders in display units, results, the neighbour table, the
model card and its warnings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pandas as pd
import plotly.graph_objects as go

from core.forecast.features import FEATURE_LABELS, FEATURES, TARGETS
from core.forecast.load_features import complete_plan
from core.forecast.model import MIN_WEEKS, Fitted, neighbours, predict_many, project
from core.forecast.training import version_warnings
from core.units import METRIC, Units
from core.views import forecast_honesty as honesty
from core.views.charts.forecast import Panel, forecast_figure
from core.views.forecast_card import backtest_chart, feature_verdict
from core.views.format import format_day, format_moment, format_number, humanize_age, signed
from core.views.tables import markdown_table

HISTORY_DAYS = 182  # half a year of trend before the projection: enough to see the direction


@dataclass(frozen=True)
class SliderSpec:
    """One plan slider: label and range in display units, and the factor from display units to the model's.

    The plan itself is kept in the model's units (km, kg): a slider only shows it in the display unit.
    """

    feature: str
    key: str  # per unit system (forecast_run_km / forecast_run_mi): each unit has its own widget
    label: str
    low: float
    high: float
    step: float
    to_model: float = 1.0
    decimals: int = 1  # shown by the slider and by the "current" caption alike

    @property
    def format(self) -> str:
        """The slider's number format (the caption of the current week uses the same)."""
        return f"%.{self.decimals}f"

    def start(self, model_value: float) -> float:
        """A model-unit value in this slider's unit, within its range, NOT rounded to the step: a slider
        snapped to its step would start away from the current value (24.00 against a current 24.2)."""
        return float(min(max(model_value / self.to_model, self.low), self.high))

    def to_model_value(self, shown: float, model_value: float) -> float:
        """A slider position in model units: exactly `model_value` while the slider still shows it
        (so a units switch, which only re-displays the plan, never changes it)."""
        return model_value if shown == self.start(model_value) else shown * self.to_model


def slider_specs(units: Units) -> tuple[SliderSpec, ...]:
    """The plan sliders; distance in mi and load in lb when the display is imperial (the model stays in km, kg)."""
    if units.system == "metric":
        distance = SliderSpec("run_km", "forecast_run_km", FEATURE_LABELS["run_km"], 0.0, 120.0, 1.0)
        load = SliderSpec("avg_load_kg", "forecast_avg_load_kg", FEATURE_LABELS["avg_load_kg"], 0.0, 200.0, 2.5)
    else:
        distance = SliderSpec("run_km", "forecast_run_mi", "Running distance (mi/week)", 0.0, 75.0, 1.0,
                              1 / units.distance_from_m(1000.0))
        load = SliderSpec("avg_load_kg", "forecast_avg_load_lb", "Average load per rep (lb)", 0.0, 440.0, 5.0,
                          1 / units.mass_from_kg(1.0))
    return (distance, SliderSpec("run_hours", "forecast_run_hours", FEATURE_LABELS["run_hours"], 0.0, 15.0, 0.25,
                                 decimals=2),
            SliderSpec("sessions", "forecast_sessions", FEATURE_LABELS["sessions"], 0.0, 7.0, 1.0), load)


def neighbour_table(near: pd.DataFrame, units: Units) -> pd.DataFrame:
    """The similar past weeks with readable, unit-labelled columns in the display units."""
    km, kg = units.distance_from_m(1000.0), units.mass_from_kg(1.0)
    columns = {
        "Week of": near.index,
        f"Running ({units.distance})": near.run_km * km,
        "Running (h:mm:ss)": pd.to_timedelta((near.run_hours * 3600).round(0), unit="s"),
        "CrossFit sessions": near.sessions, f"Avg load per rep ({units.mass})": near.avg_load_kg * kg,
        f"Weight change ({units.mass})": near[TARGETS[0]] * kg, "Fat ratio change (pt)": near[TARGETS[1]],
    }
    return pd.DataFrame(columns).reset_index(drop=True)  # rounded when shown (core/views/tables.py)


def current_caption(averages: dict[str, float], units: Units) -> list[str]:
    """The 'current' week's numbers as lines, in display units."""
    specs = {s.feature: s for s in slider_specs(units)}  # the slider's digits, so the two read the same
    return [f"{specs[f].label}: **{specs[f].format % specs[f].start(averages[f])}**" for f in FEATURES]


def trained_when(trained_at: str, now: datetime) -> str:
    """When the model was trained, for the model card: '3 h ago (24 Nov 2026 22:25 UTC)'."""
    at = datetime.fromisoformat(trained_at).astimezone(UTC)
    return f"{humanize_age(max(now - at, timedelta(0)))} ({format_moment(at)} UTC)"


def missing_model_message(weeks: int) -> str:
    """Why there is no model: too few usable weeks (with how many more), or simply not trained yet."""
    if weeks < MIN_WEEKS:
        return (f"Too few weeks for a forecast: {weeks} of {MIN_WEEKS} usable weeks, {MIN_WEEKS - weeks} more "
                "needed (a usable week has a weigh-in in it and in the week before). Keep weighing in: "
                "the model trains itself once there are enough.")
    return (f"No model trained yet, but {weeks} usable weeks are enough. Train it with "
            "`python -m core.forecast train` (or wait for the weekly job or the next Refresh data).")


def no_trend(trends: dict[str, pd.Series]) -> bool:
    """True when there is no weight trend to project from (no weigh-ins)."""
    return trends[TARGETS[0]].empty


def model_warnings(card: dict) -> list[str]:
    """What to say before trusting a model: a library version that differs, a model no better than a naive guess."""
    warnings = version_warnings(card)
    if not card["beats_baselines"]:
        warnings.append("On your own history this model does not predict weekly weight change better than a naive "
                        "guess (see the model card). Read the numbers as 'what happened in similar weeks', not as a "
                        "forecast.")
    return warnings


def fat_ratio_note(fitted: Fitted, card: dict) -> str | None:
    """Why fat ratio is not forecast (too few weeks with a fat-ratio change), or None when it is."""
    if TARGETS[1] in fitted.heads:
        return None
    return (f"Fat ratio is unavailable: only {card['fat_ratio_weeks']} of the {card['weeks_used']} weeks have a "
            f"fat-ratio change (it needs {MIN_WEEKS}). Weight is forecast on its own.")


@dataclass(frozen=True)
class ModelCard:
    """The model card: when and on what it was trained, its errors against the baselines, and how to read them."""

    trained: str
    errors: pd.DataFrame
    caption: str
    features: str = ""  # which feature set won the backtest, and by how much
    backtest: go.Figure | None = None  # predicted vs actual, walk-forward


def model_card(card: dict, now: datetime, units: Units = METRIC) -> ModelCard:
    """The card's sentence, error table (one row per model or baseline) and caption."""
    errors = pd.DataFrame({"model": card["cv_mae"], "no change": card["baseline_zero_mae"],
                           "average weekly change": card["baseline_mean_mae"],
                           "14-day trend carried forward": card["baseline_trend_mae"]}).T
    errors[TARGETS[0]] = errors[TARGETS[0]] * units.kg_factor  # the card keeps kg; the table shows the person's unit
    names = {TARGETS[0]: f"weight MAE ({units.mass}/week)", TARGETS[1]: "fat ratio MAE (pt/week)"}
    return ModelCard(
        trained=f"Trained {trained_when(card['trained_at'], now)} on **{card['weeks_used']} weeks** "
                f"({format_day(pd.Timestamp(card['first_week']))} to {format_day(pd.Timestamp(card['last_week']))}), "
                f"k = {card['k']} neighbours chosen by time-ordered "
                "cross-validation.",
        errors=errors.rename(columns=names),
        caption="Mean absolute error of each weekly prediction on weeks the model had not seen (lower is better). "
                "The model learns only from your own weeks; it cannot know diet, sleep or illness. Trained with "
                + ", ".join(f"{name} {version}" for name, version in card["versions"].items()) + ".",
        features=feature_verdict(card, units),
        backtest=backtest_chart(card, units),
    )


@dataclass(frozen=True)
class Result:
    """One scenario's weekly change of one target, its cumulative change at the horizon, and the spread."""

    label: str
    weekly: str
    cumulative: str
    spread: str


@dataclass(frozen=True)
class ScenarioView:
    """Everything the page shows for a (current, plan, horizon): results per target, the figure, neighbour table."""

    results: dict[str, dict[str, Result]]
    figure: go.Figure  # one panel per modelled target
    neighbours: str  # the plan's neighbour table as Markdown: made once per view, not on every slider move
    honesty: tuple[str, ...] = ()  # a plan unlike any past week; a prediction against the trend (forecast_honesty)


def shown_units(target: str, units: Units) -> tuple[str, str, str, float]:
    """(label, change unit, level unit, factor from stored units) of a target in the display units."""
    if target == TARGETS[0]:
        return "Weight", units.mass, units.mass, units.kg_factor
    return "Fat ratio", "pt", "%", 1.0


def scenario_view(fitted: Fitted, trends: dict[str, pd.Series], scenarios: dict[str, dict[str, float]],
                  horizon: int, units: Units) -> ScenarioView:
    """Predict every scenario, project each modelled target from its current trend, and list the plan's neighbours.

    A scenario needs only the plan's features: its load, form and prior trend come from `current`.
    """
    scenarios = {name: complete_plan(plan, scenarios["current"]) for name, plan in scenarios.items()}
    predicted = dict(zip(scenarios, predict_many(fitted, list(scenarios.values())), strict=True))
    results, panels = {}, []
    for target in fitted.heads:
        label, unit, level_unit, factor = shown_units(target, units)
        results[target] = {name: Result(f"{label}, {name}: per week", f"{signed(mean[target] * factor, 2)} {unit}",
                                        f"{signed(mean[target] * factor * horizon, 1)} {unit}",
                                        format_number(spread[target] * factor, 2))
                           for name, (mean, spread) in predicted.items()}
        trend = trends[target]
        if trend.empty:
            continue  # the figure says so when no target has a trend
        start = trend.index.max()
        projections = {name: project(trend.iloc[-1], mean[target], spread[target], horizon)
                       for name, (mean, spread) in predicted.items()}
        panels.append(Panel(trend[trend.index > start - pd.Timedelta(days=HISTORY_DAYS)], projections, start, label,
                            level_unit, factor))
    near = neighbour_table(neighbours(fitted, scenarios["plan"]), units)
    return ScenarioView(results, forecast_figure(panels), markdown_table(near), _honesty(fitted, scenarios,
                                                                                        predicted["plan"][0], units))


def _honesty(fitted: Fitted, scenarios: dict[str, dict[str, float]], plan: dict[str, float],
             units: Units) -> tuple[str, ...]:
    """The sentences shown beside the plan's result: unfamiliar plan, prediction against the 14-day trend."""
    notes = [honesty.unfamiliar_plan(fitted, scenarios["plan"]),
             *(honesty.trend_disagreement(fitted, t, plan[t], scenarios["current"], units) for t in fitted.heads)]
    return tuple(note for note in notes if note)
