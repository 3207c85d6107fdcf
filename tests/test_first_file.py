"""A new clerk's first file, as they meet it (issue 24, points 2 and 3): the command the tool and the
guide give works in a fresh shell after the README's commands, the blank template's findings read well,
the template and the guide agree, and no English reaches a clerk."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: A fresh terminal: nothing of ours on PATH, no activated venv, no variables of a previous session.
FRESH = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "", "LANG": "C.UTF-8"}


def _fresh_shell(command: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", command], cwd=cwd, env={**FRESH, "HOME": str(home)},
                          capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture()
def checkout(tmp_path: Path) -> Path:
    """A data folder beside the repository's own ./xiaowu (linked), as after `bash scripts/setup.sh`."""
    work = tmp_path / "repo"
    shutil.copytree(ROOT / "schools", work / "schools")
    (work / "xiaowu").symlink_to(ROOT / "xiaowu")
    return work


def test_xiaowu_is_not_on_path_in_a_fresh_shell(checkout: Path, tmp_path: Path) -> None:
    """The premise: a fresh shell after the README's commands has no `xiaowu` (so the advice must not
    be a bare `xiaowu check`)."""
    assert _fresh_shell("command -v xiaowu", checkout, tmp_path).returncode != 0


def test_the_command_new_prints_works_in_a_fresh_shell(checkout: Path, tmp_path: Path) -> None:
    made = _fresh_shell("./xiaowu new qs-first --county qingshi", checkout, tmp_path)
    assert made.returncode == 0, made.stderr
    advice = re.search(r"运行：(.+)$", made.stdout.strip())
    assert advice is not None, made.stdout
    command = advice.group(1)
    assert command == "./xiaowu check schools/qingshi/qs-first.yml"
    # The template's own header gives the same program.
    header = (checkout / "schools/qingshi/qs-first.yml").read_text("utf-8")
    assert "运行 ./xiaowu check 检查" in header
    # Pasted into another fresh shell, it runs the check (exit 1: the blank template has findings).
    ran = _fresh_shell(command, checkout, tmp_path)
    assert ran.returncode == 1, ran.stderr
    assert "command not found" not in ran.stderr and "未填写" in ran.stdout


def test_the_printed_command_follows_how_xiaowu_was_started(tmp_path: Path) -> None:
    """From another folder, through the venv's own script, or with xiaowu on PATH: what is printed is
    what was started, so pasting it works there too."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "schools", data)
    venv_script = ROOT / ".venv" / "bin" / "xiaowu"
    # Started by its full path, or as the venv's own script from elsewhere: the repository's ./xiaowu
    # by its full path (the folder we are in is not the repository).
    for number, start in enumerate([ROOT / "xiaowu", venv_script]):
        done = _fresh_shell(f"{start} new qs-p{number} --county qingshi --data {data}", tmp_path, tmp_path)
        assert done.returncode == 0, done.stderr
        printed = done.stdout.strip().split("运行：")[1]
        assert printed.startswith(f"{ROOT / 'xiaowu'} check "), printed
        again = _fresh_shell(printed.replace(" check ", f" check --data {data} ", 1), tmp_path, tmp_path)
        assert again.returncode == 1 and "未填写" in again.stdout, again.stderr
    on_path = {**FRESH, "HOME": str(tmp_path), "PATH": f"{venv_script.parent}:{FRESH['PATH']}"}
    done = subprocess.run(["bash", "-c", f"xiaowu new qs-path --county qingshi --data {data}"], cwd=tmp_path,
                          env=on_path, capture_output=True, text=True, timeout=600, check=False)
    assert "运行：xiaowu check " in done.stdout, done.stdout + done.stderr


#: An instruction to type a command: "运行 `xiaowu check`" (not "流水线运行", "自动运行": a machine runs
#: those) or a code block line starting with it.
INSTRUCTION = re.compile(r"(?:^|[，。；：\s（(])运行\s*[：:]?\s*`?xiaowu (?:new|check)|^xiaowu (?:new|check)", re.M)


@pytest.mark.parametrize("page", ["README.md", "docs/clerks.md"])
def test_the_guide_gives_commands_that_run_in_a_fresh_shell(page: str) -> None:
    """Every `xiaowu new`/`xiaowu check` a clerk is told to type is `./xiaowu …`; the README's list of
    commands says once, above it, that its lines leave out the "./"."""
    text = (ROOT / page).read_text("utf-8").split("## For maintainers")[0]
    listed = re.search(r"### 常用命令\n\n(.*?)```bash\n(.*?)```", text, flags=re.S)
    if listed is not None:
        assert "./xiaowu" in listed.group(1) and "省略了前面的 `./`" in listed.group(1)
        text = text.replace(listed.group(2), "")
    assert INSTRUCTION.findall(text) == []
    assert "./xiaowu new" in text and "./xiaowu check" in text


def test_material_end_of_life_notice_is_silenced_for_every_readme_command() -> None:
    """Any Python of the venv (mkdocs build/serve, scripts/publish.py) starts with the switch set, in a
    fresh shell; an explicit empty value shows the notice again (for maintainers)."""
    python = ROOT / ".venv" / "bin" / "python"
    probe = "import sys; sys.argv = ['mkdocs']; import material.templates"
    quiet = subprocess.run([str(python), "-c", probe], env=FRESH, capture_output=True, text=True, check=False)
    assert quiet.returncode == 0 and "end of life" not in quiet.stderr + quiet.stdout
    loud = subprocess.run([str(python), "-c", probe], env={**FRESH, "NO_MKDOCS_2_WARNING": ""},
                          capture_output=True, text=True, check=False)
    assert "end of life" in loud.stderr, "the probe must be able to see the notice"


def test_setup_writes_the_switch(tmp_path: Path) -> None:
    script = (ROOT / "scripts" / "setup.sh").read_text("utf-8")
    assert 'os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")' in script
    assert os.access(ROOT / "xiaowu", os.X_OK)
