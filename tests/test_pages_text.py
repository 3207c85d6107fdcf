"""What every generated page says, read as text (issue 24, points 5 and 10): a school's status never
without its flags, amounts with thousands separators, a space between Chinese and figures, no doubled
colon in a phone card, lists in pinyin order, no English outside an allowlist, every CSV described
as opening in Excel. The example site is built once; expectations come from its files, not our code.
"""
from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import build_example
from pypinyin import Style, lazy_pinyin

#: Pages for clerks and maintainers, where field names (amount, tier) are the vocabulary: their
#: article text is not scanned for English, their header, footer and tooltips are.
FOR_CLERKS = ("clerks", "format", "rules")
#: Latin words a Chinese reader meets on these pages as they are (formats, products, a key name).
ALLOWED = {"JSON", "CSV", "Excel", "WPS", "UTF-8", "BOM", "JavaScript", "A4", "KB", "MB", "Schema", "XML", "ID"}
#: Addresses, file names, school ids and rule codes are not words.
_NOT_WORDS = re.compile(r"https?://\S+|[\w.-]+@[\w.-]+|[\w./-]+\.(?:csv|json|xml|yml|xlsx|html)\b|[a-z]+-\d+|\b[A-Z]\d{3}\b")
_SKIP = {"script", "style", "svg", "code", "pre", "kbd", "template"}


class Page(HTMLParser):
    """Visible text (outside code and scripts), the article's part apart, and tooltip attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.depth = 0
        self.article: int | None = None
        self.nav = 0
        self.navigation: list[str] = []
        self.chrome: list[str] = []
        self.content: list[str] = []
        self.attributes: list[str] = []
        self.hidden: int | None = None  # depth of an element with `hidden` (the search index block): not shown

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        self.depth += 1
        if self.hidden is None and "hidden" in dict(attrs):
            self.hidden = self.depth
        classes = (dict(attrs).get("class") or "").split()
        if tag == "article" and "md-content__inner" in classes:
            self.article = self.depth
        self.nav += tag == "nav"
        self.attributes += [v for k, v in attrs if k in ("title", "aria-label", "alt", "placeholder") and v]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes += [v for k, v in attrs if k in ("title", "aria-label", "alt", "placeholder") and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip -= 1
        if self.article == self.depth and tag == "article":
            self.article = None
        self.nav -= tag == "nav"
        if self.hidden == self.depth:
            self.hidden = None
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip and self.hidden is None:
            where = self.content if self.article is not None else self.navigation if self.nav else self.chrome
            where.append(data)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_example(tmp_path_factory.mktemp("text"))


def pages(site: Path) -> dict[str, str]:
    return {str(p.parent.relative_to(site)).replace(".", "", 1) if p.parent == site else str(p.parent.relative_to(site)):
            p.read_text("utf-8") for p in sorted(site.rglob("index.html"))}


def parsed(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def flagged(site: Path) -> dict[str, tuple[str, list[str]]]:
    """school id -> (name, flag labels), from the open-data file (not from the pages under test)."""
    rows = list(csv.DictReader(io.StringIO((site / "data" / "compliance.csv").read_text("utf-8-sig"))))
    return {r["学校代号"]: (r["学校名称"], r["关注事项"].split("、")) for r in rows if r["关注事项"]}


def test_every_status_shown_comes_with_the_schools_flags(site: Path) -> None:
    flags = flagged(site)
    assert len(flags) >= 3 and any(len(labels) == 2 for _, labels in flags.values())
    shown = 0
    for url, html in pages(site).items():
        # A row (or the school page's status line) that shows a status badge and names a school.
        for block in re.findall(r"<tr\b.*?</tr>|<p class=\"xw-term-status\".*?</ul>|<p class=\"xw-term-status\".*?</p>",
                                html, re.S):
            if not re.search(r'class="xw-status xw-status--(?!flag)', block):
                continue
            text = re.sub(r"<[^>]+>", "", block)
            for school_id, (name, labels) in flags.items():
                here = url.endswith(school_id) and "xw-term-status" in block
                if school_id in block or name in text or here:
                    shown += 1
                    block_with_list = html[html.index(block):html.index(block) + len(block) + 2000] if here else block
                    for label in labels:
                        assert f'xw-status--flag">{label}<' in block_with_list.replace("<wbr>", ""), (url, name, label)
    assert shown >= 3 * 3  # county page, county status page, dashboard, school page, for each flagged school


def test_the_county_page_shows_flags_beside_an_on_time_status(site: Path) -> None:
    county = pages(site)["schools/baihe"].replace("<wbr>", "")
    row = next(r for r in re.findall(r"<tr\b.*?</tr>", county, re.S) if "baihe-00010" in r)
    assert "已按时公开" in row and "清退逾期" in row and "整改逾期" in row


def test_no_english_outside_the_allowlist(site: Path) -> None:
    found: dict[str, set[str]] = {}
    for url, html in pages(site).items():
        page = parsed(html)
        # A clerks' page's own table of contents repeats its headings ("学校信息（profile）").
        clerks = url.split("/")[0] in FOR_CLERKS
        texts = page.chrome + page.attributes + ([] if clerks else page.content + page.navigation)
        for text in texts:
            for word in re.findall(r"[A-Za-z][A-Za-z0-9'-]*", _NOT_WORDS.sub(" ", text)):
                if word not in ALLOWED and not word.startswith("UTF"):
                    found.setdefault(word, set()).add(url or "home")
    assert not found, {w: sorted(u)[:3] for w, u in found.items()}


def test_the_scan_finds_english(site: Path) -> None:
    page = parsed('<footer>Made with <a title="Permanent link">Material</a></footer><code>amount</code>')
    words = re.findall(r"[A-Za-z]+", " ".join(page.chrome + page.attributes))
    assert words == ["Made", "with", "Material", "Permanent", "link"]


def _visible(site: Path) -> dict[str, str]:
    return {url: " ".join(p.chrome + p.navigation + p.content).replace("\xa0", " ")
            for url, p in ((u, parsed(h)) for u, h in pages(site).items())}


def test_large_sums_have_thousands_separators(site: Path) -> None:
    texts = _visible(site)
    ungrouped = {url: re.findall(r"(?<![\d,.])\d{4,}(?:\.\d+)? ?元", text) for url, text in texts.items()}
    assert not {u: f for u, f in ungrouped.items() if f}
    assert any(re.search(r"\d{1,3}(?:,\d{3})+ 元", text) for text in texts.values())  # and they are there


def test_a_figure_after_chinese_words_has_a_space(site: Path) -> None:
    texts = _visible(site)
    missing = {url: re.findall(r"[\u4e00-\u9fff]\d{4} 年", text) for url, text in texts.items()}
    assert not {u: m for u, m in missing.items() if m}
    assert "各校 2026 年秋季学期" in texts["schools/qingshi"]


def test_no_card_label_is_followed_by_another_label(site: Path) -> None:
    """On a phone a cell reads "备注：…" (its data-label): the cell must not start with a label of its own."""
    doubled = []
    # Not the rules page: its "怎么改" sentences are the rule table's wording (rules.yml), e.g.
    # "检查日期：发布日期不能晚于…", a label of the sentence's own.
    for url, html in ((u, h) for u, h in pages(site).items() if u.split("/")[0] not in FOR_CLERKS):
        for label, cell in re.findall(r'<td[^>]*data-label="([^"]+)"[^>]*>(.*?)</td>', html, re.S):
            text = re.sub(r"<[^>]+>", "", cell).strip()
            if re.match(r"^[\u4e00-\u9fff]{1,6}：", text):
                doubled.append((url, label, text[:20]))
    assert not doubled


def _pinyin_sorted(names: list[str]) -> bool:
    keys = [lazy_pinyin(n, style=Style.TONE3, neutral_tone_with_five=True) for n in names]
    return keys == sorted(keys)


def test_counties_and_schools_are_listed_in_pinyin_order(site: Path) -> None:
    all_pages = pages(site)
    for url in ("", "schools"):
        counties = re.findall(r'<li><a href="[^"]*">([^<]+)</a><span class="xw-sub">\d+ 所学校', all_pages[url])
        assert len(counties) == 3 and _pinyin_sorted(counties), (url, counties)
    assert counties == ["白河县", "青石县", "云岭区"]
    for county in ("schools/qingshi", "schools/baihe", "compliance/yunling"):
        body = all_pages[county].replace("<wbr>", "")
        names = [re.sub(r"<[^>]+>", "", n) for n in re.findall(r'<th scope="row" data-label="学校">(.*?)</th>', body)]
        assert len(names) > 5 and _pinyin_sorted(names), (county, names)


def test_every_csv_is_described_as_opening_in_excel(site: Path) -> None:
    files = sorted((site / "data").glob("*.csv"))
    assert len(files) >= 7
    data = parsed(pages(site)["data"])
    rows = "".join(data.content)
    for path in files:
        assert path.read_bytes().startswith(b"\xef\xbb\xbf"), path.name  # the BOM Excel needs
    assert rows.count("可用 Excel 直接打开") >= 5 and "CSV（UTF-8）" not in rows
    assert "全部 CSV 文件都是带 BOM 的 UTF-8 编码" in rows


# -- the two ways of marking a table's cells (pages/words.py) ------------------------------------------

TABLES = [
    "<table><td>行政事业性收费 290 元/生·学期</td><TD class=x>A<b>1500 元</b> 青石县</TD><th/>x</table>",
    "<table><td>x<svg><text>1200 元</text></svg></td><code>1200 元</code><time>2026-01-01</time></table>",
    "<table><tr><td><pre>1234 元</pre><td>9999 元<caption>3000元</caption></table>",
    "<table><tdx>1234 元</tdx> 5678 元</table>", "<table><td>&lt;b&gt; 1,234 元 &amp; 1234 元</td></table>",
    "<table><td>a 1234 元</th> 5678 元<td>x</td></table>", "<table><td>1<td>2</td></td></table>",
    "<table><thead><tr><th>1234 元</th></tr></thead><td>青石县课后服务 1500 元/生·学期</td><tbody> 9999 元</table>",
    "<table><td>a</td>", "<table><caption>2026 年 1500 元</caption><td>x</table>", "<table></table>",
]


def test_a_plain_table_is_marked_cell_by_cell_as_the_walk_marks_it(site: Path) -> None:
    """The quick way (one pattern per cell) gives the walk's text (tag by tag) on every table of the
    example's rendered pages, marked again, and on tables the quick way must hand over to the walk."""
    from xiaowu.pages.words import _cells, _walk, whole_pattern  # the two ways, compared
    whole = whole_pattern(["青石县", "白河县", "课后服务"])
    tables = TABLES + [t for html in pages(site).values() for t in re.findall(r"<table\b.*?</table>", html, re.S)]
    assert len(tables) > 200
    for table in tables:
        assert _cells(table, whole) == _walk(table, whole), table[:200]


def test_the_names_tree_finds_what_a_longest_first_alternation_finds() -> None:
    """whole_pattern's tree of names (pages/words.py) against the plain alternation it replaced, on
    random names that share beginnings and random texts made of them."""
    import random

    from xiaowu.pages.words import _WHOLE, whole_pattern
    rng = random.Random(25)
    pieces = ["青", "石", "县", "白", "河", "第1", "第10", "0", "镇", "中学", "290 元", "2026-01-01", "学", "费"]
    for _ in range(300):
        names = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(0, 12))]
        listed = sorted({n for n in names if len(n) > 1}, key=len, reverse=True)
        plain = re.compile("|".join([re.escape(n) for n in listed] + [_WHOLE]))
        tree = whole_pattern(names)
        for _ in range(5):
            text = "".join(rng.choice(pieces + names + [" ", "，"]) for _ in range(rng.randint(0, 15)))
            assert [m.span() for m in tree.finditer(text)] == [m.span() for m in plain.finditer(text)], (names, text)
