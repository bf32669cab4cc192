"""Score generated conversations per family: ``python -m tests.convgen [--n 40] [--seed 0] [--family F] [--show]``.

``--show`` prints the wrong cells with their conversations, for tuned families only: the held-out family
prints its counts and nothing else.
"""

from __future__ import annotations

import argparse
import json

from .evaluate import run_family
from .families import ALL, HELDOUT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="generated conversations: right / wrong / missing cells")
    parser.add_argument("--n", type=int, default=40, help="conversations per family (default 40)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--family", action="append", choices=sorted(ALL))
    parser.add_argument("--show", action="store_true", help="print wrong cells (tuned families only)")
    parser.add_argument("--json-out")
    args = parser.parse_args(argv)
    families = args.family or list(ALL)
    rows = {}
    print(f"{'family':<14}{'convs':>6}{'exact':>6}{'cells':>8}{'right%':>8}{'wrong':>7}{'missing':>8}{'meta✗':>6}{'crash':>6}")
    for fam in families:
        score = run_family(fam, args.n, args.seed)
        r = rows[fam] = score.row()
        print(f"{fam:<14}{r['conversations']:>6}{r['exact']:>6}{r['cells']:>8}{r['right_pct']:>8}{r['wrong']:>7}"
              f"{r['missing']:>8}{r['meta_wrong']:>6}{r['crashes']:>6}")
        if args.show and fam not in HELDOUT:
            for w in score.wrong_cells[:30]:
                print("   ", json.dumps({k: v for k, v in w.items() if k != "messages"}, ensure_ascii=False))
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as f:
            json.dump(rows, f, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
