# Finding and reading the data files, trusting nothing about the file system.
#
# A symbolic link under schools/ could publish /etc/passwd or another school's file under a new name;
# a FIFO would hang the build; a 3 GB file would be read whole before the size check. So the folder
# is walked without following links, every link and special file is a finding, the size is checked
# before reading, the read itself refuses to follow a link (no race between the check and the
# read), and files that look like data but will not be read (`.YML`, `.yml.txt`) are named.
from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from xiaowu.findings.diagnostic import Diagnostic, make

POLICY_NAME = "policy.yml"
EXCEPTIONS_NAME = "exceptions.yml"
#: The bureau's complaint figures, inspections and refund orders (oversight.schema.json).
OVERSIGHT_NAME = "oversight.yml"
#: The bureau's files at the top of the data folder; everything else there is misplaced.
BUREAU_FILES = (POLICY_NAME, EXCEPTIONS_NAME, OVERSIGHT_NAME)
DATA_SUFFIXES = (".yml", ".yaml")


@dataclass(frozen=True)
class Found:
    """What a walk of the data folder found: school files to check, and what it refused."""

    schools: list[Path] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)


def display_path(path: Path) -> str:
    """Paths as a clerk sees them in the repository: relative to the working directory, with /.

    String arithmetic (no symlink resolution per file): 20,000 files are named in a blink.
    """
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute, os.getcwd())
    if relative.startswith(".."):
        return Path(absolute).as_posix()
    return Path(relative).as_posix()



def _ignored(name: str) -> bool:
    """Hidden files (.gitkeep, .DS_Store) and a README are not data and are not reported."""
    return name.startswith(".") or name.lower().startswith("readme.")


def discover(schools_dir: Path) -> Found:
    """Every regular ``*.yml``/``*.yaml`` file below ``schools_dir`` except the bureau's own files
    at its top, in path order; links, special files and near-miss names as findings."""
    found = Found()
    pending = [schools_dir]
    while pending:
        folder = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            found.problems.append(make("Y017", display_path(folder), 1, 1, reason=_reason(exc)))
            continue
        for entry in entries:
            if _ignored(entry.name):
                continue
            path = Path(entry.path)
            kind, reason = classify(entry)
            if kind == "dir":
                pending.append(path)
            elif kind == "data":
                if not (folder == schools_dir and entry.name in BUREAU_FILES):
                    found.schools.append(path)
            elif kind == "name":
                found.problems.append(make("Y018", display_path(path), 1, 1, name=entry.name))
            else:
                found.problems.append(make("Y016", display_path(path), 1, 1, kind, reason=reason))
    found.schools.sort()
    found.problems.sort(key=lambda d: d.file)
    return found


def classify(entry: os.DirEntry[str] | Path) -> tuple[str, str]:
    """"dir", "data", "name" (a file that will not be read), or Y016's variant for what makes it
    unreadable ("" a link, "special", "unviewable"); with the system's reason where there is one."""
    try:
        info = os.lstat(entry.path if isinstance(entry, os.DirEntry) else entry)
    except OSError as exc:
        return "unviewable", _reason(exc)
    name = entry.name
    if stat.S_ISLNK(info.st_mode):
        return "", ""
    if stat.S_ISDIR(info.st_mode):
        return "dir", ""
    if not stat.S_ISREG(info.st_mode):
        return "special", ""
    return ("data" if name.endswith(DATA_SUFFIXES) else "name"), ""


def _reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "没有读取权限"
    if exc.errno == errno.ELOOP:
        return "这是一个链接"
    return exc.strerror or type(exc).__name__


def read_limited(path: Path, limit: int, file: str) -> tuple[bytes | None, list[Diagnostic]]:
    """The file's bytes, or the finding that stops it being read: a link, a special file, more than
    ``limit`` bytes (known before reading a byte), or an OS error. Never raises on the file."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP or os.path.islink(path):
            return None, [make("Y016", file, 1, 1)]
        return None, [make("Y017", file, 1, 1, reason=_reason(exc))]
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            return None, [make("Y016", file, 1, 1, "special")]
        if info.st_size > limit:
            return None, [make("Y001", file, 1, 1, size=info.st_size, limit=limit)]
        try:
            raw = handle.read(limit + 1)
        except OSError as exc:
            return None, [make("Y017", file, 1, 1, reason=_reason(exc))]
    if len(raw) > limit:  # grew while we read it
        return None, [make("Y001", file, 1, 1, size=len(raw), limit=limit)]
    return raw, []


class NotFound(Exception):
    """A path given on the command line that does not exist."""


def selected(schools_dir: Path, paths: list[str]) -> tuple[list[Path] | None, list[Diagnostic]]:
    """The school files ``paths`` name (folders walked like the data folder), with the findings of
    that walk; None means "the whole data folder" (it was named, or a bureau file was)."""
    files: list[Path] = []
    refused: list[Diagnostic] = []
    bureau = {(schools_dir / name).absolute() for name in (POLICY_NAME, EXCEPTIONS_NAME)}
    for raw in paths:
        path = Path(raw)
        if path.is_dir() and not path.is_symlink():
            if path.resolve() == schools_dir.resolve():
                return None, []
            found = discover(path)
            files.extend(found.schools)
            refused.extend(found.problems)
        elif path.is_symlink() or path.exists():
            if path.absolute() in bureau:
                return None, []  # the bureau's files changed: every school may be affected
            files.append(path)  # a link or special file is refused when read, with a finding
        else:
            raise NotFound(raw)
    return files, refused
