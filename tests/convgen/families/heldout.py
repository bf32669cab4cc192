"""The held-out family: nobody who fixes extraction or dialogue may open this file or tune to it.

A terse, colloquial register with its own vocabulary (个人/公司/律所, 起, 个), totals with their parts, and
closing words; the truth is told completely (every non-zero cell stated, the rest closed by explicit words).
"""

from __future__ import annotations

import random
from decimal import Decimal

from ..numerals import write
from ..truth import Truth

WHO = {"natural_person": ["个人", "自然人", "群众个人"], "business": ["公司", "企业"], "research": ["科研院所", "科研单位"],
       "public_interest": ["公益组织"], "legal_service": ["律师事务所", "法律服务机构"], "other": ["其它"]}
ROW = {
    "received": ["新收", "今年收到申请"], "carried_in": ["去年转过来的", "上年结转过来的"],
    "carried_out": ["转到下一年继续办的", "没办完要结转的"],
    "disclosed": ["公开了", "同意公开的"], "partly_disclosed": ["部分公开的"],
    "withheld_1": ["涉及国家秘密不公开的"], "withheld_2": ["法律法规禁止公开的"], "withheld_3": ["危及三安全一稳定不公开的"],
    "withheld_4": ["涉及第三方合法权益不公开的"], "withheld_5": ["三类内部事务信息"], "withheld_6": ["四类过程性信息"],
    "withheld_7": ["行政执法案卷"], "withheld_8": ["行政查询事项"],
    "unavailable_1": ["本机关不掌握的", "我们不掌握的"], "unavailable_2": ["要另行制作、没有现成信息的"],
    "unavailable_3": ["补正后还是不明确的"],
    "not_processed_1": ["信访举报投诉类的"], "not_processed_2": ["重复申请的"], "not_processed_3": ["要公开出版物的"],
    "not_processed_4": ["无正当理由大量反复申请的"], "not_processed_5": ["要求确认或重新出具已获取信息的"],
    "other_handling_1": ["逾期不补正的"], "other_handling_2": ["逾期不交费的"], "other_handling_3": ["其他处理里的其他情形"],
    "other_handling": ["其他处理的"],
}
COUNTERS = ["个", "件", "宗"]


def _n(v: Decimal, rng: random.Random) -> str:
    if v != v.to_integral_value():
        return format(v.normalize(), "f")
    return write(int(v), rng.choice(["arabic", "arabic", "chinese", "wan", "liang"]), rng)


def _who_list(nz: dict[str, Decimal], rng: random.Random, counter: str) -> str:
    return "，".join(f"{rng.choice(WHO[c])}{_n(v, rng)}{counter}" for c, v in nz.items())


def conversation(truth: Truth, rng: random.Random) -> list[str]:
    counter = rng.choice(COUNTERS)
    msgs = [rng.choice([f"我们单位是{truth.agency}，弄一下{truth.year}年的政务公开年报",
                        f"{truth.year}年度年报，{truth.agency}"])]
    rows = ["received", "carried_in", *[r.id for r in truth.fmt.table3_result_rows], "carried_out"]
    sentences = []
    for r in rows:
        nz = truth.nonzero("table3", r)
        name = rng.choice(ROW[r])
        if not nz:
            if r in ("received", "carried_in"):
                sentences.append(f"{name}的一个也没有" if r == "carried_in" else "今年一件申请都没收到")
            continue
        total = sum(nz.values(), Decimal(0))
        if list(nz) == ["natural_person"]:
            sentences.append(rng.choice([f"{name}{_n(total, rng)}{counter}，全是个人的",
                                         f"{name}{_n(total, rng)}{counter}（都是自然人）"]))
        elif rng.random() < 0.5:
            sentences.append(f"{name}{_n(total, rng)}{counter}，其中{_who_list(nz, rng, counter)}")
        else:
            sentences.append(f"{name}：{_who_list(nz, rng, counter)}，合计{_n(total, rng)}{counter}")
    msgs.append("申请这块：" + "；".join(sentences) + "。")
    msgs.append(rng.choice(["这部分没说到的格子都填0。", "申请表里别的都是零。"]))
    # table 二
    t2 = []
    if truth.format_id == "2021":
        for row, word in (("rules", "规章"), ("normative", "规范性文件")):
            issued, repealed, in_force = (truth.get("table2", row, c) for c in ("issued", "repealed", "in_force"))
            if issued or repealed or in_force:
                t2.append(f"今年制发{word}{_n(issued, rng)}件，废止{_n(repealed, rng)}件，目前有效的{word}{_n(in_force, rng)}件")
        for row, word in (("licensing", "行政许可"), ("penalty", "行政处罚"), ("enforcement", "行政强制")):
            v = truth.get("table2", row, "decisions")
            if v:
                t2.append(f"{word}全年作出决定{_n(v, rng)}件")
        fee = truth.get("table2", "admin_fee", "fee_amount")
        t2.append(f"行政事业性收费{format(fee.normalize(), 'f')}万元" if fee else "没有行政事业性收费")
    else:
        for row, word in (("rules", "规章"), ("normative", "规范性文件")):
            made, pub, total = (truth.get("table2", row, c) for c in ("made", "published", "public_total"))
            if made or pub or total:
                t2.append(f"{word}本年新制作{_n(made, rng)}件、新公开{_n(pub, rng)}件，对外公开总数{_n(total, rng)}件")
        for row, word in (("licensing", "行政许可"), ("other_services", "其他对外管理服务事项"), ("penalty", "行政处罚"),
                          ("enforcement", "行政强制")):
            prev, change, dec = (truth.get("table2", row, c) for c in ("prev_items", "change", "decisions"))
            if prev or change or dec:
                t2.append(f"{word}上一年项目数{_n(prev, rng)}项，本年增减{int(change)}，处理决定{_n(dec, rng)}件")
    msgs.append("主动公开：" + "；".join(t2) + "。表二其余都为0。")
    # table 四
    t4 = []
    for group, word in (("review", "复议"), ("suit_direct", "直接起诉的行政诉讼"), ("suit_after_review", "复议后又起诉的")):
        nz = truth.nonzero("table4", group)
        if not nz:
            continue
        names = {"upheld": "维持", "corrected": "纠正", "other_result": "其他结果", "pending": "还没审结"}
        total = sum(nz.values(), Decimal(0))
        t4.append(f"{word}共{_n(total, rng)}起：" + "，".join(f"{names[c]}{_n(v, rng)}起" for c, v in nz.items()))
    msgs.append(("；".join(t4) + "。复议诉讼别的都为零。") if t4 else "复议、诉讼今年都没发生。")
    return msgs
