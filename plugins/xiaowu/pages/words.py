# Table cells that break only between words: Chinese has no spaces, so a browser breaks a narrow
# column between any two characters ("行政事/业性收/费", "青石/县", "元/生·学/期"). The cells' text is
# marked with the places a line may break (<wbr> between words, found by jieba) and the pieces that
# must stay whole (names, dates, amounts with their unit, document numbers) in nowrap spans; the CSS
# (word-break: keep-all) then breaks cells only there.
#
# Works on our own rendered, escaped HTML: only text between tags inside <td>/<th> changes, each
# piece unescaped, segmented and escaped again, so nothing from YAML can become markup here.
from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable
from typing import Any

from markupsafe import escape

#: Pieces that stay on one line: an amount with its unit ("1,336,500 元", "290 元/生·学期"), a unit
#: alone, a date, a document number's year and number ("〔2024〕12号"), a count with its measure word.
_WHOLE = (r"\d[\d,.]*\s?元(?:/[^\s，。；、）)]{1,8})?|元/[^\s，。；、）)]{1,8}|\d{4}-\d{2}-\d{2}"
          r"|[〔\[【]\d{4}[〕\]】]\s?\d+\s?号|\d+(?:\.\d+)?\s?[%人项所件天名期次个年月]")
_UNIT_AFTER = re.compile(r" 元(?:/[^\s，。；、）)]{1,8})?")
_TABLE = re.compile(r"(<table\b.*?</table>)", re.S)
_TAG = re.compile(r"(<[^>]*>)")
_NAME = re.compile(r"<(/?)([a-zA-Z0-9]+)")
_CELLS = frozenset({"td", "th", "caption"})
#: Elements whose text is left alone (already kept whole, or not text at all) ...
_SKIP = frozenset({"svg", "script", "style", "time"})
#: ... and whose sums are left as written too.
_CODE = frozenset({"code", "pre"})
_CJK = re.compile(r"[\u3400-\u9fff]")


@functools.lru_cache(maxsize=65536)
def _segment(text: str) -> tuple[str, ...]:
    import jieba  # loaded on first use (its dictionary takes a second); the same one read/names.py uses

    jieba.setLogLevel(60)
    return tuple(jieba.lcut(text))  # with HMM: names not in the dictionary (黄土岭) stay whole


def _breakable(before: str, after: str) -> bool:
    """A break between two words only where both sides are letters (never next to punctuation, so no
    line starts with "，" or ends with "（")."""
    return bool(before and after and _CJK.match(before[-1]) and _CJK.match(after[0]))


#: Texts already marked, by pattern (its id; the pattern kept so the id is not reused) and by text. Not
#: functools.lru_cache: a pattern hashes its compiled code on every call, and with every county's name
#: in it that is long (at 100,000 schools it made each table cell cost ~0.1 ms).
_MARKED: dict[int, tuple[re.Pattern[str], dict[str, str], dict[str, str]]] = {}
_CACHE_SIZE = 65536


def _caches(whole: re.Pattern[str]) -> tuple[dict[str, str], dict[str, str]]:
    """The caches of marked words and of marked cell texts for ``whole``."""
    entry = _MARKED.get(id(whole))
    if entry is None or entry[0] is not whole:
        if len(_MARKED) >= 8:
            _MARKED.clear()
        entry = _MARKED[id(whole)] = (whole, {}, {})
    return entry[1], entry[2]


def _remember(cache: dict[str, str], text: str, marked: str) -> str:
    if len(cache) >= _CACHE_SIZE:
        cache.clear()
    cache[text] = marked
    return marked


def _words(text: str, whole: re.Pattern[str]) -> str:
    """One text node (unescaped) as escaped HTML with word breaks and whole pieces marked."""
    words = _caches(whole)[0]
    known = words.get(text)
    return known if known is not None else _remember(words, text, _mark(text, whole))


def _mark(text: str, whole: re.Pattern[str]) -> str:
    out: list[str] = []
    last = ""
    position = 0
    unit = _UNIT_AFTER.match(text)
    if unit:  # the unit after an amount in its own element: the space too in nowrap, so no break there
        out.append(f'<span class="xw-nw">{escape(unit.group())}</span>')
        last = unit.group()
        position = unit.end()
    for match in [*whole.finditer(text, position), None]:
        chunk = text[position:match.start()] if match else text[position:]
        for word in _segment(chunk) if _CJK.search(chunk) else ((chunk,) if chunk else ()):
            if _breakable(last, word):
                out.append("<wbr>")
            out.append(str(escape(word)))
            last = word
        if match:
            if _breakable(last, match.group()):
                out.append("<wbr>")
            out.append(f'<span class="xw-nw">{escape(match.group())}</span>')
            last = match.group()
            position = match.end()
    return "".join(out)


_UNGROUPED = re.compile(r"(?<![\d,.])(\d{4,})(?=(?:\.\d+)?\s?元)")


def group_amounts(text: str) -> str:
    """Thousands separators in every sum of yuan a text writes plainly (a clerk's note, a standard).

    >>> group_amounts("预收 1336500 元，每生 85.50 元，〔2024〕12号，2026 年")
    '预收 1,336,500 元，每生 85.50 元，〔2024〕12号，2026 年'
    """
    return _UNGROUPED.sub(lambda m: f"{int(m.group(1)):,}", text) if "元" in text else text


def whole_pattern(names: Iterable[str]) -> re.Pattern[str]:
    """The pieces to keep whole: these names (counties, items; the longest that matches), then the
    fixed kinds above. The names are one pattern shaped as a tree of their characters, so matching
    costs the same with six thousand counties as with three (a plain alternation tries every name at
    every character).

    >>> whole_pattern(["青石", "青石县", "白河县"]).findall("青石县白河县青石镇 290 元")
    ['青石县', '白河县', '青石', '290 元']
    """
    tree = _tree(n for n in names if len(n) > 1)
    return re.compile("|".join(([tree] if tree else []) + [_WHOLE]))


def _tree(names: Iterable[str]) -> str:
    """A pattern matching the longest of ``names`` that starts here."""
    root: dict[str, Any] = {}
    for name in names:
        node = root
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}

    def branch(node: dict[str, Any]) -> str:
        ways = [re.escape(char) + branch(child) for char, child in sorted(node.items()) if char]
        if not ways:
            return ""
        either = ways[0] if len(ways) == 1 else f"(?:{'|'.join(ways)})"
        return f"(?:{either})?" if "" in node else either  # greedy: the longer name first
    return branch(root)


def keep_words(page: str, whole: re.Pattern[str]) -> str:
    """``page`` with every table cell's (and caption's) text broken only between words, and sums of
    yuan grouped by thousands everywhere (in tables outside code; around them, all of it: our pages
    write no 元 in code or markup).

    >>> keep_words("<table><td>行政事业性收费 290 元/生·学期</td></table><p>正文 1500 元</p>", whole_pattern([]))
    '<table><td>行政<wbr>事业性<wbr>收费 <span class="xw-nw">290 元/生·学期</span></td></table><p>正文 1,500 元</p>'
    >>> keep_words("<table><th>青石县&lt;b&gt;</th></table>", whole_pattern(["青石县"]))
    '<table><th><span class="xw-nw">青石县</span>&lt;b&gt;</th></table>'
    """
    # Tables are walked tag by tag; the text around them only has its sums grouped, in one pass.
    pieces = _TABLE.split(page)
    return "".join(_cells(piece, whole) if index % 2 else group_amounts(piece) for index, piece in enumerate(pieces))


#: A cell with its content, and what makes a table need the walk instead (_walk): a skipped or code
#: element, a self-closing or upper-case cell tag, a cell inside a cell or a cell left open.
_CELL = re.compile(r"(<(td|th|caption)(?![a-zA-Z0-9])[^>]*>)(.*?)(</\2>)", re.S)
_TRICKY = re.compile(r"<(?:svg|script|style|time|code|pre)(?![a-zA-Z0-9])|<(?:td|th|caption)(?![a-zA-Z0-9])[^>]*/>"
                     r"|</?(?!td|th|caption)(?i:td|th|caption)(?![a-zA-Z0-9])", re.I)
_ANY_CELL = re.compile(r"</?(?:td|th|caption)(?![a-zA-Z0-9])")
#: The tags that change what a text is (cells, skipped and code elements); the others are walked over.
_STATE = re.compile(r"<(/?)(td|th|caption|svg|script|style|time|code|pre)(?![a-zA-Z0-9])[^>]*>", re.I)


def _walk(page: str, whole: re.Pattern[str]) -> str:
    """_cells for any table, tag by tag."""
    out: list[str] = []
    cells = skip = code = position = 0
    for tag in [*_STATE.finditer(page), None]:
        region = page[position:tag.start()] if tag else page[position:]
        if cells > 0 and skip == 0:
            parts = _TAG.split(region) if "<" in region else (region,)
            out += [part if not part or part[0] == "<" else _cell_text(part, whole) for part in parts]
        elif skip == 0 and not code and "元" in region:
            parts = _TAG.split(region) if "<" in region else (region,)
            out += [part if not part or part[0] == "<" else group_amounts(part) for part in parts]
        else:
            out.append(region)
        if tag is None:
            break
        out.append(tag.group())
        position = tag.end()
        if not tag.group().endswith("/>"):
            step = -1 if tag.group(1) else 1
            name = tag.group(2).lower()
            cells += step if name in _CELLS else 0
            skip += step if name in _SKIP else 0
            code += step if name in _CODE else 0
    return "".join(out)


def _cells(table: str, whole: re.Pattern[str]) -> str:
    """The table with its cells' texts marked (_cell_text) and the sums around them grouped: cell by
    cell with one pattern when the table is plain (as ours are), else tag by tag (_walk); both give
    the same text (tests/test_pages_text.py holds them to it)."""
    if _TRICKY.search(table):
        return _walk(table, whole)
    out: list[str] = []
    position = 0
    for cell in [*_CELL.finditer(table), None]:
        between = table[position:cell.start()] if cell else table[position:]
        content = cell.group(3) if cell else ""
        if _ANY_CELL.search(between) or _ANY_CELL.search(content):
            return _walk(table, whole)
        out += [part if not part or part[0] == "<" else group_amounts(part) for part in _TAG.split(between)] \
            if "元" in between else [between]
        if cell is None:
            return "".join(out)
        out.append(cell.group(1))
        out += [part if not part or part[0] == "<" else _cell_text(part, whole)
                for part in (_TAG.split(content) if "<" in content else (content,))]
        out.append(cell.group(4))
        position = cell.end()
    return "".join(out)


def _cell_text(text: str, whole: re.Pattern[str]) -> str:
    """A text between tags in a cell, as shown: sums grouped, words marked (blank text as it is)."""
    cells = _caches(whole)[1]
    known = cells.get(text)
    if known is not None:
        return known
    return _remember(cells, text, _words(group_amounts(html.unescape(text)), whole) if text.strip() else text)
