"""Documented provider profiles for OpenAI-compatible endpoints (see docs/model-providers.md).

A profile gives the base URL, a sensible default model and the structured-output rung to try first. The
capability ladder still probes: a rung the endpoint rejects is skipped and the working rung is remembered.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

# rungs of the structured-output ladder (assistant.llm.ladder)
RUNG_JSON_SCHEMA = 1
RUNG_JSON_OBJECT = 2
RUNG_TEXT = 3


@dataclass(frozen=True)
class ProviderProfile:
    id: str
    name: str  # as shown to users
    base_url: str
    default_model: str
    json_schema: bool  # accepts response_format={"type": "json_schema", …, "strict": true}
    json_object: bool  # accepts response_format={"type": "json_object"}
    hosts: tuple[str, ...] = ()  # host names that identify this provider
    needs_key: bool = True  # local servers accept any key
    notes: str = ""

    @property
    def start_rung(self) -> int:
        if self.json_schema:
            return RUNG_JSON_SCHEMA
        if self.json_object:
            return RUNG_JSON_OBJECT
        return RUNG_TEXT


PROFILES: tuple[ProviderProfile, ...] = (
    ProviderProfile(
        "openai",
        "OpenAI",
        "https://api.openai.com/v1",
        "gpt-4o-mini",
        json_schema=True,
        json_object=True,
        hosts=("api.openai.com",),
        notes="结构化输出（json_schema strict）完整支持",
    ),
    ProviderProfile(
        "deepseek",
        "DeepSeek 深度求索",
        "https://api.deepseek.com/v1",
        "deepseek-chat",
        json_schema=False,
        json_object=True,
        hosts=("api.deepseek.com",),
        notes="支持 json_object（提示词中须含“JSON”字样），不支持 json_schema",
    ),
    ProviderProfile(
        "dashscope",
        "阿里云百炼 通义千问（兼容模式）",
        "https://dashscope.aliyuncs.com/compatible-mode/v1",
        "qwen-plus",
        json_schema=False,
        json_object=True,
        hosts=("dashscope.aliyuncs.com", "dashscope-intl.aliyuncs.com"),
        notes="兼容模式支持 json_object；部分新模型也支持 json_schema，阶梯会自动探测",
    ),
    ProviderProfile(
        "zhipu",
        "智谱 GLM",
        "https://open.bigmodel.cn/api/paas/v4",
        "glm-4-flash",
        json_schema=False,
        json_object=True,
        hosts=("open.bigmodel.cn",),
        notes="支持 json_object",
    ),
    ProviderProfile(
        "moonshot",
        "月之暗面 Kimi（Moonshot）",
        "https://api.moonshot.cn/v1",
        "moonshot-v1-8k",
        json_schema=False,
        json_object=True,
        hosts=("api.moonshot.cn", "api.moonshot.ai"),
        notes="支持 json_object",
    ),
    ProviderProfile(
        "vllm",
        "vLLM（本地部署）",
        "http://localhost:8000/v1",
        "Qwen/Qwen2.5-7B-Instruct",
        json_schema=True,
        json_object=True,
        needs_key=False,
        notes="模型名须与 --served-model-name 一致；json_schema 由引导解码实现",
    ),
    ProviderProfile(
        "ollama",
        "Ollama（本地部署）",
        "http://localhost:11434/v1",
        "qwen2.5:7b",
        json_schema=True,
        json_object=True,
        hosts=(),
        needs_key=False,
        notes="OpenAI 兼容接口在 /v1；密钥可填任意值（如 ollama）",
    ),
    ProviderProfile(
        "llamacpp",
        "llama.cpp server（本地部署）",
        "http://localhost:8080/v1",
        "local-model",
        json_schema=False,
        json_object=True,
        needs_key=False,
        notes="json_schema 支持因版本而异（llama-cpp-python 对其返回 500），从 json_object 起步",
    ),
)

PROFILES_BY_ID = {p.id: p for p in PROFILES}
GENERIC = ProviderProfile(
    "generic",
    "OpenAI 兼容接口",
    "",
    "",
    json_schema=True,
    json_object=True,
    notes="未知服务：从 json_schema 起步，被拒绝时自动降级",
)
_LOCAL_PORTS = {8000: "vllm", 11434: "ollama", 8080: "llamacpp"}


def profile_for(base_url: str | None) -> ProviderProfile:
    """The profile that matches an endpoint (by host name, or by the usual port of a local server)."""
    if not base_url:
        return PROFILES_BY_ID["openai"]
    parsed = urlparse(base_url)
    host = (parsed.hostname or "").lower()
    for p in PROFILES:
        if host in p.hosts:
            return p
    if host in ("localhost", "127.0.0.1", "::1") and parsed.port in _LOCAL_PORTS:
        return PROFILES_BY_ID[_LOCAL_PORTS[parsed.port]]
    return GENERIC
