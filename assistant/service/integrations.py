"""The application's view of the other modules (engine, checks, drafting, model layer, import).

Plain imports of the domain modules; only a crashing check rule or a broken model configuration is caught here,
and reported as a Chinese notice, never as a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..checks import Finding, run_checks
from ..drafting import draft_section_result, narrative_findings
from ..engine import ConversationEngine
from ..errors import AssistantError
from ..facts import Report
from ..importing import ImportResult, import_report, start_from_last_year

log = logging.getLogger(__name__)


# ---- conversation engine ------------------------------------------------------------------------------


def make_engine(use_model: bool | None = None) -> ConversationEngine:
    """The conversation engine, with the model extractor when a model is configured."""
    extractor = None
    if use_model is None:
        use_model = model_status().configured
    if use_model:
        from .. import llm

        try:
            extractor = llm.build_extractor()
        except AssistantError as e:
            log.warning("model extractor unavailable: %s", e)
    return ConversationEngine(extractor=extractor)


# ---- checks -------------------------------------------------------------------------------------------


def findings_for(report: Report, locked: Iterable[str] = ()) -> list[Finding]:
    """All findings, computed once for the page: the checks of the tables and the narrative (【待补充】 marks,
    locked sections whose numbers no longer match the tables). A crashing rule is logged, never shown."""
    try:
        findings = list(run_checks(report))
    except Exception:  # noqa: BLE001 - a bug in one rule must not hide the draft
        log.exception("run_checks failed")
        findings = []
    try:
        findings += narrative_findings(report, locked)
    except Exception:  # noqa: BLE001
        log.exception("narrative findings failed")
    return findings


# ---- model status -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelStatus:
    configured: bool
    line: str  # Chinese one-liner
    model: str | None = None
    endpoint: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


def model_status() -> ModelStatus:
    """Offline engine, or the configured endpoint and model (never the key): the model layer's own status."""
    try:
        from .. import llm

        settings = llm.load_settings()
        line = llm.settings_status(settings)
        if not settings.configured:
            return ModelStatus(False, line)
        return ModelStatus(
            True,
            line,
            settings.effective_model,
            settings.effective_base_url,
            {"price": (settings.price_input_per_1k, settings.price_output_per_1k)},
        )
    except AssistantError as e:
        return ModelStatus(False, str(e))
    except Exception:  # noqa: BLE001 - a broken model layer must not break the offline app
        log.exception("model status failed")
        return ModelStatus(False, "离线引擎（模型配置读取失败）")


def doctor_text() -> str:
    """Run the model layer's endpoint checks (reachability, model, streaming, structured output)."""
    from ..llm.doctor import run_doctor

    return str(run_doctor().text())


# ---- drafting -----------------------------------------------------------------------------------------


def draft_offline(report: Report, section_id: str, *, variant: int, instruction: str | None) -> str:
    """A narrative section drafted offline from the facts (variant n, optional instruction)."""
    return draft_offline_with_notes(report, section_id, variant=variant, instruction=instruction)[0]


def draft_offline_with_notes(
    report: Report, section_id: str, *, variant: int, instruction: str | None
) -> tuple[str, list[str]]:
    """The drafted text and the drafter's notes for the reviewer (e.g. an instruction it could not follow)."""
    res = draft_section_result(report, section_id, variant=variant, instruction=instruction or None)
    return res.text, [str(n) for n in res.notes]


def stream_model_section(report: Report, section_id: str, *, instruction: str | None) -> Any:
    """A stream of text chunks written by the model (for ``st.write_stream``). When exhausted, ``.result`` holds
    the guarded final text (which may differ from the streamed one: retried or offline) with notices and usage."""
    from ..llm.drafting import stream_section

    return stream_section(report, section_id, instruction=instruction or None)


def usage_line(usage: Any, price: tuple[float | None, float | None] = (None, None)) -> str:
    """Chinese token usage line ("输入1200、输出80 tokens") from a TokenUsage, or "" when there is none."""
    if usage is None or not getattr(usage, "total_tokens", 0):
        return ""
    try:
        return str(usage.describe(*price))
    except Exception:  # noqa: BLE001
        return f"{usage.total_tokens} tokens"


# ---- import -------------------------------------------------------------------------------------------


def import_source(
    source: str | bytes, *, filename: str | None, report_year: int | None, progress: Any = None
) -> ImportResult:
    """A published report, facts JSON or register → ImportResult (report, unread, warnings, kind)."""
    return import_report(source, filename=filename, report_year=report_year, progress=progress)


def next_year_report(last: Report, new_year: int) -> Report:
    """This year's empty draft seeded from last year's report (``last_year`` set: baselines, problems).

    The importer's baseline questions are not asked separately: the conversation engine proposes the same
    baselines from ``report.last_year`` in its own opening questions.
    """
    return start_from_last_year(last, new_year)[0]
