# Checking a whole data folder: the bureau's files, every school file, cross-file rules and compliance.
#
# The per-file pipeline (load -> schema -> convert -> rules) is a pure function of the file's bytes
# and the policy, so large folders are split across processes; results come back in path order.
from __future__ import annotations

import hashlib
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any
from collections.abc import Iterable

from xiaowu.check.bureau import Bureau, load_bureau, load_policy
from xiaowu.read.chars import name_key
from xiaowu.check.status import Compliance, flags_for, missing_status, school_status
from xiaowu.findings.diagnostic import Diagnostic, limit_repeats, make, sort_key
from xiaowu.read.files import EXCEPTIONS_NAME, OVERSIGHT_NAME, POLICY_NAME, discover, display_path, read_limited
from xiaowu.read.text import MAX_BYTES
from xiaowu.check.file import SchoolResult, check_file
from xiaowu.model.oversight import Oversight, load_oversight
from xiaowu.model.policy import Policy

__all__ = ["POLICY_NAME", "EXCEPTIONS_NAME", "OVERSIGHT_NAME", "CheckCache", "ProjectResult", "SchoolResult", "check_file",
           "check_project", "display_path", "load_policy"]

#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 400


@dataclass
class ProjectResult:
    today: date
    policy: Policy
    policy_file: str
    policy_data: dict[str, Any] | None
    schools: list[SchoolResult]
    diagnostics: list[Diagnostic]
    compliance: list[Compliance]
    #: The bureau's complaint figures, inspections and refund orders (schools/oversight.yml).
    oversight: Oversight = field(default_factory=Oversight)

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.blocking)

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if not d.blocking)

    def failed(self, strict: bool = False) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)


_WORKER_POLICY = Policy()


def _init_worker(policy: Policy) -> None:
    # The policy (a province roster can be megabytes) is sent to each worker once, not per task.
    global _WORKER_POLICY
    _WORKER_POLICY = policy


Task = tuple[Path, str, str, str, "bytes | None"]


def _job(task: Task) -> SchoolResult:
    path, file, school_id, county, raw = task
    if raw is None:
        raw, problems = read_limited(path, MAX_BYTES, file)
        if raw is None:
            return SchoolResult(school_id, county, file, None, problems)
    return check_file(raw, file, school_id, county, _WORKER_POLICY)


def _identify(path: Path, schools_dir: Path) -> tuple[str, str, Diagnostic | None]:
    file = display_path(path)
    relative = Path(os.path.relpath(os.path.abspath(path), os.path.abspath(schools_dir)))
    if relative.parts[:1] == ("..",):
        relative = Path(path.parent.name) / path.name
    county = relative.parts[0] if len(relative.parts) == 2 else ""
    problem = None
    if len(relative.parts) != 2:
        problem = make("S112", file, 1, 1, what="学校文件应放在 schools/<县区代号>/ 文件夹下")
    return path.stem, county, problem


@dataclass
class CheckCache:
    """Per-file results kept between runs in one process (``mkdocs serve`` rebuilds): a file whose
    content is unchanged (by SHA-256, not by modification time, which an edit can keep), under
    unchanged bureau files, is not checked again."""

    policy_key: str = ""
    entries: dict[str, tuple[str, SchoolResult]] = field(default_factory=dict)

    def stamp(self, file: str) -> str | None:
        entry = self.entries.get(file)
        return entry[0] if entry else None


def _fresh(result: SchoolResult) -> SchoolResult:
    """A copy whose diagnostic lists can be extended without touching the cached original."""
    return replace(result, diagnostics=list(result.diagnostics), accepted=list(result.accepted))


def _from_cache(tasks: list[Task], cache: CheckCache) -> tuple[dict[int, SchoolResult], dict[int, str], list[Task]]:
    """Reuse results for files whose bytes hash as before; the rest are read here, once."""
    known: dict[int, SchoolResult] = {}
    digests: dict[int, str] = {}
    todo: list[Task] = []
    for index, (path, file, school_id, county, _) in enumerate(tasks):
        raw, problems = read_limited(path, MAX_BYTES, file)
        if raw is None:
            known[index] = SchoolResult(school_id, county, file, None, problems)
            continue
        digests[index] = hashlib.sha256(raw).hexdigest()
        entry = cache.entries.get(file)
        if entry and entry[0] == digests[index]:
            known[index] = _fresh(entry[1])
        else:
            todo.append((path, file, school_id, county, raw))
    return known, digests, todo


def _run(todo: list[Task], policy: Policy, jobs: int | None) -> list[SchoolResult]:
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers > 1 and len(todo) >= PARALLEL_THRESHOLD:
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(policy,)) as pool:
            return list(pool.map(_job, todo, chunksize=64))
    _init_worker(policy)
    return [_job(task) for task in todo]


def _cross_file(schools: list[SchoolResult], bureau: Bureau, complete: bool) -> list[Diagnostic]:
    """Ids and names unique across files; every exception entry names a school and is used."""
    out: list[Diagnostic] = []
    seen: dict[str, str] = {}
    names: dict[str, str] = {}
    for roster_id, listed in bureau.policy.roster.items():
        if listed.get("name"):
            names.setdefault(name_key(listed["name"]), f"名单中的 {roster_id}")
    for school in schools:
        if school.id in seen:
            school.diagnostics.append(make("S111", school.file, 1, 1, value=school.id, other=seen[school.id]))
        else:
            seen[school.id] = school.file
        if school.data is None or school.errors:
            continue
        key = name_key(school.name)
        owner = names.get(key)
        if owner and owner != f"名单中的 {school.id}":
            school.diagnostics.append(make("R604", school.file, *school.name_mark, name=school.name, other=owner))
        else:
            names[key] = school.file
    used = {index for school in schools for index in school.used_exceptions}
    for school_id, entries in bureau.policy.exceptions.items():
        for entry in entries:
            at = bureau.exception_marks.get(entry.index, (1, 1))
            if school_id not in seen:
                if complete:
                    out.append(make("X704", bureau.exceptions_file, *at,
                                    what=f"的学校代号“{school_id}”没有对应的学校文件"))
            elif entry.index not in used:
                out.append(make("X702", bureau.exceptions_file, *at, value=f"{school_id} {entry.rule}"))
    return out


def check_project(schools_dir: Path, files: Iterable[Path] | None = None, *, today: date,
                  jobs: int | None = None, cache: CheckCache | None = None,
                  refused: Iterable[Diagnostic] = ()) -> ProjectResult:
    """Check the bureau's files and the school files (all of ``schools_dir`` when ``files`` is None).

    ``refused`` are findings of a caller's own walk of part of the folder (links, near-miss names).
    """
    bureau = load_bureau(schools_dir, POLICY_NAME, EXCEPTIONS_NAME)
    policy = bureau.policy
    oversight, watched = load_oversight(schools_dir / OVERSIGHT_NAME, policy)
    diagnostics = limit_repeats(bureau.diagnostics) + limit_repeats(watched)
    if files is None:
        found = discover(schools_dir)
        paths, diagnostics = found.schools, diagnostics + found.problems
    else:
        bureau_files = {os.path.abspath(schools_dir / name) for name in (POLICY_NAME, EXCEPTIONS_NAME, OVERSIGHT_NAME)}
        paths = sorted(p for p in (Path(f) for f in files) if os.path.abspath(p) not in bureau_files)
        diagnostics += list(refused)
    if cache is not None:
        key = hashlib.sha256(bureau.fingerprint).hexdigest()
        if key != cache.policy_key:
            cache.policy_key, cache.entries = key, {}
    tasks: list[Task] = []
    placement: list[Diagnostic | None] = []
    for path in paths:
        school_id, county, problem = _identify(path, schools_dir)
        tasks.append((path, display_path(path), school_id, county, None))
        placement.append(problem)
    known, digests, todo = _from_cache(tasks, cache) if cache is not None else ({}, {}, tasks)
    computed = iter(_run(todo, policy, jobs))
    schools = []
    for index, task in enumerate(tasks):
        result = known.get(index) or next(computed)
        if cache is not None and index in digests and index not in known:
            cache.entries[task[1]] = (digests[index], _fresh(result))
        schools.append(result)
    for school, problem in zip(schools, placement):
        if problem:
            school.diagnostics.append(problem)
    diagnostics += _cross_file(schools, bureau, files is None)
    for school in schools:
        diagnostics.extend(school.diagnostics)
    compliance = [replace(school_status(s.id, s.county, s.name, s.data, s.errors, policy, today),
                          flags=flags_for(s.data if not s.errors else None, s.id, policy, oversight, today))
                  for s in schools]
    if files is None:
        checked = {s.id for s in schools}
        for school_id, entry in policy.roster.items():
            if school_id not in checked:
                compliance.append(replace(missing_status(school_id, entry["county"], entry["name"], policy, today),
                                          flags=flags_for(None, school_id, policy, oversight, today)))
    compliance.sort(key=lambda c: (c.county, c.school_id))
    diagnostics.sort(key=sort_key)
    return ProjectResult(today, policy, bureau.policy_file, bureau.policy_data, schools, diagnostics, compliance,
                         oversight)
