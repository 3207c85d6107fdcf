# Checking a whole data folder: the bureau's files, every school file, cross-file rules and the
# compliance status of every school on the roster.
from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, cast

from xiaowu.check.bureau import Bureau, load_bureau, load_oversight
from xiaowu.check.file import SchoolResult
from xiaowu.check.run import CheckCache, Since, Task, run_checks
from xiaowu.check.status import Compliance, flags_for, missing_status, school_status
from xiaowu.findings.diagnostic import Diagnostic, limit_repeats, make, sort_key
from xiaowu.model.oversight import Oversight
from xiaowu.model.policy import Policy
from xiaowu.read.files import BUREAU_FILES, EXCEPTIONS_NAME, OVERSIGHT_NAME, POLICY_NAME, discover, display_path
from xiaowu.rules.evaluations import unanswered
from xiaowu.rules.identity import Identities


@dataclass(frozen=True)
class ProjectResult:
    today: date
    policy: Policy
    policy_file: str
    policy_data: dict[str, Any] | None
    schools: tuple[SchoolResult, ...]
    diagnostics: tuple[Diagnostic, ...]
    compliance: tuple[Compliance, ...]
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


def _task(path: Path, schools_dir: str) -> tuple[Task, Diagnostic | None]:
    """A school file's check: its county is the folder it is in, directly under ``schools_dir``
    (absolute), else S112. String arithmetic: 20,000 paths are placed in a blink."""
    file, absolute = display_path(path), os.path.abspath(path)
    inside = schools_dir.rstrip(os.sep) + os.sep
    parts = (absolute[len(inside):] if absolute.startswith(inside) else os.path.relpath(absolute, schools_dir)).split(os.sep)
    if parts[0] == os.pardir:
        parts = [path.parent.name, path.name]
    county = parts[0] if len(parts) == 2 else ""
    problem = None if len(parts) == 2 else make("S112", file, 1, 1)
    return Task(path, file, path.stem, county), problem


def _cross_file(schools: list[SchoolResult], placement: list[Diagnostic | None], policy: Policy,
                oversight: Oversight) -> list[SchoolResult]:
    """Ids and names unique across files (the roster's names count); misplaced files named; every
    bottom evaluation result the bureau published answered in the school's file."""
    seen = Identities(policy)
    out = []
    for school, problem in zip(schools, placement):
        answers = unanswered(school.data, oversight.ratings_of(school.id), school.file, school.evaluation_marks) \
            if school.data is not None else []
        for found in (problem, seen.same_id(school.id, school.file), *answers):
            if found is not None:
                school = replace(school, diagnostics=school.diagnostics + (found,))
        # A file with errors (a duplicate id among them) is not published, so its name takes no place.
        clash = seen.same_name(school.id, school.name, school.file, school.name_mark) \
            if school.data is not None and not school.errors else None
        out.append(replace(school, diagnostics=school.diagnostics + (clash,)) if clash else school)
    return out


def _exceptions_used(schools: list[SchoolResult], bureau: Bureau, complete: bool) -> list[Diagnostic]:
    """Every exception entry names a school file (when the whole folder was checked) and is used."""
    out: list[Diagnostic] = []
    files = {school.id for school in schools}
    used = {index for school in schools for index in school.used_exceptions}
    for school_id, entries in bureau.policy.exceptions.items():
        for entry in entries:
            at = bureau.exception_marks.get(entry.index, (1, 1))
            if school_id not in files:
                if complete:
                    out.append(make("X704", bureau.exceptions_file, *at, school=school_id))
            elif entry.index not in used:
                out.append(make("X702", bureau.exceptions_file, *at, value=f"{school_id} {entry.rule}"))
    return out


def _paths(schools_dir: Path, files: Iterable[Path] | None, refused: Iterable[Diagnostic]
           ) -> tuple[list[Path], list[Diagnostic]]:
    if files is None:
        found = discover(schools_dir)
        return list(found.schools), list(found.problems)
    bureau_files = {os.path.abspath(schools_dir / name) for name in BUREAU_FILES}
    return sorted(p for p in (Path(f) for f in files) if os.path.abspath(p) not in bureau_files), list(refused)


def _placed(schools_dir: Path, files: Iterable[Path] | None, refused: Iterable[Diagnostic], cache: CheckCache | None,
            since: Since | None) -> tuple[tuple[tuple[Task, Diagnostic | None], ...], tuple[Diagnostic, ...]]:
    """The school files to check, each placed in its county, and what the walk refused; for the whole
    folder with a cache, kept, and under a ``since`` the last walk's as it is."""
    key = (os.path.abspath(schools_dir), os.getcwd())
    whole = files is None and cache is not None
    if whole and since is not None and cache is not None and cache.walk is not None and cache.walk[0] == key:
        return cast(tuple[tuple[tuple[Task, Diagnostic | None], ...], tuple[Diagnostic, ...]], cache.walk[1])
    paths, walked = _paths(schools_dir, files, refused)
    made = (tuple(_task(path, key[0]) for path in paths), tuple(walked))
    if whole and cache is not None:
        cache.walk = (key, made)
    return made


def _compliance(schools: list[SchoolResult], policy: Policy, oversight: Oversight, today: date,
                complete: bool, cache: CheckCache | None = None) -> tuple[Compliance, ...]:
    """Every school's status and flags; with the whole folder, the roster's schools without a file too.
    With a cache, a school's entry is reused while its result is the very same object under the same
    bureau files, oversight file and day."""
    scope = (cache.policy_key, oversight.digest, today) if cache is not None else None
    last = cache.statuses if cache is not None and cache.statuses[0] == scope else (None, {})
    now: dict[str, tuple[SchoolResult, Compliance]] = {}
    for s in schools:
        was = last[1].get(s.file)
        now[s.file] = was if was is not None and was[0] is s else \
            (s, replace(school_status(s, policy, today),
                        flags=flags_for(s.data if not s.errors else None, s.id, policy, oversight, today)))
    entries = [now[s.file][1] for s in schools]
    if cache is not None:
        cache.statuses = (scope, now)
    if complete:
        checked = {s.id for s in schools}
        entries += [replace(missing_status(entry, policy, today), flags=flags_for(None, entry.id, policy, oversight, today))
                    for entry in policy.roster.values() if entry.id not in checked]
    return tuple(sorted(entries, key=lambda c: (c.county, c.school_id)))


def _oversight(schools_dir: Path, cache: CheckCache | None
               ) -> tuple[tuple[str, ...], tuple[Oversight, list[Diagnostic]] | None]:
    """What the oversight file's reading depends on, and the cached reading while that holds (a
    province's file is megabytes, read on every rebuild of a preview only when it changed)."""
    if cache is None:
        return (), None
    key = (cache.policy_key, *_state(schools_dir / OVERSIGHT_NAME))
    if cache.oversight is not None and cache.oversight[0] == key:
        oversight, found = cache.oversight[1]
        return key, (oversight, list(found))
    return key, None


def _oversight_read(schools_dir: Path, cache: CheckCache | None, key: tuple[str, ...],
                    read: tuple[Oversight, list[Diagnostic]] | None) -> tuple[Oversight, list[Diagnostic]]:
    assert read is not None
    if cache is not None and (cache.policy_key, *_state(schools_dir / OVERSIGHT_NAME)) == key:
        cache.oversight = (key, read)  # not changed while it was read
    return read[0], list(read[1])


def _bureau(schools_dir: Path, cache: CheckCache | None) -> Bureau:
    """policy.yml and exceptions.yml read and checked; with a cache, read again only when their bytes
    changed (a province's roster is megabytes, read on every rebuild of a preview)."""
    if cache is None:
        return load_bureau(schools_dir)
    key = (os.getcwd(), *_state(schools_dir / POLICY_NAME), *_state(schools_dir / EXCEPTIONS_NAME))
    if cache.bureau is not None and cache.bureau[0] == key:
        return cast(Bureau, cache.bureau[1])
    bureau = load_bureau(schools_dir)
    if (os.getcwd(), *_state(schools_dir / POLICY_NAME), *_state(schools_dir / EXCEPTIONS_NAME)) == key:
        cache.bureau = (key, bureau)  # not changed while it was read
    return bureau


def _state(path: Path) -> tuple[str, ...]:
    """What the reading of a file depends on: whether it is a link, and its bytes' SHA-256 (or why
    they cannot be read)."""
    try:
        return str(path.is_symlink()), hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        return str(path.is_symlink()), type(exc).__name__, str(exc.errno)


def check_project(schools_dir: Path, files: Iterable[Path] | None = None, *, today: date,
                  jobs: int | None = None, cache: CheckCache | None = None,
                  refused: Iterable[Diagnostic] = ()) -> ProjectResult:
    """Check the bureau's files and the school files (all of ``schools_dir`` when ``files`` is None).

    ``refused`` are findings of a caller's own walk of part of the folder (links, near-miss names).
    With a cache, what its ``since`` tells (check.run.Since) is used, once.
    """
    since = None
    if cache is not None:
        since, cache.since = cache.since, None
    bureau = _bureau(schools_dir, cache)
    policy = bureau.policy
    if cache is not None:
        cache.under(bureau.digest)
    placed, walked = _placed(schools_dir, files, refused, cache, since)
    # The oversight file (megabytes in a province) is read by a worker while the others check: composing
    # it leaves hundreds of megabytes of freed memory in the reader's allocator, for the whole build.
    key, known = _oversight(schools_dir, cache)
    results, read = run_checks([task for task, _ in placed], policy, jobs, cache,
                               None if known is not None else functools.partial(load_oversight, schools_dir), since)
    oversight, watched = known if known is not None else _oversight_read(schools_dir, cache, key, read)
    diagnostics = limit_repeats(list(bureau.diagnostics)) + limit_repeats(watched) + list(walked)
    schools = _cross_file(results, [problem for _, problem in placed], policy, oversight)
    complete = files is None
    diagnostics += _exceptions_used(schools, bureau, complete)
    for school in schools:
        diagnostics.extend(school.diagnostics)
    diagnostics.sort(key=sort_key)
    return ProjectResult(today, policy, bureau.policy_file, bureau.policy_data, tuple(schools), tuple(diagnostics),
                         _compliance(schools, policy, oversight, today, complete, cache), oversight)
