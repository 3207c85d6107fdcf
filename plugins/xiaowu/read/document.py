# The one document reader: a file's bytes -> a checked, typed tree, the same four steps for every
# kind of file (school files, policy.yml, exceptions.yml, oversight.yml):
#   read (size and links refused) -> load (strict YAML, strings only, line marks) -> validate (the
#   kind's JSON Schema) -> convert (phones, amounts, dates, URLs; personal data refused).
# What each kind adds (its model and its own rules) happens above this layer.
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any

from xiaowu.findings.diagnostic import Diagnostic
from xiaowu.read.files import display_path, read_limited
from xiaowu.read.loader import load_bytes
from xiaowu.read.tree import Loaded, Path
from xiaowu.read.schema import convert, validate
from xiaowu.read.text import MAX_BYTES, MAX_POLICY_BYTES

#: Keys a bureau might type in a complaint period that the site computes (C902): typing them could only disagree.
COMPUTED_KEYS = frozenset({"rate", "closure_rate", "completion_rate", "close_rate", "办结率"})


def _never(path: Path, key: str) -> bool:
    return False


def _complaint_rate(path: Path, key: str) -> bool:
    return len(path) == 2 and path[0] == "complaints" and key in COMPUTED_KEYS


@dataclass(frozen=True)
class Kind:
    """A kind of data file: its schema, its size limit, and what may not appear in it."""

    schema: str
    max_bytes: int
    #: Top-level keys that belong to another owner's file (key -> (code, what the section is)).
    foreign_keys: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: Whether an unknown key at a path is a figure the site computes (C902 instead of S102).
    computed: Callable[[Path, str], bool] = _never


#: A school file may not carry the bureau's exceptions (or reviewed texts), inspections, refund orders or
#: complaint figures.
SCHOOL = Kind("school", MAX_BYTES, {"exceptions": ("X703", "例外"), "reviewed_text": ("X703", "经审核的文字"),
                                    "inspections": ("X705", "检查记录"),
                                    "refunds": ("X705", "清退记录"), "complaints": ("X705", "投诉举报统计")})
POLICY = Kind("policy", MAX_POLICY_BYTES)
EXCEPTIONS = Kind("exceptions", MAX_POLICY_BYTES)
OVERSIGHT = Kind("oversight", MAX_POLICY_BYTES, computed=_complaint_rate)


@dataclass(frozen=True)
class Document:
    """One file, read: ``typed`` is None when it could not be read as YAML (the diagnostics say why)."""

    file: str
    loaded: Loaded
    typed: Any
    diagnostics: tuple[Diagnostic, ...]
    raw: bytes = b""


def read_document(raw: bytes, file: str, kind: Kind, area_code: str = "",
                  reviewed: frozenset[tuple[str, str]] = frozenset()) -> Document:
    """Load, validate and convert one file's bytes. Pure, and never raises on user input.

    ``area_code`` is the bureau's local code, suggested when a landline in the file lacks one;
    ``reviewed`` the (rule, exact text) pairs the bureau accepted after review (reviewed_text)."""
    loaded = load_bytes(raw, file, kind.max_bytes)
    if loaded.data is None:
        return Document(file, loaded, None, tuple(loaded.diagnostics), raw)
    found = validate(kind.schema, loaded, file, kind.foreign_keys, kind.computed)
    typed, converted = convert(kind.schema, loaded, file, area_code, reviewed)
    return Document(file, loaded, typed, (*loaded.diagnostics, *found, *converted), raw)


def exists(path: FilePath) -> bool:
    """Exists as anything, a dangling link included (which read_limited then refuses)."""
    return path.is_symlink() or path.exists()


def read_path(path: FilePath, kind: Kind, reviewed: frozenset[tuple[str, str]] = frozenset()) -> Document | None:
    """The file at ``path`` read as ``kind``; None when there is no such file."""
    if not exists(path):
        return None
    file = display_path(path)
    raw, problems = read_limited(path, kind.max_bytes, file)
    if raw is None:
        return Document(file, Loaded(None), None, tuple(problems))
    return read_document(raw, file, kind, reviewed=reviewed)


__all__ = ["COMPUTED_KEYS", "Document", "Kind", "SCHOOL", "POLICY", "EXCEPTIONS", "OVERSIGHT", "exists",
           "read_document", "read_path"]
