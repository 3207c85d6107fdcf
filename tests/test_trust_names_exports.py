"""Trust, second round (issue 19): file names are text too (refused before they are printed, escaped in
every reporter), exports hold exactly the current set and survive a kill at any step, URL hosts in one
script with a real port, and a term published after it ends. Each test failed before this change."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from xiaowu.check.project import check_project
from xiaowu.cli import main
from xiaowu.findings.diagnostic import make
from xiaowu.publish import files as accounting
from xiaowu.read.fields import host_ok, parse_url
from xiaowu.read.files import printable, safe_name, shown
from xiaowu.report import FORMATS, format_codeclimate, format_github, format_json, format_text, log_line, report

REPO = Path(__file__).resolve().parents[1]
GOLDENS = Path(__file__).parent / "goldens"
TODAY = date(2026, 11, 21)

# -- File names ------------------------------------------------------------------------------------

#: Names a dishonest clerk (or a careless tool) can commit: each must be refused and never printed raw.
HOSTILE_NAMES = [
    "demo-x\n::error file=policy.yml,line=1::本局批准.yml",
    "demo-x\r\n::warning::伪造.yml",
    "::error file=a.yml::forged.yml",
    "demo-%0A::error::x.yml",
    "demo-\x1b[2J\x1b[31mred.yml",
    "demo-\x1b]8;;https:evil.example\x07link.yml",  # a terminal hyperlink (OSC 8)
    "demo-\x9b31m.yml",  # the 8-bit CSI
    "demo-\u202elmy.exe.yml",  # right-to-left override
    "demo-\u2066isolate\u2069.yml",
    "demo-\u200bzero.yml",
    "demo-\u2028line.yml",
    "demo-\u3000space.yml",
    "demo school.yml",
    "demo-\x7f.yml",
    "demo-\x08\x08\x08policy.yml",
    "demo-é.yml",  # a letter outside the safe set (and its decomposed twin)
    "demo-e\u0301.yml",
    "demo-а.yml",  # a Cyrillic "а"
    "demo-ｘ.yml",  # full-width Latin
    "<script>.yml",
    "demo-\\x1b.yml",
]
#: Characters that must never reach a terminal, a log or a workflow command as they are.
_RAW = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\u3000\ufeff]")


@pytest.mark.parametrize("name", ["qingshi-00003.yml", "青石一中.yml", "a_b-c.yaml", "示范县"])
def test_safe_names_pass(name: str) -> None:
    assert safe_name(name) and shown(name) == name and printable(name) == name


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_name_is_refused_and_shown_escaped(name: str) -> None:
    assert not safe_name(name)
    assert safe_name(shown(name).replace("\\", "")) and "\n" not in shown(name) and ":" not in shown(name)


@pytest.fixture()
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    schools = tmp_path / "schools"
    (schools / "demo").mkdir(parents=True)
    shutil.copy(GOLDENS / "policy.yml", schools / "policy.yml")
    shutil.copy(GOLDENS / "school.yml", schools / "demo" / "demo-school.yml")
    monkeypatch.chdir(tmp_path)
    return schools


def _outputs(schools: Path, capsys: pytest.CaptureFixture[str], *paths: str) -> dict[str, str]:
    """Everything every reporter prints for this data folder (and the MkDocs log lines)."""
    out = {}
    for fmt in FORMATS:
        main(["check", "--format", fmt, "--today", "2026-11-21", *paths])
        out[fmt] = capsys.readouterr().out
    result = check_project(schools, today=TODAY, jobs=1)
    out["log"] = "\n".join(log_line(d) for d in result.diagnostics)
    return out


@pytest.mark.parametrize("name", HOSTILE_NAMES)
@pytest.mark.parametrize("where", ["file", "folder"])
def test_a_hostile_name_reaches_no_output_raw(data: Path, capsys: pytest.CaptureFixture[str],
                                             name: str, where: str) -> None:
    """Y019 in every format, the name escaped; no forged annotation, escape sequence or bidi override."""
    target = data / "demo" / name if where == "file" else data / name.removesuffix(".yml") / "demo-other.yml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text((GOLDENS / "school.yml").read_text("utf-8"), "utf-8")
    for fmt, text in _outputs(data, capsys).items():
        assert not _RAW.search(text.replace("\n", "")), (fmt, text[:400])
        assert "Y019" in text, fmt
        assert shown(name.removesuffix(".yml") if where == "folder" else name) in text.replace("\\\\", "\\"), fmt
        if fmt == "github":
            commands = [line for line in text.splitlines() if line.lstrip().startswith("::")]
            assert len(commands) == 1 and commands[0].startswith("::error file=schools/"), commands
            assert re.fullmatch(r"::error file=schools/[^,:]*,line=1,col=1,title=Y019 [^,:]*::.*", commands[0])
    checked = [s.file for s in check_project(data, today=TODAY, jobs=1).schools]
    assert checked == ["schools/demo/demo-school.yml"]  # the file (or the folder's files) never read


@pytest.mark.parametrize("name", HOSTILE_NAMES[:8])
def test_a_hostile_name_given_on_the_command_line_is_refused(data: Path, capsys: pytest.CaptureFixture[str],
                                                            name: str) -> None:
    target = data / "demo" / name
    target.write_text((GOLDENS / "school.yml").read_text("utf-8"), "utf-8")
    for fmt in FORMATS:
        assert main(["check", "--format", fmt, "--today", "2026-11-21", str(target)]) == 1
        text = capsys.readouterr().out
        assert "Y019" in text and not _RAW.search(text.replace("\n", "")), fmt
    assert main(["check", str(data / "demo" / ("missing\x1b[31m" + name))]) == 1  # refused before it is looked for
    assert main(["check", "--data", str(data / ("missing\x1b[31m" + name))]) == 2
    printed = capsys.readouterr()
    assert "Y019" in printed.out and "找不到资料文件夹" in printed.err
    assert not _RAW.search((printed.out + printed.err).replace("\n", ""))


@pytest.mark.parametrize("text", ["a\nb", "\x1b[31m", "\u202e", "%0A::error::x", "\u2028", "\r", "\x00"])
def test_every_reporter_escapes_any_text_a_finding_carries(text: str) -> None:
    """Defence in depth: a finding made elsewhere with a raw name or value is still printed inert."""
    d = make("Y018", f"schools/demo/{text}.yml", 1, 1, name=f"{text}.yml")
    rendered = {"text": format_text([d]), "github": format_github([d]), "json": format_json([d]),
                "codeclimate": format_codeclimate([d]), "log": log_line(d)}
    for fmt, out in rendered.items():
        assert not _RAW.search(out.replace("\n", "") if fmt in ("text", "json", "codeclimate") else out), fmt
    assert rendered["github"].startswith("::error file=schools/demo/") and "\n" not in rendered["github"]
    assert re.fullmatch(r"::error file=schools/demo/[^,:]*,line=1,col=1,title=Y018 [^,:]*::.*", rendered["github"])
    assert json.loads(format_json([d]))[0]["file"] == printable(d.file)


def test_the_summary_and_json_report_escape_names(data: Path) -> None:
    result = check_project(data, today=TODAY, jobs=1)
    for fmt in FORMATS:
        assert not _RAW.search(report(result, fmt).replace("\n", ""))


# -- Exports hold exactly the current set ----------------------------------------------------------

OLD = {"data/schools/a.json": b'{"v":1}\n', "data/schools/gone.json": b'{"v":1}\n', "data/fees.csv": b"v,1\r\n",
       "feed.xml": b"<old/>\n"}
NEW = {"data/schools/a.json": b'{"v":2}\n', "data/fees.csv": b"v,2\r\n", "feed.xml": b"<new/>\n",
       "data/schools/b.json": b'{"v":2}\n'}
PAGE = b"<html>data page</html>\n"  # what MkDocs writes into data/ (data.md): not an export


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _seeded(root: Path) -> Path:
    accounting.write_files(root, OLD)
    (root / "data" / "index.html").write_bytes(PAGE)
    return root


def test_an_export_removes_a_deleted_schools_file_and_keeps_the_data_page(tmp_path: Path) -> None:
    out = _seeded(tmp_path / "out")
    assert accounting.write_files(out, NEW) == 4
    assert _tree(out) == {**NEW, "data/index.html": PAGE}


def test_xiaowu_export_after_a_school_is_deleted(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(data / "demo" / "demo-school.yml", data / "demo" / "demo-second.yml")
    policy = data / "policy.yml"
    policy.write_text(policy.read_text("utf-8").replace("roster:\n", "roster:\n  - {id: demo-second, county: demo, "
                                                       "name: 示范县第二中学}\n"), "utf-8")
    second = data / "demo" / "demo-second.yml"
    second.write_text(second.read_text("utf-8").replace("  name: 示范县第一中学", "  name: 示范县第二中学"), "utf-8")
    out = data.parent / "exported"
    assert main(["export", "--out", str(out), "--today", "2026-11-21"]) == 0, capsys.readouterr()
    assert (out / "data" / "schools" / "demo-second.json").is_file()
    second.unlink()
    assert main(["export", "--out", str(out), "--today", "2026-11-21"]) == 0, capsys.readouterr()
    assert sorted(p.name for p in (out / "data" / "schools").iterdir()) == ["demo-school.json"]
    assert not [p for p in out.iterdir() if p.name.startswith(".xiaowu-")]


def _either(out: Path) -> str:
    """Which whole set ``out`` holds right now: "old" or "new" (anything else fails the test)."""
    tree = {k: v for k, v in _tree(out).items() if not k.startswith(".xiaowu-")}
    data = {k: v for k, v in tree.items() if k.startswith("data/")}
    assert data.pop("data/index.html") == PAGE
    assert tree["feed.xml"] in (OLD["feed.xml"], NEW["feed.xml"])  # replaced alone, whole
    for name, expected in (("old", OLD), ("new", NEW)):
        if data == {k: v for k, v in expected.items() if k.startswith("data/")}:
            return name
    raise AssertionError(sorted(data))


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
@pytest.mark.parametrize("step", range(4))
def test_a_run_killed_at_any_rename_leaves_a_whole_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     step: int, exchange: bool) -> None:
    """Every os.replace (and the one-step exchange) raises in turn: the folder holds the old set or the
    new one, whole, and the next run leaves exactly the new set and nothing staged."""
    out = _seeded(tmp_path / "out")
    real_replace, real_exchange, calls = os.replace, accounting.exchange, [0]

    def step_counter() -> None:
        calls[0] += 1
        if calls[0] == step + 1:
            raise KeyboardInterrupt  # the run is killed here

    def replace(src: Any, dst: Any) -> None:
        step_counter()
        real_replace(src, dst)

    def exchange_or_not(new: Path, final: Path) -> bool:
        if not exchange:
            return False
        step_counter()
        return real_exchange(new, final)
    monkeypatch.setattr(accounting.os, "replace", replace)
    monkeypatch.setattr(accounting, "exchange", exchange_or_not)
    killed = False
    try:
        accounting.write_files(out, NEW)
    except KeyboardInterrupt:
        killed = True
    # Renames of one run: feed.xml, then the exchange, or data/ aside and the new data/ in.
    assert killed == (step < (2 if exchange else 3))
    assert _either(out) == ("new" if not killed else "old")
    monkeypatch.undo()  # the next run is not killed
    accounting.write_files(out, NEW)
    assert _tree(out) == {**NEW, "data/index.html": PAGE}


def test_a_hard_kill_between_the_two_renames_is_recovered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGKILL after the old set moved aside and before the new one moved in: no handler runs. The next
    run (or reader tool) puts the old set back first; a run that then fails still leaves it whole."""
    out = _seeded(tmp_path / "out")
    os.replace(out / "data", out / (accounting.OLD_PREFIX + "data"))  # the state a hard kill leaves
    (out / (accounting.STAGING_PREFIX + "x")).mkdir()

    def killed(*args: Any) -> None:
        raise KeyboardInterrupt
    monkeypatch.setattr(accounting, "_stage", killed)
    with pytest.raises(KeyboardInterrupt):
        accounting.write_files(out, NEW)
    assert _either(out) == "old" and not [p for p in out.iterdir() if p.name.startswith(".xiaowu-")]


def test_a_hard_kill_after_the_new_set_moved_in_keeps_the_new_set(tmp_path: Path) -> None:
    """Killed after both renames, before the old set was deleted: the next run deletes it, never restores it."""
    out = _seeded(tmp_path / "out")
    accounting.write_files(out, NEW)
    aside = out / (accounting.OLD_PREFIX + "data")
    shutil.copytree(tmp_path / "out" / "data", aside)
    (aside / "schools" / "gone.json").write_bytes(OLD["data/schools/gone.json"])
    accounting.recover(out)
    assert _either(out) == "new" and not aside.exists()


def test_an_export_through_a_linked_data_folder_never_writes_outside(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "keep.txt").write_text("x", "utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "data").symlink_to(outside)
    accounting.write_files(out, NEW)
    assert _tree(outside) == {"keep.txt": b"x"} and not (out / "data").is_symlink()
    assert not [p for p in out.iterdir() if p.name.startswith(".xiaowu-")]
    assert {k: v for k, v in _tree(out).items() if k.startswith("data/")} == \
        {k: v for k, v in NEW.items() if k.startswith("data/")}


def test_the_sites_data_folder_holds_exactly_the_current_exports(tmp_path: Path) -> None:
    """A dirty build (like `mkdocs serve`'s) into a site with a deleted school's JSON: it is gone."""
    for name in ("docs", "schools"):
        shutil.copytree(REPO / name, tmp_path / name)
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    ghost = tmp_path / "site" / "data" / "schools" / "ghost-00001.json"
    ghost.parent.mkdir(parents=True)
    ghost.write_text('{"name":"已删除的学校"}\n', "utf-8")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--dirty"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=600, env={**os.environ, "SOURCE_DATE_EPOCH": "1795219200"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = tmp_path / "site" / "data"
    assert not ghost.exists() and (data / "schools" / "qingshi-00003.json").is_file()
    assert (data / "index.html").is_file()  # MkDocs' data page stays
    assert len(list((data / "schools").iterdir())) == len(list((tmp_path / "schools").glob("*/*.yml")))
    assert not [p for p in (tmp_path / "site").iterdir() if p.name.startswith(".xiaowu-")]


# -- URLs: one script per host, a real port -------------------------------------------------------

_CONFUSABLES = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і", "j": "ј",
                "s": "ѕ", "h": "һ"}  # Cyrillic look-alikes of Latin letters


def _mixed_hosts() -> list[str]:
    """Every Latin letter of a government host that has a Cyrillic twin, replaced one at a time, plus
    Greek, full-width and other scripts, and the same hosts in punycode."""
    host = "jyj.qingshi.gov.cn"
    hosts = [host[:i] + _CONFUSABLES[c] + host[i + 1:] for i, c in enumerate(host) if c in _CONFUSABLES]
    hosts += ["jyj.gον.cn", "ｊｙｊ.gov.cn", "jyj.gov。cn", "青石教育局.сn", "jyj\u200b.gov.cn", "jyj.gov.cn\u202e",
              "%D0%B5xample.gov.cn", "jyj.ɡov.cn", "جيج.gov.cn", "教育局ｇov.cn"]
    hosts += [".".join("xn--" + part.encode("punycode").decode() if not part.isascii() else part
                       for part in h.split(".")) for h in hosts[:6]]
    return hosts + ["xn--.gov.cn", "xn--zz-bad!.gov.cn", "xn--abc.gov.cn"]


@pytest.mark.parametrize("host", _mixed_hosts())
def test_a_host_mixing_scripts_is_refused(host: str) -> None:
    assert not host_ok(host) and parse_url(f"https://{host}/fees") is None


@pytest.mark.parametrize("host", ["jyj.qingshi.gov.cn", "青石县教育局.政务", "青石一中.中国", "xn--fiqs8s.xn--fiqz9s",
                                  "www.qs-yz.edu.cn", "10.0.0.1", "[2001:db8::1]"])
def test_ascii_and_han_hosts_pass(host: str) -> None:
    assert parse_url(f"https://{host}/a") == f"https://{host}/a"


@pytest.mark.parametrize("port", ["65536", "99999", "0", "100000000000", "-1", "８０", "80a", "", "1:2"])
def test_a_port_outside_1_to_65535_is_refused(port: str) -> None:
    assert parse_url(f"https://jyj.gov.cn:{port}/") is None
    assert parse_url(f"https://[2001:db8::1]:{port}/") is None


@pytest.mark.parametrize("port", ["1", "80", "8443", "65535"])
def test_a_real_port_passes(port: str) -> None:
    assert parse_url(f"http://jyj.gov.cn:{port}/x") == f"http://jyj.gov.cn:{port}/x"


def test_a_mixed_script_website_in_a_school_file_is_an_error(data: Path) -> None:
    school = data / "demo" / "demo-school.yml"
    text = school.read_text("utf-8")
    assert "website: " in text
    school.write_text(re.sub(r"website: \S+", "website: https://www.shifаn.gov.cn/", text), "utf-8")
    result = check_project(data, today=TODAY, jobs=1)
    assert "S107" in [d.code for d in result.diagnostics]
