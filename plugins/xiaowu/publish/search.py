# The search index: Pagefind's extended build (Chinese word segmentation) run over the built site.
#
# Only the hidden block each school and county page marks with data-pagefind-body is indexed: the
# name, county and this term's fee item names, spelled by pages/searchwords.py so that no Chinese
# segmentation happens at index or query time (see there), and the result's title, summary and fee
# lines as metadata. The download per query stays small as the site grows.
from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class IndexResult:
    ok: bool
    pages: int
    output: str


def build_index(site_dir: Path) -> IndexResult:
    """Index ``site_dir`` in place (writes ``site_dir/pagefind/``)."""
    from pagefind_bin_extended import get_executable  # the extended binary: the standard one finds no Chinese

    try:
        run = subprocess.run([str(get_executable()), "--site", str(site_dir)], capture_output=True, text=True,
                             encoding="utf-8", errors="replace", timeout=3600, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return IndexResult(False, 0, str(exc))
    output = run.stdout + run.stderr
    found = re.search(r"Indexed (\d+) pages?", output)
    return IndexResult(run.returncode == 0 and found is not None, int(found.group(1)) if found else 0, output)
