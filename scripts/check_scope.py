#!/usr/bin/env python3
"""Refuse a change by a school clerk that touches anything but the school files their account owns.

Why: `mkdocs.yml` is loaded by MkDocs with PyYAML's full loader and can run code; templates,
scripts and workflows run in CI and in readers' browsers; `schools/policy.yml` holds the bureau's
caps, `schools/exceptions.yml` the exceptions it approved and `schools/oversight.yml` its inspections
and refund orders. Only maintainers (listed in .ci/maintainers on the target branch) may change
those. A school clerk may change only `schools/<county>/<school-id>.yml` files that .ci/owners on the
target branch gives to their account (one school, or a whole county folder), new files included;
a rename or a deletion counts for both paths. Nobody may add a symbolic link or a submodule under
schools/ (the build refuses them too).

    python3 scripts/check_scope.py --author LOGIN --base BASE_SHA [--head HEAD_SHA]

Exit 0: allowed; 1: refused (the files are listed, each with who may change it); 2: usage error.
Standard library only: GitLab runs this one file, copied from the target branch. It catches
mistakes early; the enforcement is the host's branch protection with code-owner review, and
.github/CODEOWNERS is generated from the same .ci/owners (scripts/owners.py).
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field

CLERK_AREA = "schools/"
OWNERS_FILE = ".ci/owners"
MAINTAINERS_FILE = ".ci/maintainers"
#: The bureau's own files under schools/: its caps, calendar and roster, the exceptions it approved, and
#: its complaint figures, inspections and refund orders.
MAINTAINERS_ONLY = ("schools/policy.yml", "schools/exceptions.yml", "schools/oversight.yml")
#: Git modes nobody may add under schools/: a symbolic link (could publish any file of the build
#: machine) and a submodule (content from elsewhere).
REFUSED_MODES = {"120000": "符号链接", "160000": "子模块"}
#: County and school ids (as the build requires them) and host accounts (GitHub, GitLab, Gitea logins).
_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62})$")
_TEAM = re.compile(r"^@[A-Za-z0-9][A-Za-z0-9._-]*(?:/[A-Za-z0-9][A-Za-z0-9._-]*)?$")


@dataclass(frozen=True)
class Owners:
    """.ci/owners: the maintainers' team for CODEOWNERS, and who owns each school and county folder."""

    team: str = ""
    schools: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "county/school-id" -> logins
    counties: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "county" -> logins
    problems: tuple[str, ...] = ()

    def of(self, county: str, school: str) -> tuple[str, ...]:
        """Everyone who may change schools/<county>/<school>.yml: its own accounts, then the county's."""
        own = self.schools.get(f"{county}/{school}", ())
        return own + tuple(a for a in self.counties.get(county, ()) if a not in own)


def parse_owners(text: str) -> Owners:
    """Read .ci/owners: `<place> <account> …` per line, `#` comments. Places: `county/school-id`,
    `county/` (every school file in that folder) and `*` (the one maintainers' team CODEOWNERS names).

    >>> o = parse_owners("* @org/maintainers\\nqingshi/ County-Clerk\\nqingshi/qs-1 @a b  # two clerks\\n")
    >>> o.team, o.of("qingshi", "qs-1"), o.of("qingshi", "qs-2"), o.of("baihe", "qs-1"), o.problems
    ('@org/maintainers', ('a', 'b', 'County-Clerk'), ('County-Clerk',), (), ())
    >>> parse_owners("qingshi/../x a\\nqingshi/qs-1\\nqingshi/qs-2 a,b\\n").problems[0]
    '.ci/owners 第 1 行：“qingshi/../x”不是“县区代号/学校代号”“县区代号/”或“*”'
    """
    team, problems = "", []
    schools: dict[str, tuple[str, ...]] = {}
    counties: dict[str, tuple[str, ...]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        words = line.split("#", 1)[0].split() if not line.lstrip().startswith("#") else []
        if not words:
            continue
        place, accounts, where = words[0], words[1:], f"{OWNERS_FILE} 第 {number} 行："
        problem = _entry_problem(place, accounts, team, schools, counties)
        if problem:
            problems.append(where + problem)
        elif place == "*":
            team = accounts[0]
        else:
            logins = tuple(dict.fromkeys(a.removeprefix("@") for a in accounts))
            (counties if place.endswith("/") else schools)[place.rstrip("/")] = logins
    return Owners(team, schools, counties, tuple(problems))


def _entry_problem(place: str, accounts: list[str], team: str, schools: dict[str, tuple[str, ...]],
                   counties: dict[str, tuple[str, ...]]) -> str:
    """What is wrong with one line of .ci/owners, or ""."""
    county, _, school = place.partition("/")
    if place != "*" and not (_ID.match(county) and (school == "" or _ID.match(school))):
        return f"“{_shown(place)}”不是“县区代号/学校代号”“县区代号/”或“*”"
    if not accounts:
        return f"“{place}”后面没有写账号"
    if place == "*":
        return "" if len(accounts) == 1 and _TEAM.match(accounts[0]) and not team else \
            "“*”只能写一次，后面写一个维护人员团队（如 @qingshi-jyj/maintainers）"
    bad = [a for a in accounts if not _LOGIN.match(a.removeprefix("@"))]
    if bad:
        return f"账号“{_shown(bad[0])}”不对：每个账号是一个代码托管平台的用户名，用空格分开"
    if place.rstrip("/") in (counties if place.endswith("/") else schools):
        return f"“{place}”重复登记：同一学校或县区的账号写在同一行"
    return ""


def _shown(text: str) -> str:
    """Text as a terminal or a CI log shows it, never acts on it (controls and bidi characters escaped)."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


def refusals(changed: list[str], author: str, maintainers: set[str], owners: Owners | None) -> list[tuple[str, str]]:
    """(path, why) for each changed path this author may not change; ``owners`` None: no .ci/owners.

    >>> o = parse_owners("qingshi/qs-1 clerk\\nbaihe/ county-clerk\\n")
    >>> refusals(["schools/qingshi/qs-1.yml", "schools/baihe/bh-9.yml"], "clerk", {"admin"}, o)[0][1]
    '这是学校 baihe/bh-9 的资料文件，只能由 county-clerk 或维护人员修改；clerk 负责的是 qingshi/qs-1'
    >>> refusals(["schools/baihe/bh-9.yml", "mkdocs.yml"], "County-Clerk", {"admin"}, o)
    [('mkdocs.yml', '只有维护人员可以修改这个文件（见 .ci/maintainers）')]
    >>> refusals(["mkdocs.yml"], "admin", {"admin"}, None)
    []
    """
    if _member(author, maintainers):
        return []
    found = []
    for path in changed:
        if not path.startswith(CLERK_AREA) or path in MAINTAINERS_ONLY:
            found.append((path, f"只有维护人员可以修改这个文件（见 {MAINTAINERS_FILE}）"))
            continue
        county, slash, name = path.removeprefix(CLERK_AREA).partition("/")
        school = name.removesuffix(".yml")
        if not slash or "/" in name or not name.endswith(".yml") or not school:
            found.append((path, "不是学校资料文件（schools/县区代号/学校代号.yml），只有维护人员可以修改"))
        elif owners is None:
            found.append((path, f"目标分支上没有 {OWNERS_FILE}（学校与负责账号的名单），只有维护人员可以修改"))
        elif not _member(author, set(owners.of(county, school))):
            found.append((path, _not_yours(county, school, author, owners)))
    return found


def _not_yours(county: str, school: str, author: str, owners: Owners) -> str:
    allowed = owners.of(county, school)
    who = f"只能由 {'、'.join(allowed)} 或维护人员修改" if allowed else \
        f"{OWNERS_FILE} 中还没有登记它的负责账号，只能由维护人员修改（或请维护人员先登记）"
    own = sorted(p for p, logins in owners.schools.items() if _member(author, set(logins)))
    own += sorted(f"{c}/" for c, logins in owners.counties.items() if _member(author, set(logins)))
    mine = f"{_shown(author)} 负责的是 {'、'.join(own)}" if own else f"{OWNERS_FILE} 中没有登记 {_shown(author)} 负责的学校"
    return f"这是学校 {_shown(county)}/{_shown(school)} 的资料文件，{who}；{mine}"


def _member(author: str, accounts: set[str]) -> bool:
    """Host logins are case-insensitive (GitHub, GitLab and Gitea alike)."""
    return author.casefold() in {a.casefold() for a in accounts}


def violations(changed: list[str], author: str, maintainers: set[str], owners: Owners | None = None) -> list[str]:
    """The changed paths this author may not change (see refusals for why).

    >>> violations(["schools/policy.yml", "schools/exceptions.yml"], "clerk", {"admin"}, Owners())
    ['schools/policy.yml', 'schools/exceptions.yml']
    """
    return [path for path, _ in refusals(changed, author, maintainers, owners)]


def special_entries(raw_diff: str) -> list[tuple[str, str]]:
    r"""(path, kind) for every link or submodule the change adds or keeps under schools/, whoever the
    author; ``raw_diff`` is `git diff --raw -z` (paths verbatim, whatever characters they hold).

    >>> special_entries(":000000 120000 0000000 1234567 A\0schools/q/x\n.yml\0:100644 100644 1 2 M\0schools/q/y.yml\0")
    [('schools/q/x\n.yml', '符号链接')]
    """
    found = []
    fields = raw_diff.split("\0")
    for meta, path in zip(fields[::2], fields[1::2]):
        words = meta.split()
        if len(words) >= 5 and words[1] in REFUSED_MODES and path.startswith(CLERK_AREA):
            found.append((path, REFUSED_MODES[words[1]]))
    return found


def _git(*args: str, check: bool = True) -> str:
    return subprocess.run(["git", "-c", "core.quotepath=off", *args], check=check, capture_output=True,
                          text=True, encoding="utf-8", errors="surrogateescape").stdout


def _annotation(path: str, text: str) -> str:
    """A GitHub error annotation whose file name and text cannot end it early or start another."""
    def data(value: str) -> str:
        return _shown(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))
    return f"::error file={data(path).replace(':', '%3A').replace(',', '%2C')}::{data(text)}"


def _load(base: str, name: str) -> str | None:
    proc = subprocess.run(["git", "show", f"{base}:{name}"], capture_output=True, text=True, encoding="utf-8",
                          errors="replace")
    return proc.stdout if proc.returncode == 0 else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--author", required=True, help="the account that made the change")
    parser.add_argument("--base", required=True, help="the target branch's commit")
    parser.add_argument("--head", default="HEAD", help="the change's last commit (default HEAD)")
    args = parser.parse_args()
    if not args.author or not args.base:
        print("check_scope: --author and --base must not be empty", file=sys.stderr)
        return 2
    listed = _git("show", f"{args.base}:{MAINTAINERS_FILE}")
    maintainers = {line.strip() for line in listed.splitlines() if line.strip() and not line.startswith("#")}
    owners_text = _load(args.base, OWNERS_FILE)
    owners = parse_owners(owners_text) if owners_text is not None else None
    for problem in owners.problems if owners else ():
        print(f"{_shown(problem)}（这一行不算数，请维护人员改正）")
    span = f"{args.base}...{args.head}"
    changed = [p for p in _git("diff", "--name-only", "-z", "--no-renames", span).split("\0") if p]
    special = special_entries(_git("diff", "--raw", "-z", "--no-renames", "--no-abbrev", span))
    github = bool(os.environ.get("GITHUB_ACTIONS"))
    for path, kind in special:
        print(f"{_shown(path)} 是一个{kind}：资料文件夹中只能放普通文件（任何人都不能提交{kind}）。")
        if github:
            print(_annotation(path, f"资料文件夹中不能有{kind}"))
    refused = refusals(changed, args.author, maintainers, owners)
    if not refused:
        if special:
            return 1
        print(f"check_scope: {_shown(args.author)} 的修改范围符合要求（{len(changed)} 个文件）。")
        return 0
    print(f"学校办事员只能修改自己负责的学校资料文件（见目标分支上的 {OWNERS_FILE}）；"
          f"{_shown(args.author)} 修改了以下文件，需由维护人员处理：")
    for path, why in refused:
        print(f"  {_shown(path)}：{_shown(why)}")
        if github:
            print(_annotation(path, why))
    return 1


if __name__ == "__main__":
    sys.exit(main())
