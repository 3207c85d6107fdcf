# The common slips in a clerk's file, found line by line where libyaml could not parse it.
#
# libyaml says where it gave up, often lines after the slip and, with the template's comments in
# place, sometimes at a comment whose full-width colons look like the cause. This pass reads the text
# as a clerk wrote it (comment lines and trailing comments left out) and names the first slip at or
# before libyaml's stop, with its real cause: a full-width colon after a key (Y008), no space after
# a key's colon (Y020) or after a list's "-" (Y021), a key not aligned with its siblings (Y022), a
# quote left open or followed by more text (Y023). It only runs on text libyaml refused, so a
# heuristic here can never reject a file that parses.
from __future__ import annotations

import re
from dataclasses import dataclass, field

_KEY = r"[A-Za-z_][A-Za-z0-9_\-]*"
_FULL_WIDTH_KEY = re.compile(rf"^ *(?:- +)*{_KEY} *：")
_NO_SPACE_AFTER_COLON = re.compile(rf"^ *(?:- +)*{_KEY}:(?!//)(?=\S)")
_NO_SPACE_AFTER_DASH = re.compile(r"^ *(?:- +)*-(?=[^\s\-])")
_ENTRY = re.compile(rf"^( *)((?:- +|-$)*)(?:({_KEY}) *:(?: +|$)(.*))?")
_QUOTES = {"\"": "半角双引号（\"）", "'": "半角单引号（'）"}
_BLOCK_SCALAR = re.compile(r"(?:^|:|-)\s+[|>][-+0-9]*\s*$")


@dataclass(frozen=True)
class Slip:
    """One slip: its rule code, 1-based line and column, the variant and the rule's fields."""

    code: str
    line: int
    column: int
    variant: str = ""
    fields: dict[str, object] = field(default_factory=dict)


def without_comment(line: str) -> str:
    """The line as YAML reads it: a comment line is empty; " #…" outside quotes is cut off.

    >>> without_comment("  # 学校名称：全称"), without_comment('  name: "一#" # 注释')
    ('', '  name: "一#"')
    """
    if line.lstrip().startswith("#"):
        return ""
    quote = ""
    for index, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'" and (index == 0 or line[index - 1] in " -:[{,"):
            quote = char
        elif char == "#" and index > 0 and line[index - 1] == " ":
            return line[:index].rstrip()
    return line.rstrip()


def _quote_slip(value: str, column: int, number: int) -> Slip | None:
    """Y023 when a quoted value is not closed on its line, or has text after its closing quote."""
    quote = value[:1]
    if quote not in ("\"", "'"):
        return None
    index = 1
    while index < len(value):
        char = value[index]
        if quote == "\"" and char == "\\":
            index += 2
            continue
        if char == quote and quote == "'" and value[index + 1:index + 2] == "'":
            index += 2
            continue
        if char == quote:
            rest = value[index + 1:]
            at = column + index + 1 + len(rest) - len(rest.lstrip())
            return Slip("Y023", number, at, "after", {"quote": _QUOTES[quote]}) if rest.strip() else None
        index += 1
    return Slip("Y023", number, column, "", {"quote": _QUOTES[quote]})


def _line_slip(line: str, number: int) -> Slip | None:
    """A slip visible on one line alone (a colon or a dash written wrong, a quote not closed)."""
    found = _FULL_WIDTH_KEY.match(line)
    if found:
        return Slip("Y008", number, found.end())
    found = _NO_SPACE_AFTER_DASH.match(line)
    if found:
        return Slip("Y021", number, found.end())
    found = _NO_SPACE_AFTER_COLON.match(line)
    if found:
        return Slip("Y020", number, found.end() + 1, "", {"key": found.group().strip(" -:")})
    entry = _ENTRY.match(line)
    if entry and entry.group(3) and entry.group(4):
        value = entry.group(4)
        return _quote_slip(value, len(line) - len(value) + 1, number)
    return None


class _Levels:
    """The columns of the blocks open so far, with the first and the last entry seen in each."""

    def __init__(self) -> None:
        self.columns: list[int] = []
        self.first: dict[int, tuple[str, int]] = {}
        self.last: dict[int, tuple[str, int]] = {}
        self.opens = True

    def enter(self, column: int, dashes: str, key: str, number: int) -> Slip | None:
        """Place one line that starts an entry ("key:" or "- "); a Y022 when it fits no open block."""
        top = self.columns[-1] if self.columns else -1
        if self.opens and (column > top or (dashes and column == top)):
            self.push(column, "-" if dashes else key, number)
        elif column in self.columns:
            del self.columns[self.columns.index(column) + 1:]
        else:
            return self.misaligned(column, key, number)
        self.last[column] = ("-" if dashes else key, number)
        for dash in re.findall(r"- *", dashes):
            column += len(dash)
            self.push(column, key or "-", number)
            self.last[column] = (key or "-", number)
        return None

    def push(self, column: int, name: str, number: int) -> None:
        if not self.columns or column > self.columns[-1]:
            self.columns.append(column)
            self.first[column] = (name, number)

    def misaligned(self, column: int, key: str, number: int) -> Slip:
        below = [level for level in self.columns if level < column]
        if column > self.columns[-1]:
            # Deeper than the entry above, which already has its value on its own line.
            name, line = self.last[self.columns[-1]]
            return Slip("Y022", number, column + 1, "deeper", {
                "key": _label(key), "actual": column, "sibling": _label(name), "other": self.columns[-1],
                "other_line": line})
        above = self.sibling_level(column, key)
        name, line = self.first[above]
        parent = f"{_label(self.last[below[-1]][0])}下面的字段" if below else "最外层的字段"
        expected = below[-1] + 2 if below else 0
        before = [level for level in self.columns if level < above]
        if key and before and before[-1] >= column and self.first[before[-1]] == ("-", line):
            # "- key:" lines: the keys of a list item sit after its dash.
            expected, parent = expected + 2, f"{_label(self.last[below[-1]][0])}列表项中的字段"
        return Slip("Y022", number, column + 1, "", {
            "key": _label(key), "actual": column, "sibling": _label(name), "other": above, "other_line": line,
            "parent": parent, "expected": expected})

    def sibling_level(self, column: int, key: str) -> int:
        """The open block the line was meant for: the nearest deeper one that holds the same kind of
        entry (a key beside keys, a "- " beside dashes)."""
        deeper = [level for level in self.columns if level > column]
        same = [level for level in deeper if (self.first[level][0] == "-") == (not key)]
        return (same or deeper)[0]


def _label(name: str) -> str:
    return "列表项“- ”" if name in ("", "-") else f"“{name}”"


def find_slip(text: str, last_line: int) -> Slip | None:
    """The first slip on lines 1..last_line (1-based), or None when none of the known ones is there.

    >>> find_slip("# 名称：全称\\nprofile:\\n  # 金额：数字\\n  amount:280\\n  name: x\\n", 5)
    Slip(code='Y020', line=4, column=10, variant='', fields={'key': 'amount'})
    """
    levels = _Levels()
    block: int | None = None
    for number, raw in enumerate(text.split("\n")[:max(last_line, 1)], start=1):
        line = without_comment(raw)
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        if block is not None and indent > block:
            continue
        block = None
        slip = _line_slip(line, number)
        entry = _ENTRY.match(line)
        if slip is None and entry is not None and (entry.group(2) or entry.group(3)):
            slip = levels.enter(indent, entry.group(2), entry.group(3) or "", number)
            rest = entry.group(4) if entry.group(3) else line[entry.end(2):]
            levels.opens = not (rest or "").strip()
        if slip is not None:
            return slip
        if _BLOCK_SCALAR.search(line):
            block, levels.opens = indent, False
    return None
