# The search index: Pagefind's extended build (Chinese word segmentation) run over the built site.
#
# Only the hidden block each school and county page marks with data-pagefind-body is indexed: the
# name, county and this term's fee item names, spelled by pages/searchwords.py so that no Chinese
# segmentation happens at index or query time (see there), and the result's title, summary and fee
# lines as metadata. The download per query stays small as the site grows.
from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class IndexResult:
    ok: bool
    pages: int
    output: str


#: Where the pages' search blocks are gathered for the indexer, inside the site folder (hidden: MkDocs'
#: cleaning leaves it, so each build empties it first, and removes it when indexed).
SEARCH_STAGE = ".xiaowu-search"
_BLOCK_START = "<div hidden data-pagefind-body"


def put_away(folder: Path) -> None:
    """Behind a preview: ``folder`` out of the way at once (renamed to a hidden sibling, which MkDocs'
    cleaning and the staging of pages leave alone; an index of the whole site folder waits for it to
    go, ``_put_away_done``) and removed in a thread nobody waits for, so that a newer rebuild does not
    wait while thousands of stage files are unlinked (seconds on a slow disk)."""
    trash = folder.with_name(f".xiaowu-trash-{uuid.uuid4().hex}")
    try:
        os.rename(folder, trash)
    except FileNotFoundError:
        return
    except OSError:  # cannot be renamed: removed here, as before
        shutil.rmtree(folder, ignore_errors=True)
        return
    thread = threading.Thread(target=shutil.rmtree, args=(trash, True), name="xiaowu-put-away", daemon=True)
    thread.start()
    _AWAY[:] = [t for t in _AWAY if t.is_alive()] + [thread]


#: The removals ``put_away`` started: an index of the whole site folder waits for them (the indexer
#: reads hidden folders too).
_AWAY: list[threading.Thread] = []


def _put_away_done(switch: Switch) -> bool:
    """Wait for the removals ``put_away`` started; False when the switch was set meanwhile."""
    for thread in list(_AWAY):
        while thread.is_alive() and not switch():
            thread.join(0.05)
    return not switch()


def search_block(body: str) -> str | None:
    """The block a page body is found by (templates school.html and county.html: a hidden <div> of
    paragraphs), "" when the body has none; None when it cannot be told apart (two blocks, a nested
    <div>, no end): then the indexer gets the page whole."""
    start = body.find(_BLOCK_START)
    if start < 0:
        return "" if "data-pagefind-body" not in body else None
    end = body.find("</div>", start)
    if end < 0 or "<div" in body[start + 4:end] or body.count("data-pagefind-body") != 1:
        return None
    return body[start:end + len("</div>")]


class Switch(Protocol):
    """How a preview stops a finish it no longer needs (publish.build.Stop)."""

    def __call__(self) -> bool: ...  # set: stop

    def started(self, process: subprocess.Popen[str]) -> None: ...  # the indexer, to kill when set


class _Never:
    def __call__(self) -> bool:
        return False

    def started(self, process: subprocess.Popen[str]) -> None:
        pass


def build_index(site_dir: Path, handled: frozenset[str] = frozenset(), switch: Switch | None = None,
                meanwhile: Callable[[], None] | None = None, blocks: tuple[tuple[str, bytes], ...] = ()
                ) -> IndexResult:
    """Index ``site_dir`` (writes ``site_dir/pagefind/``); ``switch`` is checked between the stage's
    files and given the running indexer (so a preview can stop all of it when a newer build begins:
    the result is then not ok); ``meanwhile`` runs while the indexer reads the stage (other files of
    the site: it reads none of them), or before it starts without a stage.

    ``handled``: the pages (site-relative paths) whose search block was already put in the stage
    (publish/pagewriter.py), or left out for having none. The indexer then reads the stage: those
    blocks (a 1 KB file instead of a 30 KB page) and every other page of the site whole (linked), and
    writes the same index as from the site itself (tests/test_fast_pages.py compares them). ``blocks``:
    stage files (path, bytes) to write first, when the pages' writing left them to this step."""
    from pagefind_bin_extended import get_executable  # the extended binary: the standard one finds no Chinese

    stage = site_dir / SEARCH_STAGE
    where = ["--site", str(site_dir)]
    switch = switch if switch is not None else _Never()
    try:
        if handled:
            for path, data in blocks:
                if switch():
                    return IndexResult(False, 0, "stopped")
                os.makedirs(os.path.dirname(path), exist_ok=True)
                Path(path).write_bytes(data)
            if not _link_rest(site_dir, stage, handled, switch):
                return IndexResult(False, 0, "stopped")
            where = ["--site", str(stage), "--output-path", str(site_dir / "pagefind")]
        else:
            if not _put_away_done(switch):  # a stage not yet removed would be read as pages of the site
                return IndexResult(False, 0, "stopped")
            if meanwhile is not None:
                meanwhile()
        with subprocess.Popen([str(get_executable()), *where], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace") as run:
            switch.started(run)
            try:
                if handled and meanwhile is not None:
                    meanwhile()
            except BaseException:
                run.kill()
                raise
            stdout, stderr = run.communicate(timeout=3600)
    except (OSError, subprocess.SubprocessError) as exc:
        return IndexResult(False, 0, str(exc))
    finally:
        if isinstance(switch, _Never):  # a build: the site it leaves holds no stage
            shutil.rmtree(stage, ignore_errors=True)
        else:
            put_away(stage)
    output = stdout + stderr
    found = re.search(r"Indexed (\d+) pages?", output)
    return IndexResult(run.returncode == 0 and found is not None, int(found.group(1)) if found else 0, output)


def _link_rest(site_dir: Path, stage: Path, handled: frozenset[str], switch: Switch) -> bool:
    """Every HTML page of the site not in ``handled`` into the stage, whole (a hard link where it can);
    False when the switch was set on the way."""
    for folder, dirs, names in os.walk(site_dir):
        if switch():
            return False
        here = os.path.relpath(folder, site_dir)
        dirs[:] = [d for d in dirs if not d.startswith(".") and not (here == "." and d == "pagefind")]
        for name in names:
            relative = name if here == "." else f"{here}/{name}"
            if not name.endswith(".html") or relative in handled:
                continue
            target = stage / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(os.path.join(folder, name), target)
            except OSError:
                shutil.copyfile(os.path.join(folder, name), target)
    return True
