"""Running page: built by issue 6; until then it says so plainly and shows no number."""

import streamlit as st

from ui import auth

auth.require_login()

st.title("Running")
st.info("This page is not built yet (issue 6). Nothing is shown rather than a placeholder number.")
