"""Server-side time of warm reruns per page, and of the forecast slider, with AppTest as the proxy.

AppTest runs the script in-process without a browser: its `run()` time on a warmed instance is the
script's server time (caches hot), the figure Streamlit spends before sending deltas.
"""

from __future__ import annotations

import os
from pathlib import Path

from bench.common import Row, timed

PAGES = ["pages/overview.py", "pages/weight.py", "pages/running.py", "pages/crossfit.py", "pages/fitness.py",
         "pages/forecast.py", "pages/data.py"]
RUNS = 10


def page_rows(db: Path, model_key: str) -> list[Row]:
    """Warm rerun time per page, and the forecast slider."""
    import tests.conftest  # noqa: F401  (the same AppTest set-up as the tests)
    from tests.apptest_helpers import logged_in_app, open_page

    os.environ.update({"FITDASH_STORE_SQLITE_PATH": str(db), "FITDASH_AUTH_LOGIN_DELAY_BASE_S": "0.01",
                       "FITDASH_MODEL_HMAC_KEY": model_key})
    at = logged_in_app()
    rows = []
    for page in PAGES:
        open_page(at, page)
        at.run()  # warm the caches
        rows.append(Row(f"warm rerun, {page}", [t * 1000 for t in timed(at.run, RUNS)], "ms", "<= 100 ms",
                        "AppTest run() (server script time)"))
    rows.append(_fitness_plan_row(at))
    open_page(at, "pages/forecast.py")
    if at.slider:
        values = iter([20.0, 30.0] * RUNS)
        slider = lambda: at.slider(key="forecast_run_km").set_value(next(values)).run()  # noqa: E731
        rows.append(Row("forecast slider, whole page rerun in AppTest", [t * 1000 for t in timed(slider, RUNS)], "ms",
                        "", "AppTest reruns the whole page; the fragment alone is measured in the browser below"))
    else:
        rows.append(Row("forecast slider, whole page rerun in AppTest", [], "ms", "", "no model trained"))
    return rows


def _fitness_plan_row(at) -> Row:
    """The Fitness page's plan input moved: a new projection (the view rebuilt, the history's loads cached)."""
    from tests.apptest_helpers import open_page

    open_page(at, "pages/fitness.py")
    if not at.number_input:
        return Row("fitness plan input, whole page rerun in AppTest", [], "ms", "", "no training stored")
    values = iter([3.0 + 0.25 * i for i in range(RUNS)])  # each a new plan: no view cached for it yet
    move = lambda: at.number_input(key="fitness_plan_run_hours").set_value(next(values)).run()  # noqa: E731
    return Row("fitness plan input, whole page rerun in AppTest", [t * 1000 for t in timed(move, RUNS)], "ms", "",
               "a new plan: projections and figure rebuilt, the loads reused")
