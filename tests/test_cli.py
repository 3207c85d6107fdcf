"""The `xiaowu` command: check (text/json/github, exit codes), new, and the example data."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from xiaowu.cli import main
from xiaowu.read.schema import load_schema

REPO = Path(__file__).resolve().parents[1]
GOLDENS = Path(__file__).parent / "goldens"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    schools = tmp_path / "schools"
    (schools / "demo").mkdir(parents=True)
    shutil.copy(GOLDENS / "policy.yml", schools / "policy.yml")
    shutil.copy(GOLDENS / "school.yml", schools / "demo" / "demo-school.yml")
    monkeypatch.chdir(tmp_path)
    return schools


def test_example_data_is_clean(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(REPO)
    assert main(["check", "--strict", "--today", "2026-11-21"]) == 0
    out = capsys.readouterr().out
    assert "0 个错误，0 个警告" in out
    counts = re.search(r"共检查 (\d+) 个学校文件", out)
    assert counts and 40 <= int(counts.group(1)) <= 60
    # a few schools are late, overdue or missing so the compliance status has something to show
    for label in ("逾期未公开", "逾期公开", "未提交"):
        assert label in out


def test_clean_project_exits_0(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--today", "2026-09-01"]) == 0
    assert "已按时公开 1" in capsys.readouterr().out


def _break(project: Path) -> None:
    path = project / "demo" / "demo-school.yml"
    text = path.read_text("utf-8").replace("amount: 450", "amount: 520").replace("  website:", "  webside:")
    path.write_text(text, "utf-8")
    other = project / "demo" / "second.yml"
    other.write_text("a: 1\n---\n", "utf-8")


def test_every_problem_in_every_file_in_one_run(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _break(project)
    assert main(["check", "--today", "2026-09-01"]) == 1
    out = capsys.readouterr().out
    assert "schools/demo/demo-school.yml:12:3: S102 [错误] 未知字段“webside”，是不是要写“website”？" in out
    assert "schools/demo/demo-school.yml:29:17: F207 [错误]" in out
    assert "schools/demo/second.yml:2:1: Y010" in out
    assert "  = 帮助: " in out and "  = 依据: " in out


def test_json_format_has_a_stable_shape(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _break(project)
    assert main(["check", "--format", "json", "--today", "2026-09-01"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert list(report) == ["schema_version", "today", "files_checked", "errors", "warnings", "diagnostics",
                            "accepted", "compliance"]
    first = report["diagnostics"][0]
    assert list(first) == ["file", "line", "column", "code", "severity", "message", "help", "basis",
                           "accepted_by", "url"]
    assert report["files_checked"] == 2 and report["errors"] == report["diagnostics"].__len__()


def test_github_annotations(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _break(project)
    assert main(["check", "--format", "github", "--today", "2026-09-01"]) == 1
    out = capsys.readouterr().out
    assert "::error file=schools/demo/demo-school.yml,line=29,col=17,title=F207 超标准收费::" in out
    line = next(entry for entry in out.splitlines() if "line=29" in entry)
    assert "\n" not in line and "%0A帮助: " in line


def test_warnings_fail_only_strict(project: Path) -> None:
    path = project / "demo" / "demo-school.yml"
    path.write_text(path.read_text("utf-8").replace("document: 示发改收费〔2025〕21号", "document: 示发改收费21号"),
                    "utf-8")
    assert main(["check", "--today", "2026-09-01"]) == 0
    assert main(["check", "--strict", "--today", "2026-09-01"]) == 1


def test_one_file_can_be_checked(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _break(project)
    assert main(["check", "schools/demo/second.yml"]) == 1
    out = capsys.readouterr().out
    assert "second.yml" in out and "demo-school.yml" not in out


@pytest.mark.parametrize("argv", [["check", "nope.yml"], ["check", "--today", "2026-13-01"], ["check", "--format", "xml"],
                                  ["new", "Bad_Id", "--county", "demo"], ["new", "ok", "--county", "zzz"], ["frobnicate"]])
def test_usage_errors_exit_2(project: Path, argv: list[str]) -> None:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        code = int(exc.code or 0)
    assert code == 2


def test_today_from_source_date_epoch(project: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1788220800")  # 2026-09-01
    main(["check"])
    assert "以 2026-09-01 计" in capsys.readouterr().out


def _fill(text: str) -> str:
    """Fill every blank in a template with the schema's example for that key (what a clerk does)."""
    school = load_schema("school")
    examples: dict[str, str] = {}

    def collect(node: object) -> None:
        if isinstance(node, dict):
            for key, sub in node.get("properties", {}).items():
                if isinstance(sub, dict) and isinstance(sub.get("x-example"), str):
                    examples.setdefault(key, sub["x-example"])
            for value in node.values():
                collect(value)
    collect(school)
    examples.update({"item": "住宿费", "stage": "高中", "amount": "450", "term": "2026-秋", "published": "2026-08-15",
                     "valid_from": "2026-09-01", "valid_until": "2027-01-22", "name": "示范县第二中学",
                     "category": "行政事业性收费", "voluntary": "否", "document": "示发改收费〔2025〕18号"})
    out = []
    key_path: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        match = re.match(r"^(\s*)(- )?([a-z_]+):$", line)
        if match and not stripped.startswith("#"):
            key = match.group(3)
            key_path.append(key)
            if key in examples and key not in ("items", "channels", "stages", "hotlines", "basis", "complaint_channels"):
                line = f"{line} {json.dumps(examples[key], ensure_ascii=False)}"
        elif stripped == "-":
            parent = next((k for k in reversed(key_path) if k in ("stages", "channels", "complaint_channels")), "")
            # The hotline was named like the school above; the blank channel refers to it.
            value = {"stages": "高中", "channels": "校门口收费公示栏", "complaint_channels": "示范县第二中学"}[parent]
            line = f"{line.rstrip()} {value}"
        out.append(line)
    return "\n".join(out) + "\n"


def test_new_writes_a_template_that_passes_once_filled(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "demo-two", "--county", "demo"]) == 0
    path = project / "demo" / "demo-two.yml"
    text = path.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert "# 学校名称：学校全称，与公章一致，与本局应公开学校名单中的名称相同。" in text
    # Unfilled, the template lists exactly what is missing:
    assert main(["check", "schools/demo/demo-two.yml", "--today", "2026-09-01"]) == 1
    assert "未填写" in capsys.readouterr().out
    filled = _fill(text).replace("\n    hours:", "\n    # hours:")
    path.write_text(filled, "utf-8")
    policy = yaml.safe_load((project / "policy.yml").read_text("utf-8"))
    policy["roster"].append({"id": "demo-two", "county": "demo", "name": "示范县第二中学"})
    (project / "policy.yml").write_text(yaml.safe_dump(policy, allow_unicode=True), "utf-8")
    code = main(["check", "schools/demo/demo-two.yml", "--strict", "--today", "2026-09-01"])
    assert code == 0, capsys.readouterr().out


def test_new_refuses_to_overwrite(project: Path) -> None:
    assert main(["new", "demo-school", "--county", "demo"]) == 1
    assert "示范县第一中学" in (project / "demo" / "demo-school.yml").read_text("utf-8")
