# Writing thousands of pages from shells of the theme (pages/shell.py), on every core: each page's
# body is rendered, put into its shell and written as MkDocs writes a page. No MkDocs here: the
# adapter decides which pages have a shell and renders the ones whose body does not fit it.
from __future__ import annotations

import gc
import json
import os
import shutil
import sys
import threading
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from xiaowu.pages.shell import Shell
from xiaowu.publish.digests import Signed, signed
from xiaowu.publish.keep import Kept
from xiaowu.publish.search import search_block

#: Below this many pages one process is quicker than starting another.
_FORK_FROM = 400


@dataclass(frozen=True)
class Job:
    """One page to write: its source (to render its body), address, output file and shell, with the
    title and description its slots take (HTML already, as the theme prints them)."""

    src: str
    url: str
    path: str
    shell: Shell
    title: str
    description: str
    #: The page's file in the search stage (its search block alone, in a page of language ``lang``);
    #: "" to give the indexer the page whole.
    stage: str = ""
    lang: str = ""


def write_pages(jobs: Sequence[Job], body: Callable[[str, str], str], workers: int = 1,
                kept: Kept | None = None, signing: dict[str, Signed] | None = None) -> list[str]:
    """Write every job's page (its shell filled with ``body(src, url)``), in ``workers`` processes;
    the sources whose body does not fit their shell, which were not written. With ``kept`` (a
    preview's pages of its last rebuild), in this process, and a page that holds its bytes already
    is not written again. ``signing`` gets each page written (its path → publish.digests.signed), so
    that the build record need not read the pages back.

    The other processes are forked from this one (the site model is shared, not copied or pickled),
    only when no other thread runs here (a fork copies locks held by other threads, such as the
    preview server's); each writes its own share of the pages and reports its misfits (and the
    signatures) through a pipe."""
    if kept is not None or workers <= 1 or len(jobs) < _FORK_FROM or threading.active_count() > 1 \
            or not hasattr(os, "fork"):
        return _write(jobs, body, kept, signing)
    shares = [jobs[index::workers] for index in range(workers)]  # interleaved: schools and papers cost alike
    gc.collect()
    gc.freeze()  # the shared model stays in pages the children never write to (no copy on write by the GC)
    children: list[tuple[int, int]] = []
    misfits: list[str] = []
    try:
        for share in shares[1:]:
            children.append(_fork(share, body, signing is not None))
        misfits += _write(shares[0], body, signing=signing)
    finally:
        failed = 0
        for pid, pipe in children:
            with os.fdopen(pipe, "r", encoding="utf-8") as reader:
                told = reader.read()
            if os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) != 0:  # what it told may be half: unused
                failed += 1
            elif told:
                report = json.loads(told)
                misfits += report["misfits"]
                if signing is not None:
                    signing.update((path, tuple(sign)) for path, sign in report["signed"].items())
        gc.unfreeze()
    if failed:
        raise RuntimeError(f"{failed} 个写页面的进程出错（见上方）")
    return misfits


def _fork(share: Sequence[Job], body: Callable[[str, str], str], signs: bool) -> tuple[int, int]:
    reader, writer = os.pipe()
    pid = os.fork()
    if pid:
        os.close(writer)
        return pid, reader
    os.close(reader)  # the child: write its share, report, and leave without running the parent's exit code
    code = 1
    try:
        signing: dict[str, Signed] | None = {} if signs else None
        misfits = _write(share, body, signing=signing)
        with os.fdopen(writer, "w", encoding="utf-8") as out:
            json.dump({"misfits": misfits, "signed": signing or {}}, out, ensure_ascii=False)
        code = 0
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stderr.flush()
        os._exit(code)


def _write(jobs: Sequence[Job], body: Callable[[str, str], str], kept: Kept | None = None,
           signing: dict[str, Signed] | None = None) -> list[str]:
    misfits = []
    made: set[str] = set()
    for job in jobs:
        text = body(job.src, job.url)
        if not job.shell.fits(text):
            misfits.append(job.src)
            continue
        if kept is not None:  # a preview: a page made of the same parts as last time is there already
            same, staged = kept.again(job.path, (job, text))
            if same:
                _stage(job.path, job.stage, staged if isinstance(staged, bytes) else None, kept, made)
                continue
        page = job.shell.fill({"title": job.title, "description": job.description, "url": job.url, "body": text})
        data = page.encode("utf-8", errors="xmlcharrefreplace")
        if kept is None or kept.needs(job.path, data):
            put(job.path, data, made, signing)
        staged = _staging(job, text)
        _stage(job.path, job.stage, staged, kept, made)
        if kept is not None:
            kept.sign(job.path, (job, text), staged)
    return misfits


def _staging(job: Job, text: str) -> bytes | None:
    """The page's file in the search stage: its search block in a page of its own; None when the
    indexer gets the page whole (a link to it); b"" when it has no file there."""
    block = search_block(text) if job.stage else ""
    if block is None:
        return None
    return f'<!doctype html><html lang="{job.lang}"><body>{block}</body></html>'.encode(
        "utf-8", errors="xmlcharrefreplace") if block else b""


def _stage(path: str, stage: str, staged: bytes | None, kept: Kept | None, made: set[str]) -> None:
    if staged is None:
        _link(path, stage, made)
    elif staged and kept is None:
        put(stage, staged, made)
    elif staged and kept is not None:
        kept.blocks.append((stage, staged))


def stage_again(carried: Iterable[tuple[str, str, object]], kept: Kept) -> None:
    """The pages a preview left as they were (Kept.carries), as (path, stage path, what the writer
    noted with them): their files in the search stage, as when they were written."""
    made: set[str] = set()
    for path, stage, noted in carried:
        _stage(path, stage, noted if isinstance(noted, bytes) else None, kept, made)


def _folder(path: str, made: set[str]) -> None:
    folder = os.path.dirname(path)
    if folder not in made:
        os.makedirs(folder, exist_ok=True)
        made.add(folder)


def _link(path: str, target: str, made: set[str]) -> None:
    _folder(target, made)
    try:
        os.link(path, target)
    except OSError:
        shutil.copyfile(path, target)


def put(path: str, data: bytes, made: set[str], signing: dict[str, Signed] | None = None) -> None:
    """Write ``data`` to ``path``, its folder made first unless ``made`` (the folders made so far) has
    it; its signature into ``signing`` (see write_pages)."""
    _folder(path, made)
    Path(path).write_bytes(data)
    if signing is not None:
        signing[os.path.normpath(path)] = signed(path, data)
