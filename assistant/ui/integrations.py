"""The app's view of the other modules (engine, checks, drafting, model layer, import), with fallbacks.

Each function degrades gracefully when an optional module is missing or fails, so the UI always works
offline; a failure is reported as a Chinese notice, never as a traceback.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from ..checks import Finding
from ..conversation import ConversationState, TurnResult
from ..errors import AssistantError
from ..facts import Report
from ..prompts import load_prompt

log = logging.getLogger(__name__)


def _optional(module: str) -> ModuleType | None:
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as e:
        if e.name and module.startswith(e.name.split(".")[0]) and e.name.startswith("assistant"):
            return None
        raise


# ---- conversation engine ------------------------------------------------------------------------------


class FallbackEngine:
    """Used only while the conversation engine is not installed: records messages, extracts nothing."""

    name = "fallback"

    def start(self, report: Report | None = None) -> TurnResult:
        return TurnResult(state=ConversationState(report=report or Report()), reply=load_prompt("ui/engine_missing"))

    def turn(self, state: ConversationState, message: str, message_id: str | None = None) -> TurnResult:
        new = state.model_copy(update={"turn": state.turn + 1})
        return TurnResult(state=new, reply=load_prompt("ui/engine_missing"))


def make_engine(use_model: bool | None = None) -> Any:
    """The conversation engine (with the model extractor when a model is configured), else the fallback."""
    try:
        mod = _optional("assistant.engine")
    except ImportError:
        log.exception("conversation engine cannot be imported")
        mod = None
    if mod is None:
        return FallbackEngine()
    extractor = None
    drafter = None
    if use_model is None:
        use_model = model_status().configured
    if use_model:
        llm = _optional("assistant.llm")
        if llm is not None and hasattr(llm, "build_extractor"):
            try:
                extractor = llm.build_extractor()
            except AssistantError as e:
                log.warning("model extractor unavailable: %s", e)
    try:
        return mod.ConversationEngine(extractor=extractor, drafter=drafter)
    except ImportError:
        log.exception("conversation engine incomplete")
        return FallbackEngine()


# ---- checks -------------------------------------------------------------------------------------------


def findings_for(report: Report) -> list[Finding]:
    """All findings; a crashing rule must not take the page down (it is logged and skipped)."""
    from ..checks import run_checks

    try:
        return list(run_checks(report))
    except Exception:  # noqa: BLE001 - a bug in one rule must not hide the draft
        log.exception("run_checks failed")
        return []


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
        llm = _optional("assistant.llm")
        if llm is None:
            return ModelStatus(False, "离线引擎")
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
    mod = _optional("assistant.llm.doctor")
    if mod is None:
        return "模型检测功能尚未安装"
    return str(mod.run_doctor().text())


# ---- drafting -----------------------------------------------------------------------------------------


def draft_offline(report: Report, section_id: str, *, variant: int, instruction: str | None) -> str:
    """A narrative section drafted offline from the facts (variant n, optional instruction)."""
    return draft_offline_with_notes(report, section_id, variant=variant, instruction=instruction)[0]


def draft_offline_with_notes(
    report: Report, section_id: str, *, variant: int, instruction: str | None
) -> tuple[str, list[str]]:
    """The drafted text and the drafter's notes for the reviewer (e.g. an instruction it could not follow)."""
    mod = _optional("assistant.drafting")
    if mod is None:
        raise AssistantError("离线起草模块尚未安装，暂时无法生成文字")
    if hasattr(mod, "draft_section_result"):
        res = mod.draft_section_result(report, section_id, variant=variant, instruction=instruction or None)
        return res.text, [str(n) for n in res.notes]
    return str(mod.draft_section(report, section_id, variant=variant, instruction=instruction or None)), []


def stream_model_section(report: Report, section_id: str, *, instruction: str | None) -> Any:
    """A stream of text chunks written by the model (for ``st.write_stream``). When exhausted, ``.result`` holds
    the guarded final text (which may differ from the streamed one: retried or offline) with notices and usage."""
    mod = _optional("assistant.llm.drafting")
    if mod is None:
        raise AssistantError("模型起草功能尚未安装")
    return mod.stream_section(report, section_id, instruction=instruction or None)


def usage_line(usage: Any, price: tuple[float | None, float | None] = (None, None)) -> str:
    """Chinese token usage line ("输入1200、输出80 tokens") from a TokenUsage, or "" when there is none."""
    if usage is None or not getattr(usage, "total_tokens", 0):
        return ""
    try:
        return str(usage.describe(*price))
    except Exception:  # noqa: BLE001
        return f"{usage.total_tokens} tokens"


# ---- import -------------------------------------------------------------------------------------------


def importing_available() -> bool:
    return _optional("assistant.importing") is not None


def import_source(source: str | bytes, *, filename: str | None, report_year: int | None, progress: Any = None) -> Any:
    """A published report, facts JSON or register → ImportResult (report, unread, warnings, kind)."""
    mod = _optional("assistant.importing")
    if mod is None:
        return _fallback_import(source, filename)
    return mod.import_report(source, filename=filename, report_year=report_year, progress=progress)


def next_year_report(last: Report, new_year: int) -> Report:
    """This year's empty draft seeded from last year's report (``last_year`` set: baselines, problems).

    The importer's baseline questions are not asked separately: the conversation engine proposes the same
    baselines from ``report.last_year`` in its own opening questions.
    """
    mod = _optional("assistant.importing")
    if mod is None:
        from ..interchange import last_year_from_report

        return Report(agency=last.agency, level=last.level, report_year=new_year, last_year=last_year_from_report(last))
    result = mod.start_from_last_year(last, new_year)
    return result if isinstance(result, Report) else result[0]


@dataclass
class FallbackImport:
    report: Report
    unread: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    kind: str = "facts_json"


def _fallback_import(source: str | bytes, filename: str | None) -> FallbackImport:
    import json

    from ..errors import ImportFailed
    from ..interchange import report_from_json

    text = source.decode("utf-8-sig", errors="strict") if isinstance(source, bytes) else source
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        raise ImportFailed("目前只能导入本助手导出的数据 JSON 文件") from None
    return FallbackImport(report_from_json(data, source_ref=filename))
