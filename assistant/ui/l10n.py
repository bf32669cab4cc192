"""Chinese for Streamlit's own interface strings (uploader, table toolbar, status widget), which Streamlit
has no setting for.

One small script, injected once per page, rewrites exact English texts and attributes (aria-label, title,
placeholder) through the table in ``prompts/ui/streamlit_zh.json`` as they appear, and again whenever React
re-renders them. Numbers inside the texts (the upload limit) are Streamlit's own, i.e. the server's.
"""

from __future__ import annotations

import json
from functools import lru_cache

from ..prompts import load_prompt

_SCRIPT = """
<script>
(function () {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  const host = doc.defaultView || window;
  if (host.__nbL10n) return;
  const EXACT = %(exact)s;
  const PATTERNS = %(patterns)s.map(([re, to]) => [new RegExp(re), to]);
  const ATTRS = ["aria-label", "title", "placeholder"];
  function tr(value) {
    const t = value.trim();
    if (!t) return null;
    if (Object.prototype.hasOwnProperty.call(EXACT, t)) return value.replace(t, EXACT[t]);
    for (const [re, to] of PATTERNS) if (re.test(t)) return value.replace(t, t.replace(re, to));
    return null;
  }
  function fixText(node) {
    const v = tr(node.nodeValue || "");
    if (v !== null && v !== node.nodeValue) node.nodeValue = v;
  }
  function fixAttrs(el) {
    for (const a of ATTRS) {
      const v = el.getAttribute && el.getAttribute(a);
      if (!v) continue;
      const t = tr(v);
      if (t !== null && t !== v) el.setAttribute(a, t);
    }
  }
  function walk(root) {
    if (root.nodeType === 3) return fixText(root);
    if (root.nodeType !== 1) return;
    fixAttrs(root);
    const texts = doc.createTreeWalker(root, 4);
    let n;
    while ((n = texts.nextNode())) fixText(n);
    root.querySelectorAll("[aria-label],[title],[placeholder]").forEach(fixAttrs);
  }
  const observer = new host.MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "characterData") fixText(r.target);
      else if (r.type === "attributes") fixAttrs(r.target);
      else r.addedNodes.forEach(walk);
    }
  });
  observer.observe(doc.body, {subtree: true, childList: true, characterData: true, attributes: true,
                              attributeFilter: ATTRS});
  host.__nbL10n = observer;
  walk(doc.body);
})();
</script>
"""


@lru_cache(maxsize=1)
def l10n_script() -> str:
    """The script for ``st.html(..., unsafe_allow_javascript=True)``."""
    table = json.loads(load_prompt("ui/streamlit_zh.json"))
    exact = json.dumps(table["exact"], ensure_ascii=False).replace("</", "<\\/")
    patterns = json.dumps(table["patterns"], ensure_ascii=False).replace("</", "<\\/")
    return _SCRIPT % {"exact": exact, "patterns": patterns}

