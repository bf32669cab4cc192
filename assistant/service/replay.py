"""One extraction per message: a retry after a version conflict re-applies it to the fresh state.

The extractor (with a model configured: a paid call) runs once; when another tab or server saved the draft in
between, the same proposals are applied again to the newer state by the engine, which re-checks everything.
"""

from __future__ import annotations

import copy
from typing import Any

from ..engine import ConversationEngine
from ..extract.base import ExtractionContext, ExtractionResult, Extractor


class ReplayingExtractor:
    """Wraps an extractor; the first result for the message is returned again on every later call."""

    def __init__(self, inner: Extractor) -> None:
        self.inner = inner
        self.calls = 0
        self._result: ExtractionResult | None = None

    def __getattr__(self, name: str) -> Any:  # name, description, … of the wrapped extractor
        return getattr(self.inner, name)

    def extract(self, message: str, context: ExtractionContext) -> ExtractionResult:
        if self._result is None:
            self.calls += 1
            self._result = self.inner.extract(message, context)
        return self._result.model_copy(deep=True)


def engine_for_one_message(engine: ConversationEngine) -> tuple[ConversationEngine, ReplayingExtractor | None]:
    """A shallow copy of ``engine`` whose extractor extracts the message once, however often the turn is retried
    (an engine without an extractor, such as a scripted test engine, is returned as it is)."""
    inner = getattr(engine, "extractor", None)
    if inner is None:
        return engine, None
    replay = ReplayingExtractor(inner)
    once = copy.copy(engine)
    once.extractor = replay  # type: ignore[assignment]
    return once, replay
