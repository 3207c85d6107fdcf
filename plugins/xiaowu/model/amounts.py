# How an amount of money is written, everywhere: pages, notices, messages, exports and changes.
from __future__ import annotations

from decimal import Decimal


def plain_amount(value: Decimal) -> str:
    """An amount as the clerk typed it, never in exponent notation (exports, standards, messages).

    >>> plain_amount(Decimal("290")), plain_amount(Decimal("85.50")), plain_amount(Decimal("1E+3"))
    ('290', '85.50', '1000')
    """
    return f"{value:f}"


def grouped(value: Decimal) -> str:
    """An amount as typed, with thousands separators for people to read (pages, notices, messages;
    never the exports, which keep the plain figure a spreadsheet can sum).

    >>> grouped(Decimal("1336500")), grouped(Decimal("85.50")), grouped(Decimal("-12345.6")), grouped(Decimal("1E+3"))
    ('1,336,500', '85.50', '-12,345.6', '1,000')
    """
    whole, dot, fraction = plain_amount(value).partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-')):,}{dot}{fraction}"


def money(value: Decimal) -> str:
    """Yuan as a settlement notice writes them: two decimals, none for whole yuan, thousands grouped.

    >>> money(Decimal("7062.3")), money(Decimal("10")), money(Decimal("1336500"))
    ('7,062.30', '10', '1,336,500')
    """
    return grouped(value.quantize(Decimal("0.01"))).removesuffix(".00")


def difference(new: Decimal, old: Decimal) -> str:
    """A change of amount in words.

    >>> difference(Decimal("300"), Decimal("290.00")), difference(Decimal("85.5"), Decimal("90"))
    ('增加 10 元', '减少 4.5 元')
    >>> difference(Decimal("6800"), Decimal("5000"))
    '增加 1,800 元'
    """
    delta = new - old
    text = grouped(abs(delta).normalize() if delta == delta.to_integral_value() else abs(delta))
    return ("增加 " if delta > 0 else "减少 ") + text + " 元"
