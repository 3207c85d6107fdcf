"""From a clerk's commit to the published site: workflows, scope check, atomic publishing,
pre-commit, editor settings and the generated part of the clerk guide."""
from __future__ import annotations

import fnmatch
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from xiaowu.findings.table import COMMON_ERRORS, RULES

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
EPOCH = "1795219200"  # 2026-11-21


def _run(command: list[str] | str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=900, shell=isinstance(command, str),
                          executable="/bin/bash" if isinstance(command, str) else None,
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **env})


def _project(tmp_path: Path) -> Path:
    """A copy of the repository's working files, sharing this checkout's .venv (no reinstall)."""
    # The copy's `bash scripts/setup.sh` must find the shared .venv up to date, or it would reinstall
    # the package from the copy and leave the shared .venv pointing into this temporary folder.
    subprocess.run(["bash", "scripts/setup.sh", "test"], cwd=REPO, check=True, capture_output=True)
    project = tmp_path / "repo"
    project.mkdir()
    for name in ("docs", "schools", "scripts", "plugins", ".ci", ".github", ".gitlab"):
        shutil.copytree(REPO / name, project / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("mkdocs.yml", "pyproject.toml", ".gitlab-ci.yml", ".pre-commit-config.yaml", ".pre-commit-hooks.yaml"):
        shutil.copy2(REPO / name, project / name)
    (project / ".venv").symlink_to(REPO / ".venv")
    # The form editor's npm folder, sharing this checkout's installed node_modules the same way.
    shutil.copytree(REPO / "editor", project / "editor", ignore=shutil.ignore_patterns("node_modules"))
    (project / "editor" / "node_modules").symlink_to(REPO / "editor" / "node_modules")
    return project


def _break(project: Path) -> Path:
    bad = project / "schools" / "qingshi" / "qingshi-00003.yml"
    bad.write_text(re.sub(r"amount: \d+", "amount: 99999", bad.read_text("utf-8"), count=1), "utf-8")
    return bad


# -- GitHub Actions -------------------------------------------------------------------------------

def test_github_workflows_pass_actionlint() -> None:
    workflows = sorted(str(p) for p in (REPO / ".github" / "workflows").glob("*.yml"))
    assert len(workflows) == 3
    proc = _run([str(BIN / "actionlint"), *workflows], REPO)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_github_workflows_run_the_checks_and_deploy_only_after_them() -> None:
    check = yaml.safe_load((REPO / ".github/workflows/check.yml").read_text("utf-8"))
    steps = [s.get("run", "") for s in check["jobs"]["check"]["steps"]]
    assert ".venv/bin/xiaowu check --format github" in steps and ".venv/bin/mkdocs build --strict" in steps
    assert set(check[True]) == {"push", "pull_request"}  # YAML 1.1 reads the key `on` as True
    publish = yaml.safe_load((REPO / ".github/workflows/publish.yml").read_text("utf-8"))
    assert publish["jobs"]["deploy"]["needs"] == "build"
    assert any("mkdocs build --strict" in s.get("run", "") for s in publish["jobs"]["build"]["steps"])
    # Nothing is deployed, nor a pull request passed, unless the plugin's build record verifies.
    runs = [s.get("run", "") for s in publish["jobs"]["build"]["steps"]]
    assert ".venv/bin/xiaowu verify site --strict" in runs and ".venv/bin/xiaowu verify site --strict" in steps
    scope = yaml.safe_load((REPO / ".github/workflows/scope.yml").read_text("utf-8"))
    assert "pull_request_target" in scope[True]
    assert all("head.sha" not in str(s.get("with", {}).get("ref", "")) for s in scope["jobs"]["scope"]["steps"])


# -- GitLab CI ------------------------------------------------------------------------------------

def _gitlab_script(job: str) -> list[str]:
    config = yaml.safe_load((REPO / ".gitlab-ci.yml").read_text("utf-8"))
    assert set(config["stages"]) == {"check", "publish"}
    return list(config[job]["script"])


def test_gitlab_check_and_pages_scripts_run_locally(tmp_path: Path) -> None:
    project = _project(tmp_path)
    for line in _gitlab_script("check") + _gitlab_script("pages"):
        proc = _run(line, project)
        assert proc.returncode == 0, (line, proc.stdout[-2000:], proc.stderr[-2000:])
    assert json.loads((project / "gl-code-quality-report.json").read_text("utf-8")) == []
    assert (project / "public" / "schools" / "qingshi" / "qingshi-00003" / "index.html").is_file()
    assert "xiaowu：读取 48 个学校文件" in (project / "build.log").read_text("utf-8")
    assert (project / "public" / "xiaowu-build.json").is_file()  # and the pages job verified it


def test_gitlab_check_fails_on_bad_data_and_reports_the_line(tmp_path: Path) -> None:
    project = _project(tmp_path)
    bad = _break(project)
    line = next(i for i, text in enumerate(bad.read_text("utf-8").splitlines(), 1) if "99999" in text)
    results = [_run(command, project) for command in _gitlab_script("check")]
    assert any(r.returncode != 0 for r in results)
    report = json.loads((project / "gl-code-quality-report.json").read_text("utf-8"))
    assert {"path": "schools/qingshi/qingshi-00003.yml", "lines": {"begin": line}} in [i["location"] for i in report]
    assert any(i["check_name"] == "F207" and i["severity"] == "major" for i in report)


# -- Who may change what --------------------------------------------------------------------------

def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.cn", *args], cwd=cwd, check=True,
                          capture_output=True, text=True).stdout.strip()


#: The owners map of the scope fixture: one clerk per school, two for b, a county clerk for baihe/.
OWNERS = ("* @org/maintainers\nqingshi/a clerk  # the clerk of school a\nqingshi/b @clerk-b Clerk-B2\n"
          "baihe/ county-clerk\nqingshi/new-school clerk\n")


@pytest.fixture()
def repository(tmp_path: Path) -> Path:
    repo = tmp_path / "scope"
    (repo / "schools" / "qingshi").mkdir(parents=True)
    (repo / ".ci").mkdir()
    (repo / ".ci" / "maintainers").write_text("# maintainers\nadmin\n", "utf-8")
    (repo / "mkdocs.yml").write_text("site_name: x\n", "utf-8")
    (repo / ".ci" / "owners").write_text(OWNERS, "utf-8")
    (repo / "schools" / "baihe").mkdir()
    for path in ("qingshi/a.yml", "qingshi/b.yml", "qingshi/unlisted.yml", "baihe/c.yml"):
        (repo / "schools" / path).write_text("profile: {}\n", "utf-8")
    (repo / "schools" / "policy.yml").write_text("authority: x\n", "utf-8")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "base")
    return repo


def _scope(repo: Path, author: str, changes: dict[str, str | None],
           renames: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Check a change by ``author``: each path written (None: deleted), each rename done with git mv."""
    base = _git(repo, "rev-parse", "HEAD")
    _git(repo, "checkout", "-q", "-B", f"change-{len(changes)}-{author}", base)
    for old, new in (renames or {}).items():
        (repo / new).parent.mkdir(parents=True, exist_ok=True)
        _git(repo, "mv", old, new)
    for path, text in changes.items():
        if text is None:
            (repo / path).unlink()
        else:
            (repo / path).parent.mkdir(parents=True, exist_ok=True)
            (repo / path).write_text(text, "utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "change")
    proc = _run([sys.executable, str(REPO / "scripts" / "check_scope.py"), "--author", author, "--base", base], repo)
    _git(repo, "checkout", "-q", "main")
    return proc


def test_scope_clerk_may_change_school_files(repository: Path) -> None:
    assert _scope(repository, "clerk", {"schools/qingshi/a.yml": "profile: {name: x}\n"}).returncode == 0


@pytest.mark.parametrize("path", ["mkdocs.yml", "schools/policy.yml"])
def test_scope_clerk_may_not_change_config_or_policy(repository: Path, path: str) -> None:
    proc = _scope(repository, "clerk", {path: "changed: true\n"})
    assert proc.returncode == 1 and path in proc.stdout


def test_scope_a_change_cannot_add_its_author_to_the_maintainers(repository: Path) -> None:
    proc = _scope(repository, "clerk", {".ci/maintainers": "admin\nclerk\n", "mkdocs.yml": "x: 1\n"})
    assert proc.returncode == 1 and "mkdocs.yml" in proc.stdout


def test_scope_maintainer_may_change_anything(repository: Path) -> None:
    assert _scope(repository, "admin", {"mkdocs.yml": "x: 1\n", "schools/policy.yml": "y: 2\n"}).returncode == 0


@pytest.mark.parametrize("author", ["clerk", "admin"])
def test_scope_nobody_may_commit_a_link_under_schools(repository: Path, author: str) -> None:
    base = _git(repository, "rev-parse", "HEAD")
    _git(repository, "checkout", "-q", "-B", f"link-{author}", base)
    (repository / "schools" / "qingshi" / "link.yml").symlink_to("/etc/passwd")
    _git(repository, "add", "-A")
    _git(repository, "commit", "-qm", "link")
    proc = _run([sys.executable, str(REPO / "scripts" / "check_scope.py"), "--author", author, "--base", base],
                repository)
    _git(repository, "checkout", "-q", "main")
    assert proc.returncode == 1 and "schools/qingshi/link.yml 是一个符号链接" in proc.stdout


def test_scope_clerk_may_not_approve_exceptions(repository: Path) -> None:
    proc = _scope(repository, "clerk", {"schools/exceptions.yml": "exceptions: []\n"})
    assert proc.returncode == 1 and "schools/exceptions.yml" in proc.stdout


# -- One clerk, one school ------------------------------------------------------------------------

@pytest.mark.parametrize(("changes", "renames"), [
    ({"schools/qingshi/a.yml": "profile: {name: x}\n"}, {}),
    ({"schools/qingshi/a.yml": None}, {}),  # deleting the own file
    ({"schools/qingshi/new-school.yml": "profile: {}\n"}, {}),  # adding a school the map gives to clerk
    ({}, {"schools/qingshi/a.yml": "schools/qingshi/new-school.yml"}),  # both ends owned
], ids=["edit", "delete", "add", "rename"])
def test_scope_a_clerk_may_change_their_own_school(repository: Path, changes: dict[str, str | None],
                                                  renames: dict[str, str]) -> None:
    proc = _scope(repository, "clerk", changes, renames)
    assert proc.returncode == 0, proc.stdout


@pytest.mark.parametrize("author", ["clerk-b", "CLERK-B", "clerk-b2"])  # logins are case-insensitive
def test_scope_every_account_of_a_school_may_change_it(repository: Path, author: str) -> None:
    assert _scope(repository, author, {"schools/qingshi/b.yml": "x: 1\n"}).returncode == 0


@pytest.mark.parametrize("path", ["schools/baihe/c.yml", "schools/baihe/d-new.yml"])
def test_scope_a_county_clerk_may_change_every_school_of_the_county(repository: Path, path: str) -> None:
    assert _scope(repository, "county-clerk", {path: "x: 1\n"}).returncode == 0


@pytest.mark.parametrize(("author", "changes", "renames", "refused", "owners"), [
    ("clerk", {"schools/qingshi/b.yml": "x: 1\n"}, {}, "schools/qingshi/b.yml", "clerk-b、Clerk-B2"),
    ("clerk", {"schools/qingshi/b.yml": None}, {}, "schools/qingshi/b.yml", "clerk-b、Clerk-B2"),
    ("clerk", {"schools/baihe/c.yml": "x: 1\n"}, {}, "schools/baihe/c.yml", "county-clerk"),
    ("clerk", {"schools/baihe/z.yml": "x: 1\n"}, {}, "schools/baihe/z.yml", "county-clerk"),
    ("clerk", {"schools/qingshi/unlisted.yml": "x: 1\n"}, {}, "schools/qingshi/unlisted.yml", "还没有登记"),
    ("clerk", {"schools/qingshi/c-new.yml": "x: 1\n"}, {}, "schools/qingshi/c-new.yml", "还没有登记"),
    ("clerk", {}, {"schools/qingshi/b.yml": "schools/qingshi/a2.yml"}, "schools/qingshi/b.yml", "clerk-b"),
    ("clerk", {}, {"schools/qingshi/a.yml": "schools/qingshi/b2.yml"}, "schools/qingshi/b2.yml", "还没有登记"),
    ("clerk", {}, {"schools/qingshi/a.yml": "schools/baihe/a.yml"}, "schools/baihe/a.yml", "county-clerk"),
    ("clerk", {"schools/qingshi/a.yaml": "x: 1\n"}, {}, "schools/qingshi/a.yaml", "不是学校资料文件"),
    ("clerk", {"schools/qingshi/a/x.yml": "x: 1\n"}, {}, "schools/qingshi/a/x.yml", "不是学校资料文件"),
    ("clerk", {"schools/qingshi/README.md": "x\n"}, {}, "schools/qingshi/README.md", "不是学校资料文件"),
    ("clerk", {"schools/a.yml": "x: 1\n"}, {}, "schools/a.yml", "不是学校资料文件"),
    ("county-clerk", {"schools/qingshi/a.yml": "x: 1\n"}, {}, "schools/qingshi/a.yml", "只能由 clerk 或"),
    ("nobody", {"schools/qingshi/a.yml": "x: 1\n"}, {}, "schools/qingshi/a.yml", "没有登记 nobody 负责的学校"),
    ("clerk", {"schools/qingshi/a.yml": "x: 2\n", "schools/qingshi/b.yml": "x: 2\n"}, {}, "schools/qingshi/b.yml",
     "clerk-b"),
], ids=["edit", "delete", "county-file", "county-new-file", "unlisted-file", "unlisted-new-file",
        "rename-away", "rename-onto", "move-to-other-county", "yaml-suffix", "subfolder", "readme", "top-level",
        "county-clerk-elsewhere", "no-school-at-all", "own-and-other"])
def test_scope_a_clerk_may_not_change_another_schools_file(
        repository: Path, author: str, changes: dict[str, str | None], renames: dict[str, str], refused: str,
        owners: str) -> None:
    proc = _scope(repository, author, changes, renames)
    assert proc.returncode == 1, proc.stdout
    line = next(text for text in proc.stdout.splitlines() if text.startswith(f"  {refused}："))
    assert owners in line, line
    assert "学校办事员只能修改自己负责的学校资料文件" in proc.stdout


def test_scope_the_refusal_names_the_school_and_its_owners(repository: Path) -> None:
    proc = _scope(repository, "clerk", {"schools/qingshi/b.yml": "x: 1\n"})
    assert "  schools/qingshi/b.yml：这是学校 qingshi/b 的资料文件，只能由 clerk-b、Clerk-B2 或维护人员修改；" \
           "clerk 负责的是 qingshi/a、qingshi/new-school" in proc.stdout


def test_scope_the_owners_map_is_maintainers_only(repository: Path) -> None:
    """A clerk who adds themselves to the map in the same change gains nothing: the map is read from
    the target branch, and the map itself is a file only maintainers may change."""
    proc = _scope(repository, "clerk", {".ci/owners": OWNERS + "qingshi/b clerk\n", "schools/qingshi/b.yml": "x\n"})
    assert proc.returncode == 1 and "  .ci/owners：只有维护人员" in proc.stdout and "  schools/qingshi/b.yml：" in proc.stdout
    assert _scope(repository, "admin", {".ci/owners": OWNERS + "qingshi/b clerk\n"}).returncode == 0


def test_scope_a_maintainer_may_change_any_school(repository: Path) -> None:
    changes: dict[str, str | None] = {"schools/qingshi/a.yml": "x\n", "schools/qingshi/b.yml": None,
                                      "schools/baihe/new.yml": "x\n", "schools/qingshi/unlisted.yml": "x\n"}
    assert _scope(repository, "admin", changes).returncode == 0


def test_scope_without_an_owners_map_no_clerk_may_change_a_school(repository: Path) -> None:
    _git(repository, "rm", "-q", ".ci/owners")
    _git(repository, "commit", "-qm", "no map")
    proc = _scope(repository, "clerk", {"schools/qingshi/a.yml": "x\n"})
    assert proc.returncode == 1 and "目标分支上没有 .ci/owners" in proc.stdout


def test_scope_a_broken_line_of_the_map_counts_for_nothing(repository: Path) -> None:
    (repository / ".ci" / "owners").write_text(OWNERS + "qingshi/../b clerk\nqingshi/b clerk,other\n", "utf-8")
    _git(repository, "commit", "-qam", "broken map")
    proc = _scope(repository, "clerk", {"schools/qingshi/b.yml": "x\n"})
    assert proc.returncode == 1 and ".ci/owners 第 6 行" in proc.stdout and ".ci/owners 第 7 行" in proc.stdout


@pytest.mark.parametrize("name", ["b\n::error file=mkdocs.yml::ok.yml", "b\x1b[2J.yml", "b\u202elmy.yml"])
def test_scope_prints_hostile_file_names_escaped(repository: Path, name: str) -> None:
    proc = _scope(repository, "clerk", {f"schools/qingshi/{name}": "x\n"})
    proc_github = _run([sys.executable, str(REPO / "scripts" / "check_scope.py"), "--author", "clerk", "--base",
                        _git(repository, "rev-parse", "main"), "--head", "change-1-clerk"], repository,
                       GITHUB_ACTIONS="true")
    for out in (proc.stdout, proc_github.stdout):
        assert proc.returncode == 1 and "\x1b" not in out and "\u202e" not in out
        assert [line for line in out.splitlines() if line.startswith("::")] == \
            [line for line in out.splitlines() if line.startswith("::error file=schools/qingshi/b")]


# -- CODEOWNERS is generated from .ci/owners ----------------------------------------------------------

def _owners_script() -> Any:
    spec = importlib.util.spec_from_file_location("owners", REPO / "scripts" / "owners.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("out", [".github/CODEOWNERS", ".gitlab/CODEOWNERS"])
def test_codeowners_is_exactly_what_owners_py_generates(out: str) -> None:
    owners = _owners_script()
    expected = owners.generate(owners.parse_owners((REPO / ".ci" / "owners").read_text("utf-8")))
    assert (REPO / out).read_text("utf-8") == expected, "run: python3 scripts/owners.py --write"
    proc = _run([sys.executable, "scripts/owners.py", "--check", "--out", out], REPO)
    assert proc.returncode == 0, proc.stderr


def test_owners_check_fails_on_drift_and_on_a_broken_map(tmp_path: Path) -> None:
    project = tmp_path / "p"
    for name in (".ci", ".github", "scripts"):
        shutil.copytree(REPO / name, project / name)
    codeowners = project / ".github" / "CODEOWNERS"
    codeowners.write_text(codeowners.read_text("utf-8") + "/schools/ @qingshi-jyj/clerks\n", "utf-8")
    proc = _run([sys.executable, "scripts/owners.py", "--check"], project)
    assert proc.returncode == 1 and "python3 scripts/owners.py --write" in proc.stderr
    assert _run([sys.executable, "scripts/owners.py", "--write"], project).returncode == 0
    assert _run([sys.executable, "scripts/owners.py", "--check"], project).returncode == 0
    (project / ".ci" / "owners").write_text("qingshi/x a b\nqingshi/x c\n", "utf-8")
    proc = _run([sys.executable, "scripts/owners.py", "--check"], project)
    assert proc.returncode == 1 and "第 2 行" in proc.stderr and "缺少" in proc.stderr


def test_codeowners_gives_each_school_file_only_to_its_owners_and_the_bureau_files_last() -> None:
    owners = _owners_script()
    parsed = owners.parse_owners((REPO / ".ci" / "owners").read_text("utf-8"))
    rules = [line.split() for line in (REPO / ".github" / "CODEOWNERS").read_text("utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    team = "@qingshi-jyj/maintainers"
    assert rules[0] == ["*", team]
    assert not any(rule[0] == "/schools/" or "@qingshi-jyj/clerks" in rule for rule in rules)
    assert rules[-3:] == [["/schools/policy.yml", team], ["/schools/exceptions.yml", team],  # the last match wins
                          ["/schools/oversight.yml", team]]
    school_rules = {rule[0]: rule[1:] for rule in rules if rule[0].startswith("/schools/") and rule[0].count("/") == 3}
    assert len(school_rules) == len(parsed.schools) + len(parsed.counties) >= 30
    for place in parsed.schools:
        county, _, school = place.partition("/")
        assert school_rules[f"/schools/{place}.yml"] == [f"@{a}" for a in parsed.of(county, school)] + [team]
    assert school_rules["/schools/baihe/*.yml"] == ["@baihe-jyb-clerk", team]
    clerks = {a for rule in school_rules.values() for a in rule if a != team}
    # In the example each clerk owns one school (or one county): none is an owner of a second place.
    assert all(sum(clerk in rule for rule in school_rules.values()) == 1 for clerk in clerks)
    on_disk = {p.relative_to(REPO).as_posix() for p in (REPO / "schools").glob("*/*.yml")}
    covered = {p for p in on_disk if f"/{p}" in school_rules or f"/schools/{p.split('/')[1]}/*.yml" in school_rules}
    assert covered == on_disk  # the example gives every school file an owner


def test_the_gitea_flavour_uses_anchored_regular_expressions() -> None:
    owners = _owners_script()
    text = owners.generate(owners.parse_owners((REPO / ".ci" / "owners").read_text("utf-8")), "gitea")
    rules = [line.split() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    assert rules[0] == [".*", "@qingshi-jyj/maintainers"]
    assert ["^schools/qingshi/qingshi\\\\-00003\\\\.yml$", "@qingshi-00003-clerk", "@qingshi-00003-deputy",
            "@qingshi-jyj/maintainers"] in rules
    assert ["^schools/baihe/[^/]*\\\\.yml$", "@baihe-jyb-clerk", "@qingshi-jyj/maintainers"] in rules
    assert rules[-1] == ["^schools/oversight\\\\.yml$", "@qingshi-jyj/maintainers"]


# -- Publishing -----------------------------------------------------------------------------------

def _publish(project: Path, target: Path) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, "scripts/publish.py", "--target", str(target), "--mkdocs", f"{sys.executable} -m mkdocs"],
                project)


def test_publish_swaps_atomically_and_a_failed_build_keeps_the_old_site(tmp_path: Path) -> None:
    project = _project(tmp_path)
    target = tmp_path / "www" / "xiaowu"
    target.parent.mkdir()
    first = _publish(project, target)
    assert first.returncode == 0, first.stderr
    assert "publish: 核对通过" in first.stdout and "48 个学校文件" in first.stdout  # verified before the switch
    assert target.is_symlink() and (target / "schools" / "qingshi" / "qingshi-00003" / "index.html").is_file()
    release_one = target.resolve()

    # A reader hammers the site while the second release is built and switched in.
    problems: list[str] = []
    seen: set[str] = set()
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                root = target.resolve()
                home = (root / "index.html").read_text("utf-8")
                school = (root / "schools" / "qingshi" / "qingshi-00003" / "index.html").read_text("utf-8")
                if not home.rstrip().endswith("</html>") or not school.rstrip().endswith("</html>"):
                    problems.append("partial file")
                seen.add(root.name)
            except OSError as exc:
                problems.append(repr(exc))

    reader = threading.Thread(target=read)
    reader.start()
    second = _publish(project, target)
    time.sleep(0.2)
    stop.set()
    reader.join()
    assert second.returncode == 0, second.stderr
    assert not problems, problems[:5]
    assert target.resolve() != release_one and {release_one.name, target.resolve().name} <= seen

    release_two = target.resolve()
    _break(project)
    failed = _publish(project, target)
    assert failed.returncode == 1 and "原网站保持不变" in failed.stderr
    assert target.resolve() == release_two and (target / "index.html").is_file()
    releases = [p.name for p in (tmp_path / "www" / ".xiaowu-releases").iterdir()]
    assert sorted(releases) == sorted([release_one.name, release_two.name])  # the failed one was removed


# -- pre-commit -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = _project(tmp_path_factory.mktemp("precommit"))
    _git(project, "init", "-q", "-b", "main")
    (project / ".git" / "info" / "exclude").write_text(".venv\nsite/\n", "utf-8")
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "base")
    return project


def test_pre_commit_hook_fails_on_a_bad_file(hook_repo: Path, tmp_path: Path) -> None:
    bad = _break(hook_repo)
    env = {"PRE_COMMIT_HOME": str(tmp_path / "cache")}
    relative = bad.relative_to(hook_repo).as_posix()
    run = _run([str(BIN / "pre-commit"), "run", "xiaowu-check", "--files", relative], hook_repo, **env)
    assert run.returncode == 1 and "F207" in run.stdout, run.stdout + run.stderr
    # The hook this repository exposes to others (.pre-commit-hooks.yaml), installed by pre-commit itself.
    tried = _run([str(BIN / "pre-commit"), "try-repo", ".", "xiaowu-check", "--files", relative], hook_repo, **env)
    assert tried.returncode == 1 and "F207" in tried.stdout, tried.stdout[-3000:] + tried.stderr[-3000:]
    _git(hook_repo, "checkout", "--", relative)
    clean = _run([str(BIN / "pre-commit"), "run", "xiaowu-check", "--files", relative], hook_repo, **env)
    assert clean.returncode == 0, clean.stdout


def test_pre_commit_files_declare_the_same_hook() -> None:
    exposed = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    used = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text("utf-8"))
    hook = used["repos"][0]["hooks"][0]
    assert exposed[0]["id"] == hook["id"] == "xiaowu-check"
    assert exposed[0]["files"] == hook["files"]
    assert re.match(exposed[0]["files"], "schools/qingshi/qingshi-00003.yml")


# -- Editors ----------------------------------------------------------------------------------------

def test_vscode_associates_the_schemas_with_the_data_files() -> None:
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text("utf-8"))
    schemas = settings["yaml.schemas"]
    school, policy = schemas["./plugins/xiaowu/schema/school.schema.json"], schemas["./plugins/xiaowu/schema/policy.schema.json"]
    for schema in schemas:
        assert (REPO / schema).is_file()
    school_files = {p for pattern in school for p in REPO.glob(pattern)}
    assert school_files == set(REPO.glob("schools/*/*.yml")) and len(school_files) == 48
    assert REPO / "schools" / "policy.yml" not in school_files
    assert {p for pattern in policy for p in REPO.glob(pattern)} == {REPO / "schools" / "policy.yml"}
    for name in ("exceptions", "oversight"):  # every bureau file has its schema in the editor too
        patterns = schemas[f"./plugins/xiaowu/schema/{name}.schema.json"]
        assert {p for pattern in patterns for p in REPO.glob(pattern)} == {REPO / "schools" / f"{name}.yml"}
    recommended = json.loads((REPO / ".vscode" / "extensions.json").read_text("utf-8"))["recommendations"]
    assert "redhat.vscode-yaml" in recommended


def test_school_files_are_tied_to_the_schema_in_the_editor_settings() -> None:
    # The example files are in the form editor's canonical layout, which keeps no comments (README
    # "The form editor"), so the tie to the schema is the workspace setting, for every school file.
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text("utf-8"))
    globs = settings["yaml.schemas"]["./plugins/xiaowu/schema/school.schema.json"]
    paths = sorted(REPO.glob("schools/*/*.yml"))
    assert len(paths) == 48
    for path in paths:
        assert any(fnmatch.fnmatch(path.relative_to(REPO).as_posix(), g) for g in globs), path


def test_new_school_files_carry_the_schema_modeline(tmp_path: Path) -> None:
    shutil.copy(REPO / "schools" / "policy.yml", tmp_path / "policy.yml")
    made = _run([sys.executable, "-m", "xiaowu.cli", "new", "qs-new", "--county", "qingshi", "--data", str(tmp_path)], tmp_path)
    assert made.returncode == 0, made.stderr
    schema = (tmp_path / "qingshi" / "qs-new.yml").read_text("utf-8").splitlines()[0].split("$schema=", 1)[1]
    # relative to where the file goes in the repository: schools/<county>/
    assert (REPO / "schools" / "qingshi" / schema).resolve() == REPO / "plugins" / "xiaowu" / "schema" / "school.schema.json"


# -- The clerk guide --------------------------------------------------------------------------------

def test_clerk_guide_common_errors_are_generated_from_the_rule_table(tmp_path: Path) -> None:
    assert len(COMMON_ERRORS) == 12 and set(COMMON_ERRORS) <= set(RULES)
    project = _project(tmp_path)
    build = _run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(project / "site")], project)
    assert build.returncode == 0, build.stderr
    guide = (project / "site" / "clerks" / "index.html").read_text("utf-8")
    headings = re.findall(r'<h3 id="error-([A-Z]\d{3})">(\d+)\. <code>\1</code> ([^<]+)</h3>', guide)
    assert [(code, title) for code, _, title in headings] == [(c, RULES[c].title) for c in COMMON_ERRORS]
    for code in COMMON_ERRORS:
        assert _escaped(RULES[code].help_text) in guide
        assert f'rules/#{code}"' in guide
    assert "<!-- xiaowu:errors -->" not in guide


def _escaped(text: str) -> str:
    from markupsafe import escape
    return str(escape(text))
