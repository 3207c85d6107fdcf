# libyaml's syntax errors in a clerk's words: one finding at the line where the slip is.
#
# libyaml reports a full-width colon one line late and words every problem for a programmer; this
# module turns its error into the finding a clerk can act on: first the common slips (slips.py),
# then libyaml's own stop worded in Chinese. No English text of libyaml's ever reaches a clerk.
# The event pass is in loader.py.
from __future__ import annotations

import yaml

from xiaowu.findings.diagnostic import Diagnostic, make
from xiaowu.read.slips import find_slip, without_comment

#: libyaml's problem text -> what to tell the clerk.
PROBLEMS = [
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
    ("did not find expected <document start>", "这一行不是“字段: 值”的形式，请检查冒号是否为半角、冒号后是否有空格"),
    ("found character that cannot start any token", "文字不能以这个符号开头，请给整段文字加引号"),
]

#: What to say when libyaml's problem is none of the above (its English is never shown).
UNKNOWN = "这一行或上一行的写法不对，请检查冒号（半角，后面有空格）、缩进是否对齐、引号是否配对"


def syntax_diagnostic(exc: yaml.YAMLError, text: str, file: str) -> Diagnostic:
    """The finding for libyaml's error: a full-width colon where there is one, else Y007 worded."""
    problem = str(getattr(exc, "problem", "") or exc)
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    lines = text.split("\n")
    first = context_mark.line if context_mark is not None else (problem_mark.line if problem_mark else 0)
    last = problem_mark.line if problem_mark is not None else len(lines) - 1
    slip = find_slip(text, last + 1)
    if slip is not None:
        return make(slip.code, file, slip.line, slip.column, slip.variant, **slip.fields)
    # A full-width colon is reported by libyaml one line late; look for it between the marks, in
    # what YAML reads (the template's comments are full of full-width colons).
    for index in range(max(first, 0), min(last, len(lines) - 1) + 1):
        column = without_comment(lines[index]).find("：")
        if column >= 0:
            return make("Y008", file, index + 1, column + 1)
    wording = next((zh for en, zh in PROBLEMS if en in problem), UNKNOWN)
    mark = problem_mark
    if "could not find expected ':'" in problem and context_mark is not None:
        mark = context_mark
    if mark is None:
        return make("Y007", file, 1, 1, problem=wording)
    return make("Y007", file, mark.line + 1, mark.column + 1, problem=wording)
