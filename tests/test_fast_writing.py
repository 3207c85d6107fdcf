"""Writing pages from shells on every core, and what a preview finishes behind its pages (README
"Fast builds"): the same files from one process or several, misfits reported and not written, a
stopped finish swaps no export in and kills its indexer."""
from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

import pytest

from xiaowu.pages.shell import Shell
from xiaowu.publish import exports as exports_module
from xiaowu.publish.build import Finishing, Stop, build, finish
from xiaowu.publish.pagewriter import Job, write_pages
from xiaowu.serve import Behind

REPO = Path(__file__).resolve().parents[1]
SHELL = Shell(('<html lang="zh-CN"><title>', "</title><a href=\"/", '">本页</a><main>', "</main></html>"),
              ("title", "url", "body"), (False,))


def _jobs(root: Path, count: int) -> list[Job]:
    return [Job(f"s/{n}.md", f"s/{n}/", str(root / "s" / str(n) / "index.html"), SHELL, f"学校{n}", "",
                str(root / ".stage" / "s" / str(n) / "index.html"), "zh-CN") for n in range(count)]


def _body(src: str, url: str) -> str:
    number = int(src.split("/")[1].split(".")[0])
    block = f'<div hidden data-pagefind-body><p>学校{number}</p></div>'
    return f"<h1>学校{number}</h1>" if number % 97 == 5 else f"<p>第 {number} 所</p>{block}"


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("workers", [2, 3])
def test_several_processes_write_what_one_writes_and_report_the_misfits(tmp_path: Path, workers: int) -> None:
    one, many = tmp_path / "one", tmp_path / "many"
    misfits_one = write_pages(_jobs(one, 900), _body, 1)
    misfits_many = write_pages(_jobs(many, 900), _body, workers)
    assert sorted(misfits_many) == sorted(misfits_one) == sorted(f"s/{n}.md" for n in range(900) if n % 97 == 5)
    assert _files(many) == _files(one)
    page = (one / "s" / "7" / "index.html").read_text("utf-8")
    assert page == '<html lang="zh-CN"><title>学校7</title><a href="/s/7/">本页</a><main><p>第 7 所</p>' \
                   '<div hidden data-pagefind-body><p>学校7</p></div></main></html>'
    staged = (one / ".stage" / "s" / "7" / "index.html").read_text("utf-8")
    assert staged == '<!doctype html><html lang="zh-CN"><body><div hidden data-pagefind-body><p>学校7</p></div></body></html>'
    assert not (one / "s" / "5").exists()  # a misfit is left to the plain way


def test_a_failing_process_fails_the_writing(tmp_path: Path) -> None:
    def body(src: str, url: str) -> str:
        if src == "s/801.md":
            raise ValueError("坏页面")
        return _body(src, url)
    with pytest.raises((RuntimeError, ValueError)):
        write_pages(_jobs(tmp_path, 900), body, 2)


def test_a_finish_stopped_before_it_starts_writes_nothing(tmp_path: Path) -> None:
    done = build(REPO / "schools", REPO, today=date(2026, 11, 21), jobs=1)
    stop = Stop()
    stop.set()
    site = tmp_path / "site"
    site.mkdir()
    finished = finish(done.tables, site, "", [], Finishing(stop=stop))
    assert finished.summary == "" and finished.problems == ()
    assert not (site / "data").exists() and not (site / "pagefind").exists()
    assert [p.name for p in site.iterdir()] == []  # no staging folder left either


def test_a_finish_stopped_inside_a_file_stops_before_its_next_piece(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                     ) -> None:
    """A preview's newer rebuild waits for what runs behind the last one to stop: a large export file
    (a province's fee table, schools.json: seconds) is stopped between its pieces, not at its end, and
    leaves nothing behind."""
    done = build(REPO / "schools", REPO, today=date(2026, 11, 21), jobs=1)
    stop = Stop()
    drawn: list[bytes] = []
    whole = exports_module.schools_json

    def schools_json(tables: object, bodies: Iterable[bytes]) -> Iterator[bytes]:
        for piece in whole(tables, bodies):  # type: ignore[arg-type]
            drawn.append(piece)
            if len(drawn) == 3:
                stop.set()
            yield piece
    monkeypatch.setattr(exports_module, "schools_json", schools_json)
    site = tmp_path / "site"
    site.mkdir()
    finished = finish(done.tables, site, "", [], Finishing(stop=stop))
    assert finished.summary == "" and finished.problems == ()
    assert len(drawn) == 3 < len(list(whole(done.tables, [b"{}"] * 48)))
    assert not (site / "data").exists() and not (site / "pagefind").exists()
    assert [p.name for p in site.iterdir()] == []  # the staging folder is removed too


def test_a_switch_set_while_the_stage_is_made_starts_no_indexer(tmp_path: Path) -> None:
    """Behind a preview, the stage's blocks and the links of the other pages are made between checks
    of the switch: a newer rebuild does not wait for them, and no indexer starts."""
    from xiaowu.publish.search import SEARCH_STAGE, build_index

    site = tmp_path / "site"
    for index in range(30):
        (site / f"p{index}").mkdir(parents=True)
        (site / f"p{index}" / "index.html").write_text("<p>页</p>", "utf-8")
    blocks = tuple((str(site / SEARCH_STAGE / f"s{n}" / "index.html"), b"<div>1</div>") for n in range(20))
    for allowed in (5, 25):  # set while the blocks are written; set while the other pages are linked
        stop, checks, indexers = Stop(), [0], []

        class Counting:
            def __call__(self) -> bool:
                checks[0] += 1
                if checks[0] > allowed:
                    stop.set()
                return stop()

            def started(self, process: subprocess.Popen[str]) -> None:
                indexers.append(process)
        result = build_index(site, frozenset({"s0/index.html"}), Counting(), None, blocks)
        assert not result.ok and result.output == "stopped" and indexers == []
        assert not (site / SEARCH_STAGE).exists() and not (site / "pagefind").exists()


def test_the_switch_kills_an_indexer_started_after_it_was_set() -> None:
    stop = Stop()
    stop.set()
    process = subprocess.Popen(["sleep", "30"], text=True)
    stop.started(process)
    assert process.wait(timeout=10) != 0


def test_a_job_behind_the_preview_is_stopped_and_waited_for() -> None:
    behind, seen = Behind(), []

    def job(stop: Stop) -> None:
        seen.append(stop.event.wait(timeout=30))
    behind.run(job)
    time.sleep(0.1)
    start = time.monotonic()
    behind.run(job)  # a newer rebuild: the first job is stopped and joined before the second starts
    assert seen == [True] and time.monotonic() - start < 10
    behind.cancel()
    assert seen == [True, True] and behind.thread is None and threading.active_count() >= 1


def test_a_stage_put_away_is_gone_at_once_and_removed_behind(tmp_path: Path) -> None:
    """Behind a preview the stage is renamed out of the way (a newer rebuild does not wait while its
    files are unlinked) and removed in a thread; a stage that is not there is no error."""
    import time

    from xiaowu.publish.search import SEARCH_STAGE, put_away

    stage = tmp_path / SEARCH_STAGE
    for n in range(200):
        (stage / f"s{n}").mkdir(parents=True)
        (stage / f"s{n}" / "index.html").write_bytes(b"<div>1</div>")
    put_away(stage)
    assert not stage.exists()
    deadline = time.monotonic() + 60
    while any(tmp_path.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(tmp_path.iterdir()) == []
    put_away(stage)  # nothing there
    assert list(tmp_path.iterdir()) == []


def test_an_index_of_the_whole_site_waits_for_a_stage_put_away(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    """The indexer reads hidden folders too: a stage put away and not yet removed must not be indexed
    as pages of the site."""
    import shutil
    import time

    from xiaowu.publish.search import SEARCH_STAGE, build_index, put_away

    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text('<html lang="zh-CN"><body><p>甲校</p></body></html>', "utf-8")
    for n in range(3):
        (site / SEARCH_STAGE / f"s{n}").mkdir(parents=True)
        (site / SEARCH_STAGE / f"s{n}" / "index.html").write_text(f'<html lang="zh-CN"><body><p>乙{n}</p></body></html>',
                                                                   "utf-8")
    remove = shutil.rmtree

    def slowly(path: str, *args: object, **kwargs: object) -> None:
        time.sleep(1.5)
        remove(path, *args, **kwargs)  # type: ignore[arg-type]
    monkeypatch.setattr(shutil, "rmtree", slowly)
    put_away(site / SEARCH_STAGE)
    assert [p.name for p in site.iterdir() if p.name.startswith(".")] != []  # still being removed
    result = build_index(site)
    assert result.ok and result.pages == 1, result.output
