"""Property tests: the checks never crash, and a consistent report (any numbers) never gets an error."""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.checks import SEVERITY_ORDER, run_checks
from assistant.facts import AgencyLevel, CellFact, CellStatus, Report
from assistant.formats import FORMATS

FORMAT_IDS = sorted(FORMATS)
YEAR_FOR = {"2019": 2020, "2021": 2023, "2021-23": 2022}
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def consistent_reports(draw):
    """Random small counts that satisfy every invariant, with the stated totals filled in like an import."""
    fmt = FORMATS[draw(st.sampled_from(FORMAT_IDS))]
    small = st.integers(min_value=0, max_value=9)
    cells: dict[str, Decimal] = {}
    for col in fmt.applicant_part_columns:
        results = {r.id: draw(small) for r in fmt.table3_result_rows}
        carried_out = draw(st.integers(min_value=0, max_value=2))
        handled = sum(results.values()) + carried_out
        carried_in = draw(st.integers(min_value=0, max_value=handled))
        for row_id, v in results.items():
            cells[f"t3.{row_id}.{col.id}"] = Decimal(v)
        cells[f"t3.carried_out.{col.id}"] = Decimal(carried_out)
        cells[f"t3.carried_in.{col.id}"] = Decimal(carried_in)
        cells[f"t3.received.{col.id}"] = Decimal(handled - carried_in)
    for spec in fmt.input_cells():
        if spec.table == "table4":
            cells[spec.key] = Decimal(draw(st.integers(min_value=0, max_value=3)))
        elif spec.table == "table2":
            if spec.col_id == "change":
                continue
            cells[spec.key] = Decimal(draw(st.integers(min_value=0, max_value=40)))
    for spec in fmt.input_cells():
        if spec.col_id == "public_total":  # cumulative: at least this year's newly published
            cells[spec.key] += cells[f"t2.{spec.row_id}.published"]
        if spec.col_id == "change":
            cells[spec.key] = Decimal(
                draw(st.integers(min_value=-int(cells[f"t2.{spec.row_id}.prev_items"]), max_value=5))
            )
    report = Report(
        agency="某镇人民政府",
        level=AgencyLevel.COUNTY_DEPT,
        report_year=YEAR_FOR[fmt.id],
        format_id=fmt.id,
        cells={k: CellFact(status=CellStatus.VALUE, value=v) for k, v in cells.items()},
    )
    stated = {
        spec.key: CellFact(status=CellStatus.VALUE, value=report.value(spec.key))
        for spec in fmt.cells().values()
        if spec.derived and draw(st.booleans())
    }
    report = report.model_copy(update={"cells": {**report.cells, **stated}})
    year = report.report_year
    received, carried_in = report.value("t3.received.total"), report.value("t3.carried_in.total")
    results, carried_out = report.value("t3.result_total.total"), report.value("t3.carried_out.total")
    review = report.value("t4.review.total")
    s1 = (
        f"本报告中所列数据统计期限为{year}年1月1日至12月31日。{year}年，我镇新收政府信息公开申请{received}件，"
        f"上年结转{carried_in}件。办理结果方面，予以公开{report.value('t3.disclosed.total')}件，共办结{results}件。"
        f"结转下年度继续办理{carried_out}件。因政府信息公开工作被申请行政复议{review}件。"
    )
    return report.model_copy(
        update={"sections": {"s1": s1, "s5": "一是公开不够及时。", "s6": "本年度未收取信息处理费。"}}
    )


@SETTINGS
@given(consistent_reports())
def test_consistent_reports_never_get_an_error(report):
    findings = run_checks(report)
    assert [f.message for f in findings if f.severity == "error"] == []
    # the only warning a consistent table may get is the carry-over heuristic
    assert {f.rule for f in findings if f.severity == "warning"} <= {"T3-7"}


cell_states = st.one_of(
    st.none(),
    st.builds(CellFact, status=st.just(CellStatus.CONFIRMED_ZERO)),
    st.builds(CellFact, status=st.just(CellStatus.NOT_APPLICABLE)),
    st.builds(
        CellFact,
        status=st.just(CellStatus.VALUE),
        value=st.decimals(min_value=-50, max_value=200000, places=2, allow_nan=False, allow_infinity=False),
    ),
)


@st.composite
def arbitrary_reports(draw):
    fmt = FORMATS[draw(st.sampled_from(FORMAT_IDS))]
    keys = list(fmt.cells())
    chosen = draw(st.lists(st.sampled_from(keys), max_size=40, unique=True))
    cells = {k: fact for k in chosen if (fact := draw(cell_states)) is not None}
    text = draw(
        st.text(
            alphabet="收到受理办结上年结转下一年度申请政府信息公开行政复议诉讼没有未其中网上共和件起元万十二三两0123456789，。、",
            max_size=120,
        )
    )
    year = draw(st.one_of(st.none(), st.integers(min_value=2019, max_value=2030)))
    level = draw(st.one_of(st.none(), st.sampled_from(list(AgencyLevel))))
    return Report(report_year=year, format_id=fmt.id, level=level, cells=cells, sections={"s1": text, "s6": text[::-1]})


@SETTINGS
@given(arbitrary_reports())
def test_checks_never_crash_and_findings_are_well_formed(report):
    findings = run_checks(report)
    assert [SEVERITY_ORDER[f.severity] for f in findings] == sorted(SEVERITY_ORDER[f.severity] for f in findings)
    for f in findings:
        assert f.rule and f.message and "$" not in f.message
        assert all(isinstance(c, str) for c in f.cells)
