"""`streamlit run` for the bench, logging each script or fragment run's server time (bench only, never deployed).

Usage: python -m bench.serve RUNLOG run streamlit_app.py [streamlit options]. Each run appends
"<fragment|script> <ms>" to RUNLOG: the time Streamlit's script thread spends on the run, the figure
performance.md logs as "server script/fragment".
"""

from __future__ import annotations

import sys
import time

import streamlit.runtime.scriptrunner.script_runner as script_runner
from streamlit.web import cli


def main() -> None:
    """Patch the script runner to time each run, then hand over to Streamlit's command line."""
    runlog, sys.argv = sys.argv[1], ["streamlit", *sys.argv[2:]]
    run = script_runner.ScriptRunner._run_script

    def timed(self, rerun_data):
        start = time.perf_counter()
        try:
            return run(self, rerun_data)
        finally:
            kind = "fragment" if rerun_data.fragment_id_queue else "script"
            with open(runlog, "a") as log:
                log.write(f"{kind} {(time.perf_counter() - start) * 1000:.2f}\n")

    script_runner.ScriptRunner._run_script = timed
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
