# The Jinja2 environment every generated page is rendered in: autoescaping on, our own filters, and
# nothing from YAML ever marked safe (URLs re-checked, dates kept whole, amounts written one way).
from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from xiaowu.check.status import FLAGS, STATUSES
from xiaowu.findings.table import COMMON_ERRORS, RULES
from xiaowu.model.amounts import grouped, money
from xiaowu.model.oversight import FINDING_STATES, REFUND_STATES
from xiaowu.model.receptions import upcoming
from xiaowu.pages.searchwords import shown, whole, words
from xiaowu.read.fields import parse_url

TEMPLATES = Path(__file__).parent / "templates"


def _safe_url(value: Any) -> str:
    """Only http(s) URLs become links; anything else renders as no link at all."""
    return parse_url(value) or "" if isinstance(value, str) else ""


def display(value: Any) -> str:
    """A value as a page shows it: amounts as typed (thousands grouped), ISO dates, "" for nothing."""
    if isinstance(value, Decimal):
        return grouped(value)
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


def after_words(value: Any) -> str:
    """Text that follows Chinese words: a space first when it starts with a figure ("各校 2026 年…"),
    as everywhere else on the pages; none before Chinese ("各校秋季学期").

    >>> after_words("2026 年秋季学期"), after_words("秋季学期")
    (' 2026 年秋季学期', '秋季学期')
    """
    text = display(value)
    return f" {text}" if text[:1].isascii() and text[:1].isalnum() else text


def _visible(text: str) -> str:
    """Show the characters a clerk cannot see: Tab as ⇥, full-width space as □."""
    return text.replace("\t", "⇥").replace("\u3000", "□")


def _money(value: Any) -> str:
    return money(value) if isinstance(value, Decimal) else display(value)


ENV.filters.update(after_words=after_words)
def _forbidden_fees(forbidden: Any) -> str:
    """The forbidden-fee list as the search box reads it (JSON; escaped as an attribute by autoescape)."""
    return json.dumps([{"item": f.item, "terms": list(f.terms), "basis": f.basis} for f in forbidden], ensure_ascii=False)


ENV.filters.update(dates=_dates, url=_safe_url, text=display, lines=_lines, ordered_stages=ordered_stages, visible=_visible,
                   cadence=lambda item: item.cadence, money=_money, upcoming=upcoming,
                   search_words=lambda value, start=0: words([value] if isinstance(value, str) else value, start),
                   search_whole=lambda value: whole([value] if isinstance(value, str) else value),
                   search_shown=lambda value: shown(str(value)),
                   # a result's fee line: "住宿费（初中） 470 元/生·学期" (a "；" in it would split it: made "，")
                   fee_line=lambda item: f"{item.label} {item.standard}".replace("；", "，"))
ENV.globals.update(STATUSES=STATUSES, FLAGS=FLAGS, RULES=RULES, COMMON_ERRORS=COMMON_ERRORS,
                   REFUND_STATES=REFUND_STATES, FINDING_STATES=FINDING_STATES, forbidden_fees=_forbidden_fees)
