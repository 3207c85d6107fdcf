"""MkDocs builds: the example is clean with --strict; an error stops the build with its line."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from xiaowu.publish.buildrecord import verify

REPO = Path(__file__).resolve().parents[1]
GOLDENS = Path(__file__).parent / "goldens"


def _mkdocs(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(cwd / "site"), *args],
                          cwd=cwd, capture_output=True, text=True, timeout=600)


def _project(tmp_path: Path) -> Path:
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(REPO / "docs", tmp_path / "docs")
    (tmp_path / "schools" / "demo").mkdir(parents=True)
    shutil.copy(GOLDENS / "policy.yml", tmp_path / "schools" / "policy.yml")
    shutil.copy(GOLDENS / "school.yml", tmp_path / "schools" / "demo" / "demo-school.yml")
    return tmp_path


def test_example_builds_strict(tmp_path: Path) -> None:
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(REPO / "docs", tmp_path / "docs")
    shutil.copytree(REPO / "schools", tmp_path / "schools")
    proc = _mkdocs(tmp_path, "--strict")
    assert proc.returncode == 0, proc.stderr
    rules = (tmp_path / "site" / "rules" / "index.html").read_text("utf-8").replace("<wbr>", "")  # word breaks (issue 24)
    assert 'id="F207"' in rules and "超标准收费" in rules
    assert "fonts.googleapis.com" not in (tmp_path / "site" / "index.html").read_text("utf-8")


def test_example_builds_with_properdocs_too(tmp_path: Path) -> None:
    """ProperDocs, the MkDocs 1.x fork that keeps running MkDocs plugins, builds the same site (the
    way a bureau moves when MkDocs 2.0 drops plugins): same pages, same exports, same refusal."""
    properdocs = Path(sys.executable).parent / "properdocs"
    assert properdocs.exists(), "properdocs is a test dependency (pyproject.toml)"
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(REPO / "docs", tmp_path / "docs")
    shutil.copytree(REPO / "schools", tmp_path / "schools")
    proc = subprocess.run([str(properdocs), "build", "--strict", "-f", "mkdocs.yml", "-d", str(tmp_path / "site")],
                          cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    site = tmp_path / "site"
    schools = sorted((tmp_path / "schools").glob("*/*.yml"))
    assert all((site / "schools" / p.parent.name / p.stem / "index.html").exists() for p in schools)
    assert (site / "data" / "fees.csv").exists() and (site / "pagefind" / "pagefind.js").exists()
    assert "收费目录" in (site / "catalog" / "index.html").read_text("utf-8")
    verdict = verify(site, tmp_path / "schools", strict=True)  # its build record: every publishing path accepts it
    assert verdict.accepted and "48 个学校文件" in verdict.summary, verdict.problems
    school = next(iter(schools))
    school.write_text(school.read_text("utf-8").replace("  ownership: ", "  ownership: 公立\n  oldowner: ", 1), "utf-8")
    refused = subprocess.run([str(properdocs), "build", "-f", "mkdocs.yml", "-d", str(tmp_path / "site2")],
                             cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert refused.returncode != 0 and "S10" in refused.stderr


def test_error_stops_the_build_with_its_line(tmp_path: Path) -> None:
    project = _project(tmp_path)
    school = project / "schools" / "demo" / "demo-school.yml"
    school.write_text(school.read_text("utf-8").replace("amount: 450", "amount: 520"), "utf-8")
    proc = _mkdocs(project)
    assert proc.returncode != 0
    assert "schools/demo/demo-school.yml:29:17: F207" in proc.stderr
    assert "详见：https://xiaowu.qingshi.example.cn/rules/#F207" in proc.stderr  # the help links the rules page
    assert not (project / "site" / "index.html").exists()


def test_warning_stops_only_strict(tmp_path: Path) -> None:
    project = _project(tmp_path)
    school = project / "schools" / "demo" / "demo-school.yml"
    school.write_text(school.read_text("utf-8").replace("示发改收费〔2025〕21号", "示发改收费21号"), "utf-8")
    assert _mkdocs(project).returncode == 0
    strict = _mkdocs(project, "--strict")
    assert strict.returncode != 0 and "F203" in strict.stderr
