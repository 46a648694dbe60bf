"""Architecture rules that keep the layers honest (README, "Architecture": one rule per layer)."""

from __future__ import annotations

import ast
import subprocess
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What analytics may build on: the record model, the store's types, units, plausible ranges, the activity-file
# stream model, typed errors and each other. Never the sync, the settings, the sources or the presentation.
ANALYTICS_MAY_IMPORT = ("core.analytics", "core.records", "core.store.base", "core.units", "core.plausible",
                        "core.activity", "core.errors")
# A page lays out what its view built: its view module, ui/, and the shared vocabulary of record kinds and typed
# errors (a page turns errors into messages). Never analytics, charts, the store, sources or the model directly.
PAGES_MAY_IMPORT = ("streamlit", "ui", "core.views", "core.records", "core.errors")


def imported_modules(path: Path) -> set[str]:
    """Every module an import statement in the file names (at the top or inside a function)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}  # `from pkg import module`
    return names


def under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


@cache
def core_modules() -> dict[str, Path]:
    """Dotted name -> file of every module under core/ (a package by its __init__.py)."""
    modules = {}
    for path in (ROOT / "core").rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def core_imports(path: Path) -> set[str]:
    """The core modules a file imports (names that are attributes, not modules, are dropped)."""
    return {m for m in imported_modules(path) if m in core_modules()}


def test_core_never_imports_streamlit_or_ui():
    """core/ stays usable from the CLI and the scheduled sync: no module under it imports Streamlit or ui/."""
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "core").rglob("*.py")
                 if any(under(m, ("streamlit", "ui")) or m.startswith("streamlit_") for m in imported_modules(p))]
    assert offenders == []


def test_analytics_import_only_the_record_model_and_each_other():
    """Analytics return numbers from what they are given: no sync, settings, sources, store backend or views."""
    offenders = {f"{p.relative_to(ROOT)}: {m}" for p in (ROOT / "core" / "analytics").rglob("*.py")
                 for m in core_imports(p) if not under(m, ANALYTICS_MAY_IMPORT)}
    assert offenders == set()


def test_pages_import_only_their_views_and_ui():
    """A page imports Streamlit, its view module and ui/ (plus record kinds and typed errors): never analytics, charts,
    the forecast model or pandas of its own."""
    offenders = {f"{p.name}: {m}" for p in (ROOT / "pages").glob("*.py") for m in imported_modules(p)
                 if (m.startswith("core") and not under(m, PAGES_MAY_IMPORT)) or under(m, ("core.views.charts",))
                 or not under(m, ("core", *PAGES_MAY_IMPORT))}
    assert offenders == set()


def test_charts_never_import_a_page_view():
    """Figure builders sit below the page views: a chart module imports charts, format and lower layers only."""
    page_views = {m for m in core_modules() if m.startswith("core.views.") and not under(m, (
        "core.views.charts", "core.views.format"))}
    offenders = {f"{p.name}: {m}" for p in (ROOT / "core" / "views" / "charts").glob("*.py")
                 for m in core_imports(p) if m in page_views}
    assert offenders == set()


def test_core_modules_import_each_other_without_a_cycle():
    """No import cycle among core modules, counting imports inside functions too (each module can load alone)."""
    graph = {name: core_imports(path) - {name} for name, path in core_modules().items()}
    for name in graph:  # `import core.a.b` runs core/a/__init__ first: an edge to the parent is no cycle
        graph[name] = {m for m in graph[name] if not name.startswith(m + ".")}
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*path[path.index(nxt):], node, nxt]))
            elif nxt not in state:
                visit(nxt, [*path, node])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])
    assert cycles == []


def test_pages_do_not_talk_to_storage_or_networks():
    """Pages only lay out: no boto3, requests, sqlite3 or store access of their own."""
    forbidden = ("boto3", "requests", "sqlite3", "core.store", "gspread", "stravalib")
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py")
                 if any(m.startswith(forbidden) for m in imported_modules(p))]
    assert offenders == []


def test_every_page_checks_the_login_first():
    """Each page file calls gate.require_login() before anything else is drawn."""
    for page in (ROOT / "pages").glob("*.py"):
        body = [n for n in ast.parse(page.read_text()).body if not isinstance(n, (ast.Import, ast.ImportFrom))]
        first = body[1] if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) else body[0]
        assert ast.unparse(first) == "gate.require_login()", page.name


def test_a_process_serving_pages_never_loads_the_sync_clients():
    """stravalib and gspread (~40 MB and over a second of start-up together) are imported by a sync only: the
    modules behind every page import neither, so the app's memory holds the pages' data, not idle clients."""
    ui_modules = sorted(f"ui.{p.stem}" for p in (ROOT / "ui").glob("*.py") if p.stem != "__init__")
    code = (f"import sys\nfor m in {ui_modules!r}:\n    __import__(m)\n"
            "print(sorted(m for m in ('stravalib', 'gspread') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"
