# Where the findings of one file go while its rules run, each with the (term, fee item) it is about,
# so the bureau's reviewed exceptions can be applied last.
from __future__ import annotations

from typing import Any, NamedTuple

from xiaowu.findings.diagnostic import Diagnostic, make
from xiaowu.read.tree import Loaded, Path


class Found(NamedTuple):
    diagnostic: Diagnostic
    term: str
    item: str


class Sink:
    """The findings of one file as its rules run, located through its loader marks (an accumulator
    that lives while one file is checked: a plain class, not a record)."""

    __slots__ = ("file", "loaded", "found")

    def __init__(self, file: str, loaded: Loaded) -> None:
        self.file = file
        self.loaded = loaded
        self.found: list[Found] = []

    def add(self, code: str, path: Path, variant: str = "", *, within: tuple[str, str] = ("", ""),
            **details: Any) -> None:
        """Record a finding at ``path``; ``within`` is the (term, fee item) it belongs to, for exceptions."""
        line, column = self.loaded.mark(path)
        self.found.append(Found(make(code, self.file, line, column, variant, **details), *within))

    def line(self, path: Path) -> int:
        """The line a value is on (for "第 N 行已有")."""
        return self.loaded.mark(path)[0]

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [f.diagnostic for f in self.found]
