"""The review tab: the checklist of open findings, and per narrative section regenerate / versions / diff /
restore / lock."""

from __future__ import annotations

import streamlit as st

from ..checks import Finding
from ..errors import AssistantError
from ..facts import Report
from ..formats import NARRATIVE_SECTION_IDS
from ..prompts import load_prompt
from ..service import ROLE_LABELS, ROLE_REVIEWER, DraftService, integrations
from ..store import Draft, SectionVersion
from .context import add_usage, flash
from .copybutton import CopyItem, copy_bar_html
from .diffview import diff_html, diff_stats
from .preview import section_text
from .sidebar import local_time
from .style import finding_html, section_text_html, summary_html
from .textsafe import escape_markdown, escape_stream

ORIGIN_LABELS = {
    "offline": "离线起草",
    "model": "模型起草",
    "manual": "手工修改",
    "restore": "恢复旧版",
    "import": "导入",
    "engine": "自动起草",
}
SEVERITY_ORDER = {"error": 0, "warning": 1, "uncertain": 2, "missing": 3}


def version_label(v: SectionVersion) -> str:
    who = ROLE_LABELS.get(v.author_role, v.author_role)
    text = f"第{v.version_no}版 · {ORIGIN_LABELS.get(v.origin, v.origin)} · {who} · {local_time(v.created_at)}"
    if v.instruction:
        text += f" · 要求：{v.instruction}"
    if v.locked:
        text += " · 已锁定"
    return text


def render_checklist(report: Report, findings: list[Finding], locked: set[str]) -> None:
    st.markdown("#### 审核清单")
    ordered = sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.rule))
    counts: dict[str, int] = {}
    for f in ordered:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    st.html(summary_html(counts) + "".join(finding_html(f.severity, f.rule, f.message) for f in ordered))
    unknown = report.unknown_input_cells()
    lines = []
    if unknown:
        lines.append(f"还有 {len(unknown)} 个单元格未填")
    for s in report.fmt.sections:
        if s.id in NARRATIVE_SECTION_IDS:
            text = (report.sections.get(s.id) or "").strip()
            state = "已锁定定稿" if s.id in locked else ("已起草，待审核" if text else "尚未起草")
            lines.append(f"{s.heading}：{state}")
    st.markdown("\n".join(f"- {escape_markdown(x)}" for x in lines))


def render_review(service: DraftService, draft: Draft, findings: list[Finding], *, use_model: bool) -> None:
    report = draft.state.report
    locked = service.locked_sections(draft.id)
    render_checklist(report, findings, locked)
    st.markdown("#### 文字部分")
    for s in report.fmt.sections:
        if s.id not in NARRATIVE_SECTION_IDS:
            continue
        title = s.heading + ("（已锁定）" if s.id in locked else "")
        with st.expander(
            title, expanded=s.id == "s1", icon=":material/lock:" if s.id in locked else ":material/article:"
        ):
            _section_panel(service, draft, s.id, s.id in locked, use_model=use_model)


def _section_panel(service: DraftService, draft: Draft, sid: str, locked: bool, *, use_model: bool) -> None:
    report = draft.state.report
    versions = service.section_versions(draft.id, sid)
    current = (report.sections.get(sid) or "").strip()
    if versions:
        st.caption(escape_markdown("当前：" + version_label(versions[-1])))
    if current:
        st.html(section_text_html(current))
        st.html(
            copy_bar_html([CopyItem("复制本部分", section_text(report, sid))], key=f"sec-{sid}"),
            unsafe_allow_javascript=True,
        )
    else:
        st.caption("这一部分还没有文字：在对话中补充相关情况后会自动起草，也可以点击“重新生成”。")
    if locked:
        st.info(escape_markdown(load_prompt("ui/locked_notice")))

    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    instruction = c1.text_input(
        "修改要求（可选）",
        placeholder="例如：压缩到300字；语气更正式；突出政策解读",
        key=f"instr_{sid}",
        max_chars=200,
        disabled=locked,
    )
    if c2.button("重新生成", key=f"regen_{sid}", icon=":material/autorenew:", disabled=locked, width="stretch"):
        _regenerate(service, draft, sid, instruction, use_model=use_model)

    with st.popover("手工修改", icon=":material/edit:", disabled=locked):
        edited = st.text_area(
            "修改文字", value=current, height=260, key=f"edit_{sid}_{len(versions)}", max_chars=20_000
        )
        if st.button("保存为新版本", key=f"save_{sid}", type="primary"):
            _save(lambda: service.save_section(draft.id, sid, edited, origin="manual"), "已保存为新版本")

    if len(versions) >= 2:
        _versions(service, draft, sid, versions, locked)
    _lock_controls(service, draft, sid, locked, has_text=bool(current))


def _regenerate(service: DraftService, draft: Draft, sid: str, instruction: str, *, use_model: bool) -> None:
    try:
        service.ensure_regenerable(draft.id, sid)
    except AssistantError as e:
        st.error(escape_markdown(str(e)))
        return
    if use_model:
        try:
            stream = integrations.stream_model_section(draft.state.report, sid, instruction=instruction or None)
            with st.container(border=True):
                st.write_stream(escape_stream(stream))  # model text is shown as text, never as markup
            result = stream.finish()  # the guarded final text (retried or offline when the guard refused it)
        except AssistantError as e:
            flash("warning", f"模型起草失败，已改用离线模板生成（{e}）")
        else:
            origin = "model" if str(result.source).startswith("llm") else "offline"
            try:
                service.save_section(draft.id, sid, result.text, origin=origin, instruction=instruction)
            except AssistantError as e:
                st.error(escape_markdown(str(e)))
                return
            add_usage(result.usage)
            flash("success", "已生成新版本（模型）" if origin == "model" else "已生成新版本")
            for note in result.notices:
                flash("info", str(note))
            st.rerun()
    try:
        out = service.regenerate_offline(draft.id, sid, instruction=instruction or None)
    except AssistantError as e:
        st.error(escape_markdown(str(e)))
        return
    flash("success", "已生成新版本")
    for note in out.notices:
        flash("info", note)
    st.rerun()


def _save(action, success: str) -> None:  # type: ignore[no-untyped-def]
    try:
        action()
    except AssistantError as e:
        st.error(escape_markdown(str(e)))
        return
    flash("success", success)
    st.rerun()


def _versions(service: DraftService, draft: Draft, sid: str, versions: list[SectionVersion], locked: bool) -> None:
    st.markdown("**版本比较**")
    numbers = [v.version_no for v in versions]
    by_no = {v.version_no: v for v in versions}
    c1, c2 = st.columns(2)
    old_no = c1.selectbox(
        "旧版本", numbers, index=len(numbers) - 2, key=f"cmp_old_{sid}", format_func=lambda n: version_label(by_no[n])
    )
    new_no = c2.selectbox(
        "新版本", numbers, index=len(numbers) - 1, key=f"cmp_new_{sid}", format_func=lambda n: version_label(by_no[n])
    )
    old, new = by_no[old_no], by_no[new_no]
    stats = diff_stats(old.text, new.text)
    st.html(
        diff_html(
            old.text,
            new.text,
            old_title=f"第{old.version_no}版",
            new_title=f"第{new.version_no}版",
            stats_text=f"新增{stats.inserted}字，删除{stats.deleted}字，相似度{stats.ratio:.0%}",
        )
    )
    if old_no != numbers[-1] and st.button(
        f"恢复第{old_no}版", key=f"restore_{sid}", icon=":material/restore:", disabled=locked
    ):
        _save(lambda: service.restore(draft.id, sid, old_no), f"已恢复第{old_no}版（作为新版本保存）")


def _lock_controls(service: DraftService, draft: Draft, sid: str, locked: bool, *, has_text: bool) -> None:
    if service.role != ROLE_REVIEWER:
        if not locked:
            st.caption("锁定定稿需由审核人操作（在左侧切换身份）。")
        return
    if locked:
        if st.button("解除锁定", key=f"unlock_{sid}", icon=":material/lock_open:"):
            _save(lambda: service.set_locked(draft.id, sid, False), "已解除锁定")
    elif st.button("审核通过并锁定", key=f"lock_{sid}", icon=":material/lock:", type="primary", disabled=not has_text):
        _save(lambda: service.set_locked(draft.id, sid, True), "已锁定定稿")
