# Writing an entry into a YAML file without touching anything else: the new block replaces the old
# one's lines (found from the loader's marks and the indentation), or is inserted first in its list.
# Every other byte of the file, comments included, stays as it was.
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from xiaowu.read.tree import Loaded
from xiaowu.xlsx.emit import Line

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Spliced:
    text: str
    #: 1-based line of the first emitted line in ``text``.
    first_line: int
    lines: list[Line]
    #: How many lines of the old text the block replaced.
    removed: int = 0


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _skippable(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def block_end(lines: list[str], start: int, indent: int) -> int:
    """Index after the block starting at ``start`` (0-based): up to the next line indented at most
    ``indent``, leaving trailing blank and comment lines to what follows."""
    end = start + 1
    while end < len(lines) and (_skippable(lines[end]) or _indent(lines[end]) > indent):
        end += 1
    while end - 1 > start and _skippable(lines[end - 1]):
        end -= 1
    return end


def _join(lines: list[str], start: int, end: int, new: list[Line]) -> Spliced:
    ending = "\r" if lines and lines[0].endswith("\r") else ""  # keep a CRLF file CRLF
    text = "\n".join(lines[:start] + [t + ending for t, _ in new] + lines[end:])
    return Spliced(text, start + 1, new, end - start)


def splice_list_entry(text: str, loaded: Loaded, key: str, index: int | None,
                      emit: Callable[[int], list[Line]]) -> Spliced | None:
    """Replace entry ``index`` of the top-level list ``key`` (or insert a first entry when None).

    ``emit(indent)`` gives the new entry's lines with its dash at ``indent``. None when the list
    is not written in block style (a flow list ``[...]`` cannot be spliced line by line).
    """
    lines = text.split("\n")
    first = loaded.marks.get((key, 0))
    if index is None and first is None:
        return _new_list(lines, loaded, key, emit(2))
    line, column = loaded.marks[(key, index if index is not None else 0)]
    dash = column - 3  # 0-based column of "- " before the value
    if dash < 0 or lines[line - 1][dash:dash + 2] != "- " or lines[line - 1][:dash].strip():
        return None
    new = emit(dash)
    if index is None:
        return _join(lines, line - 1, line - 1, new)
    return _join(lines, line - 1, block_end(lines, line - 1, dash), new)


def _new_list(lines: list[str], loaded: Loaded, key: str, new: list[Line]) -> Spliced | None:
    """``key:`` with nothing or ``[]`` after it, or no such key: write the list with one entry."""
    header: Line = (f"{key}:", (key,))
    if (key,) not in loaded.key_marks:
        while lines and not lines[-1].strip():
            lines.pop()
        return _join(lines + [""], len(lines), len(lines), [header, *new])
    line, _ = loaded.key_marks[(key,)]
    value = lines[line - 1].split(":", 1)[1].split("#", 1)[0].strip()
    if value not in ("", "[]", "~", "null"):
        return None
    return _join(lines, line - 1, block_end(lines, line - 1, 0), [header, *new])


def splice_key(text: str, loaded: Loaded, key: str, new: list[Line]) -> Spliced | None:
    """Replace the whole top-level ``key`` block (``new`` includes the ``key:`` line)."""
    lines = text.split("\n")
    if (key,) not in loaded.key_marks:
        while lines and not lines[-1].strip():
            lines.pop()
        return _join(lines + [""], len(lines), len(lines), new)
    line, column = loaded.key_marks[(key,)]
    if column != 1:
        return None
    return _join(lines, line - 1, block_end(lines, line - 1, 0), new)
