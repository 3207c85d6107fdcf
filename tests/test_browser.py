"""What a parent on a phone sees, in a real browser: search, school page, tap to call, print, offline,
accessibility and a 360 px screen. Debian's Chromium via Playwright; the example site built once."""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright
from pypdf import PdfReader

from browser import CHROMIUM, FLAGS, serve

REPO = Path(__file__).resolve().parents[1]
EPOCH = "1795219200"  # 2026-11-21
PAGES = {"home": "", "county": "schools/qingshi/", "school": "schools/qingshi/qingshi-00003/",
         "dashboard": "compliance/", "rules": "rules/"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = tmp_path_factory.mktemp("browser")
    for name in ("docs", "schools"):
        shutil.copytree(REPO / name, project / name)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(project / "site")], cwd=project,
                          capture_output=True, text=True, timeout=900, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    assert proc.returncode == 0, proc.stderr
    yield from serve(project / "site")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "Debian chromium is missing: the test command installs it (scripts/test.sh)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def phone(browser: Browser) -> Iterator[Page]:
    """A 360 px touch screen. Fails the test on any dialog (no pop-ups) or script error."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    problems: list[str] = []
    page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    yield page
    context.close()
    assert not problems, problems


def _search(page: Page, site: str, query: str) -> list[tuple[str, str]]:
    page.goto(site)
    page.fill("#xw-q", query)
    page.wait_for_selector(".xw-search-results li a", timeout=30_000)
    links = page.locator(".xw-search-results li a")
    return [(links.nth(i).inner_text(), links.nth(i).get_attribute("href") or "") for i in range(links.count())]


def test_search_finds_a_school_by_part_of_its_name(phone: Page, site: str) -> None:
    results = _search(phone, site, "柳湾小学")
    assert results[0][0] == "云岭区柳湾小学"
    phone.locator(".xw-search-results li a").first.click()
    phone.wait_for_url("**/schools/yunling/yunling-00005/")
    assert phone.locator("h1").first.inner_text() == "云岭区柳湾小学"


@pytest.mark.parametrize("query, item", [("住宿费", "住宿费"), ("课后服务", "课后服务费")])
def test_search_finds_schools_by_fee_name(phone: Page, site: str, query: str, item: str) -> None:
    results = _search(phone, site, query)
    charging = [p for p in sorted(REPO.glob("schools/*/*.yml"))
                if any(i["item"] == item for d in yaml.load(p.read_text("utf-8"), Loader=yaml.BaseLoader)["fee_disclosures"]
                       for i in d["items"])]
    assert len(charging) > 3
    status = phone.locator(".xw-search-status").inner_text()
    assert f"找到 {len(charging)} 个结果" == status
    phone.goto(site.rstrip("/") + results[0][1])
    assert item in phone.locator("table.xw-fees").first.inner_text()


def test_search_finds_a_county(phone: Page, site: str) -> None:
    results = _search(phone, site, "云岭区")
    assert ("云岭区学校名录", "/schools/yunling/") in results[:3]


def test_tapping_a_hotline_dials_it(phone: Page, site: str) -> None:
    phone.goto(site + PAGES["school"])
    phone.evaluate("""() => document.addEventListener('click', e => {
        const a = e.target.closest('a'); window.__tapped = a && a.href; window.__prevented = e.defaultPrevented;
        e.preventDefault();  // the test machine has no dialer to hand the tel: link to
    }, true)""")
    hotline = phone.locator("#hotlines ~ ul .xw-tel, section .xw-tel").first
    hotline.scroll_into_view_if_needed()
    box = hotline.bounding_box()
    assert box and box["height"] >= 44 and box["width"] >= 44  # a thumb-sized target
    hotline.tap()
    tapped = phone.evaluate("window.__tapped")
    assert tapped.startswith("tel:0712") and not phone.evaluate("window.__prevented")


def test_print_gives_a_one_or_two_page_a4_notice(browser: Browser, site: str) -> None:
    page = browser.new_page()
    page.goto(site + PAGES["school"])
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    reader = PdfReader(io.BytesIO(pdf))
    assert 1 <= len(reader.pages) <= 2
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert abs(width - 595) < 3 and abs(height - 842) < 3  # A4 in points
    # PDF text extraction maps some CJK glyphs to radicals (⻘ for 青), so compare the digits: document
    # numbers, amounts, the publication date, the page address behind the QR code.
    compact = unicodedata.normalize("NFKC", "".join("".join(p.extract_text() for p in reader.pages).split()))
    data = yaml.load((REPO / "schools/qingshi/qingshi-00003.yml").read_text("utf-8"), Loader=yaml.BaseLoader)
    fees = data["fee_disclosures"][0]
    assert fees["term"] == "2026-秋"
    for item in fees["items"]:
        assert re.sub(r"[^\d〔〕]", "", item["basis"]["document"]) in compact  # the approving documents
        assert item.get("amount", "") in compact
    assert fees["published"] in compact and data["hotlines"][0]["phone"] in compact
    assert "https://xiaowu.qingshi.example.cn/schools/qingshi/qingshi-00003/" in compact
    page.emulate_media(media="print")
    assert page.locator("table.xw-fees").first.is_visible() and page.locator("svg.xw-qr-code").is_visible()
    assert not page.locator(".md-sidebar--primary").is_visible() and not page.locator(".md-header").is_visible()
    page.close()


def test_no_request_leaves_the_site(browser: Browser, site: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    for url in PAGES.values():
        page.goto(site + url)
        page.wait_for_load_state("networkidle")
    page.goto(site)
    page.fill("#xw-q", "住宿费")
    page.wait_for_selector(".xw-search-results li")
    page.wait_for_load_state("networkidle")
    context.close()
    host = urlsplit(site).netloc
    outside = [u for u in requests if urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc != host]
    assert not outside, outside
    assert any("/pagefind/" in u for u in requests)  # the search really ran


@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_serious_violations(browser: Browser, site: str, name: str) -> None:
    page = browser.new_page()
    page.goto(site + PAGES[name])
    violations: list[dict[str, Any]] = Axe().run(page).response["violations"]
    page.close()
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations
           if v["impact"] in ("serious", "critical")]
    assert not bad, bad


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize("width", [360, 180])  # 180 CSS px: a 360 px screen at 200% zoom
def test_no_horizontal_scrolling_on_a_phone(browser: Browser, site: str, name: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 740})
    page.goto(site + PAGES[name])
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    page.close()
    assert scroll_width <= width


def test_keyboard_alone_finds_and_opens_a_school(browser: Browser, site: str) -> None:
    page = browser.new_page()
    page.goto(site)
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == "xw-q":
            break
    else:
        pytest.fail("the search box cannot be reached with Tab")
    page.keyboard.type("柳湾小学")
    page.wait_for_selector(".xw-search-results li a")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "云岭区柳湾小学"
    page.keyboard.press("Enter")
    page.wait_for_url("**/schools/yunling/yunling-00005/")
    page.close()
