#!/usr/bin/env python3
"""Generate CODEOWNERS from .ci/owners, so code-owner review and the scope check can never disagree.

.ci/owners (maintainers only) says which accounts own which school file; scripts/check_scope.py
enforces it on every merge request, and the host's code-owner review enforces the generated
CODEOWNERS: a clerk can neither change nor approve another school's file.

    python3 scripts/owners.py                      # print what CODEOWNERS should be
    python3 scripts/owners.py --write              # write .github/CODEOWNERS (GitHub)
    python3 scripts/owners.py --write --out .gitlab/CODEOWNERS               # GitLab (same syntax)
    python3 scripts/owners.py --write --flavor gitea --out .gitea/CODEOWNERS # Gitea (regular expressions)
    python3 scripts/owners.py --check              # exit 1 if the file differs or .ci/owners has errors

Standard library only. Exit 0: done / up to date; 1: differs or .ci/owners has errors.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_scope import MAINTAINERS_ONLY, OWNERS_FILE, Owners, parse_owners  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = {"github": ".github/CODEOWNERS", "gitea": ".gitea/CODEOWNERS"}

_HEADER = """\
# GENERATED from .ci/owners by `python3 scripts/owners.py --write`: do not edit by hand (the tests and the
# "检查资料" workflow compare it with what the script generates). Change .ci/owners, then run the script.
#
# Who must review a change (enable "Require review from Code Owners" in branch protection; GitLab:
# write it with `--out .gitlab/CODEOWNERS` and turn on code owner approval; Gitea reads regular
# expressions: `--flavor gitea --out .gitea/CODEOWNERS`). On GitHub and GitLab the last matching line
# wins; the lines are written so that taking every matching line instead gives the same owners.
#
# Maintainers own everything: mkdocs.yml is loaded by MkDocs with PyYAML's full loader and can run
# code on the build machine; plugins/, scripts/ and workflows run in CI; templates reach readers;
# .ci/maintainers and .ci/owners say who may change what. A school file not listed in .ci/owners is
# the maintainers' alone.
"""
_COUNTIES = "# A county folder in .ci/owners: its school files (new ones too) to its accounts and the maintainers."
_SCHOOLS = """\
# One line per school file in .ci/owners: its own accounts, its county's, and the maintainers. No
# clerk is an owner of another school's file, so none can approve a change to it."""
_BUREAU = """\
# The bureau's caps, calendar and roster, the exceptions it approved, and its complaint figures,
# inspections and refund orders: maintainers only, last (a clerk who could edit exceptions.yml could
# approve the school's own over-cap fee; one who could edit oversight.yml could mark its own refund done)."""


def _pattern(path: str, flavor: str) -> str:
    """A CODEOWNERS pattern for a repository path (``*.yml`` for a county's files)."""
    if flavor == "github":
        return "/" + path
    regex = re.escape(path).replace(r"\*", "[^/]*").replace("\\", "\\\\")  # Gitea unescapes \\ once
    return f"^{regex}$"


def generate(owners: Owners, flavor: str = "github") -> str:
    """The whole CODEOWNERS file for ``owners``."""
    team = owners.team

    def line(path: str, accounts: tuple[str, ...] = ()) -> str:
        names = [f"@{a}" for a in accounts] + [team]
        pattern = _pattern(path, flavor) if path != "*" else ("*" if flavor == "github" else ".*")
        return f"{pattern:<40} {' '.join(names)}".rstrip()

    out = [_HEADER.rstrip("\n"), line("*"), _COUNTIES]
    out += [line(f"schools/{county}/*.yml", owners.counties[county]) for county in sorted(owners.counties)]
    out.append(_SCHOOLS)
    for place in sorted(owners.schools):
        county, _, school = place.partition("/")
        out.append(line(f"schools/{place}.yml", owners.of(county, school)))
    out += [_BUREAU] + [line(path) for path in MAINTAINERS_ONLY]
    return "\n".join(out) + "\n"


def unowned(owners: Owners, root: Path = ROOT) -> list[str]:
    """School files no account owns (only maintainers can change them): worth a look, not an error."""
    files = sorted(p.relative_to(root / "schools").with_suffix("").as_posix()
                   for p in (root / "schools").glob("*/*.yml"))
    return [f for f in files if not owners.of(*f.split("/", 1))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="write the file (default: print it)")
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is not what would be written")
    parser.add_argument("--flavor", choices=sorted(DEFAULT_OUT), default="github",
                        help="github (also GitLab: same syntax) or gitea (regular expressions)")
    parser.add_argument("--out", help="where CODEOWNERS lives (default .github/CODEOWNERS, or .gitea/CODEOWNERS)")
    args = parser.parse_args(argv)
    owners = parse_owners((ROOT / OWNERS_FILE).read_text("utf-8"))
    problems = list(owners.problems) + ([] if owners.team else [f"{OWNERS_FILE}：缺少“* @团队”一行（维护人员团队）"])
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    text = generate(owners, args.flavor)
    out = ROOT / (args.out or DEFAULT_OUT[args.flavor])
    if args.check:
        current = out.read_text("utf-8") if out.is_file() else ""
        if current != text:
            print(f"{out.relative_to(ROOT)} 不是由 {OWNERS_FILE} 生成的最新版本：请运行 python3 scripts/owners.py --write",
                  file=sys.stderr)
            return 1
        return 0
    if args.write:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, "utf-8")
        missing = unowned(owners)
        if missing:
            print(f"注意：{len(missing)} 个学校文件没有登记负责账号，只有维护人员能修改：{'、'.join(missing[:10])}",
                  file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
