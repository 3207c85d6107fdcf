# Checking one school file: the document reader, the typed model, the school's rules and its
# identity. A pure function of the file's bytes and the bureau's policy, so a data folder can be
# split across processes.
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from xiaowu.findings.diagnostic import Diagnostic, limit_repeats, make
from xiaowu.model.policy import Policy
from xiaowu.model.school import School, build_school
from xiaowu.read.document import SCHOOL, read_document
from xiaowu.read.fields import valid_id
from xiaowu.rules.identity import check_identity
from xiaowu.rules.school import check_school


@dataclass(frozen=True)
class SchoolResult:
    id: str
    county: str
    file: str
    #: The typed model of the file; None when it could not be read as YAML.
    data: School | None
    diagnostics: tuple[Diagnostic, ...] = ()
    accepted: tuple[Diagnostic, ...] = ()
    #: Positions in exceptions.yml of the entries that accepted a finding of this file.
    used_exceptions: frozenset[int] = frozenset()
    #: Where profile.name is, for findings about the school's identity.
    name_mark: tuple[int, int] = (1, 1)
    #: Where the school answers each evaluation, (year, kind) -> (line, column); ("", "") is the section.
    evaluation_marks: Mapping[tuple[str, str], tuple[int, int]] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.blocking)

    @property
    def name(self) -> str:
        return self.data.name if self.data is not None else self.id


#: A landline written with its area code ("0713-6123456", "（0713）6123456"): the code is group 1.
#: It begins with the literal 0 (the digit-free check behind it comes after), so `re` jumps from one 0
#: to the next instead of trying every position (~5 µs a school file, not ~300); an opening bracket
#: before the code changes nothing that is kept.
_LANDLINE = re.compile(rb"(0(?<![0-9]0)[1-9][0-9]{1,2})(?:-|\)|\xef\xbc\x89|\xef\xbc\x8d| )[1-9][0-9]{6,7}(?![0-9])")


def local_area_code(raw: bytes, county: str, policy: Policy) -> str:
    """The area code to suggest for a landline written without one (H301): the code this school's
    other landlines use most, else its county's (policy.yml counties[].area_code), else the bureau's.
    A county with its own code never gets the city's.

    >>> local_area_code("phone: 0713-6123456\\noffice_phone: 6123457".encode(), "x", Policy(area_code="0712"))
    '0713'
    """
    codes = Counter(_LANDLINE.findall(raw)).most_common(1)
    return codes[0][0].decode() if codes else policy.area_code_for(county)


def check_file(raw: bytes, file: str, school_id: str, county: str, policy: Policy) -> SchoolResult:
    """The whole per-file pipeline. Pure: same bytes and policy, same result."""
    document = read_document(raw, file, SCHOOL, local_area_code(raw, county, policy), policy.reviewed_texts)
    diagnostics = list(document.diagnostics)
    if not valid_id(school_id):
        diagnostics.append(make("S110", file, 1, 1, value=school_id))
    if document.typed is None:
        return SchoolResult(school_id, county, file, None, tuple(limit_repeats(diagnostics)))
    school = build_school(document.typed, school_id, county)
    findings = check_school(school, document.loaded, file, policy)
    diagnostics += findings.diagnostics
    diagnostics += check_identity(school, document.loaded, file, policy)
    marks = {(e.year, e.kind): document.loaded.mark(e.path) for e in reversed(school.evaluations)}
    marks[("", "")] = document.loaded.key_mark(("evaluations",)) if school.evaluations else (1, 1)
    return SchoolResult(school_id, county, file, school, tuple(limit_repeats(diagnostics)), findings.accepted,
                        findings.used, document.loaded.mark(("profile", "name")), marks)
