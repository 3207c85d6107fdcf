# The bureau's reviewed exceptions (schools/exceptions.yml), applied to one school's findings last:
# an accepted finding is no longer an error, and it is shown publicly beside the data it concerns.
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from xiaowu.findings.diagnostic import Diagnostic
from xiaowu.findings.table import RULES
from xiaowu.model.policy import ReviewedException
from xiaowu.rules.base import Found


@dataclass(frozen=True)
class SchoolFindings:
    diagnostics: tuple[Diagnostic, ...] = ()
    #: Findings a reviewed exception accepted; shown publicly next to the data.
    accepted: tuple[Diagnostic, ...] = ()
    #: Positions in exceptions.yml of the entries that accepted something here.
    used: frozenset[int] = frozenset()


def apply_exceptions(found: Iterable[Found], entries: Iterable[ReviewedException]) -> SchoolFindings:
    """Findings the bureau's exceptions accept for this school become public notes."""
    waivable = [e for e in entries if RULES[e.rule].waivable]
    kept: list[Diagnostic] = []
    accepted: list[Diagnostic] = []
    used: set[int] = set()
    for diagnostic, term, item in found:
        entry = next((e for e in waivable if e.covers(diagnostic.code, term, item)), None)
        if entry is None:
            kept.append(diagnostic)
            continue
        used.add(entry.index)
        accepted.append(replace(diagnostic, accepted_by=f"{entry.reason}（{entry.basis}）"))
    return SchoolFindings(tuple(kept), tuple(accepted), frozenset(used))
