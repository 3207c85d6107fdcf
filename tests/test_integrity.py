"""Nothing lost, nothing invented; the same commit builds the same bytes; hostile ids never reach disk."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
EPOCH = "1795219200"  # 2026-11-21
DERIVED = {"schema_version", "id", "county", "county_name", "name", "url", "source", "updated", "status",
           "exceptions", "inspections", "refunds", "evaluation_results"}  # from the bureau's exceptions.yml and oversight.yml


def _build(project: Path, out: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(out)], cwd=project, capture_output=True,
                          text=True, timeout=900, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **env})


def _project(root: Path, schools: int | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    if schools is None:
        shutil.copytree(REPO / "schools", root / "schools")
    else:
        subprocess.run([sys.executable, str(REPO / "scripts/generate_example.py"), "--schools", str(schools),
                        "--out", str(root / "schools"), "--seed", "7"], check=True, capture_output=True)
    return root


@pytest.mark.parametrize("schools", [None, 300], ids=["example", "generated-300"])
def test_json_export_reproduces_every_yaml_value(tmp_path: Path, schools: int | None) -> None:
    project = _project(tmp_path / "p", schools)
    proc = _build(project, project / "site")
    assert proc.returncode == 0, proc.stderr[-2000:]
    files = sorted((project / "schools").glob("*/*.yml"))
    fee_rows = list(csv.DictReader(io.StringIO((project / "site/data/fees.csv").read_text("utf-8-sig"))))
    rows_by_school: dict[str, list[dict[str, str]]] = {}
    for row in fee_rows:
        rows_by_school.setdefault(row["学校代号"], []).append(row)
    for path in files:
        source = yaml.load(path.read_text("utf-8"), Loader=yaml.BaseLoader)  # every scalar as the clerk typed it
        record = json.loads((project / "site/data/schools" / f"{path.stem}.json").read_text("utf-8"))
        exported = {k: v for k, v in record.items() if k not in DERIVED}
        assert not _floats(exported)  # money and scores are decimal strings, never binary floats
        assert _as_text(exported) == source, path.name  # integers (counts, ranks) are JSON numbers
        items = [(d["term"], i) for d in source["fee_disclosures"] for i in d["items"]]
        rows = rows_by_school[path.stem]
        assert len(rows) == len(items)
        for row, (term, item) in zip(rows, items):
            assert (row["学期"], row["项目"], row["标准"], row["收费依据文号"]) == \
                (term, item["item"], item.get("amount", ""), item["basis"]["document"])
    assert len(fee_rows) == sum(len(rows) for rows in rows_by_school.values())
    # The bureau's oversight file, exactly as typed, in schools.json; each school's share in its own record.
    oversight = yaml.load((project / "schools" / "oversight.yml").read_text("utf-8"), Loader=yaml.BaseLoader)
    everything = json.loads((project / "site/data/schools.json").read_text("utf-8"))
    assert _as_text(everything["oversight"]) == oversight
    for refund in (r for r in oversight["refunds"] if "school" in r):  # one named in words has no record
        record = json.loads((project / "site/data/schools" / f"{refund['school']}.json").read_text("utf-8"))
        assert refund in _as_text(record["refunds"])
    # Evaluation results are the bureau's: each school's record carries exactly its own, as typed.
    for rating in oversight["evaluations"]:
        record = json.loads((project / "site/data/schools" / f"{rating['school']}.json").read_text("utf-8"))
        assert rating in _as_text(record["evaluation_results"])


def _floats(value: Any) -> list[float]:
    if isinstance(value, dict):
        return [f for v in value.values() for f in _floats(v)]
    if isinstance(value, list):
        return [f for v in value for f in _floats(v)]
    return [value] if isinstance(value, float) else []


def _as_text(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_text(v) for v in value]
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_builds_of_the_same_commit_are_byte_identical(tmp_path: Path) -> None:
    first = _project(tmp_path / "one")
    second = _project(tmp_path / "elsewhere" / "two")
    a = _build(first, first / "site", PYTHONHASHSEED="1")
    b = _build(second, tmp_path / "out-two", PYTHONHASHSEED="2")
    assert a.returncode == 0 and b.returncode == 0, a.stderr[-2000:] + b.stderr[-2000:]
    one, two = _tree(first / "site"), _tree(tmp_path / "out-two")
    assert one.keys() == two.keys()
    different = [name for name in one if one[name] != two[name]]
    assert not different, different[:10]
    assert any(name.startswith("pagefind/") for name in one) and "data/schools.json" in one


@pytest.mark.parametrize("bad_id", ["../x", "CON", "con", "/etc/passwd", "深圳一中", "a/b", "a\\b", "", "-a", "nul"])
def test_cli_new_refuses_hostile_ids_and_writes_nothing(tmp_path: Path, bad_id: str) -> None:
    shutil.copytree(REPO / "schools", tmp_path / "schools")
    before = _tree(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "xiaowu.cli", "new", bad_id, "--county", "qingshi"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert _tree(tmp_path) == before
    county = subprocess.run([sys.executable, "-m", "xiaowu.cli", "new", "ok-school", "--county", bad_id or "..", ],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert county.returncode == 2 and _tree(tmp_path) == before


@pytest.mark.parametrize(("name", "code"), [("CON.yml", "S110"), ("深圳一中.yml", "S110"), ("UPPER.yml", "S110"),
                                          ("-x.yml", "S110"), ("a b.yml", "Y019"), ("a\nb.yml", "Y019")])
def test_build_refuses_a_hostile_file_name_before_writing_anything(tmp_path: Path, name: str, code: str) -> None:
    """S110: a name that is printable but not a school id; Y019: one that is not even printed as it is."""
    project = _project(tmp_path / "p")
    shutil.copy(project / "schools/qingshi/qingshi-00003.yml", project / "schools/qingshi" / name)
    proc = _build(project, project / "site")
    assert proc.returncode != 0 and code in proc.stderr
    assert not (project / "site").exists()
    assert not list(project.rglob("*.json"))


def _policy_with_roster_id(project: Path, school_id: str) -> None:
    policy = project / "schools/policy.yml"
    text = policy.read_text("utf-8")
    policy.write_text(text.replace("roster:\n", f"roster:\n  - id: {json.dumps(school_id)}\n    county: qingshi\n    name: 假学校\n", 1),
                      "utf-8")


@pytest.mark.parametrize("bad_id", ["../x", "CON", "/tmp/x"])
def test_build_refuses_hostile_roster_ids(tmp_path: Path, bad_id: str) -> None:
    project = _project(tmp_path / "p")
    _policy_with_roster_id(project, bad_id)
    proc = _build(project, project / "site")
    assert proc.returncode != 0 and "schools/policy.yml" in proc.stderr
    assert not (project / "site").exists()


def test_export_paths_come_only_from_allowlisted_ids(tmp_path: Path) -> None:
    project = _project(tmp_path / "p")
    assert _build(project, project / "site").returncode == 0
    written = [p.relative_to(project / "site").as_posix() for p in (project / "site").rglob("*") if p.is_file()]
    assert all(".." not in name.split("/") for name in written)
    ids: Any = {p.stem for p in (project / "site/data/schools").glob("*.json")}
    assert ids == {p.stem for p in (REPO / "schools").glob("*/*.yml")}
