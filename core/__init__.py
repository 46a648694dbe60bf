"""Core of the fitness dashboard: records, stores, sources, sync, analytics, charts, forecast.

Rule of this layer: nothing under `core/` imports Streamlit (tests/test_layering.py enforces it).
"""
