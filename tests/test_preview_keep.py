"""A preview keeps its pages between rebuilds (publish/keep.py): MkDocs empties the site folder before
each rebuild, so the folders of pages written from shells are moved aside first and back after, and
only what changed is written. Whatever was kept, the site must be what a fresh build makes."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from mkdocs.utils import clean_directory

from xiaowu.publish.keep import KEPT, Kept

REPO = Path(__file__).resolve().parents[1]
EPOCH = "1795219200"  # 2026-11-21


# -- The keeping itself, on a folder laid out like a site ----------------------------------------

def _rebuild(kept: Kept, site: Path, pages: dict[str, str], foreign: dict[str, str]) -> set[str]:
    """One rebuild as the plugin does it: aside, MkDocs' cleaning and its own files (``foreign``), the
    kept folders back, the pages written where they changed. The pages actually written."""
    kept.stash(str(site))
    clean_directory(str(site))
    for name, text in foreign.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, "utf-8")
    kept.restore(str(site), set(pages), {"/".join(name.split("/")[:2]) for name in foreign})
    written = set()
    for name, text in pages.items():
        if kept.needs(str(site / name), text.encode()):
            (site / name).parent.mkdir(parents=True, exist_ok=True)
            (site / name).write_text(text, "utf-8")
            written.add(name)
    kept.done()
    return written


def _tree(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text("utf-8") for p in sorted(site.rglob("*")) if p.is_file()}


PAGES = {"schools/a/a-1/index.html": "a1", "schools/a/a-1/card/index.html": "a1 card",
         "schools/a/a-2/index.html": "a2", "schools/b/b-1/index.html": "b1", "compliance/a/index.html": "ca",
         "schools/a/index.html": "county a"}
MKDOCS = {"index.html": "home", "schools/index.html": "list"}


def test_only_changed_pages_are_written_and_removed_ones_go(tmp_path: Path) -> None:
    site, kept = tmp_path / "site", Kept()
    site.mkdir()
    assert _rebuild(kept, site, PAGES, MKDOCS) == set(PAGES)  # the first rebuild writes everything
    os.utime(site / "schools/a/a-1/index.html", ns=(10**9, 10**9))  # a page written again would be newer
    changed = {**{k: v for k, v in PAGES.items() if k != "schools/b/b-1/index.html"},
               "schools/a/a-2/index.html": "a2 new", "schools/c/c-1/index.html": "c1"}
    assert _rebuild(kept, site, changed, MKDOCS) == {"schools/a/a-2/index.html", "schools/c/c-1/index.html"}
    assert _tree(site) == {**changed, **MKDOCS}
    assert (site / "schools/a/a-1/index.html").stat().st_mtime_ns == 10**9  # moved back, not written again
    assert not (site / KEPT).exists() and not (site / "schools/b").exists()
    assert _rebuild(kept, site, {k: v for k, v in changed.items() if "a-1" not in k}, MKDOCS) == set()
    assert not (site / "schools/a/a-1").exists() and (site / "schools/a/a-2/index.html").exists()


def test_a_folder_another_step_writes_into_is_never_kept(tmp_path: Path) -> None:
    """A hand-written page inside a county's folder: the folder is written afresh while the page is
    there, and after the page is gone nothing of it comes back."""
    site, kept = tmp_path / "site", Kept()
    site.mkdir()
    _rebuild(kept, site, PAGES, MKDOCS)
    with_page = {**MKDOCS, "schools/a/about/index.html": "about"}
    assert _rebuild(kept, site, PAGES, with_page) >= {"schools/a/a-1/index.html", "schools/a/index.html"}
    assert _tree(site) == {**PAGES, **with_page}
    _rebuild(kept, site, PAGES, MKDOCS)
    assert _tree(site) == {**PAGES, **MKDOCS}


def test_a_rebuild_that_did_not_finish_leaves_nothing_to_trust(tmp_path: Path) -> None:
    site, kept = tmp_path / "site", Kept()
    site.mkdir()
    _rebuild(kept, site, PAGES, MKDOCS)
    kept.stash(str(site))  # a rebuild that failed after the folders were put aside
    clean_directory(str(site))
    (site / "schools/a/a-1").mkdir(parents=True)
    (site / "schools/a/a-1/index.html").write_text("written the plain way", "utf-8")
    assert _rebuild(kept, site, PAGES, MKDOCS) == set(PAGES)  # nothing kept: every page written
    assert _tree(site) == {**PAGES, **MKDOCS}


def test_another_site_folder_starts_afresh(tmp_path: Path) -> None:
    kept = Kept()
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        assert _rebuild(kept, tmp_path / name, PAGES, MKDOCS) == set(PAGES)


def test_a_page_made_of_the_same_parts_is_neither_filled_nor_written_again(tmp_path: Path) -> None:
    """The writer asks the keeping first: a page whose shell, body, title … are what the last rebuild
    made it of is left as it is (no filling, encoding or digest) and its search block is staged again."""
    from xiaowu.pages.shell import Shell
    from xiaowu.publish.pagewriter import Job, write_pages

    filled: list[str] = []

    class Counted(Shell):
        def fill(self, values):  # type: ignore[no-untyped-def]
            filled.append(values["url"])
            return super().fill(values)

    shell = Counted(('<html lang="zh-CN"><title>', "</title><body>", "</body></html>"), ("title", "body"), (False,))
    site, kept = tmp_path / "site", Kept()
    site.mkdir()
    bodies = {"a": '<div hidden data-pagefind-body><p>甲校</p></div><p>a</p>', "b": "<p>b</p>"}
    titles = {"a": "甲", "b": "乙"}

    def rebuild() -> tuple[list[str], list[tuple[str, bytes]]]:
        filled.clear()
        kept.stash(str(site))
        clean_directory(str(site))
        kept.restore(str(site), {f"schools/x/{src}/index.html" for src in bodies}, set())
        jobs = [Job(src, f"schools/x/{src}/", str(site / f"schools/x/{src}/index.html"), shell, titles[src], "",
                    str(site / ".stage" / f"schools/x/{src}/index.html"), "zh-CN") for src in bodies]
        assert write_pages(jobs, lambda src, url: bodies[src], 1, kept) == []
        kept.done()
        return sorted(filled), sorted(kept.blocks)

    first = rebuild()
    assert first[0] == ["schools/x/a/", "schools/x/b/"] and [p for p, _ in first[1]][0].endswith("x/a/index.html")
    os.utime(site / "schools/x/a/index.html", ns=(10**9, 10**9))
    assert rebuild() == ([], first[1])  # the same body objects: nothing made again, the block staged again
    assert (site / "schools/x/a/index.html").stat().st_mtime_ns == 10**9
    bodies["a"] = "".join(list(bodies["a"]))  # equal text, another object: still the same page
    assert rebuild() == ([], first[1])
    bodies["b"], titles["a"] = "<p>b new</p>", "甲新"
    assert rebuild()[0] == ["schools/x/a/", "schools/x/b/"]
    assert _tree(site) == {"schools/x/a/index.html": f"<html lang=\"zh-CN\"><title>甲新</title><body>{bodies['a']}</body></html>",
                           "schools/x/b/index.html": '<html lang="zh-CN"><title>乙</title><body><p>b new</p></body></html>'}


# -- A preview's rebuilds against fresh builds of the example ------------------------------------

#: Rebuilds in one process as `mkdocs serve` makes them (the plugin kept between them); after each,
#: the work behind the preview (exports, search index, editor) and the removal of stages put away are waited for.
_PREVIEW = r"""
import sys
import threading
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
project, site, url = Path(sys.argv[1]), sys.argv[2], "http://127.0.0.1:8000/"
started = False
for line in sys.stdin:
    config = load_config(str(project / "mkdocs.yml"), site_dir=site)
    config.site_url = url
    if not started:
        config.plugins.on_startup(command="serve", dirty=False)
        started = True
    build(config, serve_url=url)
    behind = config.plugins["xiaowu"].memory.behind
    if behind.thread is not None:
        behind.thread.join()
    for thread in threading.enumerate():  # stages put away, removed behind (publish.search.put_away)
        if thread.name == "xiaowu-put-away":
            thread.join()
    print("built", flush=True)
"""


def _project(root: Path) -> Path:
    root.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(REPO / "schools", root / "schools")
    return root


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture()
def preview(tmp_path: Path):  # type: ignore[no-untyped-def]
    project = _project(tmp_path / "example")
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen([sys.executable, "-c", _PREVIEW, str(project), str(tmp_path / "preview")], cwd=project,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    assert proc.stdin is not None and proc.stdout is not None

    def rebuild() -> dict[str, bytes]:
        proc.stdin.write("go\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "built"
        return _files(tmp_path / "preview")

    def fresh(name: str) -> dict[str, bytes]:
        out = tmp_path / name
        done = subprocess.run([sys.executable, "-c", _PREVIEW, str(project), str(out)], cwd=project, input="go\n",
                              capture_output=True, text=True, env=env, timeout=900)
        assert done.stdout.strip() == "built", done.stderr[-3000:]
        return _files(out)

    yield project, rebuild, fresh, tmp_path / "preview"
    proc.stdin.close()
    proc.wait(timeout=120)


def _same(got: dict[str, bytes], want: dict[str, bytes]) -> None:
    assert sorted(got) == sorted(want)
    assert [name for name in want if got[name] != want[name]] == []


def test_every_rebuild_of_a_preview_is_the_site_a_fresh_build_makes(preview) -> None:  # type: ignore[no-untyped-def]
    project, rebuild, fresh, site = preview
    first = rebuild()
    _same(first, fresh("fresh-0"))
    other = site / "schools" / "baihe" / "baihe-00001" / "index.html"
    os.utime(other, ns=(10**9, 10**9))
    school = project / "schools" / "qingshi" / "qingshi-00003.yml"
    _edit(school, "学府路 4 号", "学府路 40 号")  # one school's page, its county's pages
    edited = rebuild()
    _same(edited, fresh("fresh-1"))
    assert b"40 \xe5\x8f\xb7" in edited["schools/qingshi/qingshi-00003/index.html"]
    assert other.stat().st_mtime_ns == 10**9  # another county's page was kept, not written again
    county = site / "schools" / "qingshi" / "index.html"
    before = county.read_bytes()
    _edit(school, "published: 2026-08-11", "published: 2026-08-25")  # late: its county's pages list it so
    late = rebuild()
    _same(late, fresh("fresh-late"))
    assert late["schools/qingshi/index.html"].count(b"xw-status--late") == before.count(b"xw-status--late") + 1
    assert late["compliance/qingshi/index.html"] != edited["compliance/qingshi/index.html"]
    gone = project / "schools" / "qingshi" / "qingshi-00006.yml"
    gone.unlink()  # a school's file removed: its page and papers go
    removed = rebuild()
    _same(removed, fresh("fresh-2"))
    assert not any(name.startswith("schools/qingshi/qingshi-00006/") for name in removed)
    about = project / "docs" / "schools" / "qingshi" / "about.md"
    about.parent.mkdir(parents=True)
    about.write_text("# 关于青石县\n\n县里的说明。\n", "utf-8")  # a hand-written page inside a county's folder
    _same(rebuild(), fresh("fresh-3"))
    about.unlink()
    _same(rebuild(), fresh("fresh-4"))


def test_templates_compiled_once_are_compiled_again_when_their_source_or_settings_change(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A preview's in-memory bytecode cache (serve.Templates): a new environment per rebuild reuses
    the compiled template; an edited template, or an environment that compiles differently, does not."""
    from jinja2 import Environment, FileSystemLoader

    from xiaowu.serve import Templates

    (tmp_path / "page.html").write_text("a{{ x }}", "utf-8")
    cache = Templates()

    def env(**settings: object) -> Environment:
        made = Environment(loader=FileSystemLoader(str(tmp_path)), auto_reload=False, **settings)  # type: ignore[arg-type]
        cache.use(made)
        return made

    assert env().get_template("page.html").render(x=1) == "a1" and len(cache.code) == 1
    reused = env()
    monkeypatch.setattr(reused, "compile", lambda *a, **k: pytest.fail("compiled again"))
    assert reused.get_template("page.html").render(x=2) == "a2"
    (tmp_path / "page.html").write_text("b{{ x }}", "utf-8")
    assert env().get_template("page.html").render(x=3) == "b3"  # the source's checksum changed
    compiled: list[str] = []
    other = env(trim_blocks=True)
    original = other.compile
    monkeypatch.setattr(other, "compile", lambda *a, **k: compiled.append("again") or original(*a, **k))
    assert other.get_template("page.html").render(x=4) == "b4" and compiled == ["again"]  # other settings
    # Jinja runs a filter on constant arguments while compiling: another filter function, another code.
    (tmp_path / "page.html").write_text('{{ "x"|lang }}', "utf-8")
    english = env()
    english.filters["lang"] = lambda text: text + "-en"
    assert english.get_template("page.html").render() == "x-en"
    chinese = env()
    chinese.filters["lang"] = lambda text: text + "-zh"
    assert chinese.get_template("page.html").render() == "x-zh"


def test_a_rebuild_that_fails_before_its_pages_puts_the_folders_back(tmp_path: Path) -> None:
    site, kept = tmp_path / "site", Kept()
    site.mkdir()
    _rebuild(kept, site, PAGES, MKDOCS)
    kept.stash(str(site))  # then another plugin's pre_build fails: MkDocs never cleans
    assert not (site / "schools/a").exists()
    kept.undo(str(site))
    assert _tree(site) == {**PAGES, **MKDOCS} and not (site / KEPT).exists()
    assert _rebuild(kept, site, PAGES, MKDOCS) == set(PAGES)  # and nothing is trusted next time
    kept.stash(str(site))  # a rebuild whose pages MkDocs writes itself: nothing aside is left to serve
    kept.blocks.append((str(site / ".stage" / "x.html"), b"<div></div>"))  # nor a search block to stage
    kept.drop(str(site))
    assert not (site / KEPT).exists() and kept.blocks == []


def test_the_oversight_files_reading_is_reused_only_for_the_same_file(tmp_path: Path) -> None:
    from xiaowu.check.bureau import load_oversight
    from xiaowu.check.project import _oversight, _oversight_read
    from xiaowu.check.run import CheckCache
    from xiaowu.model.policy import Policy

    schools, cache, policy = tmp_path / "schools", CheckCache(), Policy()
    schools.mkdir()
    real = (REPO / "schools" / "oversight.yml").read_bytes()
    elsewhere = tmp_path / "elsewhere.yml"

    def same(reused: bool = False) -> None:
        key, known = _oversight(schools, cache)  # as check_project: the cached reading, else one read anew
        assert (known is not None) == reused
        got = known or _oversight_read(schools, cache, key, load_oversight(schools, policy))
        want = load_oversight(schools, policy)
        assert (got[0].digest, [d.code for d in got[1]]) == (want[0].digest, [d.code for d in want[1]])

    same()  # no file
    same(reused=True)
    (schools / "oversight.yml").symlink_to(elsewhere)  # a link to nothing: not the same as no file
    same()
    elsewhere.write_bytes(real)  # a link to the real file's bytes: not the same as the file
    same()
    (schools / "oversight.yml").unlink()
    (schools / "oversight.yml").write_bytes(real)
    same()
    same(reused=True)
    (schools / "oversight.yml").write_bytes(real.replace(b"2026-Q3", b"2026-Q2", 1))
    same()


def test_a_schools_page_model_is_kept_only_while_its_result_and_everything_site_wide_are_the_same() -> None:
    from dataclasses import replace
    from datetime import date

    from xiaowu.check.project import check_project
    from xiaowu.pages.site import Made, build_site

    result = check_project(REPO / "schools", today=date(2026, 11, 21), jobs=1)
    made, scope = Made(), ("policy", "oversight")
    first = build_site(result, made=(made, scope))
    again = build_site(result, made=(made, scope))
    assert len(first.schools) > 10 and all(a is b for a, b in zip(first.schools, again.schools, strict=True))
    late = replace(result.compliance[0], status="late")  # one school's status changed: its page alone is new
    changed = build_site(replace(result, compliance=(late, *result.compliance[1:])), made=(made, scope))
    assert [s.id for a, s in zip(again.schools, changed.schools, strict=True) if a is not s] == [late.school_id]
    assert changed.schools == build_site(replace(result, compliance=(late, *result.compliance[1:]))).schools
    other = build_site(result, made=(made, ("policy", "another oversight")))  # anything site-wide: all anew
    assert not any(a is b for a, b in zip(changed.schools, other.schools, strict=True))
    assert other.schools == first.schools


def test_memory_is_tidied_behind_a_preview_and_nothing_frozen_is_kept_for_ever() -> None:
    """After a job behind the preview runs to its end, what is alive is left out of the collector's
    scans; a cycle that became garbage since is freed by the next tidying, not kept for ever."""
    import gc
    import weakref

    from xiaowu.serve import Behind, tidy

    class Node:
        pass

    behind = Behind()
    try:
        node = Node()
        node.me = node  # type: ignore[attr-defined]  # a cycle: only the collector frees it
        alive = weakref.ref(node)
        behind.run(lambda stop: None)
        assert behind.thread is not None
        behind.thread.join()
        assert gc.get_freeze_count() > 0 and alive() is not None
        del node
        gc.collect()
        assert alive() is not None  # frozen: a plain collection does not look at it
        tidy()
        assert alive() is None  # the next tidying frees it
        behind.run(lambda stop: stop.event.wait())  # a job stopped by the next rebuild: no tidying after it
        gc.unfreeze()
        behind.cancel()
        assert gc.get_freeze_count() == 0
    finally:
        behind.cancel()
        gc.unfreeze()


def test_a_narrow_rebuild_tidies_lightly_and_a_full_tidying_follows_growth() -> None:
    """After a narrow rebuild only the new objects are collected and left out (a full collection at
    20,000 schools takes seconds that an edit saved meanwhile would wait); once what is left out grew
    by FULL_AFTER since the last full tidying, a full one frees the cycles that became garbage."""
    import gc
    import weakref

    from xiaowu.serve import FULL_AFTER, Behind

    class Node:
        pass

    behind = Behind()

    def ran(light: bool) -> None:
        behind.run(lambda stop: None, light=light)
        assert behind.thread is not None
        behind.thread.join()

    try:
        ran(False)
        base = behind.frozen
        assert base > 0  # (what was left out and is freed since, a thread's objects, is no longer counted)
        node = Node()
        node.me = node  # type: ignore[attr-defined]
        alive = weakref.ref(node)
        ran(True)
        assert behind.frozen == base and not any(o is node for o in gc.get_objects())  # left out, lightly
        del node
        ran(True)
        assert alive() is not None  # a light tidying does not look at what was left out
        junk = [Node() for _ in range(int(base * FULL_AFTER) + 10)]
        ran(True)
        assert alive() is None and behind.frozen > base  # grown: a full tidying followed
        assert len(junk) > 10
    finally:
        behind.cancel()
        gc.unfreeze()


def test_a_schools_status_is_kept_only_while_its_result_and_the_bureaus_files_are_the_same(tmp_path: Path) -> None:
    from datetime import date

    from xiaowu.check.project import check_project
    from xiaowu.check.run import CheckCache

    schools, cache, today = tmp_path / "schools", CheckCache(), date(2026, 11, 21)
    shutil.copytree(REPO / "schools", schools)
    first = check_project(schools, today=today, jobs=1, cache=cache)
    again = check_project(schools, today=today, jobs=1, cache=cache)
    filed = {s.id for s in first.schools}  # a roster school without a file is looked at afresh
    assert all(a is b for a, b in zip(first.compliance, again.compliance, strict=True) if a.school_id in filed)
    _edit(schools / "qingshi" / "qingshi-00003.yml", "published: 2026-08-11", "published: 2026-08-25")
    late = check_project(schools, today=today, jobs=1, cache=cache)
    assert [c.school_id for a, c in zip(again.compliance, late.compliance, strict=True)
            if a is not c and c.school_id in filed] == ["qingshi-00003"]
    assert late.compliance == check_project(schools, today=today, jobs=1).compliance
    later = check_project(schools, today=date(2026, 11, 22), jobs=1, cache=cache)  # another day: all anew
    assert not any(a is b for a, b in zip(late.compliance, later.compliance, strict=True))
    assert later.compliance == check_project(schools, today=date(2026, 11, 22), jobs=1).compliance


def test_the_bureaus_files_are_read_again_only_when_their_bytes_change(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A province's roster is megabytes: a preview reuses its reading while policy.yml and
    exceptions.yml hold the same bytes (check.project._bureau), and reads them again after any change."""
    from datetime import date

    from xiaowu.check import project
    from xiaowu.check.run import CheckCache

    schools, cache, today = tmp_path / "schools", CheckCache(), date(2026, 11, 21)
    shutil.copytree(REPO / "schools", schools)
    reads: list[Path] = []
    real = project.load_bureau
    monkeypatch.setattr(project, "load_bureau", lambda folder: reads.append(folder) or real(folder))
    first = check_project_with(schools, today, cache)
    again = check_project_with(schools, today, cache)
    assert len(reads) == 1 and again.policy is first.policy
    with (schools / "policy.yml").open("a", encoding="utf-8") as policy:
        policy.write("# 说明\n")
    edited = check_project_with(schools, today, cache)
    assert len(reads) == 2 and edited.policy is not first.policy
    (schools / "exceptions.yml").write_text("exceptions: []\n", "utf-8")
    check_project_with(schools, today, cache)
    assert len(reads) == 3
    fresh = check_project_with(schools, today, None)  # without a cache: always read
    assert len(reads) == 4 and fresh.diagnostics == check_project_with(schools, today, cache).diagnostics


def check_project_with(schools: Path, today: object, cache: object) -> Any:
    from xiaowu.check.project import check_project
    return check_project(schools, today=today, jobs=1, cache=cache)  # type: ignore[arg-type]


def test_a_schools_papers_are_reused_for_the_very_same_page_model_only() -> None:
    from dataclasses import replace
    from datetime import date

    from xiaowu.check.project import check_project
    from xiaowu.pages.paper import papers_by_school
    from xiaowu.pages.site import build_site
    from xiaowu.pages.urls import Urls

    site = build_site(check_project(REPO / "schools", today=date(2026, 11, 21), jobs=1))
    cache: dict[int, Any] = {}
    first = papers_by_school(site.schools, site.urls, cache)
    assert any(first.values()) and first == papers_by_school(site.schools, site.urls)
    again = papers_by_school(site.schools, Urls(True), cache)  # other Urls, the same addresses
    assert all(again[s.id] is first[s.id] for s in site.schools)
    changed = replace(site.schools[0], source="schools/x.yml")  # another model of the same school
    made = papers_by_school((changed, *site.schools[1:]), site.urls, cache)
    assert made[changed.id] is not first[changed.id] and made[changed.id][0].school is changed
    plain = papers_by_school(site.schools, Urls(False), cache)  # other addresses: all anew
    assert not any(plain[s.id] is made[s.id] for s in site.schools[1:] if made[s.id])
    assert len(cache) == len(site.schools)  # only this site's schools are kept


def test_under_a_since_the_check_reads_only_the_files_it_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """check.run.Since: a preview that watched the folder says which files changed; the other files'
    results are used unread and the last walk of the folder as it is. Told truly, the result is a
    fresh check's; the test also tells it falsely, to show that it is trusted."""
    from datetime import date

    from xiaowu.check import project, run
    from xiaowu.check.run import CheckCache, Since

    schools, cache, today = tmp_path / "schools", CheckCache(), date(2026, 11, 21)
    shutil.copytree(REPO / "schools", schools)
    reads: list[str] = []
    walks: list[Path] = []
    real_read, real_walk = run.read_limited, project.discover
    monkeypatch.setattr(run, "read_limited", lambda path, *a: reads.append(os.path.abspath(path)) or real_read(path, *a))
    monkeypatch.setattr(project, "discover", lambda folder: walks.append(folder) or real_walk(folder))
    first = check_project_with(schools, today, cache)
    assert len(walks) == 1 and len(reads) == len(first.schools) > 5
    one, two = schools / "qingshi" / "qingshi-00003.yml", schools / "qingshi" / "qingshi-00006.yml"
    _edit(one, "学府路 4 号", "学府路 40 号")
    reads.clear()
    cache.since = Since(frozenset({str(one)}))
    told = check_project_with(schools, today, cache)
    assert reads == [str(one)] and len(walks) == 1  # one file read, the folder not walked again
    fresh = check_project_with(schools, today, None)
    assert told.diagnostics == fresh.diagnostics and told.compliance == fresh.compliance
    assert [s.data for s in told.schools] == [s.data for s in fresh.schools]
    _edit(two, "  name: ", "  name: 不在名册")  # an error, not told: the last result is trusted
    cache.since = Since(frozenset())
    untold = check_project_with(schools, today, cache)
    assert not untold.errors and untold.diagnostics == told.diagnostics
    assert cache.since is None and check_project_with(schools, today, cache).errors  # told once: then all read again
    assert len(walks) == 3


def test_a_job_stopped_before_its_end_is_started_again_by_a_rebuild_that_changed_nothing() -> None:
    """A rebuild stops the work behind the last one before it knows what changed; when nothing it is
    made from changed (a file with errors: the last good site stays), that work starts again, once; a
    job that ran to its end, or failed, is not run again."""
    import gc
    import threading

    from xiaowu.serve import Behind

    behind, runs, release = Behind(), [], threading.Event()

    def job(stop: Any) -> None:
        runs.append(1)
        while not stop() and not release.is_set():
            release.wait(0.01)
    try:
        behind.run(job)
        behind.cancel()  # the next rebuild begins
        behind.resume()
        release.set()
        assert behind.thread is not None
        behind.thread.join()
        assert len(runs) == 2 and behind.last is None
        behind.cancel()
        behind.resume()  # it ran to its end: nothing to start again
        assert len(runs) == 2 and behind.thread is None

        def failing(stop: Any) -> None:
            runs.append(1)
            raise OSError("disk full")
        caught: list[Any] = []
        hook, threading.excepthook = threading.excepthook, caught.append
        try:
            behind.run(failing)
            assert behind.thread is not None
            behind.thread.join()
        finally:
            threading.excepthook = hook
        assert isinstance(caught[0].exc_value, OSError)  # (the thread tells of it, as any thread does)
        behind.cancel()
        behind.resume()  # a job that failed is not started again: it would fail again
        assert len(runs) == 3 and behind.thread is None
    finally:
        behind.cancel()
        gc.unfreeze()


def test_the_servers_addition_puts_the_findings_first_in_the_content() -> None:
    """serve.Overlay wraps the server's own addition (its reload script) of each page it sends."""
    from xiaowu.serve import Overlay

    class Server:
        def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
            return content.replace(b"</body>", b"<script>%d</script></body>" % epoch)

    assert Overlay.install(object()) is None  # a server without it: the panel is written into the pages
    server = Server()
    overlay = Overlay.install(server)
    assert overlay is not None
    css = b'<link rel="stylesheet" href="../assets/xiaowu/xiaowu.css">'  # a page of the site
    page = b'<html><head>' + css + b'</head><body class="x"><header><article>t</article></header><article class="md">body</article></body></html>'
    assert server._inject_js_into_html(page, 7) == page.replace(b"</body>", b"<script>7</script></body>")  # nothing to show
    overlay.html = b"<div>P</div>"
    sent = server._inject_js_into_html(page, 7)
    assert sent.count(b"<div>P</div>") == 1 and b"<script>7</script></body>" in sent
    assert sent.startswith(b'<html><head>' + css + b'</head><body class="x"><header><article><div>P</div>t')  # the first article
    assert Server()._inject_js_into_html(page, 1) == page.replace(b"</body>", b"<script>1</script></body>")  # that server only
    assert overlay.add(css + b'<body id="b"><p>x</p></body>') == css + b'<body id="b"><div>P</div><p>x</p></body>'
    assert overlay.add(b"<p>x</p>" + css) == b"<div>P</div><p>x</p>" + css
    assert overlay.add(css + b"<articles><p>x</p>") == b"<div>P</div>" + css + b"<articles><p>x</p>"  # a word, not a prefix
    editor = b'<html><head><script src="decap-cms.js"></script></head><body></body></html>'
    assert overlay.add(editor) == editor  # not a page of the site (the form editor): left as it is
