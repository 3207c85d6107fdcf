"""Trust and safety: what a page claims must trace to a file only the right person can change, and the
operator tools never lose or corrupt data. Each test here failed on the release before this one."""
from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from xiaowu.publish import files as accounting
from xiaowu.publish import buildrecord
from xiaowu.read import files
from xiaowu.read.chars import INVISIBLE, any_invisible, name_key
from xiaowu.cli import main
from xiaowu.read.loader import load_bytes
from xiaowu.check.project import check_project
from xiaowu.check.run import CheckCache
from xiaowu.pages.site import build_site

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 21)
EPOCH = "1795219200"  # 2026-11-21
SCHOOL = Path("schools/qingshi/qingshi-00003.yml")


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example (docs, data, mkdocs.yml) in a temporary folder, as the working directory."""
    for name in ("docs", "schools"):
        shutil.copytree(REPO / name, tmp_path / name)
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")


def _build(project: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **env})


def _site_text(project: Path) -> str:
    site = project / "site"
    return "".join(p.read_text("utf-8", errors="replace") for p in site.rglob("*") if p.is_file()
                   and p.suffix in (".html", ".json", ".csv", ".xml")) if site.is_dir() else ""


# -- 1. Exceptions come only from the bureau's file -----------------------------------------------

def test_a_self_approved_exception_is_an_error_and_never_published(project: Path) -> None:
    school = project / SCHOOL
    text = re.sub(r"(- item: 伙食费\n(?:.*\n)*?\s+amount: )\d+", r"\g<1>9000", school.read_text("utf-8"), count=1)
    school.write_text(text + "exceptions:\n  - rule: F207\n    term: 2026-秋\n    item: 伙食费\n"
                      "    reason: 伪造的审核理由\n    basis: 青教函〔2026〕99号\n", "utf-8")
    result = check_project(project / "schools", today=TODAY, jobs=1)
    codes = {d.code for d in result.diagnostics if d.file.endswith("qingshi-00003.yml")}
    assert {"X703", "F207"} <= codes
    assert not next(s for s in result.schools if s.id == "qingshi-00003").accepted
    proc = _build(project)
    assert proc.returncode == 1 and "X703" in proc.stderr
    assert "伪造的审核理由" not in _site_text(project)


@pytest.mark.parametrize("name", ["exceptions.yml", "oversight.yml"])
def test_the_bureau_files_are_maintainers_only_everywhere(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A clerk who could edit exceptions.yml could approve the school's own over-cap fee; one who
    could edit oversight.yml could mark its own refund done or drop a finding."""
    owners = (REPO / ".github" / "CODEOWNERS").read_text("utf-8")
    assert re.search(rf"^/schools/{re.escape(name)}\s+@qingshi-jyj/maintainers$", owners, re.M)
    scope = importlib.util.spec_from_file_location("check_scope", REPO / "scripts" / "check_scope.py")
    assert scope and scope.loader
    module = importlib.util.module_from_spec(scope)
    monkeypatch.setitem(sys.modules, "check_scope", module)  # its dataclasses look their module up there
    scope.loader.exec_module(module)
    assert module.violations([f"schools/{name}"], "clerk", {"admin"}) == [f"schools/{name}"]
    assert module.violations([f"schools/{name}"], "admin", {"admin"}) == []


def test_a_school_cannot_record_its_own_refund_or_inspection(project: Path) -> None:
    school = project / "schools" / "baihe" / "baihe-00010.yml"
    school.write_text(school.read_text("utf-8") + "refunds:\n  - {item: 资料费, completed: 2026-10-20}\n"
                      "inspections:\n  - {finding: 无问题}\n", "utf-8")
    result = check_project(project / "schools", today=TODAY, jobs=1)
    assert [d.code for d in result.diagnostics if d.file.endswith("baihe-00010.yml")] == ["X705", "X705"]
    assert next(c for c in result.compliance if c.school_id == "baihe-00010").status == "problems"


def test_the_bureau_exception_is_shown_and_exported_from_its_file(project: Path) -> None:
    result = check_project(project / "schools", today=TODAY, jobs=1)
    site = build_site(result)
    school = next(s for s in site.schools if s.id == "yunling-00005")
    assert [e.rule for e in school.exceptions] == ["F207"] and school.excepted("2026-秋", "伙 食 费")
    assert not next(s for s in site.schools if s.id == "yunling-00008").exceptions


# -- 2. Invisible and look-alike characters --------------------------------------------------------

def test_the_invisible_class_covers_every_format_control_private_and_space_character() -> None:
    missed = [f"U+{cp:04X}" for cp in range(0x110000) if cp != 0x0A
              and unicodedata.category(chr(cp)) in ("Cc", "Cf", "Co", "Zl", "Zp", "Zs") and cp != 0x20
              and not INVISIBLE.match(chr(cp))]
    assert missed == []


def test_the_quick_invisible_test_agrees_with_the_class_on_every_code_point() -> None:
    """The loader's quick test (the class below U+10000, the rest only for texts with such characters)
    finds exactly what INVISIBLE finds, alone and inside ordinary text, before and after astral text."""
    wrong = [f"U+{cp:04X}" for cp in range(0x110000)
             if any_invisible(f"青石{chr(cp)}中学\n") != bool(INVISIBLE.search(f"青石{chr(cp)}中学\n"))
             or any_invisible(f"𠀀{chr(cp)}") != bool(INVISIBLE.search(f"𠀀{chr(cp)}"))]
    assert wrong == []


@pytest.mark.parametrize("char", ["\u00ad", "\u034f", "\u061c", "\u180e", "\ufe0f", "\u3164", "\U000e0001",
                                  "\u2800", "\u115f", "\uffa0", "\ue000", "\U000e0100", "\u2066", "\u202e"])
def test_each_invisible_character_is_refused_with_its_position(char: str) -> None:
    loaded = load_bytes(f"a: 1\nitem: 择{char}校费\n".encode(), "x.yml")
    assert loaded.data is None and [(d.code, d.line, d.column) for d in loaded.diagnostics] == [("Y006", 2, 8)]
    assert f"U+{ord(char):04X}" in loaded.diagnostics[0].message


def test_names_compare_after_normalising() -> None:
    assert name_key("择\u00ad校费") == name_key("擇校費") == name_key("择 校 费") == "择校费"
    assert name_key("１２３４５") == "12345"


def test_a_forbidden_fee_hidden_by_a_soft_hyphen_is_not_published(project: Path) -> None:
    school = project / SCHOOL
    school.write_text(school.read_text("utf-8").replace("  - item: 伙食费", "  - item: 择\u00ad校费", 1), "utf-8")
    proc = _build(project)
    assert proc.returncode == 1 and "Y006" in proc.stderr and "U+00AD SOFT HYPHEN" in proc.stderr
    assert "择\u00ad校费" not in _site_text(project)


# -- 3. Complaint-line impersonation ---------------------------------------------------------------

@pytest.mark.parametrize("name, phone", [
    ("12345", "0712-3739781"),                                  # a national number's name, the school's phone
    ("青石市教育局收费投诉电话", "0712-3739781"),                # the bureau's line's name
    ("学校收费监督电话", "0712-3216000"),                        # the bureau's number
    ("教育局收费投诉热线", "0712-3739781"),                       # looks like an authority's line
])
def test_a_school_line_cannot_pass_for_an_official_one(project: Path, name: str, phone: str) -> None:
    school = project / SCHOOL
    _edit(school, "  - name: 学校收费监督电话\n    phone: 0712-3739781", f"  - name: {name}\n    phone: {phone}")
    text = school.read_text("utf-8").replace("      - 学校收费监督电话\n", "")
    school.write_text(text, "utf-8")
    result = check_project(project / "schools", today=TODAY, jobs=1)
    assert "H305" in {d.code for d in result.diagnostics if d.file.endswith("qingshi-00003.yml")}
    proc = _build(project)
    assert proc.returncode == 1 and "H305" in proc.stderr


def test_official_lines_come_first_and_are_marked_on_the_page(project: Path) -> None:
    proc = _build(project)
    assert proc.returncode == 0, proc.stderr
    html = (project / "site" / "schools" / "qingshi" / "qingshi-00003" / "index.html").read_text("utf-8")
    block = html[html.index('id="hotlines"'):]
    items = re.findall(r'<li class="xw-hotline( xw-hotline--official)?">.*?class="xw-tel" href="([^"]+)".*?'
                       r'<span class="xw-badge">([^<]+)</span>', block[:block.index("</ul>")])
    assert items[0] == (" xw-hotline--official", "tel:07123216000", "教育主管部门")
    kinds = [bool(official) for official, _, _ in items]
    assert kinds == sorted(kinds, reverse=True) and kinds.count(False) == 1  # the school's line last
    assert items[-1][1:] == ("tel:07123739781", "本校电话")


# -- 4. School identity ----------------------------------------------------------------------------

def test_a_school_cannot_publish_another_schools_name(project: Path) -> None:
    _edit(project / SCHOOL, "  name: 青石县柳湾中学", "  name: 青石县第一中学")
    proc = _build(project)
    assert proc.returncode == 1 and "R603" in proc.stderr
    assert "青石县第一中学" not in _site_text(project)


def test_a_school_id_cannot_take_a_generated_page(project: Path) -> None:
    shutil.move(project / SCHOOL, project / "schools" / "qingshi" / "index.yml")
    result = check_project(project / "schools", today=TODAY, jobs=1)
    assert "S118" in {d.code for d in result.diagnostics if d.file.endswith("index.yml")}


# -- 5. Dates --------------------------------------------------------------------------------------

def test_a_future_commit_date_or_disclosure_date_is_never_shown(project: Path) -> None:
    result = check_project(project / "schools", today=TODAY, jobs=1)
    source = "schools/qingshi/qingshi-00003.yml"
    site = build_site(result, updated={source: date(2099, 1, 1)})
    school = next(s for s in site.schools if s.id == "qingshi-00003")
    assert school.updated is None and school.latest_published is not None and school.latest_published <= TODAY
    # Built on a day before the autumn notices were published: their dates are not "latest published".
    early = build_site(check_project(project / "schools", today=date(2026, 8, 5), jobs=1))
    school = next(s for s in early.schools if s.id == "qingshi-00003")
    assert school.latest_published is not None and school.latest_published < date(2026, 8, 5)
    assert all(d <= date(2026, 8, 5) for _, d in _sitemap_dates(early))


def _sitemap_dates(site: Any) -> list[tuple[str, date]]:
    from xiaowu.publish.feeds import page_urls
    return [(url, day) for url, day in page_urls(site) if day is not None]


# -- 6. Links, special files, sizes, names ---------------------------------------------------------

def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.yml"
    with open(big, "wb") as handle:
        handle.truncate(3 * 1024 ** 3)  # sparse: 3 GB on paper, nothing on disk
    reads: list[int] = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    raw, problems = files.read_limited(big, 256 * 1024, "big.yml")
    assert raw is None and [d.code for d in problems] == ["Y001"] and "3221225472" in problems[0].message
    assert reads == []


def test_new_never_writes_through_a_link(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (project / "schools" / "linked").symlink_to(outside, target_is_directory=True)
    policy = project / "schools" / "policy.yml"
    _edit(policy, "counties:\n", "counties:\n  - id: linked\n    name: 链接县\n")
    assert main(["new", "linked-school", "--county", "linked"]) == 2
    assert list(outside.iterdir()) == []
    (project / "schools" / "qingshi" / "qingshi-new.yml").symlink_to(outside / "target.yml")
    assert main(["new", "qingshi-new", "--county", "qingshi"]) == 2
    assert list(outside.iterdir()) == []


def test_check_given_a_link_reports_it(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link = project / "schools" / "qingshi" / "qingshi-link.yml"
    link.symlink_to("/etc/hostname")
    assert main(["check", str(link), "--today", "2026-11-21"]) == 1
    assert "Y016" in capsys.readouterr().out


# -- 7. publish.py ---------------------------------------------------------------------------------

def _publisher() -> Any:
    spec = importlib.util.spec_from_file_location("publish", REPO / "scripts" / "publish.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _built_site(tmp_path: Path, label: str) -> Path:
    """A one-page site with the build record the plugin would write for the repository's data."""
    site = tmp_path / f"built-{label}"
    site.mkdir()
    (site / "index.html").write_text(f"<html>{label}</html>", "utf-8")
    buildrecord.write_record(site, buildrecord.make_record(site, REPO / "schools", TODAY, buildrecord.BuildCheck(0, 0, True), 48))
    return site


def test_publish_refuses_a_folder_with_content_and_leaves_it_alone(tmp_path: Path) -> None:
    publish = _publisher()
    target = tmp_path / "www"
    target.mkdir()
    (target / "precious.html").write_text("old site", "utf-8")
    with pytest.raises(publish.Refused):
        publish.publish(target, _built_site(tmp_path, "a"), 3, [])
    assert (target / "precious.html").read_text("utf-8") == "old site" and not target.is_symlink()
    empty = tmp_path / "empty"
    empty.mkdir()
    publish.publish(empty, _built_site(tmp_path, "b"), 3, [])
    assert empty.is_symlink() and (empty / "index.html").read_text("utf-8") == "<html>b</html>"


def test_publish_never_counts_or_keeps_a_killed_release_and_never_prunes_the_live_one(tmp_path: Path) -> None:
    publish = _publisher()
    target = tmp_path / "www"
    good = publish.publish(target, _built_site(tmp_path, "good"), 1, [])
    releases = publish.releases_dir(target)
    killed = releases / "99991231T235959-1"  # newest by name, but its build was killed: no marker
    killed.mkdir()
    (killed / "index.html").write_text("<html>half", "utf-8")
    publish.prune(target, 1)
    assert not killed.exists() and good.exists() and target.resolve() == good.resolve()
    # An operator rolled back to an older release by hand: prune keeps it, however many --keep says.
    newer = publish.publish(target, _built_site(tmp_path, "newer"), 1, [])
    assert not good.exists() and newer.exists()
    older = releases / "00000101T000000-1"
    shutil.copytree(newer, older)
    os.replace(_symlink(tmp_path, older), target)
    publish.prune(target, 1)
    assert older.exists() and newer.exists()  # the live one and the newest complete one


def test_publish_never_skips_the_verification(tmp_path: Path) -> None:
    """No verifier, a verifier that cannot run, or a site without the plugin's record: nothing goes live."""
    publish = _publisher()
    target = tmp_path / "www"
    live = publish.publish(target, _built_site(tmp_path, "live"), 3, [])
    unchecked = tmp_path / "unchecked"
    unchecked.mkdir()
    (unchecked / "index.html").write_text("<html>no record</html>", "utf-8")
    for site, xiaowu, reason in ((_built_site(tmp_path, "a"), [], "没有指定核对网站的 xiaowu 命令"),
                                 (_built_site(tmp_path, "b"), [str(tmp_path / "missing")], "无法运行核对命令"),
                                 (unchecked, None, "没有 xiaowu 的生成记录")):
        with pytest.raises(publish.Refused, match=reason):
            publish.publish(target, site, 3, [], xiaowu=xiaowu)
        assert target.resolve() == live.resolve() and (target / "index.html").read_text("utf-8") == "<html>live</html>"
    assert [p.name for p in publish.releases_dir(target).iterdir()] == [live.name]


def _symlink(tmp_path: Path, to: Path) -> Path:
    link = tmp_path / ".switch"
    link.symlink_to(to, target_is_directory=True)
    return link


def test_publish_explains_a_permission_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    publish = _publisher()
    site = _built_site(tmp_path, "a")

    def denied(*args: Any, **kwargs: Any) -> None:
        raise PermissionError(13, "Permission denied", str(tmp_path / "www"))
    monkeypatch.setattr(publish.shutil, "copytree", denied)
    monkeypatch.setattr(sys, "argv", ["publish.py", "--target", str(tmp_path / "www"), "--site", str(site)])
    assert publish.main() == 1
    err = capsys.readouterr().err
    assert "没有权限写入" in err and "原网站保持不变" in err and "Traceback" not in err


# -- 8. Exports ------------------------------------------------------------------------------------

def test_export_writes_whole_files_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    # Files outside data/ (feed.xml, the sitemaps) are renamed into place one by one; data/ is swapped
    # as a whole (tests/test_trust_names_exports.py).
    accounting.write_files(out, {"a.json": b'{"v":1}\n', "b.json": b'{"v":1}\n'})
    real_replace = os.replace
    calls: list[str] = []

    def killed_after_one(src: Any, dst: Any) -> None:
        if calls:
            raise KeyboardInterrupt  # the run is killed between two files
        calls.append(str(dst))
        real_replace(src, dst)
    monkeypatch.setattr(accounting.os, "replace", killed_after_one)
    with pytest.raises(KeyboardInterrupt):
        accounting.write_files(out, {"a.json": b'{"v":2}\n', "b.json": b'{"v":2}\n'})
    monkeypatch.setattr(accounting.os, "replace", real_replace)
    for name in ("a", "b"):
        json.loads((out / f"{name}.json").read_text("utf-8"))  # each file whole, old or new
    assert not list(out.glob(".xiaowu-new-*"))


def test_a_second_export_into_the_same_folder_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = project / "exported"
    with accounting.exclusive(out):
        assert main(["export", "--out", str(out), "--today", "2026-11-21"]) == 1
    assert "另一个导出正在写入" in capsys.readouterr().err and not out.exists()
    assert main(["export", "--out", str(out), "--today", "2026-11-21"]) == 0
    json.loads((out / "data" / "schools.json").read_text("utf-8"))


# -- 9. The serve cache is keyed on content --------------------------------------------------------

def test_a_same_size_same_time_edit_is_seen_by_the_cache(project: Path) -> None:
    cache = CheckCache()
    school = project / SCHOOL
    check_project(project / "schools", today=TODAY, cache=cache, jobs=1)
    before = school.stat()
    _edit(school, "学府路 4 号", "学府路 9 号")
    os.utime(school, ns=(before.st_atime_ns, before.st_mtime_ns))
    result = check_project(project / "schools", today=TODAY, cache=cache, jobs=1)
    data = next(s for s in result.schools if s.id == "qingshi-00003").data
    assert data is not None and data.profile.address.endswith("学府路 9 号")


def test_an_exceptions_change_invalidates_the_cache(project: Path) -> None:
    cache = CheckCache()
    first = check_project(project / "schools", today=TODAY, cache=cache, jobs=1)
    assert any(s.accepted for s in first.schools)
    (project / "schools" / "exceptions.yml").write_text("exceptions: []\n", "utf-8")
    second = check_project(project / "schools", today=TODAY, cache=cache, jobs=1)
    assert "F207" in {d.code for d in second.diagnostics if d.blocking}


# -- 11. Bad environment values and floods ---------------------------------------------------------

@pytest.mark.parametrize("value", ["abc", "9" * 40, "-5", "1e9"])
def test_a_bad_source_date_epoch_gives_one_clear_message(project: Path, value: str) -> None:
    cli = subprocess.run([sys.executable, "-m", "xiaowu.cli", "check"], cwd=project, capture_output=True, text=True,
                         env={**os.environ, "SOURCE_DATE_EPOCH": value}, timeout=300)
    assert cli.returncode == 2 and "SOURCE_DATE_EPOCH" in cli.stderr and "Traceback" not in cli.stderr
    build = _build(project, SOURCE_DATE_EPOCH=value)
    assert build.returncode == 1 and "SOURCE_DATE_EPOCH" in build.stderr and "Traceback" not in build.stderr


def test_bad_jobs_and_today_values_are_usage_errors(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--jobs", "0"])
    assert exit_info.value.code == 2
    assert main(["check", "--today", "2026-02-30"]) == 2
    assert "--today" in capsys.readouterr().err


def test_a_flood_of_one_finding_is_capped_with_a_count(project: Path) -> None:
    school = project / SCHOOL
    school.write_text(school.read_text("utf-8") + "".join(f"#\tcomment {i}\n" for i in range(500)), "utf-8")
    result = check_project(project / "schools", today=TODAY, jobs=1)
    tabs = [d for d in result.diagnostics if d.code == "Y004"]
    assert len(tabs) == 51 and "另有 450 处同类问题" in tabs[-1].message


# -- 12. Length limits -----------------------------------------------------------------------------

def test_a_huge_school_name_is_refused(project: Path) -> None:
    _edit(project / SCHOOL, "  name: 青石县柳湾中学", "  name: " + "青石县柳湾中学" * 30)
    result = check_project(project / "schools", today=TODAY, jobs=1)
    assert "S117" in {d.code for d in result.diagnostics if d.file.endswith("qingshi-00003.yml")}
