"""Sentences and clauses: split the message, prepare each clause's tokens and route it to the number pairing or
the no-number rules; close a group total at the end of its sentence."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from ..numbers import DOCNO_PATTERN, find_numbers
from .cells import input_parts
from .kinds import PRIMARY, ROW_KINDS
from .messages import fragment, msg
from .prepare import prepare_tokens
from .run_base import RunBase
from .state import GroupTotal
from .vocabulary import Token, tokenize

_SENTENCE_SPLIT = re.compile(r"[。！!？?；;\n]+")
_CLAUSE_SPLIT = re.compile(r"(?:[，（）()【】\[\]]|(?<!\d),|,(?!\d{3}(?!\d)))+")  # keep "1,234"
_DOCNO_BRACKETS = str.maketrans(
    {"(": "〔", "（": "〔", "[": "〔", "［": "〔", "【": "〔", ")": "〕", "）": "〕", "]": "〕", "］": "〕", "】": "〕"}
)
_EXCEPT = re.compile(r"(?<!排)除(?:了|开)?(?!此|这|上述|以上|前述)[^，,。；;]{1,30}?(?:之外|以外|外)")
_SCOPE_END = re.compile(r"(?:中|当中|之中|里|里面|里头|其中)$")
_GROUP_ROWS = {
    "withheld": (
        "（三）不予公开",
        "国家秘密、法律行政法规禁止、三安全一稳定、第三方合法权益、内部事务、过程性信息、行政执法案卷、行政查询事项",
    ),
    "unavailable": ("（四）无法提供", "本机关不掌握、没有现成信息需另行制作、补正后仍不明确"),
    "not_processed": ("（五）不予处理", "信访举报投诉、重复申请、公开出版物、大量反复申请、确认或重新出具"),
    "other_handling": ("（六）其他处理", "逾期不补正、逾期未缴费、其他"),
}


def split_sentences(text: str) -> list[str]:
    """Sentences: a "；" inside brackets ("无法提供12件（不掌握10件；另行制作2件）") does not end the sentence."""
    return [s for s, _, _ in sentences_with_ends(text)]


def sentences_with_ends(text: str) -> list[tuple[str, bool, int]]:
    """(sentence, whether it ends a statement, its start in ``text``): "；" and "，" keep a scope open, "。", "！",
    "？" and a new line close it ("自然人的申请中，予以公开30件；部分公开5件。" keeps 自然人 for both numbers)."""
    out: list[tuple[str, bool, int]] = []
    depth = 0
    buf: list[str] = []
    start = 0
    for i, ch in enumerate(text):
        if ch in "（(【[":
            depth += 1
        elif ch in "）)】]":
            depth = max(0, depth - 1)
        if ch in "；;" and depth > 0:
            buf.append("，")
            continue
        if ch in "\n" or (_SENTENCE_SPLIT.match(ch) and (depth == 0 or ch not in "；;")):
            out.append(("".join(buf), ch not in "；;", start))
            start = i + 1
            buf = []
            depth = 0 if ch == "\n" else depth
            continue
        buf.append(ch)
    out.append(("".join(buf), True, start))
    return out


_APPLICANT_HEADER = re.compile(
    r"^\s*(?:在|对|从)?\s*(?:的)?\s*(?:申请人|提出的?申请|来的申请|申请)?\s*"
    r"(?:(?:中|里|里面|里头|当中|之中|方面|这块|这一块|部分|这边)\s*[:：]?|的?\s*[:：])\s*$"
)  # a scope word or a colon is required: "（自然人）" or "都是自然人" say who applied for what came before


_HEADER_LINK = re.compile(
    r"\s*(?:的申请中|申请中|的申请里|申请里|的申请当中|的申请情况(?:是|为|如下)?|申请的情况(?:是|为|如下)?|的情况(?:是|为|如下)"
    r"|申请情况(?:是|为|如下)?|申请方面|方面|的申请方面|提出的申请中|提出的申请|的申请|申请的)\s*[:：]?\s*"
)


def heading_prefix(clause: str, toks: list[Token]) -> str | None:
    """The applicant column a clause opens with as a heading for the rows that follow: "自然人申请的情况是本年新收…",
    "其他申请的情况是…", "商业企业方面：予以公开4件" (a row word must follow the heading)."""
    first = next((i for i, t in enumerate(toks) if t.kind in PRIMARY or t.kind in ("rest", "num")), None)
    if first is None:
        return None
    t = toks[first]
    if t.kind == "t3col" and t.id != "org":
        col = t.id
    elif t.kind == "rest" and t.text in ("其他", "其它"):
        col = "other"
    else:
        return None
    if clause[: t.start].strip(" ，,：:"):
        return None
    link = _HEADER_LINK.match(clause, t.end)
    if not link:
        return None
    nxt = next((u for u in toks[first + 1 :] if u.start >= link.end() and u.kind != "t3weak"), None)
    return col if nxt is not None and nxt.kind in ("t3row", "t3group") else None


def applicant_header(text: str, toks: list[Token]) -> str | None:
    """The applicant column a clause (or the part before its colon) is only a heading for: "自然人的申请中",
    "商业企业申请的：" → that column; None for anything else."""
    toks = [
        Token("t3col", "other", t.start, t.end, t.text) if t.kind == "rest" and t.text in ("其他", "其它") else t
        for t in toks
    ]  # "其他的申请中，…": the 其他 column
    cols = [t for t in toks if t.kind == "t3col" and t.id != "org"]
    if len(cols) != 1 or any(t.kind in PRIMARY and t.kind not in ("t3col", "t3weak") for t in toks):
        return None
    if any(t.kind == "num" for t in toks):
        return None
    rest = text[: cols[0].start] + text[cols[0].end :]
    for t in toks:
        if t.kind == "t3weak":
            rest = rest.replace(t.text, "", 1)
    return cols[0].id if _APPLICANT_HEADER.match(rest) else None


def _rebased(t: Token, offset: int) -> Token:
    """A token whose numeral's span counts from the start of the message instead of the clause."""
    if t.num is None or not (offset or t.num.readings):
        return t
    # "12万34件" (two readings) is placed like any number; recording it asks instead (RunBase._put_value)
    num = replace(t.num, start=t.num.start + offset, end=t.num.end + offset, approximate=False)
    return replace(t, num=num) if t.num.readings else replace(t, num=replace(num, approximate=t.num.approximate))


class ClauseReader(RunBase):
    """Reads the message sentence by sentence, clause by clause.

    A mixin of ``rules._Run``: it works on the run's state (report, fmt, cells, updates, state, res).
    """

    def _sentence(self, sentence: str, base: int = 0) -> None:
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
                t
                for t in tokenize(clause)
                if not (t.kind == "num" and t.num and t.num.is_cell_value and offset + t.start in not_values)
            ]
            self.clause_span = (base + offset, base + offset + len(clause))
            toks = [_rebased(t, base + offset) for t in toks]  # numerals carry their span in the whole message
            toks = prepare_tokens(clause, toks, self.state)
            self._last_toks = toks
            if toks and toks[0].kind == "sub" and not st.in_bracket:
                only = self._single_applicant_total()
                if only:
                    st.col_scope = only  # "自然人申请12件，其中予以公开10件": the results of those 12
            header = None if st.in_bracket else applicant_header(clause, toks)
            if header:
                st.col_scope = header  # "自然人的申请中，予以公开30件，部分公开5件": the column of what follows
                continue
            head, colon, _tail = clause.partition("：")
            if colon and not st.in_bracket:
                st.col_scope = applicant_header(head + colon, [t for t in toks if t.end <= len(head)]) or st.col_scope
            opening = None if st.in_bracket else heading_prefix(clause, toks)
            if opening:
                st.col_scope = opening
                toks = [t for t in toks if not (t.kind == "rest" and t.text in ("其他", "其它") and t is toks[0])]
            if any(t.kind == "corr" for t in toks):
                self.correction = True
            if any(t.kind == "diff" for t in toks):
                self.amending = True  # "漏了一件，是社会公益组织的": the clerk is amending an earlier number
            if any(t.kind in PRIMARY or t.kind == "table" for t in toks):
                self.markers_seen = True
            for t in toks:
                if t.kind == "table":
                    st.last_table = self._table_of(t.id)
            for ex in _EXCEPT.finditer(clause):
                # "除自然人外，其他申请人都没有": what 除…外 names is outside every "其余/其他…0" of this message
                inside = [t for t in toks if t.kind in PRIMARY and ex.start() <= t.start < ex.end()]
                if inside:
                    self._unread_from(inside)
            before_nu = len(self.res.not_understood)
            had_number = self._clause(clause, toks)
            if len(self.res.not_understood) > before_nu or any(t.kind == "unknown_yet" for t in toks):
                self._unread_from(toks)
            primary = [t for t in toks if t.kind in PRIMARY]
            if any(t.kind in ROW_KINDS for t in primary):
                st.sentence_ctx = True
            if primary or had_number:
                st.prev_markers = [] if had_number else [t for t in toks if t.kind != "num"]
                st.scope_clause = not had_number and _SCOPE_END.search(clause.strip()) is not None
        if st.pending_group:
            self._close_group(st.pending_group)
        self._flush_deferred()
        st.tentative = None

    def _single_applicant_total(self) -> str | None:
        """The applicant column of the one number this sentence gave, when it was one applicant type's intake
        ("自然人申请12件") and no row total was said."""
        st = self.state
        if st.rows_in_sentence != ["received"] or "t3.received.total" in self.stated:
            return None
        cols = st.col_rows.get("received", set())
        return next(iter(cols)) if len(cols) == 1 else None

    def _close_group(self, g: GroupTotal) -> None:
        """The end of a sentence with a group total (不予公开3件): fine when its rows were given in the sentence
        and add up to it; 其他处理 alone is 3.其他; otherwise ask which rows."""
        st = self.state
        group_rows = self._group_rows(g.group)
        filled = [r for r in st.rows_in_sentence if r in group_rows]
        if filled:
            got = sum((self._row_sum(r) for r in filled), Decimal(0))
            if got == g.mention.value:
                self.unread.difference_update(g.cells)
                return
            self.res.not_understood.append(msg("total_mismatch", fragment=fragment(g.evidence)))
            self.unread.update(k for r in group_rows for k in input_parts(self.fmt, f"t3.{r}.total"))
            return
        if g.group == "other_handling":
            rid = self._t3_row_id("oh_3")
            if rid:
                self.unread.difference_update(g.cells)
                self._note_row(rid)
                key = f"t3.{rid}.{g.col}" if g.col else f"t3.{rid}.total"
                if self._put_value(f"t3.{rid}.total", g.mention, g.evidence) and g.col:
                    self._column_is_total(rid, g.col, g.mention.value, g.evidence)
                del key
                return
        self.unread.update(k for r in group_rows for k in input_parts(self.fmt, f"t3.{r}.total"))
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

    def _reference_row(self, toks: list[Token]) -> None:
        """ "其他处理那1件是律所的": a total said before ("那1件") names the row it belongs to, so the applicant
        words after it can fill that row."""
        st = self.state
        refs = [t for t in toks if t.kind == "ref" and t.num is not None]
        if len(refs) != 1:
            return
        ref = refs[0]
        assert ref.num is not None
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
            r
            for r in candidates
            if self._stated_total(f"t3.{r}.total") == ref.num.value
            and not all(self.report.cell(p).known for p in input_parts(self.fmt, f"t3.{r}.total"))
        ]
        if len(open_rows) == 1:
            self._note_row(open_rows[0])
            st.row_total = (open_rows[0], ref.num.value)

    def _table_of(self, table_id: str) -> str | None:
        if table_id == "this":
            return self.state.last_table or self._pending_table()
        return table_id

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
        primary = [t for t in toks if t.kind in PRIMARY]
        if zero_said and kinds & {"rest", "rest_applicant", "rest_results", "rest_all"}:
            scope = self._rest_kind(toks)
            if scope:
                self._rest_zero(scope, toks, ev)
                return bool(value_nums)
        if not value_nums:
            self._reference_row(toks)
            self._no_number_clause(clause, toks, ev)
            return False
        old = [t for t in toks if t.kind == "old"]
        only_col = list(dict.fromkeys(t.id for t in primary if t.kind == "t3col"))
        if (
            old
            and len(value_nums) == 1
            and (not primary or (len(only_col) == 1 and len(primary) == len([t for t in primary if t.kind == "t3col"])))
            and not self.state.sentence_ctx
        ):
            # "不是33件是34件" / "商业企业是9件不是6件": the stated cell (of that column) holding the old value
            if self._correct_old_value(old[0], value_nums[0], ev, column=only_col[0] if only_col else None):
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
