#!/usr/bin/env python3
"""Publish the site to a directory a web server serves, atomically.

    python3 scripts/publish.py --target /srv/www/xiaowu            # build, then switch
    python3 scripts/publish.py --target /srv/www/xiaowu --site site  # switch to an already built site

The site is built (or copied) into a new release folder beside the target, and only when that has
fully succeeded does ``--target`` (a symbolic link) switch to it with one rename, which the system
performs atomically: readers see the old site or the new one, never a half-copied mix. A failed
build leaves the target untouched. The last ``--keep`` releases stay for a quick rollback
(``ln -sfn`` a previous one). Point the web server's root at the target, e.g. nginx
``root /srv/www/xiaowu;``. For a remote server, run this there (a CI runner on the server), or rsync
the built site into a new release folder and run it with ``--site``.
"""
from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def releases_dir(target: Path) -> Path:
    return target.parent / f".{target.name}-releases"


def new_release(target: Path) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    path = releases_dir(target) / f"{stamp}-{os.getpid()}"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def build_into(release: Path, mkdocs: list[str]) -> bool:
    """`mkdocs build --strict` straight into the release folder (same file system as the target)."""
    proc = subprocess.run([*mkdocs, "build", "--strict", "-d", str(release)], cwd=REPO)
    return proc.returncode == 0 and (release / "index.html").is_file()


def switch(target: Path, release: Path) -> None:
    """Point ``target`` at ``release`` with a single rename of a symbolic link."""
    if target.exists() and not target.is_symlink():
        # First run over a plain folder: keep it as a release, then switch (a moment without a site,
        # once; never a mixed one).
        target.rename(releases_dir(target) / f"previous-{int(time.time())}")
    temporary = target.parent / f".{target.name}.switch-{os.getpid()}"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(release.resolve(), target_is_directory=True)
    os.replace(temporary, target)


def prune(target: Path, keep: int) -> None:
    current = target.resolve()
    releases = sorted((p for p in releases_dir(target).iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime)
    for old in releases[:-keep] if keep > 0 else []:
        if old.resolve() != current:
            shutil.rmtree(old, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", type=Path, required=True, help="the path the web server serves (becomes a symlink)")
    parser.add_argument("--site", type=Path, help="an already built site folder to publish instead of building")
    parser.add_argument("--keep", type=int, default=3, help="how many releases to keep (default 3)")
    parser.add_argument("--mkdocs", default=str(REPO / ".venv" / "bin" / "mkdocs"),
                        help="the mkdocs command (default: the one scripts/setup.sh installed)")
    args = parser.parse_args()
    target = args.target.absolute()
    release = new_release(target)
    if args.site:
        if not (args.site / "index.html").is_file():
            print(f"publish: {args.site} 不是生成好的网站（没有 index.html），未发布。", file=sys.stderr)
            return 1
        shutil.copytree(args.site, release)
    elif not build_into(release, shlex.split(args.mkdocs)):
        shutil.rmtree(release, ignore_errors=True)
        print("publish: 网站生成失败，未发布；原网站保持不变。", file=sys.stderr)
        return 1
    switch(target, release)
    prune(target, args.keep)
    print(f"publish: 已发布 {release.name} → {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
