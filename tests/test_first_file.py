"""A new clerk's first file, as they meet it (issue 24, points 2 and 3): the command the tool and the
guide give works in a fresh shell after the README's commands, the blank template's findings read well,
the template and the guide agree, and no English reaches a clerk."""
from __future__ import annotations

import json
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


# --- No English reaches a clerk (issue 24, point 3) ------------------------------------------------

def _schema_keys(node: object, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                found.update(value)
            _schema_keys(value, found)
    elif isinstance(node, list):
        for value in node:
            _schema_keys(value, found)
    return found


SCHEMAS = ROOT / "plugins" / "xiaowu" / "schema"
SCHOOL_KEYS = _schema_keys(json.loads((SCHEMAS / "school.schema.json").read_text("utf-8")), set())
ALL_KEYS = set().union(*(_schema_keys(json.loads(p.read_text("utf-8")), set()) for p in SCHEMAS.glob("*.schema.json")))
#: Keys of the bureau's record files (oversight.yml, exceptions.yml): their findings reach only the
#: bureau's maintainers, who write those keys; policy.yml's keys (roster, terms …) are named with their
#: file in a headline, since its findings are shown on school files too (R601).
RECORD_KEYS = set().union(*(_schema_keys(json.loads((SCHEMAS / f"{name}.schema.json").read_text("utf-8")), set())
                            for name in ("oversight", "exceptions")))
#: Names a clerk meets as they are: encodings, keys on the keyboard, programs, the file format.
NAMES = {"UTF", "Tab", "YAML", "Unicode", "WPS", "Word", "Excel", "Shift", "Git", "KB", "http", "https", "con",
         "nul", "x", "u", "index", "readme"}
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:[.\-/][A-Za-z0-9_]+)*")
QUALIFIED = re.compile(r"(?:policy|oversight|exceptions)\.yml 的 ?$")


def _english(text: str, headline: bool) -> list[str]:
    """Words of ``text`` that are neither a key a file holds, a file or folder name, a rule code nor
    one of NAMES. In a headline (title, message) a key only the bureau's files hold must be named
    with its file ("policy.yml 的 roster"); help and basis may name any key."""
    text = re.sub(r"\{[a-z_]+\}", "", text)
    words = []
    for found in WORD.finditer(text):
        word = found.group()
        before = text[:found.start()]
        if "/" in word or word.endswith((".yml", ".txt", ".xlsx")) or re.fullmatch(r"[A-Z](?:\d{3})?|A[45]", word):  # a rule code; a paper size
            continue
        if before.endswith(".") or text[found.end():].startswith("/") or re.search(r"xiaowu(?: xlsx)? $", before):
            continue  # a file's ending (.yml), a folder (schools/), a subcommand (./xiaowu new)
        if all(part in NAMES for part in re.split(r"[.\-]", word) if part and not part.isdigit()):
            continue
        if word in SCHOOL_KEYS | RECORD_KEYS or word.split(".")[0] in ALL_KEYS and (not headline or QUALIFIED.search(before)):
            continue
        if word == "xiaowu" and (before.endswith("./") or text[found.end():].startswith(" xlsx")):
            continue
        if re.fullmatch(r"qingshi(?:-[a-z0-9]+)*", word):
            continue  # an example school code or file name
        words.append(word)
    return words


def _texts() -> list[tuple[str, str, bool]]:
    from xiaowu.findings.table import RULES
    out = []
    for rule in RULES.values():
        out += [(f"{rule.code} title", rule.title, True), (f"{rule.code} message", rule.message, True),
                (f"{rule.code} help", rule.help, False), (f"{rule.code} basis", rule.basis, False)]
        for name, variant in rule.variants.items():
            message, help_text = (variant, "") if isinstance(variant, str) else variant
            out += [(f"{rule.code} {name}", message, True), (f"{rule.code} {name} help", help_text, False)]
    return out


@pytest.mark.parametrize(("where", "text", "headline"), _texts(), ids=[t[0] for t in _texts()])
def test_no_english_word_in_any_rule_text(where: str, text: str, headline: bool) -> None:
    assert _english(text, headline) == [], where


@pytest.mark.parametrize(("text", "words"), [
    ("学校“x”不在 policy.yml 的应公开名单（roster）中", ["roster"]),
    ("检查 roster 和 terms", ["roster", "terms"]),
    ("see the rules page", ["see", "the", "rules", "page"]),
    ("did not find expected key", ["did", "not", "find", "expected", "key"]),
])
def test_the_scan_finds_english(text: str, words: list[str]) -> None:
    assert _english(text, True) == words


@pytest.mark.parametrize("argv", [["--help"], ["check", "--help"], ["new", "--help"], ["xlsx", "import", "--help"],
                                  ["new", "qs"], ["chek"], ["check", "--zz"], ["check", "--format"], [],
                                  ["check", "--jobs", "x"], ["xlsx", "import"]])
def test_the_commands_own_help_and_usage_errors_are_chinese(argv: list[str],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    from xiaowu.cli import main
    with pytest.raises(SystemExit):
        main(argv)
    out = capsys.readouterr()
    text = out.out + out.err
    assert "用法：" in text
    for english in ("usage:", "options:", "positional arguments", "show this help", "error:", "required",
                    "invalid choice", "unrecognized", "expected one argument"):
        assert english not in text, (english, text)


# --- The blank template's findings (issue 24, point 3) ---------------------------------------------

@pytest.fixture()
def blank(tmp_path: Path) -> Path:
    from xiaowu.cli import main
    data = tmp_path / "schools"
    shutil.copytree(ROOT / "schools", data)
    assert main(["new", "qs-blank", "--county", "qingshi", "--data", str(data)]) == 0
    return data


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    from xiaowu.cli import main
    main(argv)
    return capsys.readouterr().out


def test_text_output_says_each_basis_once_per_rule_and_file(blank: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    file = str(blank / "qingshi" / "qs-blank.yml")
    text = _run(["check", "--data", str(blank), "--today", "2026-09-01", file], capsys)
    bases = [line for line in text.splitlines() if line.startswith("  = 依据: ")]
    assert len(bases) == len(set(bases)), "a basis sentence repeated"
    found = json.loads(_run(["check", "--data", str(blank), "--today", "2026-09-01", "--format", "json", file], capsys))["diagnostics"]
    s101 = [d for d in found if d["code"] == "S101"]
    assert len(s101) >= 15 and all(d["basis"] for d in found), "JSON keeps every finding whole"
    assert text.count(": S101 [错误]") == len(s101), "text lists every finding"
    assert text.count("  = 依据、详见: 同第 ") == len(s101) - 1
    github = _run(["check", "--data", str(blank), "--today", "2026-09-01", "--format", "github", file], capsys)
    assert github.count("依据: ") == len(found)


def test_one_finding_for_the_blank_reductions(blank: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    file = str(blank / "qingshi" / "qs-blank.yml")
    found = json.loads(_run(["check", "--data", str(blank), "--today", "2026-09-01", "--format", "json", file], capsys))["diagnostics"]
    line = next(n for n, text in enumerate(Path(file).read_text("utf-8").splitlines(), 1)
                if text.strip() == "reductions:")
    assert [d["code"] for d in found if d["line"] == line] == ["F204"]
    # Written but only blank space or a placeholder, still F204 alone; absent altogether, F204 alone too.
    for replacement in ["reductions: 无", "", "reductions: \"\""]:
        text = Path(file).read_text("utf-8").replace("    reductions:\n", f"    {replacement}\n" if replacement else "")
        Path(file).write_text(text, encoding="utf-8")
        found = json.loads(_run(["check", "--data", str(blank), "--format", "json", file], capsys))["diagnostics"]
        gap = [d["code"] for d in found if "reductions" in d["message"] + d["help"] or d["code"] == "F204"]
        assert gap == ["F204"], (replacement, gap)


def test_the_template_writes_amounts_as_the_guide_says() -> None:
    """金额只写数字: every amount and count in the template, example or not, is a bare number."""
    from xiaowu.check.bureau import load_policy
    from xiaowu.publish.starter import render_template
    text = render_template("qs-x", "青石县", load_policy(ROOT / "schools" / "policy.yml")[0])
    assert "只写数字" in text and "只写数字" in (ROOT / "docs" / "clerks.md").read_text("utf-8")
    money = re.findall(r"^[ #]*(amount|collected|carried_in|subsidy|refunded|refund_per_student|carried|shortfall"
                       r"|students|refund_students): (.+)$", text, flags=re.M)
    assert len(money) >= 10
    assert [value for _, value in money if not re.fullmatch(r"\d+(?:\.\d{1,2})?", value)] == []


# --- The missing area code's hint (issue 24, point 4) ----------------------------------------------

GOLDENS = ROOT / "tests" / "goldens"


def _h301(tmp_path: Path, policy_text: str, school_text: str) -> list[str]:
    from xiaowu.check.bureau import load_policy
    from xiaowu.check.file import check_file
    (tmp_path / "policy.yml").write_text(policy_text, encoding="utf-8")
    policy = load_policy(tmp_path / "policy.yml")[0]
    result = check_file(school_text.encode("utf-8"), "schools/demo/demo-school.yml", "demo-school", "demo", policy)
    return [d.message for d in result.diagnostics if d.code == "H301"]


#: The bureau's (city's) code is 0712; the county's own lines use 0713.
CITY = (GOLDENS / "policy.yml").read_text("utf-8").replace("authority: 示范县教育局\n",
                                                           "authority: 示范县教育局\narea_code: \"0712\"\n", 1)
COUNTY_CODE = CITY.replace("    name: 示范县\n", "    name: 示范县\n    area_code: \"0713\"\n", 1)
SCHOOL = (GOLDENS / "school.yml").read_text("utf-8")


@pytest.mark.parametrize(("policy", "office", "expected"), [
    # The school's other lines say 0713: suggest 0713, whatever the bureau's code.
    (CITY, "0713-1234567", "0713-1234568"),
    (CITY, "（0713）1234567", "0713-1234568"),
    (CITY, "0713 1234567", "0713-1234568"),
    (COUNTY_CODE, "0713-1234567", "0713-1234568"),
    # No other landline in the file: the county's own code from policy.yml, else the bureau's.
    (COUNTY_CODE, "13812345678", "0713-1234568"),
    (CITY, "13812345678", "0712-1234568"),
])
def test_missing_area_code_is_taken_from_the_schools_county(tmp_path: Path, policy: str, office: str,
                                                            expected: str) -> None:
    school = SCHOOL.replace("  office_phone: 0710-1234567", f"  office_phone: {office}")
    school = school.replace("    phone: 0710-1234568", "    phone: 1234568")
    messages = _h301(tmp_path, policy, school)
    assert len(messages) == 1 and f"本地应写 {expected}" in messages[0], messages


@pytest.mark.parametrize("text", ["5（0713）6123456 与 0713-6123457", "(0713)6123456x", "10713-6123456 0713 61234567",
                                  "0713－6123456，（0713）1234567", "007130-6123456", "0713-61234567890"])
def test_the_area_code_pattern_finds_what_its_plain_form_finds(text: str) -> None:
    """The landline pattern starts with its literal 0 for speed; it must find the same codes as the
    plain form with the digit check and the optional bracket first, here and on random text."""
    import random

    from xiaowu.check.file import _LANDLINE
    plain = re.compile(rb"(?<![0-9])[(\xef\xbc\x88]?(0[1-9][0-9]{1,2})(?:-|\)|\xef\xbc\x89|\xef\xbc\x8d| )"
                       rb"[1-9][0-9]{6,7}(?![0-9])")
    pieces = ["0", "1", "0713", "010", "6123456", "61234567", "(", ")", "-", " ", "（", "）", "－", "a", "电"]
    rng = random.Random(text)
    samples = [text.encode()] + ["".join(rng.choices(pieces, k=rng.randint(0, 12))).encode() for _ in range(3000)]
    assert [_LANDLINE.findall(s) for s in samples] == [plain.findall(s) for s in samples]
    assert sum(bool(plain.findall(s)) for s in samples) > 10  # the random text has codes to find


@pytest.mark.parametrize("cwd", ["/", "inside"])
def test_display_path_names_a_file_as_its_plain_form_does(cwd: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    """display_path cuts the working directory off by string for speed; it must name every path as
    the plain form (relpath, then the absolute path for one outside) does."""
    from xiaowu.read.files import display_path
    here = Path(cwd) if cwd == "/" else tmp_path / "repo"
    here.mkdir(exist_ok=True)
    monkeypatch.chdir(here)

    def plain(path: Path) -> str:
        absolute = os.path.abspath(path)
        relative = os.path.relpath(absolute, os.getcwd())
        return Path(absolute).as_posix() if relative.startswith("..") else Path(relative).as_posix()
    paths = [Path("schools/a/x.yml"), Path("./schools//a/../a/x.yml"), here / "schools" / "x.yml", here,
             Path("..") / "other" / "x.yml", Path("..foo/x.yml"), here / "..foo" / "x.yml", tmp_path / "repo2" / "x.yml",
             Path("/etc/x.yml"), Path("学校/青石县/一中.yml")]
    assert [display_path(p) for p in paths] == [plain(p) for p in paths]


@pytest.mark.parametrize("data", ["schools", "schools/", "/", "..", "schools2"])
def test_a_school_file_is_placed_in_its_county_as_the_plain_form_does(data: str, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """check.project._task places a file by string for speed; it must give every path the county
    and the S112 finding that the plain form (relpath and Path parts) gives."""
    from xiaowu.check.project import _task
    monkeypatch.chdir(tmp_path)

    def plain(path: Path, schools_dir: Path) -> tuple[str, bool]:
        relative = Path(os.path.relpath(os.path.abspath(path), os.path.abspath(schools_dir)))
        if relative.parts[:1] == ("..",):
            relative = Path(path.parent.name) / path.name
        return (relative.parts[0] if len(relative.parts) == 2 else ""), len(relative.parts) != 2
    paths = [Path("schools/a/x.yml"), Path("./schools//a/../a/x.yml"), Path("schools/x.yml"), Path("schools/a/b/x.yml"),
             tmp_path / "schools" / "青石县" / "一中.yml", Path("/etc/x.yml"), Path("schools2/a/x.yml"), Path("../a/x.yml")]
    got = [(task.county, problem is not None) for task, problem in (_task(p, os.path.abspath(data)) for p in paths)]
    assert got == [plain(p, Path(data)) for p in paths]


def test_county_area_code_is_checked_like_the_bureaus(tmp_path: Path) -> None:
    from xiaowu.check.bureau import load_policy
    (tmp_path / "policy.yml").write_text(COUNTY_CODE.replace('area_code: "0713"', 'area_code: "713"'), "utf-8")
    found = load_policy(tmp_path / "policy.yml")[2]
    assert [d.code for d in found if d.line == 6] == ["S116"], found


def test_real_local_numbers_written_without_their_area_code(tmp_path: Path) -> None:
    """Real published numbers without an area code: the 秦皇岛 bureau's education-fee report lines
    "举报电话:3865000、3865031" (河北新闻网, "“河北省教育收费网络监督平台”在秦运行", 2014-10-16,
    http://heb.hebei.com.cn/system/2014/10/16/014140562.shtml). 秦皇岛's code is 0335; a bureau whose
    own lines are another city's code still gets 0335 suggested for a county that declares it."""
    policy = CITY.replace("    name: 示范县\n    area_code: \"0713\"\n", "").replace(
        "    name: 示范县\n", "    name: 示范县\n    area_code: \"0335\"\n", 1)
    school = SCHOOL.replace("  office_phone: 0710-1234567", "  office_phone: 3865000")
    school = school.replace("    phone: 0710-1234568", "    phone: 3865031")
    messages = _h301(tmp_path, policy, school)
    assert sorted(messages) == sorted([
        "电话号码“3865000”格式不对：座机号码前要加区号，本地应写 0335-3865000",
        "电话号码“3865031”格式不对：座机号码前要加区号，本地应写 0335-3865031"])
