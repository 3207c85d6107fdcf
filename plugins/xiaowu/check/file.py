# The per-file pipeline: bytes -> YAML tree -> schema -> typed model -> rules. A pure function of the
# file's bytes and the bureau's policy, so a data folder can be split across processes.
from __future__ import annotations

from dataclasses import dataclass, field

from xiaowu.read import schema
from xiaowu.check.bureau import RESERVED_IDS
from xiaowu.read.chars import name_key
from xiaowu.rules.school import check_school
from xiaowu.findings.diagnostic import Diagnostic, limit_repeats, make
from xiaowu.read.fields import valid_id
from xiaowu.read.loader import Loaded, load_bytes
from xiaowu.model.school import School, build_school
from xiaowu.model.policy import Policy


@dataclass
class SchoolResult:
    id: str
    county: str
    file: str
    #: The typed model of the file; None when it could not be read as YAML.
    data: School | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    accepted: list[Diagnostic] = field(default_factory=list)
    #: Positions in exceptions.yml of the entries that accepted a finding of this file.
    used_exceptions: frozenset[int] = frozenset()
    #: Where profile.name is, for findings about the school's identity.
    name_mark: tuple[int, int] = (1, 1)

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.blocking)

    @property
    def name(self) -> str:
        return self.data.name if self.data is not None else self.id


def _identity(school_id: str, school: School, loaded: Loaded, file: str, policy: Policy) -> list[Diagnostic]:
    """The id does not collide with a generated page; the name is the one the bureau's roster gives."""
    out = []
    if school_id in RESERVED_IDS:
        out.append(make("S118", file, 1, 1, value=school_id, reason="是网站自用的名称"))
    elif school_id in policy.counties:
        out.append(make("S118", file, 1, 1, value=school_id, reason="与县区代号相同"))
    name = school.profile.name
    listed = policy.roster.get(school_id, {}).get("name", "")
    if name and listed and name_key(name) != name_key(listed):
        out.append(make("R603", file, *loaded.mark(("profile", "name")), name=name, roster=listed))
    return out


def check_file(raw: bytes, file: str, school_id: str, county: str, policy: Policy) -> SchoolResult:
    """The whole per-file pipeline. Pure: same bytes and policy, same result."""
    loaded: Loaded = load_bytes(raw, file)
    diagnostics = list(loaded.diagnostics)
    result = SchoolResult(school_id, county, file, None)
    if not valid_id(school_id):
        diagnostics.append(make("S110", file, 1, 1, value=school_id))
    if loaded.data is None:
        result.diagnostics = limit_repeats(diagnostics)
        return result
    diagnostics += schema.validate("school", loaded, file)
    typed, converted = schema.convert("school", loaded, file, policy.area_code)
    diagnostics += converted
    school = build_school(typed, school_id, county)
    findings = check_school(school, loaded, file, policy)
    diagnostics += findings.diagnostics
    diagnostics += _identity(school_id, school, loaded, file, policy)
    written = school.profile.county
    if policy.counties:
        if county not in policy.counties:
            diagnostics.append(make("S112", file, 1, 1, what=f"文件夹“{county}”不是 policy.yml 中的县区代号"))
        elif written and written != policy.counties[county]:
            diagnostics.append(make("S112", file, *loaded.mark(("profile", "county")),
                                    what=f"县区“{written}”与文件夹对应的“{policy.counties[county]}”不一致"))
    if policy.roster and school_id not in policy.roster:
        diagnostics.append(make("R601", file, *loaded.mark(("profile", "name")), value=school_id))
    result.data = school
    result.diagnostics = limit_repeats(diagnostics)
    result.accepted = findings.accepted
    result.used_exceptions = frozenset(findings.used)
    result.name_mark = loaded.mark(("profile", "name"))
    return result
