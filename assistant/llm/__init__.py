"""The optional OpenAI-compatible model layer: settings, client, structured-output ladder, extractor, drafter.

Entry points (all return ``None`` / the offline status when no model is configured)::

    build_extractor(settings=None) -> LLMExtractor | None   # for ConversationEngine(extractor=…)
    build_drafter(settings=None) -> LLMDrafter | None       # callable (report, section_id) -> str; also .stream_section
    settings_status(settings=None) -> str                   # "离线引擎（未配置模型）" / "模型：… @ …（已配置）"
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import openai

from .settings import Settings, get_settings, load_settings

if TYPE_CHECKING:
    from .drafting import LLMDrafter
    from .extractor import LLMExtractor


def _resolve(settings: Settings | None) -> Settings:
    return settings if settings is not None else load_settings()


def is_configured(settings: Settings | None = None) -> bool:
    return _resolve(settings).configured


def settings_status(settings: Settings | None = None) -> str:
    """Chinese one-liner for the UI/CLI status; never contains the key."""
    return _resolve(settings).status_line()


def build_client(settings: Settings | None = None, client: openai.OpenAI | None = None):  # type: ignore[no-untyped-def]
    """An LLMClient for the configured endpoint (or around the caller's own ``openai.OpenAI``); None if offline."""
    from .client import LLMClient

    s = _resolve(settings)
    if not s.configured and client is None:
        return None
    return LLMClient(s, client)


def build_extractor(settings: Settings | None = None, client: openai.OpenAI | None = None) -> LLMExtractor | None:
    """The LLM extractor (rules + model, evidence-checked) when a model is configured, else None."""
    from .extractor import LLMExtractor

    llm_client = build_client(settings, client)
    return LLMExtractor(llm_client) if llm_client is not None else None


def build_drafter(settings: Settings | None = None, client: openai.OpenAI | None = None) -> LLMDrafter | None:
    """The guarded model drafter when a model is configured, else None (use assistant.drafting offline)."""
    from .drafting import LLMDrafter

    llm_client = build_client(settings, client)
    return LLMDrafter(llm_client) if llm_client is not None else None


__all__ = [
    "Settings",
    "build_client",
    "build_drafter",
    "build_extractor",
    "get_settings",
    "is_configured",
    "load_settings",
    "settings_status",
]
