"""Words, amounts and dates stay whole, tables fit, the printed notice reads on a wall (issue 24,
points 7-9): measured in Debian's Chromium on the example site at widths from 360 to 1920 px.

A word is what jieba's dictionary calls one (the same definition a reader has of "行政事业性收费"
not being "行政事/业性收/费"); amounts with their unit, dates and county names are whole pieces too.
Each character's line is measured with Range.getClientRects, so a break anywhere is seen.
"""
from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jieba
import pytest
import yaml
from playwright.sync_api import Browser, Page
from pypdf import PdfReader

from browser import build_example, chromium, serve

REPO = Path(__file__).resolve().parents[1]
#: One page of every generated kind (the school pages: the biggest notice and a flagged school).
KINDS = {"home": "", "schools": "schools/", "county": "schools/qingshi/", "school": "schools/qingshi/qingshi-00003/",
         "flagged": "schools/baihe/baihe-00010/", "dashboard": "compliance/", "county-status": "compliance/baihe/",
         "catalog": "catalog/", "oversight": "oversight/", "data": "data/", "rules": "rules/", "format": "format/"}
WIDTHS = [360, 412, 768, 1024, 1280, 1440, 1920]
COUNTIES = [c["name"] for c in yaml.safe_load((REPO / "schools/policy.yml").read_text("utf-8"))["counties"]]
#: Pieces a reader takes in at once, beside dictionary words.
WHOLE = re.compile(r"\d[\d,.]*\s?元(?:/[^\s，。；、）)”’]+)?|元/[^\s，。；、）)”’]+|\d{4}-\d{2}-\d{2}|\d+\s?[人项所件天名]|"
                   + "|".join(map(re.escape, COUNTIES)))
_CJK = re.compile(r"^[\u3400-\u9fff]{2,}$")

#: Every character of every table cell (and caption) with the line it sits on.
_CELL_LINES = """() => [...document.querySelectorAll('.md-content :is(td, th, caption)')]
  .filter(cell => !cell.closest('thead') || cell.closest('thead').getBoundingClientRect().width > 2)  // phones hide them
  .map(cell => {
    const chars = [], walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let line = 0, lastTop = null, lastBottom = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement.closest('svg, .xw-print-only, [hidden]')) continue;
        for (let i = 0; i < node.length; i++) {
            const ch = node.data[i];
            if (/\\s/.test(ch)) { chars.push([ch, line]); continue; }
            const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
            const rects = range.getClientRects();
            if (!rects.length) continue;
            const r = rects[0];
            if (lastTop !== null && r.top >= lastBottom - 2) line += 1;
            lastTop = r.top; lastBottom = r.bottom; chars.push([ch, line]);
        }
    }
    return chars;
})"""
_OVERFLOW = """() => [...document.querySelectorAll('.md-content .xw-table-wrap')].filter(w => w.offsetParent)
    .map(w => ({caption: (w.querySelector('caption') || {}).textContent, table: w.querySelector('table').scrollWidth,
                wrap: w.clientWidth})).filter(x => x.table > x.wrap + 1)"""


def broken_words(cells: list[list[tuple[str, int]]]) -> list[str]:
    """Words, amounts, dates and names whose characters sit on more than one line ("行政事/业性")."""
    broken = []
    for cell in cells:
        text = "".join(ch for ch, _ in cell)
        lines = [line for _, line in cell]
        if len(set(lines)) < 2:
            continue
        spans = [m.span() for m in WHOLE.finditer(text)]
        whole = set().union(*(range(a, b) for a, b in spans)) if spans else set()
        position = 0
        for word in jieba.lcut(text):
            inside = {i in whole for i in range(position, position + len(word))}
            # A word that runs into a whole piece ("21 天未完成" read as 天未) is that piece's business.
            if _CJK.match(word) and len(inside) == 1:
                spans.append((position, position + len(word)))
            position += len(word)
        for start, end in spans:
            seen = {lines[i] for i in range(start, end) if not text[i].isspace()}
            if len(seen) > 1:
                broken.append("/".join(
                    "".join(text[i] for i in range(start, end) if lines[i] == line) for line in sorted(seen)))
    return broken


def test_broken_words_are_found() -> None:
    """The measure itself: a word across two lines is found, words apart on two lines are not."""
    cell = [(ch, 0) for ch in "行政事"] + [(ch, 1) for ch in "业性收费"]
    assert broken_words([cell]) == ["事/业性"]  # jieba: 行政 / 事业性 / 收费
    assert broken_words([[(ch, 0) for ch in "行政事业性"] + [(ch, 1) for ch in "收费"]]) == []
    amount = [(ch, 0) for ch in "1,336,500 元/生·学"] + [("期", 1)]
    assert broken_words([amount])[0] == "1,336,500 元/生·学/期"
    assert broken_words([[(ch, 0) for ch in "青石"] + [("县", 1)]]) == ["青石/县"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(build_example(tmp_path_factory.mktemp("words")))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


@pytest.fixture(scope="module")
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_no_word_amount_date_or_name_breaks_and_no_table_overflows(page: Page, site: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    problems: dict[str, Any] = {}
    for kind, url in KINDS.items():
        page.goto(site + url)
        broken = broken_words(page.evaluate(_CELL_LINES))
        overflow = page.evaluate(_OVERFLOW)
        if broken or overflow:
            problems[kind] = (broken[:8], overflow)
    assert not problems, (width, problems)


# -- The printed notice (point 8) ------------------------------------------------------------------

def _pdf_text(page: Page, url: str) -> tuple[int, str]:
    page.goto(url)
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True, prefer_css_page_size=True)))
    # PDF text extraction maps some CJK glyphs to radicals (⼈ for 人): NFKC maps them back.
    return len(reader.pages), "\n".join(unicodedata.normalize("NFKC", p.extract_text()) for p in reader.pages)


def test_printed_notice_tells_rows_apart_and_reads_as_sentences(browser: Browser, site: str) -> None:
    page = browser.new_page()
    pages, text = _pdf_text(page, site + KINDS["school"])
    assert pages == 1
    # Stage and tier in the row's own words: two 住宿费 rows differ on paper. (The PDF's text has spaces
    # between runs that are not on the page, so it is compared without them.)
    compact = "".join(text.split()).replace("（", "(").replace("）", ")").replace("，", ",")
    assert "住宿费(初中)" in compact and "住宿费(高中,公寓化管理宿舍)" in compact
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert not [line for line in lines if line.startswith(("，", ",", "；", ";"))], lines
    assert re.search(r"退还[\d,]+元\(\d+人,每生\d+元\)", compact)  # refunds per student, in the sentence
    page.emulate_media(media="print")
    # No space before "，": the whitespace between a settlement row's cells takes no room on paper.
    gaps = page.evaluate("""() => [...document.querySelectorAll('table.xw-settlement tr')].flatMap(tr =>
        [...tr.childNodes].filter(n => n.nodeType === 3 && n.data.length)).map(n => {
            const range = document.createRange(); range.selectNodeContents(n); return range.getBoundingClientRect().width; })""")
    assert gaps and max(gaps) == 0, gaps
    sizes = page.evaluate("""() => [...document.querySelectorAll('table.xw-fees th[scope=row] .xw-sub, table.xw-settlement .xw-sub')]
        .filter(e => e.getClientRects().length).map(e => {
            const own = getComputedStyle(e), cell = getComputedStyle(e.closest('th, td'));
            return {text: e.textContent, size: parseFloat(own.fontSize), cell: parseFloat(cell.fontSize), color: own.color,
                    row: e.parentElement.matches('th[scope=row]'),
                    lines: new Set([...e.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.bottom))).size}; })""")
    assert sizes
    for label in sizes:  # as large and as black as the item's name, never wrapped
        assert label["size"] >= label["cell"] and label["size"] >= 10.5, label  # ≥ 8pt
        assert label["color"] == "rgb(0, 0, 0)", label
        assert label["lines"] == 1 or not label["row"], label  # a row's stage or tier on one line
    page.close()


def test_printed_notice_carries_the_bureaus_open_orders(browser: Browser, site: str) -> None:
    data = yaml.safe_load((REPO / "schools/oversight.yml").read_text("utf-8"))
    refund = next(r for r in data["refunds"] if r["school"] == "baihe-00010")
    page = browser.new_page()
    pages, text = _pdf_text(page, site + KINDS["flagged"])
    compact = "".join(text.split())
    assert pages == 1
    # (Text extraction maps some glyphs to CJK radicals, ⻔ for 门: compare words without them.)
    assert "责令清退和整改" in compact and f"“{refund['item']}”" in compact
    assert f"{int(refund['amount']):,}元" in compact and "逾期21天未完成" in compact and "逾期42天未整改" in compact
    _, clean = _pdf_text(page, site + KINDS["school"])  # nothing open: nothing printed
    assert "责令清退和整改" not in "".join(clean.split())
    page.close()


# -- Charts (point 9) ------------------------------------------------------------------------------

@pytest.mark.parametrize("width", [360, 412, 1280])
def test_chart_labels_keep_their_size_on_a_phone(page: Page, site: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + KINDS["oversight"])
    sizes = page.evaluate("""() => [...document.querySelectorAll('svg.xw-chart')].flatMap(svg => {
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale); })""")
    assert len(sizes) > 10 and min(sizes) >= 12.5, (width, min(sizes))


def test_annual_figures_are_not_among_quarters(page: Page, site: str) -> None:
    page.goto(site + KINDS["oversight"])
    tables = page.evaluate("""() => [...document.querySelectorAll('table.xw-list')].filter(t => t.caption &&
        t.caption.textContent.includes('投诉举报受理')).map(t => [t.caption.textContent,
        [...t.querySelectorAll('tbody th')].map(th => th.textContent)])""")
    by_caption = {caption: rows for caption, rows in tables}
    assert len(by_caption) == len(tables), tables  # one table per kind of period
    quarters = next(rows for caption, rows in tables if caption.startswith("各季度"))
    years = next(rows for caption, rows in tables if caption.startswith("各年度"))
    assert quarters and all("季度" in p for p in quarters) and years and all(p.endswith("年") for p in years)
    months = next((rows for caption, rows in tables if caption.startswith("各月")), [])
    assert all(re.fullmatch(r"\d{4} 年 \d{1,2} 月", p) for p in months), months
