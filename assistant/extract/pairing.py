"""Pairing numbers with the row/column words around them, and routing each number to its table."""

from __future__ import annotations

from dataclasses import replace

from ..numbers import NumberMention
from .cells import zero_update
from .kinds import COPULA_GAP, PRIMARY, ROW_KINDS
from .messages import fragment, msg
from .recording import update_value
from .run_base import RunBase
from .vocabulary import Token

_SOFT_UNITS = {"条", "篇", "期", "场", "人次", "万条"}  # counts of published items, never table cells


def following_indices(toks: list[Token], i: int) -> list[int]:
    """Indices of the tokens after token i, up to the next number."""
    out: list[int] = []
    for j in range(i + 1, len(toks)):
        if toks[j].kind == "num":
            break
        out.append(j)
    return out


def _counts_something_else(toks: list[Token], window: list[Token], i: int) -> bool:
    """Is number i next to a word for other things (解读, 发布会), after its last row/column word or right after
    it?"""
    after_primary = False
    for t in window:
        if t.kind in PRIMARY:
            after_primary = False
        elif t.kind == "foreign":
            after_primary = True
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    return after_primary or (nxt is not None and nxt.kind == "foreign" and nxt.start - toks[i].end <= 1)


class NumberPairing(RunBase):
    """Attaches each number of a clause to its row/column words.

    A mixin of ``rules._Run``: it works on the run's state (report, fmt, cells, updates, state, res).
    """

    def _pair(self, clause: str, toks: list[Token], ev: str) -> None:
        window: list[Token] = []
        used: set[int] = set()
        # "10件个人、2件企业" puts the number first; "个人10件、企业2件" the words first
        first = next((t for t in toks if t.kind == "num" or t.kind in PRIMARY), None)
        number_first = first is not None and first.kind == "num"
        for i, t in enumerate(toks):
            if i in used:
                continue
            if t.kind != "num":
                window.append(t)
                continue
            if t.num and t.num.readings and t.num.approximate:
                # "12万34件": placed like any number, then asked about with both readings (recorded never)
                t = replace(t, num=replace(t.num, approximate=False))
            if not (t.num and t.num.is_cell_value):
                continue
            if _counts_something_else(toks, window, i):
                self.res.not_understood.append(msg("no_cell", fragment=fragment(ev)))
                window = []
                continue  # "制作政策解读21个": a count of something else, never a cell
            ctx = [m for m in window if m.kind in PRIMARY or m.kind in ("up", "down")]
            flags = {m.kind for m in window}
            following = following_indices(toks, i)
            if ctx and any(m.kind in ("t3row", "t3group") for m in ctx) and not any(m.kind == "t3col" for m in ctx):
                # "信访类3件是自然人": a column right after the number (only copula words between)
                nxt = next((j for j in following if toks[j].kind in PRIMARY), None)
                col_has_own_number = (
                    nxt is not None
                    and nxt + 1 < len(toks)
                    and toks[nxt + 1].kind == "num"
                    and COPULA_GAP.match(clause[toks[nxt].end : toks[nxt + 1].start]) is not None
                )  # "结转的7件是个人5件、企业1件": 个人 goes with the 5
                if (
                    nxt is not None
                    and toks[nxt].kind == "t3col"
                    and not col_has_own_number
                    and COPULA_GAP.match(clause[t.end : toks[nxt].start])
                ):
                    ctx.append(toks[nxt])
                    used.add(nxt)
            row_has_own_number = i + 1 + len(following) < len(toks)  # "不予公开7件：危及……1件": a sub-row's own
            if (
                any(m.kind == "t3group" for m in ctx)
                and not any(m.kind == "t3row" for m in ctx)
                and not row_has_own_number
            ):
                # "不予公开的1件属于商业秘密": the specific row follows the number
                for j in following:
                    if toks[j].kind == "t3row":
                        ctx.append(toks[j])
                        used.add(j)
                cols_after = [j for j in following if toks[j].kind == "t3col"]
                if (
                    any(m.kind == "t3row" for m in ctx)
                    and len(cols_after) == 1
                    and not any(m.kind == "t3col" for m in ctx)
                ):
                    flags.add("col_is_total")  # "其他处理1件（律所申请后逾期不补正）": row and applicant follow
                    ctx.append(toks[cols_after[0]])
                    used.add(cols_after[0])
            if any(m.kind == "t3col" for m in ctx) and not any(m.kind in ROW_KINDS - {"t3weak"} for m in ctx):
                # "律所申请的那1件属于逾期不补正": the applicant before the number, its row after it
                rows_after = [j for j in following if toks[j].kind == "t3row"]
                if len(rows_after) == 1 and not any(toks[j].kind in ("t3group", "t4group", "t2row") for j in following):
                    ctx.append(toks[rows_after[0]])
                    used.add(rows_after[0])
            if not any(m.kind in PRIMARY for m in ctx):
                look = [toks[j] for j in following]
                # the words after the number belong to it unless another number follows them ("5件里面予以公开3件")
                next_is_number = i + 1 + len(following) < len(toks)
                if any(m.kind in PRIMARY for m in look) and (number_first or not next_is_number):
                    ctx += [m for m in look if m.kind in PRIMARY or m.kind in ("up", "down")]
                    flags |= {m.kind for m in look}
                    used.update(following)
                    kinds_after = [m.kind for m in look if m.kind in PRIMARY]
                    if (
                        number_first
                        and kinds_after.count("t3row") == 1
                        and kinds_after.count("t3col") == 1
                        and ("t3group" not in kinds_after)
                    ):
                        flags.add("col_is_total")  # "1件是个人重复申请": the whole number, one applicant type
            if number_first:
                flags.add("number_first")
            self._assign(t.num, ctx, flags, ev)
            window = []
        if any(m.kind in PRIMARY for m in window):
            if any(m.kind == "neg" for m in window):  # "制发两件、没有废止"
                neg_at = next(i for i, m in enumerate(window) if m.kind == "neg")
                self._zero_markers(
                    [m for m in window[neg_at:] if m.kind in PRIMARY] or [m for m in window if m.kind in PRIMARY], ev
                )
            else:
                self._resolve_markers(window, ev)  # "直接起诉1件还在审理中"

    def _respectively(self, toks: list[Token], ev: str) -> bool:
        """分别/依次 lists: "个人和企业分别为3件、1件", "规章、规范性文件本年制发分别为1件、5件". The k words of one
        kind before 分别 pair with the k numbers after it, in order; the other words apply to all of them. When no
        kind, or more than one, has as many words as there are numbers, nothing is recorded (asked instead)."""
        idx = next(i for i, t in enumerate(toks) if t.kind == "respectively")
        if any(t.kind == "t3col" for t in toks[:idx]):  # "自然人、其他依次为39件、1件": 其他 is a column here
            toks = [
                Token("t3col", "other", t.start, t.end, t.text)
                if t.kind == "rest" and t.text in ("其他", "其它")
                else t
                for t in toks
            ]
        before = [t for t in toks[:idx] if t.kind in PRIMARY and t.kind != "t3weak"]
        after = [t for t in toks[idx + 1 :] if t.kind == "num" and t.num and t.num.is_cell_value]
        if not before or not after or any(t.kind in PRIMARY for t in toks[idx + 1 :]):
            return False
        by_kind: dict[str, list[Token]] = {}
        for t in before:
            same = by_kind.setdefault(t.kind, [])
            if all(o.id != t.id for o in same):
                same.append(t)
        fitting = [k for k, ts in by_kind.items() if len(ts) == len(after) and len(ts) >= 2]
        if len(fitting) != 1:
            if len(after) >= 2:
                self.res.not_understood.append(msg("ambiguous", fragment=fragment(ev)))
                self._unread_from(toks)
                return True
            return False
        listed = by_kind[fitting[0]]
        others = [t for t in toks[:idx] if t.kind in PRIMARY and t.kind != fitting[0]]
        for m, n in zip(listed, after, strict=True):
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
        named_before = st.sentence_ctx or (
            not ctx and any(t.kind in {"t3row", "t4group", "t2row"} for t in st.prev_markers)
        )
        if self._pending_of("narrative") and not has & {"t3row", "t3group", "t4group", "t2row"} and not named_before:
            return  # narrative prose ("为群众办实事20件"): only an explicit row word makes a number a cell value
        if m.unit in _SOFT_UNITS:
            if not self._pending_of("narrative"):
                self.res.not_understood.append(msg("no_cell", fragment=fragment(ev)))
            return  # "公开行政许可信息216条": items published, not decisions or applications
        st.list_kind = "t3col" if "t3col" in has else next((t.kind for t in ctx if t.kind in PRIMARY), None)
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
            "fee_amount",
            "proc_items",
            "proc_amount",
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
        prev = [t for t in st.prev_markers if t.kind in PRIMARY]
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
            if update_value(self.updates[key]) == m.value:
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
