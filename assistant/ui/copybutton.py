"""Copy-to-clipboard buttons that also work on plain HTTP to an intranet address (recipes §5).

``navigator.clipboard`` exists only in a secure context (HTTPS or localhost); elsewhere the button selects a
hidden textarea and uses ``document.execCommand('copy')``. The text is HTML-escaped into the textarea; the
script contains only ids generated here, never user text.

An item with ``html`` (the 「粘贴到网站」 variant) puts both flavours on the clipboard, ``text/html`` and
``text/plain``: through ``ClipboardItem`` in a secure context, else through the ``copy`` event of
``execCommand('copy')``. Pasted into a portal editor it arrives as a formatted table with its borders.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from html import escape

COPY_CSS = """
.nb-copybar{display:flex;flex-wrap:wrap;gap:.4em;align-items:center;margin:.1em 0 .3em}
.nb-copybar button{font:inherit;font-size:.86em;padding:.25em .8em;border:1px solid #c7ccd4;border-radius:6px;
 background:#fff;color:#1f2933;cursor:pointer;line-height:1.5}
.nb-copybar button:hover{border-color:#b3261e;color:#b3261e}
.nb-copybar button.primary{background:#b3261e;border-color:#b3261e;color:#fff}
.nb-copybar button.primary:hover{background:#8f1d17;color:#fff}
.nb-copybar .msg{font-size:.82em;color:#1e7b34;min-width:5em}
.nb-copybar .msg.err{color:#b3261e}
.nb-copybar textarea.nb-copy-src{position:fixed;left:-10000px;top:0;width:1px;height:1px;opacity:0}
"""

_SCRIPT = """
<script>
(function(){
  var ids = %s;
  var okText = "已复制到剪贴板", errText = "复制失败，请手动选中文字后按 Ctrl+C";
  function fallback(src){
    var active = document.activeElement;
    src.removeAttribute("readonly"); src.focus(); src.select(); src.setSelectionRange(0, src.value.length);
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    src.setAttribute("readonly", ""); if (active && active.focus) { active.focus(); }
    return ok;
  }
  function fallbackHtml(src, html){
    var text = src.value;
    function onCopy(e){
      e.clipboardData.setData("text/html", html); e.clipboardData.setData("text/plain", text); e.preventDefault();
    }
    document.addEventListener("copy", onCopy, true);
    try { return fallback(src); } finally { document.removeEventListener("copy", onCopy, true); }
  }
  ids.forEach(function(id){
    var btn = document.getElementById(id), src = document.getElementById(id + "-src"),
        htmlSrc = document.getElementById(id + "-html"), msg = document.getElementById(id + "-msg");
    if (!btn || !src || btn.dataset.bound) { return; }
    btn.dataset.bound = "1";
    btn.addEventListener("click", function(){
      var text = src.value;
      function done(ok){
        if (!msg) { return; }
        msg.textContent = ok ? okText : errText; msg.className = ok ? "msg" : "msg err";
        btn.setAttribute("data-copied", ok ? "1" : "0");
      }
      if (htmlSrc) {
        var html = htmlSrc.value;
        if (window.isSecureContext && navigator.clipboard && navigator.clipboard.write && window.ClipboardItem) {
          var item = new ClipboardItem({"text/html": new Blob([html], {type: "text/html"}),
                                        "text/plain": new Blob([text], {type: "text/plain"})});
          navigator.clipboard.write([item]).then(function(){ done(true); },
                                                 function(){ done(fallbackHtml(src, html)); });
        } else {
          done(fallbackHtml(src, html));
        }
      } else if (window.isSecureContext && navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function(){ done(true); }, function(){ done(fallback(src)); });
      } else {
        done(fallback(src));
      }
    });
  });
})();
</script>
"""


@dataclass(frozen=True)
class CopyItem:
    label: str
    text: str
    primary: bool = False
    html: str | None = None  # also copied as text/html (pastes as formatted content)


def _slug(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", key)[:40] or "x"


def copy_bar_html(items: list[CopyItem], key: str) -> str:
    """A row of copy buttons (one per item) with a status message; pass to ``st.html(..., unsafe_allow_javascript=True)``."""
    parts = [f"<style>{COPY_CSS}</style>", f'<div class="nb-copybar" data-key="{escape(_slug(key), quote=True)}">']
    ids: list[str] = []
    for i, item in enumerate(items):
        digest = hashlib.sha1((item.text + (item.html or "")).encode("utf-8")).hexdigest()[:8]
        bid = f"nbcopy-{_slug(key)}-{i}-{digest}"
        ids.append(bid)
        cls = ' class="primary"' if item.primary else ""
        parts.append(
            f'<button type="button" id="{bid}"{cls} data-testid="nb-copy-button">{escape(item.label)}</button>'
            f'<textarea class="nb-copy-src" id="{bid}-src" readonly tabindex="-1" aria-hidden="true">'
            f"{escape(item.text)}</textarea>"
        )
        if item.html is not None:
            parts.append(
                f'<textarea class="nb-copy-src" id="{bid}-html" readonly tabindex="-1" aria-hidden="true">'
                f"{escape(item.html)}</textarea>"
            )
    last = ids[-1] if ids else "none"
    parts.append(f'<span class="msg" id="{last}-msg" role="status" aria-live="polite"></span></div>')
    # every button reports into the one status span
    script = _SCRIPT % ("[" + ",".join(f'"{i}"' for i in ids) + "]")
    script = script.replace('document.getElementById(id + "-msg")', f'document.getElementById("{last}-msg")')
    return "".join(parts) + script
