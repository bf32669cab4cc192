"""年报助手 — Streamlit UI (placeholder until the app issue lands)."""

import streamlit as st

st.set_page_config(page_title="年报助手", layout="wide")
st.title("年报助手")
st.write("政府信息公开工作年度报告起草助手。界面正在建设中。")
