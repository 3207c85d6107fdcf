# The strict YAML loader: clerk-typed bytes in, a strings-only tree plus line marks and diagnostics out.
#
# PyYAML's resolver (YAML 1.1 implicit typing) is never used: the tree is built from the parser's
# event stream, so `07551234567` stays a string, `no` is not False and a bad date cannot crash us.
# The event pass also rejects anchors, aliases and tags, limits depth before anything recursive
# runs (libyaml's composer segfaults on deep nesting), and records where every key and value is.
# See shared/hazards.md for the catalogue of inputs this answers; syntax errors are worded in syntax.py.
from __future__ import annotations

from typing import Any

import yaml

from xiaowu.findings.diagnostic import Diagnostic, make
from xiaowu.read.syntax import syntax_diagnostic
from xiaowu.read.text import MAX_BYTES, Mark, decode, escaped_characters, scan_characters
from xiaowu.read.tree import Loaded, Path

MAX_DEPTH = 10

_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


class _Frame:
    """One open mapping or sequence while the event stream is read."""

    __slots__ = ("container", "path", "flow", "is_list", "key", "key_lines", "index")

    def __init__(self, container: Any, path: Path, flow: bool) -> None:
        self.container = container
        self.path = path
        self.flow = flow
        self.is_list = isinstance(container, list)
        self.key: str | None = None
        self.key_lines: dict[str, int] = {}
        self.index = 0


class _Stop(Exception):
    """Raised inside the event pass to abandon a file whose structure cannot be trusted."""


_CLOSING = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_NODES = (yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
_Scalar, _Alias, _MappingStart = yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingStartEvent


class _Builder:
    """One pass over libyaml's events: a strings-only tree plus the line and column of every value.

    It runs once per scalar of every file (the largest single cost of checking a province), so the
    loop makes one method call per node and the rare cases (errors, properties) sit in helpers."""

    __slots__ = ("file", "lines", "stack", "root", "documents", "diags", "marks", "key_marks")

    def __init__(self, text: str, file: str) -> None:
        self.file = file
        self.lines = text.split("\n")
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.documents = 0
        self.diags: list[Diagnostic] = []
        self.marks: dict[Path, Mark] = {}
        self.key_marks: dict[Path, Mark] = {}

    def run(self, parser: Any) -> Any:
        stack, key, value = self.stack, self.key, self.value
        while parser.check_event():
            event = parser.get_event()
            kind = type(event)
            if kind in _CLOSING:
                stack.pop()
            elif kind in _NODES:
                frame = stack[-1] if stack else None
                start = event.start_mark
                mark = (start.line + 1, start.column + 1)
                if frame is not None and frame.key is None and not frame.is_list:
                    key(event, kind, frame, mark)
                else:
                    value(event, kind, frame, mark)
            elif kind is yaml.DocumentStartEvent:
                self.documents += 1
                if self.documents > 1:
                    start = event.start_mark
                    self.stop("Y010", (start.line + 1, start.column + 1))
        return self.root

    def stop(self, code: str, mark: Mark, **details: Any) -> None:
        self.diags.append(make(code, self.file, *mark, **details))
        raise _Stop

    def key(self, event: Any, kind: type, frame: _Frame, mark: Mark) -> None:
        if kind is not _Scalar or (not event.style and event.value in _NULLS):
            self.stop("Y013", mark)
        if event.anchor is not None or event.tag is not None:
            self.properties(event, mark)
        key = event.value
        if event.style == '"':
            self.diags.extend(escaped_characters(key, self.file, mark))
        if key in frame.key_lines:
            self.diags.append(make("Y012", self.file, *mark, key=key, first=frame.key_lines[key]))
        else:
            frame.key_lines[key] = mark[0]
        frame.key = key
        self.key_marks[frame.path + (key,)] = mark

    def value(self, event: Any, kind: type, frame: _Frame | None, mark: Mark) -> None:
        path: Path = () if frame is None else frame.path + ((frame.index,) if frame.is_list else (frame.key or "",))
        if kind is _Alias:
            self.diags.append(make("Y009", self.file, *mark, syntax="别名（*）"))
            value: Any = None
        elif event.anchor is not None or event.tag is not None:
            self.properties(event, mark)
        if kind is _Scalar:
            value = self.scalar(event, frame, mark)
        elif kind is not _Alias:
            value = self.open(kind, mark)
        self.marks[path] = mark
        if frame is None:
            self.root = value
        elif frame.is_list:
            frame.container.append(value)
            frame.index += 1
        else:
            frame.container[frame.key] = value
            frame.key = None
        if kind is not _Scalar and kind is not _Alias:
            self.stack.append(_Frame(value, path, bool(event.flow_style) or bool(frame is not None and frame.flow)))

    def scalar(self, event: Any, frame: _Frame | None, mark: Mark) -> str | None:
        style = event.style
        if style == '"':
            self.diags.extend(escaped_characters(event.value, self.file, mark))
        value: str = event.value
        if style:
            return value
        if value in _NULLS:
            return None
        if not (frame is not None and frame.flow):
            end = event.end_mark
            rest = self.lines[end.line][end.column:]
            if rest[:1].isspace() and rest.lstrip().startswith("#"):
                self.diags.append(make("Y014", self.file, *mark, comment=rest.lstrip()[1:].strip()))
        return value

    def open(self, kind: type, mark: Mark) -> Any:
        if len(self.stack) >= MAX_DEPTH:
            self.stop("Y011", mark, limit=MAX_DEPTH)
        return {} if kind is _MappingStart else []

    def properties(self, event: Any, mark: Mark) -> None:
        if getattr(event, "anchor", None):
            self.diags.append(make("Y009", self.file, *mark, syntax="锚点（&）"))
        if getattr(event, "tag", None) and not (isinstance(event, yaml.ScalarEvent) and event.implicit[0]):
            self.diags.append(make("Y009", self.file, *mark, syntax="标签（!）"))


def _parse(builder: _Builder, text: str) -> Any:
    parser = _Parser(text)
    try:
        return builder.run(parser)
    finally:
        parser.dispose()


def _too_deep(exc: yaml.YAMLError, text: str, file: str) -> Diagnostic | None:
    """Y011 where our own limit is first passed, when libyaml gave up on nesting first.

    libyaml 0.2.6 (PyYAML 6.0.4) stops at 1,000 open brackets while still scanning ahead, before
    it has emitted a single event for them; the text up to that point yields the events our depth
    check needs, so it is read again, cut there.
    """
    mark = getattr(exc, "problem_mark", None)
    if mark is None or "nesting depth" not in str(getattr(exc, "problem", "") or ""):
        return None
    again = _Builder(text[:mark.index], file)
    try:
        _parse(again, text[:mark.index])
    except (_Stop, yaml.YAMLError):
        pass
    deep = [d for d in again.diags if d.code == "Y011"]
    return deep[0] if deep else make("Y011", file, mark.line + 1, mark.column + 1, limit=MAX_DEPTH)


def _shape(data: Any, builder: _Builder, file: str) -> Diagnostic | None:
    """Y015 unless the file is a non-empty mapping of "字段: 值"."""
    if data is None:
        return make("Y015", file, 1, 1)
    if isinstance(data, dict):
        return None
    line, column = builder.marks.get((), (1, 1))
    return make("Y015", file, line, column, "not_mapping_text" if isinstance(data, str) else "not_mapping")


def load_text(text: str, file: str) -> Loaded:
    found = scan_characters(text, file)
    if found:
        return Loaded(None, diagnostics=found)
    builder = _Builder(text, file)
    data: Any = None
    try:
        data = _parse(builder, text)
    except _Stop:
        pass
    except yaml.YAMLError as exc:
        builder.diags.append(_too_deep(exc, text, file) or syntax_diagnostic(exc, text, file))
    except (RecursionError, MemoryError, ValueError):  # defensive: never raise on input
        builder.diags.append(make("Y007", file, 1, 1, problem="文件结构异常，无法读取"))
    else:
        shape = _shape(data, builder, file)
        if shape is None:
            return Loaded(data, builder.marks, builder.key_marks, builder.diags)
        builder.diags.append(shape)
    return Loaded(None, builder.marks, builder.key_marks, builder.diags)


def load_bytes(raw: bytes, file: str, max_bytes: int = MAX_BYTES) -> Loaded:
    """Load one file's bytes. Never raises on user input: problems come back as diagnostics.

    >>> r = load_bytes("phone: 07551234567\\nboarding: no\\n".encode(), "a.yml")
    >>> r.data, r.marks[("phone",)]
    ({'phone': '07551234567', 'boarding': 'no'}, (1, 8))
    """
    text, problems = decode(raw, file, max_bytes)
    if text is None:
        return Loaded(data=None, diagnostics=problems)
    return load_text(text, file)
