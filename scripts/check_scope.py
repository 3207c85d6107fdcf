#!/usr/bin/env python3
"""Refuse a change by a school clerk that touches anything but school files.

Why: `mkdocs.yml` is loaded by MkDocs with PyYAML's full loader and can run code; templates,
scripts and workflows run in CI and in readers' browsers; `schools/policy.yml` holds the bureau's
caps, `schools/exceptions.yml` the exceptions it approved and `schools/oversight.yml` its inspections
and refund orders. Only maintainers (listed in
.ci/maintainers on the target branch) may change those. Nobody may add a symbolic link or a
submodule under schools/ (the build refuses them too).

    python3 scripts/check_scope.py --author LOGIN --base BASE_SHA [--head HEAD_SHA]

Exit 0: allowed; 1: refused (the files are listed); 2: usage error. This is a convenience that
catches mistakes early; the enforcement is the host's branch protection with code-owner review
(see docs/clerks.md and .github/CODEOWNERS).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys

CLERK_AREA = "schools/"
#: The bureau's own files under schools/: its caps, calendar and roster, the exceptions it approved, and
#: its complaint figures, inspections and refund orders.
MAINTAINERS_ONLY = ("schools/policy.yml", "schools/exceptions.yml", "schools/oversight.yml")
#: Git modes nobody may add under schools/: a symbolic link (could publish any file of the build
#: machine) and a submodule (content from elsewhere).
REFUSED_MODES = {"120000": "符号链接", "160000": "子模块"}


def violations(changed: list[str], author: str, maintainers: set[str]) -> list[str]:
    """The changed paths this author may not change.

    >>> violations(["schools/a/b.yml", "mkdocs.yml"], "clerk", {"admin"})
    ['mkdocs.yml']
    >>> violations(["schools/policy.yml", "schools/exceptions.yml"], "clerk", {"admin"})
    ['schools/policy.yml', 'schools/exceptions.yml']
    >>> violations(["mkdocs.yml"], "admin", {"admin"})
    []
    """
    if author in maintainers:
        return []
    return [p for p in changed if not p.startswith(CLERK_AREA) or p in MAINTAINERS_ONLY]


def special_entries(raw_diff: str) -> list[tuple[str, str]]:
    r"""(path, kind) for every link or submodule the change adds or keeps under schools/, whoever the author.

    >>> special_entries(":000000 120000 0000000 1234567 A\tschools/q/x.yml\n:100644 100644 1 2 M\tschools/q/y.yml")
    [('schools/q/x.yml', '符号链接')]
    """
    found = []
    for line in raw_diff.splitlines():
        meta, _, path = line.partition("\t")
        fields = meta.split()
        if len(fields) >= 5 and fields[1] in REFUSED_MODES and path.startswith(CLERK_AREA):
            found.append((path, REFUSED_MODES[fields[1]]))
    return found


def _git(*args: str) -> str:
    return subprocess.run(["git", "-c", "core.quotepath=off", *args], check=True, capture_output=True,
                          text=True, encoding="utf-8").stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--author", required=True, help="the account that made the change")
    parser.add_argument("--base", required=True, help="the target branch's commit")
    parser.add_argument("--head", default="HEAD", help="the change's last commit (default HEAD)")
    args = parser.parse_args()
    if not args.author or not args.base:
        print("check_scope: --author and --base must not be empty", file=sys.stderr)
        return 2
    listed = _git("show", f"{args.base}:.ci/maintainers")
    maintainers = {line.strip() for line in listed.splitlines() if line.strip() and not line.startswith("#")}
    changed = [p for p in _git("diff", "--name-only", "--no-renames", f"{args.base}...{args.head}").splitlines() if p]
    special = special_entries(_git("diff", "--raw", "--no-renames", "--no-abbrev", f"{args.base}...{args.head}"))
    for path, kind in special:
        print(f"{path} 是一个{kind}：资料文件夹中只能放普通文件（任何人都不能提交{kind}）。")
        if os.environ.get("GITHUB_ACTIONS"):
            print(f"::error file={path}::资料文件夹中不能有{kind}")
    refused = violations(changed, args.author, maintainers)
    if not refused:
        if special:
            return 1
        print(f"check_scope: {args.author} 的修改范围符合要求（{len(changed)} 个文件）。")
        return 0
    print(f"学校办事员只能修改 {CLERK_AREA} 下的学校资料文件；{args.author} 修改了以下文件，需由维护人员处理：")
    for path in refused:
        print(f"  {path}")
        if os.environ.get("GITHUB_ACTIONS"):
            print(f"::error file={path}::只有维护人员可以修改这个文件（见 .ci/maintainers）")
    return 1


if __name__ == "__main__":
    sys.exit(main())
