"""Canteen accounts (伙食费) as schools publish them (issue 20, part 1).

Real monthly canteen statements are transcribed faithfully below (source in a comment above each;
dates moved into the test calendar, figures as printed) and checked with and without the bureau's
per-category rules: a monthly deadline, a margin limit computed from the figures, and spending that
may not be charged to the fee. A month's statement is not the term's settlement.
"""
from __future__ import annotations

import csv
import html
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from xiaowu.check.project import ProjectResult, check_project
from xiaowu.pages.render import Renderer
from xiaowu.pages.site import Site, build_site
from xiaowu.pages.urls import school_src
from xiaowu.publish.tables import SCHEMA_VERSION, SETTLEMENT_COLUMNS, Tables, data_page

REPO = Path(__file__).resolve().parents[1]

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
roster:
  - {id: demo-school, county: demo, name: 示范县实验学校}
"""
#: The bureau's canteen rules (as in the kindergarten statements' own footer: published by the 15th of
#: the next month, cumulative surplus or deficit at most 2 %), plus a province's not-chargeable list.
RULES = """\
settlement:
  carry_over: [伙食费]
  categories:
    - applies_to: 伙食费
      monthly_due_day: 15
      margin_limit: 2
      not_chargeable: [工资, 人员经费, 管理费, 手续费]
"""
CARRY_ONLY = "settlement:\n  carry_over: [伙食费]\n"
#: The same without the not-chargeable list (findings of it are errors, and a school with errors is not published).
LIMITS = "settlement:\n  carry_over: [伙食费]\n  categories:\n    - {applies_to: 伙食费, monthly_due_day: 15, margin_limit: 2}\n"

NOTICE = """\
  - term: {term}
    published: {published}
    valid_from: {start}
    valid_until: {end}
    channels: [校门口公示栏]
    items:
      - {{item: 伙食费, category: 伙食费, amount: 1600, unit: 元/生·学期, scope: 在校就餐学生, voluntary: 是,
         basis: {{authority: 示范市教育局, document: 示教发〔2025〕7号}}}}
    reductions: 家庭经济困难学生在校就餐给予生活补助。
    complaint_channels: [市教育局收费投诉电话, 12345]
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
""" + NOTICE.format(term="2026-秋", published="2026-08-15", start="2026-09-01", end="2027-01-22") + NOTICE.format(
    term="2026-春", published="2026-02-15", start="2026-03-02", end="2026-07-10")


def run(tmp_path: Path, settlements: str = "", policy_extra: str = "", today: date = date(2026, 11, 21)) -> ProjectResult:
    schools = tmp_path / "schools"
    (schools / "demo").mkdir(parents=True, exist_ok=True)
    (schools / "policy.yml").write_text(POLICY + policy_extra, "utf-8")
    (schools / "demo" / "demo-school.yml").write_text(SCHOOL + settlements, "utf-8")
    return check_project(schools, today=today, jobs=1)


def codes(result: ProjectResult) -> list[str]:
    return [d.code for d in result.diagnostics]


def flags(result: ProjectResult) -> list[tuple[str, str]]:
    return [(f.code, f.reason) for c in result.compliance for f in c.flags]


# -- real statements ------------------------------------------------------------------------------------

# 幼儿园2024年10月儿童伙食收支明细表（2024-10-31），http://www.jlyey.xbjyfw.cn/html/article6516107.html —
# 161人 × 10.5元/天 × 19天 + 2人 × 3.4元/天 × 19天 = 32119.5 + 129.2 = 32248.7 (合计); 本月实际支出: 粮食 1044,
# 油 576, 调味品 714.6, 荤食 9327.24, 蔬菜 4305.85, 豆制品 310.46, 糯米面 423.45, 干豆类 213.3, 点心 2177.28,
# 牛奶 3648, 水果 3992.22, 电费 0, 水费 0, 幼儿退款 1858.5, 人员经费 2900, 手续费2 3.6 = 31494.5 (小计);
# 上月累计结余 131.89, 本月结余 754.2, 本月累计结余 886.09, printed "盈 2.30%"; its footer: 每月在下月15日前
# 向家长公布, 每月累计盈亏不超过2%. Computed: 886.09 ÷ 32248.7 = 2.75 %: over the limit and not what it printed.
KG_2024_10 = """\
settlements:
  - term: 2026-秋
    month: 2026-10
    settled: 2026-10-31
    items:
      - item: 伙食费
        carried_in: 131.89
        collected: 32248.7
        spending:
          - {purpose: 粮食, amount: 1044}
          - {purpose: 油, amount: 576}
          - {purpose: 调味品, amount: 714.6}
          - {purpose: 荤食, amount: 9327.24}
          - {purpose: 蔬菜, amount: 4305.85}
          - {purpose: 豆制品, amount: 310.46}
          - {purpose: 糯米面, amount: 423.45}
          - {purpose: 干豆类, amount: 213.3}
          - {purpose: 点心, amount: 2177.28}
          - {purpose: 牛奶, amount: 3648}
          - {purpose: 水果, amount: 3992.22}
          - {purpose: 电费, amount: 0}
          - {purpose: 水费, amount: 0}
          - {purpose: 幼儿退款, amount: 1858.5}
          - {purpose: 人员经费, amount: 2900}
          - {purpose: 手续费2, amount: 3.6}
        carried: 886.09
        meals:
          - {diners: 161, days: 19, standard: 10.5}
          - {diners: 2, days: 19, standard: 3.4}
        printed_margin: 2.30
"""

# 幼儿园2022年3月儿童伙食收支明细表（2022-03-30，发布 2022-06-10），
# http://www.jlyey.xbjyfw.cn/html/article5416563.html — 228人 × 8.4元/天 × 23天, 合计 44049.6; 支出: 粮食 1200,
# 油 546, 点心 1619.5, 荤食 5134, 蔬菜 1493, 豆制品 99, 干豆类 40, 调味品 781.5, 牛奶 2160, 水果 710.5,
# 电费 1722.2, 水费 345.8, 幼儿退款 28408.8 = 44260.3; 上月累计结余 326.4, 本月结余 -210.7, 本月累计结余 115.7,
# printed "盈 0.26%" (= 115.7 ÷ 44049.6). A month with a loss inside a cumulative surplus.
KG_2022_03 = """\
settlements:
  - term: 2026-春
    month: 2026-03
    settled: 2026-03-30
    published: 2026-04-10
    items:
      - item: 伙食费
        carried_in: 326.4
        collected: 44049.6
        spending:
          - {purpose: 粮食, amount: 1200}
          - {purpose: 油, amount: 546}
          - {purpose: 点心, amount: 1619.5}
          - {purpose: 荤食, amount: 5134}
          - {purpose: 蔬菜, amount: 1493}
          - {purpose: 豆制品, amount: 99}
          - {purpose: 干豆类, amount: 40}
          - {purpose: 调味品, amount: 781.5}
          - {purpose: 牛奶, amount: 2160}
          - {purpose: 水果, amount: 710.5}
          - {purpose: 电费, amount: 1722.2}
          - {purpose: 水费, amount: 345.8}
          - {purpose: 幼儿退款, amount: 28408.8}
        carried: 115.7
        meals:
          - {diners: 228, days: 23, standard: 8.4}
        printed_margin: 0.26
        notes: 实际上课9天，因疫情放假14天。
"""

# 铜陵市第一中学江北分校 2025年11月份膳食经费管理公示（食堂性质：承包），公示 2025-12-10,
# http://tlyzjbfx.com/infodetail.aspx?PID=1468 — 本月金额 / 本年累计金额: 伙食费收入 218259.58 / 701081.27;
# 菜品 122081.52 / 343907.39, 米/油 21666 / 63684, 调味品 4887 / 16518, 其他物料 11240 / 48246.5,
# 水电费 3012 / 9673.5; 管理费用: 办公费 9630.5 / 36363.67, 工资 52,119.00 / 185211.44, 维修费 430 / 430,
# 其他 — / 4011; 财务费用: 手续费 255.86 / 491.16; 营业利润 -7062.3 / -7455.39; 营业利润率 -3.24% / -1.06%;
# "本表于每月15日前公示". The month's loss is this period's deficit; who bears it the table does not say.
TONGLING = """\
settlements:
  - term: 2026-春
    month: 2026-05
    settled: 2026-05-31
    published: 2026-06-10
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
        term_to_date:
          collected: 701081.27
          spending:
            - {purpose: 菜品支出, amount: 343907.39}
            - {purpose: 米/油支出, amount: 63684}
            - {purpose: 调味品支出, amount: 16518}
            - {purpose: 其他物料, amount: 48246.5}
            - {purpose: 水电费, amount: 9673.5}
            - {purpose: 管理费用·办公费, amount: 36363.67}
            - {purpose: 管理费用·工资, amount: 185211.44}
            - {purpose: 管理费用·维修费, amount: 430}
            - {purpose: 管理费用·其他, amount: 4011}
            - {purpose: 财务费用·手续费, amount: 491.16}
        printed_margin: 1.06
"""

# 南京市东郊小镇小学2023年春学期食堂财务情况（收支盈亏表，2023-07-31，发布 2023/7/31），
# http://djxzxx.jnjy.net.cn/NewShow-4566.aspx — 本学期数: 学生伙食收入 2,087,580.00; 学生伙食支出
# 2,070,052.33; 学生伙食本期盈余 17,527.67; 学生伙食本期盈余率 0.84%. The students' part of a term's own
# settlement (the staff canteen is not a fee); where the surplus goes the table does not say, so it is
# the balance carried on (the bureau here lets 伙食费 carry over).
NANJING = """\
settlements:
  - term: 2026-春
    settled: 2026-07-31
    items:
      - item: 伙食费
        collected: 2087580.00
        spending:
          - {purpose: 学生伙食支出, amount: 2070052.33}
        carried: 17527.67
        printed_margin: 0.84
"""

# 学校餐厅期末结算公示, http://www.elolivoastoria.com/NewShow-2128.aspx — per student of each kind, no
# totals: 中午一餐 6.5×121 = 786.5, 实收 780, 应补 6.5 (高三 6.5×145 = 942.5, 实收 930, 应补 12.5); 中晚两餐
# 6.5×(121+145) = 1729, 实收 1710, 应补 19 (高三 1885, 1860, 应补 25); 寄宿生三餐 2309, 实收 2290, 应补 19
# (高三 2465, 应补 175); 实补费用 0 元/人 ("应补差额较小……予以免除").
PER_STUDENT = """\
settlements:
  - term: 2026-春
    settled: 2026-07-20
    items:
      - item: 伙食费
        per_student:
          - {kind: 中午一餐, meal_days: 121, consumed: 786.5, paid: 780, owed: 6.5}
          - {kind: 中午一餐（高三）, meal_days: 145, consumed: 942.5, paid: 930, owed: 12.5}
          - {kind: 中晚两餐, consumed: 1729, paid: 1710, owed: 19}
          - {kind: 中晚两餐（高三）, consumed: 1885, paid: 1860, owed: 25}
          - {kind: 寄宿生三餐, consumed: 2309, paid: 2290, owed: 19}
          - {kind: 寄宿生三餐（高三）, consumed: 2465, paid: 2290, owed: 175}
        notes: 结算后因应补差额较小，高三寄宿生人数较少，经研究决定，予以免除，不再补交。
"""


def item_of(result: ProjectResult, index: int = 0):  # type: ignore[no-untyped-def]
    return result.schools[0].data.settlements[index].items[0]  # type: ignore[union-attr]


def test_kindergarten_october_adds_up_but_prints_a_rate_its_figures_do_not_give(tmp_path: Path) -> None:
    plain = run(tmp_path, KG_2024_10, CARRY_ONLY)
    assert codes(plain) == ["M816"]  # a warning: the table is lawful without the bureau's rules
    item = item_of(plain)
    assert item.balance == 0 and item.spent == Decimal("31494.50")
    assert item.margin_rate == Decimal("2.75") and [m.product for m in item.meals] == [Decimal("32119.5"), Decimal("129.2")]
    m816 = plain.diagnostics[0]
    assert "2.30%" in m816.message and "2.75%" in m816.message and "886.09" in m816.message


def test_kindergarten_october_under_the_bureaus_rules(tmp_path: Path) -> None:
    result = run(tmp_path, KG_2024_10, RULES)
    assert sorted(codes(result)) == ["M814", "M814", "M815", "M816"]
    charged = [d.message for d in result.diagnostics if d.code == "M814"]
    assert "人员经费" in charged[0] and "手续费2" in charged[1]
    limits = run(tmp_path, KG_2024_10, LIMITS)
    assert codes(limits) == ["M815", "M816"]  # warnings: published, and flagged on the dashboard
    assert flags(limits)[1:] == [("monthly_overdue", "伙食费 2026 年 9 月收支逾期 37 天未公示（应在 2026-10-15 前）"),
                             ("margin_exceeded", "伙食费 2026 年 10 月盈亏率 2.75%，超过本局规定的 2%")]


def test_kindergarten_march_passes_and_its_printed_rate_is_the_computed_one(tmp_path: Path) -> None:
    result = run(tmp_path, KG_2022_03, RULES, today=date(2026, 4, 12))
    assert codes(result) == [] and flags(result) == []
    assert item_of(result).margin_rate == Decimal("0.26")


def test_tongling_month_with_the_years_figures(tmp_path: Path) -> None:
    plain = run(tmp_path, TONGLING, CARRY_ONLY, today=date(2026, 6, 12))
    assert codes(plain) == []  # no coverer is needed for a month's deficit; 1.06 is the computed rate
    item = item_of(plain)
    assert item.term_to_date.result == Decimal("-7455.39") and item.margin_rate == Decimal("-1.06")
    ruled = run(tmp_path, TONGLING, RULES, today=date(2026, 6, 12))
    assert codes(ruled) == ["M814"] * 4  # 办公费, 工资, 维修费 under 管理费用, and 手续费


def test_tongling_month_alone_is_over_the_limit(tmp_path: Path) -> None:
    month_only = TONGLING.split("        term_to_date:")[0]
    result = run(tmp_path, month_only, "settlement:\n  categories:\n    - {applies_to: 伙食费, margin_limit: 2}\n",
                 today=date(2026, 6, 12))
    assert codes(result) == ["M815"] and item_of(result).margin_rate == Decimal("-3.24")
    assert "亏损 7,062.30 元" in result.diagnostics[0].message


def test_nanjing_term_settlement_rate(tmp_path: Path) -> None:
    result = run(tmp_path, NANJING, RULES, today=date(2026, 8, 1))
    assert codes(result) == [] and item_of(result).margin_rate == Decimal("0.84")


def test_per_student_accounts_without_totals_or_names(tmp_path: Path) -> None:
    result = run(tmp_path, PER_STUDENT, CARRY_ONLY, today=date(2026, 8, 1))
    assert codes(result) == []
    wrong = PER_STUDENT.replace("paid: 1710, owed: 19", "paid: 1710, owed: 9")
    assert codes(run(tmp_path, wrong, CARRY_ONLY, today=date(2026, 8, 1))) == ["M818"]


# -- a month's statement is not the term's settlement ------------------------------------------------

MONTHS_ONLY = "".join(f"""\
  - term: 2026-春
    month: 2026-{m:02d}
    settled: 2026-{m:02d}-28
    items:
      - {{item: 伙食费, collected: 1000, spending: [{{purpose: 食材, amount: 1000}}]}}
""" for m in (3, 4, 5, 6, 7))


def test_monthly_statements_do_not_settle_the_term(tmp_path: Path) -> None:
    result = run(tmp_path, "settlements:\n" + MONTHS_ONLY, CARRY_ONLY, today=date(2026, 8, 20))
    assert codes(result) == []
    assert [c for c, _ in flags(result)] == ["settlement_overdue"]
    assert "2026 年春季学期收费结算逾期 11 天未公示" in flags(result)[0][1]
    term_end = "  - term: 2026-春\n    settled: 2026-08-01\n    items:\n" \
               "      - {item: 伙食费, collected: 5000, spending: [{purpose: 食材, amount: 5000}]}\n"
    settled = run(tmp_path, "settlements:\n" + term_end + MONTHS_ONLY, CARRY_ONLY, today=date(2026, 8, 20))
    assert codes(settled) == [] and flags(settled) == []


@pytest.mark.parametrize(("extra", "code"), [
    ("    month: 2026-03\n", "S115"),            # the same month twice
    ("    month: 2026-10\n", "S131"),            # a month of another term
    ("    month: 2026-04\n    start: 2026-04-01\n    end: 2026-04-30\n", "S131"),
    ("    start: 2026-03-01\n", "S131"),
    ("    start: 2026-04-30\n    end: 2026-04-01\n", "S131"),
    ("    start: 2026-08-01\n    end: 2026-08-31\n", "S131"),
    ("    month: 2026-13\n", "S116"),            # the schema's own format check
])
def test_periods_written_wrongly(tmp_path: Path, extra: str, code: str) -> None:
    first = "  - term: 2026-春\n    month: 2026-03\n    settled: 2026-03-31\n    items:\n" \
            "      - {item: 伙食费, collected: 10, spending: [{purpose: 食材, amount: 10}]}\n"
    second = "  - term: 2026-春\n" + extra + "    settled: 2026-04-30\n    items:\n" \
             "      - {item: 伙食费, collected: 10, spending: [{purpose: 食材, amount: 10}]}\n"
    found = codes(run(tmp_path, "settlements:\n" + first + second, CARRY_ONLY))
    assert code in found or (code == "S116" and found and found[0].startswith("S1")), found


@pytest.mark.parametrize("span", ["    month: 2026-04\n", "    start: 2026-04-01\n    end: 2026-04-30\n",
                                  "    start: 2026-03-02\n    end: 2026-07-10\n", "    month: 2026-07\n"])
def test_periods_inside_the_term_pass_beside_the_terms_settlement(tmp_path: Path, span: str) -> None:
    text = ("settlements:\n  - term: 2026-春\n    settled: 2026-07-20\n    items:\n"
            "      - {item: 伙食费, collected: 10, spending: [{purpose: 食材, amount: 10}]}\n"
            "  - term: 2026-春\n" + span + "    settled: 2026-07-10\n    items:\n"
            "      - {item: 伙食费, collected: 10, spending: [{purpose: 食材, amount: 10}], carried: 0}\n")
    assert codes(run(tmp_path, text, CARRY_ONLY)) == []


# -- the monthly deadline -------------------------------------------------------------------------------

def _month(month: str, published: str) -> str:
    return (f"  - term: 2026-秋\n    month: {month}\n    settled: {published}\n    published: {published}\n"
            "    items:\n      - {item: 伙食费, collected: 100, spending: [{purpose: 食材, amount: 100}]}\n")


@pytest.mark.parametrize(("day", "statements", "expected"), [
    (15, [("2026-09", "2026-10-15"), ("2026-10", "2026-11-15")], []),
    (15, [("2026-09", "2026-10-16"), ("2026-10", "2026-11-10")], ["伙食费 2026 年 9 月收支 2026-10-16 公示，逾期 1 天"]),
    (15, [("2026-09", "2026-10-01")], ["伙食费 2026 年 10 月收支逾期 6 天未公示"]),
    (10, [("2026-09", "2026-10-01")], ["伙食费 2026 年 10 月收支逾期 11 天未公示"]),
    (31, [("2026-09", "2026-10-31")], []),      # 31st of a 30-day November: the month's last day, not yet due
    (15, [], ["伙食费 2026 年 9 月收支逾期 37 天未公示", "伙食费 2026 年 10 月收支逾期 6 天未公示"]),
])
def test_monthly_statements_are_due_by_the_bureaus_day(tmp_path: Path, day: int, statements: list[tuple[str, str]],
                                                       expected: list[str]) -> None:
    text = "settlements:\n" + "".join(_month(m, p) for m, p in statements) if statements else ""
    rules = f"settlement:\n  categories:\n    - {{applies_to: 伙食费, monthly_due_day: {day}}}\n"
    result = run(tmp_path, text, rules)
    assert codes(result) == []
    got = [reason for code, reason in flags(result) if code == "monthly_overdue"]
    assert len(got) == len(expected) and all(g.startswith(e) for g, e in zip(got, expected)), got


def test_a_range_covers_its_months_and_no_rule_means_no_monthly_flag(tmp_path: Path) -> None:
    text = ("settlements:\n  - term: 2026-秋\n    start: 2026-09-01\n    end: 2026-10-31\n    settled: 2026-11-05\n"
            "    items:\n      - {item: 伙食费, collected: 100, spending: [{purpose: 食材, amount: 100}]}\n")
    ruled = run(tmp_path, text, "settlement:\n  categories:\n    - {applies_to: 伙食费, monthly_due_day: 15}\n")
    assert [r for c, r in flags(ruled) if c == "monthly_overdue"] == ["伙食费 2026 年 9 月收支 2026-11-05 公示，逾期 21 天（应在 2026-10-15 前）"]
    # Without the bureau's rule nothing is due monthly (only the spring term's own settlement is late).
    assert [c for c, _ in flags(run(tmp_path, text))] == ["settlement_overdue"]


# -- margin, not chargeable, meals, per-student, cumulative figures, words ---------------------------

@pytest.mark.parametrize(("carried_in", "collected", "spent", "carried", "limit", "over"), [
    ("0", "10000", "9800", "200", "2", False),       # exactly 2.00 %
    ("0", "10000", "9799", "201", "2", True),        # 2.01 %
    ("150", "10000", "9950", "200", "2", False),     # cumulative 2.00 % with a carry-in
    ("150", "10000", "9949", "201", "2", True),
    ("0", "10000", "10000", "0", "0", False),
    ("0", "33333", "32000", "1333", "3.99", True),   # 3.999 → 4.00 %
    ("0", "33333", "32000", "1333", "4", False),
])
def test_margin_limit_on_the_computed_rate(tmp_path: Path, carried_in: str, collected: str, spent: str, carried: str,
                                           limit: str, over: bool) -> None:
    text = ("settlements:\n  - term: 2026-秋\n    month: 2026-10\n    settled: 2026-10-31\n    items:\n"
            f"      - {{item: 伙食费, carried_in: {carried_in}, collected: {collected}, "
            f"spending: [{{purpose: 食材, amount: {spent}}}], carried: {carried}}}\n")
    rules = f"settlement:\n  categories:\n    - {{applies_to: 伙食费, margin_limit: {limit}}}\n"
    result = run(tmp_path, text, rules)
    assert codes(result) == (["M815"] if over else [])
    assert any(c == "margin_exceeded" for c, _ in flags(result)) == over


@pytest.mark.parametrize(("purpose", "charged"), [
    ("食堂员工工资", True), ("管理费用·工资", True), ("工資", True), ("人员经费", True), ("手續費", True),
    ("银行手续费", True), ("管 理 费", True), ("食材（含配送人员工资）", True), ("学校管理费", True),
    ("食材", False), ("燃料和水电", False), ("炊具和餐具", False), ("幼儿退款", False), ("人员", False),
])
def test_not_chargeable_spending(tmp_path: Path, purpose: str, charged: bool) -> None:
    text = ("settlements:\n  - term: 2026-秋\n    month: 2026-10\n    settled: 2026-10-31\n    items:\n"
            f"      - {{item: 伙食费, collected: 1000, spending: [{{purpose: {purpose}, amount: 1000}}]}}\n")
    rules = "settlement:\n  categories:\n    - {applies_to: 伙食费, not_chargeable: [工资, 人员经费, 管理费, 手续费]}\n"
    assert codes(run(tmp_path, text, rules)) == (["M814"] if charged else [])
    assert codes(run(tmp_path, text)) == []  # without the bureau's list nothing is refused


@pytest.mark.parametrize(("meals", "collected", "variant"), [
    ("[{diners: 161, days: 19, standard: 10.5}, {diners: 2, days: 19, standard: 3.4}]", "32248.7", None),
    ("[{meal_days: 3059, standard: 10.5}]", "32119.5", None),
    ("[{meal_days: 3059, standard: 10.5, amount: 32119.5}]", "32119.5", None),
    ("[{diners: 161, days: 19, meal_days: 3059, standard: 10.5}]", "32119.5", None),
    ("[{diners: 161, days: 19, meal_days: 3060, standard: 10.5}]", "32119.5", "人日数"),
    ("[{meal_days: 3059, standard: 10.5, amount: 32119}]", "32119", "与写的金额"),
    ("[{diners: 161, days: 19, standard: 10.5}]", "32248.7", "与收取金额"),
    ("[{diners: 228, standard: 8.4}]", "44049.6", None),           # days missing: nothing to multiply
])
def test_meal_arithmetic(tmp_path: Path, meals: str, collected: str, variant: str | None) -> None:
    text = ("settlements:\n  - term: 2026-秋\n    month: 2026-10\n    settled: 2026-10-31\n    items:\n"
            f"      - item: 伙食费\n        collected: {collected}\n        spending: [{{purpose: 食材, amount: {collected}}}]\n"
            f"        meals: {meals}\n")
    result = run(tmp_path, text)
    assert codes(result) == (["M817"] if variant else [])
    if variant:
        assert variant in result.diagnostics[0].message


@pytest.mark.parametrize(("row", "ok"), [
    ("{no: 1, paid: 900, consumed: 840, refund: 60}", True),
    ("{no: 2, paid: 800, consumed: 840, owed: 40}", True),
    ("{no: 3, paid: 840, consumed: 840}", True),
    ("{no: 4, paid: 900, refund: 60}", True),                    # consumed not given: nothing to check
    ("{no: 5, paid: 900, consumed: 840, refund: 50}", False),
    ("{no: 6, paid: 800, consumed: 840, refund: 40}", False),    # owes, written as a refund
    ("{no: 7, paid: 900, consumed: 840, refund: 60, owed: 10}", False),
    ("{kind: 寄宿生, paid: 2290, consumed: 2309, owed: 19}", True),
])
def test_per_student_rows(tmp_path: Path, row: str, ok: bool) -> None:
    text = ("settlements:\n  - term: 2026-春\n    settled: 2026-07-20\n    items:\n"
            f"      - item: 伙食费\n        per_student: [{row}]\n")
    assert codes(run(tmp_path, text)) == ([] if ok else ["M818"])


def test_a_name_in_a_per_student_row_is_refused(tmp_path: Path) -> None:
    named = ("settlements:\n  - term: 2026-春\n    settled: 2026-07-20\n    items:\n"
             "      - item: 伙食费\n        per_student: [{no: 1, name: 张伟, paid: 900}]\n")
    assert codes(run(tmp_path, named)) == ["S102"]  # no field for a name at all


def test_an_item_without_figures_or_spending(tmp_path: Path) -> None:
    bare = "settlements:\n  - term: 2026-春\n    settled: 2026-07-20\n    items:\n      - item: 伙食费\n"
    assert codes(run(tmp_path, bare)) == ["S130"]
    no_spending = bare + "        collected: 100\n        refunded: 100\n"
    assert codes(run(tmp_path, no_spending)) == ["S130"]
    assert codes(run(tmp_path, no_spending + "        spending: []\n")) == []


@pytest.mark.parametrize(("to_date", "ok"), [
    ("{collected: 2000, spending: [{purpose: 食材, amount: 1900}], refunded: 3}", True),
    ("{collected: 1000, spending: [{purpose: 食材, amount: 999}], refunded: 1}", True),   # the first month
    ("{collected: 900}", False),
    ("{collected: 2000, spending: [{purpose: 食材, amount: 500}]}", False),
    ("{refunded: 0}", False),
    ("{subsidy: 0}", True),                                                   # this month has no subsidy
])
def test_cumulative_figures_include_the_month(tmp_path: Path, to_date: str, ok: bool) -> None:
    text = ("settlements:\n  - term: 2026-秋\n    month: 2026-10\n    settled: 2026-10-31\n    items:\n"
            "      - {item: 伙食费, collected: 1000, spending: [{purpose: 食材, amount: 999}], refunded: 1, "
            f"term_to_date: {to_date}}}\n")
    assert codes(run(tmp_path, text)) == ([] if ok else ["M820"])


@pytest.mark.parametrize(("where", "fields", "variant"), [
    ("month", "notes: 本月结余 10 元结转下学期", ""),
    ("term", "notes: 结余结转下学期", "no_carry"),
    ("term", "notes: 收入含上期结转", "no_carry_in"),
    ("month", "notes: 收入含上期结转", "no_carry_in"),
    ("term", "shortfall_covered_by: 学校公用经费补足", "covered_without_shortfall"),
])
def test_words_claim_no_more_than_the_figures(tmp_path: Path, where: str, fields: str, variant: str) -> None:
    month = "    month: 2026-10\n" if where == "month" else ""
    text = (f"settlements:\n  - term: 2026-秋\n{month}    settled: 2026-10-31\n    items:\n"
            f"      - {{item: 伙食费, collected: 10, spending: [{{purpose: 食材, amount: 10}}], {fields}}}\n")
    result = run(tmp_path, text, CARRY_ONLY)
    assert codes(result) == ["M819"]
    carried = text.replace("amount: 10}]", "amount: 5}], carried_in: 5, carried: 10")
    assert codes(run(tmp_path, carried, CARRY_ONLY)) == (["M819"] if variant in ("", "covered_without_shortfall") else [])


# -- what a parent sees, and the exports ------------------------------------------------------------

def school_html(site: Site) -> str:
    school = site.schools[0]
    text = Renderer(site).render(school_src(school.county, school.id), school.url).html
    return html.unescape(re.sub(r"</?(?:strong|span|wbr)[^>]*>", "", text))


def test_the_page_says_no_more_than_the_figures(tmp_path: Path) -> None:
    result = run(tmp_path, KG_2024_10, LIMITS)
    site = build_site(result)
    page = school_html(site)
    assert "累计结余" in page and "结转下学期" not in page
    assert "含上期结转" not in page and "另有期初累计结余 131.89 元" in page
    assert "161 人 × 19 天 × 10.50 元 = 32,119.50 元" in page
    assert "盈亏率 2.75%（按公示数字计算）；学校公示 2.30%；本局规定不超过 2%，已超过" in page
    assert "2026 年 10 月收支公示（2026 年秋季学期，2026-10-31 结算）" in page
    people = run(tmp_path, PER_STUDENT, CARRY_ONLY, today=date(2026, 8, 1))
    site = build_site(people)
    page = school_html(site)
    assert "伙食费每生结算（不含姓名）" in page and "寄宿生三餐（高三）" in page and "175 元" in page
    assert "姓名</th>" not in page


def test_the_data_page_counts_each_tables_rows_without_making_them(tmp_path: Path) -> None:
    """The open-data page's counts (served before the files are written behind a preview) agree with
    the rows the CSV files get: for a canteen statement and for the whole example."""
    example = check_project(REPO / "schools", today=date(2026, 10, 20), jobs=1)
    for result in (run(tmp_path, KG_2024_10, LIMITS), example):
        site = build_site(result)
        counted = data_page(Tables(site))["counts"]
        made = Tables(site)
        assert {name: len(made.table(name).rows) for name in counted if name != "schools"} == \
            {name: n for name, n in counted.items() if name != "schools"}
    assert counted["fees"] > 100 and counted["settlements"] > 3 and counted["compliance"] == len(example.compliance)


def test_settlements_csv_carries_the_period_and_the_rates(tmp_path: Path) -> None:
    result = run(tmp_path, KG_2024_10, LIMITS)
    rows = Tables(build_site(result)).table("settlements").rows
    assert SCHEMA_VERSION == "2.2" and len(rows) == 1
    row = dict(zip(SETTLEMENT_COLUMNS, rows[0]))
    assert row["结算类型"] == "月度收支" and row["结算期间"] == "2026 年 10 月"
    assert row["盈亏率（%）"] == Decimal("2.75") and row["学校公示的盈亏率（%）"] == Decimal("2.30")
    assert row["盈亏率上限（%）"] == Decimal("2") and row["结算期限"] == date(2026, 11, 15)
    assert row["伙食费计算"] == "3059 人日 × 10.5 = 32119.5；38 人日 × 3.4 = 129.2"
    csv.writer(io.StringIO()).writerow(rows[0])  # every cell is writable


def test_the_clerk_guide_monthly_example_passes(tmp_path: Path) -> None:
    """What the guide teaches for a month's statement passes under the bureau's limits."""
    guide = (Path(__file__).resolve().parents[1] / "docs" / "clerks.md").read_text("utf-8")
    start = guide.index("```yaml\nsettlements:\n  # 结算月份") + len("```yaml\n")
    example = guide[start:guide.index("```", start)]
    result = run(tmp_path, example, LIMITS)
    assert codes(result) == []
    assert item_of(result).margin_rate == Decimal("1.67")


@pytest.mark.parametrize("kind", ["张伟同学", "学生：李小明", "王芳 900 元"])
def test_a_name_written_as_a_student_group_is_refused(tmp_path: Path, kind: str) -> None:
    text = ("settlements:\n  - term: 2026-春\n    settled: 2026-07-20\n    items:\n"
            f"      - item: 伙食费\n        per_student: [{{kind: {kind}, paid: 900, consumed: 900}}]\n")
    found = codes(run(tmp_path, text))
    assert found and all(code.startswith("P50") for code in found), found
