"""Real bureaus' published fee tables (tests/goldens/real_tables.yml): each is checked, and every
value it states reaches the school page and the open-data exports."""
from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from xiaowu.publish.school_json import school_record
from xiaowu.publish.tables import Tables
from xiaowu.check.project import ProjectResult, check_project
from xiaowu.pages.render import Renderer
from xiaowu.pages.site import build_site
from xiaowu.pages.urls import school_src

CASES: list[dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "goldens" / "real_tables.yml").read_text("utf-8"))
BY_NAME = {case["name"]: case for case in CASES}
TODAY = date(2026, 9, 10)
SCHOOL_ID = "real-school"


def _indent(text: str, spaces: int) -> str:
    return "".join(" " * spaces + line + "\n" for line in text.strip("\n").splitlines())


def _policy(case: dict[str, Any]) -> str:
    """The bureau's file: the case's catalog as published; calendar and lines are neutral."""
    area = case.get("area_code", "0710")
    counties = case.get("counties") or f"- {{id: {case['county']}, name: {case['county_name']}}}\n"
    catalog = case.get("catalog") or BY_NAME[case["same_catalog_as"]]["catalog"]
    return (
        f"authority: {case['county_name']}教育局\n"
        + (f'area_code: "{case["area_code"]}"\n' if "area_code" in case else "")
        + "counties:\n" + _indent(counties, 2)
        + "hotlines:\n"
        + f"  - {{name: 教育局收费投诉电话, phone: {area}-3216000, kind: 教育局}}\n"
        + "  - {name: 12345 政务服务便民热线, phone: 12345, kind: 政务服务}\n"
        + "terms:\n"
        + "  - {id: 2026-秋, name: 2026 年秋季学期, start: 2026-09-01, end: 2027-01-22, publish_by: 2026-08-20}\n"
        + "catalog:\n" + _indent(catalog, 2)
        + "roster: []\n"
    )


def _school(case: dict[str, Any]) -> str:
    """The school's file: the case's fee table as published; what the source does not show is neutral."""
    area = case.get("area_code", "0710")
    hotlines = case.get("hotlines") or f"- {{name: 学校收费监督电话, phone: {area}-7654321}}\n"
    channels = list(case.get("complaint_channels", [])) + ["教育局收费投诉电话", "12345"]
    return (
        "profile:\n"
        "  name: 示例学校\n"
        f"  county: {case['county_name']}\n"
        f"  ownership: {case['ownership']}\n"
        f"  stages: [{', '.join(case['stages'])}]\n"
        f"  boarding: {case['boarding']}\n"
        "  address: 学校地址\n"
        f"  office_phone: {area}-1234567\n"
        f"  supervising_authority: {case['county_name']}教育局\n"
        "hotlines:\n" + _indent(hotlines, 2)
        + "fee_disclosures:\n"
        "  - term: 2026-秋\n"
        "    published: 2026-08-15\n"
        "    valid_from: 2026-09-01\n"
        "    valid_until: 2027-01-22\n"
        "    channels: [校门口公示栏]\n"
        "    items:\n" + _indent(case["items"], 6)
        + "    reductions: 家庭经济困难学生按规定减免。\n"
        f"    complaint_channels: [{', '.join(channels)}]\n"
    )


_NAMED = re.compile(r"(?:item|name):\s*([^,}\n]+)")


def _item_at(text: str, line: int) -> str:
    """The fee item (or hotline) a finding belongs to: the nearest "item:"/"name:" at or above its line."""
    lines = text.splitlines()
    for number in range(line, 0, -1):
        found = _NAMED.search(lines[number - 1])
        if found:
            return found.group(1).strip()
    return ""


def _run(case: dict[str, Any], root: Path) -> tuple[ProjectResult, str]:
    schools = root / "schools"
    (schools / case["county"]).mkdir(parents=True)
    (schools / "policy.yml").write_text(_policy(case), encoding="utf-8")
    text = _school(case)
    (schools / case["county"] / f"{SCHOOL_ID}.yml").write_text(text, encoding="utf-8")
    return check_project(schools, today=TODAY, jobs=1), text


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_real_table_fails_only_for_the_named_violations(case: dict[str, Any], tmp_path: Path) -> None:
    result, text = _run(case, tmp_path)
    bureau = [d for d in result.diagnostics if d.file.endswith("policy.yml")]
    assert bureau == [], "the bureau's catalog as published must be accepted"
    found = sorted(f"{d.code} {_item_at(text, d.line)}" for d in result.diagnostics)
    assert found == sorted(case["expect"])


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_every_value_of_a_real_table_is_published(case: dict[str, Any], tmp_path: Path) -> None:
    result, _ = _run(case, tmp_path)
    # Render the page as it will look once the named violations are fixed: nothing may be lost.
    clean = replace(result, schools=[replace(s, diagnostics=[]) for s in result.schools], diagnostics=[])
    site = build_site(clean)
    school = site.schools[0]
    page = html.unescape(Renderer(site).render(school_src(school.county, school.id), school.url).html)
    page = re.sub(r"(?<=\d),(?=\d{3})", "", re.sub(r"<[^>]+>", "", page))  # pages group sums by thousands
    rows = list(Tables(site).table("fees").rows)
    record = school_record(site, school)
    exported_items = record["fee_disclosures"][0]["items"]
    raw_items = yaml.safe_load(case["items"])
    assert len(rows) == len(raw_items) == len(exported_items)
    for raw, item, row, exported in zip(raw_items, school.disclosures[0].items, rows, exported_items):
        assert item.item in page and item.standard in page, item.item
        for key in ("tier", "scope", "settlement", "notes"):
            if raw.get(key):
                assert str(raw[key]) in page and str(raw[key]) in row, (item.item, key)
        for key, value in (raw.get("basis") or {}).items():
            assert str(value) in page and str(value) in row, (item.item, key)
        assert row[21] == item.standard  # 标准说明
        for key, column in (("rate", 22), ("rate_unit", 23), ("units", 24)):
            if key in raw:
                assert str(row[column]) == str(raw[key]), (item.item, key)
        # The JSON record reproduces every value as written (amounts as decimal strings).
        assert {k: v for k, v in exported.items()} == {k: (str(v) if not isinstance(v, dict) else
                                                          {kk: str(vv) for kk, vv in v.items()})
                                                       for k, v in raw.items()}


def test_an_uncapped_entry_never_lifts_a_capped_one(tmp_path: Path) -> None:
    """Two entries for one item and stage (the second without a cap) are a duplicate the bureau must
    resolve; and when they are limited to overlapping counties the school is still held to the cap."""
    case = dict(BY_NAME["四川宜宾中职（课本代管费预收按实结算、工装费一次性、体检费按实）"])
    case["catalog"] = case["catalog"] + (
        "- {item: 住宿费, category: 行政事业性收费, stages: [中职], ownership: [公办], unit: 元/生·学期, "
        "counties: [cuiping], basis: {authority: 某局, document: 某发〔2020〕1号}}\n")
    case["items"] = case["items"].replace("amount: 300, unit: 元/生·学期, scope: 住校学生", "amount: 900, unit: 元/生·学期, scope: 住校学生")
    result, text = _run(case, tmp_path)
    codes = sorted(f"{d.code} {d.file.rsplit('/', 1)[-1]}" for d in result.diagnostics)
    assert "S115 policy.yml" in codes  # the overlapping entry is reported to the bureau
    assert "F207 real-school.yml" in codes  # and the school is still held to the 300 cap


def test_a_complaint_mailbox_is_a_link_and_a_local_number_gets_its_area_code(tmp_path: Path) -> None:
    case = BY_NAME["山东济宁（学生装按招标价、学费按学校等级、举报信箱）"]
    result, _ = _run(case, tmp_path)
    hint = next(d for d in result.diagnostics if d.code == "H301")
    assert "本地应写 0537-2314092" in hint.message
    clean = replace(result, schools=[replace(s, diagnostics=[]) for s in result.schools], diagnostics=[])
    site = build_site(clean)
    school = site.schools[0]
    page = Renderer(site).render(school_src(school.county, school.id), school.url).html
    assert '<a href="mailto:jyjcwk@ji.shandong.cn" rel="nofollow noopener">jyjcwk@ji.shandong.cn</a>' in page
