#!/usr/bin/env python3
"""Run a command; print its wall time, CPU time and the peak memory of its whole process tree as JSON.

The peak is the largest sum of the memory of the command and all its descendants (MkDocs, the
check's worker processes, Pagefind), each counted as its Pss (shared pages split between sharers),
polled from /proc every 0.5 s after the first 2 s, every 0.05 s before (polling costs CPU: every 0.1 s
took 51 s of CPU in 38 minutes; a command shorter than 0.5 s would be seen only as it starts).
/usr/bin/time's %M gives the largest single process only. CPU time is user + sys of the command and
every descendant it waited for.

    python scripts/tree_peak.py -- mkdocs build -q
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat[stat.rindex(")") + 2:].split()[1])
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def _rss_kb(pid: int) -> int:
    """The process's proportional share of memory (Pss): pages a forked worker still shares with its
    parent count once across the tree, not once per process as VmRSS would count them."""
    for name, key in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        try:
            for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
                if line.startswith(key):
                    return int(line.split()[1])
        except OSError:
            continue
    return 0


def tree_rss_kb(root: int) -> int:
    """Resident memory of ``root`` and every process below it, in KiB."""
    tree, total, todo = _children(), 0, [root]
    while todo:
        pid = todo.pop()
        total += _rss_kb(pid)
        todo.extend(tree.get(pid, ()))
    return total


def measure(command: list[str], cwd: str | None = None, env: dict[str, str] | None = None) -> dict[str, float]:
    start = time.perf_counter()
    before = os.times()
    proc = subprocess.Popen(command, cwd=cwd, env=env)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss_kb(proc.pid))
        # Every 0.05 s for the first 2 s (a short command, such as a small build, is over before a
        # 0.5 s poll sees it grown), then every 0.5 s.
        time.sleep(0.05 if time.perf_counter() - start < 2 else 0.5)
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return {"returncode": proc.returncode, "seconds": round(time.perf_counter() - start, 2),
            "cpu_s": round(cpu, 2), "tree_peak_mb": round(peak / 1024)}


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["--"]:
        args = args[1:]
    print(json.dumps(measure(args)), flush=True)


if __name__ == "__main__":
    main()
