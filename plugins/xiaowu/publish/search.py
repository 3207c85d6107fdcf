# The search index: Pagefind's extended build (Chinese word segmentation) run over the built site.
#
# Only the hidden block each school and county page marks with data-pagefind-body is indexed: the
# name, county and this term's fee item names, spelled by pages/searchwords.py so that no Chinese
# segmentation happens at index or query time (see there), and the result's title, summary and fee
# lines as metadata. The download per query stays small as the site grows.
from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class IndexResult:
    ok: bool
    pages: int
    output: str


def build_index(site_dir: Path, started: Callable[[subprocess.Popen[str]], None] | None = None) -> IndexResult:
    """Index ``site_dir`` in place (writes ``site_dir/pagefind/``); ``started`` is given the running
    indexer (so a preview can stop it when a newer build begins)."""
    from pagefind_bin_extended import get_executable  # the extended binary: the standard one finds no Chinese

    try:
        with subprocess.Popen([str(get_executable()), "--site", str(site_dir)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace") as run:
            if started is not None:
                started(run)
            stdout, stderr = run.communicate(timeout=3600)
    except (OSError, subprocess.SubprocessError) as exc:
        return IndexResult(False, 0, str(exc))
    output = stdout + stderr
    found = re.search(r"Indexed (\d+) pages?", output)
    return IndexResult(run.returncode == 0 and found is not None, int(found.group(1)) if found else 0, output)
