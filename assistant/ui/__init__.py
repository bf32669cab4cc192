"""UI helpers for the Streamlit app: everything app.py needs that is not layout (no domain rules here)."""
