"""Token preparation for one clause: filler dropped, 其他 read by context, phone numbers, applicant counts and
references to earlier totals told apart from values."""

from __future__ import annotations

import re

from .kinds import COPULA_GAP, PRIMARY
from .state import RunState
from .vocabulary import Token

_REFERENCE_BEFORE = re.compile(r"(?:那|这|上述|前面说的|刚才说的|以上)(?:的)?$")  # "第三方权益那3件是……"
_REFERENCE_AFTER = re.compile(r"^(?:里面|里头|里边|里|当中|之中|中)")
_OLD_VALUE_BEFORE = re.compile(
    r"(?:(?<!是)不是|并非|而非|说成|写成|填成|记成|报成|算成|打成|误写为|误报为|误填为|误作|原来是|原先是|之前是|之前填的|原来填的|原填)"
    r"[了的为是成]?$"
)
_REF_REST = re.compile(r"^(?:的)?(?:申请|政府信息公开申请)?(?:里|中|当中)?\s*$")  # "对这20件申请"
_NOT_A_COUNT_AFTER = re.compile(
    r"^\s*(?:热线|电话|专线|号码|报警|服务热线|服务平台|平台|便民|政务服务热线|邮箱|信箱|网站)"
)
_DESCRIPTOR_GAP = re.compile(r"^[\u4e00-\u9fff]{1,4}$")
_ENTITY_UNITS = {"家", "所", "位", "名"}


def entity_count(clause: str, t: Token, nxt: Token | None) -> bool:
    """A number counting applicants ("一家律所", "两家公司", "3位市民"), followed by the applicant word."""
    m = t.num
    if m is None or m.unit not in _ENTITY_UNITS:
        return False
    if nxt is None or nxt.kind != "t3col":
        return False
    gap = clause[t.end : nxt.start]
    return COPULA_GAP.match(gap) is not None or _DESCRIPTOR_GAP.match(gap) is not None  # "一家环保公益组织"


_OTHER_WORDS = {"其他", "其它"}


def _in_other_handling(st: RunState, out: list[Token]) -> bool:
    """Is the clause about （六）其他处理 (its rows named before, or the row under discussion)?"""
    if any(p.kind == "t3group" and p.id == "other_handling" for p in out):
        return True
    if st.pending_group is not None and st.pending_group.group == "other_handling":
        return True
    return bool(st.cur_t3_row and st.cur_t3_row.startswith("other_handling"))


def prepare_tokens(clause: str, raw: list[Token], st: RunState) -> list[Token]:
    """Drop filler, split "上年没有结转" into a negation and its row, and read 其他 by context
    ("其他1件" is the applicant column 其他 in a column list, 3.其他 under 其他处理, 其他结果 in table 四)."""
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
        nxt_value = next((u for u in toks[i + 1 :] if u.kind != "corr"), None)  # "其他应为20件": past the 应为
        followed_by_number = (
            nxt_value is not None
            and nxt_value.kind == "num"
            and COPULA_GAP.match(clause[t.end : nxt_value.start]) is not None
        )
        followed_by_column = (
            nxt is not None and nxt.kind == "t3col" and COPULA_GAP.match(clause[t.end : nxt.start]) is not None
        )
        if (
            t.kind == "rest"
            and t.text in _OTHER_WORDS
            and clause[t.end : t.end + 2] == "情形"
            and _in_other_handling(st, out)
        ):
            t = Token("t3row", "oh_3", t.start, t.end + 2, clause[t.start : t.end + 2])  # "其他处理中的其他情形1件"
        elif t.kind == "rest" and t.text in _OTHER_WORDS and followed_by_column and _in_other_handling(st, out):
            t = Token("t3row", "oh_3", t.start, t.end, t.text)  # "其他处理：……其他自然人1件": row 3.其他
        elif t.kind == "rest_applicant" and followed_by_number:
            t = Token("t3col", "other", t.start, t.end, t.text)
        elif t.kind == "rest" and t.text in _OTHER_WORDS and followed_by_number:
            # 其他 before a number names a column or a row by context: an applicant list ("自然人548件，……其他3件"),
            # table 四 results, or 3.其他 under 其他处理; 其余/剩下的 never name a cell (a scope: "其余为0")
            prev_primary = next((p for p in reversed(out) if p.kind in PRIMARY), None)
            right_after_row = (
                prev_primary is not None
                and prev_primary.kind == "t3row"
                and re.fullmatch(r"[\s的]*", clause[prev_primary.end : t.start]) is not None
            )  # "本机关不掌握相关政府信息其他应为20件": the row's 其他 column
            if (
                (prev_primary is not None and prev_primary.kind == "t3col")
                or (prev_primary is None and st.list_kind == "t3col")
                or right_after_row
            ):
                t = Token("t3col", "other", t.start, t.end, t.text)
            elif t4_context:
                t = Token("t4col", "other_result", t.start, t.end, t.text)
            elif _in_other_handling(st, out):
                t = Token("t3row", "oh_3", t.start, t.end, t.text)
        elif (
            t.kind == "t3row"
            and t.id == "carried_out"
            and t.text == "结转"
            and st.cur_t3_row == "received"
            and (not any(p.kind == "t3row" for p in out))
        ):
            t = Token("t3row", "carried_in", t.start, t.end, t.text)  # "收到4件……；结转0": row 二 follows row 一
        elif t.kind == "t4col" and t.id == "other_result" and not t4_context and not followed_by_number:
            t = Token("rest_results", "rest_results", t.start, t.end, t.text)  # 其他结果都没有 (table 三)
        elif t.kind == "num" and _OLD_VALUE_BEFORE.search(clause[max(0, t.start - 6) : t.start]):
            t = Token("old", "old", t.start, t.end, t.text, num=t.num)  # "不是5件是6件" / "刚才说成0了": the wrong one
        elif t.kind == "num" and t.num is not None and t.num.unit is None and _NOT_A_COUNT_AFTER.match(clause[t.end :]):
            continue  # "12345热线", "110报警": a phone or service number
        elif t.kind == "num" and entity_count(clause, t, nxt):
            if "各" in clause[t.end :]:  # "两家公司各申请了1件": the count of applications is not said
                out.append(Token("diff", "diff", t.start, t.end, t.text))
            continue  # "一家律所申请了1件" / "两家公司": how many applicants, not how many applications
        elif t.kind == "num" and (
            _REFERENCE_AFTER.match(clause[t.end : t.end + 2])
            or (
                _REFERENCE_BEFORE.search(clause[: t.start])
                and (
                    any(p.kind in ("t3row", "t3group", "rest") for p in out)
                    or _REF_REST.match(clause[t.end :]) is not None
                )
            )
        ):
            t = Token("ref", "ref", t.start, t.end, t.text, num=t.num)  # "5件里面……": a total said before
        out.append(t)
    return out
