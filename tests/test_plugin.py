"""The MkDocs plugin as a bureau runs it: options, accounting, same findings as the CLI, serving."""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from collections.abc import Iterator

REPO = Path(__file__).resolve().parents[1]
GOLDENS = Path(__file__).parent / "goldens"
EPOCH = "1795219200"  # 2026-11-21


def _project(tmp_path: Path, example: bool = False) -> Path:
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(REPO / "docs", tmp_path / "docs")
    if example:
        shutil.copytree(REPO / "schools", tmp_path / "schools")
    else:
        (tmp_path / "schools" / "demo").mkdir(parents=True)
        shutil.copy(GOLDENS / "policy.yml", tmp_path / "schools" / "policy.yml")
        shutil.copy(GOLDENS / "school.yml", tmp_path / "schools" / "demo" / "demo-school.yml")
    return tmp_path


def _build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(project / "site"), *args],
                          cwd=project, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_strict_option_stops_on_warnings_without_strict_flag(tmp_path: Path) -> None:
    project = _project(tmp_path)
    _edit(project / "schools" / "demo" / "demo-school.yml", "示发改收费〔2025〕21号", "示发改收费21号")
    assert _build(project).returncode == 0
    _edit(project / "mkdocs.yml", "data_dir: schools", "data_dir: schools\n      strict: true")
    proc = _build(project)
    assert proc.returncode != 0 and "F203" in proc.stderr and "1 个警告" in proc.stderr


def test_build_and_cli_report_the_same_findings(tmp_path: Path) -> None:
    project = _project(tmp_path)
    school = project / "schools" / "demo" / "demo-school.yml"
    _edit(school, "amount: 450", "amount: 520")
    _edit(school, "示发改收费〔2025〕21号", "示发改收费21号")
    _edit(school, "  name: ", "  name: 借读费\n  nmae: ")
    proc = _build(project)
    logged = sorted(set(re.findall(r"(schools/\S+?:\d+:\d+): ([A-Z]\d{3})", proc.stderr)))
    cli = subprocess.run([sys.executable, "-m", "xiaowu.cli", "check", "--format", "json"], cwd=project,
                         capture_output=True, text=True, timeout=300, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    found = sorted({(f"{d['file']}:{d['line']}:{d['column']}", d["code"]) for d in json.loads(cli.stdout)["diagnostics"]})
    assert len(found) >= 3 and logged == found
    assert proc.stderr.count("PluginError") + proc.stderr.count("已停止发布") >= 1


def test_a_page_lost_after_the_plugin_fails_the_build(tmp_path: Path) -> None:
    """Accounting: if anything drops a school page (here a hook), the build fails and names it."""
    project = _project(tmp_path, example=True)
    (project / "drop.py").write_text(
        "def on_files(files, config):\n"
        "    files.remove(files.get_file_from_path('schools/qingshi/qingshi-00003.md'))\n"
        "    return files\n", "utf-8")
    _edit(project / "mkdocs.yml", "nav:", "hooks:\n  - drop.py\nnav:")
    proc = _build(project)
    assert proc.returncode != 0
    assert "已读取但没有发布：qingshi-00003" in proc.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str, deadline: float, until: str = "") -> str:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                body: str = response.read().decode("utf-8")
                if until in body:
                    return body
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} did not answer{' with ' + until if until else ''} in time")


def _serve(command: list[str], cwd: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "XIAOWU_ADDR": f"127.0.0.1:{port}", "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def _stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


@contextmanager
def _mkdocs_serve(project: Path) -> Iterator[str]:
    """`mkdocs serve` in ``project`` on a free port; yields its base URL and stops it afterwards."""
    port = _free_port()
    server = _serve([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"], project, port)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        _stop(server)


def test_readme_site_command_serves_the_example() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    assert "bash scripts/serve.sh" in readme
    port = _free_port()
    server = _serve(["bash", "scripts/serve.sh"], REPO, port)
    try:
        deadline = time.monotonic() + 600
        home = _get(f"http://127.0.0.1:{port}/", deadline, "xw-counties")
        assert "青石县" in home
        assert "xiaowu-unchecked" not in home  # the preview, too, drops the "not built by the plugin" notice
        school = _get(f"http://127.0.0.1:{port}/schools/qingshi/qingshi-00003/", deadline, "xw-fees")
        assert "tel:" in school
    finally:
        _stop(server)


def test_serve_rebuilds_when_a_school_file_changes(tmp_path: Path) -> None:
    project = _project(tmp_path, example=True)
    with _mkdocs_serve(project) as base:
        url = f"{base}schools/qingshi/qingshi-00003/"
        _get(url, time.monotonic() + 300, "青石县柳湾镇学府路 4 号")
        # Same size and, put back, the same modification time: only the content tells (the cache
        # is keyed on a hash of the bytes, not on mtime and size).
        school = project / "schools" / "qingshi" / "qingshi-00003.yml"
        before = school.stat()
        _edit(school, "  address: 青石县柳湾镇学府路 4 号", "  address: 青石县柳湾镇学府路 9 号")
        os.utime(school, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert school.stat().st_size == before.st_size
        # MkDocs' watcher polls modification times, so it is another file's change that starts the
        # rebuild; the cache must still see that this file's bytes changed.
        other = project / "schools" / "qingshi" / "qingshi-00006.yml"
        other.write_text(other.read_text("utf-8") + "# 已核对\n", "utf-8")
        _get(url, time.monotonic() + 300, "青石县柳湾镇学府路 9 号")


def test_serve_shows_a_refund_the_bureau_marks_done_on_the_school_page(tmp_path: Path) -> None:
    """School pages are reused between rebuilds; an edit of oversight.yml alone must still reach them."""
    project = _project(tmp_path, example=True)
    with _mkdocs_serve(project) as base:
        url = f"{base}schools/baihe/baihe-00010/"
        _get(url, time.monotonic() + 300, "清退逾期")
        oversight = project / "schools" / "oversight.yml"
        text = oversight.read_text("utf-8")
        start = text.index("  - school: baihe-00010\n    item: 资料费")
        due = text.index("    due: 2026-10-31\n", start) + len("    due: 2026-10-31\n")
        oversight.write_text(text[:due] + "    completed: 2026-11-05\n    refunded: 6600\n" + text[due:], "utf-8")
        page = _get(url, time.monotonic() + 300, "已清退 6,600 元")
        assert "清退逾期" not in page


# -- The clerk's preview (issue 12) ----------------------------------------------------------------

def test_serve_keeps_the_last_good_site_and_shows_every_error_on_every_page(tmp_path: Path) -> None:
    project = _project(tmp_path, example=True)
    with _mkdocs_serve(project) as base:
        deadline = time.monotonic() + 300
        _get(base + "schools/qingshi/qingshi-00003/", deadline, "青石县柳湾中学")
        # A clerk starts a new school from the template: full of blanks, so full of errors.
        new = subprocess.run([sys.executable, "-m", "xiaowu.cli", "new", "qingshi-newone", "--county", "qingshi"],
                             cwd=project, capture_output=True, text=True, timeout=120)
        assert new.returncode == 0, new.stderr
        for url in ("", "schools/qingshi/qingshi-00003/", "compliance/", "rules/"):
            page = _get(base + url, deadline, "xw-problems")
            assert "还不能发布" in page and "schools/qingshi/qingshi-newone.yml:" in page and "怎么改" in page
            assert page.count('class="xw-problems"') == 1  # added by the server, not also written in the page
        assert "青石县柳湾中学" in _get(base + "schools/qingshi/qingshi-00003/", deadline)  # last good data
        build = _build(project)
        assert build.returncode != 0 and "S101" in build.stderr  # publishing still refuses
        (project / "schools" / "qingshi" / "qingshi-newone.yml").unlink()
        deadline = time.monotonic() + 300
        while "xw-problems" in _get(base, deadline):
            assert time.monotonic() < deadline, "the error panel did not go away after the fix"
            time.sleep(0.5)
        # An error in a school file that was good: no page changes, the server shows the findings.
        school = project / "schools" / "qingshi" / "qingshi-00006.yml"
        _edit(school, "  name: ", "  name: 不在名册")
        page = _get(base + "schools/qingshi/qingshi-00006/", deadline, "xw-problems")
        assert "schools/qingshi/qingshi-00006.yml:" in page and page.count('class="xw-problems"') == 1
        _edit(school, "  name: 不在名册", "  name: ")
        while "xw-problems" in _get(base + "schools/qingshi/qingshi-00006/", deadline):
            assert time.monotonic() < deadline, "the error panel did not go away after the fix"
            time.sleep(0.5)


def test_preview_log_links_rules_on_the_preview_and_the_build_log_on_the_site(tmp_path: Path) -> None:
    """Under `mkdocs serve` a finding's "详见" opens the preview's own rules page (issue 24); a build
    names the published site; plain `mkdocs build` shows no English end-of-life notice."""
    project = _project(tmp_path, example=True)
    new = subprocess.run([sys.executable, "-m", "xiaowu.cli", "new", "qingshi-newone", "--county", "qingshi"],
                         cwd=project, capture_output=True, text=True, timeout=120)
    assert new.returncode == 0, new.stderr
    port, log = _free_port(), tmp_path / "serve.log"
    env = {k: v for k, v in os.environ.items() if k != "NO_MKDOCS_2_WARNING"}
    with open(log, "wb") as out:
        server = subprocess.Popen([str(REPO / ".venv" / "bin" / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}"],
                                  cwd=project, stdout=out, stderr=subprocess.STDOUT,
                                  env={**env, "SOURCE_DATE_EPOCH": EPOCH}, start_new_session=True)
        try:
            _get(f"http://127.0.0.1:{port}/", time.monotonic() + 300, "xw-problems")
        finally:
            _stop(server)
    text = log.read_text("utf-8", errors="replace")
    assert f"详见：http://127.0.0.1:{port}/rules/#S101" in text
    assert "xiaowu.qingshi.example.cn/rules/" not in text and "end of life" not in text
    built = subprocess.run([str(REPO / ".venv" / "bin" / "mkdocs"), "build"], cwd=project, capture_output=True,
                           text=True, timeout=600, env={**env, "SOURCE_DATE_EPOCH": EPOCH})
    assert "详见：https://xiaowu.qingshi.example.cn/rules/#S101" in built.stderr
    assert "end of life" not in built.stderr + built.stdout and "Zensical" not in built.stderr


def test_preview_qr_and_printed_address_use_site_url_not_the_preview(tmp_path: Path) -> None:
    project = _project(tmp_path, example=True)
    with _mkdocs_serve(project) as base:
        page = _get(f"{base}schools/qingshi/qingshi-00003/", time.monotonic() + 300, "xw-qr")
        caption = re.search(r'<figcaption>(.*?)</figcaption>', page, re.S)
        assert caption and "https://xiaowu.qingshi.example.cn/schools/qingshi/qingshi-00003/" in caption.group(1)
        assert "127.0.0.1" not in page[page.index('class="xw-qr"'):page.index("</figure>")]
    _edit(project / "mkdocs.yml", "site_url: https://xiaowu.qingshi.example.cn/\n", "")
    proc = _build(project)
    assert proc.returncode == 0, proc.stderr
    html = (project / "site" / "schools" / "qingshi" / "qingshi-00003" / "index.html").read_text("utf-8")
    assert "xw-qr-code" not in html and "网站地址未设置" in html


def test_messages_say_missing_once_and_each_format_rule_has_its_own_basis(tmp_path: Path) -> None:
    from xiaowu.findings.table import RULES

    project = _project(tmp_path, example=True)
    subprocess.run([sys.executable, "-m", "xiaowu.cli", "new", "qingshi-newone", "--county", "qingshi"],
                   cwd=project, check=True, capture_output=True, timeout=120)
    check = subprocess.run([sys.executable, "-m", "xiaowu.cli", "check", "schools/qingshi/qingshi-newone.yml"],
                           cwd=project, capture_output=True, text=True, timeout=120)
    assert "未填写" in check.stdout and "None" not in check.stdout and "S104" not in check.stdout
    assert " 收费公示" not in check.stdout  # no blank where the term would be
    bases = {RULES[c].basis for c in ("Y001", "Y002", "Y006", "Y007", "S101", "S105", "S110", "S113")}
    assert len(bases) == 8  # something specific per kind of rule, not one line for all
    assert "其余内容没有检查" in RULES["Y007"].message


def test_serve_script_explains_a_busy_port_and_hides_the_end_of_life_banner(tmp_path: Path) -> None:
    readme, guide = (REPO / "README.md").read_text("utf-8"), (REPO / "docs" / "clerks.md").read_text("utf-8")
    assert "XIAOWU_ADDR" in readme and "XIAOWU_ADDR" in guide
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run(["bash", "scripts/serve.sh"], cwd=REPO, capture_output=True, text=True, timeout=600,
                              env={**os.environ, "XIAOWU_ADDR": f"127.0.0.1:{port}"})
    assert proc.returncode == 1 and "端口已被占用" in proc.stderr and f"XIAOWU_ADDR=127.0.0.1:{port + 1}" in proc.stderr
    assert "Traceback" not in proc.stderr
    port = _free_port()
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(["bash", "scripts/serve.sh"], cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
                                  env={**os.environ, "XIAOWU_ADDR": f"127.0.0.1:{port}"}, start_new_session=True)
        try:
            _get(f"http://127.0.0.1:{port}/", time.monotonic() + 600, "xw-counties")
        finally:
            _stop(server)
    text = log.read_text("utf-8", errors="replace")
    assert "Serving on" in text and "end of life" not in text


# -- The editing loop with fast school pages (issue 25): each kind of change reaches the preview -----

def test_serve_shows_every_kind_of_change_and_leaves_other_pages_alone(tmp_path: Path) -> None:
    """Under a real `mkdocs serve` (with the theme watched, as a maintainer previews an override): a
    school file, policy.yml, a hand-written page, a theme template and a stylesheet of the site."""
    project = _project(tmp_path, example=True)
    _edit(project / "mkdocs.yml", "  font: false\n", "  font: false\n  custom_dir: overrides\n")
    _edit(project / "mkdocs.yml", "docs_dir: docs\n", "docs_dir: docs\nextra_css:\n  - extra.css\n")
    (project / "overrides" / "partials").mkdir(parents=True)
    copyright_ = project / "overrides" / "partials" / "copyright.html"
    copyright_.write_text('<div class="md-copyright">页脚第一版</div>\n', "utf-8")
    css = project / "docs" / "extra.css"
    css.write_text(".md-header { color: #111; }\n", "utf-8")
    port = _free_port()
    server = _serve([sys.executable, "-m", "mkdocs", "serve", "--watch-theme", "--dev-addr", f"127.0.0.1:{port}"],
                    project, port)
    base = f"http://127.0.0.1:{port}/"
    mine, other = f"{base}schools/qingshi/qingshi-00003/", f"{base}schools/baihe/baihe-00010/"
    try:
        deadline = time.monotonic() + 600
        before_other = _get(other, deadline, "页脚第一版")
        _get(mine, deadline, "青石县柳湾镇学府路 4 号")
        # A school file: its page and its open-data record change; another school's page does not.
        _edit(project / "schools" / "qingshi" / "qingshi-00003.yml", "学府路 4 号", "学府路 9 号")
        _get(mine, deadline, "青石县柳湾镇学府路 9 号")
        _get(f"{base}data/schools/qingshi-00003.json", deadline, "学府路 9 号")
        # (The preview's live-reload call carries the build's number: the rest must be the same bytes.)
        assert re.sub(r"livereload\(\d+, \d+\)", "", _get(other, deadline)) == \
            re.sub(r"livereload\(\d+, \d+\)", "", before_other)
        # policy.yml: every school page shows the bureau's line with its new hours.
        _edit(project / "schools" / "policy.yml", '"工作日 08:30-17:30"', '"工作日 08:00-18:00"')
        for url in (mine, other):
            assert "08:30-17:30" not in _get(url, deadline, "08:00-18:00")
        # A hand-written page.
        _edit(project / "docs" / "clerks.md", "\n", "\n\n手写页面改动标记\n")
        _get(f"{base}clerks/", deadline, "手写页面改动标记")
        # A theme template (the footer partial) reaches school pages, both kinds of them.
        copyright_.write_text('<div class="md-copyright">页脚第二版</div>\n', "utf-8")
        for url in (mine, other):
            assert "页脚第一版" not in _get(url, deadline, "页脚第二版")
        # The site's stylesheet.
        css.write_text(".md-header { color: #222; }\n", "utf-8")
        _get(f"{base}extra.css", deadline, "#222")
        assert "extra.css" in _get(mine, deadline)
    finally:
        _stop(server)
