# When each school file last changed, from git (one `git log` for the whole data folder).
#
# Commit dates are part of the commit, so two builds of one commit agree. Without git, outside a
# repository, or in a shallow clone that lacks the history, the answer is simply "unknown".
from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path


def last_changed(root: Path, folder: str) -> dict[str, date]:
    """Map each file under ``folder`` (relative to ``root``) to its last commit date (committer's day).

    Paths in the result are relative to ``root`` with ``/``, like ``schools/qingshi/qingshi-00003.yml``.
    """
    shallow = _git(root, "rev-parse", "--is-shallow-repository")
    if shallow is None or shallow.strip() != "false":
        return {}  # not a repository, or a shallow clone: every file would get the clone's date
    log = _git(root, "log", "--relative", "--no-renames", "--format=%x00%cs", "--name-only", "--", folder)
    found: dict[str, date] = {}
    day: date | None = None
    for line in (log or "").splitlines():
        if line.startswith("\x00"):
            try:
                day = date.fromisoformat(line[1:].strip())
            except ValueError:
                day = None
        elif line and day is not None:
            found.setdefault(line, day)  # newest commit first: keep the first date seen
    return found


def _git(root: Path, *args: str) -> str | None:
    command = ["git", "-c", "core.quotepath=off", "-C", str(root), *args]
    try:
        run = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", timeout=120, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return run.stdout if run.returncode == 0 else None
