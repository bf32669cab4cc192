"""The offline, rule-based extractor: clerk message → proposed cell updates, meta, narrative, yes/no.

Pipeline: normalise → drop suspected prompt injection → read pasted tables → meta (agency/level/year/format) →
yes/no → read the rest sentence by sentence, clause by clause → bare answers to the pending question →
arithmetic closure (a stated total whose parts already add up confirms the other parts as 0).

Inside a clause each number attaches to the row/column words written since the previous number, or, when
none precede it, to those right after it ("10件是个人的"); a column named right after a row total ("属于国家
秘密2件，自然人") says which applicants that total came from. A number with no words at all belongs to the row
named earlier in the same sentence ("收到申请，共12件"). Scope words (没有/都是/其余均为0) confirm zeros for
the group of cells they name; an inferred zero never overwrites what the clerk stated in the same message and
never contradicts a stated row total. Everything that could not be placed goes to ``not_understood``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..facts import CellStatus, FactUpdate, Report, format_number
from ..formats import FormatError, ReportFormat, format_for_year, get_format
from ..numbers import DOCNO_PATTERN, NumberMention, find_numbers
from ..textnorm import normalize_text
from .base import ExtractionContext, ExtractionResult, MetaUpdate, PendingQuestion
from .cells import cell_value_from_mention, input_parts, value_update, zero_update
from .injection import screen_into
from .messages import fragment, msg
from .meta import county_level_city, explicit_level, find_agency, find_format, find_level, find_report_year
from .tables import parse_tables
from .vocabulary import Token, tokenize

log = logging.getLogger(__name__)

MAX_CHARS = 60_000
INTERNAL_ERROR = "离线解析这条消息时出错，未记录任何数字，请换一种说法或分段发送"

_SENTENCE_SPLIT = re.compile(r"[。！!？?；;\n]+")
_CLAUSE_SPLIT = re.compile(r"(?:[，（）()【】\[\]]|(?<!\d),|,(?!\d{3}(?!\d)))+")  # keep "1,234"
_DOCNO_BRACKETS = str.maketrans(
    {"(": "〔", "（": "〔", "[": "〔", "［": "〔", "【": "〔", ")": "〕", "）": "〕", "]": "〕", "］": "〕", "】": "〕"}
)
_YES = re.compile(
    r"^\s*(?:是的|是滴|是啊|是|对的|对|对头|没错|确认|正确|好的|好|嗯嗯|嗯|可以|行|确实|没问题|没有问题|yes|ok|y)"
    r"(?=$|[，,。.!！\s~])",
    re.IGNORECASE,
)
_NO = re.compile(
    r"^\s*(?:不是|不对|错了|不正确|有误|不全是|并不是|不完全是|否|不|no|n)(?=$|[，,。.!！\s~：:])", re.IGNORECASE
)
_NEG_BARE = re.compile(
    r"^\s*(?:没有|无|没|都没有|均无|全无|一件都没有|一件也没有|一个都没有|都没|没有的|暂无|都是0|均为0|都为0|全是0|为0|是0|0|零|都是零|均为零)"
    r"\s*[。.!！~]*\s*$"
)
_PRIMARY = {"t3row", "t3group", "t3col", "t3weak", "t2row", "t2col", "t4group", "t4col"}
_ROW_KINDS = {"t3row", "t3group", "t3weak", "t4group", "t2row"}
_ONLY_FILLER = re.compile(
    r"^[\s的了也都呢啊吧嘛哦呀是都这个那个情况这类此类这种此项该项全年今年本年我们我局我镇年底]*$"
)
_COPULA_GAP = re.compile(r"^[\s是为均都也系全部皆由属的]*$")
_REFERENCE_BEFORE = re.compile(r"(?:那|这|上述|前面说的|刚才说的|以上)(?:的)?$")  # "第三方权益那3件是……"
_REFERENCE_AFTER = re.compile(r"^(?:里面|里头|里边|里|当中|之中|中)")
_OLD_VALUE_BEFORE = re.compile(
    r"(?:(?<!是)不是|并非|而非|说成|写成|填成|记成|报成|算成|打成|误写为|误报为|误填为|误作|原来是|原先是|之前是|之前填的|原来填的|原填)"
    r"[了的为是成]?$"
)
_APPLICANT_FILLER = re.compile(
    r"^[\s是为均都也系全部皆由属的申请人提出了递交这那件个类型此该其各位所家一两二三四五六七八九十几名还另外剩下余者们"
    r"交来信网上当面邮寄提]*$"
)
_REF_REST = re.compile(r"^(?:的)?(?:申请|政府信息公开申请)?(?:里|中|当中)?\s*$")  # "对这20件申请"
_SCOPE_END = re.compile(r"(?:中|当中|之中|里|里面|里头|其中)$")
_NOT_A_COUNT_AFTER = re.compile(r"^\s*(?:热线|电话|专线|号码|报警|服务热线|服务平台|平台|便民|政务服务热线|邮箱|信箱|网站)")
_DESCRIPTOR_GAP = re.compile(r"^[\u4e00-\u9fff]{1,4}$")
_ENTITY_UNITS = {"家", "所", "位", "名"}
_SOFT_UNITS = {"条", "篇", "期", "场", "人次", "万条"}  # counts of published items, never table cells
_BARE_FILLER = re.compile(r"^[\s共计总是为有的了约吧啊呢嗯哦就一共合计总共件项个起次条宗例家份：:。.!！~]*$")

_T2_COLS_2021 = {
    "issued": "issued",
    "made": "issued",
    "repealed": "repealed",
    "in_force": "in_force",
    "decisions": "decisions",
    "fee_amount": "fee_amount",
}
_T2_COLS_2019 = {
    "made": "made",
    "issued": "made",
    "published": "published",
    "public_total": "public_total",
    "prev_items": "prev_items",
    "change": "change",
    "decisions": "decisions",
    "proc_items": "proc_items",
    "proc_amount": "proc_amount",
}
_GROUP_ROWS = {
    "withheld": (
        "（三）不予公开",
        "国家秘密、法律行政法规禁止、三安全一稳定、第三方合法权益、内部事务、过程性信息、行政执法案卷、行政查询事项",
    ),
    "unavailable": ("（四）无法提供", "本机关不掌握、没有现成信息需另行制作、补正后仍不明确"),
    "not_processed": ("（五）不予处理", "信访举报投诉、重复申请、公开出版物、大量反复申请、确认或重新出具"),
    "other_handling": ("（六）其他处理", "逾期不补正、逾期未缴费、其他"),
}
_ORG_COLS = ("business", "research", "public_interest", "legal_service", "other")


def _split_sentences(text: str) -> list[str]:
    """Sentences: a "；" inside brackets ("无法提供12件（不掌握10件；另行制作2件）") does not end the sentence."""
    out: list[str] = []
    depth = 0
    buf: list[str] = []
    for ch in text:
        if ch in "（(【[":
            depth += 1
        elif ch in "）)】]":
            depth = max(0, depth - 1)
        if ch in "；;" and depth > 0:
            buf.append("，")
            continue
        if ch in "\n" or (_SENTENCE_SPLIT.match(ch) and (depth == 0 or ch not in "；;")):
            out.append("".join(buf))
            buf = []
            depth = 0 if ch == "\n" else depth
            continue
        buf.append(ch)
    out.append("".join(buf))
    return out


def _resolve_format(report: Report, year: int | None, format_id: str | None) -> ReportFormat:
    """The format to read this message with: the report's, else one named or implied in the message."""
    try:
        if report.format_id:
            return report.fmt
        if format_id:
            return get_format(format_id)
        if report.report_year:
            return report.fmt
        if year:
            return format_for_year(year)
    except FormatError:
        pass
    return get_format("2021")


@dataclass
class _Group:
    """A number stated for a row group (不予公开2件) waiting for its specific row in the same sentence."""

    group: str
    col: str | None
    mention: NumberMention
    evidence: str


@dataclass
class _State:
    # message level: what is under discussion
    cur_t3_row: str | None = None
    cur_t4_group: str | None = None
    cur_t2_row: str | None = None
    cur_kind: str | None = None  # "table2" | "table3" | "table4": the context most recently set
    last_table: str | None = None
    rows_discussed: list[str] = field(default_factory=list)  # table 三 rows given values in this message
    last_total: Decimal | None = None  # last received/result total stated (for "全部予以公开")
    # sentence level
    pending_group: _Group | None = None
    t4_total: tuple[str, Decimal] | None = None  # (group, value) stated without a result column
    t4_generic: tuple[str, NumberMention, str] | None = None  # "行政诉讼1件" before saying which kind
    row_total: tuple[str, Decimal] | None = None  # last table 三 row total stated in this sentence
    col_rows: dict[str, set[str]] = field(default_factory=dict)  # table 三 row → columns stated in this sentence
    rows_in_sentence: list[str] = field(default_factory=list)
    prev_markers: list[Token] = field(default_factory=list)  # markers of the previous clause, when it had no number
    tentative: tuple[str, str, NumberMention, str] | None = None  # (row, column, number, words): row from context
    last_failed: bool = False  # the last clause with a number could not be placed
    deferred: tuple[str, NumberMention, str, str | None] | None = None  # (column, number, words, fallback row)
    scope_clause: bool = False  # the previous clause only set a scope ("已办结的申请中")
    in_bracket: bool = False  # the clause is inside brackets (a remark on what precedes it)
    sentence_ctx: bool = False  # a row/group was named or filled earlier in this sentence

    def new_sentence(self) -> None:
        self.pending_group = None
        self.t4_total = None
        self.t4_generic = None
        self.row_total = None
        self.col_rows = {}
        self.rows_in_sentence = []
        self.prev_markers = []
        self.sentence_ctx = False
        self.last_failed = False
        self.deferred = None
        self.scope_clause = False


class _Run:
    """One extraction: holds the message, the context and everything found so far."""

    def __init__(self, message: str, context: ExtractionContext, max_chars: int) -> None:
        self.context = context
        self.report = context.report
        self.pending = list(context.pending)
        self.res = ExtractionResult()
        self.max_chars = max_chars
        self.message = message or ""
        self.updates: dict[str, FactUpdate] = {}
        self.stated: set[str] = set()  # cells the clerk gave a number for in prose (not inferred)
        self.from_table: set[str] = set()  # cells read from a pasted table (blank cells there stay unknown)
        self.state = _State()
        self.correction = False
        self.copy_rows: list[tuple[str, Decimal, str]] = []
        self._last_toks: list[Token] = []
        self.amending = False
        self.markers_seen = False
        self.orphans: list[tuple[NumberMention, str]] = []
        self.bare_neg_clauses: list[str] = []
        self.fmt: ReportFormat = _resolve_format(self.report, None, None)
        self.cells = self.fmt.cells()
        self.amount_unit_known = any("万元" in q.text for q in self.pending)

    # ================================================================ driver
    def run(self) -> ExtractionResult:
        text = self.message
        if len(text) > self.max_chars:
            self.res.notes.append(msg("truncated", length=len(text), limit=self.max_chars))
            text = text[: self.max_chars]
        norm = normalize_text(text)
        self.res.normalized_text = norm
        clean = screen_into(norm, self.res, self.pending)  # injections, bulk instructions, headings: see injection.py
        self._meta(clean)
        self.fmt = _resolve_format(self.report, self.res.meta.report_year, self.res.meta.format_id)
        self.cells = self.fmt.cells()
        self.amount_unit_known = self.amount_unit_known or "万元" in clean
        narrative_q = self._pending_of("narrative")
        if narrative_q and narrative_q.narrative_key and clean.strip():
            self.res.narrative[narrative_q.narrative_key] = clean.strip()
        free = clean
        if "\t" in clean or "|" in clean or "\n" in clean.strip():
            tables = parse_tables(clean, self.fmt)
            for up in tables.updates:
                self.updates[up.cell] = up
                self.from_table.add(up.cell)
            self.res.notes.extend(tables.notes)
            self.res.not_understood.extend(tables.not_understood)
            if tables.tables:
                self.state.last_table = tables.tables[-1]
            if tables.consumed:
                lines = clean.split("\n")
                free = "\n".join("" if i in tables.consumed else ln for i, ln in enumerate(lines))
        self._answer(free)
        for sentence in _split_sentences(free):
            if sentence.strip():
                self._sentence(sentence)
        self._bare()
        self._follow_single_column()
        self._closure()
        for rid, total, ev in self.copy_rows:
            self._copy_received_columns(rid, total, ev)
        self._closure_results()
        self._finish()
        return self.res

    def _pending_of(self, *kinds: str) -> PendingQuestion | None:
        return next((q for q in self.pending if q.kind in kinds), None)

    # ================================================================ meta
    def _meta(self, text: str) -> None:
        meta = MetaUpdate()
        q = self._pending_of("meta")
        asked = q.meta_field if q else None
        head = text[:600]
        found = find_agency(head, anywhere=asked == "agency")
        if found:
            meta.agency, meta.level = found
        elif asked == "agency":
            short = head.strip().strip("。.!！")
            short = re.sub(r"^(?:我们?是|我们单位是|单位是|本单位是|我在)", "", short)
            short = re.sub(r"的$", "", short)
            if 2 <= len(short) <= 30 and not re.search(r"\d|[，,。；;]", short):
                meta.agency = short
        level = find_level(head)
        if level and (asked == "level" or not meta.level):
            meta.level = level
        meta.level = explicit_level(head) or county_level_city(meta.level, head)
        if (
            self.report.report_year is None
            or asked == "report_year"
            or re.search(r"(?:报告年度|年度)(?:应该|应|改|更正)|(?:改成|改为|应该是|更正为|不是)\s*\d{4}\s*年", head)
        ):
            meta.report_year = find_report_year(head, asked=asked == "report_year")
        fmt_id = find_format(head)
        if fmt_id is None and asked == "format":
            if "2019" in head or "试行" in head:
                fmt_id = "2019"
            elif "2021" in head or "新" in head or "现行" in head:
                fmt_id = "2021"
        meta.format_id = fmt_id
        self.res.meta = meta

    # ================================================================ yes / no
    def _answer(self, text: str) -> None:
        t = text.strip()
        if not t or not self.pending:
            return
        no = _NO.match(t)
        if no:
            self.res.answer = "no"
            if no.group().strip() in ("不对", "错了", "有误", "不正确"):
                self.correction = True
            return
        q = self._pending_of("confirm_zero", "confirm_value")
        if _YES.match(t):
            self.res.answer = "yes"
            if q and q.kind == "confirm_zero":
                self._confirm_zero(q, t)
            elif q and q.kind == "confirm_value":
                for key, value in q.proposed.items():
                    if key in self.cells:
                        self._set(value_update(key, value, t[:60], note="确认"))
            return
        if q and q.kind == "confirm_zero" and _NEG_BARE.match(t):
            self.res.answer = "yes"
            self._confirm_zero(q, t)

    def _confirm_zero(self, q: PendingQuestion, evidence: str) -> None:
        for key in q.cells:
            if key in self.cells:
                for part in input_parts(self.fmt, key):
                    if part not in self.updates:
                        self._set(zero_update(part, evidence[:60]))

    # ================================================================ sentences and clauses
    def _sentence(self, sentence: str) -> None:
        st = self.state
        st.new_sentence()
        # "（2023）5号": keep a document number whole (its brackets would split the clause)
        sentence = DOCNO_PATTERN.sub(lambda m: m.group().translate(_DOCNO_BRACKETS), sentence)
        if any(t.kind == "fee" for t in tokenize(sentence)):
            self._fee_sentence(sentence)
            return
        # a number that is no value in the whole sentence ("1)" as a list marker) stays no value in its clause
        not_values = {m.start for m in find_numbers(sentence) if not m.is_cell_value}
        pos = 0
        for clause in _CLAUSE_SPLIT.split(sentence):
            offset = sentence.find(clause, pos) if clause else pos
            pos = offset + len(clause)
            before = sentence[:offset]
            st.in_bracket = sum(before.count(c) for c in "（(") > sum(before.count(c) for c in "）)")
            if not clause.strip():
                continue
            toks = [
                t for t in tokenize(clause)
                if not (t.kind == "num" and t.num and t.num.is_cell_value and offset + t.start in not_values)
            ]
            toks = self._prepare(clause, toks)
            self._last_toks = toks
            if any(t.kind == "corr" for t in toks):
                self.correction = True
            if any(t.kind == "diff" for t in toks):
                self.amending = True  # "漏了一件，是社会公益组织的": the clerk is amending an earlier number
            if any(t.kind in _PRIMARY or t.kind == "table" for t in toks):
                self.markers_seen = True
            for t in toks:
                if t.kind == "table":
                    st.last_table = self._table_of(t.id)
            had_number = self._clause(clause, toks)
            primary = [t for t in toks if t.kind in _PRIMARY]
            if any(t.kind in _ROW_KINDS for t in primary):
                st.sentence_ctx = True
            if primary or had_number:
                st.prev_markers = [] if had_number else [t for t in toks if t.kind != "num"]
                st.scope_clause = not had_number and _SCOPE_END.search(clause.strip()) is not None
        if st.pending_group:
            self._close_group(st.pending_group)
        self._flush_deferred()
        st.tentative = None

    def _close_group(self, g: _Group) -> None:
        """The end of a sentence with a group total (不予公开3件): fine when its rows were given in the sentence
        and add up to it; 其他处理 alone is 3.其他; otherwise ask which rows."""
        st = self.state
        group_rows = self._group_rows(g.group)
        filled = [r for r in st.rows_in_sentence if r in group_rows]
        if filled:
            got = sum((self._row_sum(r) for r in filled), Decimal(0))
            if got == g.mention.value:
                return
            self.res.not_understood.append(msg("total_mismatch", fragment=fragment(g.evidence)))
            return
        if g.group == "other_handling":
            rid = self._t3_row_id("oh_3")
            if rid:
                self._note_row(rid)
                key = f"t3.{rid}.{g.col}" if g.col else f"t3.{rid}.total"
                if self._put_value(f"t3.{rid}.total", g.mention, g.evidence) and g.col:
                    self._column_is_total(rid, g.col, g.mention.value, g.evidence)
                del key
                return
        label, options = _GROUP_ROWS[g.group]
        self.res.not_understood.append(
            msg("group_needs_row", fragment=fragment(g.evidence), group=label, options=options)
        )

    def _row_sum(self, rid: str) -> Decimal:
        """A row's stated total, else the sum of its applicant columns known so far."""
        total = self._effective(f"t3.{rid}.total")
        if total is not None:
            return total
        values = (self._known_value(p) for p in input_parts(self.fmt, f"t3.{rid}.total"))
        return sum((v for v in values if v), Decimal(0))

    def _fee_sentence(self, sentence: str) -> None:
        """信息处理费 is a section 六 fact, never table 二 (行政事业性收费): keep the sentence as narrative."""
        s = sentence.strip()
        q = self._pending_of("narrative")
        if not (q and q.narrative_key == "fee"):
            prev = self.res.narrative.get("fee")
            self.res.narrative["fee"] = f"{prev}。{s}" if prev else s
        if any(m.is_cell_value and m.value != 0 for m in find_numbers(s)) and re.search(r"行政事业性收费|表二", s):
            self.res.notes.append(msg("processing_fee", fragment=fragment(s)))

    def _prepare(self, clause: str, raw: list[Token]) -> list[Token]:
        """Drop filler, split "上年没有结转" into a negation and its row, and read 其他 by context
        ("其他1件" is the applicant column 其他 in a column list, 3.其他 under 其他处理, 其他结果 in table 四)."""
        st = self.state
        toks: list[Token] = []
        for t in raw:
            if t.kind == "neutral":
                continue
            if t.marker is not None and t.marker.neg:
                toks.append(Token("neg", "neg", t.start, t.end, t.text))
            if toks and toks[-1].kind == "t3col" and t.kind == "t3row" and t.id == "withheld_4" and toks[-1].end == t.start:
                toks.pop()  # "企业商业秘密": whose secret, not who applied
            toks.append(t)
        t4_context = st.cur_kind == "table4" or any(t.kind == "t4group" for t in toks)
        out: list[Token] = []
        for i, t in enumerate(toks):
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            followed_by_number = (
                nxt is not None and nxt.kind == "num" and _COPULA_GAP.match(clause[t.end : nxt.start]) is not None
            )
            if t.kind in ("rest", "rest_applicant") and followed_by_number:
                prev_primary = next((p for p in reversed(out) if p.kind in _PRIMARY), None)
                if t.kind == "rest_applicant" or (prev_primary is not None and prev_primary.kind == "t3col"):
                    t = Token("t3col", "other", t.start, t.end, t.text)
                elif t4_context:
                    t = Token("t4col", "other_result", t.start, t.end, t.text)
                elif st.cur_t3_row and st.cur_t3_row.startswith("other_handling"):
                    t = Token("t3row", "oh_3", t.start, t.end, t.text)
            elif t.kind == "t3row" and t.id == "carried_out" and t.text == "结转" and st.cur_t3_row == "received" and (
                not any(p.kind == "t3row" for p in out)
            ):
                t = Token("t3row", "carried_in", t.start, t.end, t.text)  # "收到4件……；结转0": row 二 follows row 一
            elif t.kind == "t4col" and t.id == "other_result" and not t4_context and not followed_by_number:
                t = Token("rest_results", "rest_results", t.start, t.end, t.text)  # 其他结果都没有 (table 三)
            elif t.kind == "num" and _OLD_VALUE_BEFORE.search(clause[max(0, t.start - 6) : t.start]):
                t = Token("old", "old", t.start, t.end, t.text, num=t.num)  # "不是5件是6件" / "刚才说成0了": the wrong one
            elif t.kind == "num" and t.num is not None and t.num.unit is None and _NOT_A_COUNT_AFTER.match(clause[t.end :]):
                continue  # "12345热线", "110报警": a phone or service number
            elif t.kind == "num" and self._entity_count(clause, t, nxt):
                if "各" in clause[t.end :]:  # "两家公司各申请了1件": the count of applications is not said
                    out.append(Token("diff", "diff", t.start, t.end, t.text))
                continue  # "一家律所申请了1件" / "两家公司": how many applicants, not how many applications
            elif t.kind == "num" and (
                _REFERENCE_AFTER.match(clause[t.end : t.end + 2])
                or (
                    _REFERENCE_BEFORE.search(clause[: t.start])
                    and (any(p.kind in ("t3row", "t3group", "rest") for p in out)
                         or _REF_REST.match(clause[t.end :]) is not None)
                )
            ):
                t = Token("ref", "ref", t.start, t.end, t.text, num=t.num)  # "5件里面……": a total said before
            out.append(t)
        return out

    def _reference_row(self, toks: list[Token]) -> None:
        """"其他处理那1件是律所的": a total said before ("那1件") names the row it belongs to, so the applicant
        words after it can fill that row."""
        st = self.state
        refs = [t for t in toks if t.kind == "ref" and t.num is not None]
        if len(refs) != 1:
            return
        ref = refs[0]
        before = [t for t in toks if t.end <= ref.start and t.kind in ("t3row", "t3group", "rest")]
        if not before:
            return
        w = before[-1]
        if w.kind == "t3row":
            rid = self._t3_row_id(w.id)
            candidates = [rid] if rid else []
            if rid and rid != "result_total":
                self._note_row(rid)  # "给材料的3件里，2件是村民的": the row the parts that follow belong to
        elif w.kind == "t3group":
            candidates = self._group_rows(w.id)
        elif st.cur_t3_row or self._pending_rows("table3"):
            candidates = [r.id for r in self.fmt.table3_rows]  # "其他那1件": whichever row has that total open
        else:
            return
        open_rows = [
            r for r in candidates
            if self._stated_total(f"t3.{r}.total") == ref.num.value
            and not all(self.report.cell(p).known for p in input_parts(self.fmt, f"t3.{r}.total"))
        ]
        if len(open_rows) == 1:
            self._note_row(open_rows[0])
            st.row_total = (open_rows[0], ref.num.value)

    def _correct_old_value(self, old: Token, new: Token, ev: str) -> bool:
        """"不是33件是34件" with no row named: the one stated cell holding the old value gets the new one."""
        assert old.num is not None and new.num is not None
        candidates = [
            key
            for key, fact in self.report.cells.items()
            if key in self.cells
            and fact.status == CellStatus.VALUE
            and fact.value == old.num.value
            and fact.provenance is not None
            and fact.provenance.source == "message"
            and key not in self.updates
        ]
        if len(candidates) > 1:  # a breakdown cell and its row total alike: prefer the input cell
            inputs = [k for k in candidates if not self.cells[k].derived]
            candidates = inputs if len(inputs) == 1 else candidates
        if len(candidates) != 1:
            self.res.not_understood.append(msg("ambiguous", fragment=fragment(ev)))
            return True
        key = candidates[0]
        self.correction = True
        if not self._put_value(key, new.num, ev, correction=True):
            return True
        spec = self.cells[key]
        st = self.state
        st.sentence_ctx = True
        if spec.table == "table3":
            self._note_row(spec.row_id)
        elif spec.table == "table4":
            st.cur_t4_group, st.cur_kind = spec.row_id, "table4"
        else:
            st.cur_t2_row, st.cur_kind = spec.row_id, "table2"
        return True

    @staticmethod
    def _entity_count(clause: str, t: Token, nxt: Token | None) -> bool:
        """A number counting applicants ("一家律所", "两家公司", "3位市民"), followed by the applicant word."""
        m = t.num
        if m is None or m.unit not in _ENTITY_UNITS:
            return False
        if nxt is None or nxt.kind != "t3col":
            return False
        gap = clause[t.end : nxt.start]
        return _COPULA_GAP.match(gap) is not None or _DESCRIPTOR_GAP.match(gap) is not None  # "一家环保公益组织"

    def _table_of(self, table_id: str) -> str | None:
        if table_id == "this":
            return self.state.last_table or self._pending_table()
        return table_id

    def _pending_table(self) -> str | None:
        for q in self.pending:
            for key in q.cells:
                if key in self.cells:
                    return self.cells[key].table
        return None

    def _clause(self, clause: str, toks: list[Token]) -> bool:
        """Process one clause; returns whether it held a cell value."""
        kinds = {t.kind for t in toks}
        ev = clause.strip()
        value_nums = [t for t in toks if t.kind == "num" and t.num and t.num.is_cell_value]
        if value_nums:
            self.state.tentative = None
            self._flush_deferred()
        for t in toks:
            if t.kind == "num":
                self._non_value(t, ev)
        zero_said = "neg" in kinds or (value_nums and all(t.num.value == 0 for t in value_nums))  # type: ignore[union-attr]
        primary = [t for t in toks if t.kind in _PRIMARY]
        if zero_said and kinds & {"rest", "rest_applicant", "rest_results"}:
            scope = self._rest_kind(toks)
            if scope:
                self._rest_zero(scope, toks, ev)
                return bool(value_nums)
        if not value_nums:
            self._reference_row(toks)
            self._no_number_clause(clause, toks, ev)
            return False
        old = [t for t in toks if t.kind == "old"]
        if old and len(value_nums) == 1 and not primary and not self.state.sentence_ctx:
            if self._correct_old_value(old[0], value_nums[0], ev):
                return True
        if "diff" in kinds:
            self.res.not_understood.append(msg("difference", fragment=fragment(ev)))
            return True
        if "table" in kinds and not primary and zero_said:
            self._zero_tables(toks, ev)  # "表四全部为0"
            return True
        if "respectively" in kinds and self._respectively(toks, ev):
            return True
        before = len(self.res.not_understood)
        self._pair(clause, toks, ev)
        self.state.last_failed = len(self.res.not_understood) > before
        return True

    def _non_value(self, t: Token, ev: str) -> None:
        m = t.num
        assert m is not None
        if m.is_cell_value:
            return
        if m.approximate and m.kind in ("count", "amount"):
            self.res.not_understood.append(msg("approximate", fragment=fragment(ev)))
        elif m.kind == "other" and not (m.chinese and m.value == 1) and not self._pending_of("narrative"):
            self.res.not_understood.append(msg("no_cell", fragment=fragment(ev)))

    # ---------------------------------------------------------------- pairing numbers with markers
    def _pair(self, clause: str, toks: list[Token], ev: str) -> None:
        window: list[Token] = []
        used: set[int] = set()
        # "10件个人、2件企业" puts the number first; "个人10件、企业2件" the words first
        first = next((t for t in toks if t.kind == "num" or t.kind in _PRIMARY), None)
        number_first = first is not None and first.kind == "num"
        for i, t in enumerate(toks):
            if i in used:
                continue
            if t.kind != "num":
                window.append(t)
                continue
            if not (t.num and t.num.is_cell_value):
                continue
            ctx = [m for m in window if m.kind in _PRIMARY or m.kind in ("up", "down")]
            flags = {m.kind for m in window}
            following = self._following(toks, i)
            if ctx and any(m.kind in ("t3row", "t3group") for m in ctx) and not any(m.kind == "t3col" for m in ctx):
                # "信访类3件是自然人": a column right after the number (only copula words between)
                nxt = next((j for j in following if toks[j].kind in _PRIMARY), None)
                col_has_own_number = (
                    nxt is not None and nxt + 1 < len(toks) and toks[nxt + 1].kind == "num"
                    and _COPULA_GAP.match(clause[toks[nxt].end : toks[nxt + 1].start]) is not None
                )  # "结转的7件是个人5件、企业1件": 个人 goes with the 5
                if (nxt is not None and toks[nxt].kind == "t3col" and not col_has_own_number
                        and _COPULA_GAP.match(clause[t.end : toks[nxt].start])):
                    ctx.append(toks[nxt])
                    used.add(nxt)
            if any(m.kind == "t3group" for m in ctx) and not any(m.kind == "t3row" for m in ctx):
                # "不予公开的1件属于商业秘密": the specific row follows the number
                for j in following:
                    if toks[j].kind == "t3row":
                        ctx.append(toks[j])
                        used.add(j)
                cols_after = [j for j in following if toks[j].kind == "t3col"]
                if any(m.kind == "t3row" for m in ctx) and len(cols_after) == 1 and not any(
                    m.kind == "t3col" for m in ctx
                ):
                    flags.add("col_is_total")  # "其他处理1件（律所申请后逾期不补正）": row and applicant follow
                    ctx.append(toks[cols_after[0]])
                    used.add(cols_after[0])
            if any(m.kind == "t3col" for m in ctx) and not any(m.kind in _ROW_KINDS - {"t3weak"} for m in ctx):
                # "律所申请的那1件属于逾期不补正": the applicant before the number, its row after it
                rows_after = [j for j in following if toks[j].kind == "t3row"]
                if len(rows_after) == 1 and not any(toks[j].kind in ("t3group", "t4group", "t2row") for j in following):
                    ctx.append(toks[rows_after[0]])
                    used.add(rows_after[0])
            if not any(m.kind in _PRIMARY for m in ctx):
                look = [toks[j] for j in following]
                # the words after the number belong to it unless another number follows them ("5件里面予以公开3件")
                next_is_number = i + 1 + len(following) < len(toks)
                if any(m.kind in _PRIMARY for m in look) and (number_first or not next_is_number):
                    ctx += [m for m in look if m.kind in _PRIMARY or m.kind in ("up", "down")]
                    flags |= {m.kind for m in look}
                    used.update(following)
                    kinds_after = [m.kind for m in look if m.kind in _PRIMARY]
                    if number_first and kinds_after.count("t3row") == 1 and kinds_after.count("t3col") == 1 and (
                        "t3group" not in kinds_after
                    ):
                        flags.add("col_is_total")  # "1件是个人重复申请": the whole number, one applicant type
            if number_first:
                flags.add("number_first")
            self._assign(t.num, ctx, flags, ev)
            window = []
        if any(m.kind in _PRIMARY for m in window):
            if any(m.kind == "neg" for m in window):  # "制发两件、没有废止"
                neg_at = next(i for i, m in enumerate(window) if m.kind == "neg")
                self._zero_markers([m for m in window[neg_at:] if m.kind in _PRIMARY] or
                                   [m for m in window if m.kind in _PRIMARY], ev)
            else:
                self._resolve_markers(window, ev)  # "直接起诉1件还在审理中"

    @staticmethod
    def _following(toks: list[Token], i: int) -> list[int]:
        """Indices of the tokens after token i, up to the next number."""
        out: list[int] = []
        for j in range(i + 1, len(toks)):
            if toks[j].kind == "num":
                break
            out.append(j)
        return out

    def _respectively(self, toks: list[Token], ev: str) -> bool:
        """Pair "个人和企业分别为3件、1件": k markers of one kind before 分别, k numbers after."""
        idx = next(i for i, t in enumerate(toks) if t.kind == "respectively")
        before = [t for t in toks[:idx] if t.kind in _PRIMARY]
        after = [t for t in toks[idx + 1 :] if t.kind == "num" and t.num and t.num.is_cell_value]
        if not before or any(t.kind in _PRIMARY for t in toks[idx + 1 :]):
            return False
        kind = before[-1].kind
        same = [t for t in before if t.kind == kind]
        others = [t for t in before if t.kind != kind]
        if len(same) < 2 or len(same) != len(after):
            return False
        for m, n in zip(same, after, strict=True):
            assert n.num is not None
            self._assign(n.num, [*others, m], set(), ev)
        return True

    def _assign(self, m: NumberMention, ctx: list[Token], flags: set[str], ev: str) -> None:
        st = self.state
        has = {t.kind for t in ctx}
        last_year = [t for t in ctx if t.kind == "t2col" and t.id == "prev_items"]
        if last_year and "t2row" not in has and has & {"t3row", "t3weak", "t3col", "t3group", "t4group", "t4col"}:
            self.res.not_understood.append(msg("last_year", fragment=fragment(ev)))
            return  # "去年我们收到了15件申请": last year's number, not this year's
        if "compare" in flags and not self._is_2019_change(ctx, m):
            self.res.not_understood.append(msg("comparison", fragment=fragment(ev)))
            return
        # a row named earlier in the same sentence carries over ("复议刚才说错了，是3件，维持2件，纠正1件")
        named_before = st.sentence_ctx or (not ctx and any(t.kind in {"t3row", "t4group", "t2row"} for t in st.prev_markers))
        if self._pending_of("narrative") and not has & {"t3row", "t3group", "t4group", "t2row"} and not named_before:
            return  # narrative prose ("为群众办实事20件"): only an explicit row word makes a number a cell value
        if m.unit in _SOFT_UNITS:
            if not self._pending_of("narrative"):
                self.res.not_understood.append(msg("no_cell", fragment=fragment(ev)))
            return  # "公开行政许可信息216条": items published, not decisions or applications
        if "t4group" in has:
            self._assign_t4(m, ctx, flags, ev)
        elif "t2row" in has:
            self._assign_t2(m, ctx, flags, ev)
        elif "t3row" in has or "t3group" in has:
            self._assign_t3(m, ctx, flags, ev)
        elif "t4col" in has and (st.cur_t4_group or self._pending_group_t4()):
            self._assign_t4(m, ctx, flags, ev)
        elif ("t2col" in has or has & {"up", "down"}) and (st.cur_t2_row or self._pending_row_t2()):
            self._assign_t2(m, ctx, flags, ev)
        elif "t2col" in has and not has & {"t3col", "t4col"} and self._open_t2_row(ctx):
            st.cur_t2_row = self._open_t2_row(ctx)  # "废止0" after "规范性文件发了2件" in the message before
            self._assign_t2(m, ctx, flags, ev)
        elif "t3col" in has or "t3weak" in has:
            self._assign_t3(m, ctx, flags, ev)
        elif "t2col" in has and {self._t2_col_id(t.id) for t in ctx if t.kind == "t2col"} <= {
            "fee_amount", "proc_items", "proc_amount"
        }:
            self._assign_t2(m, ctx, flags, ev)  # "收费金额合计43.7万元": only one row has that column
        elif "t2col" in has or "t4col" in has:
            self.res.not_understood.append(msg("ambiguous", fragment=fragment(ev)))
        else:
            self._carried(m, flags, ev)

    def _carried(self, m: NumberMention, flags: set[str], ev: str) -> None:
        """A number with no row/column word of its own: the words of the previous clause ("是社会公益组织申请的，
        1件"), else the row named earlier in the same sentence ("收到申请，共12件"). A Chinese 一 with a measure
        word is an article in prose ("作为一项重点工作") and never a value here."""
        st = self.state
        if m.chinese and m.value == 1:
            self.orphans.append((m, ev))
            return
        prev = [t for t in st.prev_markers if t.kind in _PRIMARY]
        if prev and st.scope_clause:
            self.orphans.append((m, ev))  # "已办结的申请中，有3件在5个工作日内答复": a part, not the row's number
            return
        if prev:
            prev_flags = {t.kind for t in st.prev_markers}
            st.prev_markers = []
            self._assign(m, prev, prev_flags | flags, ev)
            return
        key: str | None = None
        if not st.sentence_ctx:
            self.orphans.append((m, ev))
            return
        if st.cur_kind == "table3" and st.cur_t3_row:
            key = f"t3.{st.cur_t3_row}.total"
        elif st.cur_kind == "table4" and st.cur_t4_group:
            key = f"t4.{st.cur_t4_group}.total"
        elif st.cur_kind == "table2" and st.cur_t2_row:
            specs = [c for c in self.fmt.table_cells("table2") if c.row_id == st.cur_t2_row]
            if len(specs) == 1:
                key = specs[0].key
            elif m.value == 0:  # "规章……都是0"
                for s in specs:
                    self._set(zero_update(s.key, ev, correction=self.correction))
                return
        if key is None or key not in self.cells:
            self.orphans.append((m, ev))
            return
        if key in self.updates:
            if self._update_value(self.updates[key]) == m.value:
                return  # "收到申请12件……共12件": the same total restated
            if self.correction and key in self.stated:
                self._put_value(key, m, ev)  # "更正……总共8件"
                return
            self.res.not_understood.append(
                msg("total_mismatch" if "totalw" in flags else "ambiguous", fragment=fragment(ev))
            )
            return
        self._put_value(key, m, ev)
        if key.startswith("t3.") and m.value > 0:
            st.row_total = (key.split(".")[1], m.value)

    # ---------------------------------------------------------------- table 三
    def _t3_row_id(self, rid: str) -> str | None:
        if rid.startswith("oh_"):
            n = rid[3:]
            if f"t3.other_handling_{n}.total" in self.cells:
                return f"other_handling_{n}"
            return "other_handling" if "t3.other_handling.total" in self.cells else None
        return rid if f"t3.{rid}.total" in self.cells else None

    def _context_t3_rows(self) -> list[str]:
        st = self.state
        if st.cur_t3_row:
            return [st.cur_t3_row]
        rows = self._pending_rows("table3")
        return rows if len(rows) == 1 else ["received"]

    def _pending_rows(self, table: str) -> list[str]:
        rows: list[str] = []
        for q in self.pending:
            for key in q.cells:
                spec = self.cells.get(key)
                if spec and spec.table == table and spec.row_id not in rows and spec.row_id != "result_total":
                    rows.append(spec.row_id)
        return rows

    def _open_t2_row(self, ctx: list[Token]) -> str | None:
        """The one table 二 row that has the named column still unknown while others of its cells are known."""
        cols = [c for c in (self._t2_col_id(t.id) for t in ctx if t.kind == "t2col") if c]
        if len(set(cols)) != 1:
            return None
        rows = []
        for spec in self.fmt.table_cells("table2"):
            if spec.col_id != cols[0] or self.report.cell(spec.key).known:
                continue
            row_cells = [c for c in self.fmt.table_cells("table2") if c.row_id == spec.row_id]
            if any(self.report.cell(c.key).known for c in row_cells):
                rows.append(spec.row_id)
        return rows[0] if len(rows) == 1 else None

    def _pending_group_t4(self) -> str | None:
        rows = self._pending_rows("table4")
        return rows[0] if len(rows) == 1 else None

    def _pending_row_t2(self) -> str | None:
        rows = self._pending_rows("table2")
        return rows[0] if len(rows) == 1 else None

    def _note_row(self, rid: str) -> None:
        st = self.state
        st.cur_t3_row, st.cur_kind, st.sentence_ctx = rid, "table3", True
        if rid not in st.rows_discussed:
            st.rows_discussed.append(rid)
        if rid not in st.rows_in_sentence:
            st.rows_in_sentence.append(rid)

    def _assign_t3(self, m: NumberMention, ctx: list[Token], flags: set[str], ev: str) -> None:
        st = self.state
        rows = [t for t in ctx if t.kind == "t3row"]
        groups = [t for t in ctx if t.kind == "t3group"]
        if any(t.id != "result_total" for t in rows) or groups:
            rows = [t for t in rows if t.id != "result_total"]  # "办理结果是：予以公开4件"
        if groups and rows:
            groups = []  # "不予公开的1件属于商业秘密": the specific row wins over its group
        if groups and all(g.id == "other_handling" for g in groups) and m.value != 0 and len(self._group_rows("other_handling")) == 1:
            rows, groups = [Token("t3row", "oh_3", g.start, g.end, g.text) for g in groups[-1:]], []
        cols = list(dict.fromkeys(t.id for t in ctx if t.kind == "t3col"))
        row_ids = list(dict.fromkeys(r for r in (self._t3_row_id(t.id) for t in rows) if r))
        if "col_is_total" in flags and len(row_ids) == 1 and len(cols) == 1 and m.value > 0:
            rid = row_ids[0]
            self._note_row(rid)
            if self._put_value(f"t3.{rid}.total", m, ev):
                self._column_is_total(rid, cols[0], m.value, ev)
            return
        if rows and not row_ids:
            self.res.not_understood.append(msg("not_in_format", fragment=fragment(ev), format_name=self._fmt_name()))
            return
        distribute = bool(flags & {"all", "each"}) or m.value == 0
        if not row_ids and groups:
            if m.value == 0:
                for g in dict.fromkeys(t.id for t in groups):
                    for rid in self._group_rows(g):
                        self._zero_row_cols(rid, cols, ev)
                return
            st.pending_group = _Group(groups[-1].id, cols[-1] if cols else None, m, ev)
            st.cur_kind, st.sentence_ctx = "table3", True
            return
        if not row_ids and "number_first" in flags and len(cols) == 1 and st.cur_t3_row and (
            st.cur_t3_row not in ("received", "carried_in", "carried_out")
        ) and (not st.sentence_ctx or flags & {"rest", "more"}):
            # "还有1件是公司要的材料……" / "剩下2件是个人的，都是重复申请": a new item whose row may follow
            st.deferred = (cols[0], m, ev, st.cur_t3_row if st.sentence_ctx else None)
            return
        if not row_ids:
            row_ids = self._context_t3_rows()
        if (len(row_ids) > 1 or len(cols) > 1) and not distribute:
            self.res.not_understood.append(msg("ambiguous", fragment=fragment(ev)))
            return
        explicit_row = bool(rows)
        for rid in row_ids:
            self._note_row(rid)
            if not cols:
                ok = self._put_value(f"t3.{rid}.total", m, ev, supersede="totalw" in flags and explicit_row)
                g = st.pending_group
                if ok and m.value > 0 and g and g.col and rid in self._group_rows(g.group):
                    self._column_is_total(rid, g.col, m.value, ev)  # "不予公开3件（均为自然人，其中国家秘密1件…）"
                elif ok and m.value > 0:
                    st.row_total = (rid, m.value)
                    if rid in ("received", "result_total"):
                        st.last_total = m.value
                continue
            for col in cols:
                if col == "org":
                    if m.value == 0:
                        for c in _ORG_COLS:
                            self._set(zero_update(f"t3.{rid}.{c}", ev, correction=self.correction))
                    else:
                        self.res.not_understood.append(msg("org_needs_type", fragment=fragment(ev)))
                    continue
                known = self.report.cell(f"t3.{rid}.{col}")
                if (not explicit_row and not (self.correction or self.amending or "totalw" in flags) and known.known
                        and known.numeric != m.value):
                    # the row only comes from context: never silently change what an earlier message said
                    self.res.not_understood.append(msg("ambiguous", fragment=fragment(ev)))
                    continue
                if self._put_value(f"t3.{rid}.{col}", m, ev) and not explicit_row and len(cols) == 1 and rid not in (
                    "received", "carried_in", "carried_out"
                ):
                    st.tentative = (rid, col, m, ev)  # the row may still be named after it ("1件企业的，重复申请")
                st.col_rows.setdefault(rid, set()).add(col)

    def _group_rows(self, group: str) -> list[str]:
        return [r.id for r in self.fmt.table3_rows if r.id.startswith(group)]

    def _zero_row_cols(self, rid: str, cols: list[str], ev: str) -> None:
        if not cols:
            for key in input_parts(self.fmt, f"t3.{rid}.total"):
                self._set(zero_update(key, ev, correction=self.correction))
            return
        for col in cols:
            for c in _ORG_COLS if col == "org" else (col,):
                self._set(zero_update(f"t3.{rid}.{c}", ev, correction=self.correction))

    # ---------------------------------------------------------------- table 四
    @staticmethod
    def _t4_groups(ids: list[str]) -> list[str]:
        out: list[str] = []
        for g in ids:
            if g == "suit":
                out.append("suit_direct")
            elif g == "both":
                out.extend(["review", "suit_direct", "suit_after_review"])
            else:
                out.append(g)
        return list(dict.fromkeys(out))

    def _assign_t4(self, m: NumberMention, ctx: list[Token], flags: set[str], ev: str) -> None:
        st = self.state
        raw = [t.id for t in ctx if t.kind == "t4group"]
        if "both" in raw and any(g != "both" for g in raw):
            raw = [g for g in raw if g != "both"]  # "复议诉讼：行政复议4件": the first words are a heading
        cols = list(dict.fromkeys(t.id for t in ctx if t.kind == "t4col"))
        distribute = bool(flags & {"all", "each"}) or m.value == 0
        if m.value == 0 and not cols and ("suit" in raw or "both" in raw):
            # "行政诉讼0件" covers both kinds of suit
            groups = self._t4_groups([g for g in raw if g != "suit"] + ["suit_direct", "suit_after_review"])
        else:
            groups = self._t4_groups(raw)
        if not groups:
            g = st.cur_t4_group or self._pending_group_t4()
            groups = [g] if g else []
        if not groups or (len(groups) > 1 and not distribute) or (len(cols) > 1 and not distribute):
            self.res.not_understood.append(msg("ambiguous", fragment=fragment(ev)))
            return
        if st.t4_generic and any(g in ("suit_direct", "suit_after_review") for g in raw):
            # "诉讼5件，其中直接起诉3件……": the 5 was both kinds together, which has no cell of its own
            g0 = st.t4_generic[0]
            if f"t4.{g0}.total" in self.updates and self.updates[f"t4.{g0}.total"].evidence == st.t4_generic[2][:300]:
                self.updates.pop(f"t4.{g0}.total")
                self.stated.discard(f"t4.{g0}.total")
            st.t4_generic = None
        for g in groups:
            st.cur_t4_group, st.cur_kind, st.sentence_ctx = g, "table4", True
            if not cols:
                if self._put_value(f"t4.{g}.total", m, ev) and m.value > 0:
                    st.t4_total = (g, m.value)
                    if set(raw) == {"suit"}:
                        st.t4_generic = (g, m, ev)  # "行政诉讼1件" may still say which kind
            for c in cols:
                self._put_value(f"t4.{g}.{c}", m, ev)
                if st.t4_total and st.t4_total[0] == g:
                    st.t4_total = None

    # ---------------------------------------------------------------- table 二
    def _t2_col_id(self, cid: str) -> str | None:
        table = _T2_COLS_2019 if self.fmt.id == "2019" else _T2_COLS_2021
        return table.get(cid)

    def _is_2019_change(self, ctx: list[Token], m: NumberMention) -> bool:
        if self.fmt.id != "2019" or m.unit not in (None, "项", "个", "条"):
            return False
        row = next((t.id for t in reversed(ctx) if t.kind == "t2row"), None) or self.state.cur_t2_row
        return bool(row) and f"t2.{row}.change" in self.cells and any(t.kind in ("up", "down") for t in ctx)

    def _assign_t2(self, m: NumberMention, ctx: list[Token], flags: set[str], ev: str) -> None:
        st = self.state
        if m.unit == "项" and self.fmt.id != "2019" and re.search(r"清单|目录|事项", ev):
            self.res.not_understood.append(msg("no_cell", fragment=fragment(ev)))
            return  # "行政许可事项清单共有135项": the list of matters, not the decisions of the year
        rows = [t.id for t in ctx if t.kind == "t2row"]
        own = {self._t2_col_id(t.id) for t in ctx if t.kind == "t2col"} - {None}
        owners = {c.row_id for c in self.fmt.table_cells("table2") if c.col_id in own}
        if not rows and len(owners) == 1 and own <= {"fee_amount", "proc_items", "proc_amount"}:
            rows = list(owners)  # "收费金额合计43.7万元": only 行政事业性收费 has that column
        row = rows[-1] if rows else st.cur_t2_row or self._pending_row_t2()
        if row is None:
            self.res.not_understood.append(msg("ambiguous", fragment=fragment(ev)))
            return
        if len(set(rows)) > 1 and not (flags & {"all", "each"} or m.value == 0):
            self.res.not_understood.append(msg("ambiguous", fragment=fragment(ev)))
            return
        targets = list(dict.fromkeys(rows)) if len(set(rows)) > 1 else [row]
        st.cur_t2_row, st.cur_kind, st.sentence_ctx = row, "table2", True
        raw_cols = [t.id for t in ctx if t.kind == "t2col"]
        value = m.value
        col: str | None = None
        if raw_cols:
            col = self._t2_col_id(raw_cols[-1])
            if col is None:
                self.res.not_understood.append(
                    msg("not_in_format", fragment=fragment(ev), format_name=self._fmt_name())
                )
                return
        if any(t.kind in ("up", "down") for t in ctx) and self.fmt.id == "2019" and col in (None, "change"):
            if f"t2.{row}.change" in self.cells and m.unit in (None, "项", "个", "条"):
                col = "change"
                if any(t.kind == "down" for t in ctx) and not m.signed and value > 0:
                    value = -value
        for r in targets:
            specs = [c for c in self.fmt.table_cells("table2") if c.row_id == r]
            if not specs:
                self.res.not_understood.append(
                    msg("not_in_format", fragment=fragment(ev), format_name=self._fmt_name())
                )
                return
            c = col
            if c is None:
                if len(specs) == 1:
                    c = specs[0].col_id
                elif m.value == 0 and not raw_cols:  # "规章0件" / "行政处罚、行政强制都是0"
                    for s in specs:
                        self._set(zero_update(s.key, ev, correction=self.correction))
                    continue
                elif self.fmt.id == "2019" and m.unit == "件" and f"t2.{r}.decisions" in self.cells:
                    c = "decisions"
                else:
                    c = self._t2_col_by_unit(specs, m)
                if c is None:
                    options = "、".join(s.col_label for s in specs)
                    self.res.not_understood.append(msg("t2_needs_column", fragment=fragment(ev), options=options))
                    continue
            key = f"t2.{r}.{c}"
            if key not in self.cells:
                self.res.not_understood.append(
                    msg("not_in_format", fragment=fragment(ev), format_name=self._fmt_name())
                )
                continue
            if value != m.value:
                if value < 0 and self.cells[key].kind != "signed":
                    self.res.not_understood.append(msg("negative", fragment=fragment(ev)))
                    continue
                self._set(value_update(key, value, ev, correction=self.correction))
                self.stated.add(key)
            else:
                self._put_value(key, m, ev)

    @staticmethod
    def _t2_col_by_unit(specs: list, m: NumberMention) -> str | None:
        """采购项目5个 / 总额120万元: a row with one count and one amount column is decided by the unit."""
        amounts = [s for s in specs if s.kind == "amount"]
        counts = [s for s in specs if s.kind != "amount"]
        if len(amounts) == 1 and len(counts) == 1:
            if m.unit in ("元", "万元", "亿元"):
                return amounts[0].col_id
            if m.unit in ("个", "项"):
                return counts[0].col_id
        return None

    def _t2_zero_cols(self, row: str) -> list[str]:
        """Cells a "没有X" confirms 0: the whole row; in 2019 only 处理决定数量 when the row has it (the list of
        matters may exist without any decision)."""
        specs = [c for c in self.fmt.table_cells("table2") if c.row_id == row]
        if self.fmt.id == "2019" and any(s.col_id == "decisions" for s in specs):
            return [f"t2.{row}.decisions"]
        return [s.key for s in specs]

    def _fmt_name(self) -> str:
        return {"2019": "2019试行格式", "2021": "2021格式", "2021-23": "2021格式"}.get(self.fmt.id, self.fmt.id)

    # ---------------------------------------------------------------- clauses without numbers
    def _no_number_clause(self, clause: str, toks: list[Token], ev: str) -> None:
        st = self.state
        kinds = {t.kind for t in toks}
        primary = [t for t in toks if t.kind in _PRIMARY]
        tables = [t for t in toks if t.kind == "table"]
        if "neg" not in kinds:
            self._resolve_markers(toks, ev)
            return
        if tables and not primary:
            self._zero_tables(toks, ev)
            return
        targets = primary
        if not targets:
            rest = clause
            for t in toks:
                rest = rest.replace(t.text, "")
            if _ONLY_FILLER.match(rest):
                prev = [t for t in st.prev_markers if t.kind in _PRIMARY]
                if prev:  # "上年结转的，没有"
                    targets = prev
                else:
                    self.bare_neg_clauses.append(ev)
        self._zero_markers(targets, ev)

    def _resolve_markers(self, toks: list[Token], ev: str) -> None:
        """Markers without a number of their own: the specific row of a pending group total ("不予公开2件，属于
        商业秘密"), the single outcome of a table 四 total ("复议1件，结果维持"), the applicants of a row total
        ("属于国家秘密2件，自然人" / "都是个人"), "全部予以公开"."""
        st = self.state
        kinds = {t.kind for t in toks}
        primary = [t for t in toks if t.kind in _PRIMARY]
        all_flag = "all" in kinds or any(t.marker and t.marker.all for t in toks)
        t3cols = list(dict.fromkeys(t.id for t in primary if t.kind == "t3col" and t.id != "org"))
        t3rows = [t for t in primary if t.kind == "t3row"]
        last_sub = (
            st.pending_group is not None and st.row_total is not None and not all_flag
            and st.row_total[0] in self._group_rows(st.pending_group.group)
        )  # "其他处理5件，其中逾期不补正4件、撤回1件（律所）": the applicant of the last row, not of the group
        if st.pending_group and not last_sub:
            g = st.pending_group
            group_rows = self._group_rows(g.group)
            sub = [t for t in t3rows if (self._t3_row_id(t.id) or "") in group_rows]
            if len(t3cols) == 1 and g.col is None and (len(sub) == 1 or self._only_applicants(toks, ev)):
                g.col = t3cols[0]  # "不予公开1件，是企业申请的，属于……" / "（律所申请后逾期不补正）"
                done = [r for r in st.rows_in_sentence if r in group_rows]
                if done and not sub:  # "不予处理4件（信访3件、重复申请1件，均为自然人）"
                    self._all_columns(done, t3cols, ev)
            if len(sub) == 1:
                st.pending_group = None
                rid = self._t3_row_id(sub[0].id)
                assert rid is not None
                evidence = f"{g.evidence}，{ev}"
                self._note_row(rid)
                if self._put_value(f"t3.{rid}.total", g.mention, evidence) and g.col:
                    self._column_is_total(rid, g.col, g.mention.value, evidence)
                elif g.mention.value > 0:
                    st.row_total = (rid, g.mention.value)
                return
            if t3cols:
                return
        if self._place_deferred(t3rows, ev) or self._move_tentative(t3rows, ev):
            return
        self._update_context(primary)
        if self._resolve_suit_kind(primary, ev):
            return
        t4cols = list(dict.fromkeys(t.id for t in primary if t.kind == "t4col"))
        if len(t4cols) == 1 and not st.t4_total and len(primary) == 1 and not st.sentence_ctx:
            st.t4_total = self._open_t4_total()  # "复议1件" … next message: "维持"
        if len(t4cols) == 1 and st.t4_total:
            g4, total = st.t4_total
            key = f"t4.{g4}.{t4cols[0]}"
            if key not in self.updates:
                note = msg(
                    "inferred", phrase=fragment(ev, 20), cell=self.cells[key].display_label, value=format_number(total)
                )
                fix = self.correction or self.report.cell(key).known
                self._set(value_update(key, total, ev, correction=fix, note=note))
                for c in self.fmt.table4_part_columns:  # the whole total has this one outcome
                    self._infer_zero(f"t4.{g4}.{c.id}", ev)
            st.t4_total = None
            return
        if t3cols and not t3rows and not any(t.kind == "t3group" for t in primary):
            if not self._only_applicants(toks, ev) or (st.last_failed and st.in_bracket):
                return  # "（查询企业登记档案）" describes something else; "网上申请的2件（都是个人）" was not placed
            if all_flag:
                rows = list(st.rows_in_sentence) or list(st.rows_discussed) or self._context_t3_rows()
                specific = [r for r in rows if r != "result_total" and not st.col_rows.get(r)]
                rows = specific or rows  # "共办结46件，结转下年度3件（均为自然人）": not the 46
                self._all_columns(rows, t3cols, ev)
            elif st.row_total and len(t3cols) == 1 and not st.col_rows.get(st.row_total[0]):
                rid, total = st.row_total
                self._column_is_total(rid, t3cols[0], total, ev)  # "属于国家秘密2件，自然人"
            return
        if all_flag and t3rows and st.last_total:
            for t in t3rows:
                rid = self._t3_row_id(t.id)
                if rid == "result_total" and self._effective("t3.carried_in.total") != 0:
                    continue  # "全部办结" equals the received total only without carried-in applications
                if rid and rid not in ("received", "carried_in") and f"t3.{rid}.total" not in self.updates:
                    key = f"t3.{rid}.total"
                    note = msg(
                        "inferred",
                        phrase=fragment(ev, 20),
                        cell=self.cells[key].display_label,
                        value=format_number(st.last_total),
                    )
                    self._set(value_update(key, st.last_total, ev, correction=self.correction, note=note))
                    self._note_row(rid)
                    st.row_total = (rid, st.last_total)
                    self.copy_rows.append((rid, st.last_total, ev))  # done after all sentences (上年结转 may follow)

    def _copy_received_columns(self, rid: str, total: Decimal, ev: str) -> None:
        """"都公开了" with nothing carried in: every application had that result, so its applicant columns are
        those of 本年新收."""
        if self._effective("t3.carried_in.total") != 0 or self._effective("t3.received.total") != total:
            return
        if self._known_value(f"t3.{rid}.total") != total:
            return
        for c in self.fmt.applicant_part_columns:
            v = self._known_value(f"t3.received.{c.id}")
            if v is None:
                return
        for c in self.fmt.applicant_part_columns:
            key = f"t3.{rid}.{c.id}"
            v = self._known_value(f"t3.received.{c.id}")
            if key not in self.updates and v is not None:
                note = msg("inferred", phrase=fragment(ev, 20), cell=self.cells[key].display_label, value=format_number(v))
                self._set(value_update(key, v, ev, correction=self.correction, note=note))
        self.state.col_rows.setdefault(rid, set()).update(c.id for c in self.fmt.applicant_part_columns)

    @staticmethod
    def _only_applicants(toks: list[Token], ev: str) -> bool:
        """Does a clause without numbers only say who applied ("都是自然人", "是企业申请的"), rather than use an
        applicant word for something else ("查询企业登记档案")?"""
        rest = ev
        for t in sorted(toks, key=lambda t: len(t.text), reverse=True):
            rest = rest.replace(t.text, "")
        return _APPLICANT_FILLER.match(rest) is not None

    def _flush_deferred(self) -> None:
        """No row followed the deferred number: the row this sentence was about, else ask."""
        st = self.state
        if not st.deferred:
            return
        col, m, ev, fallback = st.deferred
        st.deferred = None
        if fallback is None:
            self.res.not_understood.append(msg("ambiguous", fragment=fragment(ev)))
            return
        self._put_value(f"t3.{fallback}.{col}", m, ev)
        st.col_rows.setdefault(fallback, set()).add(col)

    def _place_deferred(self, t3rows: list[Token], ev: str) -> bool:
        """A deferred number ("还有1件是公司的") takes the one row named later in its sentence."""
        st = self.state
        if not st.deferred:
            return False
        named = [r for r in (self._t3_row_id(t.id) for t in t3rows) if r and r != "result_total"]
        if len(set(named)) != 1:
            return False
        col, m, first_ev, _fallback = st.deferred
        st.deferred = None
        rid = named[0]
        self._note_row(rid)
        evidence = f"{first_ev}，{ev}"
        if self._put_value(f"t3.{rid}.total", m, evidence):
            self._column_is_total(rid, col, m.value, evidence)
        return True

    def _move_tentative(self, t3rows: list[Token], ev: str) -> bool:
        """"还有一件公司的申请，对方一直没有补正": a number given with its applicant but no row takes the row named
        right after it in the same sentence, instead of the row under discussion."""
        st = self.state
        if not st.tentative:
            return False
        rid_now, col, m, first_ev = st.tentative
        st.tentative = None
        named = [r for r in (self._t3_row_id(t.id) for t in t3rows) if r and r != "result_total"]
        if len(set(named)) != 1 or named[0] == rid_now:
            return False
        rid = named[0]
        key_now = f"t3.{rid_now}.{col}"
        if key_now in self.updates and key_now not in self.from_table:
            self.updates.pop(key_now)
            self.stated.discard(key_now)
            if self.report.cell(key_now).known:
                pass
        self._note_row(rid)
        evidence = f"{first_ev}，{ev}"
        if self._put_value(f"t3.{rid}.total", m, evidence):
            self._column_is_total(rid, col, m.value, evidence)
        return True

    def _open_t4_total(self) -> tuple[str, Decimal] | None:
        """The one table 四 group whose total an earlier message stated while all its results are still unknown."""
        found = []
        for g in ("review", "suit_direct", "suit_after_review"):
            total = self.report.cell(f"t4.{g}.total")
            parts = input_parts(self.fmt, f"t4.{g}.total")
            known = [self.report.cell(p).numeric for p in parts]
            if total.status == CellStatus.VALUE and total.value and all(not v for v in known):
                found.append((g, total.value))  # results unknown, or all 0 against a stated total
        return found[0] if len(found) == 1 else None

    def _resolve_suit_kind(self, primary: list[Token], ev: str) -> bool:
        """ "行政诉讼1件，是复议后起诉的": move a total said for 行政诉讼 to the kind named afterwards."""
        st = self.state
        if not st.t4_generic:
            return False
        named = [t.id for t in primary if t.kind == "t4group" and t.id in ("suit_direct", "suit_after_review")]
        if not named:
            return False
        group, mention, evidence = st.t4_generic
        st.t4_generic = None
        if named[-1] != group:
            self.updates.pop(f"t4.{group}.total", None)
            self.stated.discard(f"t4.{group}.total")
            self._put_value(f"t4.{named[-1]}.total", mention, f"{evidence}，{ev}")
            for c in self.fmt.table4_part_columns:  # "诉讼2件，维持1件，驳回1件，都是复议后起诉的"
                key = f"t4.{group}.{c.id}"
                if key in self.stated:
                    up = self.updates.pop(key)
                    self.stated.discard(key)
                    self._set(up.model_copy(update={"cell": f"t4.{named[-1]}.{c.id}"}))
                    self.stated.add(f"t4.{named[-1]}.{c.id}")
        # "行政诉讼1件，是复议后起诉的": the number counted every suit, so the other kind had none
        other = "suit_after_review" if named[-1] == "suit_direct" else "suit_direct"
        for p in input_parts(self.fmt, f"t4.{other}.total"):
            self._infer_zero(p, ev)
        st.cur_t4_group, st.t4_total = named[-1], (named[-1], mention.value)
        return True

    def _column_is_total(self, rid: str, col: str, total: Decimal, ev: str) -> None:
        """All of a row's total came from one applicant type: that column is the total, the others are 0."""
        key = f"t3.{rid}.{col}"
        known = self._known_value(key) if key in self.cells else None
        if known is not None and known != total and (key in self.stated or (known != 0 and not self.correction)):
            return  # that applicant type has another number already: the total is not all theirs
        if key in self.cells and key not in self.updates:
            note = msg(
                "inferred", phrase=fragment(ev, 20), cell=self.cells[key].display_label, value=format_number(total)
            )
            self._set(value_update(key, total, ev, correction=self.correction, note=note))
        for c in self.fmt.applicant_part_columns:
            if c.id != col:
                self._infer_zero(f"t3.{rid}.{c.id}", ev)
        self.state.col_rows.setdefault(rid, set()).add(col)

    def _update_context(self, primary: list[Token]) -> None:
        st = self.state
        for t in primary:
            if t.kind == "t3row":
                rid = self._t3_row_id(t.id)
                if rid:
                    st.cur_t3_row, st.cur_kind = rid, "table3"
            elif t.kind == "t3group":
                st.cur_kind = "table3"
            elif t.kind == "t4group":
                st.cur_t4_group, st.cur_kind = self._t4_groups([t.id])[0], "table4"
            elif t.kind == "t2row":
                st.cur_t2_row, st.cur_kind = t.id, "table2"

    def _zero_tables(self, toks: list[Token], ev: str) -> None:
        """表四全部为0 / 表二都没有: every input cell of the named table."""
        for t in toks:
            if t.kind != "table":
                continue
            table = self._table_of(t.id)
            if not table:
                self.res.not_understood.append(msg("rest_unclear", fragment=fragment(ev)))
                continue
            for spec in self.fmt.table_cells(table):
                if not spec.derived:
                    self._infer_zero(spec.key, ev)

    def _zero_markers(self, targets: list[Token], ev: str) -> None:
        """没有X: confirm 0 for everything X names."""
        st = self.state
        rows = [t for t in targets if t.kind == "t3row"]
        groups = [t for t in targets if t.kind == "t3group"]
        cols = list(dict.fromkeys(t.id for t in targets if t.kind == "t3col"))
        weak = [t for t in targets if t.kind == "t3weak"]
        t4g = [t.id for t in targets if t.kind == "t4group"]
        t4c = list(dict.fromkeys(t.id for t in targets if t.kind == "t4col"))
        t2r = list(dict.fromkeys(t.id for t in targets if t.kind == "t2row"))
        t2c = [t.id for t in targets if t.kind == "t2col"]
        row_ids = [r for r in (self._t3_row_id(t.id) for t in rows) if r]
        for g in groups:
            row_ids.extend(self._group_rows(g.id))
        if not row_ids and (cols or (weak and not (t4g or t2r or t4c or t2c))):
            row_ids = self._context_t3_rows() if cols else ["received"]
        for rid in dict.fromkeys(row_ids):
            self._zero_row_cols(rid, cols, ev)
            st.cur_t3_row, st.cur_kind = rid, "table3"
        if t4g or t4c:
            groups4: list[str] = []
            for g in t4g:
                groups4.extend(["suit_direct", "suit_after_review"] if g == "suit" else self._t4_groups([g]))
            if not groups4 and st.cur_t4_group:
                groups4 = [st.cur_t4_group]
            for g in dict.fromkeys(groups4):
                keys = [f"t4.{g}.{c}" for c in t4c] if t4c else input_parts(self.fmt, f"t4.{g}.total")
                for k in keys:
                    self._set(zero_update(k, ev, correction=self.correction))
                st.cur_t4_group, st.cur_kind = g, "table4"
        for r in t2r:
            keys = [f"t2.{r}.{c}" for c in (self._t2_col_id(c) for c in t2c) if c] if t2c else self._t2_zero_cols(r)
            for k in keys:
                if k in self.cells:
                    self._set(zero_update(k, ev, correction=self.correction))
            st.cur_t2_row, st.cur_kind = r, "table2"
        if not t2r and t2c and st.cur_t2_row:
            for c in t2c:
                cid = self._t2_col_id(c)
                k = f"t2.{st.cur_t2_row}.{cid}"
                if cid and k in self.cells:
                    self._set(zero_update(k, ev, correction=self.correction))

    def _all_columns(self, rows: list[str], cols: list[str], ev: str) -> None:
        """都是自然人: the other applicant columns of the rows under discussion are 0; with a known row total and
        one column, that column equals the total."""
        for rid in rows:
            total_key = f"t3.{rid}.total"
            if total_key not in self.cells:
                continue
            total = self._stated_total(total_key) if len(cols) == 1 else None
            if total is not None and total > 0:
                self._column_is_total(rid, cols[0], total, ev)
                continue
            for c in self.fmt.applicant_part_columns:
                if c.id not in cols:
                    self._infer_zero(f"t3.{rid}.{c.id}", ev)
            self.state.col_rows.setdefault(rid, set()).update(cols)

    # ---------------------------------------------------------------- 其余均为0
    def _rest_kind(self, toks: list[Token]) -> str | None:
        """What "其余/其他 … 0" is about, from the words around it (None: the clause is about something else)."""
        kinds = {t.kind for t in toks}
        primary = [t for t in toks if t.kind in _PRIMARY]
        if "table" in kinds:
            return "table"
        if "rest_applicant" in kinds or ("rest" in kinds and "applicant" in kinds):
            return "applicant"
        if "rest_results" in kinds or ("rest" in kinds and any(t.id == "result_total" for t in primary)):
            return "results"
        if "rest" in kinds and primary and all(t.kind == "t3group" for t in primary):
            return "group"
        if "rest" in kinds and not primary:
            return "generic"
        return None

    def _rest_zero(self, scope: str, toks: list[Token], ev: str) -> None:
        st = self.state
        candidates: list[str] = []
        guard = True  # never zero a cell whose row total still needs a positive value
        if scope == "table":
            for t in toks:
                table = self._table_of(t.id) if t.kind == "table" else None
                if table:
                    candidates.extend(s.key for s in self.fmt.table_cells(table) if not s.derived)
        elif scope == "applicant":
            guard = False  # the clerk named the applicant types explicitly
            rows = list(st.rows_in_sentence) or self._context_t3_rows()
            for rid in rows:
                named = st.col_rows.get(rid, set())
                candidates.extend(f"t3.{rid}.{c.id}" for c in self.fmt.applicant_part_columns if c.id not in named)
        elif scope == "results":
            candidates = self._result_cells()
        elif scope == "group":
            for t in toks:
                if t.kind == "t3group":
                    for rid in self._group_rows(t.id):
                        candidates.extend(input_parts(self.fmt, f"t3.{rid}.total"))
        else:
            candidates = self._generic_rest_cells()
            if candidates is None:
                self.res.not_understood.append(msg("rest_unclear", fragment=fragment(ev)))
                return
        for key in dict.fromkeys(candidates):
            if key in self.updates or self.report.cell(key).known:
                continue
            if guard and self._needs_positive(key):
                continue
            self._set(zero_update(key, ev, correction=self.correction))

    def _result_cells(self) -> list[str]:
        out: list[str] = []
        for row in self.fmt.table3_result_rows:
            out.extend(input_parts(self.fmt, f"t3.{row.id}.total"))
        for rid in self.state.rows_discussed:  # 结转下年度 named in the same breath
            if rid == "carried_out":
                out.extend(input_parts(self.fmt, "t3.carried_out.total"))
        return out

    def _generic_rest_cells(self) -> list[str] | None:
        """其余均为0 with no scope word: what this message was about, else the pending question, else the table
        last pasted. (The message's own context comes first: "……结转下年度4件。其余都是0" is about table 三.)"""
        st = self.state
        if st.cur_kind in ("table4", "table2"):
            return [s.key for s in self.fmt.table_cells(st.cur_kind) if not s.derived]
        if st.cur_kind == "table3" or st.rows_discussed:
            rows = st.rows_in_sentence or st.rows_discussed
            if len(rows) == 1 and st.col_rows.get(rows[0]):
                return [f"t3.{rows[0]}.{c.id}" for c in self.fmt.applicant_part_columns]
            if any(r in {x.id for x in self.fmt.table3_result_rows} or r == "carried_out" for r in rows):
                return self._result_cells() + [k for r in rows for k in input_parts(self.fmt, f"t3.{r}.total")]
            return [k for r in rows for k in input_parts(self.fmt, f"t3.{r}.total")]
        pending = [
            part
            for q in self.pending
            if q.kind in ("cells", "confirm_zero")
            for key in q.cells
            if key in self.cells
            for part in input_parts(self.fmt, key)
        ]
        if pending:
            return pending
        if st.last_table:
            return [s.key for s in self.fmt.table_cells(st.last_table) if not s.derived]
        return None

    def _needs_positive(self, key: str) -> bool:
        """Is ``key`` part of a stated row total its known parts do not reach yet (so it may not be 0)?"""
        spec = self.cells[key]
        if spec.table == "table3":
            total_key = f"t3.{spec.row_id}.total"
        elif spec.table == "table4":
            total_key = f"t4.{spec.row_id}.total"
        else:
            return False
        stated = self._stated_total(total_key)
        if stated is None:
            return False
        known = sum((v for v in (self._known_value(p) for p in input_parts(self.fmt, total_key)) if v), Decimal(0))
        return stated > known

    # ---------------------------------------------------------------- bare answers
    def _bare(self) -> None:
        if not self.pending:
            self._orphans_not_understood()
            return
        cells_q = self._pending_of("cells", "contradiction", "confirm_value")
        bare = all(_BARE_FILLER.match(ev.replace(m.surface, "", 1)) for m, ev in self.orphans)
        if self.orphans and cells_q and not self.markers_seen and bare:
            targets = [k for k in (cells_q.cells or list(cells_q.proposed)) if k in self.cells]
            nums = self.orphans
            if len(targets) == len(nums):
                pairs = list(zip(targets, nums, strict=True))
            elif len(nums) == 1:
                derived = [k for k in targets if self.cells[k].derived]
                pairs = [(derived[0], nums[0])] if len(derived) == 1 else []
            else:
                pairs = []
            if pairs:
                corr = self.correction or cells_q.kind in ("contradiction", "confirm_value")
                for key, (m, ev) in pairs:
                    self._put_value(key, m, ev, correction=corr)
                self.orphans = []
        if self.bare_neg_clauses and not self.markers_seen and self.res.answer is None:
            q = self._pending_of("cells", "confirm_zero")
            if q:
                for key in q.cells:
                    if key in self.cells:
                        for part in input_parts(self.fmt, key):
                            if part not in self.updates:
                                self._set(zero_update(part, self.bare_neg_clauses[0], correction=self.correction))
                if q.kind == "confirm_zero":
                    self.res.answer = "yes"
        self._orphans_not_understood()

    def _orphans_not_understood(self) -> None:
        if self._pending_of("narrative", "meta"):
            self.orphans = []
            return
        for m, ev in self.orphans:
            if not (m.chinese and m.value == 1):
                self.res.not_understood.append(msg("no_cell", fragment=fragment(ev)))
        self.orphans = []

    # ---------------------------------------------------------------- closure
    def _follow_single_column(self) -> None:
        """"结转下年度应为2件" where all 3 were 自然人 before: the one applicant type follows the corrected total."""
        for key in list(self.updates):
            spec = self.cells[key]
            old = self.report.cell(key)
            if spec.table != "table3" or not spec.derived or key not in self.stated or old.status != CellStatus.VALUE:
                continue
            new = self._update_value(self.updates[key])
            parts = input_parts(self.fmt, key)
            if not new or any(p in self.stated for p in parts):
                continue
            values = [self.report.cell(p).numeric for p in parts]
            nonzero = [p for p, v in zip(parts, values, strict=True) if v]
            if len(nonzero) == 1 and self.report.cell(nonzero[0]).numeric == old.value and all(
                v is not None for v in values
            ):
                ev = self.updates[key].evidence
                note = msg("inferred", phrase=fragment(ev, 20), cell=self.cells[nonzero[0]].display_label,
                           value=format_number(new))
                self._set(value_update(nonzero[0], new, ev, correction=True, note=note))

    def _closure(self) -> None:
        """A row total stated with a breakdown that already adds up to it: the other columns are 0
        ("予以公开47件：自然人40件，商业企业4件，社会公益组织1件，法律服务机构2件")."""
        # totals stated now, and totals stated earlier whose parts were given now ("收到6件" … "4件是个人" …)
        earlier = [
            k
            for k, fact in self.report.cells.items()
            if k in self.cells and fact.status == CellStatus.VALUE and k not in self.updates
            and any(p in self.stated for p in self.fmt.parts_of(k))
        ]
        for key in list(self.updates) + earlier:
            spec = self.cells[key]
            if not spec.derived or spec.row_id == "result_total":
                continue
            if key in self.updates and key not in self.stated:
                continue
            total = self._stated_total(key)
            if not total:
                continue
            parts = input_parts(self.fmt, key)
            if not any(p in self.stated for p in parts):
                continue
            evidence = self.updates[key].evidence if key in self.updates else next(
                self.updates[p].evidence for p in parts if p in self.stated
            )
            values = [self._known_value(p) for p in parts]
            if sum((v for v in values if v is not None), Decimal(0)) != total:
                continue
            note = msg("closure", row=spec.row_json_key, total=format_number(total))
            for p, v in zip(parts, values, strict=True):
                if v is None:
                    self._set(zero_update(p, evidence, correction=self.correction, note=note))

    def _closure_results(self) -> None:
        """Table 三's own rule (第一项加第二项之和，等于第三项加第四项之和): when the result rows stated in this
        message already add up to 新收 + 上年结转 − 结转下年度, every result row not mentioned is 0."""
        result_rows = [r.id for r in self.fmt.table3_result_rows]
        if not any(k.startswith("t3.") for k in self.updates):
            return  # (a row of 新收/结转 stated now may complete the balance of result rows stated earlier)
        parts = {r: self._effective(f"t3.{r}.total") for r in ("received", "carried_in", "carried_out")}
        if any(v is None for v in parts.values()):
            return
        target = parts["received"] + parts["carried_in"] - parts["carried_out"]  # type: ignore[operator]
        reached = Decimal(0)
        open_rows: list[str] = []
        for rid in result_rows:
            total = self._effective(f"t3.{rid}.total")
            if total is None:
                open_rows.append(rid)
                total = sum(
                    (v for v in (self._known_value(p) for p in input_parts(self.fmt, f"t3.{rid}.total")) if v),
                    Decimal(0),
                )
            reached += total
        if reached != target or not open_rows:
            return
        note = msg(
            "closure_results",
            received=format_number(parts["received"]),
            carried_in=format_number(parts["carried_in"]),
            carried_out=format_number(parts["carried_out"]),
            total=format_number(target),
        )
        for rid in open_rows:
            for p in input_parts(self.fmt, f"t3.{rid}.total"):
                if p not in self.updates and not self.report.cell(p).known:
                    self._set(zero_update(p, note, correction=self.correction, note=note))

    # ---------------------------------------------------------------- recording
    @staticmethod
    def _update_value(up: FactUpdate) -> Decimal | None:
        if up.status == CellStatus.VALUE:
            return up.value
        if up.status == CellStatus.CONFIRMED_ZERO:
            return Decimal(0)
        return None

    def _stated_total(self, key: str) -> Decimal | None:
        up = self.updates.get(key)
        if up is not None:
            return self._update_value(up)
        cell = self.report.cell(key)
        return cell.value if cell.status == CellStatus.VALUE else None

    def _known_value(self, key: str) -> Decimal | None:
        up = self.updates.get(key)
        if up is not None:
            return self._update_value(up)
        return self.report.cell(key).numeric

    def _effective(self, key: str) -> Decimal | None:
        """A cell's number counting this message's updates: the sum of a derived cell's parts when all are known."""
        if self.cells[key].derived:
            values = [self._known_value(p) for p in input_parts(self.fmt, key)]
            if all(v is not None for v in values):
                return sum(values, Decimal(0))  # type: ignore[arg-type]
            return self._stated_total(key)
        return self._known_value(key)

    def _put_value(
        self, key: str, m: NumberMention, ev: str, *, correction: bool | None = None, supersede: bool = False
    ) -> bool:
        """Propose ``m`` for ``key`` (a 0 total confirms all its parts); False when it does not fit the cell."""
        spec = self.cells.get(key)
        if spec is None:
            self.res.not_understood.append(msg("not_in_format", fragment=fragment(ev), format_name=self._fmt_name()))
            return False
        corr = self.correction if correction is None else correction
        value, note, problem = cell_value_from_mention(spec, m, amount_unit_known=self.amount_unit_known)
        if problem or value is None:
            self.res.not_understood.append(msg(problem or "no_cell", fragment=fragment(ev), unit=m.unit or ""))
            return False
        if key in self.stated and not (corr or supersede) and self._update_value(self.updates[key]) != value:
            if self._sum_is_row_total(key, value, ev):
                return True
            # "收到8件：……网上申请的2件": a second, different number for a cell this message already filled
            self.res.not_understood.append(msg("ambiguous", fragment=fragment(ev)))
            return False
        if note:
            self.res.notes.append(note)
        if value == 0 and spec.derived:
            for part in input_parts(self.fmt, key):
                self._set(zero_update(part, ev, correction=corr))
                self.stated.add(part)
            return True
        self._set(value_update(key, value, ev, correction=corr, note=note))
        self.stated.add(key)
        return True

    def _sum_is_row_total(self, key: str, value: Decimal, ev: str) -> bool:
        """"诉讼3起，其中驳回2起，撤诉1起": two parts of one column that add up to the row total stated in this
        message, with no other column stated — the column is that total (a number the clerk said)."""
        spec = self.cells[key]
        if spec.derived or spec.table not in ("table3", "table4"):
            return False
        total_key = f"{'t3' if spec.table == 'table3' else 't4'}.{spec.row_id}.total"
        if total_key not in self.stated:
            return False
        total = self._update_value(self.updates[total_key])
        first = self._update_value(self.updates[key])
        others = [p for p in input_parts(self.fmt, total_key) if p != key and p in self.stated]
        if total is None or first is None or first + value != total or any(self._known_value(p) for p in others):
            return False
        self._set(value_update(key, total, f"{self.updates[key].evidence}，{ev}", correction=self.correction))
        return True

    def _infer_zero(self, key: str, ev: str) -> None:
        """A zero that follows from the clerk's words; never overrides what the same message stated."""
        if key in self.cells and key not in self.updates:
            self._set(zero_update(key, ev, correction=self.correction))

    def _set(self, up: FactUpdate) -> None:
        if up.cell not in self.cells:
            return
        self.updates.pop(up.cell, None)
        self.updates[up.cell] = up

    def _finish(self) -> None:
        if self.correction:
            self.updates = {k: u.model_copy(update={"is_correction": True}) for k, u in self.updates.items()}
        self.res.updates = list(self.updates.values())
        self.res.not_understood = list(dict.fromkeys(self.res.not_understood))
        self.res.notes = list(dict.fromkeys(self.res.notes))
        self.res.warnings = list(dict.fromkeys(self.res.warnings))


class RuleExtractor:
    """Offline extractor: understands numbers, synonyms, scope words, corrections, pasted tables and bare answers."""

    name = "rules"

    def __init__(self, max_chars: int = MAX_CHARS) -> None:
        self.max_chars = max_chars

    def extract(self, message: str, context: ExtractionContext) -> ExtractionResult:
        try:
            return _Run(message, context, self.max_chars).run()
        except Exception:  # noqa: BLE001 - the dialogue must never see a traceback; nothing is recorded
            log.exception("rule extraction failed")
            return ExtractionResult(warnings=[INTERNAL_ERROR], normalized_text=(message or "")[:2000])


def extract(
    message: str, report: Report | None = None, pending: list[PendingQuestion] | None = None
) -> ExtractionResult:
    """Convenience wrapper: ``extract("收到申请3件", report)``."""
    ctx = ExtractionContext(report=report or Report(), pending=pending or [])
    return RuleExtractor().extract(message, ctx)
