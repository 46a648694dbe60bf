"""Entry point: page config, configuration check, login gate, sidebar, then the selected page."""

import streamlit as st

from core.errors import FitDashError
from ui import auth, context, sidebar

st.set_page_config(page_title="Fitness dashboard", page_icon="🏃", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/home:", url_path="overview", default=True),
    st.Page("pages/weight.py", title="Weight", icon=":material/monitor_weight:", url_path="weight"),
    st.Page("pages/running.py", title="Running", icon=":material/directions_run:", url_path="running"),
    st.Page("pages/crossfit.py", title="CrossFit", icon=":material/fitness_center:", url_path="crossfit"),
    st.Page("pages/forecast.py", title="Forecast", icon=":material/trending_up:", url_path="forecast"),
    st.Page("pages/data.py", title="Data", icon=":material/database:", url_path="data"),
]

try:
    settings = context.settings()
    # Uncached on purpose: demo credentials must stop working the moment real data lands.
    demo = not settings.users and auth.demo_only(settings, context.store().counts())
    signed_in, problem = auth.signed_in(settings, demo), None  # a remembered login is restored here
except FitDashError as exc:
    signed_in, problem = False, exc

# Navigation is declared in every run and before anything is drawn (the login form included): a bookmarked
# /weight then lands on Weight after the login. Drawn before it, on the first run after a server start
# (Streamlit's pages/ emulation), the form's widgets were re-keyed by the navigation and the first submit lost.
# The page list stays hidden until the session is authenticated.
page = st.navigation(PAGES, position="sidebar" if signed_in else "hidden")
if problem is not None:
    st.error(f"{problem}\n\n{problem.action}")
    st.stop()
if not signed_in:
    auth.login_form(settings, demo)
    st.stop()

if settings.ephemeral_disk and settings.store_backend == "sqlite":
    st.warning(
        "This host does not keep its disk (Heroku restarts dynos at least daily): the embedded SQLite store "
        "and everything synced into it will be lost at the next restart. Configure DynamoDB: set "
        "FITDASH_STORE_BACKEND=dynamodb with the [dynamodb] and [s3] settings (see docs/dynamodb.md)."
    )
sidebar.render()
page.run()
