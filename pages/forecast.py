"""Forecast page: built by issue 7; until then it says so plainly and shows no number."""

import streamlit as st

from ui import auth

auth.require_login()

st.title("Forecast")
st.info("This page is not built yet (issue 7). Nothing is shown rather than a placeholder number.")
