from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def corpora() -> Path:
    """shared/corpora beside the checkout (as CI has it), else beside the repository it was cloned
    from, else $XIAOWU_CORPORA. Missing corpora fail the tests that need them: never a silent skip."""
    candidates = [REPO.parent / "shared" / "corpora"]
    origin = subprocess.run(["git", "-C", str(REPO), "config", "--get", "remote.origin.url"],
                            capture_output=True, text=True).stdout.strip()
    if origin and Path(origin).is_dir():
        candidates.append(Path(origin).resolve().parent / "shared" / "corpora")
    if os.environ.get("XIAOWU_CORPORA"):
        candidates.insert(0, Path(os.environ["XIAOWU_CORPORA"]))
    return next((c for c in candidates if c.is_dir()), candidates[0])


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite expected golden output")
