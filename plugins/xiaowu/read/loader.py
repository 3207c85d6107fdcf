# The strict YAML loader: clerk-typed bytes in, a strings-only tree plus line marks and diagnostics out.
#
# PyYAML's resolver (YAML 1.1 implicit typing) is never used: the tree is built from the parser's
# event stream, so `07551234567` stays a string, `no` is not False and a bad date cannot crash us.
# The event pass also rejects anchors, aliases and tags, limits depth before anything recursive
# runs (libyaml's composer segfaults on deep nesting), and records where every key and value is.
# See shared/hazards.md for the catalogue of inputs this answers.
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from xiaowu.findings.diagnostic import Diagnostic, make
from xiaowu.read.text import MAX_BYTES, Mark, decode, escaped_characters, scan_characters

Path = tuple[str | int, ...]

MAX_DEPTH = 10

_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})



@dataclass
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


_PROBLEMS = [
    ("could not find expected ':'", "缺少半角冒号“: ”，或这一行的文字需要加引号"),
    ("mapping values are not allowed", "这里不能出现“: ”：文字中含有冒号加空格时请加引号，或检查缩进"),
    ("cannot start any token", "文字不能以这个符号开头，请给整段文字加引号"),
    ("did not find expected key", "缩进没有对齐，或文字中含有需要加引号的符号"),
    ("did not find expected '-' indicator", "列表的“- ”没有对齐"),
    ("did not find expected node content", "这里缺少内容，或文字需要加引号"),
    ("expected <block end>", "缩进没有对齐"),
    ("found unexpected end of stream", "引号或括号没有配对"),
    ("unknown escape character", "双引号里的“\\”要写成“\\\\”，或改用单引号"),
    ("found undefined tag handle", "不能以“!”开头，请给整段文字加引号"),
    ("block sequence entries are not allowed", "这里不能写列表项“- ”，请检查缩进"),
    ("expected ',' or ']'", "方括号 [ ] 没有配对，文字含方括号时请加引号"),
    ("expected ',' or '}'", "花括号 { } 没有配对，文字含花括号时请加引号"),
    ("found unexpected ':'", "冒号位置不对，文字含冒号时请加引号"),
    ("expected alphabetic or numeric character", "不能以“&”或“*”开头，请给整段文字加引号"),
]


def _syntax_diagnostic(exc: yaml.YAMLError, text: str, file: str) -> Diagnostic:
    problem = str(getattr(exc, "problem", "") or exc)
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    lines = text.split("\n")
    # A full-width colon is reported by libyaml one line late; look for it between the marks.
    first = context_mark.line if context_mark is not None else (problem_mark.line if problem_mark else 0)
    last = problem_mark.line if problem_mark is not None else first
    for index in range(max(first, 0), min(last, len(lines) - 1) + 1):
        column = lines[index].find("：")
        if column >= 0:
            return make("Y008", file, index + 1, column + 1)
    wording = next((zh for en, zh in _PROBLEMS if en in problem), f"YAML 语法错误（{problem}）")
    mark = problem_mark
    if "could not find expected ':'" in problem and context_mark is not None:
        mark = context_mark
    if mark is None:
        return make("Y007", file, 1, 1, problem=wording)
    return make("Y007", file, mark.line + 1, mark.column + 1, problem=wording)


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


_SKIPPED = (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)
_CLOSING = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _build(text: str, file: str, loaded: Loaded) -> Any:
    """One pass over libyaml's events: a strings-only tree plus the line and column of every value.

    Written as one flat loop (no generator, no helper calls per event): it runs once per scalar of
    every file, and was the largest single cost of checking a province.
    """
    lines = text.split("\n")
    stack: list[_Frame] = []
    root: Any = None
    documents = 0
    diags = loaded.diagnostics
    marks = loaded.marks
    key_marks = loaded.key_marks
    ScalarEvent, AliasEvent, MappingStartEvent = yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingStartEvent
    parser = _Parser(text)
    try:
        while parser.check_event():
            event = parser.get_event()
            kind = type(event)
            if kind in _CLOSING:
                stack.pop()
                continue
            start = event.start_mark
            mark = (start.line + 1, start.column + 1)
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    diags.append(make("Y010", file, *mark))
                    raise _Stop
                continue
            if kind in _SKIPPED:
                continue
            frame = stack[-1] if stack else None
            if frame is not None and not frame.is_list and frame.key is None:  # a key is expected
                if kind is not ScalarEvent or (not event.style and event.value in _NULLS):
                    diags.append(make("Y013", file, *mark))
                    raise _Stop
                if event.anchor is not None or event.tag is not None:
                    _check_properties(event, mark, file, diags)
                key = event.value
                if event.style == '"':
                    diags.extend(escaped_characters(key, file, mark))
                if key in frame.key_lines:
                    diags.append(make("Y012", file, *mark, key=key, first=frame.key_lines[key]))
                else:
                    frame.key_lines[key] = mark[0]
                frame.key = key
                key_marks[frame.path + (key,)] = mark
                continue
            if frame is None:
                path: Path = ()
            elif frame.is_list:
                path = frame.path + (frame.index,)
            else:
                path = frame.path + (frame.key,)  # type: ignore[operator]
            if kind is AliasEvent:
                diags.append(make("Y009", file, *mark, what="别名（*）"))
                value: Any = None
            else:
                if event.anchor is not None or event.tag is not None:
                    _check_properties(event, mark, file, diags)
                if kind is ScalarEvent:
                    style = event.style
                    value = None if not style and event.value in _NULLS else event.value
                    if style == '"':
                        diags.extend(escaped_characters(event.value, file, mark))
                    if not style and value and not (frame is not None and frame.flow):
                        end = event.end_mark
                        rest = lines[end.line][end.column:]
                        if rest[:1].isspace() and rest.lstrip().startswith("#"):
                            diags.append(make("Y014", file, *mark, comment=rest.lstrip()[1:].strip()))
                else:
                    if len(stack) >= MAX_DEPTH:
                        diags.append(make("Y011", file, *mark, limit=MAX_DEPTH))
                        raise _Stop
                    value = {} if kind is MappingStartEvent else []
            marks[path] = mark
            if frame is None:
                root = value
            elif frame.is_list:
                frame.container.append(value)
                frame.index += 1
            else:
                frame.container[frame.key] = value
                frame.key = None
            if kind is not ScalarEvent and kind is not AliasEvent:
                stack.append(_Frame(value, path, bool(event.flow_style) or bool(frame is not None and frame.flow)))
    finally:
        parser.dispose()
    return root


def _check_properties(event: Any, mark: Mark, file: str, diags: list[Diagnostic]) -> None:
    if getattr(event, "anchor", None):
        diags.append(make("Y009", file, *mark, what="锚点（&）"))
    if getattr(event, "tag", None) and not (isinstance(event, yaml.ScalarEvent) and event.implicit[0]):
        diags.append(make("Y009", file, *mark, what="标签（!）"))


def _too_deep(exc: yaml.YAMLError, text: str, file: str) -> Diagnostic | None:
    """Y011 where our own limit is first passed, when libyaml gave up on nesting first.

    libyaml 0.2.6 (PyYAML 6.0.4) stops at 1,000 open brackets while still scanning ahead, before
    it has emitted a single event for them; the text up to that point yields the events our depth
    check needs, so it is read again, cut there.
    """
    mark = getattr(exc, "problem_mark", None)
    if mark is None or "nesting depth" not in str(getattr(exc, "problem", "") or ""):
        return None
    again = Loaded(data=None)
    try:
        _build(text[:mark.index], file, again)
    except (_Stop, yaml.YAMLError):
        pass
    deep = [d for d in again.diagnostics if d.code == "Y011"]
    return deep[0] if deep else make("Y011", file, mark.line + 1, mark.column + 1, limit=MAX_DEPTH)


def load_text(text: str, file: str) -> Loaded:
    loaded = Loaded(data=None)
    loaded.diagnostics.extend(scan_characters(text, file))
    if loaded.diagnostics:
        return loaded
    try:
        data = _build(text, file, loaded)
    except _Stop:
        return loaded
    except yaml.YAMLError as exc:
        loaded.diagnostics.append(_too_deep(exc, text, file) or _syntax_diagnostic(exc, text, file))
        return loaded
    except (RecursionError, MemoryError, ValueError) as exc:  # defensive: never raise on input
        loaded.diagnostics.append(make("Y007", file, 1, 1, problem=f"无法读取（{type(exc).__name__}）"))
        return loaded
    if data is None:
        loaded.diagnostics.append(make("Y015", file, 1, 1, what="文件为空（没有任何内容）"))
        return loaded
    if not isinstance(data, dict):
        line, column = loaded.marks.get((), (1, 1))
        hint = "（检查冒号是否为半角、冒号后是否有空格）" if isinstance(data, str) else ""
        loaded.diagnostics.append(
            make("Y015", file, line, column, what=f"顶层不是“字段: 值”的形式{hint}")
        )
        return loaded
    loaded.data = data
    return loaded


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
