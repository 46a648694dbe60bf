"""Plotly figure builders, one module per page (base.py: the layout every figure starts from).

Each builder is pure: frames (or series) and `Units` in, a `go.Figure` out, never calling Streamlit;
tests assert traces and axis titles.
"""
