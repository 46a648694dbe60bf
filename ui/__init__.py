"""The only Streamlit-aware helpers: cached loaders, widgets, auth and refresh wiring."""
