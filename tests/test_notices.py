"""Bureau notices as they are written (issue 20, part 2): refunds returned on the spot with neither an
order date nor a document, findings without a due date, schools named only in words, complaint figures
for a month, a window of months, several years or one category only. Each shape is checked, rendered
and exported without inventing what the notice did not say; each test failed before this change."""
from __future__ import annotations

import html
import itertools
import re
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from xiaowu.check.project import check_project
from xiaowu.model.complaints import Period
from xiaowu.model.oversight import Finding, Inspection, Oversight, Refund
from xiaowu.pages.render import Renderer
from xiaowu.pages.site import build_site
from xiaowu.pages.urls import school_src
from xiaowu.publish.tables import SCHEMA_VERSION, Tables

GOLDENS = Path(__file__).parent / "goldens"
TODAY = date(2026, 11, 21)
ALL_DONE = "检查发现的问题均已整改完成"


def _project(tmp_path: Path, oversight: str, roster_school: bool = True) -> Any:
    schools = tmp_path / "schools"
    (schools / "demo").mkdir(parents=True, exist_ok=True)
    shutil.copy(GOLDENS / "policy.yml", schools / "policy.yml")
    if roster_school:
        shutil.copy(GOLDENS / "school.yml", schools / "demo" / "demo-school.yml")
    (schools / "oversight.yml").write_text(oversight, encoding="utf-8")
    return check_project(schools, today=TODAY, jobs=1)


def _pages(tmp_path: Path, oversight: str) -> tuple[Any, dict[str, str], Tables]:
    result = _project(tmp_path, oversight)
    assert result.errors == 0, [f"{d.code} {d.message}" for d in result.diagnostics]
    site = build_site(result)
    renderer = Renderer(site)
    pages = {src: html.unescape(re.sub(r"<[^>]+>", "", renderer.render(src, src[:-3] + "/").html))
             for src in ("oversight.md", "compliance.md")}
    return result, pages, Tables(site)


def _codes(result: Any) -> list[str]:
    return sorted(d.code for d in result.diagnostics)


# -- Refunds as notices report them -------------------------------------------------------------

# 重庆 2006 年秋季教育收费专项大检查（http://www.910910.com/news/comnews/2006/9/content_60474.shtml）：
# “丰都某学校五年级，学校在公示范围外，以‘资料费’名义收取学生每人30元……检查组要求上述学校当场退还学生此笔费用”.
FENGDU = """\
refunds:
  - school_name: 丰都某学校
    item: 资料费
    reason: 五年级在公示范围外以“资料费”名义收取学生每人 30 元
    source: 教育收费专项大检查
    on_the_spot: 是
"""
# 湖北蕲春县教育局情况通报，2026-01-20（http://www.ce.cn/xwzx/gnsz/gdxw/202601/t20260122_2718779.shtml）：
# “经初步调查，收费情况属实，教育局已责令学校主要负责人停职整改，对收取的托管费通过原路退还方式已全额退还”.
QICHUN = """\
refunds:
  - school_name: 蕲春县一中
    item: 托管费
    reason: 通过家委会收取托管费
    notice_title: 情况通报
    notice_date: 2026-01-20
    on_the_spot: 是
    notes: 对收取的托管费通过原路退还方式已全额退还，未收取的立即停止
"""


@pytest.mark.parametrize("notice", [FENGDU, QICHUN], ids=["fengdu-2006", "qichun-2026"])
def test_a_real_on_the_spot_refund_passes_and_is_published_with_its_notes(tmp_path: Path, notice: str) -> None:
    result, pages, tables = _pages(tmp_path, notice)
    assert result.warnings == 0 and not [c for c in result.compliance if c.status == "missing"]
    text = pages["oversight.md"]
    assert "发现时已退还" in text and "金额未公布" in text and "本站无该校资料" in text
    assert "清退中" not in text and "逾期" not in text
    row = tables.table("refunds").rows[0]
    assert row[0] == "" and row[1] in ("丰都某学校", "蕲春县一中") and row[13] == "已清退" and row[-1] == "是"
    if notice is QICHUN:
        assert "原路退还方式已全额退还" in text and "原路退还方式已全额退还" in pages["compliance.md"]
        assert "《情况通报》（2026-01-20）" in text and row[-2] == date(2026, 1, 20)


def test_a_roster_school_without_a_file_is_named_by_the_roster_on_the_oversight_page(tmp_path: Path) -> None:
    """A refund naming a school the bureau expects but whose file is not in yet (a late school must not
    block the others): the page names it as the roster does, with no link. The page used to fail to
    render (the template read the roster entry as a mapping)."""
    result = _project(tmp_path, "refunds:\n  - school: demo-school\n    item: 资料费\n    on_the_spot: 是\n",
                      roster_school=False)
    site = build_site(result)
    assert site.schools == () or all(s.id != "demo-school" for s in site.schools)
    page = Renderer(site).render("oversight.md", "oversight/").html
    assert "示范县第一中学" in re.sub(r"<[^>]+>", "", page) and "demo-school/" not in page


# Every subset of the optional fields of an on-the-spot refund is lawful and reads as done.
_OPTIONAL = {"amount": "amount: 1200", "ordered": "ordered: 2026-04-15", "document": "document: 示教函〔2026〕12号",
             "completed": "completed: 2026-04-10\n    refunded: 1200", "notice_date": "notice_date: 2026-04-20",
             "school": "school: demo-school"}


@pytest.mark.parametrize("keys", [c for n in range(len(_OPTIONAL) + 1) for c in itertools.combinations(_OPTIONAL, n)],
                         ids=lambda keys: "+".join(keys) or "none")
def test_an_on_the_spot_refund_is_valid_and_done_on_any_subset(tmp_path: Path, keys: tuple[str, ...]) -> None:
    lines = [_OPTIONAL[k] for k in keys] + ([] if "school" in keys else ["school_name: 某学校"])
    text = "refunds:\n  - item: 资料费\n    on_the_spot: 是\n" + "".join(f"    {line}\n" for line in lines)
    result = _project(tmp_path, text)
    assert _codes(result) == []
    refund = result.oversight.refunds[0]
    assert refund.state(TODAY) == "done" and refund.days_late(TODAY) == 0


@pytest.mark.parametrize(("completed", "extra", "codes"), [
    ("2026-04-10", "", ["S113"]),                    # before the order, and nobody said it was on the spot
    ("2026-04-10", "    on_the_spot: 是\n", []),     # returned when found: valid
    ("2026-04-16", "", []),                          # after the order: valid
    ("2026-04-10", "    notice_date: 2026-04-20\n    on_the_spot: 是\n", []),  # before the notice: normal
])
def test_a_completion_before_the_order_needs_the_on_the_spot_mark(tmp_path: Path, completed: str, extra: str,
                                                                  codes: list[str]) -> None:
    text = (f"refunds:\n  - school: demo-school\n    item: 资料费\n    amount: 1200\n    ordered: 2026-04-15\n"
            f"    completed: {completed}\n    refunded: 1200\n{extra}")
    assert _codes(_project(tmp_path, text)) == codes


@pytest.mark.parametrize("record", [
    "refunds:\n  - item: 资料费\n    amount: 300\n",
    "refunds:\n  - item: 资料费\n    on_the_spot: 是\n",
    "inspections:\n  - date: 2026-04-10\n    kind: 收费专项检查\n    organizer: 示范县教育局\n    findings: []\n",
])
def test_a_record_naming_no_school_is_refused(tmp_path: Path, record: str) -> None:
    assert _codes(_project(tmp_path, record)) == ["C904"]


def test_a_school_outside_the_roster_is_named_in_words_not_added_to_the_roster(tmp_path: Path) -> None:
    """The way out of "未提交资料文件" for a school entered only to record its refund: school_name."""
    by_id = _project(tmp_path / "a", "refunds:\n  - {school: outside-school, item: 资料费, amount: 300}\n")
    assert _codes(by_id) == ["M813"]
    help_ = next(d for d in by_id.diagnostics if d.code == "M813").help
    assert "school_name" in help_ and "不要为了登记清退把它加进名单" in help_
    by_name = _project(tmp_path / "b", "refunds:\n  - {school_name: 名单外的某培训学校, item: 资料费, amount: 300}\n")
    assert _codes(by_name) == [] and [c.status for c in by_name.compliance if c.status == "missing"] == []
    assert [c.school_id for c in by_name.compliance] == ["demo-school"]


# -- Findings without a due date, schools without a file ----------------------------------------

INSPECTED_IN_WORDS = """\
inspections:
  - school_name: 某学校
    date: 2026-04-10
    kind: 收费专项检查
    organizer: 示范县教育局
    notice_title: 关于春季学期教育收费专项检查情况的通报
    notice_date: 2026-04-20
    findings:
      - finding: 在公示范围外收取资料费
        rectification: 限期整改，全额清退
        notes: 已约谈学校负责人
    notes: 检查了收费公示栏和收费票据。
"""


def test_findings_and_notes_of_a_school_without_a_file_are_published(tmp_path: Path) -> None:
    result, pages, tables = _pages(tmp_path, INSPECTED_IN_WORDS)
    text = pages["oversight.md"]
    for words in ("某学校", "已约谈学校负责人", "检查了收费公示栏和收费票据。", "限期整改，全额清退（未定期限）",
                  "《关于春季学期教育收费专项检查情况的通报》（2026-04-20）"):
        assert words in text
    assert "未定期限" in pages["compliance.md"] and "已约谈学校负责人" in pages["compliance.md"]
    assert ALL_DONE not in pages["compliance.md"]
    finding = result.oversight.inspections[0].findings[0]
    assert finding.state(date(2099, 1, 1)) == "open" and finding.days_late(date(2099, 1, 1)) == 0
    row = tables.table("inspections").rows[0]
    assert row[:2] == ["", "某学校"] and row[9] is None and row[-2:] == ["关于春季学期教育收费专项检查情况的通报",
                                                                       date(2026, 4, 20)]
    assert [f.code for c in result.compliance for f in c.flags if f.code == "rectification_overdue"] == []


# -- "均已整改完成" only of something ------------------------------------------------------------

def _finding(resolved: date | None = None, due: date | None = None) -> Finding:
    return Finding((), "问题", "整改", due, resolved)


_SHAPES: list[tuple[tuple[Inspection, ...], str]] = [
    ((), "none_inspected"),
    ((Inspection((), "demo-school", date(2026, 4, 10)),), "nothing_found"),
    ((Inspection((), "", date(2026, 4, 10), school_name="某学校"),), "nothing_found"),
    ((Inspection((), "demo-school", None, findings=(_finding(date(2026, 5, 1)),)),), "all_done"),
    ((Inspection((), "demo-school", findings=(_finding(date(2026, 5, 1)), _finding())),), "open"),
    ((Inspection((), "demo-school", findings=(_finding(date(2027, 1, 1)),)),), "open"),  # resolved after today
    ((Inspection((), "demo-school", findings=(_finding(due=date(2026, 1, 1)),)),), "open"),
    ((Inspection((), "a"), Inspection((), "b", findings=(_finding(date(2026, 1, 2)),))), "all_done"),
]


@pytest.mark.parametrize(("inspections", "expected"), _SHAPES)
def test_all_rectified_is_never_said_of_nothing(inspections: tuple[Inspection, ...], expected: str) -> None:
    assert Oversight(inspections=inspections).rectified(TODAY) == expected


@pytest.mark.parametrize(("oversight", "said"), [
    ("", False),  # no oversight file at all
    ("complaints:\n  - {period: 2026-Q1, received: 3}\n", False),  # figures, but nothing inspected
    ("refunds:\n  - {school: demo-school, item: 资料费, amount: 300, completed: 2026-05-01, refunded: 300}\n", False),
    ("inspections:\n  - {school: demo-school, date: 2026-04-10, kind: 检查, organizer: 局, findings: []}\n", False),
    ("inspections:\n  - {school: demo-school, date: 2026-04-10, kind: 检查, organizer: 局, findings: "
     "[{finding: 问题, rectification: 整改, resolved: 2026-05-01}]}\n", True),
    ("inspections:\n  - {school: demo-school, date: 2026-04-10, kind: 检查, organizer: 局, findings: "
     "[{finding: 问题, rectification: 整改}]}\n", False),
])
def test_the_dashboard_says_all_rectified_only_when_something_was(tmp_path: Path, oversight: str, said: bool) -> None:
    _, pages, _ = _pages(tmp_path, oversight or "{}\n")
    assert (ALL_DONE in pages["compliance.md"]) is said
    if not said and "findings: []" in oversight:
        assert "本局公布的检查未发现问题" in pages["compliance.md"]
    elif not said and "inspections" not in oversight:
        assert "本局尚未公布检查情况" in pages["compliance.md"]


# -- Complaint figures for any period, with partial figures ------------------------------------

@pytest.mark.parametrize(("period", "label", "kind", "last_year"), [
    ("2026", "2026 年", "year", "2025"),
    ("2026-H1", "2026 年上半年", "half", "2025-H1"),
    ("2026-Q3", "2026 年第三季度", "quarter", "2025-Q3"),
    ("2024-12", "2024 年 12 月", "month", "2023-12"),
    ("2026-03", "2026 年 3 月", "month", "2025-03"),
    ("2024-03/2024-06", "2024 年 3 月至 6 月", "window", "2023-03/2023-06"),
    ("2025-09/2026-02", "2025 年 9 月至 2026 年 2 月", "window", "2024-09/2025-02"),
    ("2021/2025", "2021 年至 2025 年", "years", ""),
])
def test_every_kind_of_period_reads_in_words(period: str, label: str, kind: str, last_year: str) -> None:
    p = Period((), period)
    assert (p.label, p.kind, p.last_year) == (label, kind, last_year)


def test_periods_are_listed_newest_first_whole_year_before_its_parts() -> None:
    ids = ["2025-Q1", "2026-03", "2026", "2026-H1", "2021/2025", "2026-Q2", "2026-03/2026-06", "2025", "2026-H2"]
    ordered = Oversight(complaints=tuple(Period((), i) for i in ids)).ordered_periods()
    assert [p.period for p in ordered] == ["2026", "2026-H2", "2026-H1", "2026-Q2", "2026-03/2026-06", "2026-03",
                                           "2021/2025", "2025", "2025-Q1"]


# 安徽省教育厅通报 2010 年第二季度教育收费投诉情况（http://jfbook.com/announce.php?announce_id=105）：
# 全省查处 53 起，比去年同期 113 起减少 60 起；义务教育阶段学校 26 起，占 49%；高中阶段 23 起，占 43%；
# 高校 4 起，占 8%.
ANHUI_2010_Q2 = """\
complaints:
  - period: 2010-Q2
    received: 53
    same_period_last_year: 113
    areas:
      - {name: 义务教育阶段学校, count: 26, share: 49}
      - {name: 高中阶段学校, count: 23, share: 43}
      - {name: 高校, count: 4, share: 8}
"""
# One category only, no total (the shape "违规补课类 N 件，占总量的 x%"): the share stands as printed.
ONE_CATEGORY = """\
complaints:
  - period: 2025-03/2025-06
    partial: 是
    categories:
      - {name: 违规补课, count: 12, share: 35}
"""


def test_shares_are_computed_only_where_the_total_is_known(tmp_path: Path) -> None:
    _, pages, tables = _pages(tmp_path / "a", ANHUI_2010_Q2)
    text = pages["oversight.md"]
    assert "义务教育阶段学校 26 件，占 49.1%" in text and "比上年同期（113 件）减少 60 件，下降 53.1%" in text
    items = tables.table("complaint_items").rows
    assert [(r[4], r[6], r[7]) for r in items] == [("义务教育阶段学校", Decimal("49.1"), Decimal("49")),
                                                   ("高中阶段学校", Decimal("43.4"), Decimal("43")),
                                                   ("高校", Decimal("7.5"), Decimal("8"))]
    result, pages, tables = _pages(tmp_path / "b", ONE_CATEGORY)
    text = pages["oversight.md"]
    assert "通报未公布受理总数" in text and "违规补课 12 件（通报：占 35%）" in text and "（通报只列了部分）" in text
    assert "办结率" not in text.split("投诉举报受理和办理情况")[1].split("各期")[0]
    row = tables.table("complaints").rows[0]
    assert row[2] is None and row[6] is None and row[-2:] == ["几个月", "是"]
    assert tables.table("complaint_items").rows[0][6:] == [None, Decimal("35")]
    assert result.oversight.complaints[0].share(12, None) is None


@pytest.mark.parametrize(("share", "codes"), [("49", []), ("49.1", []), ("49.06", []), ("50", ["C906"]),
                                              ("49.2", ["C906"]), ("48", ["C906"])])
def test_a_printed_share_is_checked_at_its_own_precision(tmp_path: Path, share: str, codes: list[str]) -> None:
    text = ANHUI_2010_Q2.replace("count: 26, share: 49}", f"count: 26, share: {share}}}")
    assert _codes(_project(tmp_path, text)) == codes


@pytest.mark.parametrize(("fields", "codes"), [
    ("received: 10\n    partial: 是\n    categories: [{name: 违规补课, count: 4}]", []),
    ("received: 10\n    partial: 是\n    categories: [{name: 违规补课, count: 11}]", ["C905"]),
    ("received: 10\n    categories: [{name: 违规补课, count: 4}]", ["C901"]),
    ("partial: 是\n    categories: [{name: 违规补课, count: 400}]", []),  # no total: nothing to exceed
    ("categories: [{name: 违规补课, count: 4, share: 12.5}]", []),
    ("received: 10\n    partial: 是\n    channels: [{name: 12345 热线, count: 6}]\n    areas: [{name: 城区, count: 12}]",
     ["C905"]),
    ("received: 10\n    closed: 4\n    partial: 是\n    outcomes: [{name: 属实, count: 2, share: 50}]", []),
    ("received: 10\n    closed: 4\n    outcomes: [{name: 属实, count: 4, share: 40}]", ["C906"]),  # of the closed
])
def test_partial_figures_hold_on_any_subset(tmp_path: Path, fields: str, codes: list[str]) -> None:
    text = f"complaints:\n  - period: 2025-03/2025-06\n    {fields}\n"
    assert _codes(_project(tmp_path, text)) == codes


@pytest.mark.parametrize(("period", "codes"), [
    ("2025-03/2025-06", []), ("2021/2025", []), ("2025-09/2026-02", []), ("2025-12", []),
    ("2025-06/2025-03", ["C907"]), ("2025/2021", ["C907"]), ("2025-03/2025-03", ["C907"]),
    ("2024/2025-06", ["C907"]), ("2025-13", ["S116"]), ("2025-00", ["S116"]), ("2025-Q5", ["S116"]),
    ("2025-3", ["S116"]), ("2025-03/", ["S116"]), ("2025-03/2025-06/2025-09", ["S116"]),
])
def test_periods_of_any_length_are_accepted_and_must_read(tmp_path: Path, period: str, codes: list[str]) -> None:
    result = _project(tmp_path, f"complaints:\n  - {{period: \"{period}\", received: 4}}\n")
    assert _codes(result) == codes


def test_a_month_compared_with_the_same_month_last_year(tmp_path: Path) -> None:
    text = "complaints:\n  - {period: 2025-12, received: 468, closed: 422}\n  - {period: 2024-12, received: 400}\n"
    _, pages, tables = _pages(tmp_path, text)
    assert "2025 年 12 月" in pages["oversight.md"] and "比上年同期（400 件）增加 68 件，上升 17.0%" in pages["oversight.md"]
    assert tables.table("complaints").rows[0][6] == Decimal("90.2")  # 办结率 422 / 468, computed


def test_the_open_data_schema_version_was_bumped() -> None:
    assert SCHEMA_VERSION == "2.2"  # 2.1: these notices (issue 20b); 2.2: canteen statements (issue 20a) and reception days (issue 20d)


def test_refund_state_of_a_plain_open_refund_is_unchanged() -> None:
    refund = Refund((), "demo-school", "资料费", amount=Decimal(300), ordered=date(2026, 9, 1), due=date(2026, 10, 1))
    assert refund.state(TODAY) == "late" and refund.done_on is None


def test_the_school_page_shows_a_refund_returned_on_the_spot_and_a_finding_without_a_due_date(tmp_path: Path) -> None:
    text = ("inspections:\n  - {school: demo-school, date: 2026-04-10, kind: 收费专项检查, organizer: 示范县教育局, "
            "findings: [{finding: 在公示范围外收取资料费, rectification: 限期整改, notes: 已约谈校长}]}\n"
            "refunds:\n  - {school: demo-school, item: 资料费, on_the_spot: 是, notice_title: 专项检查通报, "
            "notice_date: 2026-04-20, notes: 当场退还}\n")
    result = _project(tmp_path, text)
    assert _codes(result) == []
    site = build_site(result)
    school = site.schools[0]
    page = html.unescape(re.sub(r"<[^>]+>", "", Renderer(site).render(school_src(school.county, school.id),
                                                                       school.url).html))
    for words in ("应清退 金额未公布", "《专项检查通报》（2026-04-20）", "发现时已退还", "当场退还", "限期整改（未定期限）",
                  "已约谈校长"):
        assert words in page
    assert "清退中" not in page and "逾期" not in page
