#!/usr/bin/env python3
"""Benchmark `xiaowu check` against bare libyaml parsing of the same files, in one run.

    python scripts/bench_check.py                 # 600 and 20,000 schools
    python scripts/bench_check.py --sizes 600     # quicker

For each size it generates the schools (scripts/generate_example.py), then measures, each in a
fresh process so peak memory is its own:
  - baseline: yaml.compose with libyaml (CSafeLoader) over every file, one process;
  - check:    `xiaowu check` (all cores) over the same files.
It prints files per second, peak RSS and the ratio check/baseline rate. Figures, not assertions:
the machine is shared and noisy, so compare ratios within one run.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_BASELINE = """
import resource, sys, time, yaml
from pathlib import Path
files = sorted(p for p in Path(sys.argv[1]).rglob("*.yml") if p.name != "policy.yml")
start = time.perf_counter()
for p in files:
    yaml.compose(p.read_bytes(), Loader=yaml.CSafeLoader)
elapsed = time.perf_counter() - start
print(len(files), elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

_CHECK = """
import resource, sys, time
from datetime import date
from pathlib import Path
from xiaowu.check.project import check_project
start = time.perf_counter()
result = check_project(Path(sys.argv[1]), today=date(2026, 11, 21))
elapsed = time.perf_counter() - start
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(len(result.schools), elapsed, max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, children), result.errors)
"""


def _run(code: str, folder: Path) -> list[str]:
    out = subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, text=True, check=True)
    return out.stdout.split()


def bench(size: int, workdir: Path) -> dict[str, float]:
    folder = workdir / f"schools-{size}"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_example.py"), "--schools", str(size),
                    "--out", str(folder)], check=True, capture_output=True)
    total_bytes = sum(p.stat().st_size for p in folder.rglob("*.yml") if p.name != "policy.yml")
    files, base_s, base_kb = _run(_BASELINE, folder)
    checked, check_s, check_kb, errors = _run(_CHECK, folder)
    base_rate = int(files) / float(base_s)
    check_rate = int(checked) / float(check_s)
    return {"schools": int(checked), "avg_kb": round(total_bytes / int(files) / 1024, 1), "errors": int(errors),
            "libyaml_compose_s": round(float(base_s), 2), "libyaml_files_per_s": round(base_rate),
            "libyaml_peak_mb": round(int(base_kb) / 1024), "check_s": round(float(check_s), 2),
            "check_files_per_s": round(check_rate), "check_peak_mb": round(int(check_kb) / 1024),
            "rate_ratio_check_vs_libyaml": round(check_rate / base_rate, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[600, 20000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xiaowu-bench-") as tmp:
        for size in args.sizes:
            started = time.perf_counter()
            figures = bench(size, Path(tmp))
            figures["wall_incl_generation_s"] = round(time.perf_counter() - started, 1)
            print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
