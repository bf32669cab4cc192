"""The words clerks use for rows, columns and scopes of the three tables, and a tokenizer over them.

Every term maps to a :class:`Marker` (what it names). Terms are matched leftmost-longest in one regular
expression, so a longer phrase always wins over the words inside it: "无法提供" is a row group, not the
negation "无"; "没有现成信息" is 无法提供 2, not "没有"; "个人隐私" is 第三方合法权益, not 自然人.

Ids are format-independent here; :mod:`.rules` resolves them against the report's format (e.g. "oh_3" is
"other_handling_3" in the 2021 format and "other_handling" in the 2019 one).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from ..formats import get_format
from ..numbers import NumberMention, find_numbers, negation_idioms


@dataclass(frozen=True)
class Marker:
    kind: str  # see the KIND_* docs below
    id: str
    all: bool = False  # the term itself says "all" ("全部公开")
    neg: bool = False  # the term itself says "none" ("上年没有结转")


# kinds:
#   t3row / t3group / t3col / t3weak : table 三 rows, row groups (（三）（四）（五）), applicant columns, a weak "申请"
#   t2row / t2col                     : table 二 items and columns
#   t4group / t4col                   : table 四 groups and result columns
#   neg, all, each, respectively, rest, corr, totalw, compare, up, down, table, fee, sub, neutral

# fmt: off
_T3_ROWS: dict[str, tuple[str, ...]] = {
    "received": (
        "本年新收政府信息公开申请数量", "本年新收政府信息公开申请", "本年新收", "今年新收", "新收", "新收到", "收到",
        "新受理", "受理", "接到", "接收", "收悉", "本年度新收", "共收到", "新接收",
    ),
    "carried_in": (
        "上年结转政府信息公开申请数量", "上年结转政府信息公开申请", "上年结转", "上年度结转", "去年结转", "上一年结转",
        "上一年度结转", "上年转结", "上年度转结", "去年转结", "去年遗留", "上年遗留", "上年度遗留", "从上年结转",
        "上年度未办结", "上年未办结", "去年未办结", "结转自上年",
        "上年没有结转", "上年也没有结转", "上年无结转", "去年没有结转", "去年也没有结转", "上一年没有结转",
        "上年度没有结转", "上年没结转", "上年度无结转", "上年度也没有结转",
        "上年度转过来", "上年转过来", "去年转过来", "上一年转过来", "上一年度转过来", "去年结转过来", "上年结转过来",
        "上年度结转过来", "上一年度结转过来", "上一年结转过来", "上年度转来", "上年转来", "去年转来", "去年剩下", "上年剩下",
        "去年遗留下来", "上年度遗留下来", "往年结转",
    ),
    "carried_out": (
        "结转下年度继续办理", "结转下年度", "结转下年", "结转下一年", "结转下一年度", "结转到下一年", "结转到下年",
        "结转到下一年度", "结转至下一年", "结转至下年", "结转至下一年度", "结转至下年度", "转入下一年", "转入下年",
        "转入下一年度", "转下年", "转下一年", "转下年度", "转结下年", "转结下年度", "转到下一年", "转到明年",
        "结转明年", "结转到明年", "跨年办理", "尚未办结", "未办结", "还在办理", "仍在办理", "正在办理中",
        "年底未办结", "年底还在办理", "结转", "还没办完", "没办完", "未办完", "尚未办完", "还没有办完", "没有办完",
        "还在办", "仍在办", "还没有办结", "没有办结",
    ),
    "result_total": (
        "本年度办理结果", "办理结果总计", "办理结果合计", "办理结果", "办结", "已办结", "全部办结", "办理完毕",
        "答复完毕", "已答复", "作出答复", "办理完成", "七)总计", "(七)总计",
    ),
    "disclosed": ("予以公开", "同意公开", "全部公开", "全部予以公开", "依法公开", "予以全部公开", "全部提供", "答复公开",
        "准予公开", "给予公开", "公开了", "已公开", "已予公开", "已经公开", "予以提供", "同意提供", "公开答复"),
    "partly_disclosed": ("部分公开", "部分予以公开", "区分处理", "部分提供", "部分公开部分不公开"),
    "withheld_1": ("属于国家秘密", "国家秘密", "涉及国家秘密", "涉密"),
    "withheld_2": (
        "其他法律行政法规禁止公开", "法律行政法规禁止公开", "法律行政法规禁止", "法律法规禁止公开", "法律法规禁止",
        "法律法规规定不予公开",
    ),
    "withheld_3": (
        "危及“三安全一稳定”", "危及\"三安全一稳定\"", "危及三安全一稳定", "“三安全一稳定”", "\"三安全一稳定\"",
        "三安全一稳定", "危及国家安全", "危害国家安全", "影响社会稳定",
    ),
    "withheld_4": (
        "保护第三方合法权益", "第三方合法权益", "第三方权益", "第三方利益", "商业秘密", "个人隐私", "涉及第三方",
        "第三方不同意", "第三方", "隐私", "别人的隐私", "他人隐私", "他人的隐私", "涉及隐私", "别人的信息", "他人信息",
        "商业机密",
    ),
    "withheld_5": ("属于三类内部事务信息", "三类内部事务信息", "内部事务信息", "内部事务", "内部管理信息"),
    "withheld_6": ("属于四类过程性信息", "四类过程性信息", "过程性信息", "过程信息"),
    "withheld_7": ("属于行政执法案卷", "行政执法案卷", "执法案卷"),
    "withheld_8": ("属于行政查询事项", "行政查询事项", "查询事项"),
    "unavailable_1": (
        "本机关不掌握相关政府信息", "本机关不掌握", "不掌握相关政府信息", "不掌握", "信息不存在", "政府信息不存在",
        "非本机关", "不属于本机关", "不是本机关", "不属于本单位", "未制作或获取", "没有制作或获取", "不属于本机关职责", "不属于我们掌握", "不是我们掌握", "我们不掌握", "不归我们管", "不归我们", "不属于我们",
        "不属于本单位掌握", "不属于我局", "不属于本局", "不属于我镇", "不属于本镇", "不属于本部门", "不属于我们单位",
        "我们没有这个信息", "我们没有该信息", "没有这个信息", "没有该信息", "没有相关信息", "没有这方面的信息",
        "信息不存在的", "不存在该信息", "无此信息", "查无此信息", "查无", "没有找到相关信息",
    ),
    "unavailable_2": (
        "没有现成信息需要另行制作", "没有现成信息", "需要另行制作", "需另行制作", "另行制作", "需要加工",
        "需要汇总加工", "需加工", "重新加工", "加工制作", "重新制作", "另行加工", "需要重新加工", "需要重新制作",
        "需要另外制作", "另外制作", "汇总加工", "加工汇总", "统计加工", "需要统计",
    ),
    "unavailable_3": (
        "补正后申请内容仍不明确", "补正后仍不明确", "补正后仍然不明确", "申请内容仍不明确", "仍不明确", "申请内容不明确",
        "内容不明确", "还是不明确", "仍然不明确", "依然不明确", "还不明确", "还是不清楚", "仍不清楚",
        "还是说不清楚", "说不清楚", "讲不清楚", "表述不清", "描述不清",
    ),
    "not_processed_1": ("信访举报投诉类申请", "信访举报投诉类", "信访举报投诉", "信访", "信访诉求", "信访件", "举报", "投诉"),
    "not_processed_2": ("重复申请",),
    "not_processed_3": ("要求提供公开出版物", "公开出版物", "出版物"),
    "not_processed_4": ("无正当理由大量反复申请", "大量反复申请", "大量反复"),
    "not_processed_5": ("要求行政机关确认或重新出具已获取信息", "确认或重新出具", "重新出具", "确认已获取信息",
        "确认已获取", "已获取的信息", "已经获取的信息", "已获取信息", "以前给过", "之前给过", "已经提供过", "已提供过",
        "重新提供", "再出具", "重新盖章"),
    "oh_1": (
        "申请人无正当理由逾期不补正", "无正当理由逾期不补正", "逾期不补正", "逾期未补正", "不补正", "未补正",
        "未按要求补正", "没有补正", "没补正", "他没补", "没有补", "没补", "一直没有补正", "未予补正", "不予补正",
        "拒不补正", "未在期限内补正", "补正期满未补正",
    ),
    "oh_2": (
        "申请人逾期未按收费通知要求缴纳费用", "逾期未按收费通知要求缴纳费用", "未按收费通知要求缴纳费用",
        "逾期未缴纳费用", "逾期未缴费", "逾期不缴费", "未缴纳费用", "未缴费", "不缴费",
        "逾期未按收费通知缴纳费用", "未按收费通知缴纳费用", "未按收费通知缴纳", "逾期未缴纳信息处理费",
        "未缴纳信息处理费", "逾期未缴纳处理费", "未缴纳处理费", "逾期未缴纳", "未按期缴费", "未按时缴费",
    ),
    "oh_3": ("撤回申请", "主动撤回", "申请人撤回", "自行撤回"),
}
_T3_GROUPS = {
    "withheld": ("不予公开", "拒绝公开", "不公开"),
    "unavailable": ("无法提供",),
    "not_processed": ("不予处理",),
    "other_handling": ("其他处理",),  # alone: 3.其他 (2021) / （六）其他处理 (2019)
}
_T3_COLS = {
    "natural_person": (
        "自然人", "个人", "群众", "公民", "市民", "村民", "居民", "老百姓", "个人申请", "自然人申请", "申请人本人",
        "群众来信", "个体", "村里人", "村里的人", "农户", "老乡", "居民个人", "群众个人", "个人名义",
    ),
    "business": ("商业企业", "企业", "公司", "个体工商户", "保险公司", "银行", "开发商", "企业法人"),
    "research": ("科研机构", "科研院所", "高校", "大学", "研究所", "研究院", "科研单位", "学院", "研究中心", "科学院", "课题组"),
    "public_interest": ("社会公益组织", "公益组织", "社会组织", "协会", "基金会", "商会", "学会", "社会团体"),
    "legal_service": ("法律服务机构", "律师事务所", "律所", "律师", "律师所", "公证处", "基层法律服务所"),
    "other": ("其他组织", "其他单位", "其他机构", "其他法人", "合作社", "经济合作社", "股份经济合作社", "村委会",
        "居委会", "村民委员会", "居民委员会", "村集体", "业主委员会", "业委会", "事业单位"),
    "org": ("法人或其他组织", "法人和其他组织", "法人及其他组织", "法人"),
}
_T2_ROWS = {
    "rules": ("规章",),
    "normative": ("行政规范性文件", "规范性文件"),
    "licensing": ("行政许可", "许可"),
    "other_services": ("其他对外管理服务事项", "对外管理服务事项", "管理服务事项"),
    "penalty": ("行政处罚", "处罚"),
    "enforcement": ("行政强制", "强制措施", "强制"),
    "admin_fee": ("行政事业性收费", "事业性收费", "收费项目", "收费"),
    "procurement": ("政府集中采购", "集中采购", "政府采购", "采购"),
}
_T2_COLS = {
    "issued": ("本年制发件数", "制发", "印发", "出台", "制定", "新制定", "新出台", "新印发", "发文", "新发", "发了", "下发",
        "新制发", "印发了", "出台了", "制发了"),
    "repealed": ("本年废止件数", "废止", "宣布失效", "失效"),
    "in_force": ("现行有效件数", "现行有效", "有效的", "仍有效", "现行", "有效", "还有效", "有效期内", "继续有效"),
    "made": ("本年新制作数量", "新制作", "制作"),
    "published": ("本年新公开数量", "新公开"),
    "public_total": ("对外公开总数量", "对外公开总数", "公开总数"),
    "prev_items": ("上一年项目数量", "上一年项目", "上年项目", "上年度项目", "上一年", "去年项目", "上年事项", "上年有",
        "上年度有", "去年有", "上一年有", "原有", "年初有", "上年共有", "上年", "去年", "上年度"),
    "change": ("本年增/减", "增/减", "增减", "增减变化", "变化"),
    "decisions": (
        "本年处理决定数量", "处理决定数量", "处理决定", "决定", "办件量", "办件", "作出", "实施", "办理了", "作出决定",
    ),
    "fee_amount": ("本年收费金额", "收费金额", "金额"),
    "proc_items": ("采购项目数量", "采购项目", "项目数量"),
    "proc_amount": ("采购总金额", "总金额"),
}
_T4_GROUPS = {
    "review": ("行政复议", "复议", "被申请复议", "申请复议", "被申请行政复议"),
    "suit_after_review": (
        "复议后起诉", "复议后提起诉讼", "复议后提起行政诉讼", "复议后又起诉", "经复议后起诉", "复议后诉讼",
        "行政诉讼-复议后起诉",
    ),
    "suit_direct": (
        "未经复议直接起诉", "直接起诉", "直接提起诉讼", "直接提起行政诉讼", "行政诉讼-未经复议直接起诉",
    ),
    "suit": ("行政诉讼", "诉讼", "起诉", "被起诉", "被诉", "应诉"),
    "both": ("复议诉讼", "复议和诉讼", "复议或诉讼", "复议、诉讼"),
}
_T4_COLS = {
    "upheld": ("结果维持", "维持", "维持原"),
    "corrected": ("结果纠正", "被纠正", "撤销", "变更", "确认违法", "责令履行", "纠正", "责令重新答复", "责令重新办理",
        "责令改正", "责令重新作出", "责令", "重新答复", "判决撤销", "决定撤销"),
    "other_result": ("其他结果", "驳回", "终止", "撤回", "撤诉"),
    "pending": ("尚未审结", "未审结", "在审", "审理中", "正在审理", "还在审理", "未结案", "尚未结案", "还没判", "还没有判",
        "尚未判决", "未判决", "还没判决", "还没结案", "还没有结案", "还没审完", "还没出结果", "尚无结果", "还没有结果",
        "还没审结", "没有审结", "未作出决定", "还没有决定", "尚未作出"),
}
_SPECIAL = {
    "neg": (
        "没有", "没", "无", "未", "暂无", "均无", "都没有", "也没有", "一件都没有", "一件也没有", "一个都没有",
        "一件没有", "未发生", "没发生", "没有发生", "不存在", "并无", "从未", "尚无", "均未", "未曾", "未有", "没出现",
        "未出现", "不涉及", "无此类", "都无", "全无", "一例都没有", "一起都没有", "一起也没有",
    ),
    "all": ("都是", "全部是", "全是", "均为", "均是", "全部为", "全都是", "全部", "全都", "都", "均", "一律"),
    "each": ("各",),
    "respectively": ("分别", "分别为", "分别是", "分别有", "依次为", "依次是", "依次"),
    "rest_all": (  # every cell the clerk did not state ("没说到的都是0"): never a cell the engine could not read
        "没说到的", "没说的", "没提到的", "没提的", "没有提到的", "没有说到的", "没有说的", "未提及的", "未提到的",
        "没讲到的", "没讲的", "空着的格子", "空着的单元格", "空白的格子", "空白格子", "空白单元格", "没填的",
        "其余的格子", "其他格子", "剩下的格子", "其余格子", "其余单元格", "其他单元格", "剩下的单元格",
    ),
    "unknown_yet": (  # "先空着/待核实/还没回": the clerk does not know yet; never a 0
        "先空着", "继续空着", "空着吧", "暂时空着", "还没回", "还没有回", "没回复", "还没回复", "待核实",
        "待确认", "待定", "还不清楚", "不太清楚", "还不知道", "不知道", "还没统计", "没统计完", "还在统计", "暂不填",
        "先不填", "回头再说", "晚点再说", "稍后补", "后面再补", "还没核", "还在核", "待查",
    ),
    "foreign": (  # counts of other things next to a number ("制作政策解读21个", "发布会4场"): never a table cell
        "政策解读", "解读", "新闻发布会", "发布会", "图解", "访谈", "简报", "微博", "公众号", "微信",
        "培训班", "会议", "文章", "稿件", "视频", "动漫", "网页", "栏目", "回应关切", "回应",
    ),
    "rest": ("其余", "其他", "其它", "剩下的", "剩余", "别的", "除此之外", "余下"),
    "corr": (
        "刚才说错", "说成", "写成", "应当是", "实际是", "实际为", "核对了一下", "核实一下", "核对后",
        "更正", "更正一下", "改成", "改为", "应该是", "应是", "应为", "不对", "说错了", "搞错了", "写错了", "弄错了",
        "纠正一下", "我纠正", "修改为", "修正", "订正", "错了", "重新说", "有误",
    ),
    "totalw": ("共", "一共", "总共", "合计", "总计", "共计", "累计", "总数", "总量"),
    "compare": (
        "比上年", "比去年", "较上年", "较去年", "同比", "与上年相比", "与去年相比", "比上一年", "较上一年", "环比",
        "比上年度", "较上年度",
    ),
    "up": ("增加", "新增", "增长", "增加了", "增"),
    "down": ("减少", "减少了", "减", "取消", "削减", "下降", "精简"),
    "fee": ("信息处理费", "处理费"),
    "diff": ("少算了", "多算了", "少算", "多算", "漏了", "漏算", "少报", "多报", "漏报", "差了", "相差", "少了", "多了"),
    "applicant": ("申请人", "申请人类型", "申请主体"),
    "rest_applicant": (
        "其他类型", "其他申请人类型", "其他类型申请人", "其他申请人", "其他类型的申请人", "其余申请人", "其他申请主体",
        "别的申请人", "其余类型",
    ),
    "rest_results": (
        "其他办理结果", "其余办理结果", "别的办理结果", "其他办理情形", "其余办理情形", "其他处理结果", "其余结果",
    ),
    "sub": ("其中",),
    "more": ("剩下", "还有", "另外", "另有", "此外", "再有", "另"),  # introduces a new item
    "neutral": (
        "主动公开", "政务公开", "信息公开", "公开栏", "公开专栏", "公开工作", "公开平台", "公开目录", "公开指南",
        "受理点", "全年", "全镇", "全区", "全县", "全市", "全乡", "全街道", "无正当理由", "有无", "无误", "无异议",
        "无缝", "无纸化", "无论", "未经", "进一步", "个人信息", "法人代表", "法定代表人", "举报电话", "投诉电话",
        "均在法定期限", "未来", "决定书", "收费通知", "复议机关", "公开出版", "强制性", "无一", "制定权",
        "规章制定权", "立法权",
    ),
}
_TABLES = {
    "table2": ("表二", "表2", "第二张表", "第二个表", "主动公开情况表", "主动公开政府信息情况"),
    "table3": ("表三", "表3", "第三张表", "第三个表", "申请情况表", "收到和处理政府信息公开申请情况"),
    "table4": ("表四", "表4", "第四张表", "第四个表", "复议诉讼表", "政府信息公开行政复议、行政诉讼情况"),
    "this": ("本表", "这张表", "该表", "整张表", "这个表", "此表", "全表"),
}

# fmt: on

_ALL_TERMS = {"全部公开", "全部予以公开", "予以全部公开", "全部提供", "全部办结"}


_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.、．])")
_REMARK = re.compile(r"[（(][^）)]*[)）]$")
_NOT_A_TERM = {"其他", "总计", "合计"}  # 其他 is read by context (prepare.py); totals are no cell words here


def _label_forms(label: str) -> list[str]:
    """A printed label as clerks write it: with and without its numbering and its remark in brackets."""
    bare = _REMARK.sub("", _NUMBERING.sub("", label)).strip()
    forms = dict.fromkeys((label, _NUMBERING.sub("", label).strip(), bare))
    return [f for f in forms if f and f not in _NOT_A_TERM and not f[0].isdigit()]  # "3.其他": its 3 is no term


@lru_cache(maxsize=1)
def _format_terms() -> dict[str, Marker]:
    """The lexicon generated from the format definitions: every row, sub-row, column and table 二 item of every
    format under the marker the readers use (other_handling_N → oh_N; the 2019 single row 其他处理 is a group)."""
    out: dict[str, Marker] = {}
    for fid in ("2019", "2021"):
        fmt = get_format(fid)
        for spec in fmt.input_cells():
            if spec.table == "table3":
                rid = spec.row_id
                if rid.startswith("other_handling_"):
                    rid = "oh_" + rid.rsplit("_", 1)[1]
                if rid != "other_handling":
                    for form in _label_forms(spec.row_label):
                        out.setdefault(form, Marker("t3row", rid))
                for form in _label_forms(spec.col_label):
                    out.setdefault(form, Marker("t3col", spec.col_id))
            elif spec.table == "table2":
                for form in _label_forms(spec.row_label):
                    out.setdefault(form, Marker("t2row", spec.row_id))
                for form in _label_forms(spec.col_label):
                    out.setdefault(form, Marker("t2col", spec.col_id))
            else:
                for form in _label_forms(spec.row_label):
                    out.setdefault(form, Marker("t4group", spec.row_id))
                for form in _label_forms(spec.col_label):
                    out.setdefault(form, Marker("t4col", spec.col_id))
    return out


@lru_cache(maxsize=1)
def terms() -> dict[str, Marker]:
    """Every term → its marker (later tables do not override earlier ones)."""
    out: dict[str, Marker] = {}

    def add(kind: str, table: dict[str, tuple[str, ...]]) -> None:
        for mid, words in table.items():
            for w in words:
                neg = mid == "carried_in" and ("没" in w or "无" in w)
                out.setdefault(w, Marker(kind, mid, all=w in _ALL_TERMS, neg=neg))

    add("t3row", _T3_ROWS)
    add("t3group", _T3_GROUPS)
    add("t3col", _T3_COLS)
    add("t4group", _T4_GROUPS)
    add("t4col", _T4_COLS)
    add("t2row", _T2_ROWS)
    add("t2col", _T2_COLS)
    add("table", _TABLES)
    for w, marker in _format_terms().items():  # the official labels of every format (hand-written words win)
        out.setdefault(w, marker)
    for kind, words in _SPECIAL.items():
        for w in words:
            out.setdefault(w, Marker(kind, kind))
    out.setdefault("申请", Marker("t3weak", "received"))
    out.setdefault("依申请公开", Marker("t3weak", "received"))
    out.setdefault("政府信息公开申请", Marker("t3weak", "received"))
    return out


@lru_cache(maxsize=1)
def _term_regex() -> re.Pattern[str]:
    words = sorted(terms(), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


@dataclass(frozen=True)
class Token:
    """A marker or a number found in a text, with its span."""

    kind: str  # a Marker kind, or "num"
    id: str
    start: int
    end: int
    text: str
    marker: Marker | None = None
    num: NumberMention | None = None


_PREV_YEAR = r"(?:上一?年度?|去年|往年|前一年)(?:的|底|度)?"
# phrases too varied for a word list; matched before the words (and win over any word overlapping them)
_PATTERNS: tuple[tuple[re.Pattern[str], Marker], ...] = (
    (
        re.compile(
            _PREV_YEAR + r"(?:好像|应该|似乎|可能|大概|也|都|就)*(?:没有|没|无|未)(?:任何|什么)?(?:申请)?"
            r"(?:结转|转结|剩下|剩余|遗留|转过来|转来|剩|留下)"
        ),
        Marker("t3row", "carried_in", neg=True),
    ),
    (
        re.compile(
            _PREV_YEAR
            + r"(?:没办完的|未办结的|没有办完的)?(?:结转|转结|转|遗留|剩|留)(?:过来|下来|来|下|到今年|到本年)"
        ),
        Marker("t3row", "carried_in"),
    ),
)


_PATTERNS = _PATTERNS + (
    (
        re.compile(
            r"(?:年底|年末|年内|到年底|截至年底|截止年底)(?:前)?(?:都|全部|均|全都)(?:已经?|已)?(?:办完|办结|答复完毕|答复完|处理完毕|处理完)了?"
            r"|(?:都|全部|均|全都)(?:已经?)?办完了?"
        ),
        Marker("t3row", "carried_out", neg=True),
    ),
)
_PATTERNS = _PATTERNS + (
    (
        re.compile(
            r"(?:没有|无|不具有|不具备|没)(?:规章)?(?:制定权|立法权)|规章(?:制定权|立法权)(?:都|也)?(?:没有|无)"
        ),
        Marker("t2row", "rules", neg=True),
    ),
)
_PATTERNS = _PATTERNS + (
    (
        re.compile(
            r"(?:把|将)(?:相关的?|要的|申请的)?(?:材料|信息|资料|文件|内容)(?:都|直接|全部)?(?:给|提供给|发给|寄给|交给|复印给)"
            r"|(?:材料|信息|资料|文件)(?:都|也|已经?|直接)*(?:给了|提供了|发给了|寄给了)"
            r"|(?<![不没未])给(?:了)?(?:他们|他|她|申请人|对方)?(?:相关)?(?:材料|资料)"
        ),
        Marker("t3row", "disclosed"),
    ),
)
_US = r"(?:我们|我局|我镇|我乡|我委|我办|本单位|本机关|镇里|乡里|局里|我们镇里|我们局里|我们这里|我们这边|这边)"
_INFO = r"(?:信息|材料|资料|数据|文件|档案)"
_PATTERNS = _PATTERNS + (
    (
        re.compile(_INFO + r"[，,]?" + _US + r"(?:也|都|并|根本)?(?:没有|不掌握|没|未掌握|未制作|没有制作)"),
        Marker("t3row", "unavailable_1"),
    ),
    (
        re.compile(
            _US + r"(?:也|都|并|根本)?(?:没有|不掌握|没|未掌握)(?:这个|该|此|这方面的|相关的?|这些|那个)" + _INFO
        ),
        Marker("t3row", "unavailable_1"),
    ),
)


def _pattern_tokens(text: str) -> list[Token]:
    out: list[Token] = [
        Token("neg", "neg", a, b, text[a:b], marker=Marker("neg", "neg")) for a, b in negation_idioms(text)
    ]  # 「一件都没收到」: a negation, the 一 is no number
    for pattern, marker in _PATTERNS:
        for m in pattern.finditer(text):
            if not any(t.start < m.end() and m.start() < t.end for t in out):
                out.append(Token(marker.kind, marker.id, m.start(), m.end(), m.group(), marker=marker))
    return out


def tokenize(text: str, *, whole_text_bare: bool | None = None) -> list[Token]:
    """Markers and numbers of ``text`` in order. A number inside a term ("一件都没有") is dropped; a term that
    starts inside a number's unit is dropped too."""
    table = terms()
    special = _pattern_tokens(text)
    marks = [
        Token(table[m.group()].kind, table[m.group()].id, m.start(), m.end(), m.group(), marker=table[m.group()])
        for m in _term_regex().finditer(text)
        if not any(t.start < m.end() and m.start() < t.end for t in special)
    ]
    if special:
        marks = sorted(marks + special, key=lambda t: t.start)
    nums = find_numbers(text, whole_text_bare=whole_text_bare)
    starts = [t.start for t in marks]
    out: list[Token] = []
    mi = 0
    for n in nums:
        i = bisect_right(starts, n.start) - 1
        if i >= 0 and marks[i].start <= n.start < marks[i].end:
            continue  # the number is part of a term
        while mi < len(marks) and marks[mi].start < n.start:
            out.append(marks[mi])
            mi += 1
        out.append(Token("num", "num", n.start, n.end, n.surface, num=n))
        while mi < len(marks) and marks[mi].start < n.end:
            mi += 1  # a term starting inside the number's unit
    out.extend(marks[mi:])
    return out
