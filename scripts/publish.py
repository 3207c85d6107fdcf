#!/usr/bin/env python3
"""Publish the site to a directory a web server serves, atomically, never losing a good site.

    python3 scripts/publish.py --target /srv/www/xiaowu            # build, then switch
    python3 scripts/publish.py --target /srv/www/xiaowu --site site  # switch to an already built site

The site is built (or copied) into a new release folder beside the target, then verified with
``xiaowu verify --strict`` against the data folder (``--data``, default ``schools``): the release
must carry the build record that only the xiaowu plugin writes, for exactly these data files, with a
passed check, and with every file as the build left it. A site built by an engine that ignores the
plugin (Zensical, MkDocs 2.0, a mkdocs.yml without it), built from other data, or edited afterwards
is refused and removed; the live site is not touched. Only when all that has succeeded is a marker
file written into the release, last; only marked releases count as complete. Then
``--target`` (a symbolic link) switches to it with one rename, which the system performs atomically:
readers see the old site or the new one, never a half-copied mix. A failed or killed build never
touches the target; its unmarked folder is removed by the next run. Old complete releases are pruned
down to ``--keep``, but the live one and the newest complete one are never removed. Roll back with
``ln -sfn`` to a previous release. One run at a time (a lock beside the target; a second run is
refused at once).

The target must be a symbolic link made by this script, or not exist, or be an empty folder: an
existing folder with content is refused (move it away yourself), so nothing is ever moved or pruned
that this script did not make. Point the web server's root at the target, e.g. nginx
``root /srv/www/xiaowu;``. For a remote server, run this there (a CI runner on the server), or rsync
the built site into a folder there and run this with ``--site`` and ``--data`` (a checkout of the
same data there: the site is verified against it).

Exit codes: 0 published; 1 not published (the old site, if any, is unchanged); 2 usage error.
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

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

REPO = Path(__file__).resolve().parents[1]
#: Written into a release after everything else: its presence means the release is whole.
COMPLETE = ".xiaowu-release-complete"
#: The command that verifies a release before it goes live (installed by scripts/setup.sh).
XIAOWU = REPO / ".venv" / "bin" / "xiaowu"


class Refused(Exception):
    """Publishing cannot go ahead; the message says why, in words for the operator."""


def releases_dir(target: Path) -> Path:
    return target.parent / f".{target.name}-releases"


def complete(release: Path) -> bool:
    return (release / COMPLETE).is_file()


def new_release(target: Path) -> Path:
    now = time.time_ns()
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now // 10**9)) + f".{now % 10**9:09d}"
    path = releases_dir(target) / f"{stamp}-{os.getpid()}"  # names sort in the order they were made
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def check_target(target: Path) -> None:
    """A link (ours), nothing, or an empty folder (removed now). Anything else is refused."""
    if target.is_symlink() or not target.exists():
        return
    if not target.is_dir():
        raise Refused(f"{target} 是一个普通文件，不是网站目录；请确认 --target 是否写错。")
    if any(target.iterdir()):
        raise Refused(f"{target} 是一个已有内容的文件夹。为防止覆盖或丢失其中的文件，本工具不会移动它；"
                      f"请先把它改名备份（例如 mv {target} {target}.old），再重新运行。")
    target.rmdir()


def mark_complete(release: Path) -> None:
    with open(release / COMPLETE, "w", encoding="utf-8") as handle:
        handle.write(time.strftime("%Y-%m-%dT%H:%M:%SZ\n", time.gmtime()))
        handle.flush()
        os.fsync(handle.fileno())


def build_into(release: Path, mkdocs: list[str]) -> bool:
    """`mkdocs build --strict` straight into the release folder (same file system as the target)."""
    proc = subprocess.run([*mkdocs, "build", "--strict", "-d", str(release)], cwd=REPO)
    return proc.returncode == 0 and (release / "index.html").is_file()


def verify_release(release: Path, data: Path, xiaowu: list[str]) -> str:
    """``xiaowu verify --strict`` on the release; its summary, or Refused with its reasons."""
    if not xiaowu:  # an operator's misconfiguration must never skip the check
        raise Refused("没有指定核对网站的 xiaowu 命令（--xiaowu），未发布；原网站保持不变。")
    try:
        proc = subprocess.run([*xiaowu, "verify", str(release), "--data", str(data), "--strict"], cwd=REPO,
                              capture_output=True, text=True)
    except OSError as exc:
        raise Refused(f"无法运行核对命令 {xiaowu[0]}（{exc.strerror or exc}）：请先运行 bash scripts/setup.sh，"
                      "或用 --xiaowu 指定 xiaowu 命令。未发布；原网站保持不变。") from None
    if proc.returncode != 0:
        reasons = (proc.stderr or proc.stdout).strip()
        raise Refused(f"网站没有通过核对，未发布；原网站保持不变。\n{reasons}")
    return proc.stdout.strip()


def switch(target: Path, release: Path) -> None:
    """Point ``target`` at ``release`` with a single rename of a symbolic link."""
    temporary = target.parent / f".{target.name}.switch-{os.getpid()}"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(release.resolve(), target_is_directory=True)
    os.replace(temporary, target)


def prune(target: Path, keep: int, current: Path | None = None) -> list[Path]:
    """Remove unfinished releases (left by a killed run; we hold the lock, so none is in progress)
    and complete ones beyond the newest ``keep``; never the live one or the newest complete one."""
    if not releases_dir(target).is_dir():
        return []
    live = target.resolve() if target.is_symlink() else None
    releases = sorted((p for p in releases_dir(target).iterdir() if p.is_dir() and not p.is_symlink()),
                      key=lambda p: p.name)
    finished = [p for p in releases if complete(p)]
    protected = {p.resolve() for p in (live, current, finished[-1] if finished else None) if p is not None}
    doomed = [p for p in releases if not complete(p)] + finished[:-max(keep, 1)]
    removed = []
    for old in doomed:
        if old.resolve() not in protected:
            shutil.rmtree(old, ignore_errors=True)
            removed.append(old)
    return removed


def lock(target: Path) -> object:
    """Hold an exclusive lock beside the target for this run (released when the process ends)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle = open(target.parent / f".{target.name}.publish-lock", "a+b")
    if fcntl is not None:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise Refused(f"另一个发布正在进行（{target}），本次没有发布；请等它完成后再运行。") from None
    return handle


def publish(target: Path, site: Path | None, keep: int, mkdocs: list[str], data: Path = REPO / "schools",
            xiaowu: list[str] | None = None) -> Path:
    check_target(target)
    held = lock(target)
    try:
        prune(target, keep)  # unfinished releases of a killed run go first, before we add ours
        release = new_release(target)
        if site is not None:
            if not (site / "index.html").is_file():
                raise Refused(f"{site} 不是生成好的网站（没有 index.html），未发布。")
            shutil.copytree(site, release, symlinks=True)
        elif not build_into(release, mkdocs):
            shutil.rmtree(release, ignore_errors=True)
            raise Refused("网站生成失败，未发布；原网站保持不变。")
        try:
            print(f"publish: {verify_release(release, data, [str(XIAOWU)] if xiaowu is None else xiaowu)}")
        except Refused:
            shutil.rmtree(release, ignore_errors=True)
            raise
        mark_complete(release)
        switch(target, release)
        prune(target, keep, release)
        return release
    finally:
        held.close()  # type: ignore[attr-defined]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", type=Path, required=True, help="the path the web server serves (becomes a symlink)")
    parser.add_argument("--site", type=Path, help="an already built site folder to publish instead of building")
    parser.add_argument("--keep", type=int, default=3, help="how many complete releases to keep (default 3, at least 1)")
    parser.add_argument("--mkdocs", default=str(REPO / ".venv" / "bin" / "mkdocs"),
                        help="the mkdocs command (default: the one scripts/setup.sh installed)")
    parser.add_argument("--data", type=Path, default=REPO / "schools",
                        help="the data folder the site must have been built and checked from (default: schools)")
    parser.add_argument("--xiaowu", default=str(XIAOWU),
                        help="the xiaowu command that verifies the site (default: the one scripts/setup.sh installed)")
    args = parser.parse_args()
    if args.keep < 1:
        print("publish: --keep 至少为 1。", file=sys.stderr)
        return 2
    target = args.target.absolute()
    try:
        release = publish(target, args.site, args.keep, shlex.split(args.mkdocs), args.data.absolute(),
                          shlex.split(args.xiaowu))
    except Refused as exc:
        print(f"publish: {exc}", file=sys.stderr)
        return 1
    except PermissionError as exc:
        print(f"publish: 没有权限写入 {exc.filename}（{exc.strerror}）；请用有权限的账号运行，或检查目录权限。"
              "原网站保持不变。", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"publish: 发布失败：{exc.filename or ''}（{exc.strerror or exc}）；原网站保持不变。", file=sys.stderr)
        return 1
    print(f"publish: 已发布 {release.name} → {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
