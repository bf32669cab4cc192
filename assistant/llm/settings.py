"""The model configuration: one ``Settings`` object, from the environment, then ``.streamlit/secrets.toml``.

No key → the offline engine. The key is a ``SecretStr``: it never appears in a repr, a log line or a status.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, SecretStr

from .profiles import ProviderProfile, profile_for

# env var → field; the same names are read as top-level keys of .streamlit/secrets.toml
ENV_FIELDS: dict[str, str] = {
    "OPENAI_API_KEY": "api_key",
    "OPENAI_BASE_URL": "base_url",
    "ASSISTANT_MODEL": "model",
    "ASSISTANT_LLM_TIMEOUT": "timeout",
    "ASSISTANT_LLM_CONNECT_TIMEOUT": "connect_timeout",
    "ASSISTANT_LLM_MAX_RETRIES": "max_retries",
    "ASSISTANT_LLM_BACKOFF": "backoff_base",
    "ASSISTANT_LLM_BACKOFF_MAX": "backoff_max",
    "ASSISTANT_PRICE_INPUT_PER_1K": "price_input_per_1k",
    "ASSISTANT_PRICE_OUTPUT_PER_1K": "price_output_per_1k",
    "ASSISTANT_LLM_DISABLED": "disabled",
}
_PROJECT_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseModel):
    """Everything the model layer needs, resolved once."""

    model_config = ConfigDict(frozen=True)

    api_key: SecretStr | None = None
    base_url: str | None = None  # None → the openai default (api.openai.com)
    model: str | None = None  # None → the provider profile's default model
    timeout: float = 60.0  # seconds per request (and per stream chunk)
    connect_timeout: float = 10.0
    max_retries: int = 2  # our own retries on 429/5xx/timeouts/connection errors
    backoff_base: float = 1.0  # seconds; doubled per retry (tests use ~0)
    backoff_max: float = 8.0
    price_input_per_1k: float | None = None  # for the cost estimate only
    price_output_per_1k: float | None = None
    disabled: bool = False  # force the offline engine
    source: str = "env"  # where the key came from: "env" | "secrets" | "args"

    @property
    def configured(self) -> bool:
        """A model endpoint is configured (a key is set and the model layer is not disabled)."""
        return bool(self.api_key and self.api_key.get_secret_value().strip()) and not self.disabled

    @property
    def profile(self) -> ProviderProfile:
        return profile_for(self.base_url)

    @property
    def effective_model(self) -> str:
        return self.model or self.profile.default_model or "gpt-4o-mini"

    @property
    def effective_base_url(self) -> str:
        return (self.base_url or self.profile.base_url or "https://api.openai.com/v1").rstrip("/")

    @property
    def endpoint_id(self) -> str:
        """base URL + model: the key under which the working structured-output rung is remembered."""
        return f"{self.effective_base_url}#{self.effective_model}"

    def secret(self) -> str:
        return self.api_key.get_secret_value() if self.api_key else ""

    def status_line(self) -> str:
        """Chinese one-liner for the UI/CLI; never contains the key."""
        if self.disabled:
            return "离线引擎（模型已停用）"
        if not self.configured:
            return "离线引擎（未配置模型）"
        return f"模型：{self.effective_model} @ {self.effective_base_url}（已配置）"


def _coerce(field: str, raw: Any) -> Any:
    if raw is None:
        return None
    if field == "disabled":
        return str(raw).strip().lower() in ("1", "true", "yes", "on")
    if isinstance(raw, str):
        raw = raw.strip()
        if raw == "":
            return None
    return raw


def _read_secrets(paths: list[Path]) -> dict[str, Any]:
    for path in paths:
        try:
            with path.open("rb") as f:
                data = tomllib.load(f)
        except FileNotFoundError:
            continue
        except (OSError, tomllib.TOMLDecodeError):
            continue  # a broken secrets file must not break the offline engine
        return data
    return {}


def default_secrets_paths() -> list[Path]:
    """Where Streamlit looks for secrets: the working directory, then the project root, then the home dir."""
    paths = [Path.cwd() / ".streamlit" / "secrets.toml", _PROJECT_ROOT / ".streamlit" / "secrets.toml"]
    paths.append(Path.home() / ".streamlit" / "secrets.toml")
    seen: list[Path] = []
    for p in paths:
        if p not in seen:
            seen.append(p)
    return seen


def load_settings(
    env: Mapping[str, str] | None = None, secrets_paths: list[Path] | None = None, **overrides: Any
) -> Settings:
    """Resolve the settings: environment variables first, then secrets.toml keys, then ``overrides``."""
    env = os.environ if env is None else env
    secrets = _read_secrets(default_secrets_paths() if secrets_paths is None else secrets_paths)
    values: dict[str, Any] = {}
    source = "env"
    for name, field in ENV_FIELDS.items():
        value = _coerce(field, env.get(name))
        if value is None:
            value = _coerce(field, secrets.get(name))
            if value is not None and field == "api_key":
                source = "secrets"
        if value is not None:
            values[field] = value
    values.update({k: v for k, v in overrides.items() if v is not None})
    if overrides.get("api_key"):
        source = "args"
    try:
        return Settings(source=source, **values)
    except Exception as e:  # noqa: BLE001 - a bad number in the config: say which, keep working offline
        from ..errors import AssistantError

        fields = sorted({str(err.get("loc", ("?",))[0]) for err in getattr(e, "errors", lambda: [])()})
        names = [n for n, f in ENV_FIELDS.items() if f in fields] or fields
        raise AssistantError(
            f"模型配置有误：{'、'.join(names)} 的取值无法识别，请检查环境变量或 .streamlit/secrets.toml"
        ) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, resolved once (call ``get_settings.cache_clear()`` after changing the env)."""
    return load_settings()
