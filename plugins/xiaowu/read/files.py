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
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from xiaowu.findings.diagnostic import Diagnostic, make

POLICY_NAME = "policy.yml"
EXCEPTIONS_NAME = "exceptions.yml"
#: The bureau's complaint figures, inspections and refund orders (oversight.schema.json).
OVERSIGHT_NAME = "oversight.yml"
#: The bureau's files at the top of the data folder; everything else there is misplaced.
BUREAU_FILES = (POLICY_NAME, EXCEPTIONS_NAME, OVERSIGHT_NAME)
DATA_SUFFIXES = (".yml", ".yaml")


@dataclass(frozen=True)
class Walk:
    """What a walk of the data folder found: school files to check (in path order), and what it refused."""

    schools: tuple[Path, ...] = ()
    problems: tuple[Diagnostic, ...] = ()


class _Seen(NamedTuple):
    schools: list[Path]
    problems: list[Diagnostic]


def display_path(path: Path) -> str:
    """Paths as a clerk sees them in the repository: relative to the working directory, with /.

    String arithmetic (no symlink resolution per file): 20,000 files are named in a blink.
    """
    absolute = os.path.abspath(path)
    here = os.getcwd()
    inside = here.rstrip(os.sep) + os.sep
    # Under the working directory (the usual case), the rest of the normalised path is the relative one.
    relative = absolute[len(inside):] if absolute.startswith(inside) else ""
    relative = relative or os.path.relpath(absolute, here)
    return (absolute if relative.startswith("..") else relative).replace(os.sep, "/")


#: What a name under the data folder may use besides CJK ideographs (school ids use even less).
_SAFE_ASCII = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
#: Characters a terminal, a log or a CI runner may act on instead of showing: controls (ESC starts a
#: terminal sequence, a newline starts a `::error` workflow command), format characters (bidi
#: overrides reorder what is shown), separators, surrogates, private use and unassigned.
_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def _escaped(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def safe_name(name: str) -> bool:
    """A file or folder name that can be printed anywhere as it is: ASCII letters, digits, `-`, `_`,
    `.` and CJK ideographs, nothing else (no space, colon, percent sign, control or format character).

    >>> [safe_name(n) for n in ["qingshi-00003.yml", "青石一中.yml", "a b.yml", "a\\n::error.yml", "\\u202eyml.exe"]]
    [True, True, False, False, False]
    """
    return bool(name) and all(c in _SAFE_ASCII or unicodedata.name(c, "").startswith("CJK UNIFIED IDEOGRAPH-")
                              for c in name)


def shown(name: str) -> str:
    """A refused name as it may be printed: every character outside the safe set as ``\\xNN``/``\\uNNNN``.

    >>> print(shown("a\\n::error file=x::b.yml"))
    a\\x0a\\x3a\\x3aerror\\x20file\\x3dx\\x3a\\x3ab.yml
    """
    return "".join(c if safe_name(c) else _escaped(c) for c in name)


def printable(text: str) -> str:
    """Any text as a terminal, a log line or a CI annotation shows it, never acts on it: controls,
    format characters (bidi overrides), line and paragraph separators and spaces other than the ASCII
    space become ``\\xNN``/``\\uNNNN``. Idempotent; the text is otherwise unchanged.

    >>> printable("a\\x1b[31mb\\u202ec\\u3000d e")
    'a\\\\x1b[31mb\\\\u202ec\\\\u3000d e'
    """
    if text.isprintable():  # str.isprintable() is False for every character escaped here but the space
        return text
    return "".join(_escaped(c) if c != " " and (unicodedata.category(c) in _UNPRINTABLE
                                                or unicodedata.category(c) == "Zs") else c for c in text)


def _ignored(name: str) -> bool:
    """Hidden files (.gitkeep, .DS_Store) and a README are not data and are not reported."""
    return name.startswith(".") or name.lower().startswith("readme.")


def discover(schools_dir: Path) -> Walk:
    """Every regular ``*.yml``/``*.yaml`` file below ``schools_dir`` except the bureau's own files
    at its top, in path order; links, special files and near-miss names as findings."""
    found = _Seen([], [])
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
            if not safe_name(entry.name):  # before the name is printed anywhere, and never walked into
                found.problems.append(refused_name(Path(entry.path), entry.name, entry.is_dir(follow_symlinks=False)))
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
    return Walk(tuple(sorted(found.schools)), tuple(sorted(found.problems, key=lambda d: d.file)))


def refused_name(path: Path, name: str, is_folder: bool = False) -> Diagnostic:
    """Y019 for ``path`` whose part ``name`` is outside the safe set, shown only in escaped form."""
    file = "/".join(shown(part) for part in display_path(path).split("/"))
    return make("Y019", file, 1, 1, "folder" if is_folder else "", name=shown(name))


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
        unsafe = _unsafe_part(path, schools_dir)
        if unsafe is not None:
            refused.append(refused_name(path, unsafe, unsafe != path.name or path.is_dir()))
            continue
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


def _unsafe_part(path: Path, schools_dir: Path) -> str | None:
    """The first name outside the safe set in a path given on the command line: every folder below the
    data folder and the file's own name (the folders above it are the operator's, not a clerk's)."""
    try:
        parts = path.absolute().relative_to(schools_dir.absolute()).parts
    except ValueError:
        parts = (path.name,) if path.name not in ("", ".", "..") else ()
    return next((part for part in parts if not safe_name(part)), None)
