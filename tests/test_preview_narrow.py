"""A preview's narrow rebuild (plugins/xiaowu/preview.py): when only school files changed, the plugin
runs its own steps (check, model, changed pages, MkDocs' own pages through MkDocs' page functions)
instead of MkDocs' whole build. Whatever it skipped, the site must be what a fresh build makes, and
any other change must go MkDocs' whole way."""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from test_preview_keep import _edit, _files, _same
from xiaowu.check.run import Since
from xiaowu.preview import RACY_NS, Narrow, school_file
from xiaowu.watch import stamps
from xiaowu.publish.keep import Kept

REPO = Path(__file__).resolve().parents[1]
EPOCH = "1795219200"  # 2026-11-21

#: `mkdocs serve` in one process, as its server drives it: the first build, then on_serve (which may
#: replace the server's builder), then for each line the server's builder, as the watcher calls it.
#: Prints which way each rebuild went (MkDocs' builder called, or not) once the work behind it is done;
#: for "show <page>", the page as the server sends it (MkDocs' own addition of its reload script, and
#: whatever the plugin added to it), on one line; for "alive", whether the work behind the last rebuild
#: still runs ("nowait" rebuilds and leaves it running). A third argument "plain": a server without that
#: addition; "strict": `mkdocs serve --strict` (a build that stops is caught, as the server catches it).
_SERVER = r"""
import json
import logging
import sys
import threading
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer
project, site, url = Path(sys.argv[1]), sys.argv[2], "http://127.0.0.1:8000/"
logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(message)s")
whole = []

strict = sys.argv[3:] == ["strict"]

def builder(config=None):
    if config is None:
        config = load_config(str(project / "mkdocs.yml"), site_dir=site, strict=strict)
        config.site_url = url
    whole.append(config)
    build(config, serve_url=url)

class Server:
    def __init__(self):
        self.builder = builder
    def watch(self, path):
        pass

if sys.argv[3:] != ["plain"]:
    Server._inject_js_into_html = LiveReloadServer._inject_js_into_html

config = load_config(str(project / "mkdocs.yml"), site_dir=site, strict=strict)
config.site_url = url
config.plugins.on_startup(command="serve", dirty=False)
builder(config)
server = config.plugins.on_serve(Server(), config=config, builder=builder)
for line in sys.stdin:
    if line.startswith("show "):
        page = (Path(site) / line[5:].strip()).read_bytes()
        sent = server._inject_js_into_html(page, 1) if hasattr(server, "_inject_js_into_html") else page
        print(json.dumps(sent.decode()), flush=True)
        continue
    plugin = whole[-1].plugins["xiaowu"]
    if line.strip() == "alive":
        print("alive" if plugin.memory.behind.thread and plugin.memory.behind.thread.is_alive() else "idle", flush=True)
        continue
    if line.strip() in ("go", "nowait"):
        count = len(whole)
        try:
            server.builder()
        except (Exception, SystemExit) as exc:  # (MkDocs' server logs it and waits for the next change)
            logging.error(f"rebuild stopped: {exc!r}")
    if line.strip() == "nowait":
        print("whole" if len(whole) > count else "narrow", flush=True)
        continue
    plugin = whole[-1].plugins["xiaowu"]
    if plugin.memory.behind.thread is not None:
        plugin.memory.behind.thread.join()
    for thread in threading.enumerate():
        if thread.name == "xiaowu-put-away":
            thread.join()
    print("whole" if line.strip() == "first" or len(whole) > count else "narrow", flush=True)
"""


@pytest.fixture()
def server(tmp_path: Path, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    project = tmp_path / "example"
    project.mkdir()
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    for folder in ("docs", "schools"):
        shutil.copytree(REPO / folder, project / folder)
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    log = tmp_path / "serve.log"
    with log.open("w") as errors:
        how = [request.param] if getattr(request, "param", "") in ("plain", "strict") else []
        proc = subprocess.Popen([sys.executable, "-c", _SERVER, str(project), str(tmp_path / "preview"), *how], cwd=project,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, text=True, env=env)
    assert proc.stdin is not None and proc.stdout is not None

    def rebuild(line: str = "go") -> tuple[str, dict[str, bytes]]:
        proc.stdin.write(line + "\n")
        proc.stdin.flush()
        way = proc.stdout.readline().strip()
        assert way in ("whole", "narrow"), log.read_text("utf-8")[-3000:]
        return way, ({} if line == "nowait" else _files(tmp_path / "preview"))  # (files being written: not read)

    def ask(line: str) -> str:
        """A page as the server sends it ("show <page>"), or whether the work behind the last rebuild runs ("alive")."""
        proc.stdin.write(line + "\n")
        proc.stdin.flush()
        answer = proc.stdout.readline()
        return str(json.loads(answer)) if line.startswith("show ") else answer.strip()

    def fresh(name: str) -> dict[str, bytes]:
        out = tmp_path / name
        done = subprocess.run([sys.executable, "-c", _SERVER, str(project), str(out)], cwd=project, input="first\n",
                              capture_output=True, text=True, env=env, timeout=900)
        assert done.stdout.strip() == "whole", done.stderr[-3000:]
        return _files(out)

    yield project, rebuild, fresh, tmp_path / "preview", log, ask
    proc.stdin.close()
    proc.wait(timeout=120)


def test_a_school_edit_rebuilds_narrowly_and_the_site_is_a_fresh_builds(server) -> None:  # type: ignore[no-untyped-def]
    project, rebuild, fresh, site, log, _ = server
    assert rebuild("first")[0] == "whole"
    other = site / "schools" / "baihe" / "baihe-00001" / "index.html"
    os.utime(other, ns=(10**9, 10**9))
    school = project / "schools" / "qingshi" / "qingshi-00003.yml"
    _edit(school, "学府路 4 号", "学府路 40 号")  # one school's page and its county's pages
    way, edited = rebuild()
    assert way == "narrow"
    _same(edited, fresh("fresh-address"))
    assert "学府路 40 号".encode() in edited["schools/qingshi/qingshi-00003/index.html"]
    assert other.stat().st_mtime_ns == 10**9  # another county's page was left as it was
    assert "只有 1 个学校资料文件改动" in log.read_text("utf-8")
    before = edited["compliance/index.html"]
    _edit(school, "published: 2026-08-11", "published: 2026-08-25")  # late: county pages, dashboard, home page
    way, late = rebuild()
    assert way == "narrow"
    _same(late, fresh("fresh-late"))
    assert late["compliance/qingshi/index.html"] != edited["compliance/qingshi/index.html"]
    assert late["compliance/index.html"] != before  # a page MkDocs renders, with every school's status
    readme = project / "schools" / "qingshi" / "README.md"
    readme.write_text("县里的说明\n", "utf-8")  # not data: the check leaves it out, so may the rebuild
    _edit(school, "published: 2026-08-25", "published: 2026-08-11")
    way, back = rebuild()
    assert way == "narrow"
    _same(back, fresh("fresh-back"))
    saved = school.with_name(".qingshi-00003.yml.tmp")  # an editor's safe save: a new file renamed over it
    saved.write_text(school.read_text("utf-8").replace("学府路 40 号", "学府路 42 号"), "utf-8")
    os.replace(saved, school)
    way, renamed = rebuild()
    assert way == "narrow"
    assert "学府路 42 号".encode() in renamed["schools/qingshi/qingshi-00003/index.html"]
    _same(renamed, fresh("fresh-renamed"))


@pytest.mark.parametrize("change", ["policy", "page", "config", "added", "removed", "linked", "folder"])
def test_anything_but_a_school_edit_goes_mkdocs_whole_way(server, change: str) -> None:  # type: ignore[no-untyped-def]
    project, rebuild, fresh, site, log, _ = server
    rebuild("first")
    school = project / "schools" / "qingshi" / "qingshi-00003.yml"
    _edit(school, "学府路 4 号", "学府路 40 号")  # with every change below, a school's edit too
    if change == "policy":
        with (project / "schools" / "policy.yml").open("a", encoding="utf-8") as policy:
            policy.write("# 本局的说明\n")  # even a comment: the bureau's files are read again, whole
    elif change == "page":
        _edit(project / "docs" / "clerks.md", "# ", "# 新")
    elif change == "config":
        _edit(project / "mkdocs.yml", "site_name: ", "site_name: 新")
    elif change == "added":
        shutil.copy(school, school.with_name("qingshi-00099.yml"))
    elif change == "removed":
        (school.parent / "qingshi-00006.yml").unlink()
    elif change == "linked":  # another school's file made a link to a copy: the check refuses links (Y016)
        other = school.with_name("qingshi-00006.yml")
        copy = project / "elsewhere.yml"
        shutil.copy(other, copy)
        other.unlink()
        other.symlink_to(copy)
    elif change == "folder":  # an empty folder with a name the check refuses (Y019): no file tells of it
        (school.parent / "新 建").mkdir()
    way, got = rebuild()
    assert way == "whole"
    if change in ("linked", "folder"):  # shown as the findings they are, as a fresh build would
        assert {"linked": "Y016", "folder": "Y019"}[change] in log.read_text("utf-8")
    if change in ("policy", "page", "config", "removed"):  # (a file the roster does not know is an error)
        _same(got, fresh("fresh"))


PANEL = '<div class="xw-problems"'
ARTICLE = '<article class="md-content__inner md-typeset">'


def test_an_error_changes_no_page_and_the_server_shows_the_findings(server) -> None:  # type: ignore[no-untyped-def]
    """While a school file has errors the preview shows the last good site: its pages stay as they are
    on disk (no page is written), and the server adds the findings to each page it sends; fixing the
    file is a narrow rebuild again, and the site is then a fresh build's."""
    project, rebuild, fresh, site, log, ask = server
    _, first = rebuild("first")
    school = project / "schools" / "qingshi" / "qingshi-00003.yml"
    _edit(school, "学府路 4 号", "学府路 40 号")
    _edit(school, "  name: ", "  name: 不在名册")  # an error, and beside it an edit the preview must not show yet
    way, broken = rebuild()
    assert way == "narrow" and broken == first  # not a byte written
    assert "只更新了每页顶部的问题列表" in log.read_text("utf-8")
    for page in ("index.html", "schools/qingshi/qingshi-00003/index.html", "rules/index.html", "compliance/index.html"):
        sent = ask(f"show {page}")
        assert sent.count(PANEL) == 1 and "还不能发布" in sent and "schools/qingshi/qingshi-00003.yml:" in sent
        assert ARTICLE + PANEL in sent.replace(ARTICLE + "\n", ARTICLE)  # first in the content
        assert sent.index("</body>") > sent.index("livereload(")  # MkDocs' own script is still there
    assert "学府路 40 号" not in ask("show schools/qingshi/qingshi-00003/index.html")  # the last good data
    _edit(school, "  name: 不在名册", "  name: ")  # fixed: a narrow rebuild shows the edit, the findings go
    way, fixed = rebuild()
    assert way == "narrow" and PANEL not in ask("show schools/qingshi/qingshi-00003/index.html")
    _same(fixed, fresh("fresh"))
    assert "学府路 40 号".encode() in fixed["schools/qingshi/qingshi-00003/index.html"]


def test_an_error_saved_while_the_last_rebuilds_work_runs_starts_that_work_again(server) -> None:  # type: ignore[no-untyped-def]
    """The rebuild stops the work behind the last one (exports, search index, editor) before it knows
    that nothing it is made from changed; that work then starts again, so the exports and the index
    are those of the site shown."""
    project, rebuild, fresh, site, log, ask = server
    rebuild("first")
    school = project / "schools" / "qingshi" / "qingshi-00003.yml"
    _edit(school, "学府路 4 号", "学府路 40 号")
    assert rebuild("nowait")[0] == "narrow" and ask("alive") == "alive"  # its exports and index being made
    _edit(school, "  name: ", "  name: 不在名册")
    assert rebuild()[0] == "narrow"  # (the harness waits for the work behind it)
    shown = _files(site)
    assert "学府路 40 号".encode() in shown["schools/qingshi/qingshi-00003/index.html"]
    assert log.read_text("utf-8").count("只更新了每页顶部的问题列表") == 1
    _edit(school, "  name: 不在名册", "  name: ")
    _same(shown, fresh("fresh"))  # the site shown, whole: its exports and search index too


@pytest.mark.parametrize("server", ["strict"], indirect=True)
def test_under_mkdocs_serve_strict_an_error_goes_mkdocs_whole_way(server) -> None:  # type: ignore[no-untyped-def]
    """`mkdocs serve --strict` stops a build on any warning logged: an error must not be shown by a
    narrow rebuild that a whole one would refuse."""
    project, rebuild, fresh, site, log, ask = server
    rebuild("first")
    school = project / "schools" / "qingshi" / "qingshi-00003.yml"
    _edit(school, "  name: ", "  name: 不在名册")
    assert rebuild()[0] == "whole"
    assert "只更新了每页顶部的问题列表" not in log.read_text("utf-8")


@pytest.mark.parametrize("server", ["plain"], indirect=True)
def test_without_the_servers_addition_the_findings_are_written_into_every_page(server) -> None:  # type: ignore[no-untyped-def]
    """A server that adds nothing to the pages it sends (another MkDocs): an error goes MkDocs' whole way
    and writes the findings into every page; fixing it is the next whole rebuild."""
    project, rebuild, fresh, site, log, ask = server
    rebuild("first")
    school = project / "schools" / "qingshi" / "qingshi-00003.yml"
    _edit(school, "  name: ", "  name: 不在名册")
    way, broken = rebuild()
    assert way == "whole"
    assert PANEL.encode() in broken["index.html"] and PANEL.encode() in broken["schools/baihe/baihe-00001/index.html"]
    assert ask("show index.html").count(PANEL) == 1
    _edit(school, "  name: 不在名册", "  name: ")
    assert rebuild()[0] == "whole"
    _same(_files(site), fresh("fresh"))
    _edit(school, "学府路 4 号", "学府路 41 号")
    assert rebuild()[0] == "narrow"
    _same(_files(site), fresh("fresh-after"))


def test_a_first_build_with_errors_writes_its_findings_and_the_server_adds_none(server) -> None:  # type: ignore[no-untyped-def]
    """The first build runs before the server is there to add anything: its pages carry the findings
    themselves, once; the next rebuild writes every page without them, and the server adds them."""
    project, rebuild, fresh, site, log, ask = server
    school = project / "schools" / "qingshi" / "qingshi-00003.yml"
    _edit(school, "  name: ", "  name: 不在名册")
    _, first = rebuild("first")
    assert PANEL.encode() in first["index.html"] and ask("show index.html").count(PANEL) == 1
    _edit(school, "学府路 4 号", "学府路 40 号")  # still the error
    way, again = rebuild()
    assert way == "whole" and PANEL.encode() not in again["index.html"]
    assert ask("show index.html").count(PANEL) == 1 and ask("show rules/index.html").count(PANEL) == 1
    _edit(school, "  name: 不在名册", "  name: ")  # (no good site before: the school had no page yet)
    way, fixed = rebuild()
    assert way == "whole" and PANEL not in ask("show index.html")
    _same(fixed, fresh("fresh"))
    _edit(school, "学府路 40 号", "学府路 41 号")
    assert rebuild()[0] == "narrow"
    _same(_files(site), fresh("fresh-after"))


def test_when_nothing_the_site_is_made_from_changed_nothing_is_rebuilt(server) -> None:  # type: ignore[no-untyped-def]
    """The watcher saw a change (an editor's hidden swap file, a README beside the schools, or a
    second event of a save already rebuilt) and no file the site is made from differs."""
    project, rebuild, fresh, site, log, _ = server
    _, first = rebuild("first")
    (project / "schools" / "qingshi" / ".qingshi-00003.yml.swp").write_text("editor", "utf-8")
    (project / "docs" / ".notes.md.swp").write_text("editor", "utf-8")
    (project / "schools" / "qingshi" / "README.md").write_text("县里的说明\n", "utf-8")
    way, again = rebuild()
    assert way == "narrow" and again == first  # MkDocs' builder not called, nothing written
    assert "网站用到的文件都没有改动，不必重新生成" in log.read_text("utf-8")
    _edit(project / "schools" / "qingshi" / "qingshi-00003.yml", "学府路 4 号", "学府路 40 号")
    way, edited = rebuild()
    assert way == "narrow" and edited != first
    assert rebuild() == ("narrow", edited)  # the same save told twice


def test_stamps_and_what_counts_as_a_school_file(tmp_path: Path) -> None:
    data, docs = tmp_path / "schools", tmp_path / "docs"
    (data / "a").mkdir(parents=True)
    docs.mkdir()
    for path in (data / "policy.yml", data / "a" / "a-1.yml", data / "a" / ".a-1.yml.swp", data / "a" / "README.md",
                 docs / "index.md", docs / ".hidden.md"):
        path.write_text("x", "utf-8")
    (tmp_path / "linked").mkdir()
    (tmp_path / "linked" / "page.md").write_text("x", "utf-8")
    (docs / "more").symlink_to(tmp_path / "linked")  # followed, as MkDocs follows it
    (docs / "loop").symlink_to(docs)  # walked once
    walked = stamps([str(docs)])
    assert sorted(Path(p).name for p in walked if not p.endswith(os.sep)) == ["index.md", "page.md"]
    assert sorted(p for p in walked if p.endswith(os.sep)) == [f"{docs / name}{os.sep}" for name in ("", "loop", "more")]
    assert walked[f"{docs / 'loop'}{os.sep}"][3:] == (docs.stat().st_ino, stat.S_IFDIR, True)  # noted, not walked again
    assert walked[f"{docs / 'more'}{os.sep}"][3:] == ((tmp_path / "linked").stat().st_ino, stat.S_IFDIR, True)
    assert walked[str(docs / "more" / "page.md")][4:] == (stat.S_IFREG, True)  # reached through a link
    assert walked[str(docs / "index.md")][4:] == (stat.S_IFREG, False)
    assert walked[f"{docs}{os.sep}"][:3] == (0, 0, 0)  # a folder by its inode alone: saving a file in it is no change of it
    found = {p: st for p, st in stamps([str(data), str(docs / "index.md"), ""]).items() if not p.endswith(os.sep)}
    assert sorted(Path(p).relative_to(tmp_path).as_posix() for p in found) == [
        "docs/index.md", "schools/a/README.md", "schools/a/a-1.yml", "schools/policy.yml"]
    kinds = {p.relative_to(tmp_path).as_posix(): school_file(str(p), str(data), str(docs)) for p in map(Path, found)}
    assert kinds == {"docs/index.md": False, "schools/a/README.md": None, "schools/a/a-1.yml": True,
                     "schools/policy.yml": False}
    assert school_file(str(docs / "schools" / "a" / "a-1.yml"), str(docs / "schools"), str(docs)) is False  # data among the pages


def _config(docs: Path) -> Any:
    """The parts of MkDocs' config a plan reads, as a class of MkDocs' own module (another engine's
    config: no narrow rebuild)."""

    class Config:
        docs_dir, config_file_path, watch = str(docs), "", []

        class theme:  # noqa: N801
            dirs: list[str] = []

    Config.__module__ = "mkdocs.config.defaults"
    return Config


def test_a_plan_names_the_school_files_changed_and_nothing_else(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data, docs = tmp_path / "schools", tmp_path / "docs"
    (data / "a").mkdir(parents=True)
    docs.mkdir()
    school, policy, page = data / "a" / "a-1.yml", data / "policy.yml", docs / "index.md"
    for path in (school, policy, page):
        path.write_text("x", "utf-8")
        os.utime(path, ns=(10**9, 10**9))
    narrow, Config = Narrow(), _config(docs)

    narrow.begin(Config(), str(data))  # type: ignore[arg-type]
    assert narrow.plan() is None  # not ready: the last rebuild did not keep its pages
    narrow.ready = True
    nothing = narrow.plan()
    assert nothing is not None and nothing[1:] == ([], Since(frozenset()))  # ready, but nothing changed: nothing to do
    school.write_text("y", "utf-8")  # same size: its times tell
    planned = narrow.plan()
    assert planned is not None and planned[1] == [str(school)]
    (data / "a" / ".a-1.yml.swp").write_text("editor", "utf-8")  # hidden: left out
    assert narrow.plan() is not None
    page.write_text("y", "utf-8")
    assert narrow.plan() is None  # a page changed too
    narrow.done(planned[0])
    narrow.taken[str(page)] = stamps([str(page)])[str(page)]
    policy.write_text("y", "utf-8")
    assert narrow.plan() is None  # the bureau's file
    os.utime(policy, ns=(10**9, 10**9))
    narrow.taken[str(policy)] = stamps([str(policy)])[str(policy)]
    os.utime(page, ns=(10**9, 10**9))
    narrow.taken[str(page)] = stamps([str(page)])[str(page)]
    os.utime(school, ns=(10**9, 10**9))
    narrow.taken[str(school)] = stamps([str(school)])[str(school)]
    racy = time.time_ns()
    os.utime(page, ns=(racy, racy))  # written in the very tick the last rebuild began: counts as changed
    narrow.taken[str(page)], narrow.taken_at = stamps([str(page)])[str(page)], racy + RACY_NS // 2
    school.write_text("z", "utf-8")
    assert narrow.plan() is None
    os.utime(page, ns=(10**9, 10**9))
    narrow.taken[str(page)] = stamps([str(page)])[str(page)]
    assert narrow.plan() is not None  # the page as it was: the school's edit alone
    with monkeypatch.context() as patched:
        patched.setattr("xiaowu.preview.get_build_date", lambda: "2099-01-01")  # a new day: all of it again
        assert narrow.plan() is None
    with monkeypatch.context() as patched:
        patched.setattr("xiaowu.preview._populate_page", None)  # a MkDocs without its page functions
        assert narrow.plan() is None
    Config.__module__ = "properdocs.config.defaults"
    assert narrow.plan() is None


def test_a_plan_tells_the_check_what_it_may_trust(tmp_path: Path) -> None:
    """The plan's Since names every school file whose bytes may differ (a racy one too); a plan is
    refused when the check's walk of the folder would find otherwise (a file made a link, a folder
    added), and not for a file saved by renaming a new one over it."""
    data, docs = tmp_path / "schools", tmp_path / "docs"
    (data / "a").mkdir(parents=True)
    docs.mkdir()
    one, two = data / "a" / "a-1.yml", data / "a" / "a-2.yml"
    for path in (one, two):
        path.write_text("x", "utf-8")
        os.utime(path, ns=(10**9, 10**9))
    narrow, Config = Narrow(), _config(docs)

    def begun() -> None:
        narrow.begin(Config(), str(data))  # type: ignore[arg-type]
        narrow.ready = True

    begun()
    new = one.with_name(".a-1.yml.tmp")
    new.write_text("y", "utf-8")
    os.replace(new, one)  # a new inode, and a change of the folder's times
    planned = narrow.plan()
    assert planned is not None and planned[1] == [str(one)] and planned[2].changed == {str(one)}
    second = time.time_ns() // 10**9 * 10**9 - 10**9  # a whole second: a file system that keeps no less
    os.utime(two, ns=(second, second))
    begun()
    narrow.taken_at = second + 10**9  # the last rebuild began within a second of its write
    one.write_text("z", "utf-8")
    planned = narrow.plan()
    assert planned is not None and planned[1] == [str(one)] and planned[2].changed == {str(one), str(two)}
    os.utime(two, ns=(10**9, 10**9))
    begun()
    one.unlink()
    (tmp_path / "elsewhere.yml").write_text("x", "utf-8")
    one.symlink_to(tmp_path / "elsewhere.yml")  # the check refuses a link: its walk would differ
    assert narrow.plan() is None
    one.unlink()
    one.write_text("x", "utf-8")
    begun()
    (data / "b").mkdir()  # an empty folder: the walk may refuse its name
    two.write_text("y", "utf-8")
    assert narrow.plan() is None


def test_a_rebuild_that_leaves_the_folder_keeps_what_is_in_place(tmp_path: Path) -> None:
    """Kept.stay: the last rebuild's folders count as put back; a page it no longer makes is removed."""
    site, kept = tmp_path / "site", Kept()
    pages = {"schools/a/a-1/index.html": b"a1", "schools/a/a-2/index.html": b"a2"}
    kept.stash(str(site))
    kept.restore(str(site), set(pages), set())
    for name, data in pages.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(data)
        assert kept.needs(str(site / name), data)
    kept.done()
    kept.stay(str(site))
    kept.restore(str(site), {"schools/a/a-1/index.html"}, set())
    assert not kept.needs(str(site / "schools/a/a-1/index.html"), b"a1")  # in place and the same: not written
    assert kept.needs(str(site / "schools/a/a-1/index.html"), b"a1 new")
    assert not (site / "schools/a/a-2").exists()
    kept.sign(str(site / "schools/a/a-1/index.html"), ("parts",), b"block")
    kept.done()
    assert not kept.carries("schools/a/a-1/index.html")  # not without being named
    kept.stay(str(site), frozenset({"schools/a/a-1/index.html", "schools/a/a-3/index.html"}))
    kept.restore(str(site), {"schools/a/a-1/index.html"}, set())
    assert kept.carries("schools/a/a-1/index.html") and not kept.carries("schools/a/a-3/index.html")  # (never written)
    assert kept.carried("schools/a/a-1/index.html") == b"block"  # what the writer noted: its search block
    kept.done()
    assert kept.written and kept.signed["schools/a/a-1/index.html"] == (("parts",), b"block")  # kept for the next
    kept.stay(str(tmp_path / "other"))  # another site folder: nothing counts as in place
    kept.restore(str(tmp_path / "other"), {"schools/a/a-1/index.html"}, set())
    assert kept.needs(str(tmp_path / "other" / "schools/a/a-1/index.html"), b"a1")
