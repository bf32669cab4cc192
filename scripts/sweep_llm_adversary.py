"""Run every sample dialogue through the LLM path against adversarial fake models for many seeds and report any
run whose tables differ from the offline path (the CI test runs one seed per case).

Usage: ``python scripts/sweep_llm_adversary.py [--seeds 0:20] [--modes wrong_numbers,chaos,free_text_only]``
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fake_openai import FakeOpenAI  # noqa: E402
from llm_support import make_settings  # noqa: E402
from test_llm_conversation import DIALOGUES, Adversary, run, tables  # noqa: E402

from assistant.commands.chat import read_script  # noqa: E402
from assistant.engine import ConversationEngine  # noqa: E402
from assistant.llm.client import LLMClient  # noqa: E402
from assistant.llm.extractor import LLMExtractor  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0:10", help="start:stop")
    parser.add_argument("--modes", default="wrong_numbers,chaos,free_text_only")
    args = parser.parse_args(argv)
    lo, hi = (int(x) for x in args.seeds.split(":"))
    logging.disable(logging.WARNING)
    runs = failures = 0
    for path in DIALOGUES:
        offline = tables(run(ConversationEngine(), read_script(str(path)))[0])
        for mode in args.modes.split(","):
            for seed in range(lo, hi):
                adversary = Adversary(seed=seed, failures=mode == "chaos")
                reject = {"json_schema", "json_object"} if mode == "free_text_only" else set()
                with FakeOpenAI(handler=adversary, reject_formats=reject) as server:
                    client = LLMClient(make_settings(server.url, max_retries=1), sleep=lambda s: None)
                    report, _ = run(ConversationEngine(extractor=LLMExtractor(client)), read_script(str(path)))
                runs += 1
                if tables(report) != offline:
                    failures += 1
                    print(f"DIFFERENT: {path.stem} {mode} seed={seed}", flush=True)
    print(f"{runs} runs, {failures} with tables different from the offline path")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
