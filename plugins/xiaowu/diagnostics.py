# Diagnostics: one record per problem, and its three renderings (text, JSON, GitHub annotations).
#
# User mistakes are data, never exceptions: every stage of the core returns a list of these.
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from typing import Iterable

from .rules import RULES, rule_url

ERROR = "error"
WARNING = "warning"

#: Bumped when the JSON shape of a diagnostic changes.
DIAGNOSTICS_SCHEMA_VERSION = 1


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem found in one file, at a 1-based line and column.

    >>> d = make("S101", "schools/a/b.yml", 3, 1, field="name", title="学校名称", description="")
    >>> d.code, d.severity, d.line
    ('S101', 'error', 3)
    """

    file: str
    line: int
    column: int
    code: str
    severity: str
    message: str
    help: str
    basis: str
    #: Set when a reviewed exception recorded in the school file accepts this finding.
    accepted_by: str = field(default="", compare=False)

    @property
    def blocking(self) -> bool:
        return self.severity == ERROR and not self.accepted_by


def make(code: str, file: str, line: int, column: int, **details: object) -> Diagnostic:
    """Build a diagnostic from the rule table; ``details`` fill the message and help templates."""
    rule = RULES[code]
    return Diagnostic(
        file=file,
        line=max(line, 1),
        column=max(column, 1),
        code=code,
        severity=rule.severity,
        message=rule.message.format(**details),
        help=rule.help.format(**details),
        basis=rule.basis,
    )


#: At most this many findings of one rule are listed per file; the rest are counted in one line.
MAX_REPEATS = 50


def limit_repeats(diagnostics: list[Diagnostic], most: int = MAX_REPEATS) -> list[Diagnostic]:
    """Cap a flood: after ``most`` findings of one code in one file, one line says how many more.

    >>> many = [make("Y004", "a.yml", line, 1) for line in range(1, 31)]
    >>> capped = limit_repeats(many, 5)
    >>> len(capped), capped[-1].line, capped[-1].message
    (6, 6, '另有 25 处同类问题（Y004 含有 Tab 字符）未逐条列出，从第 6 行起')
    """
    counts: dict[tuple[str, str], int] = {}
    kept: list[Diagnostic] = []
    extra: dict[tuple[str, str], list[Diagnostic]] = {}
    for d in diagnostics:
        key = (d.file, d.code)
        counts[key] = counts.get(key, 0) + 1
        if counts[key] <= most:
            kept.append(d)
        else:
            extra.setdefault(key, []).append(d)
    for (file, code), rest in extra.items():
        first = rest[0]
        kept.append(replace(first, message=f"另有 {len(rest)} 处同类问题（{code} {RULES[code].title}）未逐条列出，"
                                           f"从第 {first.line} 行起", accepted_by=""))
    return kept


def sort_key(d: Diagnostic) -> tuple[str, int, int, str, str]:
    return (d.file, d.line, d.column, d.code, d.message)


def rule_link(code: str, site_url: str = "") -> str:
    """Where a clerk reads more about a rule: the published rules page, or its name when no URL is known.

    >>> rule_link("F207", "https://jyj.example.cn/"), rule_link("F207")
    ('https://jyj.example.cn/rules/#F207', '网站“检查规则”页的 F207')
    """
    return site_url.rstrip("/") + "/" + rule_url(code) if site_url else f"网站“检查规则”页的 {code}"


def format_text(diagnostics: Iterable[Diagnostic], site_url: str = "") -> str:
    """ruff-like: one clickable line, then help, basis and where the rule is explained.

    >>> print(format_text([make("Y004", "a.yml", 2, 5)]).splitlines()[0])
    a.yml:2:5: Y004 [错误] 这里有 Tab 字符
    """
    out: list[str] = []
    for d in diagnostics:
        label = "错误" if d.severity == ERROR else "警告"
        if d.accepted_by:
            label = "已按例外接受"
        out.append(f"{d.file}:{d.line}:{d.column}: {d.code} [{label}] {d.message}")
        out.append(f"  = 帮助: {d.help}")
        out.append(f"  = 依据: {d.basis}")
        if d.accepted_by:
            out.append(f"  = 例外: {d.accepted_by}")
        out.append(f"  = 详见: {rule_link(d.code, site_url)}")
    return "\n".join(out)


def to_json_obj(d: Diagnostic) -> dict[str, object]:
    obj = asdict(d)
    obj["url"] = rule_url(d.code)
    return obj


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps(
        [to_json_obj(d) for d in diagnostics], ensure_ascii=False, indent=2, sort_keys=False
    )


def _escape_data(text: str) -> str:
    # https://github.com/actions/toolkit: workflow command data escaping
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(diagnostics: Iterable[Diagnostic]) -> str:
    """GitHub Actions workflow commands, one per diagnostic."""
    out: list[str] = []
    for d in diagnostics:
        level = "error" if d.blocking else "warning"
        title = _escape_property(f"{d.code} {RULES[d.code].title}")
        body = _escape_data(f"{d.message}\n帮助: {d.help}\n依据: {d.basis}")
        out.append(
            f"::{level} file={_escape_property(d.file)},line={d.line},col={d.column},"
            f"title={title}::{body}"
        )
    return "\n".join(out)


def format_codeclimate(diagnostics: Iterable[Diagnostic]) -> str:
    """GitLab's code quality report (Code Climate JSON): shown on the changed lines of a merge request.

    >>> json.loads(format_codeclimate([make("Y004", "a.yml", 2, 5)]))[0]["location"]
    {'path': 'a.yml', 'lines': {'begin': 2}}
    """
    import hashlib

    issues = []
    for d in diagnostics:
        if d.accepted_by:
            continue
        fingerprint = hashlib.sha256(f"{d.file}:{d.line}:{d.column}:{d.code}:{d.message}".encode()).hexdigest()
        issues.append({
            "description": f"{d.code} {d.message}（帮助：{d.help}）",
            "check_name": d.code,
            "fingerprint": fingerprint,
            "severity": "major" if d.blocking else "minor",
            "location": {"path": d.file, "lines": {"begin": d.line}},
        })
    return json.dumps(issues, ensure_ascii=False, indent=2)
