"""The per-file check cache used between `mkdocs serve` rebuilds: reuse only what cannot have changed."""
from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
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


def _pid(policy: object) -> int:
    return os.getpid()


def test_the_side_job_runs_in_a_worker_process_when_there_are_workers() -> None:
    from xiaowu.check.run import PARALLEL_THRESHOLD, Task, run_checks
    from xiaowu.model.policy import Policy

    tasks = [Task(Path(f"c/s{i}.yml"), f"c/s{i}.yml", f"s{i}", "c", b"id: 1\n") for i in range(PARALLEL_THRESHOLD)]
    results, pid = run_checks(tasks, Policy(), 2, None, _pid)
    assert len(results) == len(tasks) and pid != os.getpid()
    results, pid = run_checks(tasks[:3], Policy(), 2, CheckCache(), _pid)  # too few files for workers
    assert len(results) == 3 and pid == os.getpid()
    assert run_checks(tasks[:3], Policy(), 1, None)[1] is None


def _recording_load(schools_dir: Path, policy: object) -> object:
    from xiaowu.check.bureau import load_oversight

    (schools_dir.parent / "reader.pid").write_text(str(os.getpid()))
    return load_oversight(schools_dir, policy)  # type: ignore[arg-type]


def _large_folder(tmp_path: Path) -> Path:
    """The example, with enough copies of one school to be checked by worker processes."""
    from xiaowu.check.run import PARALLEL_THRESHOLD

    schools = tmp_path / "schools"
    shutil.copytree(REPO / "schools", schools)
    one = schools / "qingshi" / "qingshi-00003.yml"
    for i in range(PARALLEL_THRESHOLD):
        (schools / "qingshi" / f"copy-{i:04d}.yml").write_bytes(one.read_bytes())
    return schools


def _decimals(value: object) -> Iterator[Decimal]:
    """Every Decimal in a typed value (dataclasses, tuples, lists, mappings), recursively."""
    if isinstance(value, Decimal):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _decimals(getattr(value, f.name))
    elif isinstance(value, (tuple, list, frozenset)):
        for item in value:
            yield from _decimals(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _decimals(item)


def test_the_amounts_the_workers_send_back_are_one_object_per_spelling(tmp_path: Path) -> None:
    result = check_project(_large_folder(tmp_path), today=TODAY, jobs=2)
    amounts = [d for school in result.schools for d in _decimals(school.data)]
    assert len(amounts) > 4000
    assert len({id(d) for d in amounts}) == len({str(d) for d in amounts})  # "280" and "280.00" apart
    assert [str(d) for d in amounts] == [str(d) for d in _decimals_of_one_process(tmp_path)]


def _decimals_of_one_process(tmp_path: Path) -> list[Decimal]:
    result = check_project(tmp_path / "schools", today=TODAY, jobs=1)
    return [d for school in result.schools for d in _decimals(school.data)]


def test_a_large_folders_oversight_file_is_read_by_a_worker_and_arrives_whole(tmp_path: Path, monkeypatch) -> None:
    """Composing a province's oversight file leaves hundreds of megabytes of freed memory in its
    reader's allocator (README "Tenth part"): with workers, a worker reads it; the typed file that
    comes back is the one this process would have read."""
    from xiaowu.check import project

    schools = _large_folder(tmp_path)
    here = check_project(schools, today=TODAY, jobs=1)
    monkeypatch.setattr(project, "load_oversight", _recording_load)
    there = check_project(schools, today=TODAY, jobs=2)
    assert int((tmp_path / "reader.pid").read_text()) != os.getpid()
    assert here.oversight.evaluations and there.oversight == here.oversight
    assert [(d.code, d.file, d.line) for d in there.diagnostics] == [(d.code, d.file, d.line) for d in here.diagnostics]
