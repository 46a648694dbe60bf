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

# Navigation is declared before the login gate: a bookmarked /weight then lands on Weight after the login
# (declared after it, Streamlit would serve pages/weight.py alone until someone had logged in). The page
# list stays hidden until the session is authenticated.
page = st.navigation(PAGES, position="sidebar" if st.session_state.get("authentication_status") else "hidden")

try:
    settings = context.settings()
    # Uncached on purpose: demo credentials must stop working the moment real data lands.
    demo = not settings.users and auth.demo_only(settings, context.store().counts())
    if not auth.login_gate(settings, demo):
        st.stop()
except FitDashError as exc:
    st.error(f"{exc}\n\n{exc.action}")
    st.stop()

if settings.ephemeral_disk and settings.store_backend == "sqlite":
    st.warning(
        "This host does not keep its disk (Heroku restarts dynos at least daily): the embedded SQLite store "
        "and everything synced into it will be lost at the next restart. Configure DynamoDB: set "
        "FITDASH_STORE_BACKEND=dynamodb with the [dynamodb] and [s3] settings (see docs/dynamodb.md)."
    )
sidebar.render()
page.run()
