"""The money after the notice (issue 13): settlements, ordered refunds, inspections, complaint figures.

Real published tables are transcribed faithfully (source in a comment above each) and must pass the
checks with exactly the figures they state; the computed figures (办结率, year-on-year change, totals)
are compared with what the source itself printed. Lateness is a status, never an error.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from xiaowu.pages.chart import bars
from xiaowu.check.project import ProjectResult, check_project
from xiaowu.pages.site import build_site

POLICY = """\
authority: 示范市教育局
counties:
  - {id: demo, name: 示范县}
hotlines:
  - {name: 市教育局收费投诉电话, phone: 0710-3216000, kind: 教育局}
  - {name: 12345 政务服务便民热线, phone: 12345, kind: 政务服务}
terms:
  - {id: 2026-春, name: 2026 年春季学期, start: 2026-03-02, end: 2026-07-10, publish_by: 2026-02-20}
  - {id: 2026-秋, name: 2026 年秋季学期, start: 2026-09-01, end: 2027-01-22, publish_by: 2026-08-20}
catalog:
  - {item: 伙食费, category: 伙食费, stages: [小学, 初中], ownership: [公办], cap: 1600, unit: 元/生·学期,
     basis: {authority: 示范市教育局, document: 示教发〔2025〕7号}}
  - {item: 校服费, category: 代收费, stages: [小学, 初中], ownership: [公办], cap: 260, unit: 元/套,
     basis: {authority: 示范市教育局, document: 示教发〔2025〕7号}}
  - {item: 课后服务费, category: 服务性收费, stages: [小学, 初中], ownership: [公办], cap: 300, unit: 元/生·学期,
     basis: {authority: 示范市发展和改革委员会, document: 示发改收费〔2025〕21号}}
roster:
  - {id: demo-school, county: demo, name: 示范县实验学校}
"""

SCHOOL = """\
profile:
  name: 示范县实验学校
  county: 示范县
  ownership: 公办
  stages: [小学, 初中]
  boarding: 否
  address: 示范县城关镇学府路 1 号
  office_phone: 0710-1234567
  supervising_authority: 示范市教育局
hotlines:
  - {name: 学校收费监督电话, phone: 0710-1234568}
fee_disclosures:
  - term: 2026-春
    published: 2026-02-15
    valid_from: 2026-03-02
    valid_until: 2026-07-10
    channels: [校门口公示栏]
    items:
      - {item: 伙食费, category: 伙食费, amount: 1600, unit: 元/生·学期, scope: 在校就餐学生, voluntary: 是,
         basis: {authority: 示范市教育局, document: 示教发〔2025〕7号}}
      - {item: 校服费, category: 代收费, amount: 240, unit: 元/套, scope: 自愿订购校服的学生, voluntary: 是,
         settlement: 据实收取，多退少补, basis: {authority: 示范市教育局, document: 示教发〔2025〕7号}}
      - {item: 课后服务费, category: 服务性收费, amount: 300, unit: 元/生·学期, scope: 自愿参加课后服务的学生,
         voluntary: 是, basis: {authority: 示范市发展和改革委员会, document: 示发改收费〔2025〕21号}}
    reductions: 家庭经济困难学生免收课后服务费。
    complaint_channels: [学校收费监督电话, 市教育局收费投诉电话, 12345]
"""


def run(tmp_path: Path, settlements: str = "", oversight: str | None = None, policy_extra: str = "",
        today: date = date(2026, 11, 21)) -> ProjectResult:
    schools = tmp_path / "schools"
    (schools / "demo").mkdir(parents=True, exist_ok=True)
    (schools / "policy.yml").write_text(POLICY + policy_extra, "utf-8")
    (schools / "demo" / "demo-school.yml").write_text(SCHOOL + settlements, "utf-8")
    if oversight is not None:
        (schools / "oversight.yml").write_text(oversight, "utf-8")
    return check_project(schools, today=today, jobs=1)


def codes(result: ProjectResult) -> list[str]:
    return [f"{d.code} {d.line}:{d.column}" for d in result.diagnostics]


# -- real settlement tables ---------------------------------------------------------------------------

# 铜陵市第一中学江北分校 2025年11月份膳食经费管理公示（食堂性质：承包），公示 2025-12-10,
# http://tlyzjbfx.com/infodetail.aspx?PID=1468 — 伙食费收入 218259.58; 支出: 菜品 122081.52, 米/油 21666,
# 调味品 4887, 其他物料 11240, 水电费 3012; 管理费用: 办公费 9630.5, 工资 52,119.00, 维修费 430; 财务费用:
# 手续费 255.86; 营业利润 -7062.3. A month of a contracted canteen, entered as one settlement: the loss is
# a shortfall the contractor bears. 管理费用 and 手续费 are lawful for a 伙食费 (M803 is for 代收费 only).
TONGLING = """\
settlements:
  - term: 2026-春
    settled: 2026-07-20
    items:
      - item: 伙食费
        collected: 218259.58
        spending:
          - {purpose: 菜品支出, amount: 122081.52}
          - {purpose: 米/油支出, amount: 21666}
          - {purpose: 调味品支出, amount: 4887}
          - {purpose: 其他物料, amount: 11240}
          - {purpose: 水电费, amount: 3012}
          - {purpose: 管理费用·办公费, amount: 9630.5}
          - {purpose: 管理费用·工资, amount: 52119.00}
          - {purpose: 管理费用·维修费, amount: 430}
          - {purpose: 财务费用·手续费, amount: 255.86}
        shortfall: 7062.30
        shortfall_covered_by: 承包方承担（营业利润 -7062.3）
"""

# 嘉義縣中埔鄉頂六國民小學 104年1月份學校午餐費收支結算表, 2015-03-06,
# https://www.tlps.cyc.edu.tw/modules/tadnews/page.php?ncsn=12&nsn=2542 — 上月結存 160732; 本月午餐費 124416
# and 補繳以前月份午餐費 5430 (both collected from families, so one `collected` of 129846); 清寒學生補助費
# 26400 (other income); 支出: 主食 8194, 副食 102527, 食油 1320, 調味品 2190, 人事費 34406, 燃料費(水電) 30313,
# 雜支 2985 = 181935; 本月結存 135043; 合計 316978 on both sides. Traditional characters as published.
CHIAYI = """\
settlements:
  - term: 2026-春
    settled: 2026-07-20
    items:
      - item: 伙食费
        carried_in: 160732
        collected: 129846
        subsidy: 26400
        spending:
          - {purpose: 主食, amount: 8194}
          - {purpose: 副食, amount: 102527}
          - {purpose: 食油, amount: 1320}
          - {purpose: 調味品, amount: 2190}
          - {purpose: 人事費, amount: 34406}
          - {purpose: 燃料費(水電), amount: 30313}
          - {purpose: 雜支, amount: 2985}
        carried: 135043
        notes: 本月午餐費 124416 元，補繳以前月份午餐費 5430 元。
"""


def test_tongling_canteen_month_passes_with_its_loss_as_a_shortfall(tmp_path: Path) -> None:
    result = run(tmp_path, TONGLING)
    assert codes(result) == []
    item = result.schools[0].data.settlements[0].items[0]  # type: ignore[union-attr]
    assert item.spent == Decimal("225321.88") and item.balance == 0
    assert item.income - item.shortfall == Decimal("218259.58")  # type: ignore[operator]


def test_tongling_without_the_shortfall_is_reported_with_the_difference(tmp_path: Path) -> None:
    text = TONGLING.replace("        shortfall: 7062.30\n", "")
    result = run(tmp_path, text)
    # Who covers a deficit is said only where the figures show one (M819, a warning).
    assert [d.code for d in result.diagnostics] == ["M801", "M819"]
    m801 = next(d for d in result.diagnostics if d.code == "M801")
    assert "支出多 7,062.30 元" in m801.message and "218,259.58" in m801.message


def test_chiayi_lunch_carries_its_balance_only_where_the_bureau_allows(tmp_path: Path) -> None:
    refused = run(tmp_path, CHIAYI)
    assert [d.code for d in refused.diagnostics] == ["M802"]
    allowed = run(tmp_path, CHIAYI, policy_extra="settlement:\n  carry_over: [伙食费]\n")
    assert codes(allowed) == []
    item = allowed.schools[0].data.settlements[0].items[0]  # type: ignore[union-attr]
    assert item.income == Decimal(316978) and item.spent == Decimal(181935)  # both sides of the 合計 row


# -- real complaint figures and refunds ---------------------------------------------------------------

# 岳阳市治理办 岳治教费办〔2014〕2号《2014年第一季度教育收费举报及办理情况通报》,
# https://edu.yueyang.gov.cn/22483/22518/content_1253937.html — 13 件 (未含电话督办类 9 件、12345 公众热线 3 件):
# 教育部批转 2, 省治理办·省教育阳光服务中心批转 5, 市治理办 6; 平江县 3, 岳阳楼区 2, 岳阳经开区 2, 岳阳县 1,
# 华容县 1, 云溪区 1, 市直学校 3; 违规补课收费 5, 服务性收费和代收费不规范 6, 强制或变相强制征订教辅资料 2;
# 已办结 10, 尚在办理 3; 属实 4, 部分属实 1, 不属实 5; 总数与去年同季度持平 (13).
YUEYANG = """\
complaints:
  - period: 2014-Q1
    received: 13
    channels:
      - {name: 教育部批转, count: 2}
      - {name: 省治理办、省教育阳光服务中心批转, count: 5}
      - {name: 市治理办, count: 6}
    categories:
      - {name: 违规补课收费, count: 5}
      - {name: 服务性收费和代收费不规范, count: 6}
      - {name: 强制性或变相强制性征订教辅资料, count: 2}
    areas:
      - {name: 平江县, count: 3}
      - {name: 岳阳楼区, count: 2}
      - {name: 岳阳经开区, count: 2}
      - {name: 岳阳县, count: 1}
      - {name: 华容县, count: 1}
      - {name: 云溪区, count: 1}
      - {name: 市直学校, count: 3}
    closed: 10
    in_progress: 3
    outcomes:
      - {name: 属实, count: 4}
      - {name: 部分属实, count: 1}
      - {name: 不属实, count: 5}
    same_period_last_year: 13
    document: 岳治教费办〔2014〕2号
    source_url: https://edu.yueyang.gov.cn/22483/22518/content_1253937.html
    notes: 截止 3 月 28 日。未含电话督办类举报 9 件、12345 公众热线举报 3 件。
"""

# 安徽省教育厅 2010 年第二季度教育收费投诉情况 (reported 2010-07-13, http://jfbook.com/announce.php?announce_id=105):
# 全省查处 53 起，比去年同期 113 起减少 60 起，减幅 53%; 义务教育阶段 26 起 (教辅资料 12, 补课费 4, 校服费 4,
# 水电费 3, 收费无票据 2, 捐资助学款 1); 高中阶段 23 起; 高校 4 起 (均为高职院校). A nested breakdown that adds up.
ANHUI = """\
complaints:
  - period: 2010-Q2
    received: 53
    same_period_last_year: 113
    categories:
      - name: 义务教育阶段学校
        count: 26
        parts:
          - {name: 征订教辅资料过多过滥, count: 12}
          - {name: 收取补课费（包括寒假收费补课）, count: 4}
          - {name: 收取校服费, count: 4}
          - {name: 收取水电费, count: 3}
          - {name: 收费无票据, count: 2}
          - {name: 收取捐资助学款, count: 1}
      - {name: 高中阶段学校, count: 23}
      - {name: 高校（均为高职院校）, count: 4}
"""

# 人民网 2021-11-01《全国治理教育乱收费部际联席会议办公室通报6起学校违规收费典型问题查处情况》,
# http://edu.people.com.cn/n1/2021/1101/c1006-32270594.html — 四川省射洪市柳树中学: 566 名学生, 每生三年共计
# 收取 5998 元, "目前，该校对违规收取的费用已全部清退". The source dates neither the order nor the refund; the
# 通报's date stands for both (the refund was complete by then).
LIUSHU = """\
refunds:
  - school: demo-school
    item: 睿易云教学系统 APP 费用
    reason: 强制或者暗示学生及家长购买指定的教辅软件（平板教学）
    source: 全国治理教育乱收费部际联席会议办公室通报
    amount: 3394868
    students: 566
    ordered: 2021-11-01
    document: 6起学校违规收费典型问题查处情况通报
    completed: 2021-11-01
    refunded: 3394868
    notes: 每生三年共计收取 5998 元，已全部清退。
"""


def test_yueyang_quarter_adds_up_and_its_rate_is_computed(tmp_path: Path) -> None:
    result = run(tmp_path, oversight=YUEYANG)
    assert codes(result) == []
    period = result.oversight.complaints[0]
    assert period.label == "2014 年第一季度" and period.rate == Decimal("76.9")  # 10 of 13
    change = result.oversight.change(period)
    assert change is not None and change.words == "与上年同期（13 件）持平"  # "总数与去年同季度持平"


def test_anhui_quarter_nested_categories_and_the_fall_the_bureau_reported(tmp_path: Path) -> None:
    result = run(tmp_path, oversight=ANHUI)
    assert codes(result) == []
    change = result.oversight.change(result.oversight.complaints[0])
    # The bureau wrote "减少60起，减幅53%": the site's figure rounds the same way, to one decimal.
    assert change is not None and change.words == "比上年同期（113 件）减少 60 件，下降 53.1%"


def test_anhui_with_a_miscounted_sub_category_is_an_error(tmp_path: Path) -> None:
    result = run(tmp_path, oversight=ANHUI.replace("收费无票据, count: 2", "收费无票据, count: 3"))
    assert [d.code for d in result.diagnostics] == ["C901"]
    assert "各小类合计 27 件，与该类 26 件不符" in result.diagnostics[0].message


def test_liushu_refund_passes_and_is_done(tmp_path: Path) -> None:
    result = run(tmp_path, oversight=LIUSHU)
    assert codes(result) == []
    refund = result.oversight.refunds[0]
    assert refund.amount == Decimal(566 * 5998) and refund.state(date(2026, 11, 21)) == "done"
    assert [f.code for f in result.compliance[0].flags] == ["settlement_overdue"]  # the school's own, not the refund


# -- lateness is a status, never an error -------------------------------------------------------------

SETTLED = """\
settlements:
  - term: 2026-春
    settled: {day}
    items:
      - {{item: 伙食费, students: 100, collected: 160000, spending: [{{purpose: 食材, amount: 160000}}]}}
      - {{item: 校服费, students: 100, collected: 24000, spending: [{{purpose: 校服采购, amount: 23000}}], refunded: 1000}}
{more}"""
AFTER_SCHOOL = "      - {item: 课后服务费, students: 100, collected: 30000, spending: [{purpose: 教师补助, amount: 30000}]}\n"


def flags(result: ProjectResult) -> list[tuple[str, str]]:
    return [(f.code, f.reason) for c in result.compliance for f in c.flags]


def test_settled_on_time_raises_nothing(tmp_path: Path) -> None:
    result = run(tmp_path, SETTLED.format(day="2026-07-25", more=AFTER_SCHOOL))
    assert codes(result) == [] and flags(result) == []


def test_no_settlement_after_the_deadline_is_a_status_not_an_error(tmp_path: Path) -> None:
    before = run(tmp_path, today=date(2026, 8, 9))  # the deadline: 2026-07-10 + 30 days
    assert flags(before) == []
    result = run(tmp_path, today=date(2026, 8, 10))
    assert result.errors == 0 and not result.failed()
    assert flags(result) == [("settlement_overdue", "2026 年春季学期收费结算逾期 1 天未公示（应在 2026-08-09 前）")]


def test_a_missing_item_and_a_late_settlement_are_both_named(tmp_path: Path) -> None:
    result = run(tmp_path, SETTLED.format(day="2026-08-15", more=""))
    assert result.errors == 0
    assert [code for code, _ in flags(result)] == ["settlement_overdue", "settlement_overdue"]
    reasons = " ".join(reason for _, reason in flags(result))
    assert "课后服务费未结算" in reasons and "2026-08-15 结算公示，逾期 6 天" in reasons


def test_the_policy_sets_the_deadline(tmp_path: Path) -> None:
    late = SETTLED.format(day="2026-07-25", more=AFTER_SCHOOL)
    result = run(tmp_path, late, policy_extra="settlement:\n  deadline_days: 10\n")
    assert [code for code, _ in flags(result)] == ["settlement_overdue"]
    assert "应在 2026-07-20 前" in flags(result)[0][1]


def test_a_settlement_dated_after_the_build_day_does_not_count(tmp_path: Path) -> None:
    result = run(tmp_path, SETTLED.format(day="2026-12-30", more=AFTER_SCHOOL))
    assert "未公示" in flags(result)[0][1]
    site = build_site(result)
    assert site.schools[0].settlements == ()  # not shown as settled either


REFUND_AND_FINDING = """\
inspections:
  - school: demo-school
    date: 2026-09-10
    kind: 收费专项检查
    organizer: 示范市教育局
    findings:
      - {{finding: 在公示范围外收取资料费, rectification: 停止收取，全额清退, due: 2026-10-10{resolved}}}
refunds:
  - {{school: demo-school, item: 资料费, amount: 9060, students: 302, ordered: 2026-09-15, document: 示教函〔2026〕12号,
     due: 2026-10-31{completed}}}
"""


def test_unfinished_refund_and_rectification_past_their_deadlines(tmp_path: Path) -> None:
    open_ = run(tmp_path, oversight=REFUND_AND_FINDING.format(resolved="", completed=""), today=date(2026, 11, 21))
    assert open_.errors == 0
    assert [code for code, _ in flags(open_)] == ["settlement_overdue", "refund_overdue", "rectification_overdue"]
    assert "应清退 9,060 元，逾期 21 天未完成（期限 2026-10-31，示教函〔2026〕12号）" in flags(open_)[1][1]
    within = run(tmp_path, oversight=REFUND_AND_FINDING.format(resolved="", completed=""), today=date(2026, 10, 9))
    assert [code for code, _ in flags(within)] == ["settlement_overdue"]
    done = run(tmp_path, oversight=REFUND_AND_FINDING.format(resolved=", resolved: 2026-10-08",
                                                              completed=", completed: 2026-10-20, refunded: 9060"))
    assert [code for code, _ in flags(done)] == ["settlement_overdue"]


def test_a_refund_completed_in_the_future_is_not_done(tmp_path: Path) -> None:
    result = run(tmp_path, oversight=REFUND_AND_FINDING.format(resolved=", resolved: 2026-12-08",
                                                                completed=", completed: 2026-12-20, refunded: 9060"))
    assert [code for code, _ in flags(result)] == ["settlement_overdue", "refund_overdue", "rectification_overdue"]


def test_a_roster_school_without_a_file_still_shows_its_late_refund(tmp_path: Path) -> None:
    text = REFUND_AND_FINDING.format(resolved="", completed="").replace("school: demo-school", "school: demo-late")
    result = run(tmp_path, oversight=text, policy_extra="")
    assert [d.code for d in result.diagnostics] == ["M813", "M813"]  # not on the roster: an error
    roster = POLICY.replace("roster:\n", "roster:\n  - {id: demo-late, county: demo, name: 示范县迟交学校}\n")
    (tmp_path / "schools" / "policy.yml").write_text(roster, "utf-8")
    result = check_project(tmp_path / "schools", today=date(2026, 11, 21), jobs=1)
    missing = next(c for c in result.compliance if c.school_id == "demo-late")
    assert missing.status == "missing" and {f.code for f in missing.flags} == {"refund_overdue", "rectification_overdue"}


# -- charts ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("label", ["<script>alert(1)</script>", "\" onload=\"alert(1)", "]]><svg onload=alert(1)>"])
def test_chart_labels_are_text(label: str) -> None:
    for svg in (bars([(label, 3), ("其他", 1)], label), bars([(label, 3), ("2026 年第一季度", 1)], label)):
        assert "<script" not in svg and "onload=" not in svg.replace("onload=&#34;", "").replace("&lt;svg onload=", "")
        assert svg.count("<svg") == 1 and svg.count("<rect") == 2


def test_bar_lengths_follow_the_values() -> None:
    svg = str(bars([("甲", 6), ("乙", 3), ("丙", 0)], "t"))
    widths = [int(part.split('"')[0]) for part in svg.split('width="')[2:]]  # after the <svg width>
    assert widths[0] == 2 * widths[1] and widths[2] == 1


def test_the_clerk_guide_example_passes_the_checks(tmp_path: Path) -> None:
    """What the guide teaches must pass: no trailing comments, figures that add up."""
    guide = (Path(__file__).resolve().parents[1] / "docs" / "clerks.md").read_text("utf-8")
    start = guide.index("```yaml\nsettlements:") + len("```yaml\n")
    example = guide[start:guide.index("```", start)]
    result = run(tmp_path, example, policy_extra="settlement:\n  carry_over: [伙食费]\n")
    assert codes(result) == []
    assert [f.code for c in result.compliance for f in c.flags] == ["settlement_overdue"]  # 课后服务费 not settled


def test_check_reports_flags_after_the_findings_in_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from xiaowu.cli import main

    run(tmp_path, oversight=REFUND_AND_FINDING.format(resolved="", completed=""))
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--today", "2026-11-21"]) == 0  # late is not wrong: the exit code says "no problems"
    text = capsys.readouterr().out
    assert "需要关注（不算错误）：结算逾期 1，清退逾期 1，整改逾期 1。" in text
    assert main(["check", "--today", "2026-11-21", "--format", "json"]) == 0
    flags = json.loads(capsys.readouterr().out)["compliance"][0]["flags"]
    assert [f["code"] for f in flags] == ["settlement_overdue", "refund_overdue", "rectification_overdue"]
