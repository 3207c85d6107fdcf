# Issue 25, time: the build record takes the digests of the pages the build wrote from the bytes it
# wrote (publish/digests.py), instead of reading ~10 GB back at 100,000 schools; only while each file is
# still what was written, and only when nothing else may write into the site after our pages.
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from xiaowu.pages.shell import Shell
from xiaowu.plugin import XiaowuPlugin
from xiaowu.publish import digests
from xiaowu.publish.buildrecord import RECORD, verify
from xiaowu.publish.pagewriter import Job, write_pages

REPO = Path(__file__).resolve().parents[1]
EPOCH = "1795219200"  # 2026-11-21


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_signed_file_is_not_read_while_it_is_what_was_written(tmp_path: Path) -> None:
    page = tmp_path / "a" / "index.html"
    page.parent.mkdir()
    page.write_bytes(b"<p>one</p>")
    sign = digests.signed(str(page), b"<p>one</p>")
    assert sign[4] == _sha(b"<p>one</p>")
    told = {str(page): (*sign[:4], "0" * 64)}  # a digest the file does not have: taken only if not read
    assert digests.tree(tmp_path, known=told) == {"a/index.html": "0" * 64}
    assert digests.tree(tmp_path) == {"a/index.html": _sha(b"<p>one</p>")}


def _changes() -> list[tuple[str, bytes]]:
    return [("rewritten, another size", b"<p>three</p>"), ("rewritten, same size, time moved", b"<p>two</p>"),
            ("replaced by a renamed file", b"<p>one</p>"), ("replaced by a link", b"")]


@pytest.mark.parametrize("change", range(4))
def test_a_signed_file_changed_after_its_writing_is_read_again(tmp_path: Path, change: int) -> None:
    page = tmp_path / "index.html"
    page.write_bytes(b"<p>one</p>")
    told = {str(page): digests.signed(str(page), b"<p>one</p>")}
    what, data = _changes()[change]
    if change == 0:
        page.write_bytes(data)
    elif change == 1:  # the same size within the clock's tick would keep the times: moved as a later write would
        before = os.stat(page)
        page.write_bytes(data)
        os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000))
    elif change == 2:
        (tmp_path / "other").write_bytes(data)
        os.replace(tmp_path / "other", page)
    else:
        (tmp_path / "elsewhere.html").write_bytes(b"<p>uno</p>")
        page.unlink()
        page.symlink_to(tmp_path / "elsewhere.html")
    assert digests.tree(tmp_path, known=told) == digests.tree(tmp_path), what


def test_a_tree_lists_every_file_once_follows_no_link_and_hashes_in_batches(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "empty").mkdir()
    (root / "a.txt").write_bytes(b"a")
    (root / "sub" / "b.txt").write_bytes(b"b")
    (root / "sub" / "deeper" / "c.txt").write_bytes(b"c")
    many = {f"sub/deeper/{i:04}.html": f"<p>{i}</p>".encode() for i in range(3 * digests._BATCH + 5)}
    for name, data in many.items():
        (root / name).write_bytes(data)
    (root / "to-a").symlink_to("a.txt")
    (root / "nowhere").symlink_to("missing.txt")
    (root / "to-sub").symlink_to("sub", target_is_directory=True)  # recorded as a link: sub/ is not listed twice
    os.mkfifo(root / "pipe")
    expected = {"a.txt": _sha(b"a"), "nowhere": "link:" + _sha(b"missing.txt"), "pipe": "special",
                "sub/deeper/c.txt": _sha(b"c"), "to-a": "link:" + _sha(b"a.txt"), "to-sub": "link:" + _sha(b"sub"),
                **{name: _sha(data) for name, data in many.items()}}
    assert digests.tree(root, frozenset({"sub/b.txt"})) == dict(sorted(expected.items()))
    assert list(digests.tree(root)) == sorted([*expected, "sub/b.txt"])


SHELL = Shell(("<html><title>", "</title><main>", "</main></html>"), ("title", "body"), (False,))


def _jobs(root: Path, count: int) -> list[Job]:
    """Pages with their search blocks staged beside them (the stage is not part of the site)."""
    return [Job(f"s/{i}.md", f"s/{i}/", str(root / "s" / str(i) / "index.html"), SHELL, f"学校{i}", "",
                str(root.parent / "stage" / "s" / str(i) / "index.html"), "zh-CN") for i in range(count)]


@pytest.mark.parametrize("workers", [1, 2])
def test_every_page_written_is_signed_in_this_process_and_in_the_forked_ones(tmp_path: Path, workers: int) -> None:
    jobs = _jobs(tmp_path / "site", 900)
    signing: dict[str, digests.Signed] = {}
    misfits = write_pages(jobs, lambda src, url: f"<div hidden data-pagefind-body><p>{src}</p></div>", workers,
                          signing=signing)
    assert misfits == [] and sorted(signing) == sorted(job.path for job in jobs)
    for job in jobs[::97]:
        st = os.lstat(job.path)
        assert signing[job.path] == (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino,
                                     _sha(Path(job.path).read_bytes()))
    assert digests.tree(tmp_path / "site", known=signing) == digests.tree(tmp_path / "site")


def _example(root: Path, hook: str = "") -> Path:
    root.mkdir(parents=True)
    for name in ("docs", "schools"):
        shutil.copytree(REPO / name, root / name)
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    if hook:
        (root / "hook.py").write_text(hook, "utf-8")
        config = config.replace("docs_dir: docs\n", "docs_dir: docs\nhooks:\n  - hook.py\n", 1)
    (root / "mkdocs.yml").write_text(config, "utf-8")
    return root


def _build(project: Path) -> XiaowuPlugin:
    config = load_config(str(project / "mkdocs.yml"))
    mkdocs_build(config)
    plugin = config.plugins["xiaowu"]
    assert isinstance(plugin, XiaowuPlugin)
    return plugin


# A post_build hook that rewrites one school page after ours, keeping its size: a signature of our write
# would then be stale within one tick of the clock, so the build must not sign at all.
_SAME_SIZE = """from pathlib import Path


def on_post_build(config, **kwargs):
    page = next(sorted(Path(config.site_dir).glob("schools/*/*/index.html")).__iter__())
    text = page.read_bytes()
    page.write_bytes(text.replace(b"</body>", b"</BODY>", 1))
"""


@pytest.mark.parametrize("hook", ["", _SAME_SIZE])
def test_a_build_signs_its_pages_unless_another_post_build_may_write_after_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hook: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.chdir(tmp_path)
    project = _example(tmp_path / "p", hook)
    started = time.time_ns()
    plugin = _build(project)
    signed = plugin.signed
    site = project / "site"
    pages = sorted(str(p) for p in site.glob("schools/*/*/index.html"))
    if hook:
        assert signed == {}
        assert any(b"</BODY>" in Path(p).read_bytes() for p in pages)
    else:
        assert len(pages) >= 48 and set(pages) <= set(signed)
        assert all(sign[1] >= started - 10**9 for sign in signed.values())
    verdict = verify(site, project / "schools", strict=True)
    assert verdict.accepted, verdict.problems  # the record lists every file as it is on disk
    assert (site / RECORD).is_file()


# Hooks that change the data folder after the check read it (on_env runs after on_pre_build's check):
# the record would name bytes the check never read, so the build must stop without one.
_DATA_CHANGES = {
    "a school file rewritten": """from pathlib import Path


def on_env(env, config, files):
    school = sorted(Path(config.config_file_path).parent.glob("schools/*/*.yml"))[0]
    school.write_bytes(school.read_bytes() + b"# edited while building\\n")
""",
    "a school file added": """from pathlib import Path
import shutil


def on_env(env, config, files):
    school = sorted(Path(config.config_file_path).parent.glob("schools/*/*.yml"))[0]
    shutil.copyfile(school, school.with_name("late-" + school.name))
""",
    "a bureau file removed": """from pathlib import Path


def on_env(env, config, files):
    (Path(config.config_file_path).parent / "schools" / "exceptions.yml").unlink()
""",
    "a file written back to the same bytes": """from pathlib import Path
import os


def on_env(env, config, files):
    policy = Path(config.config_file_path).parent / "schools" / "policy.yml"
    data = policy.read_bytes()
    policy.write_bytes(b"")
    policy.write_bytes(data)
    os.utime(policy, ns=(0, 0))
""",
}


@pytest.mark.parametrize("change", sorted(_DATA_CHANGES))
def test_a_build_whose_data_changed_after_the_check_writes_no_record(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, change: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.chdir(tmp_path)
    project = _example(tmp_path / "p", _DATA_CHANGES[change])
    assert (project / "schools" / "exceptions.yml").is_file()
    with pytest.raises(Abort):
        _build(project)
    assert re.search("生成网站期间.*有 1 个文件被新增、删除或改动.*没有写生成记录", caplog.text)
    site = project / "site"
    assert (site / "index.html").is_file() and not (site / RECORD).exists()
    assert not verify(site, project / "schools").accepted


def test_a_record_names_the_data_folder_as_the_build_found_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.chdir(tmp_path)
    project = _example(tmp_path / "p")
    (project / "schools" / "README.txt").write_bytes(b"notes, not data")
    _build(project)
    record = json.loads((project / "site" / RECORD).read_bytes())
    assert record["data"]["by_file"] == digests.tree(project / "schools")
    assert "README.txt" in record["data"]["by_file"]


def test_a_snapshot_names_a_file_it_cannot_read_and_sees_it_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "policy.yml").write_bytes(b"a: 1\n")
    (tmp_path / "locked.txt").write_bytes(b"secret")
    real = digests._digest

    def refusing(entry: os.DirEntry[str]) -> str:
        if entry.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real(entry)
    monkeypatch.setattr(digests, "_digest", refusing)
    taken = digests.snapshot(tmp_path)
    assert taken["locked.txt"][4] == "unreadable:13" and taken["policy.yml"][4] == _sha(b"a: 1\n")
    assert digests.touched(tmp_path, taken) == []
    (tmp_path / "locked.txt").write_bytes(b"other")
    assert digests.touched(tmp_path, taken) == ["locked.txt"]
