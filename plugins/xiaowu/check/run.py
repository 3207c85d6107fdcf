# Running the per-file check over many files: in worker processes for a large folder, and with a
# cache of results between the rebuilds of one `mkdocs serve`, keyed by each file's SHA-256 (or,
# where a preview watched the folder and says which files changed, trusted for the rest: Since).
from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from multiprocessing.reduction import ForkingPickler
from pathlib import Path
from typing import Any, TypeVar

from xiaowu.check.file import SchoolResult, check_file
from xiaowu.model.policy import Policy
from xiaowu.read.files import read_limited
from xiaowu.read.text import MAX_BYTES

B = TypeVar("B")

#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 400


@dataclass(frozen=True)
class Since:
    """What a caller that watched the data folder (a preview's narrow rebuild, preview.Narrow) knows
    since the last run with the same cache: no entry under the folder was added, removed or changed
    kind (file, folder, link), and only the files in ``changed`` (absolute paths) may hold other bytes.
    The last walk of the folder and the results of the other files are then used as they are,
    without reading them again."""

    changed: frozenset[str]


@dataclass(frozen=True)
class Task:
    path: Path
    file: str
    school_id: str
    county: str
    raw: bytes | None = None


class CheckCache:
    """Per-file results kept between runs in one process (``mkdocs serve`` rebuilds): a file whose
    content is unchanged (by SHA-256, not by modification time, which an edit can keep), under
    unchanged bureau files, is not checked again. State by nature, so a plain class, not a record."""

    __slots__ = ("policy_key", "entries", "oversight", "statuses", "bureau", "walk", "since")

    def __init__(self) -> None:
        #: SHA-256 of the bureau's policy and exceptions files the entries were made under.
        self.policy_key = ""
        #: file -> (SHA-256 of its bytes, its result).
        self.entries: dict[str, tuple[str, SchoolResult]] = {}
        #: The oversight file's reading, with what it was read under (project._oversight).
        self.oversight: tuple[tuple[str, ...], Any] | None = None
        #: The bureau's policy and exceptions files' reading, with their states (project._bureau).
        self.bureau: tuple[tuple[str, ...], Any] | None = None
        #: Each school's status and flags by file, with its result and what they were made under
        #: (project._compliance).
        self.statuses: tuple[Any, dict[str, tuple[SchoolResult, Any]]] = (None, {})
        #: The last walk of the whole folder, its files placed in their counties, with the folder and
        #: working directory it was made in (project._placed): used again under a Since.
        self.walk: tuple[tuple[str, str], Any] | None = None
        #: What a caller that watched the folder saw change since the last run; used by the next run
        #: alone (it clears it), so never by a run it was not told for.
        self.since: Since | None = None

    def under(self, policy_key: str) -> None:
        """Forget every result when the bureau's files changed."""
        if policy_key != self.policy_key:
            self.policy_key = policy_key
            self.entries = {}

    def stamp(self, file: str) -> str | None:
        entry = self.entries.get(file)
        return entry[0] if entry else None


_WORKER_POLICY = Policy()


@functools.lru_cache(maxsize=4096)
def shared_decimal(text: str) -> Decimal:
    """The one Decimal of this spelling: how a result from a worker brings its amounts back. An amount
    such as 280 recurs in thousands of files, and each chunk of results arrived with its own copy."""
    return Decimal(text)


def _reduce_decimal(value: Decimal) -> tuple[Callable[[str], Decimal], tuple[str]]:
    return shared_decimal, (str(value),)  # str() keeps the exponent: Decimal("280.00") stays itself


ForkingPickler.register(Decimal, _reduce_decimal)  # what the worker processes send back (only)


def _init_worker(policy: Policy) -> None:
    # The policy (a province roster can be megabytes) is sent to each worker once, not per task.
    global _WORKER_POLICY
    _WORKER_POLICY = policy


def _job(task: Task) -> SchoolResult:
    raw = task.raw
    if raw is None:
        raw, problems = read_limited(task.path, MAX_BYTES, task.file)
        if raw is None:
            return SchoolResult(task.school_id, task.county, task.file, None, tuple(problems))
    return check_file(raw, task.file, task.school_id, task.county, _WORKER_POLICY)


def _beside(job: Callable[[Policy], B]) -> B:
    return job(_WORKER_POLICY)


def _run(todo: list[Task], policy: Policy, jobs: int | None, beside: Callable[[Policy], B] | None
         ) -> tuple[list[SchoolResult], B | None]:
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers > 1 and len(todo) >= PARALLEL_THRESHOLD:
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(policy,)) as pool:
            # Submitted first, so that one worker takes it while the others begin checking.
            aside = pool.submit(_beside, beside) if beside is not None else None
            results = pool.map(_job, todo, chunksize=64)
            return list(results), (aside.result() if aside is not None else None)
    _init_worker(policy)
    return [_job(task) for task in todo], (beside(policy) if beside is not None else None)


def run_checks(tasks: list[Task], policy: Policy, jobs: int | None, cache: CheckCache | None,
               beside: Callable[[Policy], B] | None = None, since: Since | None = None
               ) -> tuple[list[SchoolResult], B | None]:
    """Every task's result, in task order; with a cache, files whose bytes hash as before are reused
    (and, under a ``since``, the files it does not name, unread). Also what ``beside`` (picklable) gives
    for the policy, run in a worker process while the others check when there are workers (a large
    reading is then made there: what it leaves in the allocator's memory is not this process's), else
    here; None without it."""
    if cache is None:
        return _run(tasks, policy, jobs, beside)
    known: dict[int, SchoolResult] = {}
    digests: dict[int, str] = {}
    todo: list[Task] = []
    for index, task in enumerate(tasks):
        entry = cache.entries.get(task.file)
        if since is not None and entry and os.path.abspath(task.path) not in since.changed:
            known[index] = entry[1]
            continue
        raw, problems = read_limited(task.path, MAX_BYTES, task.file)
        if raw is None:
            known[index] = SchoolResult(task.school_id, task.county, task.file, None, tuple(problems))
            continue
        digests[index] = hashlib.sha256(raw).hexdigest()
        if entry and entry[0] == digests[index]:
            known[index] = entry[1]
        else:
            todo.append(Task(task.path, task.file, task.school_id, task.county, raw))
    done, aside = _run(todo, policy, jobs, beside)
    computed = iter(done)
    results = []
    for index, task in enumerate(tasks):
        result = known.get(index) or next(computed)
        if index in digests and index not in known:
            cache.entries[task.file] = (digests[index], result)
        results.append(result)
    return results, aside
