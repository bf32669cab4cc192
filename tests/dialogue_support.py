"""A scripted conversation through the engine the UI uses (shared by the dialogue tests)."""

from __future__ import annotations

from assistant.conversation import ConversationState, TurnResult
from assistant.engine import ConversationEngine
from assistant.extract.base import Extractor
from assistant.facts import Report


def talk(messages: list[str], report: Report | None = None,
         extractor: Extractor | None = None) -> tuple[ConversationState, list[TurnResult]]:
    """Start a conversation on ``report`` and send ``messages`` (ids m1, m2, …); the final state and every turn."""
    engine = ConversationEngine(extractor=extractor, drafter=None)
    state = engine.start(report or Report()).state
    results = []
    for i, m in enumerate(messages, 1):
        res = engine.turn(state, m, message_id=f"m{i}")
        state = res.state
        results.append(res)
    return state, results
