"""A clerk's first file: every common slip, at every key of the real `xiaowu new` template, named at
the right line and column with its real cause, in Chinese, with the template's comments in place,
without them, and with extra comments full of "：" and "#" (issue 24, point 1)."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from xiaowu.check.bureau import load_policy
from xiaowu.check.file import check_file
from xiaowu.findings.diagnostic import Diagnostic
from xiaowu.publish.starter import render_template
from xiaowu.read.loader import load_text

ROOT = Path(__file__).resolve().parents[1]
POLICY = load_policy(ROOT / "schools" / "policy.yml")[0]
TEMPLATE = render_template("qs-test", "青石县", POLICY)
KEY_LINE = re.compile(r"^( *)(- )?([a-z_]+):(.*)$")
#: Any English word of libyaml's ("did not find expected <document start>", "mapping values ...").
ENGLISH = re.compile(r"did not|could not|not allowed|while (?:scanning|parsing)|found (?:unexpected|character|undefined)"
                     r"|cannot start|<\w+ \w+>|escape|indicator|alphabetic|YAMLError|Error\b")


def _strip_comments(text: str) -> str:
    return "\n".join("" if line.lstrip().startswith("#") else line for line in text.split("\n"))


def _noisy_comments(text: str) -> str:
    """Every key line preceded by a comment with full-width colons, "#" and a "key：" look-alike."""
    out = []
    for line in text.split("\n"):
        found = KEY_LINE.match(line)
        if found:
            out.append(f"{found.group(1)}# 注意：见 #3 号文件；amount：写数字 name：全称 # 再注")
        out.append(line)
    return "\n".join(out)


#: The three shapes of one file: as `xiaowu new` writes it, without comments, with extra comments.
SHAPES: dict[str, Callable[[str], str]] = {
    "template": lambda text: text, "no comments": _strip_comments, "noisy comments": _noisy_comments}


def _keys(text: str) -> list[int]:
    """0-based indexes of the template's uncommented key lines."""
    return [index for index, line in enumerate(text.split("\n")) if KEY_LINE.match(line)]


def _check(text: str) -> list[Diagnostic]:
    return list(check_file(text.encode("utf-8"), "schools/qingshi/qs-test.yml", "qs-test", "qingshi",
                           POLICY).diagnostics)


def _slipped(shape: str, index: int, change: Callable[[re.Match[str]], str]) -> tuple[str, int]:
    """The template in one shape with one key line changed, and that line's 1-based number there."""
    text = SHAPES[shape](TEMPLATE)
    lines = text.split("\n")
    original = TEMPLATE.split("\n")[index]
    number = lines.index(original, 0) if lines.count(original) == 1 else _nth(lines, TEMPLATE, index)
    found = KEY_LINE.match(lines[number])
    assert found is not None
    lines[number] = change(found)
    return "\n".join(lines), number + 1


def _nth(lines: list[str], template: str, index: int) -> int:
    """Where the template's line ``index`` is in the reshaped lines (duplicate lines, e.g. "- ")."""
    original = template.split("\n")
    occurrence = original[:index].count(original[index])
    positions = [n for n, line in enumerate(lines) if line == original[index]]
    return positions[occurrence]


def _value(found: re.Match[str]) -> str:
    return found.group(4).strip() or "青石县第一中学"


def _syntax_only(found: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in found if d.code.startswith("Y")]


def _no_english(found: list[Diagnostic]) -> None:
    for d in found:
        assert not ENGLISH.search(d.message + d.help), d


KEYS = _keys(TEMPLATE)
CASES = [(shape, index) for shape in SHAPES for index in KEYS]
IDS = [f"{shape}-{TEMPLATE.split(chr(10))[index].strip()}@{index + 1}" for shape, index in CASES]


def test_the_template_has_every_kind_of_key() -> None:
    """Top-level keys, nested keys, list items' first keys and keys after them are all exercised."""
    lines = [TEMPLATE.split("\n")[i] for i in KEYS]
    assert any(line.startswith("profile:") for line in lines)
    assert any(line.startswith("          authority:") for line in lines)
    assert any("- item:" in line for line in lines) and any("- name:" in line for line in lines)
    assert len(KEYS) >= 25


@pytest.mark.parametrize(("shape", "index"), CASES, ids=IDS)
def test_full_width_colon_after_any_key(shape: str, index: int) -> None:
    text, number = _slipped(shape, index, lambda m: f"{m.group(1)}{m.group(2) or ''}{m.group(3)}：{_value(m)}")
    found = _syntax_only(_check(text))
    column = len(text.split("\n")[number - 1].split("：")[0]) + 1
    assert [(d.code, d.line, d.column) for d in found] == [("Y008", number, column)]


@pytest.mark.parametrize(("shape", "index"), CASES, ids=IDS)
def test_no_space_after_a_keys_colon(shape: str, index: int) -> None:
    text, number = _slipped(shape, index, lambda m: f"{m.group(1)}{m.group(2) or ''}{m.group(3)}:{_value(m)}")
    found = _syntax_only(_check(text))
    column = len(text.split("\n")[number - 1].split(":")[0]) + 2
    assert [(d.code, d.line, d.column) for d in found] == [("Y020", number, column)]
    assert f"“{KEY_LINE.match(TEMPLATE.split(chr(10))[index]).group(3)}”" in found[0].message  # type: ignore[union-attr]


@pytest.mark.parametrize(("shape", "index"), CASES, ids=IDS)
def test_quote_left_open_at_any_key(shape: str, index: int) -> None:
    text, number = _slipped(shape, index, lambda m: f"{m.group(1)}{m.group(2) or ''}{m.group(3)}: \"{_value(m)}")
    found = _syntax_only(_check(text))
    column = text.split("\n")[number - 1].index("\"") + 1
    assert [(d.code, d.line, d.column) for d in found] == [("Y023", number, column)]


@pytest.mark.parametrize(("shape", "index"), CASES, ids=IDS)
@pytest.mark.parametrize("extra", [1, 3, 5, 8])
def test_key_indented_too_far(shape: str, index: int, extra: int) -> None:
    """One key line pushed right: a Y022 that names this line (at it, or in the message)."""
    text, number = _slipped(shape, index, lambda m: " " * extra + m.group(0))
    found = _syntax_only(_check(text))
    _no_english(found)
    assert {d.code for d in found} == {"Y022"}, found
    assert found[0].line == number or f"第 {number} 行" in found[0].message, found[0]


@pytest.mark.parametrize(("shape", "index"), CASES, ids=IDS)
@pytest.mark.parametrize("absolute", [7, 10])
def test_key_at_seven_or_ten_spaces(shape: str, index: int, absolute: int) -> None:
    """The issue's own slip: a key indented 7 or 10 spaces wherever it is."""
    text, number = _slipped(shape, index, lambda m: " " * absolute + (m.group(2) or "") + m.group(3) + ":"
                            + m.group(4))
    if text == SHAPES[shape](TEMPLATE):
        return  # the key already sits at that depth
    found = _syntax_only(_check(text))
    _no_english(found)
    assert found and {d.code for d in found} == {"Y022"}, found
    assert found[0].line == number or f"第 {number} 行" in found[0].message, found[0]


@pytest.mark.parametrize("shape", list(SHAPES))
def test_list_dash_without_space(shape: str) -> None:
    for index in KEYS:
        if "- " not in TEMPLATE.split("\n")[index]:
            continue
        text, number = _slipped(shape, index, lambda m: m.group(1) + "-" + m.group(3) + ":" + m.group(4))
        found = _syntax_only(_check(text))
        assert [(d.code, d.line) for d in found] == [("Y021", number)], (index, found)


@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize(("indent", "code"), [("\u3000", "Y005"), ("\t", "Y004"), ("\u00a0", "Y005")])
def test_indent_with_a_space_like_character(shape: str, indent: str, code: str) -> None:
    """全角空格, a tab or a no-break space instead of spaces: named at the line, never a colon."""
    for index in KEYS[1:6]:
        text, number = _slipped(shape, index, lambda m: indent + m.group(0).lstrip(" "))
        found = _syntax_only(_check(text))
        assert found and found[0].code == code and found[0].line == number, found


@pytest.mark.parametrize("text, expected", [
    # The examples, each after comments with full-width colons.
    ("# 学校信息：基本情况\nprofile：\n  name: 一中\n", ("Y008", 2, 8)),
    ("# 说明：#1\nprofile:\n  # 名称：全称\n  name：一中\n  county: 青石县\n", ("Y008", 4, 7)),
    ("profile:\n  # 金额：数字\n  amount:280\n  unit: 元\n", ("Y020", 3, 10)),
    ("a:\n  # 备注：见 #2\n  b: 1\n       c: 2\n", ("Y022", 4, 8)),
    ("a:\n  b: 1\n # 注：\n   c: 2\n", ("Y022", 4, 4)),
    ("hotlines:\n  # 电话：\n  -name: x\n    phone: 1\n", ("Y021", 3, 3)),
    ("a:\n  b: '青石\n  c: 1\n", ("Y023", 2, 6)),
    ("a:\n  b: \"青石\"一中\n  c: 1\n", ("Y023", 2, 10)),
    ("a:\n  b: '青石'  一中\n  c: 1\n", ("Y023", 2, 12)),
    ("a:\n  website:https://x.cn/\n  b: 1\n", ("Y020", 2, 11)),
    ("a:\n  - https://x.cn/\n  -b: 1\n", ("Y021", 3, 3)),
    # Not slips of ours: libyaml's stop, worded in Chinese.
    ("a: @b\n", ("Y007", 1, 4)),
    ("a: [1, 2\nb: 1\n", ("Y007", 2, 2)),
])
def test_invented_slips(text: str, expected: tuple[str, int, int]) -> None:
    found = load_text(text, "x.yml").diagnostics
    assert [(d.code, d.line, d.column) for d in found] == [expected]
    _no_english(found)


@pytest.mark.parametrize("text", [
    "profile\n  name: x\n", ": x\n", "a: b: c\n", "a:\n- b\n  c: d\n", "a: |\n  x\n b: 1\n", "a: 'x\n",
    "a: {b: 1\n", "- a\nb: 1\n", "a: *x\n", "%YAML 1.1\n%YAML 1.1\n---\na: 1\n",
    "a: 1\n...\nb: 2\n", "a:\n  b: 1\n c: 2\n", "a: \"\\x\"\n", "a:\n  - b\n  c\n", "profile：\n",
])
def test_no_english_ever(text: str) -> None:
    """Whatever libyaml says, the clerk reads Chinese."""
    found = load_text(text, "x.yml").diagnostics
    assert found
    _no_english(found)
    for d in found:
        assert not re.search(r"[A-Za-z]{3,}", d.message.replace("yml", "")), d


def test_a_file_that_parses_gets_no_syntax_finding() -> None:
    """The slip pass only runs where libyaml gave up: the real template itself has no Y finding."""
    for shape in SHAPES:
        assert _syntax_only(_check(SHAPES[shape](TEMPLATE))) == []
