"""The app's look: one stylesheet (no external fonts, images or scripts) and small escaped HTML fragments."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the page's first paint imports this module before the heavy domain modules
    from .progress import SectionProgress

ACCENT = "#b3261e"

APP_CSS = """
<style>
:root{--nb-accent:#b3261e;--nb-ink:#1f2933;--nb-muted:#5f6b7a;--nb-line:#e3e6ea;--nb-paper:#fffdf8}
[data-testid="stMainBlockContainer"]{padding:1.4rem 2rem 1rem;max-width:1600px}
[data-testid="stSidebar"]{background:#f6f4f1}
[data-testid="stSidebar"] h1{font-size:1.35rem;margin-bottom:0}
.nb-brand{display:flex;align-items:center;gap:.55em;margin:.1em 0 .2em}
.nb-brand .seal{width:2.1em;height:2.1em;border-radius:50%;background:var(--nb-accent);color:#fff;display:flex;
 align-items:center;justify-content:center;font-weight:700;font-size:1.05em;box-shadow:0 1px 2px rgba(0,0,0,.2)}
.nb-brand .name{font-size:1.3em;font-weight:700;color:var(--nb-ink);letter-spacing:.05em}
.nb-brand .sub{font-size:.78em;color:var(--nb-muted)}
.nb-head{display:flex;flex-wrap:wrap;align-items:baseline;gap:.3em 1em;border-bottom:3px solid var(--nb-accent);
 padding-bottom:.35em;margin-bottom:.5em}
.nb-head .title{font-size:1.45em;font-weight:700;color:var(--nb-ink)}
.nb-head .meta{color:var(--nb-muted);font-size:.88em}
.nb-head .badge{display:inline-block;border:1px solid var(--nb-accent);color:var(--nb-accent);border-radius:999px;
 padding:0 .6em;font-size:.8em;margin-left:.3em}
.nb-progress{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:.45em;margin:.2em 0 .7em}
@media (min-width:1900px){.nb-progress{grid-template-columns:repeat(6,minmax(0,1fr))}}
.nb-progress .chip{border:1px solid var(--nb-line);border-radius:8px;padding:.35em .55em;background:#fff;
 font-size:.82em;line-height:1.35;color:var(--nb-ink);position:relative;overflow:hidden}
.nb-progress .chip .bar{position:absolute;left:0;bottom:0;height:3px;background:#8fb996}
.nb-progress .chip.todo .bar{background:#e0b44c}
.nb-progress .chip.bad{border-color:#f0b8b4;background:#fff6f5}
.nb-progress .chip.bad .bar{background:var(--nb-accent)}
.nb-progress .chip.done{border-color:#b9dcc0;background:#f4fbf5}
.nb-progress .chip .k{font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.nb-progress .chip .d{color:var(--nb-muted);font-size:.95em}
.nb-progress .chip.bad .d{color:var(--nb-accent)}
.nb-paper{background:var(--nb-paper);border:1px solid var(--nb-line);border-radius:6px;padding:1.2em 1.6em;
 box-shadow:0 1px 3px rgba(0,0,0,.06)}
.nb-paper .nb-report{max-width:none}
.nb-paper .nb-report td.val{white-space:nowrap;min-width:2.4em}
.nb-summary{display:flex;flex-wrap:wrap;gap:.5em;margin:.2em 0 .6em}
.nb-summary span{border-radius:999px;padding:.1em .7em;font-size:.85em;border:1px solid var(--nb-line);background:#fff}
.nb-summary span.error{border-color:#f0b8b4;color:#8a1c12;background:#fff6f5}
.nb-summary span.ok{border-color:#b9dcc0;color:#1e7b34;background:#f4fbf5}
.nb-legend{font-size:.78em;color:var(--nb-muted);margin:.1em 0 .4em}
.nb-legend span{display:inline-block;padding:0 .45em;margin-right:.6em;border-radius:3px}
.nb-legend .u{background:#fff3cd;color:#a15c00}
.nb-legend .f{background:#fde7e9;outline:1px solid #d93025;color:#8a1c12}
.nb-finding{border-left:4px solid #d93025;background:#fff;padding:.35em .7em;margin:.3em 0;border-radius:0 6px 6px 0;
 font-size:.9em}
.nb-finding.warning{border-color:#e0a100}
.nb-finding.uncertain{border-color:#6b8fd6}
.nb-finding.missing{border-color:#9aa5b1}
.nb-finding .rule{font-size:.78em;color:var(--nb-muted);margin-right:.5em}
.nb-sectiontext{background:var(--nb-paper);border:1px solid var(--nb-line);border-radius:6px;padding:.7em 1em;
 line-height:1.85;white-space:pre-wrap;font-size:.95em}
.nb-lock{color:#1e7b34;font-weight:600}
.nb-empty{color:var(--nb-muted);text-align:center;padding:2.5em 1em}
.nb-empty .big{font-size:1.3em;color:var(--nb-ink);margin-bottom:.4em}
[data-testid="stChatMessage"]{padding:.55rem .7rem}
.nb-welcome{border:1px solid var(--nb-line);border-radius:8px;background:var(--nb-paper);padding:1.1em 1.4em;
 margin:.2em 0 .8em}
.nb-welcome .big{font-size:1.25em;font-weight:700;color:var(--nb-ink);margin-bottom:.5em}
.nb-welcome ol{margin:0;padding-left:1.3em;line-height:1.9;color:var(--nb-ink)}
.nb-skeleton{display:grid;grid-template-columns:5fr 7fr;gap:1.5rem;margin-top:.2rem}
.nb-skeleton .col h4{margin:.2rem 0 .8rem;font-size:1.5rem;color:var(--nb-ink)}
.nb-skeleton .box{border:1px solid var(--nb-line);border-radius:.5rem;height:calc(100vh - var(--nb-chat-chrome));
 min-height:15rem;padding:1rem;color:var(--nb-muted)}
.nb-skeleton .input{border:1px solid var(--nb-line);border-radius:.5rem;height:3.2rem;margin-top:1rem;
 background:#f6f4f1}
.nb-skeleton .bar{height:.9rem;border-radius:4px;background:linear-gradient(90deg,#eeeae4,#f7f5f1,#eeeae4);
 background-size:200% 100%;animation:nb-shimmer 1.4s infinite linear;margin:.6rem 0}
@keyframes nb-shimmer{from{background-position:200% 0}to{background-position:-200% 0}}
/* the chat box fills the window's height, so the input and the latest reply are in view without scrolling */
:root{--nb-chat-chrome:15rem}
div:has(> .st-key-chat_box){height:auto !important;flex:0 0 auto !important}
.st-key-chat_box{flex:0 0 auto !important;height:calc(100vh - var(--nb-chat-chrome)) !important;min-height:15rem}
</style>
"""

SEVERITY_LABELS = {"error": "不一致", "warning": "需核对", "uncertain": "待确认", "missing": "缺项"}


def brand_html(subtitle: str) -> str:
    return (
        '<div class="nb-brand"><div class="seal">报</div><div><div class="name">年报助手</div>'
        f'<div class="sub">{escape(subtitle)}</div></div></div>'
    )


def header_html(title: str, meta: list[str], badges: list[str]) -> str:
    """The draft's title line (every part escaped)."""
    b = "".join(f'<span class="badge">{escape(x)}</span>' for x in badges)
    m = " · ".join(escape(x) for x in meta if x)
    return f'<div class="nb-head"><span class="title">{escape(title)}</span>{b}<span class="meta">{m}</span></div>'


def progress_html(progress: list[SectionProgress]) -> str:
    chips = []
    for p in progress:
        cls = "bad" if p.problems else ("done" if p.filled >= p.total else "todo")
        pct = int(round(100 * p.fraction))
        label = escape(p.label())
        chips.append(
            f'<div class="chip {cls}" data-section="{p.section_id}" title="{label}">'
            f'<div class="k">{escape(p.name)}</div><div class="d">{escape(p.detail())}</div>'
            f'<div class="bar" style="width:{pct}%"></div></div>'
        )
    return '<div class="nb-progress">' + "".join(chips) + "</div>"


def finding_html(severity: str, rule: str, message: str) -> str:
    label = SEVERITY_LABELS.get(severity, severity)
    return (
        f'<div class="nb-finding {escape(severity, quote=True)}"><span class="rule">{escape(label)} · {escape(rule)}</span>'
        f"{escape(message)}</div>"
    )


def paper_html(inner_html: str) -> str:
    """Wrap an already-escaped report fragment in the paper card."""
    return f'<div class="nb-paper">{inner_html}</div>'


def legend_html() -> str:
    return '<div class="nb-legend"><span class="u">未填</span>尚未提供的数字 <span class="f">标红</span>勾稽关系不一致的单元格</div>'


def section_text_html(text: str) -> str:
    return f'<div class="nb-sectiontext">{escape(text)}</div>'


def empty_state_html(title: str, body: str) -> str:
    return f'<div class="nb-empty"><div class="big">{escape(title)}</div><div>{escape(body)}</div></div>'


def welcome_html(title: str, steps: list[str]) -> str:
    """The first screen's work area: what happens once the clerk starts chatting."""
    items = "".join(f"<li>{escape(x)}</li>" for x in steps if x.strip())
    return f'<div class="nb-welcome"><div class="big">{escape(title)}</div><ol>{items}</ol></div>'


def skeleton_html(chat_title: str, note: str) -> str:
    """The first paint: the page's layout (chat column, work area) while the app loads."""
    bars = '<div class="bar" style="width:92%"></div><div class="bar" style="width:70%"></div>'
    return (
        '<div class="nb-skeleton" data-testid="nb-skeleton"><div class="col">'
        f'<h4>{escape(chat_title)}</h4><div class="box">{escape(note)}{bars}</div><div class="input"></div></div>'
        f'<div class="col"><div class="nb-welcome">{bars}{bars}</div>{bars}</div></div>'
    )


def summary_html(counts: dict[str, int]) -> str:
    """Pills such as "3 处不一致 · 2 项待确认" for the review checklist."""
    if not any(counts.get(k) for k in ("error", "warning")):
        parts = ['<span class="ok">勾稽关系检查通过</span>']
    else:
        parts = []
    for sev in ("error", "warning", "uncertain", "missing"):
        n = counts.get(sev, 0)
        if n:
            unit = "处" if sev in ("error", "warning") else "项"
            parts.append(f'<span class="{sev}">{n} {unit}{escape(SEVERITY_LABELS[sev])}</span>')
    return '<div class="nb-summary">' + "".join(parts) + "</div>"
