"""End to end: build the example into a temporary folder and check pages and exports against the YAML.

Expected values are read from the YAML files with PyYAML's BaseLoader (all strings), independently
of the code under test, so a test cannot pass by agreeing with a bug.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import datetime, UTC
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from xiaowu.model.units import PRICING_WORDS
import yaml

REPO = Path(__file__).resolve().parents[1]
TODAY_EPOCH = str(int(datetime(2026, 11, 21, tzinfo=UTC).timestamp()))
SITE_URL = "https://xiaowu.qingshi.example.cn/"


def raw_yaml(path: Path) -> Any:
    return yaml.load(path.read_text("utf-8"), Loader=yaml.BaseLoader)


class Tree(HTMLParser):
    """Elements as (tag, attrs, text) with the text inside each, enough for table-row assertions."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.links: list[dict[str, str]] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags.append((tag, values))
        if tag == "a":
            self.links.append(values)
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def build(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(project / "site"), *args],
                          cwd=project, capture_output=True, text=True, timeout=900,
                          env={**os.environ, "SOURCE_DATE_EPOCH": TODAY_EPOCH, **(env or {})})


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    project = tmp_path_factory.mktemp("example")
    for name in ("docs", "schools"):
        shutil.copytree(REPO / name, project / name)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    proc = build(project, "--strict")
    assert proc.returncode == 0, proc.stderr
    return project, proc


def school_files() -> list[Path]:
    return sorted(p for p in (REPO / "schools").glob("*/*.yml"))


def page(project: Path, url: str) -> str:
    """A page's HTML without the reading aids of issue 24, so it compares with the YAML's plain values:
    no word breaks (<wbr>), no nowrap spans, sums without thousands separators (test_pages_text.py and
    test_browser_words.py test those)."""
    html = (project / "site" / url / "index.html").read_text("utf-8")
    html = re.sub(r'<span class="xw-nw">([^<]*)</span>', r"\1", html.replace("<wbr>", ""))
    return re.sub(r"(?<=\d),(?=\d{3}(?:\D|$))", "", html)


def test_every_school_file_becomes_a_page_and_is_counted(example: tuple[Path, Any]) -> None:
    project, proc = example
    files = school_files()
    assert len(files) == 48
    for path in files:
        assert (project / "site" / "schools" / path.parent.name / path.stem / "index.html").is_file(), path
    items = sum(len(d["items"]) for p in files for d in raw_yaml(p)["fee_disclosures"])
    roster = raw_yaml(REPO / "schools" / "policy.yml")["roster"]
    assert f"读取 {len(files)} 个学校文件，生成 {len(files)} 个学校页面" in proc.stderr
    assert f"{items} 行收费明细、{len(roster)} 行公开情况" in proc.stderr


def test_school_page_shows_a_known_fee_with_its_document_number(example: tuple[Path, Any]) -> None:
    project, _ = example
    data = raw_yaml(REPO / "schools" / "qingshi" / "qingshi-00003.yml")
    autumn = next(d for d in data["fee_disclosures"] if d["term"] == "2026-秋")
    html = page(project, "schools/qingshi/qingshi-00003")
    rows = Tree(html).rows
    for item in autumn["items"]:
        row = next(r for r in rows if r and r[0] == item["item"] + item.get("stage", "") + item.get("tier", ""))
        if "amount" in item:  # the amount with its unit, in words: "290 元/生·学期"
            assert row[2] == f"{item['amount']} {item['unit']}"
        else:  # no amount: the pricing mode in words a parent understands, e.g. "按教材标价，元/生·学期"
            assert row[2] == f"{PRICING_WORDS[item['pricing']]}，{item['unit']}"  # the unit too (issue 24 §12)
        assert item["basis"]["document"] in row[4] and item["basis"]["authority"] in row[4]
        assert row[3] == item["scope"] and row[5] == item["voluntary"]
    assert "<caption>" in html and 'scope="col"' in html and 'scope="row"' in html
    first = autumn["items"][0]
    assert f"<title>{data['profile']['name']} 2026 年秋季学期收费公示 - " in html
    share = re.search(r'<meta property="og:description" content="([^"]*)"', html)
    assert share and f"{first['item']} {first['amount']} {first['unit']}" in share.group(1)  # key figures
    bureau_line = raw_yaml(REPO / "schools" / "policy.yml")["hotlines"][0]["phone"]  # official lines lead
    assert bureau_line in share.group(1) and "2026 年秋季学期" in share.group(1)
    assert re.search(r'<svg viewBox="0 0 \d+ \d+" class="xw-qr-code"><title>', html)  # its QR code


def test_hotlines_are_tel_links(example: tuple[Path, Any]) -> None:
    project, _ = example
    data = raw_yaml(REPO / "schools" / "qingshi" / "qingshi-00003.yml")
    own = data["hotlines"][0]["phone"].replace("-", "")
    links = {a.get("href") for a in Tree(page(project, "schools/qingshi/qingshi-00003")).links}
    policy = raw_yaml(REPO / "schools" / "policy.yml")
    assert f"tel:{own}" in links
    for hotline in policy["hotlines"]:
        assert "tel:" + hotline["phone"].replace("-", "") in links
    home_links = {a.get("href") for a in Tree(page(project, "")).links}
    assert "tel:12345" in home_links and "tel:" + policy["hotlines"][0]["phone"].replace("-", "") in home_links


def _amounts(data: Any, term: str) -> dict[str, str]:
    disclosure = next(d for d in data["fee_disclosures"] if d["term"] == term)
    return {i["item"]: i["amount"] for i in disclosure["items"] if "amount" in i}


def test_changes_since_last_term_in_plain_words(example: tuple[Path, Any]) -> None:
    project, _ = example
    data = raw_yaml(REPO / "schools" / "yunling" / "yunling-00005.yml")
    autumn, spring = _amounts(data, "2026-秋"), _amounts(data, "2026-春")
    html = page(project, "schools/yunling/yunling-00005")
    meal_old, meal_new = spring["伙食费"], autumn["伙食费"]
    assert (f"伙食费由 {meal_old} 元/生·学期 调整为 {meal_new} 元/生·学期，"
            f"增加 {int(meal_new) - int(meal_old)} 元。") in html
    added = sorted(set(autumn) - set(spring))
    assert added and f"新增收费项目：{added[0]}，{autumn[added[0]]} 元/生·学期。" in html
    dropped = raw_yaml(REPO / "schools" / "yunling" / "yunling-00002.yml")
    gone = sorted(set(_amounts(dropped, "2026-春")) - set(_amounts(dropped, "2026-秋")))
    assert gone and f"不再收取：{gone[0]}" in page(project, "schools/yunling/yunling-00002")


def test_reviewed_exception_is_shown_openly(example: tuple[Path, Any]) -> None:
    project, _ = example
    exception = raw_yaml(REPO / "schools" / "exceptions.yml")["exceptions"][0]
    assert exception["school"] == "yunling-00005"  # from the bureau's file, not the school's
    html = page(project, "schools/yunling/yunling-00005")
    assert 'id="exceptions"' in html and exception["reason"] in html and exception["basis"] in html
    assert '<a class="xw-flag" href="#exceptions">经审核的例外</a>' in html


def test_edit_and_source_links_point_at_the_yaml(example: tuple[Path, Any]) -> None:
    project, _ = example
    html = page(project, "schools/qingshi/qingshi-00003")
    links = {a.get("href") for a in Tree(html).links}
    # Parents get a small "原始资料" link at the bottom, not an edit pencil or a repository path.
    assert "https://git.qingshi.example.cn/jyj/xiaowu/-/edit/main/schools/qingshi/qingshi-00003.yml" not in links
    assert "https://git.qingshi.example.cn/jyj/xiaowu/-/blob/main/schools/qingshi/qingshi-00003.yml" in links
    assert "../../../data/schools/qingshi-00003.json" in links
    assert ".yml<" not in html and "md-content__button" not in html


def test_schools_are_not_in_the_sidebar_and_pages_stay_small(example: tuple[Path, Any]) -> None:
    project, _ = example
    for url in ("", "schools/qingshi/qingshi-00003", "catalog"):
        html = page(project, url)
        nav = html[html.index('<nav class="md-nav md-nav--primary"'):html.index("</nav>", html.index('md-nav--primary'))]
        assert "qingshi-000" not in nav
    sizes = [(p / "index.html").stat().st_size for p in (project / "site" / "schools").glob("*/*-*")]
    assert len(sizes) == 48 and max(sizes) < 100_000


def test_county_and_dashboard_pages_cover_the_roster(example: tuple[Path, Any]) -> None:
    project, _ = example
    roster = raw_yaml(REPO / "schools" / "policy.yml")["roster"]
    counties = {c["id"]: c["name"] for c in raw_yaml(REPO / "schools" / "policy.yml")["counties"]}
    for county in counties:
        county_rows = Tree(page(project, f"schools/{county}")).rows
        dash_rows = Tree(page(project, f"compliance/{county}")).rows
        members = [s["name"] for s in roster if s["county"] == county]
        assert sorted(r[0] for r in county_rows[1:]) == sorted(members)
        assert sorted(r[0] for r in dash_rows[1:]) == sorted(members)
    dashboard = page(project, "compliance")
    assert "未提交" in dashboard and "青石县长岗小学" in dashboard  # on the roster, no file
    overdue = [r for r in Tree(dashboard).rows if len(r) == 4 and r[2] == "逾期未公开"]
    assert len(overdue) == 2
    totals = next(r for r in Tree(dashboard).rows if r and r[0] == "合计")
    assert totals[1] == str(len(roster))


def test_catalog_page_lists_items_caps_and_documents(example: tuple[Path, Any]) -> None:
    project, _ = example
    rows = Tree(page(project, "catalog")).rows
    catalog = raw_yaml(REPO / "schools" / "policy.yml")["catalog"]
    for entry in catalog:
        row = next(r for r in rows if len(r) == 8 and r[0] == entry["item"] and entry["basis"]["document"] in r[6]
                   and "、".join(entry["stages"]) == r[2])
        if "tiers" in entry:  # every tier with its own cap or pricing mode (no "：": a phone card reads "最高标准：…"), and the note that the school must name one
            assert all(f"{t['name']} {t['cap'] if 'cap' in t else PRICING_WORDS[t['pricing']]}" in row[4] for t in entry["tiers"]) and "档次" in row[7], row
        elif "cap" in entry:
            assert row[4].startswith(entry["cap"]), row
        else:  # no cap: the pricing mode in words
            assert row[4] == PRICING_WORDS.get(entry.get("pricing", ""), "") or row[4] == "不设上限", row
        assert entry.get("notes", "") in row[7]
        if "counties" in entry:
            assert "只限云岭区收取" in row[7], row
        if "schools" in entry:  # an approval for named schools says so (issue 24 §14)
            assert "只批准给" in row[7] and "不适用于其他学校" in row[7], row
    assert any("tiers" in e for e in catalog) and any("counties" in e for e in catalog)
    assert any("schools" in e for e in catalog) and any("pricing" in t for e in catalog for t in e.get("tiers", []))


def test_exports(example: tuple[Path, Any]) -> None:
    project, _ = example
    data = project / "site" / "data"
    everything = json.loads((data / "schools.json").read_text("utf-8"))
    assert everything["schema_version"] == "2.2" and len(everything["schools"]) == 48
    one = json.loads((data / "schools" / "qingshi-00003.json").read_text("utf-8"))
    source = raw_yaml(REPO / "schools" / "qingshi" / "qingshi-00003.yml")
    assert one["fee_disclosures"] == source["fee_disclosures"]  # values exactly as typed
    ratings = [e for e in raw_yaml(REPO / "schools" / "oversight.yml")["evaluations"] if e["school"] == "qingshi-00003"]
    assert [e["score"] for e in one["evaluation_results"]] == [e["score"] for e in ratings]  # the bureau's, as typed
    raw = (data / "fees.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:6] == ["学校代号", "学校名称", "县区代号", "县区", "学期", "公示日期"]
    assert len(rows) - 1 == sum(len(d["items"]) for p in school_files() for d in raw_yaml(p)["fee_disclosures"])
    compliance = list(csv.reader(io.StringIO((data / "compliance.csv").read_text("utf-8-sig"))))
    assert len(compliance) - 1 == len(raw_yaml(REPO / "schools" / "policy.yml")["roster"])
    feed = ET.parse(project / "site" / "feed.xml").getroot()
    entries = feed.findall("{http://www.w3.org/2005/Atom}entry")
    assert entries and entries[0].find("{http://www.w3.org/2005/Atom}link").get("href").startswith(SITE_URL)
    sitemap = ET.parse(project / "site" / "sitemap.xml").getroot()
    locs = [u.find("{http://www.sitemaps.org/schemas/sitemap/0.9}loc").text for u in sitemap]
    assert SITE_URL + "schools/qingshi/qingshi-00003/" in locs and SITE_URL + "clerks/" in locs
    assert json.loads((data / "schema" / "school.schema.json").read_text("utf-8"))["type"] == "object"


def test_cli_export_writes_the_same_bytes(example: tuple[Path, Any], tmp_path: Path) -> None:
    project, _ = example
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "xiaowu.cli", "export", "--out", str(out), "--site-url", SITE_URL],
                          cwd=project, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "SOURCE_DATE_EPOCH": TODAY_EPOCH})
    assert proc.returncode == 0, proc.stderr
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert len(written) == 48 + 16  # one JSON per school; schools.json, 8 CSV files, feed, 2 sitemaps, 4 schemas
    for name in written:
        assert (out / name).read_bytes() == (project / "site" / name).read_bytes(), name


def test_cli_export_refuses_bad_data(tmp_path: Path) -> None:
    shutil.copytree(REPO / "schools", tmp_path / "schools")
    bad = tmp_path / "schools" / "qingshi" / "qingshi-00003.yml"
    bad.write_text(re.sub(r"amount: \d+", "amount: 99999", bad.read_text("utf-8"), count=1), "utf-8")
    proc = subprocess.run([sys.executable, "-m", "xiaowu.cli", "export", "--out", "out"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1 and "F207" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_settlements_reach_the_school_page_and_the_csv(example: tuple[Path, Any]) -> None:
    """Every settled item the clerks typed is on its school page and in data/settlements.csv, as typed."""
    project, _ = example
    rows = list(csv.reader(io.StringIO((project / "site" / "data" / "settlements.csv").read_text("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    expected = 0
    for path in school_files():
        data = raw_yaml(path)
        for settlement in data.get("settlements", []):
            html = page(project, f"schools/{path.parent.name}/{path.stem}")
            table = [r for r in Tree(html).rows if len(r) == 6]
            for item in settlement["items"]:
                expected += 1
                row = next(r for r in table if r[0].startswith(item["item"]))
                assert row[2].startswith(item["collected"] + " 元"), (path, row)
                for spend in item["spending"]:
                    assert f"{spend['purpose']} {spend['amount']} 元" in row[3], (path, row)
                line = next(r for r in body if r[0] == path.stem and r[7] == item["item"])
                record = dict(zip(header, line))
                assert record["收取金额"] == item["collected"] and record["学期"] == settlement["term"]
                assert record["退还金额"] == item.get("refunded", "") and record["结转下学期"] == item.get("carried", "")
    assert expected == len(body) > 48


def test_overdue_settlement_refund_and_rectification_show_where_parents_look(example: tuple[Path, Any]) -> None:
    project, _ = example
    unsettled = page(project, "schools/qingshi/qingshi-00006")
    assert "结算逾期" in unsettled and "2026 年春季学期的收费结算逾期" in unsettled
    late = page(project, "schools/baihe/baihe-00010")
    assert "清退逾期" in late and "整改逾期" in late and "逾期 21 天未完成" in late
    dashboard = page(project, "compliance")
    assert "baihe-00010" in dashboard and "逾期 21 天未完成" in dashboard
    totals = next(r for r in Tree(dashboard).rows if r and r[0] == "合计")
    # 结算逾期 (one missing, one late), 清退逾期, 整改逾期; no monthly canteen rule in the example: 月度收支逾期, 盈亏超限
    assert totals[-5:] == ["2", "1", "1", "0", "0"]
    status = list(csv.reader(io.StringIO((project / "site" / "data" / "compliance.csv").read_text("utf-8-sig"))))
    flagged = {r[0]: r[-2] for r in status[1:] if r[-2]}
    assert flagged == {"qingshi-00006": "结算逾期", "qingshi-00018": "结算逾期", "baihe-00010": "清退逾期、整改逾期"}


def test_oversight_page_and_exports_follow_the_bureau_file(example: tuple[Path, Any]) -> None:
    project, _ = example
    source = raw_yaml(REPO / "schools" / "oversight.yml")
    html = page(project, "oversight")
    assert html.count('<svg class="xw-chart"') == 2
    table = {r[0]: r for r in Tree(html).rows if len(r) == 7}
    for period in source["complaints"]:
        if "closed" not in period:  # a notice that gave one category only: no rate to compute
            assert "未公布" in html
            continue
        closed, received = int(period["closed"]), int(period["received"])
        row = next(r for label, r in table.items() if label.startswith(period["period"][:4]))
        assert row  # every period is listed
        rate = f"{closed * 100 / received:.1f}%"
        assert rate in html, (period["period"], rate)
    data = project / "site" / "data"
    refunds = list(csv.reader(io.StringIO((data / "refunds.csv").read_text("utf-8-sig"))))
    assert [r[0] or r[1] for r in refunds[1:]] == [r.get("school") or r["school_name"] for r in source["refunds"]]
    assert [r[6] for r in refunds[1:]] == [r["amount"] for r in source["refunds"]]
    complaints = list(csv.reader(io.StringIO((data / "complaints.csv").read_text("utf-8-sig"))))
    assert sorted(r[0] for r in complaints[1:]) == sorted(p["period"] for p in source["complaints"])
    everything = json.loads((data / "schools.json").read_text("utf-8"))
    assert everything["schema_version"] == "2.2"
    assert [r["amount"] for r in everything["oversight"]["refunds"]] == [r["amount"] for r in source["refunds"]]
    one = json.loads((data / "schools" / "baihe-00010.json").read_text("utf-8"))
    assert [r["item"] for r in one["refunds"]] == ["资料费"] and one["inspections"][0]["school"] == "baihe-00010"
    assert {f["code"] for f in one["status"]["flags"]} == {"refund_overdue", "rectification_overdue"}
    assert json.loads((data / "schema" / "oversight.schema.json").read_text("utf-8"))["type"] == "object"


def test_catalog_page_states_the_settlement_deadline_and_what_may_carry_over(example: tuple[Path, Any]) -> None:
    project, _ = example
    html = page(project, "catalog")
    rules = raw_yaml(REPO / "schools" / "policy.yml")["settlement"]
    assert f"在学期结束后 {rules['deadline_days']} 天内结算" in html
    assert "结余可以结转下学期使用的：" + "、".join(rules["carry_over"]) in html
    terms = {r[0]: r for r in Tree(html).rows if len(r) == 5}
    spring = terms["2026 年春季学期"]
    assert spring[2] == "2026-07-10" and spring[4] == "2026-08-09"  # the term's end + 30 days


def _indexed(html: str) -> list[tuple[str, dict[str, str]]]:
    return [(tag, attrs) for tag, attrs in Tree(html).tags if "data-pagefind-body" in attrs]


@pytest.mark.parametrize("school_id", ["qingshi-00003", "yunling-00005", "baihe-00010", "baihe-00007"])
def test_search_indexes_the_name_county_and_this_terms_fee_items_only(example: tuple[Path, Any], school_id: str) -> None:
    from xiaowu.pages.searchwords import spell, terms, unshown

    project, _ = example
    path = next((REPO / "schools").glob(f"*/{school_id}.yml"))
    data = raw_yaml(path)
    html = page(project, f"schools/{path.parent.name}/{school_id}")
    body = _indexed(html)
    assert len(body) == 1 and "hidden" in body[0][1]  # one invisible block; the visible page is not indexed
    attrs = body[0][1]
    assert unshown(attrs["data-title"]) == data["profile"]["name"]  # moved out of the indexer's reach (shown)
    current = [i for d in data["fee_disclosures"] if d["term"] == "2026-秋" for i in d["items"]]
    fees = unshown(attrs["data-fees"]).split("；") if attrs["data-fees"] else []
    assert [f.split(" ")[0].split("（")[0] for f in fees] == [i["item"] for i in current]
    for fee, item in zip(fees, current):  # each line names its stage and tier, with its standard
        assert all(part in fee.split(" ")[0] for part in (item.get("stage", ""), item.get("tier", "")))
        assert item.get("amount", "") in fee
    block = html[html.index("data-pagefind-body"):]
    block = block[:block.index("</div>")]
    key = "".join(terms(data["profile"]["name"]))
    assert f">{spell(key)}</p>" in block  # the whole name, its own weighted word
    indexed = set(re.findall(r"(?<![-\w])[0-9a-z]{4,}(?![-\w])", block.split(">", 1)[1]))
    assert {spell(i["item"]) for i in current} <= indexed
    others = {i["item"] for d in data["fee_disclosures"] for i in d["items"]} - {i["item"] for i in current}
    assert others.isdisjoint(i for i in others if spell(i) in indexed)  # an older notice's items are not indexed


def test_search_indexes_a_county_page_by_its_name_only(example: tuple[Path, Any]) -> None:
    from xiaowu.pages.searchwords import spell, unshown

    project, _ = example
    html = page(project, "schools/yunling")
    body = _indexed(html)
    assert len(body) == 1 and unshown(body[0][1]["data-title"]) == "云岭区学校名录"
    block = html[html.index("data-pagefind-body"):]
    block = block[:block.index("</div>")]
    assert f">{spell('云岭区')}</p>" in block and spell("柳湾") not in block
