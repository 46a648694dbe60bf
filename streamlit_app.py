"""Entry point, in two roles.

`streamlit run streamlit_app.py` imports this module, finds `app` (st.App, Streamlit's ASGI server with our
middleware: `ui/serving.py`) and serves this same file as the app's script. Each session then runs it as
__main__: page config, configuration check, login gate, sidebar, then the selected page.
"""

import os

import streamlit as st

from core.errors import FitDashError, StoreError

# (script, title, icon, URL path, draws charts): the navigation, and what serving.py hints to a new tab.
PAGES = (
    ("pages/overview.py", "Overview", ":material/home:", "overview", True),
    ("pages/weight.py", "Weight", ":material/monitor_weight:", "weight", True),
    ("pages/running.py", "Running", ":material/directions_run:", "running", True),
    ("pages/run.py", "Run", ":material/route:", "run", True),
    ("pages/heatmap.py", "Heatmap", ":material/map:", "heatmap", True),
    ("pages/crossfit.py", "CrossFit", ":material/fitness_center:", "crossfit", True),
    ("pages/fitness.py", "Fitness", ":material/monitor_heart:", "fitness", True),
    ("pages/forecast.py", "Forecast", ":material/trending_up:", "forecast", True),
    ("pages/data.py", "Data", ":material/database:", "data", False),
)
DEFAULT_PAGE = "overview"


def main() -> None:
    """One run of the app's script."""
    from ui import context, data, gate, sidebar  # Streamlit-aware: imported by a session's run, not by the server

    st.set_page_config(page_title="Fitness dashboard", page_icon="🏃", layout="wide")
    pages = [st.Page(script, title=title, icon=icon, url_path=path, default=path == DEFAULT_PAGE)
             for script, title, icon, path, _ in PAGES]
    try:
        settings = context.settings()
        # Uncached on purpose: demo credentials must stop working the moment real data lands.
        demo = not settings.users and gate.demo_only(settings, context.store().counts())
        signed_in, problem = gate.signed_in(settings, demo), None  # a remembered login is restored here
    except FitDashError as exc:
        signed_in, problem = False, exc

    # Navigation is declared in every run and before anything is drawn (the login form included): a bookmarked
    # /weight then lands on Weight after the login. Drawn before it, on the first run after a server start
    # (Streamlit's pages/ emulation), the form's widgets were re-keyed by the navigation and the first submit
    # lost. The page list stays hidden until the session is authenticated.
    page = st.navigation(pages, position="sidebar" if signed_in else "hidden")
    data.new_run()
    if isinstance(problem, StoreError):  # the file's path and the fix are for the operator, not for any visitor
        data.show_problem(problem, bool(st.session_state.get("authentication_status")))
        st.stop()
    if problem is not None:
        st.error(f"{problem}\n\n{problem.action}")
        st.stop()
    if not signed_in:
        gate.login_form(settings, demo)
        st.stop()

    _host_warnings(settings, gate.is_admin())
    try:
        sidebar.render()
        page.run()
    except StoreError as exc:  # nothing read from this store since the server started: the message alone
        data.show_problem(exc, signed_in=True)


def _host_warnings(settings, admin: bool) -> None:
    """What whoever runs the dashboard must fix: a disk the host throws away; (for admins) readable secrets."""
    from core.private_files import exposed_files, exposure_warning

    if settings.ephemeral_disk and settings.store_backend == "sqlite":
        st.warning(
            "This host does not keep its disk (Heroku restarts dynos at least daily): the embedded SQLite store "
            "and everything synced into it will be lost at the next restart. Configure DynamoDB: set "
            "FITDASH_STORE_BACKEND=dynamodb with the [dynamodb] and [s3] settings (see docs/dynamodb.md)."
        )
    for path, mode in exposed_files(st.get_option("secrets.files")) if admin else ():
        st.warning(exposure_warning(path, mode))


def _remembered_login_cookie() -> str | None:
    """The remember-me cookie's name from secrets.toml and the environment; None when the configuration is
    broken (the app's first run shows why)."""
    from core.config import load_settings

    try:
        return load_settings(os.environ).cookie_name
    except FitDashError:
        return None


def _tile_origin() -> str | None:
    """The map tiles' host, which the browser may fetch from ([maps] tile_url); None without tiles or when the
    configuration is broken (the app's first run shows why)."""
    from core.config import load_settings

    try:
        return load_settings(os.environ).maps.tile_origin
    except FitDashError:
        return None


if __name__ == "__main__":  # a session's run: Streamlit executes this file as the __main__ module
    main()
else:  # `streamlit run` imports the module to find the ASGI app
    import logging

    from starlette.middleware import Middleware

    from core.private_files import exposed_files, exposure_warning
    from ui.guard import Guard
    from ui.serving import FrontendHints

    # The app's own log lines (refused logins and cookies, dropped messages, sync problems), as Streamlit logs its own.
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for exposed in exposed_files(st.get_option("secrets.files")):  # at start; admins also see it on every page
        logging.getLogger("fitdash").warning(exposure_warning(*exposed))
    tiles = _tile_origin()  # the browser may fetch map tiles from there (Content-Security-Policy)
    app = st.App(__file__, middleware=[Middleware(Guard, tile_origin=tiles), Middleware(  # Guard first: it hashes
        FrontendHints, page_paths=[p[3] for p in PAGES], cookie_name=_remembered_login_cookie(),  # the hinted page
        chart_pages=[""] + [p[3] for p in PAGES if p[4]],  # "": the default page at /
        base_url_path=st.get_option("server.baseUrlPath"))])
