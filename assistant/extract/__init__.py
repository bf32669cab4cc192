"""Extraction: clerk text → proposed cell updates with evidence. One interface (:mod:`.base`), two implementations
(rules offline, LLM)."""

from .base import ExtractionContext, ExtractionResult, Extractor, MetaUpdate, PendingQuestion

__all__ = ["ExtractionContext", "ExtractionResult", "Extractor", "MetaUpdate", "PendingQuestion"]
