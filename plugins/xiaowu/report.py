# Every way a check result is reported: text for clerks, JSON for programs, GitHub annotations,
# GitLab's code-quality report, the summary of publication status, and the MkDocs log line.
#
# One module, so the CLI and the MkDocs plugin can never word the same finding differently. Every text
# a finding carries (file name, message, help, basis) passes read.files.printable on the way out, in
# every format: a control, escape or bidi character is shown as \xNN / \uNNNN, never acted on.
from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import asdict, replace
from collections.abc import Iterable

from xiaowu.check.project import ProjectResult
from xiaowu.check.status import FLAGS, STATUSES
from xiaowu.findings.diagnostic import ERROR, Diagnostic, make  # noqa: F401 (make: doctests)
from xiaowu.findings.table import RULES, rule_url
from xiaowu.read.files import printable

#: Bumped when the JSON shape of a diagnostic changes.
DIAGNOSTICS_SCHEMA_VERSION = 1
FORMATS = ("text", "json", "github", "codeclimate")


def rule_link(code: str, site_url: str = "") -> str:
    """Where a clerk reads more about a rule: the published rules page, or its name when no URL is known.

    >>> rule_link("F207", "https://jyj.example.cn/"), rule_link("F207")
    ('https://jyj.example.cn/rules/#F207', '网站“检查规则”页的 F207')
    """
    return site_url.rstrip("/") + "/" + rule_url(code) if site_url else f"网站“检查规则”页的 {code}"


def format_text(diagnostics: Iterable[Diagnostic], site_url: str = "") -> str:
    """ruff-like: one clickable line, then help, basis and where the rule is explained.

    The basis and the link of a rule are the same on each of its findings in a file: they are written
    in full on the first and referred to on the others (a blank template has twenty of one rule).
    JSON, GitHub and GitLab reports keep every field on every finding.

    >>> print(format_text([make("Y004", "a.yml", 2, 5)]).splitlines()[0])
    a.yml:2:5: Y004 [错误] 这里有 Tab 字符
    >>> print(format_text([make("Y004", "a.yml", line, 5) for line in (2, 3)]).splitlines()[-1])
      = 依据、详见: 同第 2 行的 Y004
    """
    out: list[str] = []
    first: dict[tuple[str, str, str], int] = {}
    for d in map(_printable, diagnostics):
        label = "错误" if d.severity == ERROR else "警告"
        if d.accepted_by:
            label = "已按例外接受"
        out.append(f"{d.file}:{d.line}:{d.column}: {d.code} [{label}] {d.message}")
        out.append(f"  = 帮助: {d.help}")
        if d.accepted_by:
            out.append(f"  = 依据: {d.basis}")
            out.append(f"  = 例外: {d.accepted_by}")
        elif (d.file, d.code, d.basis) in first:
            out.append(f"  = 依据、详见: 同第 {first[d.file, d.code, d.basis]} 行的 {d.code}")
            continue
        else:
            first[d.file, d.code, d.basis] = d.line
            out.append(f"  = 依据: {d.basis}")
        out.append(f"  = 详见: {rule_link(d.code, site_url)}")
    return "\n".join(out)


def _printable(d: Diagnostic) -> Diagnostic:
    """The diagnostic with every text field passed through read.files.printable."""
    texts = (d.file, d.message, d.help, d.basis, d.accepted_by)
    if all(t.isprintable() for t in texts):
        return d
    file, message, help_text, basis, accepted_by = map(printable, texts)
    return replace(d, file=file, message=message, help=help_text, basis=basis, accepted_by=accepted_by)


def to_json_obj(d: Diagnostic) -> dict[str, object]:
    obj = asdict(_printable(d))
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
    for d in map(_printable, diagnostics):
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
    issues = []
    for d in map(_printable, diagnostics):
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


def log_line(d: Diagnostic, site_url: str = "") -> str:
    """One line of the MkDocs build log: where, which rule, what, how to fix and where to read more."""
    d = _printable(d)
    return f"{d.file}:{d.line}:{d.column}: {d.code} {d.message}（帮助：{d.help}；详见：{rule_link(d.code, site_url)}）"


def summary(result: ProjectResult) -> str:
    """Counts, then every school whose publication needs attention (late, overdue, missing …)."""
    counts = Counter(c.status for c in result.compliance)
    status = "，".join(f"{label} {counts[code]}" for code, label in STATUSES.items() if counts[code])
    lines = [
        f"共检查 {len(result.schools)} 个学校文件：{result.errors} 个错误，{result.warnings} 个警告。",
        f"公开情况（以 {result.today.isoformat()} 计）：{status or '无'}。",
    ]
    for c in result.compliance:
        if c.status not in ("on_time", "pending"):
            lines.append(printable(f"  {c.county}/{c.school_id} {c.name}：{c.label}（{'；'.join(c.reasons)}）"))
    flagged = Counter(f.code for c in result.compliance for f in c.flags)
    if flagged:
        lines.append("需要关注（不算错误）：" + "，".join(f"{label} {flagged[code]}" for code, label in FLAGS.items()
                                                   if flagged[code]) + "。")
        for c in result.compliance:
            for f in c.flags:
                lines.append(printable(f"  {c.county}/{c.school_id} {c.name}：{f.label}（{f.reason}）"))
    return "\n".join(lines)


def json_report(result: ProjectResult) -> str:
    report = {
        "schema_version": DIAGNOSTICS_SCHEMA_VERSION,
        "today": result.today.isoformat(),
        "files_checked": len(result.schools),
        "errors": result.errors,
        "warnings": result.warnings,
        "diagnostics": [to_json_obj(d) for d in result.diagnostics],
        "accepted": [to_json_obj(d) for s in result.schools for d in s.accepted],
        "compliance": [
            {"school_id": c.school_id, "county": c.county, "name": c.name, "status": c.status,
             "label": c.label, "term": c.term, "reasons": list(c.reasons),
             "flags": [{"code": f.code, "label": f.label, "reason": f.reason} for f in c.flags]}
            for c in result.compliance
        ],
    }
    return json.dumps(report, ensure_ascii=False, indent=2)


def report(result: ProjectResult, fmt: str, site_url: str = "") -> str:
    """The whole output of `xiaowu check` in one of FORMATS."""
    if fmt == "json":
        return json_report(result)
    if fmt == "codeclimate":
        return format_codeclimate(result.diagnostics)
    body = format_github(result.diagnostics) if fmt == "github" else format_text(result.diagnostics, site_url)
    separator = "\n" if fmt == "github" else "\n\n"
    return (body + separator if body else "") + summary(result)
