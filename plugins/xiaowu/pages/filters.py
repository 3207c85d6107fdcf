# The Jinja2 environment every generated page is rendered in: autoescaping on, our own filters, and
# nothing from YAML ever marked safe (URLs re-checked, dates kept whole, amounts written one way).
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from xiaowu.check.status import FLAGS, STATUSES
from xiaowu.findings.table import COMMON_ERRORS, RULES
from xiaowu.model.amounts import money, plain_amount
from xiaowu.model.oversight import FINDING_STATES, REFUND_STATES
from xiaowu.model.receptions import upcoming
from xiaowu.read.fields import parse_url

TEMPLATES = Path(__file__).parent / "templates"


def _safe_url(value: Any) -> str:
    """Only http(s) URLs become links; anything else renders as no link at all."""
    return parse_url(value) or "" if isinstance(value, str) else ""


def display(value: Any) -> str:
    """A value as a page shows it: amounts as typed, ISO dates, "" for nothing."""
    if isinstance(value, Decimal):
        return plain_amount(value)
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return ""
    return str(value)


def _lines(value: Any) -> list[str]:
    """Multi-line YAML text as separate paragraphs (escaped one by one in the template)."""
    return [line.strip() for line in display(value).splitlines() if line.strip()]


ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True,
                  lstrip_blocks=True, undefined=StrictUndefined, keep_trailing_newline=False)
STAGE_ORDER = ("幼儿园", "小学", "初中", "高中", "中职")


def ordered_stages(stages: Any) -> list[str]:
    known = [s for s in STAGE_ORDER if s in stages]
    return known + sorted(s for s in stages if s not in STAGE_ORDER)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _dates(value: Any) -> Markup:
    """Escaped text with every ISO date kept on one line (a <time> element, styled nowrap).

    >>> str(_dates("2026-08-11 公示 <b>"))
    '<time datetime="2026-08-11">2026-08-11</time> 公示 &lt;b&gt;'
    """
    escaped = str(escape(display(value)))
    return Markup(_ISO_DATE.sub(lambda m: f'<time datetime="{m.group()}">{m.group()}</time>', escaped))


def _visible(text: str) -> str:
    """Show the characters a clerk cannot see: Tab as ⇥, full-width space as □."""
    return text.replace("\t", "⇥").replace("\u3000", "□")


def _money(value: Any) -> str:
    return money(value) if isinstance(value, Decimal) else display(value)


ENV.filters.update(dates=_dates, url=_safe_url, text=display, lines=_lines, ordered_stages=ordered_stages, visible=_visible,
                   cadence=lambda item: item.cadence, money=_money, upcoming=upcoming)
ENV.globals.update(STATUSES=STATUSES, FLAGS=FLAGS, RULES=RULES, COMMON_ERRORS=COMMON_ERRORS,
                   REFUND_STATES=REFUND_STATES, FINDING_STATES=FINDING_STATES)
