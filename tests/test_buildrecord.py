"""Never publish an unchecked site, whatever builds it: the build record the plugin writes last, and
`xiaowu verify`, `scripts/publish.py` and the workflows refusing a site from the real engines that
ignore the plugin (Zensical, MkDocs without it), a record copied from another build, other data, and
a site edited after its build."""
from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from xiaowu.publish import buildrecord

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GOLDENS = Path(__file__).parent / "goldens"
EPOCH = "1795219200"  # 2026-11-21
REFUSED = "未通过核对：这个网站不能发布。"


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_COLOR": "1"})


def _example(root: Path, config: str | None = None) -> Path:
    """The example (docs, the 48 schools, mkdocs.yml, optionally rewritten) in ``root``."""
    root.mkdir(parents=True)
    for name in ("docs", "schools"):
        shutil.copytree(REPO / name, root / name)
    (root / "mkdocs.yml").write_text(config or (REPO / "mkdocs.yml").read_text("utf-8"), "utf-8")
    return root


def _config(language: str = "zh-CN", plugin: str | None = "xiaowu") -> str:
    text = (REPO / "mkdocs.yml").read_text("utf-8").replace("language: zh-CN", f"language: {language}")
    plugin_entry = "  - xiaowu:\n      data_dir: schools\n"
    assert plugin_entry in text
    return text.replace(plugin_entry, f"  - {plugin}:\n      data_dir: schools\n" if plugin else "")


def _verify(site: Path, data: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return _run([str(BIN / "xiaowu"), "verify", str(site), "--data", str(data), *flags], site.parent)


def _refused(proc: subprocess.CompletedProcess[str], *reasons: str) -> None:
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert REFUSED in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    for reason in reasons:
        assert reason in proc.stderr, proc.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example built once by MkDocs with the plugin (`mkdocs build --strict`)."""
    project = _example(tmp_path_factory.mktemp("mkdocs") / "project")
    proc = _run([sys.executable, "-m", "mkdocs", "build", "--strict"], project)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return project


@pytest.fixture(scope="module")
def zensical(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example built by Zensical with `language: zh` (with zh-CN it stops, see below)."""
    project = _example(tmp_path_factory.mktemp("zensical") / "project", _config("zh"))
    proc = _run([str(BIN / "zensical"), "build", "-f", "mkdocs.yml"], project)
    assert proc.returncode == 0, proc.stderr[-3000:]  # the danger: a green build
    return project


def _copy(project: Path, tmp_path: Path) -> Path:
    """A copy of a built project to change (the module's builds are shared)."""
    copy = tmp_path / "copy"
    shutil.copytree(project, copy)
    return copy


# -- What the plugin writes ---------------------------------------------------------------------------

def test_the_plugin_records_the_data_the_rules_the_check_and_every_file(built: Path) -> None:
    site, schools = built / "site", built / "schools"
    record = json.loads((site / "xiaowu-build.json").read_text("utf-8"))
    data = sorted(p.relative_to(schools).as_posix() for p in schools.rglob("*") if p.is_file())
    assert sorted(record["data"]["by_file"]) == data and "policy.yml" in data and "oversight.yml" in data
    assert record["data"]["by_file"]["qingshi/qingshi-00003.yml"] == buildrecord.tree(schools)["qingshi/qingshi-00003.yml"]
    output = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert sorted(record["output"]["by_file"]) == [p for p in output if p != "xiaowu-build.json"]
    assert "pagefind/pagefind.js" in record["output"]["by_file"] and "data/fees.csv" in record["output"]["by_file"]
    assert record["check"] == {"errors": 0, "warnings": 0, "strict": True, "passed": True}
    assert record["built"] == "2026-11-21" and record["generator"]["ruleset"] == buildrecord.ruleset()
    assert record["counts"]["school_files"] == len(list(schools.glob("*/*.yml"))) == 48
    fees = (site / "data" / "fees.csv").read_text("utf-8-sig").count("\n") - 1
    assert record["counts"]["export_rows"]["data/fees.csv"] == fees > 48


def test_mkdocs_with_the_plugin_is_accepted_and_its_home_page_has_no_notice(built: Path) -> None:
    proc = _verify(built / "site", built / "schools", "--strict")
    assert proc.returncode == 0, proc.stderr
    assert "核对通过" in proc.stdout and "48 个学校文件" in proc.stdout
    assert 'class="xiaowu-unchecked"' in (built / "docs" / "index.md").read_text("utf-8")
    assert "xiaowu-unchecked" not in (built / "site" / "index.html").read_text("utf-8")


def test_the_rule_set_version_follows_the_rule_table(monkeypatch: pytest.MonkeyPatch) -> None:
    before = buildrecord.ruleset()
    monkeypatch.setitem(buildrecord.RULES, "F207", dataclasses.replace(buildrecord.RULES["F207"], severity="warning"))
    assert buildrecord.ruleset() != before


# -- Engines that ignore the plugin -------------------------------------------------------------------

def test_zensical_builds_only_the_hand_written_pages_and_verify_refuses_it(zensical: Path) -> None:
    site = zensical / "site"
    assert (site / "index.html").is_file() and not (site / "schools" / "qingshi").exists()
    assert not (site / "xiaowu-build.json").exists()
    assert "本页不是由 xiaowu 插件生成的" in (site / "index.html").read_text("utf-8")  # the notice shows
    _refused(_verify(site, zensical / "schools"), "没有 xiaowu 的生成记录", "Zensical")


def test_zensical_with_the_sites_own_language_stops(tmp_path: Path) -> None:
    """With mkdocs.yml as it is (`language: zh-CN`, a template only our plugin's theme provides),
    Zensical stops; with `zh` it succeeds (the fixture above), which is the dangerous case."""
    project = _example(tmp_path / "project")
    proc = _run([str(BIN / "zensical"), "build", "-f", "mkdocs.yml"], project)
    assert proc.returncode != 0 and "zh-CN" in proc.stdout + proc.stderr


@pytest.mark.parametrize("strict", [False, True])
def test_mkdocs_without_the_plugin_warns_and_is_refused(tmp_path: Path, strict: bool) -> None:
    """MkDocs 1.6 without the plugin: the pages only the plugin generates are missing from the nav and
    the links; these are warnings, so only --strict stops the build (the workflows and publish.py all
    build with --strict). Either way the folder it leaves is refused."""
    project = _example(tmp_path / "project", _config("zh", plugin=None))
    proc = _run([sys.executable, "-m", "mkdocs", "build", *(["--strict"] if strict else [])], project)
    missing = "A reference to 'rules.md' is included in the 'nav' configuration, which is not found"
    assert missing in proc.stderr and "WARNING" in proc.stderr
    assert proc.returncode == (1 if strict else 0), proc.stderr[-2000:]
    if strict:
        assert "Aborted with" in proc.stdout + proc.stderr
    assert "本页不是由 xiaowu 插件生成的" in (project / "site" / "index.html").read_text("utf-8")
    _refused(_verify(project / "site", project / "schools"), "没有 xiaowu 的生成记录")


@pytest.mark.parametrize("config", ["zh-CN", "renamed"])
def test_mkdocs_stops_without_the_plugin_on_the_sites_language_or_a_misspelt_plugin(tmp_path: Path, config: str) -> None:
    text = _config("zh-CN", None) if config == "zh-CN" else _config("zh-CN", "xiaowu-checks")
    proc = _run([sys.executable, "-m", "mkdocs", "build"], _example(tmp_path / "project", text))
    assert proc.returncode != 0
    assert ("partials/languages/zh-CN.html" if config == "zh-CN" else "xiaowu-checks") in proc.stderr


# -- Records that do not belong to the site -----------------------------------------------------------

def test_a_record_copied_into_a_zensical_site_is_refused(zensical: Path, built: Path, tmp_path: Path) -> None:
    copy = _copy(zensical, tmp_path)
    shutil.copy(built / "site" / "xiaowu-build.json", copy / "site" / "xiaowu-build.json")
    _refused(_verify(copy / "site", copy / "schools"), "网站的文件与生成记录 xiaowu-build.json 不符",
             "缺少 ", "个文件有改动（404.html、clerks/index.html、index.html 等）")


def test_a_record_from_a_build_of_other_data_is_refused(built: Path, tmp_path: Path) -> None:
    """A second real build, of one school: the example's record copied into it names other data."""
    other = tmp_path / "other"
    (other / "schools" / "demo").mkdir(parents=True)
    shutil.copytree(REPO / "docs", other / "docs")
    shutil.copy(REPO / "mkdocs.yml", other / "mkdocs.yml")
    shutil.copy(GOLDENS / "policy.yml", other / "schools" / "policy.yml")
    shutil.copy(GOLDENS / "school.yml", other / "schools" / "demo" / "demo-school.yml")
    proc = _run([sys.executable, "-m", "mkdocs", "build", "--strict"], other)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert _verify(other / "site", other / "schools", "--strict").returncode == 0  # its own record is good
    shutil.copy(built / "site" / "xiaowu-build.json", other / "site" / "xiaowu-build.json")
    _refused(_verify(other / "site", other / "schools"), "网站是用另一份资料生成的", "多出 1 个文件（demo/demo-school.yml）",
             "缺少 50 个文件", "有改动（policy.yml）", "网站的文件与生成记录 xiaowu-build.json 不符")


def test_a_site_is_refused_against_data_other_than_its_own(built: Path, tmp_path: Path) -> None:
    data = tmp_path / "schools"
    shutil.copytree(built / "schools", data)
    school = data / "qingshi" / "qingshi-00003.yml"
    school.write_text(school.read_text("utf-8") + "# 改动\n", "utf-8")
    (data / "exceptions.yml").unlink()
    (data / "yunling" / "new-school.yml").write_text("profile: {}\n", "utf-8")
    _refused(_verify(built / "site", data), "网站是用另一份资料生成的：", "1 个文件有改动（qingshi/qingshi-00003.yml）",
             "缺少 1 个文件（exceptions.yml）", "多出 1 个文件（yunling/new-school.yml）")


def test_a_site_edited_after_its_build_is_refused(built: Path, tmp_path: Path) -> None:
    copy = _copy(built, tmp_path)
    page = copy / "site" / "schools" / "qingshi" / "qingshi-00003" / "index.html"
    page.write_text(page.read_text("utf-8").replace("</body>", "<script>x()</script></body>"), "utf-8")
    (copy / "site" / "data" / "refunds.csv").unlink()
    (copy / "site" / "extra.html").write_text("<html></html>", "utf-8")
    _refused(_verify(copy / "site", copy / "schools"), "1 个文件有改动（schools/qingshi/qingshi-00003/index.html）",
             "缺少 1 个文件（data/refunds.csv）", "多出 1 个文件（extra.html）")


# -- Records that say no ------------------------------------------------------------------------------

def _rewrite(site: Path, change: dict[str, object]) -> None:
    path = site / "xiaowu-build.json"
    record = json.loads(path.read_text("utf-8"))
    for dotted, value in change.items():
        section, key = dotted.split(".")
        record[section][key] = value
    path.write_text(json.dumps(record), "utf-8")


def test_a_failed_check_or_other_rules_are_refused(built: Path, tmp_path: Path) -> None:
    copy = _copy(built, tmp_path)
    site, data = copy / "site", copy / "schools"
    _rewrite(site, {"check.warnings": 2, "check.strict": False})
    assert _verify(site, data).returncode == 0  # warnings pass a build that was not strict ...
    _refused(_verify(site, data, "--strict"), "有 2 个警告")  # ... but not a strict publisher
    _rewrite(site, {"check.strict": True, "check.passed": False})
    _refused(_verify(site, data), "生成网站时的检查没有通过（0 个错误、2 个警告）")
    _rewrite(site, {"check.warnings": 0, "check.passed": True, "generator.ruleset": "sha256:" + "0" * 64})
    _refused(_verify(site, data), "另一版本的检查规则")


@pytest.mark.parametrize("content", ["{not json", '{"format": "xiaowu-build/0"}', "[]", '{"format": "xiaowu-build/1"}'])
def test_a_damaged_record_is_refused_in_words(built: Path, tmp_path: Path, content: str) -> None:
    copy = _copy(built, tmp_path)
    (copy / "site" / "xiaowu-build.json").write_text(content, "utf-8")
    _refused(_verify(copy / "site", copy / "schools"), "已损坏")


def test_verify_needs_a_site_and_its_data(built: Path, tmp_path: Path) -> None:
    _refused(_verify(tmp_path / "nothing", built / "schools"), "不是生成好的网站")
    _refused(_verify(built / "site", tmp_path / "nothing"), "找不到资料文件夹")


# -- Every publishing path ----------------------------------------------------------------------------

def _publish(site: Path, data: Path, target: Path) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, str(REPO / "scripts" / "publish.py"), "--target", str(target), "--site", str(site),
                 "--data", str(data)], REPO)


def test_publish_switches_to_a_verified_site_and_refuses_zensicals(built: Path, zensical: Path, tmp_path: Path) -> None:
    target = tmp_path / "www" / "xiaowu"
    good = _publish(built / "site", built / "schools", target)
    assert good.returncode == 0 and "核对通过" in good.stdout, good.stderr
    live = target.resolve()
    for site, data in ((zensical / "site", zensical / "schools"), (built / "site", zensical / "docs")):
        refused = _publish(site, data, target)
        assert refused.returncode == 1 and "原网站保持不变" in refused.stderr and "Traceback" not in refused.stderr
        assert target.resolve() == live
    assert "没有 xiaowu 的生成记录" in _publish(zensical / "site", zensical / "schools", target).stderr
    assert [p.name for p in (tmp_path / "www" / ".xiaowu-releases").iterdir()] == [live.name]  # refused ones removed
    # What went live is still exactly what was built and checked, marker and all.
    assert _verify(target, built / "schools", "--strict").returncode == 0


def _workflow_verification(path: str, job: str) -> tuple[list[str], str]:
    """The commands of a workflow job, and its verification command."""
    config = yaml.safe_load((REPO / path).read_text("utf-8"))
    if path.endswith(".gitlab-ci.yml"):
        commands = list(config[job]["script"])
    else:
        commands = [s.get("run", s.get("uses", "")) for s in config["jobs"][job]["steps"]]
    verification = [c for c in commands if "xiaowu verify" in c]
    assert len(verification) == 1, commands
    return commands, verification[0]


@pytest.mark.parametrize(("path", "job", "site"), [(".github/workflows/publish.yml", "build", "site"),
                                                   (".gitlab-ci.yml", "pages", "public"),
                                                   (".github/workflows/check.yml", "check", "site")])
def test_each_workflow_verifies_after_its_strict_build_and_before_deploying(
        path: str, job: str, site: str, zensical: Path, built: Path, tmp_path: Path) -> None:
    commands, verification = _workflow_verification(path, job)
    build = next(i for i, c in enumerate(commands) if "mkdocs build" in c)
    assert "--strict" in commands[build] and commands.index(verification) > build
    assert verification.split() == [".venv/bin/xiaowu", "verify", site, "--strict"]
    if "upload-pages-artifact" in " ".join(commands):
        assert commands.index(verification) < next(i for i, c in enumerate(commands) if "upload-pages-artifact" in c)
    # The step itself, run as the runner would, on what Zensical built and on what MkDocs built.
    for source, code in ((zensical, 1), (built, 0)):
        project = tmp_path / f"{source.name}-{code}"
        project.mkdir()
        shutil.copytree(source / "schools", project / "schools")
        shutil.copytree(source / "site", project / site)
        (project / ".venv").symlink_to(REPO / ".venv")
        proc = subprocess.run(verification, shell=True, cwd=project, capture_output=True, text=True, timeout=300)
        assert proc.returncode == code, proc.stdout + proc.stderr


def test_publish_refuses_a_green_strict_build_without_the_plugin(built: Path, tmp_path: Path) -> None:
    """A mkdocs.yml without the plugin whose warnings were quietened builds green even with --strict;
    publish.py's own build is then refused by the verification, and the live site stays."""
    quiet = _config("zh", plugin=None) + "validation:\n  nav:\n    not_found: ignore\n  links:\n    not_found: ignore\n"
    project = _example(tmp_path / "project", quiet)
    (project / "scripts").mkdir()
    shutil.copy(REPO / "scripts" / "publish.py", project / "scripts" / "publish.py")
    (project / ".venv").symlink_to(REPO / ".venv")
    green = _run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "green")], project)
    assert green.returncode == 0, green.stderr[-2000:]
    target = tmp_path / "www" / "xiaowu"
    assert _publish(built / "site", project / "schools", target).returncode == 0
    live = target.resolve()
    proc = _run([sys.executable, "scripts/publish.py", "--target", str(target), "--mkdocs", f"{sys.executable} -m mkdocs"],
                project)
    assert proc.returncode == 1 and "没有 xiaowu 的生成记录" in proc.stderr and "原网站保持不变" in proc.stderr, proc.stderr
    assert target.resolve() == live and (target / "schools" / "qingshi" / "qingshi-00003" / "index.html").is_file()
