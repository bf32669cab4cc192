"""The official formats, labels exactly as printed (format_spec.md §3–§6).

- "2019": 《中华人民共和国政府信息公开工作年度报告格式（试行）》, 国办公开办函〔2019〕60号, report years 2019–2020.
- "2021": 《中华人民共和国政府信息公开工作年度报告格式》, 国办公开办函〔2021〕30号, report years 2021+.
- "2021-23": the real-world variant of the 2021 format whose table 三 prints （六）其他处理 undivided (23 data rows).
"""

from __future__ import annotations

from .model import Block, Column, ReportFormat, Row, Section, Table4Group, ValueKind

SECTIONS = (
    Section(
        "s1",
        "一、总体情况",
        "narrative",
        subparts=(
            "（一）主动公开",
            "（二）依申请公开",
            "（三）政府信息管理",
            "（四）政府信息公开平台建设",
            "（五）监督保障",
        ),
    ),
    Section("s2", "二、主动公开政府信息情况", "table2"),
    Section("s3", "三、收到和处理政府信息公开申请情况", "table3"),
    Section("s4", "四、政府信息公开行政复议、行政诉讼情况", "table4"),
    Section("s5", "五、存在的主要问题及改进情况", "narrative"),
    Section("s6", "六、其他需要报告的事项", "narrative"),
)

NARRATIVE_SECTION_IDS = ("s1", "s5", "s6")

# ---- table 二 ------------------------------------------------------------------------------------
_C20_1 = "第二十条第（一）项"
_C20_5 = "第二十条第（五）项"
_C20_6 = "第二十条第（六）项"
_C20_8 = "第二十条第（八）项"
_C20_9 = "第二十条第（九）项"

_DECISIONS_2021 = Column("decisions", "本年处理决定数量", unit="件")

TABLE2_2021 = (
    Block(
        "a20_1",
        _C20_1,
        (
            Column("issued", "本年制发件数"),
            Column("repealed", "本年废止件数"),
            Column("in_force", "现行有效件数"),
        ),
        (Row("rules", "规章"), Row("normative", "行政规范性文件")),
    ),
    Block("a20_5", _C20_5, (_DECISIONS_2021,), (Row("licensing", "行政许可"),)),
    Block("a20_6", _C20_6, (_DECISIONS_2021,), (Row("penalty", "行政处罚"), Row("enforcement", "行政强制"))),
    Block(
        "a20_8",
        _C20_8,
        (Column("fee_amount", "本年收费金额（单位：万元）", ValueKind.AMOUNT, unit="万元"),),
        (Row("admin_fee", "行政事业性收费"),),
    ),
)

_PREV = Column("prev_items", "上一年项目数量", unit="项")
_CHANGE = Column("change", "本年增/减", ValueKind.SIGNED, unit="项")
_DECISIONS_2019 = Column("decisions", "处理决定数量", unit="件")

TABLE2_2019 = (
    Block(
        "a20_1",
        _C20_1,
        (
            Column("made", "本年新制作数量"),
            Column("published", "本年新公开数量"),
            Column("public_total", "对外公开总数量"),
        ),
        (Row("rules", "规章"), Row("normative", "规范性文件")),
    ),
    Block(
        "a20_5",
        _C20_5,
        (_PREV, _CHANGE, _DECISIONS_2019),
        (Row("licensing", "行政许可"), Row("other_services", "其他对外管理服务事项")),
    ),
    Block("a20_6", _C20_6, (_PREV, _CHANGE, _DECISIONS_2019), (Row("penalty", "行政处罚"), Row("enforcement", "行政强制"))),
    Block("a20_8", _C20_8, (_PREV, _CHANGE), (Row("admin_fee", "行政事业性收费"),)),
    Block(
        "a20_9",
        _C20_9,
        (
            Column("proc_items", "采购项目数量", unit="项"),
            Column("proc_amount", "采购总金额", ValueKind.AMOUNT, unit="万元"),
        ),
        (Row("procurement", "政府集中采购"),),
    ),
)

# ---- table 三 ------------------------------------------------------------------------------------
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_RESULTS = "三、本年度办理结果"

T3_COLUMNS = (
    Column("natural_person", "自然人"),
    Column("business", "商业企业"),
    Column("research", "科研机构"),
    Column("public_interest", "社会公益组织"),
    Column("legal_service", "法律服务机构"),
    Column("other", "其他"),
    Column("total", "总计"),
)

_G3 = "（三）不予公开"
_G4 = "（四）无法提供"
_G5 = "（五）不予处理"
_G6 = "（六）其他处理"


def _table3_rows(split_other_handling: bool) -> tuple[Row, ...]:
    head = (
        Row("received", "一、本年新收政府信息公开申请数量"),
        Row("carried_in", "二、上年结转政府信息公开申请数量"),
        Row("disclosed", "（一）予以公开", in_results=True),
        Row("partly_disclosed", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", in_results=True),
        Row("withheld_1", "1.属于国家秘密", _G3, True),
        Row("withheld_2", "2.其他法律行政法规禁止公开", _G3, True),
        Row("withheld_3", "3.危及“三安全一稳定”", _G3, True),
        Row("withheld_4", "4.保护第三方合法权益", _G3, True),
        Row("withheld_5", "5.属于三类内部事务信息", _G3, True),
        Row("withheld_6", "6.属于四类过程性信息", _G3, True),
        Row("withheld_7", "7.属于行政执法案卷", _G3, True),
        Row("withheld_8", "8.属于行政查询事项", _G3, True),
        Row("unavailable_1", "1.本机关不掌握相关政府信息", _G4, True),
        Row("unavailable_2", "2.没有现成信息需要另行制作", _G4, True),
        Row("unavailable_3", "3.补正后申请内容仍不明确", _G4, True),
        Row("not_processed_1", "1.信访举报投诉类申请", _G5, True),
        Row("not_processed_2", "2.重复申请", _G5, True),
        Row("not_processed_3", "3.要求提供公开出版物", _G5, True),
        Row("not_processed_4", "4.无正当理由大量反复申请", _G5, True),
        Row("not_processed_5", "5.要求行政机关确认或重新出具已获取信息", _G5, True),
    )
    if split_other_handling:
        other: tuple[Row, ...] = (
            Row("other_handling_1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", _G6, True),
            Row("other_handling_2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", _G6, True),
            Row("other_handling_3", "3.其他", _G6, True),
        )
    else:
        other = (Row("other_handling", _G6, in_results=True),)
    tail = (
        Row("result_total", "（七）总计", in_results=True),
        Row("carried_out", "四、结转下年度继续办理"),
    )
    return head + other + tail


# ---- table 四 ------------------------------------------------------------------------------------
T4_GROUPS = (
    Table4Group("review", "行政复议", None, "行政复议"),
    Table4Group("suit_direct", "未经复议直接起诉", "行政诉讼", "行政诉讼-未经复议直接起诉"),
    Table4Group("suit_after_review", "复议后起诉", "行政诉讼", "行政诉讼-复议后起诉"),
)
T4_COLUMNS = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other_result", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计"),
)

_COMMON = dict(
    sections=SECTIONS,
    table3_columns=T3_COLUMNS,
    table3_note=T3_NOTE,
    table3_result_group=T3_RESULTS,
    table3_applicant_group="申请人情况",
    table3_org_group="法人或其他组织",
    table4_groups=T4_GROUPS,
    table4_columns=T4_COLUMNS,
)

FORMAT_2019 = ReportFormat(
    id="2019",
    name="中华人民共和国政府信息公开工作年度报告格式（试行）",
    citation="国办公开办函〔2019〕60号",
    years=(2019, 2020),
    table2_blocks=TABLE2_2019,
    table3_rows=_table3_rows(split_other_handling=False),
    **_COMMON,  # type: ignore[arg-type]
)

FORMAT_2021 = ReportFormat(
    id="2021",
    name="中华人民共和国政府信息公开工作年度报告格式",
    citation="国办公开办函〔2021〕30号",
    years=(2021, 2099),
    table2_blocks=TABLE2_2021,
    table3_rows=_table3_rows(split_other_handling=True),
    **_COMMON,  # type: ignore[arg-type]
)

FORMAT_2021_23 = ReportFormat(
    id="2021-23",
    name="中华人民共和国政府信息公开工作年度报告格式",
    citation="国办公开办函〔2021〕30号",
    years=(2021, 2099),
    table2_blocks=TABLE2_2021,
    table3_rows=_table3_rows(split_other_handling=False),
    table3_variant_note="表三（六）其他处理未细分（部分地方实际刊印的23行版式）",
    **_COMMON,  # type: ignore[arg-type]
)
