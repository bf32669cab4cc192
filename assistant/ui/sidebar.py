"""The sidebar: drafts (new, open, rename, duplicate for next year, delete), import, role, model status, settings."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

import streamlit as st

from ..errors import AssistantError
from ..facts import AgencyLevel
from ..prompts import load_prompt, render_prompt
from ..service import ROLE_CLERK, ROLE_LABELS, ROLE_REVIEWER, DraftService, integrations
from ..store import Draft, DraftSummary
from .context import flash, session_usage, upload_limit_mb
from .identity import Owner
from .style import brand_html
from .textsafe import escape_markdown

UPLOAD_TYPES = ["docx", "html", "htm", "txt", "md", "json", "csv", "xlsx"]
NEW_DRAFT = "__new__"


def local_time(iso: str) -> str:
    """ "2025-01-20T03:04:05+00:00" → local "01-20 11:04"."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%m-%d %H:%M")
    except ValueError:
        return iso


def open_draft(draft_id: str | None) -> None:
    """Point the URL at a draft (a reload or a shared link lands on it)."""
    if draft_id:
        st.query_params["draft"] = draft_id
    elif "draft" in st.query_params:
        del st.query_params["draft"]


def render_sidebar(service: DraftService, owner: Owner, draft: Draft | None) -> None:
    with st.sidebar:
        st.html(brand_html("政府信息公开工作年度报告起草助手"))
        _role_switch()
        st.divider()
        _draft_picker(service, draft)
        if draft is not None:
            _draft_actions(service, draft)
        _new_draft_form(service, expanded=draft is None)
        _import_panel(service, draft)
        st.divider()
        _model_status()
        _settings(owner)


def _role_switch() -> None:
    st.segmented_control(
        "当前身份",
        options=[ROLE_CLERK, ROLE_REVIEWER],
        format_func=lambda r: ROLE_LABELS[r],
        default=ROLE_CLERK,
        required=True,
        key="role",
        help="承办人：填写数字、起草文字；审核人：比较版本、恢复、锁定定稿。",
        width="stretch",
    )


def current_role() -> str:
    role = st.session_state.get("role")
    return role if role in ROLE_LABELS else ROLE_CLERK


def _draft_picker(service: DraftService, draft: Draft | None) -> None:
    drafts = service.list_drafts()
    st.markdown("**我的草稿**")
    if not drafts:
        st.caption("还没有草稿。")
        return
    by_id: dict[str, DraftSummary] = {d.id: d for d in drafts}
    options = [d.id for d in drafts]
    current = draft.id if draft is not None and draft.id in by_id else None
    choice = st.selectbox(
        "打开草稿",
        options=options,
        index=options.index(current) if current else None,
        format_func=lambda i: f"{by_id[i].title}（{local_time(by_id[i].updated_at)}）",
        placeholder="选择一份草稿……",
        key=f"draft_select_{current or 'none'}",
        label_visibility="collapsed",
    )
    if choice and choice != current:
        open_draft(choice)
        st.rerun()


def _draft_actions(service: DraftService, draft: Draft) -> None:
    with st.expander("管理当前草稿", icon=":material/folder_open:"):
        title = st.text_input("草稿名称", value=draft.title, max_chars=120, key=f"rename_title_{draft.id}")
        if st.button("重命名", key="rename_btn", icon=":material/edit:"):
            try:
                service.rename(draft.id, title)
                flash("success", "已重命名")
                st.rerun()
            except AssistantError as e:
                st.error(escape_markdown(str(e)))
        year = draft.state.report.report_year
        if st.button(
            f"复制为{year + 1}年度草稿" if year else "复制为下一年度草稿",
            key="dup_btn",
            icon=":material/content_copy:",
            disabled=not year,
            help="以本草稿作为“去年的年报”，生成下一年度的新草稿（结转数、现行有效件数、上年问题自动带入）。",
        ):
            try:
                new = service.duplicate_next_year(draft.id)
                flash("success", f"已生成“{new.title}”")
                open_draft(new.id)
                st.rerun()
            except AssistantError as e:
                st.error(escape_markdown(str(e)))
        st.markdown("---")
        confirm_key = f"delete_confirm_{draft.id}"
        if not st.session_state.get(confirm_key):
            if st.button("删除草稿", key="delete_btn", icon=":material/delete:"):
                st.session_state[confirm_key] = True
                st.rerun()
        else:
            st.warning(escape_markdown(render_prompt("ui/delete_confirm", title=draft.title)))
            c1, c2 = st.columns(2)
            if c1.button("确认删除", key="delete_yes", type="primary"):
                service.delete(draft.id)
                st.session_state.pop(confirm_key, None)
                flash("success", f"已删除“{draft.title}”")
                open_draft(None)
                st.rerun()
            if c2.button("取消", key="delete_no"):
                st.session_state.pop(confirm_key, None)
                st.rerun()


def _new_draft_form(service: DraftService, *, expanded: bool) -> None:
    with st.expander("新建草稿", expanded=expanded, icon=":material/note_add:"):
        with st.form("new_draft_form", clear_on_submit=False, border=False):
            agency = st.text_input("单位名称", placeholder="例如：某某镇人民政府", max_chars=100, key="new_agency")
            levels = list(AgencyLevel)
            level = st.selectbox(
                "单位层级",
                options=levels,
                index=None,
                format_func=lambda x: x.value,
                placeholder="请选择",
                key="new_level",
            )
            # no default year: a default would silently beat the year the clerk later states in chat
            year = st.number_input(
                "报告年度",
                min_value=2019,
                max_value=2100,
                value=None,
                step=1,
                placeholder=f"例如 {date.today().year - 1}（可不填，在对话中说明）",
                key="new_year",
            )
            submitted = st.form_submit_button("创建草稿", type="primary", icon=":material/add:", width="stretch")
        if submitted:
            if not agency.strip():
                st.error("请填写单位名称")
                return
            try:
                new = service.create(agency=agency, level=level, report_year=int(year) if year else None)
            except AssistantError as e:
                st.error(escape_markdown(str(e)))
                return
            flash("success", f"已创建“{new.title}”")
            open_draft(new.id)
            st.rerun()


# ---- import -------------------------------------------------------------------------------------------


def _import_panel(service: DraftService, draft: Draft | None) -> None:
    with st.expander("导入去年年报或数据", icon=":material/upload_file:"):
        st.caption(escape_markdown(load_prompt("ui/import_help")))
        upload = st.file_uploader(
            "上传文件",
            type=UPLOAD_TYPES,
            key="import_upload",
            help=f"Word（.docx）、网页（.html）、文本、数据 JSON、登记台账（.csv/.xlsx），不超过{upload_limit_mb()}MB",
        )
        pasted = st.text_area("或粘贴年报正文", height=100, key="import_paste", max_chars=400_000)
        year_hint = st.number_input(
            "该文件的报告年度（不确定可留空）", min_value=2019, max_value=2100, value=None, step=1, key="import_year"
        )
        if st.button("读取", key="import_parse", icon=":material/search:"):
            _parse_import(upload, pasted, year_hint)
        _import_result_actions(service, draft)


def _parse_import(upload: Any, pasted: str, year_hint: Any) -> None:
    st.session_state.pop("import_result", None)
    if upload is not None:
        data = upload.getvalue()
        name = upload.name
        if len(data) > upload_limit_mb() * 1024 * 1024:
            st.error(f"文件“{escape_markdown(name)}”有{len(data) / 1024 / 1024:.1f}MB，超过{upload_limit_mb()}MB的上限，未导入。")
            return
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if ext not in UPLOAD_TYPES:
            st.error("不支持这种文件类型，请上传 .docx、.html、.txt、.json、.csv 或 .xlsx 文件。")
            return
        source: str | bytes = data
    elif pasted.strip():
        source, name = pasted, "粘贴的文字"
    else:
        st.warning("请先上传文件或粘贴年报正文。")
        return
    bar = st.progress(0.0, text="正在读取……")

    def progress(done: int, total: int | None) -> None:
        bar.progress(min(done / total, 1.0) if total else 0.5, text=f"已读取{done}行")

    try:
        result = integrations.import_source(
            source, filename=name, report_year=int(year_hint) if year_hint else None, progress=progress
        )
    except AssistantError as e:
        st.error(escape_markdown(str(e)))
        return
    except Exception:  # noqa: BLE001 - a damaged file must give a message, not a traceback
        st.error(f"无法读取“{escape_markdown(name)}”：文件已损坏或不是所选的类型，未导入任何内容。")
        return
    digest = hashlib.sha1(source if isinstance(source, bytes) else source.encode("utf-8")).hexdigest()[:10]
    bar.empty()
    st.session_state["import_result"] = {"result": result, "name": name, "digest": digest}


def _import_result_actions(service: DraftService, draft: Draft | None) -> None:
    held = st.session_state.get("import_result")
    if not held:
        return
    result, name = held["result"], held["name"]
    report = result.report
    filled = sum(1 for f in report.cells.values() if f.known)
    year = report.report_year
    summary = f"已读取“{name}”：{report.agency or '单位名称未识别'}，{f'{year}年度' if year else '年度未识别'}，{filled}个单元格"
    sections = [s for s, t in report.sections.items() if t.strip()]
    if sections:
        summary += f"，{len(sections)}个文字部分"
    st.success(escape_markdown(summary))
    for w in list(getattr(result, "warnings", []))[:8]:
        st.caption("⚠ " + escape_markdown(str(w)))
    unread = list(getattr(result, "unread", []))
    if unread:
        st.caption(escape_markdown(f"有{len(unread)}处内容未能识别：" + "；".join(str(u)[:40] for u in unread[:5])))
    if year:
        if st.button(f"作为去年年报，新建{year + 1}年度草稿", key="import_as_next", type="primary", width="stretch"):

            def create_next():  # type: ignore[no-untyped-def]
                new_report = integrations.next_year_report(report, year + 1)
                note = render_prompt("ui/import_next_note", file=name, year=year)
                return service.create(report=new_report, origin_note=note)

            _run_import(create_next)
    if st.button("作为草稿打开（同一年度）", key="import_as_new", width="stretch"):
        _run_import(lambda: service.create(report=report, origin_note=render_prompt("ui/import_same_note", file=name)))
    if draft is not None and filled:
        if st.button(
            "把数字合并到当前草稿",
            key="import_merge",
            width="stretch",
            help="只填入当前草稿中还未填写的单元格；已填写的保留原值并列出差异。",
        ):
            try:
                out = service.merge_import(draft.id, report, ref=name)
            except AssistantError as e:
                st.error(escape_markdown(str(e)))
                return
            flash("success", f"已合并{len(out.changes)}个单元格")
            for n in out.notices[:10]:
                flash("warning", n)
            st.session_state.pop("import_result", None)
            st.rerun()


def _run_import(create: Any) -> None:
    try:
        new = create()
    except AssistantError as e:
        st.error(escape_markdown(str(e)))
        return
    st.session_state.pop("import_result", None)
    flash("success", f"已创建“{new.title}”")
    open_draft(new.id)
    st.rerun()


# ---- status / settings -----------------------------------------------------------------------------------


def _model_status() -> None:
    status = integrations.model_status()
    st.markdown("**模型**")
    st.caption(escape_markdown(status.line or "离线引擎"))
    if status.configured:
        used = integrations.usage_line(session_usage(), status.details.get("price", (None, None)))
        st.caption(escape_markdown(f"本次会话用量：{used}" if used else "本次会话尚未调用模型"))
        if st.button("测试模型连接", key="model_doctor", icon=":material/network_check:"):
            with st.spinner("正在检测模型服务……"):
                st.code(integrations.doctor_text(), language=None, wrap_lines=True)
    else:
        with st.popover("说明", icon=":material/info:"):
            st.markdown(escape_markdown(load_prompt("ui/model_offline")))


def _settings(owner: Owner) -> None:
    with st.expander("设置", icon=":material/settings:"):
        st.toggle("预览中标出有问题的单元格", value=True, key="opt_highlight")
        st.toggle("显示每个单元格的来源", value=False, key="opt_provenance")
        mode = {"oidc": "统一认证", "proxy": "内网门户", "local": "本机单用户模式"}[owner.mode]
        st.caption(escape_markdown(f"当前用户：{owner.display}（{mode}）"))
