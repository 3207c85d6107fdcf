# A file's bytes as text: strict UTF-8 with a diagnosis of the encodings clerks produce, and every
# tab, full-width space or invisible character found with its line and column before YAML sees it.
from __future__ import annotations

import unicodedata

from xiaowu.read.chars import INVISIBLE, any_invisible
from xiaowu.findings.diagnostic import Diagnostic, make

Mark = tuple[int, int]

MAX_BYTES = 256 * 1024
#: The policy holds a whole province's roster and catalog, so it may be larger.
MAX_POLICY_BYTES = 16 * 1024 * 1024
#: A file with a broken character usually has many; past this many we stop scanning (and the
#: report lists the first few of each kind, see diagnostics.limit_repeats).
MAX_CHAR_DIAGNOSTICS = 1000

# Characters that silently change structure or meaning, found before the parser sees them: every
# control, format, private-use and separator character and the other invisible ones (chars.py).
_FORBIDDEN_CHARS = INVISIBLE
_SPACE_NAMES = {"\u3000": "全角空格", "\u00a0": "不换行空格"}


def _position(raw: bytes, index: int) -> Mark:
    before = raw[:index]
    line = before.count(b"\n") + 1
    last = before.rfind(b"\n")
    column = len(before[last + 1 :].decode("utf-8", errors="replace")) + 1
    return line, column


def decode(raw: bytes, file: str, max_bytes: int = MAX_BYTES) -> tuple[str | None, list[Diagnostic]]:
    """Strict UTF-8 (BOM allowed) with a diagnosis for the encodings clerks actually produce."""
    if len(raw) > max_bytes:
        return None, [make("Y001", file, 1, 1, size=len(raw), limit=max_bytes)]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (raw and raw.count(0) * 4 >= len(raw)):
        return None, [make("Y003", file, 1, 1)]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        try:
            raw.decode("gb18030")
            guess = "（看起来是 GBK/GB18030，即中文 Windows 的“ANSI”编码）"
        except UnicodeDecodeError:
            guess = ""
        line, column = _position(raw, exc.start)
        return None, [make("Y002", file, line, column, guess=guess)]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def _describe(char: str) -> str:
    """The code point and its Unicode name, so a clerk can search for it.

    >>> _describe("\u00ad")
    'U+00AD SOFT HYPHEN'
    """
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def scan_characters(text: str, file: str) -> list[Diagnostic]:
    """Report tabs, full-width spaces and invisible characters with their line and column."""
    found: list[Diagnostic] = []
    if not any_invisible(text):
        return found
    for match in _FORBIDDEN_CHARS.finditer(text):
        if len(found) >= MAX_CHAR_DIAGNOSTICS:
            break
        char = match.group()
        start = match.start()
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        codepoint = _describe(char)
        if char == "\t":
            found.append(make("Y004", file, line, column))
        elif char in _SPACE_NAMES:
            found.append(make("Y005", file, line, column, name=_SPACE_NAMES[char], codepoint=codepoint))
        else:
            found.append(make("Y006", file, line, column, codepoint=codepoint))
    return found


def escaped_characters(value: str, file: str, mark: Mark) -> list[Diagnostic]:
    """Escapes in a double-quoted scalar ("\\t", "\\u200b", "\\x0b") make the characters the raw scan
    refuses; report them at the scalar, the first one only.

    >>> [d.code for d in escaped_characters("a\\u200bb", "f.yml", (3, 9))]
    ['Y006']
    """
    match = _FORBIDDEN_CHARS.search(value)
    if not match:
        return []
    char, codepoint = match.group(), _describe(match.group())
    if char == "\t":
        return [make("Y004", file, *mark)]
    if char in _SPACE_NAMES:
        return [make("Y005", file, *mark, name=_SPACE_NAMES[char], codepoint=codepoint)]
    return [make("Y006", file, *mark, codepoint=codepoint)]
