# Checking a whole data folder: the policy, every school file, cross-file rules and compliance.
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
from typing import Any, Iterable

from . import schema
from .checks import check_school
from .compliance import Compliance, missing_status, school_status
from .diagnostics import Diagnostic, make, sort_key
from .fields import valid_id
from .loader import MAX_POLICY_BYTES, Loaded, load_bytes
from .policy import Policy, build_policy

POLICY_NAME = "policy.yml"
#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 400


@dataclass
class SchoolResult:
    id: str
    county: str
    file: str
    data: dict[str, Any] | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    accepted: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.blocking)

    @property
    def name(self) -> str:
        profile = (self.data or {}).get("profile") or {}
        name = profile.get("name") if isinstance(profile, dict) else None
        return name if isinstance(name, str) else self.id


@dataclass
class ProjectResult:
    today: date
    policy: Policy
    policy_file: str
    policy_data: dict[str, Any] | None
    schools: list[SchoolResult]
    diagnostics: list[Diagnostic]
    compliance: list[Compliance]

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.blocking)

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if not d.blocking)

    def failed(self, strict: bool = False) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)


def display_path(path: Path) -> str:
    """Paths as a clerk sees them in the repository: relative to the working directory, with /.

    String arithmetic (no symlink resolution per file): 20,000 files are named in a blink.
    """
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute, os.getcwd())
    if relative.startswith(".."):
        return Path(absolute).as_posix()
    return Path(relative).as_posix()


def load_policy(path: Path) -> tuple[Policy, dict[str, Any] | None, list[Diagnostic]]:
    file = display_path(path)
    if not path.is_file():
        return Policy(), None, [make("R602", file, 1, 1, value=file)]
    loaded = load_bytes(path.read_bytes(), file, MAX_POLICY_BYTES)
    if loaded.data is None:
        return Policy(), None, loaded.diagnostics
    diagnostics = loaded.diagnostics + schema.validate("policy", loaded, file)
    typed, converted = schema.convert("policy", loaded, file)
    diagnostics += converted
    policy = build_policy(typed)
    for index, term in enumerate(typed.get("terms") or []):
        if not isinstance(term, dict):
            continue
        start, end = term.get("start"), term.get("end")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            diagnostics.append(make("S113", file, *loaded.mark(("terms", index, "end")), what="学期结束早于开学"))
    for index, school in enumerate(typed.get("roster") or []):
        county = school.get("county") if isinstance(school, dict) else None
        if isinstance(county, str) and policy.counties and county not in policy.counties:
            diagnostics.append(make("S112", file, *loaded.mark(("roster", index, "county")),
                                    what=f"名单中的县区代号“{county}”不在 counties 中"))
    return policy, typed, diagnostics


def check_file(raw: bytes, file: str, school_id: str, county: str, policy: Policy) -> SchoolResult:
    """The whole per-file pipeline. Pure: same bytes and policy, same result."""
    loaded: Loaded = load_bytes(raw, file)
    diagnostics = list(loaded.diagnostics)
    result = SchoolResult(school_id, county, file, None)
    if not valid_id(school_id):
        diagnostics.append(make("S110", file, 1, 1, value=school_id))
    if loaded.data is None:
        result.diagnostics = diagnostics
        return result
    diagnostics += schema.validate("school", loaded, file)
    typed, converted = schema.convert("school", loaded, file)
    diagnostics += converted
    findings = check_school(typed, loaded, file, policy)
    diagnostics += findings.diagnostics
    profile = typed.get("profile") if isinstance(typed.get("profile"), dict) else {}
    if policy.counties:
        if county not in policy.counties:
            diagnostics.append(make("S112", file, 1, 1, what=f"文件夹“{county}”不是 policy.yml 中的县区代号"))
        elif isinstance(profile.get("county"), str) and profile["county"] != policy.counties[county]:
            diagnostics.append(make("S112", file, *loaded.mark(("profile", "county")),
                                    what=f"县区“{profile['county']}”与文件夹对应的“{policy.counties[county]}”不一致"))
    if policy.roster and school_id not in policy.roster:
        diagnostics.append(make("R601", file, *loaded.mark(("profile", "name")), value=school_id))
    result.data = typed
    result.diagnostics = diagnostics
    result.accepted = findings.accepted
    return result


def discover(schools_dir: Path) -> list[Path]:
    """Every school file: schools/<county>/<id>.yml (and anything misplaced, to report it)."""
    found = [p for p in schools_dir.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file()]
    return sorted(p for p in found if p.name != POLICY_NAME or p.parent != schools_dir)


_WORKER_POLICY = Policy()


def _init_worker(policy: Policy) -> None:
    # The policy (a province roster can be megabytes) is sent to each worker once, not per task.
    global _WORKER_POLICY
    _WORKER_POLICY = policy


def _job(args: tuple[Path, str, str, str]) -> SchoolResult:
    path, file, school_id, county = args
    return check_file(path.read_bytes(), file, school_id, county, _WORKER_POLICY)


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
    modification time and size are unchanged, under an unchanged policy, is not checked again."""

    policy_key: str = ""
    entries: dict[str, tuple[tuple[int, int], SchoolResult]] = field(default_factory=dict)

    def stamp(self, file: str) -> tuple[int, int] | None:
        entry = self.entries.get(file)
        return entry[0] if entry else None


def _stamp(path: Path) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_mtime_ns, info.st_size


def _fresh(result: SchoolResult) -> SchoolResult:
    """A copy whose diagnostic lists can be extended without touching the cached original."""
    return replace(result, diagnostics=list(result.diagnostics), accepted=list(result.accepted))


def check_project(schools_dir: Path, files: Iterable[Path] | None = None, *, today: date,
                  jobs: int | None = None, cache: CheckCache | None = None) -> ProjectResult:
    """Check the policy and school files (all of ``schools_dir`` when ``files`` is None)."""
    policy_path = schools_dir / POLICY_NAME
    policy, policy_data, diagnostics = load_policy(policy_path)
    if cache is not None:
        key = hashlib.sha256(policy_path.read_bytes()).hexdigest() if policy_path.is_file() else ""
        if key != cache.policy_key:
            cache.policy_key, cache.entries = key, {}
    paths = discover(schools_dir) if files is None else sorted(Path(f) for f in files)
    policy_absolute = os.path.abspath(policy_path)
    paths = [p for p in paths if os.path.abspath(p) != policy_absolute]
    tasks = []
    placement: list[Diagnostic | None] = []
    for path in paths:
        school_id, county, problem = _identify(path, schools_dir)
        tasks.append((path, display_path(path), school_id, county))
        placement.append(problem)
    known: dict[int, SchoolResult] = {}
    stamps: dict[int, tuple[int, int]] = {}
    if cache is not None:
        for index, (path, file, _, _) in enumerate(tasks):
            stamps[index] = _stamp(path)
            entry = cache.entries.get(file)
            if entry and entry[0] == stamps[index]:
                known[index] = _fresh(entry[1])
    todo = [task for index, task in enumerate(tasks) if index not in known]
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers > 1 and len(todo) >= PARALLEL_THRESHOLD:
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(policy,)) as pool:
            computed = iter(list(pool.map(_job, todo, chunksize=64)))
    else:
        _init_worker(policy)
        computed = iter([_job(task) for task in todo])
    schools = []
    for index, task in enumerate(tasks):
        if index in known:
            schools.append(known[index])
            continue
        result = next(computed)
        if cache is not None:
            cache.entries[task[1]] = (stamps[index], _fresh(result))
        schools.append(result)
    seen: dict[str, str] = {}
    for school, problem in zip(schools, placement):
        if problem:
            school.diagnostics.append(problem)
        if school.id in seen:
            school.diagnostics.append(make("S111", school.file, 1, 1, value=school.id, other=seen[school.id]))
        else:
            seen[school.id] = school.file
        diagnostics.extend(school.diagnostics)
    compliance = [
        school_status(s.id, s.county, s.name, s.data, s.errors, policy, today) for s in schools
    ]
    if files is None:
        for school_id, entry in policy.roster.items():
            if school_id not in seen:
                compliance.append(missing_status(school_id, entry["county"], entry["name"], policy, today))
    compliance.sort(key=lambda c: (c.county, c.school_id))
    diagnostics.sort(key=sort_key)
    return ProjectResult(today, policy, display_path(policy_path), policy_data, schools, diagnostics, compliance)
