"""Tell which official table a grid is (二, 三 or 四) from the words in it, or that it is page layout."""

from __future__ import annotations

_KEYWORDS = {
    "table2": (
        "第二十条",
        "信息内容",
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "行政许可",
        "行政处罚",
        "行政强制",
        "行政事业性收费",
        "本年处理决定数量",
        "上一年项目数量",
        "政府集中采购",
    ),
    "table3": (
        "申请人情况",
        "本年新收",
        "上年结转",
        "予以公开",
        "部分公开",
        "不予公开",
        "无法提供",
        "不予处理",
        "其他处理",
        "结转下年度",
        "自然人",
        "商业企业",
        "科研机构",
        "法律服务机构",
        "本年度办理结果",
    ),
    "table4": ("行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "直接起诉", "复议后起诉"),
}
MIN_SCORE = 3


def scores(text: str) -> dict[str, int]:
    return {t: sum(1 for k in kws if k in text) for t, kws in _KEYWORDS.items()}


def table_kind(text: str) -> str | None:
    """ "table2" / "table3" / "table4" for the text of a data table, None when it is none of them."""
    sc = scores(text)
    best = max(sc, key=lambda t: sc[t])
    return best if sc[best] >= MIN_SCORE else None


def looks_like_data_grid(row_texts: list[list[str]]) -> bool:
    """Layout tables (a page wrapped in <table>) have few, long cells; data tables many short ones."""
    rows = [r for r in row_texts if any(c.strip() for c in r)]
    if len(rows) < 2:
        return False
    cells = [c for r in rows for c in r if c.strip()]
    if len(cells) < 4:
        return False
    avg = sum(len(c) for c in cells) / len(cells)
    return avg < 60
