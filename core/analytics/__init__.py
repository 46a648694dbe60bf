"""Pure analytics: DataFrame in, DataFrame (or small dataclasses) out; no I/O, no Streamlit."""
