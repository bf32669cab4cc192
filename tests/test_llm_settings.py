"""Settings, provider profiles, the status line, the doctor (library and CLI) and key hygiene."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fake_openai import FakeOpenAI
from llm_support import KEY, make_settings

from assistant.errors import AssistantError
from assistant.llm import build_extractor, settings_status
from assistant.llm.doctor import run_doctor
from assistant.llm.ladder import RUNG_CACHE
from assistant.llm.profiles import PROFILES, RUNG_JSON_OBJECT, RUNG_JSON_SCHEMA, profile_for
from assistant.llm.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent


def test_no_key_means_offline_engine(tmp_path):
    s = load_settings(env={}, secrets_paths=[tmp_path / "none.toml"])
    assert not s.configured and s.status_line() == "离线引擎（未配置模型）"
    assert settings_status(s) == "离线引擎（未配置模型）"
    assert build_extractor(s) is None


def test_env_first_then_secrets_toml(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        'OPENAI_API_KEY = "sk-from-secrets-123456"\nASSISTANT_MODEL = "qwen-plus"\n'
        'OPENAI_BASE_URL = "https://dashscope.aliyuncs.com/compatible-mode/v1"\nASSISTANT_LLM_TIMEOUT = 12\n',
        encoding="utf-8",
    )
    s = load_settings(env={"ASSISTANT_MODEL": "qwen-max"}, secrets_paths=[secrets])
    assert s.configured and s.source == "secrets"
    assert s.effective_model == "qwen-max" and s.timeout == 12 and s.profile.id == "dashscope"
    status = s.status_line()
    assert status == "模型：qwen-max @ https://dashscope.aliyuncs.com/compatible-mode/v1（已配置）"
    assert "sk-" not in status


def test_profile_default_model_and_base_url(tmp_path):
    s = load_settings(env={"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": "https://api.deepseek.com/v1"}, secrets_paths=[])
    assert s.effective_model == "deepseek-chat" and s.profile.start_rung == RUNG_JSON_OBJECT
    s = load_settings(env={"OPENAI_API_KEY": "k"}, secrets_paths=[])
    assert s.effective_base_url == "https://api.openai.com/v1" and s.profile.start_rung == RUNG_JSON_SCHEMA


def test_bad_number_in_config_names_the_variable():
    with pytest.raises(AssistantError) as e:
        load_settings(env={"OPENAI_API_KEY": "k", "ASSISTANT_LLM_TIMEOUT": "快一点"}, secrets_paths=[])
    assert "ASSISTANT_LLM_TIMEOUT" in str(e.value)


def test_broken_secrets_file_is_ignored(tmp_path):
    bad = tmp_path / "secrets.toml"
    bad.write_text("this is = = not toml", encoding="utf-8")
    assert not load_settings(env={}, secrets_paths=[bad]).configured


def test_disabled_forces_offline():
    s = load_settings(env={"OPENAI_API_KEY": "k", "ASSISTANT_LLM_DISABLED": "1"}, secrets_paths=[])
    assert not s.configured and "停用" in s.status_line()


def test_key_is_never_in_repr_or_dump():
    s = Settings(api_key=KEY, base_url="http://127.0.0.1:9/v1")
    for text in (repr(s), str(s), s.model_dump_json(), s.status_line()):
        assert KEY not in text


@pytest.mark.parametrize(
    ("url", "profile"),
    [
        ("https://api.openai.com/v1", "openai"),
        ("https://api.deepseek.com", "deepseek"),
        ("https://dashscope.aliyuncs.com/compatible-mode/v1", "dashscope"),
        ("https://open.bigmodel.cn/api/paas/v4", "zhipu"),
        ("https://api.moonshot.cn/v1", "moonshot"),
        ("http://localhost:8000/v1", "vllm"),
        ("http://localhost:11434/v1", "ollama"),
        ("http://127.0.0.1:8080/v1", "llamacpp"),
        ("http://127.0.0.1:5555/v1", "generic"),
    ],
)
def test_profile_detection(url, profile):
    assert profile_for(url).id == profile


def test_profiles_are_documented():
    doc = (ROOT / "docs" / "model-providers.md").read_text(encoding="utf-8")
    for p in PROFILES:
        assert p.base_url in doc and p.default_model in doc, p.id


# ---- doctor -----------------------------------------------------------------------------------------
def test_doctor_against_the_fake_server(fake):
    fake.reject_formats = {"json_schema"}
    fake.push({"content": "好"}, {"stream": ["好", "的"]}, {"json": {"ok": True, "word": "好"}})
    report = run_doctor(make_settings(fake.url))
    text = report.text()
    assert report.ok and report.rung == "json_object"
    for word in ("可达性", "模型", "流式输出", "结构化输出", "fake-model", "JSON 模式"):
        assert word in text
    assert KEY not in text
    assert RUNG_CACHE.get(make_settings(fake.url).endpoint_id) == 2


def test_doctor_reports_an_unreachable_endpoint():
    with FakeOpenAI() as server:
        url = server.url
    report = run_doctor(make_settings(url, max_retries=0))
    assert not report.ok and "无法连接" in report.text()


def test_doctor_when_not_configured():
    report = run_doctor(Settings())
    assert report.ok and "离线引擎（未配置模型）" in report.text() and "OPENAI_API_KEY" in report.text()


def _cli(args: list[str], env_extra: dict[str, str], timeout: int = 60) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ASSISTANT_"))}
    env.update(env_extra)
    env["HOME"] = env.get("TMPDIR", "/tmp")  # no ~/.streamlit/secrets.toml from the developer
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args], capture_output=True, text=True, env=env, timeout=timeout, cwd=ROOT
    )


def test_doctor_command_via_cli(fake):
    fake.push({"content": "好"}, {"stream": ["好"]}, {"json": {"ok": True, "word": "好"}})
    out = _cli(["doctor"], {"OPENAI_BASE_URL": fake.url, "OPENAI_API_KEY": KEY, "ASSISTANT_MODEL": "fake-model"})
    assert out.returncode == 0, out.stderr
    assert "结构化输出" in out.stdout and "严格 JSON Schema" in out.stdout
    assert KEY not in out.stdout + out.stderr


def test_doctor_command_failure_exit_code_and_no_key(fake):
    fake.push(*[{"status": 401, "error": f"Incorrect API key provided: {KEY}"}] * 3)
    out = _cli(["doctor"], {"OPENAI_BASE_URL": fake.url, "OPENAI_API_KEY": KEY, "ASSISTANT_LLM_MAX_RETRIES": "0"})
    assert out.returncode == 2
    assert "密钥" in out.stdout and KEY not in out.stdout + out.stderr


def test_logs_never_contain_the_key(fake, caplog):
    caplog.set_level(logging.DEBUG)
    fake.push(*[{"status": 401, "error": f"Incorrect API key provided: {KEY}"}] * 4)
    run_doctor(make_settings(fake.url, max_retries=0))
    assert caplog.records and all(KEY not in r.getMessage() for r in caplog.records)
