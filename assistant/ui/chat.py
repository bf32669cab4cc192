"""The chat column: history replayed from the store, interrupted messages, the input, the streamed reply."""

from __future__ import annotations

import time
from collections.abc import Iterator

import streamlit as st

from ..errors import AssistantError
from ..prompts import render_prompt
from ..service import DraftService, Outcome
from ..store import Draft, MessageRecord
from .context import flash
from .inputlimits import MAX_MESSAGE_CHARS, message_too_long_note
from .textsafe import escape_markdown, looks_tabular, safe_reply_markdown

AVATARS = {"user": ":material/person:", "assistant": ":material/edit_note:"}
CHAT_HEIGHT = 620


def show_message(msg: MessageRecord) -> None:
    """One stored message, rendered as text (user) or disarmed Markdown (assistant)."""
    role = "user" if msg.role == "user" else "assistant"
    with st.chat_message(role, avatar=AVATARS[role]):
        show_content(role, msg.content)
        for note in msg.meta.get("notices", []) if isinstance(msg.meta, dict) else []:
            st.caption("ℹ " + escape_markdown(str(note)))
        if role == "user" and not msg.processed:
            st.caption("⚠ 这条消息尚未处理")


def show_content(role: str, text: str) -> None:
    if role == "user":
        if looks_tabular(text):
            st.code(text, language=None, wrap_lines=True)
        else:
            st.markdown(escape_markdown(text))
    else:
        st.markdown(safe_reply_markdown(text))


def _chunks(text: str, size: int = 12) -> Iterator[str]:
    """The reply in small pieces for ``st.write_stream`` (paced only slightly, so it reads as typing)."""
    for i in range(0, len(text), size):
        yield text[i : i + size]
        time.sleep(0.01)


def render_chat(service: DraftService, draft: Draft, *, stream_replies: bool) -> Draft:
    """Draw the conversation; process a new message; return the (possibly updated) draft."""
    st.markdown("#### 对话")
    box = st.container(height=CHAT_HEIGHT, border=True, key="chat_box")
    prompt = st.chat_input(
        "告诉我今年的数字或情况，例如：今年共收到申请15件，其中自然人12件……", key="chat_input"
    )  # no max_chars: Streamlit would silently drop a longer paste; our check below says so in Chinese
    with box:
        for msg in service.messages(draft.id):
            show_message(msg)
        pending = service.unprocessed(draft.id)
        if pending and not prompt:
            _interrupted(service, draft, pending)
        if prompt and len(prompt) > MAX_MESSAGE_CHARS:
            _refuse_too_long(prompt)
            return draft
        if prompt:
            with st.chat_message("user", avatar=AVATARS["user"]):
                show_content("user", prompt)
            with st.chat_message("assistant", avatar=AVATARS["assistant"]):
                with st.spinner("正在整理……"):
                    try:
                        out = service.send(draft.id, prompt)
                    except AssistantError as e:
                        st.error(escape_markdown(str(e)))
                        return service.open(draft.id)
                _show_outcome(out, stream_replies)
            return out.draft
    return draft


def _refuse_too_long(prompt: str) -> None:
    """Say in Chinese why the message was not processed, and keep its text on screen to copy and split."""
    with st.chat_message("assistant", avatar=AVATARS["assistant"]):
        st.warning(escape_markdown(message_too_long_note(len(prompt))))
        st.code(prompt, language=None, wrap_lines=True, height=200)


def _show_outcome(out: Outcome, stream_replies: bool) -> None:
    if out.reply:
        if stream_replies:
            st.write_stream(_chunks(safe_reply_markdown(out.reply)))
        else:
            st.markdown(safe_reply_markdown(out.reply))
    for note in out.notices:
        st.caption("ℹ " + escape_markdown(note))
    for err in out.errors:
        st.warning(escape_markdown(err))


def _interrupted(service: DraftService, draft: Draft, pending: list[MessageRecord]) -> None:
    st.info(escape_markdown(render_prompt("ui/unprocessed", count=len(pending))))
    first = pending[0]
    c1, c2 = st.columns(2)
    if c1.button("重新处理", key=f"reprocess_{first.id}", icon=":material/replay:", type="primary"):
        out = service.reprocess(draft.id, first.id)
        for err in out.errors:
            flash("warning", err)
        st.rerun()
    if c2.button("忽略这条", key=f"dismiss_{first.id}", icon=":material/close:"):
        service.dismiss(draft.id, first.id)
        st.rerun()
