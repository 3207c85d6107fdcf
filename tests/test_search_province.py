"""Search on a generated province with real division names, in Chromium with the site's own search box
(scripts/generate_province.py, scripts/measure_search.py; the full 2,000-school figures are in README).

A full name, a county's name and a part of a name only one school has must put that page first; a
part several names share must find exactly those schools; a fee name exactly the schools whose notice
for this term lists it; a forbidden fee no school, said plainly with the forbidden-fee list linked.
"""
from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from browser import CHROMIUM, FLAGS, serve
from xiaowu.pages.searchwords import query, shown, unshown

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
import generate_province  # noqa: E402
import measure_search  # noqa: E402

SCHOOLS = 400  # 25 counties: every tricky pair of generate_province.FIRST, built in well under a minute


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    project = tmp_path_factory.mktemp("province")
    shutil.copytree(REPO / "docs", project / "docs")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    generate_province.generate(project / "schools", SCHOOLS, 2026)
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(project / "site")], cwd=project,
                          capture_output=True, text=True, timeout=900,
                          env={**os.environ, "SOURCE_DATE_EPOCH": measure_search.EPOCH})
    assert proc.returncode == 0, proc.stderr
    for base in serve(project / "site"):
        yield project / "site", base


@pytest.fixture(scope="module")
def page(province: tuple[Path, str]) -> Iterator[Page]:
    assert Path(CHROMIUM).exists(), "Debian chromium is missing: the test command installs it (scripts/test.sh)"
    with sync_playwright() as playwright:
        browser: Browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        tab = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740}).new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.goto(province[1])
        yield tab
        browser.close()
        assert not errors, errors


def test_the_browser_spells_a_query_as_the_index_does(page: Page) -> None:
    texts = [s.name for s in generate_province.make_schools(200, random.Random(3))] + [
        "南关县 新店（民办）初级中学", "ＡＢＣ外国语　学校", "第１中学", "𠀀𠀁学校", "x·y—z", " ，。", "Straße İ ǅ", "①②", "٣٤"]
    spelled = page.evaluate("texts => texts.map(t => window.xiaowuSearchTerms(t))", texts)
    assert spelled == [query(t) for t in texts]
    moved = [shown(t) for t in texts] + ["\U000f0000\U000fffff\U000effff\U00100000"]  # a result's metadata, moved back
    back = page.evaluate("texts => texts.map(t => window.xiaowuSearchUnshown(t))", moved)
    assert back == [unshown(t) for t in moved] and back[:len(texts)] == texts


@pytest.fixture(scope="module")
def tallies(page: Page, province: tuple[Path, str]) -> dict[str, measure_search.Tally]:
    return measure_search.measure(page, province[1], measure_search.make_cases(province[0], sample=40))


@pytest.mark.parametrize("kind, least", [("full name", 40), ("county", 25), ("part", 40), ("shared part", 5), ("fee", 8),
                                         ("forbidden fee", 5)])
def test_each_kind_of_query_finds_the_right_page_first(tallies: dict[str, measure_search.Tally], kind: str,
                                                      least: int) -> None:
    tally = tallies[kind]
    assert tally.total >= least and tally.misses == [], measure_search.report(tallies)


def _boarding_in_two_stages(site: Path) -> str:
    data = json.loads((site / "data" / "schools.json").read_text("utf-8"))
    for school in data["schools"]:
        for notice in (d for d in school["fee_disclosures"] if d["term"] == data["term"]):
            if {i.get("stage") for i in notice["items"] if i["item"] == "住宿费"} >= {"初中", "高中"}:
                return str(school["name"])
    raise AssertionError("the generated province has no school with boarders in two stages")


def test_a_result_tells_same_named_fees_apart_in_whole_lines(page: Page, province: tuple[Path, str]) -> None:
    measure_search.ask(page, "住宿费")
    lines = page.locator(".xw-search-fees").all_inner_texts()
    assert len(lines) == 10 and all(line.startswith("本学期公示：住宿费") for line in lines)
    name = _boarding_in_two_stages(province[0])
    shown, _ = measure_search.ask(page, f"{name} 住宿费")
    assert len(shown) == 1
    lines += page.locator(".xw-search-fees").all_inner_texts()
    assert re.fullmatch(r"本学期公示：住宿费（初中） \d+ 元/生·学期；住宿费（高中，公寓化管理宿舍） \d+ 元/生·学期", lines[-1])
    for line in lines:  # whole items, each with its standard: no fragments, no other fees
        for fee in line.removeprefix("本学期公示：").split("；"):
            assert re.fullmatch(r"住宿费(（[^）]+）)? \d+ 元/生·学期", fee), fee
    summary = page.locator(".xw-search-summary").first.inner_text()  # who the school is, the fees once
    assert re.fullmatch(r"(公办|民办)[^。]*(初中|高中)[^。]*。", summary) and "住宿费" not in summary
    measure_search.ask(page, name)
    summary = page.locator(".xw-search-summary").first.inner_text()  # by name: the notice's first fees
    assert summary.endswith("。") and "..." not in summary and "住宿费（初中）" in summary


def test_a_forbidden_fee_finds_no_school_and_says_why(page: Page, province: tuple[Path, str]) -> None:
    shown, status = measure_search.ask(page, "补课费")
    assert shown == [] and "没有学校的本学期收费公示有“补课费”" in status and "禁止收取" in status
    page.locator(".xw-search-status a").click()
    page.wait_for_url("**/catalog/#forbidden")
    assert "补课费" in page.locator("table.xw-forbidden").inner_text()
    page.goto(province[1])


def test_an_unknown_word_says_nothing_was_found(page: Page) -> None:
    shown, status = measure_search.ask(page, "不存在的学校名")
    assert shown == [] and status.startswith("没有找到“不存在的学校名”")
