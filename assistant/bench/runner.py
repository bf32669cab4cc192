"""Run every measurement and turn the numbers into table rows with targets and verdicts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import deadline, generalisation, measure
from .report import INFO, MISS, PASS, SKIP, BenchReport, machine_info
from .scenarios import sample_dialogues

TURN_P95_TARGET_MS = 30.0
GROWTH_TARGET = 1.5  # last five turns vs first five: "flat" within 50 %
TOKEN_RATIO_TARGET = 5.0
TOWNSHIP_TURNS_TARGET = 5


def _verdict(ok: bool) -> str:
    return PASS if ok else MISS


def _safe(report: BenchReport, key: str, fn: Callable[[], Any]) -> Any:
    """Run one measurement; a failure becomes a row, never a crash of the whole benchmark."""
    try:
        value = fn()
    except Exception as e:  # noqa: BLE001
        report.add("错误", key, "失败", verdict=SKIP, note=f"{type(e).__name__}: {str(e)[:150]}")
        report.raw[key] = {"error": f"{type(e).__name__}: {e}"}
        return None
    report.raw[key] = value
    return value


def run_bench(
    *, quick: bool = False, browser: bool = True, progress: Callable[[str], None] | None = None
) -> BenchReport:
    """All measurements; ``quick`` uses fewer repetitions and sessions and skips the browser and AppTest rows."""
    say = progress or (lambda s: None)
    report = BenchReport(mode="quick" if quick else "full", machine=machine_info())
    dialogues = sample_dialogues()
    long_turns = 12 if quick else 50

    say("生成对话（按措辞族统计 对/错/缺 格数）…")
    gen = _safe(report, "generalisation", lambda: generalisation.per_family(10 if quick else 40))
    for fam, r in (gen or {}).items():
        report.add(
            "泛化（生成对话）",
            f"{fam}{'（留出族，未调优）' if r['heldout'] else ''}：{r['conversations']}段对话，{r['cells']}格",
            f"对 {r['right']}（{r['right_pct']}%）/ 错 {r['wrong']} / 缺 {r['missing']}",
            "错 = 0；对 ≥ 98%",
            _verdict(r["wrong"] == 0 and r["right_pct"] >= 98),
            f"完全正确 {r['exact']} 段；崩溃 {r['crashes']}",
        )

    say("离线对话延迟…")
    lat = _safe(
        report, "turn_latency", lambda: measure.turn_latency(dialogues, repeats=1 if quick else 3, warmup=not quick)
    )
    if lat:
        report.add(
            "离线回合",
            "每回合延迟 p50 / p95 / max（样例对话，引擎+预览HTML）",
            f"{lat['p50']:.1f} / {lat['p95']:.1f} / {lat['max']:.1f} ms（{int(lat['n'])}回合）",
            f"p95 < {TURN_P95_TARGET_MS:.0f} ms",
            _verdict(lat["p95"] < TURN_P95_TARGET_MS),
            f"p50 拆分：引擎 {lat['engine_p50']:.1f} ms + 预览HTML {lat['preview_p50']:.1f} ms",
        )
    growth = _safe(
        report, "length_growth", lambda: measure.length_growth(long_turns, repeats=1 if quick else 3, warmup=not quick)
    )
    if growth:
        report.add(
            "离线回合",
            f"第1回合 vs 第{growth['turns']}回合（中位数）",
            f"{growth['turn1_ms']:.1f} ms vs {growth['turn_last_ms']:.1f} ms",
            "随长度平稳",
            INFO,
        )
        report.add(
            "离线回合",
            "末5回合/首5回合 平均延迟比",
            f"{growth['growth_ratio']:.2f}×（{growth['first5_mean_ms']:.1f} → {growth['last5_mean_ms']:.1f} ms）",
            f"≤ {GROWTH_TARGET}×",
            _verdict(growth["growth_ratio"] <= GROWTH_TARGET),
            "第1回合含问候后的首次抽取",
        )
        report.add(
            "离线回合",
            f"{growth['turns']}回合长对话 p95",
            f"{growth['p95_ms']:.1f} ms",
            f"< {TURN_P95_TARGET_MS:.0f} ms",
            _verdict(growth["p95_ms"] < TURN_P95_TARGET_MS),
        )

    say("提问次数…")
    q = _safe(report, "questions", lambda: measure.questions_per_report(dialogues))
    if q:
        done = [r for r in q if r["complete"]]
        turns = sum(r["clerk_turns"] for r in done)
        asked = sum(r["questions"] for r in done)
        form = sum(r["form_questions"] for r in done)
        report.add("提问", "完成的报告数 / 样例对话数", f"{len(done)} / {len(q)}")
        if done:
            report.add(
                "提问",
                "每份完成报告：承办人回合 / 助手提问（平均）",
                f"{turns / len(done):.1f} / {asked / len(done):.1f}",
                note=f"逐格表单基线：{form / len(done):.0f} 问",
            )
        town = next((r for r in q if r["name"] == "township_nothing"), None)
        if town:
            ok = town["complete"] and town["clerk_turns"] <= TOWNSHIP_TURNS_TARGET
            report.add(
                "提问",
                "无申请的乡镇：承办人回合（完成）",
                f"{town['clerk_turns']} 回合，提问 {town['questions']} 个，{'已完成' if town['complete'] else '未完成'}",
                f"≤ {TOWNSHIP_TURNS_TARGET} 回合",
                _verdict(ok),
                f"表单基线 {town['form_questions']} 问",
            )

    say("提示词 tokens…")
    at_turns = (2, 10) if quick else (2, 10, 20, 50)
    tok = _safe(report, "prompt_tokens", lambda: measure.prompt_tokens(at_turns))
    if tok:
        for r in tok["turns"]:
            last = r["turn"] == max(at_turns)
            report.add(
                "模型提示词",
                f"第{r['turn']}回合 紧凑 / 朴素 tokens",
                f"{r['compact_tokens']} / {r['naive_tokens']}（{r['ratio']:.1f}×）",
                f"第50回合 ≥ {TOKEN_RATIO_TARGET:.0f}×" if last else "",
                _verdict(r["ratio"] >= TOKEN_RATIO_TARGET) if last and r["turn"] == 50 else INFO,
                f"稳定前缀 {r['compact_stable_prefix']:.0%}（朴素 {r['naive_stable_prefix']:.0%}），"
                f"系统消息 {r['system_tokens']}",
            )

    say("渲染…")
    town = next((d for d in dialogues if d.name == "county_market_bureau"), dialogues[0])
    rend = _safe(report, "render", lambda: measure.render_times(measure.complete_report(town), 1 if quick else 10))
    if rend:
        for name, label in (("markdown", "Markdown"), ("html", "HTML 预览"), ("docx", ".docx")):
            s = rend[name]
            report.add("渲染", f"{label} p50 / max", f"{s['p50']:.1f} / {s['max']:.1f} ms")

    say("并发会话…")
    sessions = 4 if quick else 50
    conc = _safe(report, "concurrency", lambda: measure.concurrent_sessions(sessions, town))
    if conc:
        report.add(
            "并发",
            f"{conc['sessions']} 个会话（线程）× {len(town.messages)} 回合，SQLite",
            f"{conc['turns_per_s']:.1f} 回合/秒，p95 {conc['p95_ms']:.0f} ms（p50 {conc['p50_ms']:.0f}）",
            "无丢失、无报错",
            _verdict(not conc["error_count"] and conc["lost_messages"] == 0),
            f"静默丢失 {conc['lost_messages']}，明确报错 {conc['error_count']}，未处理 {conc['unprocessed_messages']}",
        )

    if quick:
        report.add("截止日", "200 名承办人（有思考时间）", "未测", verdict=SKIP, note="--quick 模式")
    else:
        say("截止日负载（SQLite 单进程 / PostgreSQL 双进程，各 200 名承办人）…")
        dl = _safe(report, "deadline_day", lambda: deadline.deadline_rows(clerks=200, duration_s=60, think_s=5))
        for key, label in (("sqlite_1proc", "SQLite，1 个进程"), ("postgresql_2proc", "PostgreSQL，2 个进程")):
            r = (dl or {}).get(key)
            if not r:
                continue
            if "skipped" in r:
                report.add("截止日", label, "未测", verdict=SKIP, note=r["skipped"][:150])
                continue
            report.add(
                "截止日",
                f"{label}：{r['clerks']} 名承办人，思考时间均值 {r['think_s']:.0f} s，{r['duration_s']:.0f} s",
                f"{r['turns_per_s']:.1f} 回合/秒，p95 {r['p95_ms']:.0f} ms（p50 {r['p50_ms']:.0f}）",
                "无丢失更新、无报错",
                _verdict(r["lost_updates"] == 0 and not r["error_count"]),
                f"丢失更新 {r['lost_updates']}，报错 {r['error_count']}，共 {r['turns']} 回合（仅本机回环）",
            )

    if quick or not browser:
        report.add("应用", "冷启动到首屏（浏览器）", "未测", verdict=SKIP, note="--quick 模式不启动浏览器")
        report.add("应用", "长草稿的 Streamlit 重跑（AppTest）", "未测", verdict=SKIP, note="--quick 模式")
    else:
        say("应用冷启动（浏览器）…")
        cold = _safe(report, "app_cold_start", measure.app_cold_start)
        if cold and "skipped" not in cold:
            report.add(
                "应用",
                "冷启动到首屏（streamlit run → chromium 显示侧栏）",
                f"{cold['total_ms'] / 1000:.1f} s（服务就绪 {cold['server_ready_ms'] / 1000:.1f} s + 首屏 "
                f"{cold['first_paint_ms'] / 1000:.1f} s）",
                note=f"热刷新 {cold['warm_reload_ms'] / 1000:.1f} s",
            )
        elif cold:
            report.add("应用", "冷启动到首屏", "未测", verdict=SKIP, note=cold["skipped"])
        say("AppTest 重跑…")
        rerun = _safe(report, "app_rerun", lambda: measure.app_rerun(50, 5))
        if rerun and "skipped" not in rerun:
            report.add(
                "应用",
                f"长草稿（{rerun['messages']}条消息）Streamlit 重跑 p50 / max",
                f"{rerun['rerun_p50']:.0f} / {rerun['rerun_max']:.0f} ms",
                note=f"首次运行 {rerun['first_run_ms']:.0f} ms",
            )
        elif rerun:
            report.add("应用", "长草稿 Streamlit 重跑", "未测", verdict=SKIP, note=rerun["skipped"])
    return report
