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


#: An evaluation's results are the evaluating body's judgement: the bureau publishes them in its
#: oversight.yml; a school's file may only carry its own rectifications and notes (X706).
EVALUATION_RESULTS = {"respondents_issued": "发放问卷数", "respondents_valid": "有效问卷数", "score": "得分",
                      "satisfaction": "满意率", "grade": "等次", "grade_set": "等次设置", "rank": "名次",
                      "ranked_total": "参评单位数"}


def _nobody_else(path: Path, key: str) -> tuple[str, str] | None:
    return None


def _evaluation_result(path: Path, key: str) -> tuple[str, str] | None:
    if len(path) == 2 and path[0] == "evaluations" and key in EVALUATION_RESULTS:
        return "X706", EVALUATION_RESULTS[key]
    return None


@dataclass(frozen=True)
class Kind:
    """A kind of data file: its schema, its size limit, and what may not appear in it."""

    schema: str
    max_bytes: int
    #: Top-level keys that belong to another owner's file (key -> (code, what the section is)).
    foreign_keys: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: Whether an unknown key at a path is a figure the site computes (C902 instead of S102).
    computed: Callable[[Path, str], bool] = _never
    #: Keys below the top that belong to another owner's file: (path, key) -> (code, what it is) or None.
    elsewhere: Callable[[Path, str], tuple[str, str] | None] = _nobody_else


#: A school file may not carry the bureau's exceptions (or reviewed texts), inspections, refund orders,
#: complaint figures or evaluation results.
SCHOOL = Kind("school", MAX_BYTES, {"exceptions": ("X703", "例外"), "reviewed_text": ("X703", "经审核的文字"),
                                    "inspections": ("X705", "检查记录"),
                                    "refunds": ("X705", "清退记录"), "complaints": ("X705", "投诉举报统计")},
              elsewhere=_evaluation_result)
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
    found = validate(kind.schema, loaded, file, kind.foreign_keys, kind.computed, kind.elsewhere)
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
