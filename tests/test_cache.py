"""The per-file check cache used between `mkdocs serve` rebuilds: reuse only what cannot have changed."""
from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

from xiaowu.check.project import check_project
from xiaowu.check.run import CheckCache

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 21)


def _touch_later(path: Path) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))


def test_unchanged_files_are_reused_and_changed_ones_checked_again(tmp_path: Path) -> None:
    shutil.copytree(REPO / "schools", tmp_path / "schools")
    cache = CheckCache()
    first = check_project(tmp_path / "schools", today=TODAY, cache=cache, jobs=1)
    assert first.errors == 0 and len(cache.entries) == 48
    school = tmp_path / "schools" / "qingshi" / "qingshi-00003.yml"
    school.write_text(school.read_text("utf-8").replace("amount: ", "amount: 9999", 1), "utf-8")
    _touch_later(school)
    second = check_project(tmp_path / "schools", today=TODAY, cache=cache, jobs=1)
    assert [d.code for d in second.diagnostics if d.blocking] == ["F207"]
    other = next(s for s in second.schools if s.id == "qingshi-00006")
    assert other.data is next(s for s in first.schools if s.id == "qingshi-00006").data  # reused, not re-read
    # Reused results do not pile up diagnostics from the cross-file pass.
    third = check_project(tmp_path / "schools", today=TODAY, cache=cache, jobs=1)
    assert [d.code for d in third.diagnostics] == [d.code for d in second.diagnostics]


def test_a_policy_change_invalidates_everything(tmp_path: Path) -> None:
    shutil.copytree(REPO / "schools", tmp_path / "schools")
    cache = CheckCache()
    check_project(tmp_path / "schools", today=TODAY, cache=cache, jobs=1)
    policy = tmp_path / "schools" / "policy.yml"
    policy.write_text(policy.read_text("utf-8").replace("cap: 1600", "cap: 1000"), "utf-8")
    result = check_project(tmp_path / "schools", today=TODAY, cache=cache, jobs=1)
    assert sum(d.code == "F207" for d in result.diagnostics) > 10  # every school's meal fee re-checked
