"""The paper for parents printed by Chromium: every 缴费通知单 and 收费卡 of the example site is exactly one
sheet of the size it was designed for (A5 or A4), readable (no text under 8 pt, nothing cut off at the
edge of a cell or the sheet), with the items, standards, document numbers and the address of the
school's page on it. A second, made-up site holds notices and a card at the limits the checks allow
(model/notice.py), so those limits are measured here, not guessed. Layout after the bureaus' own
notices and reception schedules (sources in tests/test_paper.py)."""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from pypdf import PdfReader

from browser import chromium, serve
from test_paper import POLICY, RECEPTIONS, school_text
from xiaowu.model.notice import A4_LINES, A5_LINES, CARD_LINES, card_lines, notice_groups
from xiaowu.model.school import Disclosure, build_school

REPO = Path(__file__).resolve().parents[1]
EPOCH = "1795219200"  # 2026-11-21
SIZES = {"A5": (420, 595), "A4": (595, 842)}
MIN_PT = 8


def _build(project: Path) -> None:
    shutil.copytree(REPO / "docs", project / "docs")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(project / "site")], cwd=project,
                          capture_output=True, text=True, timeout=900, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    assert proc.returncode == 0, proc.stderr


def _item(number: int) -> dict[str, object]:
    return {"item": "课后服务费", "tier": f"第{number}组学科答疑和兴趣活动", "category": "服务性收费", "stage": "小学",
            "amount": "3", "unit": "元/生·课时", "scope": "自愿参加的学生", "voluntary": "是",
            "basis": {"authority": "青石市发展和改革委员会青石市财政局", "document": "青石市发改收费〔2025〕18号"}}


def _up_to(limit: int, measure: Callable[[Disclosure], int]) -> str:
    """As many long items as fit ``limit`` lines by the model's own measure (JSON is YAML flow style)."""
    items: list[dict[str, object]] = []
    while True:
        more = [*items, _item(len(items) + 1)]
        if measure(build_school({"fee_disclosures": [{"term": "2026-秋", "items": more}]}).disclosures[0]) > limit:
            break
        items = more
    assert len(items) >= 2
    return "".join("      - " + json.dumps(item, ensure_ascii=False) + "\n" for item in items)


def _limits_site(root: Path) -> None:
    """Schools whose notice or card needs exactly as many lines as one sheet allows, with long names in
    every cell, the bureau's lines and a reception day with a long place."""
    schools = root / "schools"
    (schools / "qingshi").mkdir(parents=True)
    (schools / "policy.yml").write_text(POLICY, "utf-8")
    long_place = "青石市教育局一楼群众来访接待室（学府路 8 号，政务服务中心东侧，公交 3 路、15 路学府路站下车）"
    (schools / "oversight.yml").write_text(RECEPTIONS.replace("青石市教育局二楼会议室", long_place), "utf-8")
    notice: Callable[[Disclosure], int] = lambda d: notice_groups(d)[0].lines  # noqa: E731
    for name, label, items in (("a5", "甲", _up_to(A5_LINES, notice)), ("a4", "乙", _up_to(A4_LINES, notice)),
                               ("card", "丙", _up_to(CARD_LINES, card_lines))):
        text = school_text(items).replace("青石县示例九年一贯制学校", f"青石县示例学校{label}")
        (schools / "qingshi" / f"qingshi-limit-{name}.yml").write_text(text, "utf-8")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    project = tmp_path_factory.mktemp("paper")
    shutil.copytree(REPO / "schools", project / "schools")
    _build(project)
    for base in serve(project / "site"):
        yield base, project / "site"


@pytest.fixture(scope="module")
def limits(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    project = tmp_path_factory.mktemp("limits")
    _limits_site(project)
    _build(project)
    for base in serve(project / "site"):
        yield base, project / "site"


def _papers(site: Path) -> list[str]:
    return sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.glob("schools/*/*/*/index.html"))


def _print(page: Page) -> PdfReader:
    return PdfReader(io.BytesIO(page.pdf(print_background=True, prefer_css_page_size=True)))


def _readable(page: Page) -> list[str]:
    """Text under MIN_PT, or content cut off (wider than its cell, or past the sheet's right edge)."""
    page.emulate_media(media="print")
    return page.evaluate("""(minPt) => {
        const problems = [];
        const paper = document.querySelector('article.xw-paper');
        const right = document.documentElement.clientWidth;
        for (const el of paper.querySelectorAll('*')) {
            const style = getComputedStyle(el);
            if (style.display === 'none' || el.closest('svg')) continue;
            const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
            if (own && parseFloat(style.fontSize) * 0.75 < minPt - 0.01) problems.push('small: ' + el.textContent.slice(0, 20));
            if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 && style.overflow !== 'visible')
                problems.push('clipped: ' + el.tagName + ' ' + el.textContent.slice(0, 20));
            const box = el.getBoundingClientRect();
            if (box.width && box.right > right + 1) problems.push('past the edge: ' + el.tagName);
        }
        return problems;
    }""", MIN_PT)


def _sheet(reader: PdfReader) -> str:
    box = reader.pages[0].mediabox
    size = (round(float(box.width)), round(float(box.height)))
    return next(name for name, wanted in SIZES.items() if max(abs(a - b) for a, b in zip(size, wanted)) <= 2)


def _text(reader: PdfReader) -> str:
    # PDF text extraction maps some CJK glyphs to radicals (⻘ for 青): compare digits and NFKC text.
    return unicodedata.normalize("NFKC", "".join("".join(p.extract_text() for p in reader.pages).split()))


def test_every_paper_of_the_example_prints_on_one_sheet_of_its_size(browser: Browser, example: tuple[str, Path]) -> None:
    base, site = example
    papers = _papers(site)
    assert sum(p.endswith("/card/") for p in papers) >= 40 and sum("/notice-" in p for p in papers) >= 48
    page = browser.new_page()
    sheets = set()
    for url in papers:
        page.goto(base + url)
        designed = "A4" if "/card/" in url else page.locator("article.xw-paper").get_attribute("class").split("--")[1][:2]
        reader = _print(page)
        assert len(reader.pages) == 1, url
        assert _sheet(reader) == designed.upper(), url
        sheets.add(_sheet(reader))
    assert sheets == {"A4", "A5"}  # the example has short notices (A5) and long ones (A4)
    page.close()


@pytest.mark.parametrize("url", ["schools/qingshi/qingshi-00003/notice-1/", "schools/qingshi/qingshi-00003/notice-2/",
                                 "schools/qingshi/qingshi-00003/card/", "schools/baihe/baihe-00010/notice-1/"])
def test_a_printed_paper_is_readable_and_says_what_it_must(browser: Browser, example: tuple[str, Path], url: str) -> None:
    base, _ = example
    page = browser.new_page()
    page.goto(base + url)
    items = page.locator("article.xw-paper table").first.locator("tbody tr")
    standards = [items.nth(i).locator("td").first.inner_text() for i in range(items.count())]
    reader = _print(page)
    text = _text(reader)
    assert _readable(page) == []
    for standard in standards:
        digits = "".join(ch for ch in standard if ch.isdigit())
        assert digits in re.sub(r"(?<=\d),(?=\d{3})", "", text), standard  # sums are grouped by thousands
    assert "〔2025〕" in text or "/card/" in url
    assert "xiaowu.qingshi.example.cn/schools/" in text  # the way back to the school's page, under the QR code
    if "/notice-" in url:
        assert "2026-12-03" in text and "09:00" in text  # the next reception day, 2026-11-19 is past on 11-21
        assert "2026-11-19" not in text and "2026-12-17" not in text
    page.close()


@pytest.mark.parametrize("name, sheet", [("a5", "A5"), ("a4", "A4"), ("card", "A4")])
def test_papers_at_the_limit_the_checks_allow_still_fit_one_sheet(browser: Browser, limits: tuple[str, Path],
                                                                   name: str, sheet: str) -> None:
    base, site = limits
    url = f"schools/qingshi/qingshi-limit-{name}/" + ("card/" if name == "card" else "notice-1/")
    assert (site / url / "index.html").exists()
    page = browser.new_page()
    page.goto(base + url)
    reader = _print(page)
    assert len(reader.pages) == 1 and _sheet(reader) == sheet
    assert _readable(page) == []
    page.close()


def test_the_school_page_links_its_papers(browser: Browser, example: tuple[str, Path]) -> None:
    base, _ = example
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(base + "schools/qingshi/qingshi-00003/")
    links = page.locator(".xw-papers a")
    assert [links.nth(i).inner_text() for i in range(links.count())] == ["缴费通知单（初中）", "缴费通知单（高中）", "收费卡"]
    links.last.click()
    page.wait_for_url("**/schools/qingshi/qingshi-00003/card/")
    assert "收费卡" in page.locator("h1").first.inner_text()
    page.close()
