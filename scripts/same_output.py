"""Prove that a change of code changed nothing a user sees: build the same outputs from two trees and
compare them byte for byte.

    python scripts/same_output.py REV            # REV (a commit) against the working tree
    python scripts/same_output.py REV --keep D   # keep both snapshots in D for a closer look

For each tree it writes, with the same day (SOURCE_DATE_EPOCH) and the same interpreter:
  - site/…       every file of `mkdocs build` of the example (pages, exports, search index);
  - export/…     every file of `xiaowu export`;
  - check.*      `xiaowu check` in every format (text, json, github, codeclimate) with --strict;
  - goldens/…    every golden rule case (tests/goldens/rules.yml) and every real published table
                 (tests/goldens/real_tables.yml): all diagnostics as text and JSON.
Then it lists every file that differs or exists on one side only, and exits 1 if there is any.

The tree at REV is checked out with `git worktree` and imported first on PYTHONPATH, so each side runs
its own package, templates and test harness. A refactoring is proven when this prints "identical".
"""
from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EPOCH = "1795046400"  # 2026-11-21, the goldens' day
TODAY = "2026-11-21"

# Runs inside one tree (its package and its tests first on sys.path): every golden case's findings.
_GOLDENS = r"""
import json, sys
from pathlib import Path
import pytest
out = Path(sys.argv[1]); out.mkdir(parents=True, exist_ok=True)
from xiaowu import report
import test_rules_golden as rules, test_real_tables as real

def dump(name, result):
    (out / f"{name}.txt").write_text(report.report(result, "text", ""), encoding="utf-8")
    (out / f"{name}.json").write_text(report.report(result, "json", ""), encoding="utf-8")

def captured(run):
    found = {}
    original = rules.check_project
    def spy(*args, **kwargs):
        found["result"] = original(*args, **kwargs)
        return found["result"]
    rules.check_project = spy
    try:
        run()
    finally:
        rules.check_project = original
    return found["result"]

import tempfile, os
for index, case in enumerate(rules.CASES):
    root = Path(tempfile.mkdtemp())
    here = os.getcwd(); os.chdir(root)
    try:
        dump(f"rules-{index:03d}", captured(lambda: rules.run_case(case, root.resolve())))
    finally:
        os.chdir(here)
for index, case in enumerate(real.CASES):
    root = Path(tempfile.mkdtemp())
    here = os.getcwd(); os.chdir(root)
    try:
        result, _ = real._run(case, root.resolve())
        dump(f"real-{index:03d}", result)
    finally:
        os.chdir(here)
print("goldens", len(rules.CASES), len(real.CASES))
"""


def _run(command: list[str], tree: Path, env: dict[str, str], out: Path | None = None) -> None:
    done = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, check=False)
    if out is not None:
        out.write_text(done.stdout + f"\n[exit {done.returncode}]\n", encoding="utf-8")
    elif done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed in {tree}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")


def snapshot(tree: Path, out: Path) -> None:
    """Every output of ``tree`` into ``out``."""
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, NO_MKDOCS_2_WARNING="1",
               PYTHONPATH=os.pathsep.join([str(tree / "plugins"), str(tree / "tests")]))
    python = sys.executable
    mkdocs = str(Path(python).with_name("mkdocs"))
    out.mkdir(parents=True)
    _run([mkdocs, "build", "--quiet", "-f", str(tree / "mkdocs.yml"), "-d", str(out / "site")], tree, env)
    _run([python, "-m", "xiaowu.cli", "export", "--out", str(out / "export"), "--today", TODAY,
          "--site-url", "https://xiaowu.qingshi.example.cn/"], tree, env)
    for fmt in ("text", "json", "github", "codeclimate"):
        _run([python, "-m", "xiaowu.cli", "check", "--strict", "--format", fmt, "--today", TODAY], tree, env,
             out / f"check.{fmt}")
    _run([python, "-c", _GOLDENS, str(out / "goldens")], tree, env)


def differences(left: Path, right: Path, prefix: str = "") -> list[str]:
    """Every relative path that differs or exists on one side only."""
    found: list[str] = []
    compared = filecmp.dircmp(left, right)
    found += [f"only before: {prefix}{name}" for name in compared.left_only]
    found += [f"only after: {prefix}{name}" for name in compared.right_only]
    for name in compared.common_files:
        if not filecmp.cmp(left / name, right / name, shallow=False):
            found.append(f"differs: {prefix}{name}")
    for name in compared.common_dirs:
        found += differences(left / name, right / name, f"{prefix}{name}/")
    return found


def count_files(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rev", help="the commit to compare the working tree with")
    parser.add_argument("--keep", help="keep both snapshots in this folder")
    args = parser.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="same-output-"))
    before_tree = work / "tree-before"
    subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "--force", str(before_tree), args.rev],
                   check=True, capture_output=True)
    try:
        snapshot(before_tree, work / "before")
        snapshot(REPO, work / "after")
    finally:
        subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(before_tree)], check=False)
    found = differences(work / "before", work / "after")
    total = count_files(work / "after")
    for line in found:
        print(line)
    print(f"{total} files compared: " + ("identical" if not found else f"{len(found)} differ"))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
