"""The first screen (no draft open): start by chatting.

The chat box is there at once. Messages are kept in the session (see :mod:`assistant.intake`) until they name
the agency and the year; then the draft is created, every kept message is sent to it in order, and the page
switches to the draft. The sidebar form stays as the other way in.
"""

from __future__ import annotations

import logging

import streamlit as st

from ..errors import AssistantError
from ..prompts import load_prompt
from ..service import DraftService
from ..service.intake import Intake, question, read_message
from .chat import AVATARS, CHAT_HEIGHT, show_content
from .context import flash
from .sidebar import open_draft
from .style import welcome_html
from .textsafe import escape_markdown, safe_reply_markdown

log = logging.getLogger(__name__)
INTAKE_KEY = "_intake"
INTAKE_REPLIES_KEY = "_intake_replies"


def held_intake() -> Intake:
    """What this browser session typed before a draft existed."""
    held = st.session_state.get(INTAKE_KEY)
    return held if isinstance(held, Intake) else Intake()


def render_first_screen(service: DraftService) -> None:
    """The chat column (greeting, kept messages, the input) and the welcome in the work area."""
    chat_col, work_col = st.columns([5, 7], gap="medium")
    with work_col:
        st.html(welcome_html(load_prompt("ui/welcome_title"), load_prompt("ui/welcome_steps").splitlines()))
        st.markdown(load_prompt("ui/welcome"))
    with chat_col:
        st.markdown("#### 对话")
        box = st.container(height=CHAT_HEIGHT, border=True, key="chat_box")
        prompt = st.chat_input(load_prompt("ui/first_chat_placeholder"), key="chat_input", max_chars=20_000)
        intake = held_intake()
        replies: list[str] = list(st.session_state.get(INTAKE_REPLIES_KEY, []))
        with box:
            with st.chat_message("assistant", avatar=AVATARS["assistant"]):
                st.markdown(safe_reply_markdown(load_prompt("ui/first_greeting")))
            for i, text in enumerate(intake.messages):
                with st.chat_message("user", avatar=AVATARS["user"]):
                    show_content("user", text)
                if i < len(replies):
                    with st.chat_message("assistant", avatar=AVATARS["assistant"]):
                        st.markdown(safe_reply_markdown(replies[i]))
            if prompt and prompt.strip():
                with st.chat_message("user", avatar=AVATARS["user"]):
                    show_content("user", prompt)
                with st.chat_message("assistant", avatar=AVATARS["assistant"]):
                    _take(service, intake, replies, prompt)


def _take(service: DraftService, intake: Intake, replies: list[str], prompt: str) -> None:
    """Read one first-screen message; create the draft when the agency and the year are known."""
    with st.spinner("正在整理……"):
        note = ""
        try:
            intake = read_message(intake, prompt, service.engine)
        except AssistantError as e:  # the message is kept all the same
            intake = intake.model_copy(update={"messages": [*intake.messages, prompt]})
            note = str(e)
        except Exception:  # noqa: BLE001 - kept: it is sent to the draft with the others once the draft exists
            log.exception("reading a first-screen message failed")
            intake = intake.model_copy(update={"messages": [*intake.messages, prompt]})
            note = load_prompt("ui/intake_unread")
        st.session_state[INTAKE_KEY] = intake
        if not intake.ready:
            reply = f"{note}\n\n{question(intake)}" if note else question(intake)
            st.session_state[INTAKE_REPLIES_KEY] = [*replies, reply]
            st.markdown(safe_reply_markdown(reply))
            return
        try:
            draft = service.create(agency=intake.agency, level=intake.level, report_year=intake.report_year)
        except AssistantError as e:
            st.session_state[INTAKE_REPLIES_KEY] = [*replies, str(e)]
            st.error(escape_markdown(str(e)))
            return
        for text in intake.messages:  # stored first, then processed: a crash leaves them visibly unprocessed
            out = service.send(draft.id, text)
            for err in out.errors:
                flash("warning", err)
    st.session_state.pop(INTAKE_KEY, None)
    st.session_state.pop(INTAKE_REPLIES_KEY, None)
    flash("success", f"已创建“{draft.title}”")
    open_draft(draft.id)
    st.rerun()
