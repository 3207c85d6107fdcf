"""Golden cases: for every rule code, a failing file with its exact diagnostics, and passing cases."""
from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from xiaowu.read import files
from xiaowu.check.project import check_project
from xiaowu.findings.table import RULES

GOLDENS = Path(__file__).parent / "goldens"
CASES: list[dict[str, Any]] = yaml.safe_load((GOLDENS / "rules.yml").read_text("utf-8"))
EXPECTED_FILE = GOLDENS / "rules.expected.yml"
#: Case name -> every finding's message and help, as a clerk reads them.
WORDING: dict[str, list[str]] = {}
TODAY = date(2026, 11, 21)


def _expected() -> dict[str, list[str]]:
    if not EXPECTED_FILE.exists():
        return {}
    data = yaml.safe_load(EXPECTED_FILE.read_text("utf-8")) or {}
    return {name: list(values or []) for name, values in data.items()}


def _edit(text: str, edits: list[list[str]]) -> str:
    for old, new in edits:
        assert text.count(old) == 1, f"edit target must occur exactly once: {old!r}"
        text = text.replace(old, new)
    return text


def _write(path: Path, text: str, case: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = text.replace("\n", case.get("newline", "\n"))
    path.write_bytes(text.encode(case.get("encoding", "utf-8")))


def run_case(case: dict[str, Any], root: Path) -> list[str]:
    schools = root / "schools"
    school = (GOLDENS / "school.yml").read_text("utf-8")
    policy = (GOLDENS / "policy.yml").read_text("utf-8")
    target_is_policy = case.get("target") == "policy"
    if target_is_policy:
        policy = case.get("content_policy") or _edit(policy, case.get("edits", []))
    else:
        school = _edit(school, case.get("edits", []))
        policy = _edit(policy, case.get("policy_edits", []))  # the bureau's side of a school case
    if "content" in case:
        school = case["content"]
    if "settle_edits" in case:  # the school's settlements (tests/goldens/settlement.yml), edited
        school += _edit((GOLDENS / "settlement.yml").read_text("utf-8"), case["settle_edits"])
    school += case.get("append", "")
    if case.get("append_bytes"):
        school += "# " + "x" * case["append_bytes"] + "\n"
    file = schools / case.get("file", "demo/demo-school.yml")
    _write(file, school, case)
    for extra, edits in case.get("extra_files", {}).items():
        base = (GOLDENS / "school.yml").read_text("utf-8")
        _write(schools / extra, _edit(base, edits) if isinstance(edits, list) else base, {})
    if not case.get("no_policy"):
        (schools / "policy.yml").write_text(policy, encoding="utf-8")
    if "oversight_edits" in case:  # the bureau's complaint figures, inspections, refunds (schools/oversight.yml)
        oversight = _edit((GOLDENS / "oversight.yml").read_text("utf-8"), case["oversight_edits"])
        (schools / "oversight.yml").write_text(oversight, encoding="utf-8")
    if "exceptions" in case:  # the bureau's reviewed exceptions, schools/exceptions.yml
        (schools / "exceptions.yml").write_text(case["exceptions"], encoding="utf-8")
    for name, text in case.get("raw_files", {}).items():  # files under other names
        _write(schools / name, text, {})
    for name, target in case.get("symlinks", {}).items():  # links inside the data folder
        (schools / name).parent.mkdir(parents=True, exist_ok=True)
        (schools / name).symlink_to(target if target.startswith("/") else schools / target)
    for name in case.get("fifos", []):
        os.mkfifo(schools / name)
    with pytest.MonkeyPatch.context() as mp:
        denied = {os.path.abspath(schools / name) for name in case.get("unreadable", [])}
        if denied:  # tests run as root, where file permissions do not stop a read
            real_open = os.open

            def refusing_open(path: Any, *args: Any, **kwargs: Any) -> int:
                if os.path.abspath(path) in denied:
                    raise PermissionError(13, "Permission denied", str(path))
                return real_open(path, *args, **kwargs)
            mp.setattr(files.os, "open", refusing_open)
        result = check_project(schools, today=TODAY, jobs=1)
    WORDING[case["name"]] = [f"{d.code} {d.message} {d.help}" for d in result.diagnostics]
    return [f"{d.file.removeprefix('schools/')}:{d.line}:{d.column} {d.code}"
            + (" accepted" if d.accepted_by else "")
            for d in [*result.diagnostics, *(a for s in result.schools for a in s.accepted)]]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> dict[str, list[str]]:
    results = {}
    for index, case in enumerate(CASES):
        root = tmp_path_factory.mktemp(f"case{index}")
        # Relative display paths: run from inside the case folder.
        with pytest.MonkeyPatch.context() as mp:
            mp.chdir(root)
            results[case["name"]] = run_case(case, root.resolve())
    if request.config.getoption("--update-goldens"):
        lines = ["# Generated by tests/test_rules_golden.py --update-goldens; review the diff.\n"]
        for name, found in results.items():
            lines.append(f"{json.dumps(name, ensure_ascii=False)}:" + (" []\n" if not found else "\n"))
            lines.extend(f"  - {json.dumps(item, ensure_ascii=False)}\n" for item in found)
        EXPECTED_FILE.write_text("".join(lines), encoding="utf-8")
    return results


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict[str, Any], outcomes: dict[str, list[str]]) -> None:
    expected = _expected()
    assert case["name"] in expected, "no golden yet: run with --update-goldens and review"
    assert outcomes[case["name"]] == expected[case["name"]]


def test_every_rule_has_a_failing_case() -> None:
    expected = _expected()
    fired = {entry.split()[1] for found in expected.values() for entry in found}
    # W codes are born in spreadsheets, not YAML: tests/test_xlsx_accidents.py has a case for each.
    assert sorted(code for code in set(RULES) - fired if not code.startswith("W")) == []


def test_named_rule_fires_in_its_case() -> None:
    """A case named after a code must produce that code (guards against a stale golden)."""
    expected = _expected()
    for case in CASES:
        code = case["name"].split()[0]
        if code in RULES and "passes" not in case["name"]:
            assert any(entry.split()[1] == code for entry in expected[case["name"]]), case["name"]


def test_passing_cases_are_clean() -> None:
    expected = _expected()
    for case in CASES:
        if "passes" in case["name"]:
            assert all(e.endswith(" accepted") for e in expected[case["name"]]), case["name"]


def test_no_python_words_in_any_message(outcomes: dict[str, list[str]]) -> None:
    """A clerk never reads "None", "null", "True" or an empty placeholder like "（）" or "“”"."""
    bad = re.compile(r"None|null|True|False|\{\w+\}|“”|（）")
    leaks = [line for lines in WORDING.values() for line in lines if bad.search(line)]
    assert leaks == []
    assert sum(len(lines) for lines in WORDING.values()) > 150


def test_h301_suggests_the_bureau_area_code(outcomes: dict[str, list[str]]) -> None:
    wording = WORDING["H301 landline without area code suggests the bureau's"]
    assert any("本地应写 0710-1234568" in line for line in wording), wording


def test_lateness_is_a_status_not_an_error(tmp_path: Path) -> None:
    case = next(c for c in CASES if c["name"].startswith("v2 lateness"))
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(tmp_path)
        run_case(case, tmp_path)
    result = check_project(tmp_path / "schools", today=date(2026, 9, 10), jobs=1)
    assert result.errors == 0
    status = next(c for c in result.compliance if c.school_id == "demo-school")
    assert status.status == "late" and any("应先公示后收费" in r for r in status.reasons), status
