"""年报助手 — Streamlit UI: page layout and wiring only (logic lives in assistant/ui and the engine).

Run: ``streamlit run app.py``. Data: SQLite in ``$ASSISTANT_DATA_DIR`` (default ``./data``). The open draft's
id is in the URL (``?draft=…``), so a reload, a restart or a shared link lands on the same draft.
"""

from __future__ import annotations

import logging

import streamlit as st

from assistant.prompts import load_prompt
from assistant.ui.l10n import l10n_script
from assistant.ui.style import APP_CSS, header_html, progress_html, skeleton_html

# The first paint comes before the domain imports below, which take seconds on a cold server.
st.set_page_config(page_title="年报助手", page_icon="📄", layout="wide", initial_sidebar_state="expanded")
st.html(APP_CSS)
st.html(l10n_script(), unsafe_allow_javascript=True)
PAINTED_KEY = "_first_paint_done"
first_paint = st.empty()  # always created, so the elements below keep their place on every rerun
if not st.session_state.get(PAINTED_KEY):
    first_paint.html(skeleton_html("对话", load_prompt("ui/loading")))

from assistant.errors import AssistantError  # noqa: E402
from assistant.service import DraftService, integrations  # noqa: E402
from assistant.store import DraftNotFound  # noqa: E402
from assistant.ui.chat import render_chat  # noqa: E402
from assistant.ui.context import current_owner, get_store, show_flashes  # noqa: E402
from assistant.ui.export_panel import render_export  # noqa: E402
from assistant.ui.firstscreen import render_first_screen  # noqa: E402
from assistant.ui.identity import owner_problem_text  # noqa: E402
from assistant.ui.preview import render_preview  # noqa: E402
from assistant.ui.progress import report_progress  # noqa: E402
from assistant.ui.review import render_review  # noqa: E402
from assistant.ui.sidebar import current_role, open_draft, render_sidebar  # noqa: E402
from assistant.ui.tables import render_tables  # noqa: E402
from assistant.ui.textsafe import escape_markdown  # noqa: E402

log = logging.getLogger("assistant.app")


def main() -> None:
    owner = current_owner()
    if owner.id is None:
        first_paint.empty()
        if owner.problem == "login":
            st.info("请先登录后使用年报助手。")
            st.button("登录", on_click=st.login, type="primary")
        else:
            st.error(escape_markdown(owner_problem_text(owner)))
        st.stop()

    try:
        store = get_store()
    except AssistantError as e:
        first_paint.empty()
        st.error(escape_markdown(str(e)))
        st.stop()
    service = DraftService(store, owner.id, role=current_role())  # the engine is built when first needed

    draft = None
    draft_id = st.query_params.get("draft")
    if draft_id:
        try:
            draft = service.open(draft_id)
        except DraftNotFound as e:
            st.error(escape_markdown(str(e)))
            open_draft(None)
        except AssistantError as e:
            st.error(escape_markdown(str(e)))

    render_sidebar(service, owner, draft)
    first_paint.empty()
    st.session_state[PAINTED_KEY] = True
    with st.container(key="flash_box"):  # always present, so the layout below keeps its identity (open tab)
        show_flashes()

    if draft is None:
        render_first_screen(service)
        st.stop()

    status = integrations.model_status()
    chat_col, work_col = st.columns([5, 7], gap="medium")
    with chat_col:
        draft = render_chat(service, draft, stream_replies=status.configured)

    report = draft.state.report
    locked = service.locked_sections(draft.id)
    findings = integrations.findings_for(report, locked)
    with work_col:
        meta = [
            f"{report.report_year}年度" if report.report_year else "年度未定",
            report.level.value if report.level else "单位层级未定",
            f"{report.fmt.citation}格式",
            f"已保存第{draft.version}版",
        ]
        st.html(header_html(report.agency or draft.title, meta, ["审核模式"] if current_role() == "reviewer" else []))
        st.html(progress_html(report_progress(report, findings, locked)))
        tab_preview, tab_tables, tab_review, tab_export = st.tabs(["预览", "表格编辑", "审核", "导出"], key="work_tabs")
        with tab_preview:
            render_preview(report, findings, highlight=st.session_state.get("opt_highlight", True), key=draft.id)
        with tab_tables:
            render_tables(service, draft, show_provenance=st.session_state.get("opt_provenance", False))
        with tab_review:
            render_review(service, draft, findings, use_model=status.configured)
        with tab_export:
            render_export(report, findings)


try:
    main()
except AssistantError as e:
    first_paint.empty()
    st.error(escape_markdown(str(e)))
except Exception:  # noqa: BLE001 - the user sees a Chinese message; the traceback goes to the server log
    first_paint.empty()
    log.exception("unexpected error in the page script")
    st.error(load_prompt("ui/unexpected_error"))
