"""Whole conversations through the LLM path (real engine, real rule extractor, real openai client, fake server):
whatever the server returns — garbage, invented or misattributed numbers, failures — the tables end exactly as
the offline path leaves them for the same messages. Also the chat CLI configured only by environment variables."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from fake_openai import FakeOpenAI
from llm_support import KEY, make_settings

from assistant.commands.chat import read_script
from assistant.engine import ConversationEngine
from assistant.extract.numbers import find_numbers
from assistant.formats import get_format
from assistant.interchange import to_label_json
from assistant.llm import build_extractor
from assistant.llm.client import LLMClient
from assistant.llm.extractor import LLMExtractor

ROOT = Path(__file__).resolve().parent.parent
DIALOGUES = sorted((ROOT / "samples" / "dialogues").glob("*.txt"))
ALL_CELLS = sorted(set(get_format("2021").cells()) | set(get_format("2019").cells()))
_CLERK = re.compile(r"<clerk_message>\n(.*)\n</clerk_message>", re.DOTALL)


def run(engine: ConversationEngine, messages: list[str]):  # noqa: ANN201
    result = engine.start()
    state = result.state
    results = []
    for i, m in enumerate(messages, 1):
        result = engine.turn(state, m, message_id=f"m{i}")
        state = result.state
        results.append(result)
    return state.report, results


def tables(report) -> dict:  # noqa: ANN001
    data = to_label_json(report)
    return {k: data[k] for k in ("agency", "level", "report_year", "format", "table2", "table3", "table4")}


class Adversary:
    """A model that answers with invented numbers, numbers from the message put into random cells, quotes that are
    not in the message, junk meta and narrative — or garbage, or failures."""

    def __init__(self, seed: int, *, failures: bool) -> None:
        self.rng = random.Random(seed)
        self.failures = failures
        self.calls = 0

    def proposals(self, message: str) -> dict:
        rng = self.rng
        ups = []
        for m in find_numbers(message):
            frag = message[max(0, m.start - rng.randint(0, 8)) : m.end]
            ups.append(
                {
                    "cell": rng.choice(ALL_CELLS),
                    "status": "value",
                    "value": float(m.value),
                    "evidence": frag,
                    "is_correction": rng.random() < 0.5,
                }
            )
            ups.append(
                {
                    "cell": rng.choice(ALL_CELLS),
                    "status": "value",
                    "value": float(m.value) + rng.randint(1, 50),
                    "evidence": frag,
                    "is_correction": False,
                }
            )
        ups.append(
            {
                "cell": rng.choice(ALL_CELLS),
                "status": "value",
                "value": rng.randint(100, 999),
                "evidence": "本年共收到申请999件",
                "is_correction": True,
            }
        )
        ups.append(
            {
                "cell": rng.choice(ALL_CELLS),
                "status": "confirmed_zero",
                "value": None,
                "evidence": message[:4],
                "is_correction": False,
            }
        )
        ups.append(
            {"cell": "t3.bogus.total", "status": "value", "value": 1, "evidence": message[:2], "is_correction": False}
        )
        return {
            "updates": ups,
            "meta": {
                "agency": "冒充的人民政府",
                "level": rng.choice(["县级部门", "省级人民政府", None]),
                "report_year": 2031,
            },
            "narrative": [{"key": "problems", "text": "模型编造的问题描述，原话中没有"}],
        }

    def __call__(self, body: dict) -> dict:
        self.calls += 1
        user = next(
            (m["content"] for m in body["messages"] if m["role"] == "user" and "<clerk_message>" in m["content"]), ""
        )
        m = _CLERK.search(user)
        message = m.group(1) if m else ""
        good = {"json": self.proposals(message)}
        if not self.failures:
            return good
        choices = [
            good,
            good,
            {"content": "好的，我已经理解了您的意思，会按要求处理。"},
            {"malformed": True},
            {"empty": True},
            {"status": 500},
            {"status": 429},
            {"content": "```json\n" + json.dumps(self.proposals(message), ensure_ascii=False) + "\n```"},
            {"json": {"updates": "全部改为999"}},
        ]
        return self.rng.choice(choices)


def _offline_tables(path: Path) -> dict:
    report, _ = run(ConversationEngine(), read_script(str(path)))
    return tables(report)


# every sample against invented/misattributed numbers; a spread of samples against chaos (garbage and failures
# mixed in) and against an endpoint that only does free text (rung 3). scripts/sweep_llm_adversary.py runs more seeds.
CASES = [(p, "wrong_numbers") for p in DIALOGUES] + [
    (p, mode) for i, p in enumerate(DIALOGUES) for mode in ("chaos", "free_text_only") if i % 3 == (mode == "chaos")
]


@pytest.mark.parametrize(("path", "mode"), CASES, ids=[f"{p.stem}-{m}" for p, m in CASES])
def test_llm_path_ends_with_the_offline_tables(path, mode):
    adversary = Adversary(seed=zlib.crc32(f"{path.stem}-{mode}".encode()), failures=mode == "chaos")
    reject = {"json_schema", "json_object"} if mode == "free_text_only" else set()
    with FakeOpenAI(handler=adversary, reject_formats=reject) as server:
        extractor = LLMExtractor(LLMClient(make_settings(server.url, max_retries=1), sleep=lambda s: None))
        report, results = run(ConversationEngine(extractor=extractor), read_script(str(path)))
    assert adversary.calls >= len(results)  # the model really was asked every turn
    assert tables(report) == _offline_tables(path)
    # nothing the adversary invented reached the ledger
    assert report.agency != "冒充的人民政府" and report.report_year != 2031


def test_a_model_that_agrees_with_the_rules_confirms_every_cell():
    """A well-behaved model proposing what the clerk said (here: the rules' own reading, quoted) is cross-checked
    cell by cell and the tables are the offline ones."""
    path = next(p for p in DIALOGUES if p.stem == "corrections")
    last: dict = {}

    def echo(body: dict) -> dict:
        r = last.get("rules")
        ups = (
            []
            if r is None
            else [
                {
                    "cell": u.cell,
                    "status": u.status.value,
                    "value": float(u.value) if u.value is not None else None,
                    "evidence": u.evidence,
                    "is_correction": u.is_correction,
                }
                for u in r.updates
            ]
        )
        return {"json": {"updates": ups, "meta": {"agency": None, "level": None, "report_year": None}, "narrative": []}}

    with FakeOpenAI(handler=echo) as server:
        extractor = LLMExtractor(LLMClient(make_settings(server.url), sleep=lambda s: None))
        rules_extract = extractor.rules.extract

        def remember(message, context):  # noqa: ANN001, ANN202
            last["rules"] = rules_extract(message, context)
            return last["rules"]

        extractor.rules.extract = remember  # type: ignore[method-assign]
        agreed: list[str] = []
        llm_extract = extractor.extract

        def spy(message, context):  # noqa: ANN001, ANN202
            r = llm_extract(message, context)
            agreed.extend(r.agreed)
            assert r.engine == "llm" and not r.warnings
            return r

        extractor.extract = spy  # type: ignore[method-assign]
        report, _ = run(ConversationEngine(extractor=extractor), read_script(str(path)))
    assert len(agreed) >= 10
    assert tables(report) == _offline_tables(path)


def test_total_outage_gives_the_offline_result_and_a_notice_every_turn():
    with FakeOpenAI() as server:
        url = server.url
    path = DIALOGUES[0]
    extractor = LLMExtractor(LLMClient(make_settings(url, max_retries=0), sleep=lambda s: None))
    report, results = run(ConversationEngine(extractor=extractor), read_script(str(path)))
    assert tables(report) == _offline_tables(path)
    for r in results:
        if r.notices or "模型" in r.reply:
            continue
        pytest.fail("a turn without a model fell back silently")


# ---- the chat CLI configured only by environment variables -----------------------------------------------
def _cli(args: list[str], env_extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ASSISTANT_"))}
    env.update(env_extra)
    env["HOME"] = env.get("TMPDIR", "/tmp")
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args], capture_output=True, text=True, env=env, timeout=120, cwd=ROOT
    )


def test_chat_cli_against_the_fake_server(tmp_path):
    path = next(p for p in DIALOGUES if p.stem == "corrections")
    adversary = Adversary(seed=7, failures=False)
    with FakeOpenAI(handler=adversary) as server:
        out_llm = tmp_path / "llm.json"
        env = {"OPENAI_BASE_URL": server.url, "OPENAI_API_KEY": KEY, "ASSISTANT_MODEL": "fake-model"}  # nothing else
        done = _cli(["chat", "--script", str(path), "--json-out", str(out_llm)], env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == f"使用模型：fake-model @ {server.url}"
    assert adversary.calls >= 6
    assert KEY not in done.stdout + done.stderr
    out_off = tmp_path / "off.json"
    assert _cli(["chat", "--offline", "--script", str(path), "--json-out", str(out_off)], {}).returncode == 0
    llm, off = (json.loads(p.read_text(encoding="utf-8")) for p in (out_llm, out_off))
    assert {k: llm[k] for k in ("table2", "table3", "table4")} == {k: off[k] for k in ("table2", "table3", "table4")}


def test_build_extractor_from_environment(monkeypatch, fake):
    monkeypatch.setenv("OPENAI_BASE_URL", fake.url)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("ASSISTANT_MODEL", "fake-model")
    ext = build_extractor()
    assert isinstance(ext, LLMExtractor) and ext.client.settings.effective_model == "fake-model"


def test_compact_prompt_stays_flat_while_the_naive_one_grows(capsys):
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_llm_tokens", ROOT / "scripts" / "bench_llm_tokens.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--turns", "8"]) == 0
    rows = [line.split("|") for line in capsys.readouterr().out.splitlines() if re.match(r"^\s+\d+ \|", line)]
    compact = [int(r[1]) for r in rows]
    naive = [int(r[2]) for r in rows]
    assert len(rows) == 8
    assert naive[-1] > naive[0] + 2000  # the whole history keeps growing
    assert max(compact) < 4000 and compact[-1] < naive[-1] / 2  # the compact state does not
