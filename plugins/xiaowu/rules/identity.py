# Who a school file says it is: an id that does not collide with a generated page, the name and the
# county the bureau's roster gives, and (across files) no two files with the same id or name.
from __future__ import annotations

from xiaowu.findings.diagnostic import Diagnostic, make
from xiaowu.model.policy import Policy
from xiaowu.model.school import School
from xiaowu.read.chars import name_key
from xiaowu.read.tree import Loaded
from xiaowu.rules.bureau import RESERVED_IDS


def check_identity(school: School, loaded: Loaded, file: str, policy: Policy) -> list[Diagnostic]:
    """The id is not a page of the site; the name is the roster's; the folder is a county of the policy."""
    out = []
    if school.id in RESERVED_IDS:
        out.append(make("S118", file, 1, 1, value=school.id))
    elif school.id in policy.counties:
        out.append(make("S118", file, 1, 1, "county", value=school.id))
    name = school.profile.name
    listed = policy.roster[school.id].name if school.id in policy.roster else ""
    if name and listed and name_key(name) != name_key(listed):
        out.append(make("R603", file, *loaded.mark(("profile", "name")), name=name, roster=listed))
    out += _county(school, loaded, file, policy)
    if policy.roster and school.id not in policy.roster:
        out.append(make("R601", file, *loaded.mark(("profile", "name")), value=school.id))
    return out


def _county(school: School, loaded: Loaded, file: str, policy: Policy) -> list[Diagnostic]:
    if not policy.counties:
        return []
    if school.county not in policy.counties:
        return [make("S112", file, 1, 1, "unknown_folder", county=school.county)]
    written, expected = school.profile.county, policy.counties[school.county]
    if written and written != expected:
        return [make("S112", file, *loaded.mark(("profile", "county")), "mismatch", written=written, expected=expected)]
    return []


class Identities:
    """Ids and names seen so far across the data folder, the roster's names first."""

    def __init__(self, policy: Policy) -> None:
        self.ids: dict[str, str] = {}
        self.names: dict[str, str] = {}
        for roster_id, listed in policy.roster.items():
            if listed.name:
                self.names.setdefault(name_key(listed.name), f"名单中的 {roster_id}")

    def same_id(self, school_id: str, file: str) -> Diagnostic | None:
        """S111 when an earlier file has the same id."""
        if school_id in self.ids:
            return make("S111", file, 1, 1, value=school_id, other=self.ids[school_id])
        self.ids[school_id] = file
        return None

    def same_name(self, school_id: str, name: str, file: str, at: tuple[int, int]) -> Diagnostic | None:
        """R604 when another file, or another roster school, has the same name."""
        key = name_key(name)
        owner = self.names.get(key)
        if owner and owner != f"名单中的 {school_id}":
            return make("R604", file, *at, name=name, other=owner)
        self.names[key] = file
        return None
