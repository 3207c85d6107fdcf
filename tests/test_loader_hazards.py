"""Every row of shared/hazards.md that reaches the loader, table-driven (row numbers in comments)."""
from __future__ import annotations

import pytest

from xiaowu.read.loader import MAX_DEPTH, load_bytes


def codes(raw: bytes) -> list[str]:
    return [d.code for d in load_bytes(raw, "t.yml").diagnostics]


def data(raw: bytes) -> object:
    result = load_bytes(raw, "t.yml")
    assert result.diagnostics == []
    return result.data


@pytest.mark.parametrize("text, expected", [
    ("phone: 07551234567", "07551234567"),      # 1 octal-looking phone
    ("phone: 02112345678", "02112345678"),      # 2
    ("phone: 0755-12345678", "0755-12345678"),  # 3
    ("phone: +8613812345678", "+8613812345678"),  # 4 the + is kept
    ("phone: 010010", "010010"),                # 5 postcode, not 4104
    ("phone: 0x1A", "0x1A"),                    # 5
    ("phone: 1_200", "1_200"),                  # 5
    ("phone: 12:30", "12:30"),                  # 6 not 750
    ("phone: no", "no"),                        # 7 Norway
    ("phone: on", "on"),                        # 7
    ("phone: 2026-03-01", "2026-03-01"),        # 8 not a date object
    ("phone: 2026-02-30", "2026-02-30"),        # 8 no ValueError
    ("phone: 0.1", "0.1"),                      # 9 not a float
    ("phone: 120.50", "120.50"),                # 9 trailing zero kept
    ("phone: 1e3", "1e3"),                      # 10
    ("phone: .inf", ".inf"),                    # 10
    ("phone: =", "="),                          # 12 no ConstructorError
    ("phone: 1.10", "1.10"),                    # 13
    ("phone: 440305199001011234", "440305199001011234"),  # 13 stays text (PII is scanned later)
])
def test_scalars_stay_strings(text: str, expected: str) -> None:
    assert data(text.encode()) == {"phone": expected}


@pytest.mark.parametrize("text, expected", [
    ("x:", None), ("x: ~", None), ("x: null", None), ("x: NULL", None),  # 11 null forms
    ("x: ''", ""), ("x: none", "none"), ("x: None", "None"),
])
def test_null_and_empty(text: str, expected: object) -> None:
    assert data(text.encode()) == {"x": expected}


@pytest.mark.parametrize("raw, code, line, column", [
    (b"note: \xe7\xac\xac #3\n", "Y014", 1, 7),                     # 14 " #" truncation
    (b"phone: 1\nphone: 2\n", "Y012", 2, 1),                        # 15 duplicate key
    (b"items:\n  - amount: 1\n    amount: 2\n", "Y012", 3, 5),      # 15 duplicate in a list item
    (b"no: a\nfalse: b\n", None, 0, 0),                             # 16 keys stay text: no collision
    (b"a: &x [1]\nb: *x\n", "Y009", 1, 4),                          # 17 anchor
    (b"a: &x [1, *x]\n", "Y009", 1, 4),                             # 18 self-reference
    ("电话: 0755".encode("gbk"), "Y002", 1, 1),                     # 19 GBK
    ("电话: 0755".encode("utf-16"), "Y003", 1, 1),                  # 22 UTF-16 with BOM
    ("电话: 0755".encode("utf-16-le"), "Y003", 1, 1),               # 22 UTF-16 without BOM
    (b"a: 1\n\x1a", "Y006", 2, 1),                                  # 23 Ctrl-Z
    (b"a: 1\x00\n", "Y006", 1, 5),                                  # 23 a lone NUL
    ("电话：0755-12345678\n".encode(), "Y015", 1, 1),               # 24 full-width colon, one line
    ("a: 1\nb：2\nc: 3\n".encode(), "Y008", 2, 2),                  # 25 reported on its own line
    (b"phone:0755-1234\n", "Y015", 1, 1),                           # 26 no space after colon
    ("contact:\n\u3000\u3000phone: 1\n".encode(), "Y005", 2, 1),     # 27 full-width space indent
    ("contact:\n\u00a0\u00a0phone: 1\n".encode(), "Y005", 2, 1),     # 27 NBSP indent
    (b"a:\n\tb: 1\n", "Y004", 2, 1),                                 # 28 tab indent
    (b"a:\tb\n", "Y004", 1, 3),                                      # 28 tab after colon
    ("a\u200b: 1\n".encode(), "Y006", 1, 2),                         # 30 zero-width space in key
    ("a: 1\n\ufeffb: 2\n".encode(), "Y006", 2, 1),                   # 30 BOM mid-file
    ("a: x\u2028y\n".encode(), "Y006", 1, 5),                        # 30 U+2028
    ("a: x\u0085y\n".encode(), "Y006", 1, 5),                        # 30 NEL
    (b'a: "x\\u000by"\n', "Y006", 1, 4),                               # 30 the same, written as an escape
    (b'a: "x\\u200by"\n', "Y006", 1, 4),                               # 30
    (b'"k\\u200b": 1\n', "Y006", 1, 1),                                # 30 escaped, in a key
    (b'a: "x\\ty"\n', "Y004", 1, 4),                                   # 4 an escaped tab
    (b'a: "x\\u3000y"\n', "Y005", 1, 4),                               # 4 an escaped full-width space
    (b'a: "line\\nnext"\n', None, 0, 0),                               # a line break escape is text
    (b"a: @x\n", "Y007", 1, 4),                                      # 32 reserved indicator
    (b"a: [2023]12\n", "Y007", 1, 10),                               # 32 flow sequence then text
    (b"a: b: c\n", "Y007", 1, 5),                                    # 32 ": " inside a value
    (b"", "Y015", 1, 1),                                             # 33 empty file
    (b"# only a comment\n", "Y015", 1, 1),                           # 33 comments only
    (b"- a\n", "Y015", 1, 1),                                        # 33 top-level list
    (b"just text\n", "Y015", 1, 1),                                  # 33 top-level scalar
    (b"a: 1\n---\nb: 2\n", "Y010", 2, 1),                            # 34 two documents
    (b"? [a, b]\n: c\n", "Y013", 1, 3),                              # 35 complex key
    (b"~: 1\n", "Y013", 1, 1),                                       # 35 null key
    (b"a: !!binary aGk=\n", "Y009", 1, 4),                           # 36 explicit tag
    (b"a: !!python/object/apply:os.system [ls]\n", "Y009", 1, 4),   # 36 python tag, never executed
    (b"a: !!set {x}\n", "Y009", 1, 4),                               # 36
    (b"a: " + b"[" * 30000 + b"]" * 30000 + b"\n", "Y011", 1, 4 + MAX_DEPTH - 1),  # 37 no segfault
    (b"a: " + b"x" * 300_000, "Y001", 1, 1),                         # 38 size cap
])
def test_hazards(raw: bytes, code: str | None, line: int, column: int) -> None:
    result = load_bytes(raw, "t.yml")
    if code is None:
        assert result.diagnostics == []
        return
    assert result.diagnostics, "expected a diagnostic"
    first = result.diagnostics[0]
    assert (first.code, first.line, first.column) == (code, line, column)
    assert first.file == "t.yml" and first.message and first.help and first.basis


def test_bom_crlf_and_bare_cr() -> None:  # 21
    expected = {"a": "1", "b": "2"}
    assert data(b"\xef\xbb\xbfa: 1\r\nb: 2\r\n") == expected
    assert data(b"a: 1\rb: 2\r") == expected


def test_block_nesting_deep_is_refused_before_composing() -> None:  # 37, block form
    text = "".join(" " * i + f"k{i}:\n" for i in range(40)) + " " * 40 + "v: 1\n"
    assert codes(text.encode())[0] == "Y011"


def test_alias_bomb_is_refused_without_expansion() -> None:  # 17
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    result = load_bytes("\n".join(lines).encode(), "t.yml")
    assert {d.code for d in result.diagnostics} == {"Y009"}
    assert len(repr(result.data)) < 10_000


def test_marks_point_at_values_and_keys() -> None:
    result = load_bytes("school:\n  name: 一中\n  stages:\n    - 小学\n".encode(), "t.yml")
    assert result.marks[("school", "name")] == (2, 9)
    assert result.key_marks[("school", "stages")] == (3, 3)
    assert result.marks[("school", "stages", 0)] == (4, 7)
    assert result.mark(("school", "missing")) == (2, 3)  # falls back to the parent mapping


def test_full_width_colon_message_mentions_the_fix() -> None:
    diagnostic = load_bytes("a: 1\nb：2\n".encode(), "t.yml").diagnostics[0]
    assert "全角冒号" in diagnostic.message and "半角冒号" in diagnostic.help
