"""The clerks' form editor in a real browser, against the real local git proxy (decap-server) writing
into a temporary git repository: a new school's disclosure made through the form passes `xiaowu check`
and builds; a one-amount edit is a one-line diff; a wrong phone is refused in Chinese; no request
leaves the machine. Debian's Chromium via Playwright (scripts/editor_session.py sets the stage)."""
from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from browser import chromium

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
from editor_session import EPOCH, EditorSession, add, choose, field, fill, login  # noqa: E402

from xiaowu.editor.patterns import PHONE  # noqa: E402

NEW = "schools/qingshi/qingshi-00048.yml"  # on the bureau's roster, no file yet


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EditorSession]:
    with EditorSession(tmp_path_factory.mktemp("editor")) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


@pytest.fixture()
def problems() -> list[str]:
    return []


@pytest.fixture()
def page(browser: Browser, session: EditorSession, problems: list[str]) -> Iterator[Page]:
    """A logged-in editor at 1280 px; fails on a script error and on any request to another host."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    allowed = {urlsplit(session.site_url).netloc, urlsplit(session.proxy_url).netloc}
    tab.on("pageerror", lambda error: problems.append(f"script error: {error} {error.stack}"))
    tab.on("console", lambda m: "Content Security Policy" in m.text and problems.append(f"refused by the page's CSP: {m.text}"))
    tab.on("request", lambda r: urlsplit(r.url).scheme in ("http", "https") and urlsplit(r.url).netloc not in allowed
           and problems.append(f"request to another host: {r.url}"))
    login(tab, session)
    yield tab
    context.close()
    assert not problems, problems


def _check(session: EditorSession, branch: str) -> Path:
    """A checkout of the editor's branch (what CI sees in the merge request)."""
    checkout = session.root / branch.replace("/", "-")
    session.git("clone", "-q", "--branch", branch, str(session.repo), str(checkout), cwd=session.root)
    return checkout


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=900,
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"})


def _save(page: Page) -> None:
    """Press 保存 and wait until the editor says it is saved (the proxy has committed and checked out main)."""
    page.get_by_role("button", name="保存").click()
    page.get_by_text("修改已保存").wait_for(timeout=60_000)


def _fee(page: Page, item: str, amount: str, scope: str, basis: tuple[str, str]) -> None:
    authority, document = basis
    add(page, "收费项目")
    choose(page, "item", item)
    choose(page, "category", {"课后服务费": "服务性收费", "伙食费": "伙食费"}[item])
    fill(page, "amount", amount)
    fill(page, "unit", "元/生·学期")
    fill(page, "scope", scope)
    fill(page, "authority", authority)
    fill(page, "document", document)
    choose(page, "voluntary", "是")


def test_a_new_school_made_in_the_form_passes_the_check_and_builds(page: Page, session: EditorSession) -> None:
    page.goto(session.admin_url + "#/collections/qingshi/new")
    choose(page, "school", "长岗小学")
    choose(page, "name", "长岗小学")
    choose(page, "ownership", "公办")
    choose(page, "stages", "小学")
    choose(page, "boarding", "否")
    fill(page, "address", "青石县长岗镇学府路 3 号")
    fill(page, "office_phone", "0712-5270999")
    fill(page, "supervising_authority", "青石市教育局")
    add(page, "投诉举报电话")
    fill(page, "name", "学校收费监督电话")
    fill(page, "phone", "0712-5270998")
    add(page, "收费公示")
    choose(page, "term", "2026-秋")
    fill(page, "published", "2026-08-15")
    fill(page, "valid_from", "2026-09-01")
    fill(page, "valid_until", "2027-01-22")
    add(page, "公示渠道")
    fill(page, "channels", "校门口收费公示栏")
    _fee(page, "课后服务费", "350", "自愿参加课后服务的学生", ("青石市发展和改革委员会", "青石市发改收费〔2025〕21号"))
    # The preview is the public fee table, with the catalog's cap for this school beside each amount.
    table = page.frame_locator("#preview-pane").locator("table.xw-fees")
    expect(table).to_contain_text("350 元/生·学期本局目录上限 300 元/生·学期，已超过上限")
    fill(page, "amount", "280")
    expect(table).not_to_contain_text("已超过上限")
    _fee(page, "伙食费", "1450", "在校就餐学生", ("青石市教育局", "青石市教育局〔2025〕7号"))
    fill(page, "reductions", "家庭经济困难学生免收伙食费，由家长向学校申请。")
    add(page, "投诉举报渠道")
    fill(page, "complaint_channels", "学校收费监督电话")
    for channel in ("青石市教育局收费投诉电话", "12345"):
        add(page, "投诉举报渠道")
        fill(page, "complaint_channels", channel)
    expect(table).to_contain_text("1450 元/生·学期本局目录上限 1600 元/生·学期")
    _save(page)
    text = session.branch_file("cms/qingshi/qingshi-00048", NEW)
    assert "school:" not in text and "课后服务费" in text and "amount: 280" in text
    checkout = _check(session, "cms/qingshi/qingshi-00048")
    checked = _run([sys.executable, "-m", "xiaowu.cli", "check", "--strict", NEW], checkout)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = _run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(checkout / "site")], checkout)
    assert built.returncode == 0, built.stderr
    school_page = (checkout / "site" / "schools" / "qingshi" / "qingshi-00048" / "index.html").read_text("utf-8")
    assert "青石县长岗小学" in school_page and "1,450" in school_page and "0712-5270998" in school_page


def _one_amount(page: Page, session: EditorSession, school: str, amounts: tuple[str, str]) -> None:
    """Change the school's first amount in its open form and save: the branch differs by that line only."""
    county, (before, after) = school.split("-")[0], amounts
    amount = field(page, "amount", 0)
    assert amount.input_value() == before
    amount.fill(after)
    _save(page)
    session.branch_file(f"cms/{county}/{school}", f"schools/{county}/{school}.yml")
    diff = session.git("diff", "--unified=0", "main", f"cms/{county}/{school}")
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == [f"-        amount: {before}", f"+        amount: {after}"], diff


def test_changing_one_amount_changes_one_line(page: Page, session: EditorSession) -> None:
    page.goto(session.admin_url + "#/collections/qingshi/entries/qingshi-00000")
    _one_amount(page, session, "qingshi-00000", ("1100", "1150"))


def test_a_county_whose_form_is_written_as_aliases_reads_and_saves_the_same(page: Page, session: EditorSession) -> None:
    # After the first county, config.yml names the fields every county shares by YAML aliases (config.shared):
    # the second county's form shows its own county and the file's values, and one edit is one line.
    assert "- *id" in (session.root / "site" / "admin" / "config.yml").read_text("utf-8")
    page.goto(session.admin_url + "#/collections/baihe/entries/baihe-00001")
    assert field(page, "address", 0).input_value() == "白河县城关镇学府路 2 号"
    expect(page.locator("body")).to_contain_text("白河县城关小学")
    _one_amount(page, session, "baihe-00001", ("280", "285"))


def test_a_wrong_phone_is_refused_in_chinese(page: Page, session: EditorSession, problems: list[str]) -> None:
    page.goto(session.admin_url + "#/collections/qingshi/new")
    fill(page, "office_phone", "5270681")  # no area code: the checker's H301
    before = session.git("for-each-ref")
    page.get_by_role("button", name="保存").click()
    assert page.get_by_text(f"“办公电话”：{PHONE.message}").is_visible()
    assert session.git("for-each-ref") == before  # nothing was committed
    # The CMS ends a refused save with a bare Promise.reject() (decap-cms-core actions/entries.ts):
    # the browser reports that as an uncaught "undefined"; it is the refusal itself, not a fault.
    page.wait_for_timeout(500)
    problems[:] = [p for p in problems if p != "script error: undefined "]


def test_the_saved_files_are_the_same_bytes_through_the_editors_yaml(page: Page, session: EditorSession) -> None:
    # Every example school file read and written back by the editor's own format (admin.js): unchanged.
    page.goto(session.admin_url + "#/collections/qingshi")
    texts = {p.name: p.read_text("utf-8") for p in sorted((REPO / "schools").glob("*/*.yml"))}
    rewritten = page.evaluate("""(texts) => {
        const fmt = window.CMS.getCustomFormats()['xiaowu-yaml'].formatter;
        return Object.fromEntries(Object.entries(texts).map(([name, text]) => [name, fmt.toFile(fmt.fromFile(text))]));
    }""", texts)
    assert len(texts) == 48 and rewritten == texts


def test_the_public_pages_load_nothing_of_the_editor(session: EditorSession) -> None:
    pages = [p for p in (session.root / "site").rglob("*.html") if "admin" not in p.parts]
    assert len(pages) > 50
    loads = re.compile(r'<(?:script|link|img|iframe)\b[^>]*(?:src|href)="[^"]*admin/|decap-cms')
    assert not [p for p in pages if loads.search(p.read_text("utf-8"))]
    assert "/admin/" in (session.root / "site" / "clerks" / "index.html").read_text("utf-8")  # the guide names it


def test_the_readme_editor_screenshots_come_from_the_script(tmp_path: Path) -> None:
    assert "scripts/screenshots/editor.png" in (REPO / "README.md").read_text("utf-8")
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "editor_session.py"), "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    for name in ("editor.png", "editor-error.png"):
        header = (tmp_path / name).read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">I", header[16:20])[0] == 1280
        committed = (REPO / "scripts" / "screenshots" / name).read_bytes()
        assert (REPO / "docs" / "assets" / "clerks" / name).read_bytes() == committed  # the guide shows the same
