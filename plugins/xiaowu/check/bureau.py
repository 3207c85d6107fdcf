# The bureau's three files, read through the one document reader and checked: schools/policy.yml
# (counties, hotlines, terms, catalog, roster), schools/exceptions.yml (reviewed exceptions, attached
# to the policy by school id) and schools/oversight.yml (complaint figures, inspections, refunds).
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from xiaowu.findings.diagnostic import Diagnostic, make
from xiaowu.model.oversight import Oversight, build_oversight
from xiaowu.model.policy import Policy, build_policy
from xiaowu.model.receptions import build_receptions
from xiaowu.read.document import EXCEPTIONS, OVERSIGHT, POLICY, Document, read_path
from xiaowu.read.files import EXCEPTIONS_NAME, OVERSIGHT_NAME, POLICY_NAME, display_path
from xiaowu.rules.base import Sink
from xiaowu.rules.bureau import check_exceptions, check_policy, reviewed_texts
from xiaowu.rules.evaluations import check_ratings
from xiaowu.rules.oversight import check_oversight
from xiaowu.rules.receptions import check_receptions


@dataclass(frozen=True)
class Bureau:
    """The policy with its reviewed exceptions, and where each exception entry sits."""

    policy: Policy
    policy_file: str
    policy_data: dict[str, Any] | None
    diagnostics: tuple[Diagnostic, ...] = ()
    exceptions_file: str = ""
    #: Position in exceptions.yml -> (line, column), for findings about an entry.
    exception_marks: dict[int, tuple[int, int]] = field(default_factory=dict)
    #: SHA-256 of both files' bytes, so a cache can tell when either changed.
    digest: str = ""


def load_policy(path: Path, reviewed: frozenset[tuple[str, str]] = frozenset()
                ) -> tuple[Policy, dict[str, Any] | None, list[Diagnostic]]:
    """policy.yml, validated and checked for internal consistency."""
    policy, typed, found, _ = _read_policy(path, reviewed)
    return policy, typed, found


def _read_policy(path: Path, reviewed: frozenset[tuple[str, str]] = frozenset()
                 ) -> tuple[Policy, dict[str, Any] | None, list[Diagnostic], bytes]:
    document = read_path(path, POLICY, reviewed)
    if document is None:
        file = display_path(path)
        return Policy(), None, [make("R602", file, 1, 1, value=file)], b""
    return (*_policy(document), document.raw)


def _policy(document: Document) -> tuple[Policy, dict[str, Any] | None, list[Diagnostic]]:
    if document.typed is None:
        return Policy(), None, list(document.diagnostics)
    policy = build_policy(document.typed)
    sink = Sink(document.file, document.loaded)
    check_policy(document.typed, policy, sink)
    return policy, document.typed, [*document.diagnostics, *sink.diagnostics]


def load_bureau(schools_dir: Path) -> Bureau:
    """policy.yml and exceptions.yml; the exceptions are attached to the policy by school id.

    exceptions.yml is read first: its reviewed texts apply to every file, policy.yml included."""
    exceptions = read_path(schools_dir / EXCEPTIONS_NAME, EXCEPTIONS)
    typed_exceptions = exceptions.typed if exceptions is not None and isinstance(exceptions.typed, dict) else {}
    reviewed = reviewed_texts(typed_exceptions.get("reviewed_text"))
    policy_path = schools_dir / POLICY_NAME
    policy, typed, found, raw = _read_policy(policy_path, reviewed)
    policy = replace(policy, reviewed_texts=reviewed)
    if exceptions is None:
        return Bureau(policy, display_path(policy_path), typed, tuple(found), digest=_digest(raw))
    fingerprint = raw + b"\0" + exceptions.raw
    found += exceptions.diagnostics
    marks: dict[int, tuple[int, int]] = {}
    if exceptions.typed is not None:
        sink = Sink(exceptions.file, exceptions.loaded)
        entries = check_exceptions(typed_exceptions.get("exceptions"), policy, sink)
        found += sink.diagnostics
        policy = replace(policy, exceptions={k: tuple(v) for k, v in entries.items()})
        marks = {e.index: exceptions.loaded.mark(("exceptions", e.index)) for v in entries.values() for e in v}
    return Bureau(policy, display_path(policy_path), typed, tuple(found), exceptions.file, marks, _digest(fingerprint))


def _digest(fingerprint: bytes) -> str:
    return hashlib.sha256(fingerprint).hexdigest()


def load_oversight(schools_dir: Path, policy: Policy) -> tuple[Oversight, list[Diagnostic]]:
    """schools/oversight.yml, validated and checked; an empty Oversight when there is none."""
    document = read_path(schools_dir / OVERSIGHT_NAME, OVERSIGHT, policy.reviewed_texts)
    if document is None:
        return Oversight(), []
    digest = _digest(document.raw)
    if document.typed is None:
        return Oversight(file=document.file, digest=digest), list(document.diagnostics)
    oversight = replace(build_oversight(document.typed, document.file, digest),
                        receptions=build_receptions(document.typed))
    sink = Sink(document.file, document.loaded)
    check_oversight(oversight, policy, sink)
    check_receptions(oversight.receptions, sink)
    check_ratings(oversight.evaluations, policy, sink)
    return oversight, [*document.diagnostics, *sink.diagnostics]
