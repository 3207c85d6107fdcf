# How the editor writes a text value into YAML (the `yaml` 1.x library inside Decap CMS, default
# options): plain when the text reads back as the same text, else in double quotes (single quotes
# when the text holds a double quote). `xiaowu new` and the example generator write values the same
# way, so that saving a file in the editor without a change gives the same bytes, and a one-value
# change is a one-line diff. tests/test_editor_yaml.py compares this with the library itself.
from __future__ import annotations

import json
import re

# YAML 1.2 core schema: plain texts that would read back as null, a boolean or a number.
_NOT_TEXT = re.compile(
    r"^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE"
    r"|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$"
)
_INDICATOR_START = tuple(",[]{}#&*!|>'\"%@`")
# A number the editor reads and writes back unchanged (JavaScript's shortest form of it).
_STABLE_NUMBER = re.compile(r"^(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{0,13}[1-9])?$")


def plain_ok(text: str) -> bool:
    """True when ``text`` can be written without quotes and still read back as this text.

    >>> [plain_ok(v) for v in ["0712-1234567", "工作日 08:00-17:30", "12345", "a: b", "-x", "- x", "[2023]号"]]
    [True, True, False, False, True, False, False]
    """
    if not text or text != text.strip() or "\n" in text or _NOT_TEXT.match(text):
        return False
    if text.startswith(_INDICATOR_START) or (text[0] in "-?:" and (len(text) == 1 or text[1] == " ")):
        return False
    return ": " not in text and " #" not in text and not text.endswith(":")


def scalar(text: str, number: bool = False) -> str:
    """``text`` as the editor writes it; ``number=True`` keeps a number-like value (290, 94.5) plain.

    >>> scalar("青石县"), scalar("0712"), scalar("12345"), scalar("290", number=True), scalar('"x')
    ('青石县', '"0712"', '"12345"', '290', '\\'"x\\'')
    """
    if plain_ok(text) or (number and _STABLE_NUMBER.match(text)):
        return text
    if '"' in text and "'" not in text and "\\" not in text:
        return f"'{text}'"
    return json.dumps(text, ensure_ascii=False)


def number(value: float | int | str) -> str:
    """A number as JavaScript prints it (93.0 → 93), for the examples' scores.

    >>> number(93.0), number(94.3), number("120.50")
    ('93', '94.3', '120.5')
    """
    text = str(value)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
