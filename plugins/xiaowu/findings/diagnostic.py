# Diagnostics: one record per problem (their renderings for people and tools are in report.py).
#
# User mistakes are data, never exceptions: every stage of the core returns a list of these.
from __future__ import annotations

from dataclasses import dataclass, field, replace

from xiaowu.findings.table import RULES

ERROR = "error"
WARNING = "warning"


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


def make(code: str, file: str, line: int, column: int, variant: str = "", **details: object) -> Diagnostic:
    """Build a diagnostic from the rule table: ``variant`` picks the sentence for this shape of the
    finding (see Rule.variants), ``details`` fill its named fields.

    >>> make("S113", "a.yml", 4, 3, "term_overlap", term="2026-秋", other="2026-春", end="2026-09-02").message
    '学期“2026-秋”与“2026-春”时间重叠（2026-春 到 2026-09-02 才结束）'
    """
    rule = RULES[code]
    message, help_text = rule.wording(variant)
    return Diagnostic(
        file=file,
        line=max(line, 1),
        column=max(column, 1),
        code=code,
        severity=rule.severity,
        message=message.format(**details),
        help=help_text.format(**details),
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
    for (_, code), rest in extra.items():
        first = rest[0]
        kept.append(replace(first, message=f"另有 {len(rest)} 处同类问题（{code} {RULES[code].title}）未逐条列出，"
                                           f"从第 {first.line} 行起", accepted_by=""))
    return kept


def sort_key(d: Diagnostic) -> tuple[str, int, int, str, str]:
    return (d.file, d.line, d.column, d.code, d.message)
