"""The benchmark scripts still run against the current model (figures are not asserted: they live in
the scripts' output, compared as ratios within one run)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_bench_check_runs_at_a_tiny_size() -> None:
    proc = subprocess.run([sys.executable, "scripts/bench_check.py", "--sizes", "20"], cwd=REPO,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    figures = json.loads(next(line for line in proc.stdout.splitlines() if line.startswith("{")))
    assert figures["schools"] == 20 and figures["errors"] == 0


def test_bench_build_runs_at_a_tiny_size(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "scripts/bench_build.py", "--sizes", "12", "--no-serve", "--work", str(tmp_path)],
                          cwd=REPO, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    row = json.loads(proc.stdout.splitlines()[0])
    assert row["schools"] == 12 and row["plain_ratio"] > 0 and row["cpu_s"]["plugin"] > 0
    # The whole tree's peak: MkDocs plus Pagefind, never less than the build process alone.
    assert row["tree_peak_mb"]["plugin"] > row["tree_peak_mb"]["floor"] > 10


def test_bench_build_measures_each_edit_of_the_editing_loop(tmp_path: Path) -> None:
    """A valid edit (a new address) and an error (a name the roster does not know) on a settled preview,
    and an edit saved while the last rebuild's exports and index are still made: each seen served."""
    proc = subprocess.run([sys.executable, "scripts/bench_build.py", "--sizes", "12", "--serve-only", "--work",
                           str(tmp_path)], cwd=REPO, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    figures = json.loads(proc.stdout.splitlines()[-1])
    assert figures["schools"] == 12 and figures["serve_update_s"] > 0 and figures["serve_error_s"] > 0
    assert figures["serve_busy_s"] > 0
