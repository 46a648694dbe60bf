"""The Running page's true best efforts: all time and per year, each linked to the run page of its run."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.analytics.true_records import ALL_TIME, best_by_period
from core.units import Units
from core.views.format import format_duration, format_pace
from core.views.run import run_url
from core.views.tables import Link


@dataclass(frozen=True)
class EffortsView:
    """The two tables (None when no run has a stream) and the sentence saying what they are made from."""

    all_time: pd.DataFrame | None
    by_year: pd.DataFrame | None
    note: str


def efforts_view(efforts: pd.DataFrame, runs: pd.DataFrame, *, with_stream: int, units: Units) -> EffortsView:
    """Best efforts from the runs' streams (with_stream of the runs have one), in display units."""
    without = len(runs) - with_stream
    plural = "s" if without != 1 else ""
    summary = f" The records above come from whole-run summaries and also cover the {without} run{plural} without " \
              "one." if without else ""
    if not with_stream:
        return EffortsView(None, None, "No run has a stored activity file yet: true best efforts (the fastest "
                                       "stretch inside any run) appear once FIT, GPX or TCX files are imported.")
    best = best_by_period(efforts, runs)
    runs_with = f"{with_stream} run{'s' if with_stream != 1 else ''}"
    note = f"The fastest stretch of each distance inside any run, from the {runs_with} with a stored activity " \
           f"file (clock time, pauses included).{summary}"
    if best.empty:
        return EffortsView(None, None, note + " None of them is 400 m long yet.")
    top = best[best.period == ALL_TIME]
    all_time = pd.DataFrame({"effort": top.effort, "time": [format_duration(s) for s in top.elapsed_s],
                             f"pace ({units.pace})": [format_pace(s / (d * units.m_factor))
                                                      for s, d in zip(top.elapsed_s, top.distance_m, strict=True)],
                             "date": top.start_time_local.dt.normalize(),
                             "run": [Link(n, run_url(k)) for n, k in zip(top["name"], top.key, strict=True)]})
    return EffortsView(all_time, _by_year(best[best.period != ALL_TIME], list(top.effort)), note)


def _by_year(best: pd.DataFrame, efforts: list[str]) -> pd.DataFrame:
    """Effort rows, one column per year (latest first), each cell the year's best time linking to its run."""
    cells = best.assign(cell=[Link(format_duration(s), run_url(k)) for s, k in zip(best.elapsed_s, best.key,
                                                                                   strict=True)])
    table = cells.pivot(index="effort", columns="period", values="cell")
    table = table.reindex(index=efforts, columns=sorted(table.columns, reverse=True))
    return table.rename_axis(index="effort", columns=None).reset_index()
