"""Conversational acts in a clerk message: not numbers, but what the clerk *does* with the table.

- *pending*: 「收费财务还没回，继续空着」「上年结转待核实」 → the named cells are explicitly not known yet (never 0);
- *clear*: 「收费那一项清空」 → the named cells go back to unknown (and are asked about again);
- *question*: 「上年结转是什么意思？」「还缺哪些？」 → answered, not parsed for numbers;
- *convention*: 「空白的格子就是0」「金额单位是元」 → applies to this and the following messages.

Read clause by clause; the cells a clause names come from the extractor's vocabulary (one lexicon for both).
The engine calls :func:`read_acts` once per message and copies the result into the ``ExtractionResult``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..formats import ReportFormat
from ..textnorm import normalize_text
from .base import ExtractionResult, PendingQuestion

# 先空着 / 不清楚 / 待核实 / 还没回 / 继续空着: the clerk does not know yet
_PENDING = re.compile(
    r"先空着|暂时?空着|继续空着|还空着|空着吧|就空着|先留空|暂时?留空|先不填|暂不填|暂时不填|先别填|"
    r"不清楚|不太清楚|说不准|不确定|拿不准|待核实|待确认|待核对|待定|还要核实|需要核实|要再核实|再核实一下|"
    r"还没回|没回复|还没回复|没有回复|还没给|没给我|还没报|还没报上来|没报上来|还没统计|还没有统计|没统计出来|"
    r"还在统计|正在统计|还在核|还没出来|还没定|没定下来|回头再[补填说给]|稍后再?[补填给]|晚点再?[补填给]|以后再[补填]|"
    r"等.{1,8}(?:回复|确认|核实|报上来)(?:后|了|再)"
)
# 「收费那一项清空」「把复议那行删掉」: back to unknown
_CLEAR = re.compile(r"清空|清除|删掉|删除|删了|去掉|置空|改为空|改成空|改回空|改回未填|恢复未填|这项不算|那项不算")
# a question to us (answered, not parsed): question words, not a bare "？" after a number ("自然人是3件？")
_QUESTION = re.compile(
    r"什么意思|啥意思|是什么|指什么|是指|怎么填|如何填|怎么算|如何算|怎么写|填在哪|填哪|放在哪|放哪|归哪|算哪|算在哪|"
    r"算不算|算.{0,10}吗|属于.{0,12}吗|属不属于|要不要|需不需要|需要填吗|要填吗|能不能|可不可以|是不是|"
    r"第几行|哪一行|哪行|哪一栏|哪栏|哪一项|哪一类|哪一列|哪个格|哪一格|"
    r"还缺|还差|缺哪|缺什么|还有哪些|还剩哪些|哪些没填|哪些还没|还有什么要填|还要填什么|还需要什么|"
    r"为什么|为啥|怎么办|区别|有什么不同"
)
_MISSING = re.compile(r"还缺|还差|缺哪|缺什么|还有哪些|还剩哪些|哪些没填|哪些还没|还有什么要填|还要填什么|还需要什么")
_QUESTION_END = re.compile(r"[?？吗呢]\s*$")
_QUESTION_MARK = re.compile(r"[?？]\s*$")
_WORDS = re.compile(r"[\u4e00-\u9fffA-Za-z]{2}")  # "？？？" is not a question
_NUMERAL = re.compile(r"[0-9０-９零〇一二两三四五六七八九十百千万]")
# conventions
_BLANK_ZERO = re.compile(
    r"(?:空白|空着|空的|空格|没填|未填|没写|未写|没说|没提|没说到|没提到|没列|未列)(?:的|处|地方)?(?:格子|单元格|项目?|地方|栏|格)?"
    r"(?:都|均|一律|全部|就|即)?(?:是|为|算|按|视为|当作|填)?(?:0|零)"
)
_UNIT = re.compile(r"(?:单位|金额|钱数?|收费)(?:单位)?(?:都|均|一律|全部|就)?(?:是|为|按|用|以)\s*(万元|元)(?:为单位|计|算)?")
_UNIT_PREFIX = re.compile(r"以(万元|元)为单位")

_CLAUSES = re.compile(r"[，,。；;！!？?\n]+")
_SENTENCES = re.compile(r"(?<=[。；;！!？?\n])")


@dataclass
class Acts:
    pending_cells: list[str] = field(default_factory=list)
    cleared_cells: list[str] = field(default_factory=list)
    clerk_questions: list[str] = field(default_factory=list)
    conventions: dict[str, str] = field(default_factory=dict)
    pending_unnamed: bool = False  # "先空着" naming no cell and answering no single question

    def copy_into(self, result: ExtractionResult) -> None:
        """Fill the act fields of an extraction result (what an extractor already filled is kept)."""
        for cell in self.pending_cells:
            if cell not in result.pending_cells:
                result.pending_cells.append(cell)
        for cell in self.cleared_cells:
            if cell not in result.cleared_cells:
                result.cleared_cells.append(cell)
        for q in self.clerk_questions:
            if q not in result.clerk_questions:
                result.clerk_questions.append(q)
        for k, v in self.conventions.items():
            result.conventions.setdefault(k, v)


def is_missing_question(question: str) -> bool:
    """「还缺哪些？」: the clerk asks what is still to be filled."""
    return bool(_MISSING.search(question))


def named_cells(text: str, fmt: ReportFormat) -> list[str]:
    """The input cells a phrase names, through the extractor's vocabulary (rows/groups × columns)."""
    from .vocabulary import tokenize

    toks = [t for t in tokenize(text) if t.kind in ("t3row", "t3group", "t3col", "t3weak", "t4group", "t4col",
                                                    "t2row", "t2col", "fee")]
    out: list[str] = []
    t3_rows = [r.id for r in fmt.table3_rows]
    rows3: list[str] = []
    for t in toks:
        if t.kind == "t3row" and t.id != "result_total":
            if t.id.startswith("oh_"):
                rows3 += [r for r in t3_rows if r.startswith("other_handling") and (r == "other_handling"
                                                                                     or r.endswith(t.id[3:]))]
            elif t.id in t3_rows:
                rows3.append(t.id)
        elif t.kind == "t3group":
            rows3 += [r for r in t3_rows if r.startswith(t.id) and r != "result_total"]
    cols3 = [t.id for t in toks if t.kind == "t3col"]
    for rid in dict.fromkeys(rows3):
        for c in fmt.applicant_part_columns:
            if not cols3 or c.id in cols3:
                out.append(f"t3.{rid}.{c.id}")
    groups4: list[str] = []
    for t in toks:
        if t.kind == "t4group":
            if t.id == "suit":
                groups4 += ["suit_direct", "suit_after_review"]
            elif t.id == "both":
                groups4 += [g.id for g in fmt.table4_groups]
            else:
                groups4.append(t.id)
    cols4 = [t.id for t in toks if t.kind == "t4col"]
    for gid in dict.fromkeys(groups4):
        for c in fmt.table4_part_columns:
            if not cols4 or c.id in cols4:
                out.append(f"t4.{gid}.{c.id}")
    rows2 = [t.id for t in toks if t.kind == "t2row"] + (["admin_fee"] if any(t.kind == "fee" for t in toks) else [])
    cols2 = [t.id for t in toks if t.kind == "t2col"]
    specs = fmt.table_cells("table2")
    for rid in dict.fromkeys(rows2):
        row = [s.key for s in specs if s.row_id == rid]
        chosen = [s.key for s in specs if s.row_id == rid and s.col_id in cols2]
        out += chosen or row
    inputs = {s.key for s in fmt.input_cells()}
    return [k for k in dict.fromkeys(out) if k in inputs]


def _question_cells(pending: list[PendingQuestion], fmt: ReportFormat) -> list[str]:
    """The cells of the one table question just asked (a bare "先空着" answers it); [] when not exactly one."""
    inputs = {s.key for s in fmt.input_cells()}
    table_qs = [q for q in pending if q.cells and q.kind in ("cells", "confirm_zero", "confirm_value")]
    if len(table_qs) != 1:
        return []
    return [c for c in table_qs[0].cells if c in inputs]


def read_acts(message: str, fmt: ReportFormat, pending: list[PendingQuestion] | None = None) -> Acts:
    """The acts of one message (see the module docstring)."""
    text = normalize_text(message or "")
    acts = Acts()
    pending = pending or []
    for sentence in _SENTENCES.split(text):
        s = sentence.strip()
        if not s:
            continue
        clauses = [c for c in _CLAUSES.split(s) if c.strip()]
        asks = (bool(_QUESTION.search(s)) and (bool(_QUESTION_END.search(s)) or len(clauses) <= 2)) or (
            bool(_QUESTION_MARK.search(s)) and not _NUMERAL.search(s) and bool(_WORDS.search(s)))  # "要盖章吗？"
        if asks:
            acts.clerk_questions.append(s)
            continue  # 「不清楚上年结转是什么意思」 is a question, not a pending cell
        _read_cell_acts(clauses, fmt, pending, acts)
        m = _BLANK_ZERO.search(s)
        if m:
            acts.conventions["blank"] = "zero"
        u = _UNIT.search(s) or _UNIT_PREFIX.search(s)
        if u:
            acts.conventions["unit"] = u.group(1)
    return acts


def _read_cell_acts(clauses: list[str], fmt: ReportFormat, pending: list[PendingQuestion], acts: Acts) -> None:
    """Pending and clear acts of one sentence: a clause without cell words borrows those of the clause before."""
    previous: list[str] = []
    for clause in clauses:
        cells = named_cells(clause, fmt)
        is_pending = bool(_PENDING.search(clause))
        is_clear = bool(_CLEAR.search(clause)) and not is_pending
        if (is_pending or is_clear) and not cells:
            cells = previous or _question_cells(pending, fmt)
            if not cells and is_pending:
                acts.pending_unnamed = True
        if is_pending:
            acts.pending_cells += [c for c in cells if c not in acts.pending_cells]
        elif is_clear:
            acts.cleared_cells += [c for c in cells if c not in acts.cleared_cells]
        if cells:
            previous = cells
