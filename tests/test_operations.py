"""Operations: workflow files valid and wired to the app's entry point; the Procfile serves the app."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.browser import free_port, wait_healthy

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def test_every_workflow_passes_githubs_schema():
    """check-jsonschema's bundled GitHub-workflow schema (offline) accepts every workflow."""
    assert {w.name for w in WORKFLOWS} >= {"sync.yml", "train.yml", "ci.yml"}
    out = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                          *map(str, WORKFLOWS)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr


def test_a_broken_workflow_is_caught(tmp_path):
    """The schema check fails on a workflow with a misspelt key (so CI would go red)."""
    broken = tmp_path / "broken.yml"
    broken.write_text("name: x\non: push\njobs:\n  a:\n    runs_on: ubuntu-latest\n    steps: [{run: echo}]\n")
    out = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                          str(broken)], capture_output=True, text=True, timeout=120)
    assert out.returncode != 0


def test_sync_runs_every_three_hours_the_same_entry_point_as_the_button():
    """sync.yml: cron every 3 h, manual dispatch, no overlap, a timeout, and `python -m core.sync`."""
    flow = yaml.safe_load((ROOT / ".github/workflows/sync.yml").read_text())
    triggers = flow[True] if True in flow else flow["on"]  # YAML 1.1 reads the key `on` as True
    assert triggers["schedule"] == [{"cron": "0 */3 * * *"}] and "workflow_dispatch" in triggers
    assert flow["concurrency"]["cancel-in-progress"] is False
    job = flow["jobs"]["sync"]
    assert job["timeout-minutes"] <= 30
    assert [s["run"] for s in job["steps"] if "core.sync" in s.get("run", "")] == ["python -m core.sync"]
    button = (ROOT / "ui/refresh.py").read_text()
    assert "from core.sync import run_sync" in button
    main = (ROOT / "core/sync/__main__.py").read_text()
    assert "run_sync(store, sources" in main, "the CLI and the button call the same function"


@pytest.mark.parametrize("name", ["sync.yml", "train.yml"])
def test_aws_credentials_come_from_one_step_either_role_or_keys(name):
    """OIDC role or access keys, never both: no env block sets AWS_* (empty secrets would hide the role)."""
    flow = yaml.safe_load((ROOT / ".github/workflows" / name).read_text())
    (job,) = flow["jobs"].values()
    envs = [flow.get("env", {}), job.get("env", {})] + [step.get("env", {}) for step in job["steps"]]
    assert not any(key.startswith("AWS_") for env in envs for key in env)
    aws = [s for s in job["steps"] if s.get("uses", "").startswith("aws-actions/configure-aws-credentials")]
    assert sorted(s["if"] for s in aws) == ["${{ vars.AWS_ROLE_ARN != '' }}", "${{ vars.AWS_ROLE_ARN == '' }}"]
    by_condition = {s["if"]: s["with"] for s in aws}
    assert "role-to-assume" in by_condition["${{ vars.AWS_ROLE_ARN != '' }}"]
    assert "aws-access-key-id" not in by_condition["${{ vars.AWS_ROLE_ARN != '' }}"]
    assert by_condition["${{ vars.AWS_ROLE_ARN == '' }}"]["aws-access-key-id"] == "${{ secrets.AWS_ACCESS_KEY_ID }}"
    assert flow["permissions"]["id-token"] == "write"


def test_ci_entry_point_prepares_a_bare_debian_machine():
    """.ci/run installs make, venv, node, npm and chromium when missing, then npm ci, then `make test`."""
    script = (ROOT / ".ci/run").read_text()
    for package in ("make", "python3-venv", "nodejs", "npm", "chromium"):
        assert f"missing+=({package})" in script, package
    assert script.index("apt-get install") < script.index("\nnpm ci") < script.index("\nmake test")
    assert "export CI=true" in script
    makefile = (ROOT / "Makefile").read_text()
    assert "test: $(STAMP) node-packages" in makefile and "npm ci" in makefile


def test_workflows_never_print_secrets():
    """No step echoes a secret or dumps the environment."""
    for wf in WORKFLOWS:
        for line in wf.read_text().splitlines():
            if re.search(r"\b(echo|printenv|env\b|set -x|cat .*secret)", line) and "secrets." in line:
                pytest.fail(f"{wf.name}: {line.strip()}")
        assert "printenv" not in wf.read_text() and "set -x" not in wf.read_text()


def test_procfile_serves_the_app_on_the_given_port(demo_store):
    """Heroku's web command, with PORT set, answers /_stcore/health on that port."""
    (line,) = (ROOT / "Procfile").read_text().splitlines()
    assert line.startswith("web: ")
    command = line[len("web: "):]
    assert "--server.port=$PORT" in command and "--server.address=0.0.0.0" in command
    port = free_port()
    env = {**os.environ, "PORT": str(port), "FITDASH_STORE_SQLITE_PATH": str(demo_store[1]),
           "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    proc = subprocess.Popen(["bash", "-c", command], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc)
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=10)


def test_python_version_is_pinned_for_heroku():
    """Heroku reads .python-version; it names the 3.11 line the project is tested on."""
    assert (ROOT / ".python-version").read_text().strip() == "3.11"


def make_dry_run(target: str) -> str:
    """What `make` would run for `target` from scratch (-n: printed, not run; -B: as on a fresh machine)."""
    return subprocess.run(["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def test_make_run_installs_only_the_runtime_requirements():
    """`make run` installs requirements.txt and never the test tools; `make test`'s stamp installs them."""
    run = make_dry_run("run")
    assert "pip install --quiet -r requirements.txt" in run and "requirements-dev.txt" not in run
    assert "pip install --quiet -r requirements-dev.txt" in make_dry_run(".venv/.installed-dev")
