# What loading a file gives: a strings-only tree, and where each of its keys and values is, so every
# later finding (schema, rule, cross-file) points at the right line and column.
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xiaowu.findings.diagnostic import Diagnostic
from xiaowu.read.text import Mark

#: Where a value sits in a tree: keys and list positions from the top.
Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Loaded:
    """The result of loading one file. ``data`` is None when the file could not be read safely."""

    data: Any
    #: path -> (line, column) of the value's first character, 1-based.
    marks: dict[Path, Mark] = field(default_factory=dict)
    #: path -> (line, column) of the key that introduces the value.
    key_marks: dict[Path, Mark] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def mark(self, path: Path) -> Mark:
        """Where to point for ``path``: the value, else its key, else the nearest ancestor."""
        while True:
            if path in self.marks:
                return self.marks[path]
            if path in self.key_marks:
                return self.key_marks[path]
            if not path:
                return (1, 1)
            path = path[:-1]

    def key_mark(self, path: Path) -> Mark:
        return self.key_marks.get(path) or self.mark(path)
