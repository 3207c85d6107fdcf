# Issue 19, points 5 and 6: names compared through one key that folds traditional and variant
# characters (OpenCC + NFKC), and school lines that look like official ones.
from __future__ import annotations

import shutil
import sys
import unicodedata
from datetime import date
from functools import cache
from pathlib import Path

import opencc
import pytest

from xiaowu.check.bureau import load_policy
from xiaowu.check.project import check_project
from xiaowu.model.catalog import NATIONAL_FORBIDDEN
from xiaowu.model.policy import Policy
from xiaowu.read.chars import name_key
from xiaowu.read.fields import Phone, parse_phone
from xiaowu.rules.hotlines import AUTHORITY_WORDS, NATIONAL_LINE_NAMES, impersonation

REPO = Path(__file__).resolve().parents[1]
SCHOOL_PHONE = Phone("0712-3739781", "landline")


@cache
def _policy() -> Policy:
    policy, _, found = load_policy(REPO / "schools" / "policy.yml")
    assert policy.loaded and not found
    return policy


@cache
def _to_traditional() -> tuple[opencc.OpenCC, ...]:
    return tuple(opencc.OpenCC(config) for config in ("s2t", "s2tw", "s2hk", "s2twp"))


@cache
def _compatibility_forms() -> dict[str, tuple[str, ...]]:
    """Every unified ideograph -> the code points NFKC folds onto it (compatibility ideographs,
    Kangxi radicals)."""
    forms: dict[str, list[str]] = {}
    for start, end in ((0x2F00, 0x2FD6), (0xF900, 0xFB00), (0x2F800, 0x2FA20)):
        for code in range(start, end):
            char = chr(code)
            folded = unicodedata.normalize("NFKC", char)
            if folded != char and len(folded) == 1:
                forms.setdefault(folded, []).append(char)
    return {k: tuple(v) for k, v in forms.items()}


#: Variant characters OpenCC knows as the same character (beyond the plain traditional forms).
VARIANTS = {"教": "敎", "卫": "衞", "叙": "敍", "为": "爲", "真": "眞", "群": "羣", "线": "綫", "里": "裏", "妆": "粧"}


def spellings(name: str) -> set[str]:
    """``name`` with each character, and the whole, in every traditional or variant form we know."""
    out = {name}
    for convert in _to_traditional():
        whole = convert.convert(name)
        out.add(whole)
        for i, char in enumerate(name):
            out.add(name[:i] + convert.convert(char) + name[i + 1:])
            out.add(whole[:i] + char + whole[i + 1:])
    for i, char in enumerate(name):
        for form in (*_compatibility_forms().get(char, ()), VARIANTS.get(char, char)):
            out.add(name[:i] + form + name[i + 1:])
    return out


def _forbidden_terms() -> list[str]:
    terms = {term for entry in NATIONAL_FORBIDDEN for term in entry.terms}
    terms |= {term for entry in _policy().forbidden for term in entry.terms}
    return sorted(terms)


# -- 5. Traditional and variant characters -----------------------------------------------------------

def test_the_example_policy_has_its_own_forbidden_items() -> None:
    assert "午休管理费" in _forbidden_terms() and "择校费" in _forbidden_terms()


@pytest.mark.parametrize("term", _forbidden_terms())
def test_a_forbidden_item_in_any_traditional_or_variant_spelling_is_still_forbidden(term: str) -> None:
    variants = spellings(term) | {f"{s}（初一）" for s in spellings(term)}
    assert len(variants) > 2
    missed = [v for v in variants if _policy().forbidden_match(v) is None]
    assert not missed, missed


@pytest.mark.parametrize("spelling", ["補課費", "補习费", "手續費", "敎輔資料費", "講義資料費", "擇校費", "點"])
def test_the_old_table_and_the_issue_examples_fold(spelling: str) -> None:
    assert name_key(spelling) == name_key(opencc.OpenCC("t2s").convert(spelling))


def _official_names() -> list[str]:
    return [line.name for line in _policy().hotlines] + list(NATIONAL_LINE_NAMES)


@pytest.mark.parametrize("official", _official_names())
def test_an_official_line_name_in_any_spelling_is_still_refused(official: str) -> None:
    names = spellings(official) | {f"{s}（学校）" for s in spellings(official)}
    missed = [n for n in names if impersonation(_policy(), n, SCHOOL_PHONE) is None]
    assert not missed, missed


def test_a_traditional_forbidden_item_is_f209_not_the_waivable_rule(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(REPO / "schools", tmp_path / "schools")
    school = tmp_path / "schools/qingshi/qingshi-00003.yml"
    text = school.read_text("utf-8")
    assert text.count("  - item: 伙食费") >= 1
    school.write_text(text.replace("  - item: 伙食费", "  - item: 補課輔導費", 1), "utf-8")
    result = check_project(tmp_path / "schools", today=date(2026, 11, 21), jobs=1)
    codes = {d.code for d in result.diagnostics if d.file.endswith("qingshi-00003.yml")}
    assert "F209" in codes


def test_the_cost_script_runs() -> None:
    """The figures live in the script's output (README "Benchmarks"), not in a timed test."""
    import subprocess
    proc = subprocess.run([sys.executable, "scripts/bench_names.py"], cwd=REPO, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "OpenCC fold, memoised" in proc.stdout and "µs/call" in proc.stdout


# -- 6. Official-looking lines ----------------------------------------------------------------------

def _one_off(name: str) -> set[str]:
    """Invented look-alikes: a character changed for a similar one, dropped or doubled."""
    similar = {"育": "肓", "教": "敎", "局": "扃", "投": "设", "诉": "拆", "费": "赞", "电": "申", "话": "活",
               "市": "巿", "务": "各", "服": "眼", "监": "盐", "察": "祭", "检": "捡", "纪": "记", "报": "极"}
    out: set[str] = set()
    for i, char in enumerate(name):
        out.add(name[:i] + name[i + 1:])
        out.add(name[:i] + char + name[i:])
        if char in similar:
            out.add(name[:i] + similar[char] + name[i + 1:])
    return {n for n in out if len(name_key(n)) >= 5}


@pytest.mark.parametrize("official", _official_names())
def test_a_line_one_character_off_an_official_name_is_refused(official: str) -> None:
    names = _one_off(official) | {f"学校{n}" for n in _one_off(official)}
    assert len(names) > 5
    missed = [n for n in names if impersonation(_policy(), n, SCHOOL_PHONE) is None]
    assert not missed, missed


@pytest.mark.parametrize("word", [w for words in AUTHORITY_WORDS.values() for w in words])
def test_every_authority_word_is_refused_in_a_line_name(word: str) -> None:
    for name in (f"{word}投诉电话", f"学校{word}监督热线", f"县{word}"):
        found = impersonation(_policy(), name, SCHOOL_PHONE)
        assert found is not None and found[0] == "name", name


@pytest.mark.parametrize("name", [
    "教育部投诉电话", "县人民政府热线", "市政府收费投诉", "信访办", "县信访局来访接待", "物价局价格举报", "县纪委举报电话",
    "市监委", "巡视组来信", "教育督导室", "市场监督管理局投诉", "发展改革局价格热线", "价格监督电话", "纪检监察室",
    "敎育局收费热线", "教肓局收费热线", "教育廳投诉", "市長热线", "12345 转学校", "政務服務便民热线", "市场监管投诉举报热线（校）",
    "纪检监察举报电活", "价格举报電话", "青石市教育局", "青石市教肓局", "公安局", "法院", "县财政局收费监督",
])
def test_invented_official_looking_lines_are_refused(name: str) -> None:
    assert impersonation(_policy(), name, SCHOOL_PHONE) is not None, name


@pytest.mark.parametrize("name", [
    "学校收费监督电话", "校长办公室", "财务室", "政教处", "食堂管理", "德育处", "总务处", "教务处", "校长信箱", "家长委员会",
    "膳食委员会", "安全办公室", "学生资助中心", "校务公开监督电话", "住宿管理办公室", "校医室", "课后服务咨询电话", "招生办公室",
    "教学部", "后勤服务中心", "学校收费投诉电话", "校办", "党支部办公室", "工会", "团委", "少先队大队部", "心理咨询室",
])
def test_ordinary_school_line_names_still_pass(name: str) -> None:
    assert impersonation(_policy(), name, SCHOOL_PHONE) is None, name


def test_the_examples_own_lines_pass() -> None:
    import yaml
    for path in sorted((REPO / "schools").glob("*/*.yml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        for line in data.get("hotlines") or []:
            phone = parse_phone(str(line.get("phone", "")))
            found = impersonation(_policy(), line["name"], phone if isinstance(phone, Phone) else None)
            assert found is None, (path.name, line["name"], found)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__]))
