"""Fees approved per unit and collected per term (issue 20 §3), and real bureaus' catalogs (issue 24
§11–14): each class tried on many variants, with whatever subset of the fields is written."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from xiaowu.check.project import check_project
from xiaowu.model.school import FeeItem
from xiaowu.model.units import counted

TODAY = date(2026, 9, 10)


def _project(root: Path, catalog: str, items: str, ownership: str = "公办", school: str = "a-school",
             roster: str = "") -> list[str]:
    """Codes found for one school (id ``school``) against one catalog, as "CODE file"."""
    schools = root / "schools"
    (schools / "demo").mkdir(parents=True)
    (schools / "policy.yml").write_text(
        "authority: 示范县教育局\ncounties:\n  - {id: demo, name: 示范县}\n"
        "hotlines:\n  - {name: 教育局收费投诉电话, phone: 0710-3216000, kind: 教育局}\n"
        "  - {name: 12345 政务服务便民热线, phone: 12345, kind: 政务服务}\n"
        "terms:\n  - {id: 2026-秋, name: 2026 年秋季学期, start: 2026-09-01, end: 2027-01-22, publish_by: 2026-08-20}\n"
        "catalog:\n" + "".join("  " + line + "\n" for line in catalog.strip().splitlines())
        + ("roster:\n" + roster if roster else "roster: []\n"), encoding="utf-8")
    (schools / "demo" / f"{school}.yml").write_text(
        f"profile:\n  name: {'示范学校' if school == 'a-school' else '示范县民办实验学校'}\n  county: 示范县\n  ownership: {ownership}\n  stages: [小学, 初中]\n  boarding: 是\n"
        "  address: 学校地址\n  office_phone: 0710-1234567\n  supervising_authority: 示范县教育局\n"
        "hotlines:\n  - {name: 学校收费监督电话, phone: 0710-7654321}\n"
        "fee_disclosures:\n  - term: 2026-秋\n    published: 2026-08-15\n    valid_from: 2026-09-01\n"
        "    valid_until: 2027-01-22\n    channels: [校门口公示栏]\n    items:\n"
        + "".join("      " + line + "\n" for line in items.strip().splitlines())
        + "    reductions: 家庭经济困难学生按规定减免。\n    complaint_channels: [教育局收费投诉电话, 12345]\n",
        encoding="utf-8")
    result = check_project(schools, today=TODAY, jobs=1)
    return sorted(f"{d.code} {Path(d.file).name}" for d in result.diagnostics)


_BASIS = "basis: {authority: 示范县发展和改革局, document: 示发改收费〔2025〕21号}"


def _service(cap: str, unit: str, cadences: str = "") -> str:
    extra = f", cadences: [{cadences}]" if cadences else ""
    return (f"- {{item: 课后服务费, category: 服务性收费, stages: [小学, 初中], ownership: [公办, 民办], cap: {cap}, "
            f"unit: {unit}{extra}, {_BASIS}}}")


def _item(fields: str) -> str:
    return f"- {{item: 课后服务费, category: 服务性收费, {fields}, scope: 自愿参加的学生, voluntary: 是, {_BASIS}}}"


# (rate, rate unit, units, total, total unit, catalog cap, catalog unit, catalog cadences): lawful notices
# whose rate is within the capped rate and whose product is the total, per unit kinds real catalogs bill.
LAWFUL = [
    ("3.00", "元/生·课时", "40", "120", "元/生·学期", "3", "元/生·课时", ""),
    ("3.00", "元/生·课时", "40", "120", "元/生·学期", "3", "元/生·课时", "课时"),
    ("3", "元/生/课时", "40", "120.00", "元/生·学期", "3", "元/生·课时", "学期"),
    ("2.5", "元/生·课时", "36", "90", "元/生·学期", "3", "元/生·课时", "课时"),
    ("5", "元/生·次", "16", "80", "元/生·学期", "5", "元/生·次", "次"),
    ("8", "元/生·天", "90", "720", "元/生·学期", "8", "元/生·天", "天"),
    ("12.5", "元/生·餐", "88", "1100", "元/生·学期", "13", "元/生·餐", ""),
    ("200", "元/生·月", "4.5", "900", "元/生·学期", "200", "元/生·月", "月"),
    ("3.33", "元/生·课时", "30", "99.90", "元/生·学期", "3.5", "元/生·课时", ""),
    ("3", "元/生·课时", "40", "120", "元/生·学期", "120", "元/生·学期", ""),  # the catalog caps the total
    ("3", "元/生·课时", "20", "60", "元/生·月", "3", "元/生·课时", "课时"),  # collected monthly
]


@pytest.mark.parametrize("rate,rate_unit,units,total,unit,cap,cap_unit,cadences", LAWFUL)
def test_a_lawful_per_unit_notice_passes(tmp_path: Path, rate: str, rate_unit: str, units: str, total: str,
                                         unit: str, cap: str, cap_unit: str, cadences: str) -> None:
    items = _item(f"amount: {total}, unit: {unit}, rate: {rate}, rate_unit: {rate_unit}, units: {units}")
    assert _project(tmp_path, _service(cap, cap_unit, cadences), items) == []


@pytest.mark.parametrize("rate,units,total,expected", [
    ("3.00", "40", "130", ["F222 a-school.yml"]),  # product 120 ≠ 130
    ("3.00", "41", "120", ["F222 a-school.yml"]),
    ("3.01", "40", "120", ["F207 a-school.yml", "F222 a-school.yml"]),  # over the capped rate, and 120.40 ≠ 120
    ("4", "30", "120", ["F207 a-school.yml"]),  # the product holds but the rate is over the cap
    ("2.99", "40", "119.60", []),
])
def test_rate_against_the_cap_and_product_against_the_total(tmp_path: Path, rate: str, units: str, total: str,
                                                            expected: list[str]) -> None:
    items = _item(f"amount: {total}, unit: 元/生·学期, rate: {rate}, rate_unit: 元/生·课时, units: {units}")
    assert _project(tmp_path, _service("3", "元/生·课时", "课时"), items) == expected


@pytest.mark.parametrize("fields,expected", [
    ("amount: 120, unit: 元/生·学期, rate: 3, rate_unit: 元/生·课时", ["F223 a-school.yml"]),
    ("amount: 120, unit: 元/生·学期, units: 40", ["F223 a-school.yml"]),
    ("amount: 120, unit: 元/生·学期, rate: 3, units: 40", ["S101 a-school.yml"]),  # whose rate? no rate_unit
    ("amount: 120, unit: 元/生·课时, rate: 3, rate_unit: 元/生·课时, units: 40", ["F223 a-school.yml"]),  # same unit
    ("amount: 120, unit: 元/班·学期, rate: 3, rate_unit: 元/生·课时, units: 40", ["F223 a-school.yml"]),  # per class?
    ("unit: 元/生·学期, rate: 3, rate_unit: 元/生·课时, units: 40", ["F201 a-school.yml"]),  # no total
    ("amount: 120, unit: 元/生·学年, rate: 3, rate_unit: 元/生·课时, units: 40", ["F212 a-school.yml"]),  # across terms
])
def test_a_partial_or_inconsistent_rate_is_named(tmp_path: Path, fields: str, expected: list[str]) -> None:
    assert _project(tmp_path, _service("3", "元/生·课时", "课时"), _item(fields)) == expected


def test_without_a_rate_a_term_total_is_not_compared_with_a_per_lesson_cap_as_if_equal(tmp_path: Path) -> None:
    """The old false F207 (120 > 3): a total in another unit than the cap is a unit mismatch to fix
    by stating the rate, and the rate (not the total) is what meets the cap."""
    items = _item("amount: 120, unit: 元/生·学期, rate: 3, rate_unit: 元/生·课时, units: 40")
    assert _project(tmp_path, _service("3", "元/生·课时", "课时"), items) == []
    plain = _item("amount: 3, unit: 元/生·课时")
    assert _project(tmp_path / "b", _service("3", "元/生·课时", "课时"), plain) == []


@pytest.mark.parametrize("unit,word", [("元/生·课时", "课时"), ("元/课时", "课时"), ("每生每餐", "餐"), ("元/人/天", "天"),
                                       ("元/生·次", "次"), ("元/生.月", "月"), ("元/生·节", "节"), ("元", "")])
def test_what_a_rate_counts(unit: str, word: str) -> None:
    assert counted(unit) == word


def test_the_standard_shows_rate_times_units_equals_total() -> None:
    item = FeeItem(path=(), item="课后服务费", amount=Decimal("120"), unit="元/生·学期", rate=Decimal("3.00"),
                   rate_unit="元/生·课时", units=Decimal("40"))
    assert item.standard == "3.00 元/生·课时 × 40 课时 = 120 元/生·学期"
    assert item.product == Decimal("120.00")


@pytest.mark.parametrize("pricing", ["据实收取", "以支定收", "按教材定价", "按招标价"])
def test_the_unit_is_required_and_shown_without_an_amount(tmp_path: Path, pricing: str) -> None:
    catalog = (f"- {{item: 校服费, category: 代收费, stages: [小学, 初中], ownership: [公办], pricing: {pricing}, "
               f"unit: 元/套, {_BASIS}}}")
    base = f"item: 校服费, category: 代收费, pricing: {pricing}, scope: 自愿订购的学生, voluntary: 是, settlement: 多退少补, {_BASIS}"
    assert _project(tmp_path / "a", catalog, f"- {{{base}}}") == ["S101 a-school.yml"]
    assert _project(tmp_path / "b", catalog, f"- {{{base}, unit: 元/套}}") == []
    item = FeeItem(path=(), item="校服费", pricing=pricing, unit="元/套")
    assert item.standard.endswith("，元/套")


@pytest.mark.parametrize("basis,expected", [
    ("{title: 《示范县中小学收费项目及标准》}", []),  # title only: accepted, as in a school file
    ("{authority: 示范县发展和改革局, title: 《示范县中小学收费项目及标准》}", []),
    ("{authority: 示范县发展和改革局}", []),  # the 文号 a notice must show is asked of the notice
    ("{title: 新华书店教材发行目录}", []),
    ("{document: 示发改收费〔2025〕21号}", ["S101 policy.yml"]),  # neither who approved it nor a title
    ("{authority: 无}", ["F218 policy.yml"]),
    ("{authority: 示范县发展和改革局, document: 示发改收费2025年21号}", ["F203 policy.yml"]),
])
def test_one_basis_rule_for_the_catalog(tmp_path: Path, basis: str, expected: list[str]) -> None:
    catalog = (f"- {{item: 课后服务费, category: 服务性收费, stages: [小学, 初中], ownership: [公办], cap: 300, "
               f"unit: 元/生·学期, basis: {basis}}}")
    items = _item("amount: 300, unit: 元/生·学期")
    assert [c for c in _project(tmp_path, catalog, items) if c.endswith("policy.yml")] == expected


# Tiers priced by a mode instead of a cap. Structure after 《上海市民办中小学收费管理试行办法》(2022,
# www.junhanjc.com/rmtzcg/xwy/wzxw/202202/t20220221_680145.html): 非营利性 schools' fees are capped by the
# district (政府指导价), 营利性 high schools set theirs (市场调节价); the amounts here are invented.
def _tiered(second: str) -> str:
    return ("- item: 住宿费\n  category: 民办学校收费\n  stages: [小学, 初中]\n  ownership: [民办]\n  unit: 元/生·学期\n"
            "  voluntary: 否\n  tiers:\n    - {name: 普通宿舍, cap: 800}\n"
            f"    - {{name: 公寓化管理宿舍{second}}}\n  {_BASIS}")


def _boarding(fields: str) -> str:
    return f"- {{item: 住宿费, category: 民办学校收费, {fields}, unit: 元/生·学期, scope: 住宿学生, {_BASIS}}}"


@pytest.mark.parametrize("second,fields,expected", [
    (", pricing: 学校自主定价", "tier: 公寓化管理宿舍, amount: 2400", []),  # above the other tier's cap: no F207
    (", pricing: 学校自主定价", "tier: 公寓化管理宿舍, pricing: 学校自主定价, amount: 2400", []),
    (", pricing: 学校自主定价", "tier: 公寓化管理宿舍, pricing: 学校自主定价", ["F201 a-school.yml"]),  # a price must be given
    (", pricing: 以支定收", "tier: 公寓化管理宿舍, amount: 2400", ["F224 a-school.yml"]),
    (", pricing: 以支定收", "tier: 公寓化管理宿舍, pricing: 以支定收, amount: 2400", []),
    (", pricing: 以支定收", "tier: 公寓化管理宿舍, pricing: 以支定收", []),
    (", pricing: 学校自主定价", "tier: 普通宿舍, pricing: 学校自主定价, amount: 700", ["F224 a-school.yml"]),
    (", pricing: 学校自主定价", "tier: 普通宿舍, amount: 900", ["F207 a-school.yml"]),
    (", cap: 1500", "tier: 公寓化管理宿舍, amount: 2400", ["F207 a-school.yml"]),
    ("", "tier: 公寓化管理宿舍, amount: 2400", ["S119 policy.yml"]),
    (", pricing: 限价内自定", "tier: 公寓化管理宿舍, amount: 2400", ["S119 policy.yml"]),
])
def test_a_tier_priced_by_a_mode(tmp_path: Path, second: str, fields: str, expected: list[str]) -> None:
    assert _project(tmp_path, _tiered(second), _boarding(fields), ownership="民办") == expected


_ROSTER = ("  - {id: a-school, county: demo, name: 示范学校}\n"
           "  - {id: b-school, county: demo, name: 示范县民办实验学校}\n")


def _tuition(schools: str, cap: str, general: str = "") -> str:
    named = (f"- {{item: 学费, category: 民办学校收费, stages: [初中], ownership: [民办], schools: [{schools}], cap: {cap}, "
             f"unit: 元/生·学期, voluntary: 否, {_BASIS}}}")
    other = (f"\n- {{item: 学费, category: 民办学校收费, stages: [初中], ownership: [民办], cap: {general}, "
             f"unit: 元/生·学期, voluntary: 否, {_BASIS}}}") if general else ""
    return named + other


@pytest.mark.parametrize("school,schools,cap,general,amount,expected", [
    ("a-school", "a-school", "3500", "", "3500", []),
    ("b-school", "a-school", "3500", "", "3500", ["F225 b-school.yml"]),  # another school's approval
    ("b-school", "a-school", "3500", "2000", "3500", ["F207 b-school.yml"]),  # the general cap, not a-school's
    ("b-school", "a-school", "3500", "2000", "2000", []),
    ("a-school", "a-school", "3500", "2000", "3500", []),  # its own approval replaces the general cap
    ("a-school", "a-school", "3500", "4000", "3800", ["F207 a-school.yml"]),  # …also when the general one is higher
    ("a-school", "a-school, b-school", "3500", "", "3500", []),
])
def test_an_approval_for_named_schools(tmp_path: Path, school: str, schools: str, cap: str, general: str,
                                       amount: str, expected: list[str]) -> None:
    items = f"- {{item: 学费, category: 民办学校收费, stage: 初中, amount: {amount}, unit: 元/生·学期, scope: 全体学生, {_BASIS}}}"
    assert _project(tmp_path, _tuition(schools, cap, general), items, ownership="民办", school=school,
                    roster=_ROSTER) == expected


def test_two_approvals_for_different_schools_are_no_duplicate_but_two_for_one_school_are(tmp_path: Path) -> None:
    catalog = _tuition("a-school", "3500") + "\n" + _tuition("b-school", "3000")
    assert [c for c in _project(tmp_path / "a", catalog, "", ownership="民办", roster=_ROSTER) if "policy" in c] == []
    clash = _tuition("a-school", "3500") + "\n" + _tuition("a-school, b-school", "3000")
    assert "S115 policy.yml" in _project(tmp_path / "b", clash, "", ownership="民办", roster=_ROSTER)
    unknown = _tuition("c-school", "3500")
    assert "S120 policy.yml" in _project(tmp_path / "c", unknown, "", ownership="民办", roster=_ROSTER)
