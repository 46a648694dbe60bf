"""The only Streamlit-aware helpers: cached loaders and views, widgets, the login gate and the refresh wiring."""
