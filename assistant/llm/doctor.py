"""Test the configured model endpoint: reachability, the model, streaming, which structured-output rung works."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import openai
from pydantic import BaseModel, ConfigDict

from .client import LLMClient, LLMError, StreamState, redact
from .ladder import RUNG_CACHE, RUNG_LABELS, RUNG_NAMES, RungCache, StructuredCaller
from .settings import ENV_FIELDS, Settings, load_settings

Status = Literal["ok", "fail", "skip", "info"]


class _Probe(BaseModel):
    model_config = ConfigDict(extra="ignore")

    ok: bool
    word: str


_PROBE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["ok", "word"],
    "properties": {"ok": {"type": "boolean"}, "word": {"type": "string"}},
}
_PROBE_MESSAGES = [
    {"role": "system", "content": '你是连通性测试。只输出一个 JSON 对象：{"ok": true, "word": "好"}。'},
    {"role": "user", "content": "请输出 JSON。"},
]


@dataclass
class Check:
    name: str
    status: Status
    detail: str


@dataclass
class DoctorReport:
    checks: list[Check] = field(default_factory=list)
    rung: str | None = None

    @property
    def ok(self) -> bool:
        return not any(c.status == "fail" for c in self.checks)

    def text(self) -> str:
        marks = {"ok": "✓", "fail": "✗", "skip": "-", "info": "·"}
        return "\n".join(f"{marks[c.status]} {c.name}：{c.detail}" for c in self.checks)


def run_doctor(
    settings: Settings | None = None,
    client: openai.OpenAI | None = None,
    *,
    cache: RungCache = RUNG_CACHE,
) -> DoctorReport:
    """Run every check; never raises for endpoint problems (they become failed checks)."""
    s = settings if settings is not None else load_settings()
    report = DoctorReport()
    report.checks.append(Check("配置", "info", s.status_line()))
    if not s.configured and client is None:
        names = "、".join(n for n in ENV_FIELDS if n in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ASSISTANT_MODEL"))
        report.checks.append(
            Check("说明", "info", f"当前使用离线引擎；如需使用模型，请设置 {names}（或写入 .streamlit/secrets.toml）")
        )
        return report
    secret = s.secret()
    try:
        llm = LLMClient(s, client)
    except LLMError as e:
        report.checks.append(Check("客户端", "fail", str(e)))
        return report
    report.checks.append(
        Check("服务类型", "info", f"{s.profile.name}（{s.profile.notes or '按 OpenAI 兼容接口处理'}）")
    )

    # reachability (GET /models is optional for compatible servers, so a 404 there is not fatal)
    try:
        models = llm.list_models()
        listed = (
            "，已在模型列表中"
            if s.effective_model in models
            else ("" if not models else "（模型列表中没有该名称，以实际调用为准）")
        )
        report.checks.append(Check("可达性", "ok", f"{s.effective_base_url} 可以连接{listed}"))
    except LLMError as e:
        if e.kind in ("not_found", "rejected"):
            report.checks.append(Check("可达性", "info", "服务未提供模型列表接口，以下以实际调用为准"))
        else:
            report.checks.append(Check("可达性", "fail", _why(e, secret)))
            return report

    # the model answers
    try:
        c = llm.complete([{"role": "user", "content": "请只回复一个字：好"}], max_tokens=10)
        if c.text.strip():
            report.checks.append(Check("模型", "ok", f"{s.effective_model} 可以回答"))
        else:
            report.checks.append(Check("模型", "fail", f"{s.effective_model} 返回了空回答"))
    except LLMError as e:
        report.checks.append(Check("模型", "fail", _why(e, secret)))
        return report

    # streaming
    state = StreamState()
    try:
        pieces = list(llm.stream([{"role": "user", "content": "请只回复：好的"}], state=state, max_tokens=10))
        if pieces and state.completed:
            report.checks.append(Check("流式输出", "ok", f"收到{len(pieces)}段"))
        else:
            report.checks.append(Check("流式输出", "fail", "没有收到流式内容"))
    except LLMError as e:
        report.checks.append(Check("流式输出", "fail", _why(e, secret)))

    # structured output: probe from rung 1 with a private cache, then remember the result globally
    probe_cache = RungCache()
    caller = StructuredCaller(llm, cache=probe_cache, max_tokens=50)
    probe_cache.set(caller.endpoint, 1)
    try:
        result = caller.call(_PROBE_MESSAGES, _Probe, _PROBE_SCHEMA, "probe")
        cache.set(caller.endpoint, result.rung)
        report.rung = RUNG_NAMES[result.rung]
        report.checks.append(
            Check(
                "结构化输出",
                "ok",
                f"可用档位：{result.rung}（{RUNG_LABELS[result.rung]}，response_format={RUNG_NAMES[result.rung]}）",
            )
        )
    except LLMError as e:
        report.checks.append(
            Check("结构化输出", "fail", f"三个档位都没有得到有效 JSON：{_why(e, secret)}（提取将使用离线引擎）")
        )
    return report


def _why(e: LLMError, secret: str) -> str:
    detail = f"（{redact(e.detail, secret)[:120]}）" if e.detail else ""
    return f"{e}{detail}"
