# How an amount of money is written, everywhere: pages, notices, messages, exports and changes.
from __future__ import annotations

from decimal import Decimal


def plain_amount(value: Decimal) -> str:
    """An amount as the clerk typed it, never in exponent notation (exports, standards, messages).

    >>> plain_amount(Decimal("290")), plain_amount(Decimal("85.50")), plain_amount(Decimal("1E+3"))
    ('290', '85.50', '1000')
    """
    return f"{value:f}"


def money(value: Decimal) -> str:
    """Yuan as a settlement notice writes them: two decimals, none for whole yuan.

    >>> money(Decimal("7062.3")), money(Decimal("10"))
    ('7062.30', '10')
    """
    text = f"{value:.2f}"
    return text[:-3] if text.endswith(".00") else text


def difference(new: Decimal, old: Decimal) -> str:
    """A change of amount in words.

    >>> difference(Decimal("300"), Decimal("290.00")), difference(Decimal("85.5"), Decimal("90"))
    ('增加 10 元', '减少 4.5 元')
    """
    delta = new - old
    text = plain_amount(abs(delta).normalize() if delta == delta.to_integral_value() else abs(delta))
    return ("增加 " if delta > 0 else "减少 ") + text + " 元"
