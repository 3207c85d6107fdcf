# One cell in, one YAML value out, and at most one spreadsheet accident named on the way.
#
# What Excel, WPS and LibreOffice do to what a clerk typed: a phone number in a number cell loses its
# leading 0, an amount arrives as text ("1,100元") or with float noise (290.0000001), a date arrives as
# text ("2026.9.1", "2026年9月1日"), as a serial number (46266) or with a time, digits are full-width,
# text carries trailing spaces. A value whose meaning is certain is converted and the accident is a
# warning at the cell; anything doubtful is passed on unchanged, so the core's own rule names it there.
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from xiaowu.xlsx import layout as L

#: Excel's day zero (serial 1 = 1900-01-01, with its 1900 leap-year bug folded in).
_EPOCH = date(1899, 12, 30)
_SERIALS = range(20000, 80000)  # 1954 .. 2119: a number outside this is not a date typed by a clerk
_NOISE = Decimal("0.000001")
_LOOSE_DATE = re.compile(r"^(\d{4})\s*[./年\-]\s*(\d{1,2})\s*[./月\-]\s*(\d{1,2})\s*日?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONEY_TEXT = re.compile(r"^[￥¥]?\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*元?$")
_SPLIT = re.compile(r"[、,，;；\n]+")
_FULL_WIDTH = re.compile(r"[\uff01-\uff5e]")


@dataclass(frozen=True)
class Issue:
    code: str
    details: dict[str, str] = field(default_factory=dict)


Read = tuple[Any, "Issue | None"]


def number_text(value: int | float | Decimal) -> str:
    """A number as its shortest exact text: 1100.0 -> "1100", 85.5 -> "85.5".

    >>> number_text(1100.0), number_text(85.5), number_text(7121234567)
    ('1100', '85.5', '7121234567')
    """
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if number == number.to_integral_value():
        return str(int(number))
    return f"{number.normalize():f}"


def _stripped(value: str) -> Read:
    text = value.strip()
    if not text:
        return None, None
    return text, (Issue("W921", {"value": value}) if text != value else None)


def _text(value: Any) -> Read:
    if isinstance(value, bool):
        return ("是" if value else "否"), None
    if isinstance(value, (int, float)):
        return number_text(value), None
    if isinstance(value, datetime):
        return value.date().isoformat(), None
    if isinstance(value, date):
        return value.isoformat(), None
    return _stripped(str(value))


def _amount(value: Any) -> Read:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return _text(value)
    if isinstance(value, (int, float)):
        exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        cents = exact.quantize(Decimal("0.01"))
        if exact != cents and abs(exact - cents) < _NOISE:
            fixed = number_text(cents)
            return fixed, Issue("W916", {"value": repr(value), "number": fixed})
        return number_text(value), None
    text, issue = _stripped(value)
    if text is None:
        return None, None
    folded = unicodedata.normalize("NFKC", text)
    found = _MONEY_TEXT.match(folded)
    if not found:
        return text, issue
    number = number_text(Decimal(found.group(1).replace(",", "") + (found.group(2) or "")))
    if _FULL_WIDTH.search(text):
        return number, Issue("W920", {"value": text, "fixed": number})
    return number, Issue("W915", {"value": text, "number": number})


def _date(value: Any) -> Read:
    if isinstance(value, datetime):
        day = value.date()
        if value.time() != time(0, 0):
            return day.isoformat(), Issue("W919", {"value": value.isoformat(" ", "minutes"), "date": day.isoformat()})
        return day.isoformat(), None
    if isinstance(value, date):
        return value.isoformat(), None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and int(value) in _SERIALS:
        day = _EPOCH + timedelta(days=int(value))
        return day.isoformat(), Issue("W918", {"value": number_text(value), "date": day.isoformat()})
    if not isinstance(value, str):
        return _text(value)
    text, issue = _stripped(value)
    if text is None or _ISO_DATE.match(text):
        return text, issue
    found = _LOOSE_DATE.match(unicodedata.normalize("NFKC", text))
    if not found:
        return text, issue
    try:
        day = date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        return text, issue
    return day.isoformat(), Issue("W917", {"value": text, "date": day.isoformat()})


def _lost_zero(digits: str, area_code: str) -> str:
    """The number with its leading 0 back, or "" when ``digits`` is not a landline that lost it."""
    if digits.startswith("1") and len(digits) == 11 or len(digits) <= 8:
        return ""  # a mobile, a service number, or a local number without area code
    if area_code and digits.startswith(area_code[1:]):
        return f"{area_code}-{digits[len(area_code) - 1:]}"
    return "0" + digits if len(digits) in (9, 10, 11) else ""


def _phone(value: Any, area_code: str) -> Read:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        digits = number_text(value)
        fixed = _lost_zero(digits, area_code)
        return (digits, Issue("W914", {"value": digits, "fixed": fixed})) if fixed else (digits, None)
    text, issue = _text(value)
    if isinstance(text, str):
        found = re.match(r"^([1-9]\d{1,2})-(\d{7,8})$", unicodedata.normalize("NFKC", text))
        if found and (not area_code or area_code[1:] == found.group(1)):
            return text, Issue("W914", {"value": text, "fixed": "0" + found.group(1) + "-" + found.group(2)})
    return text, issue


def _list(value: Any) -> Read:
    text, issue = _text(value)
    if not isinstance(text, str):
        return None, issue
    parts = [p.strip() for p in _SPLIT.split(text)]
    return [p for p in parts if p], issue


def read_cell(kind: str, value: Any, area_code: str = "") -> Read:
    """The YAML value for a cell of ``kind`` (None when empty) and the accident it shows, if any.

    >>> read_cell(L.PHONE, 7121234567, "0712")[1].details["fixed"]
    '0712-1234567'
    >>> read_cell(L.AMOUNT, "1,100元")
    ('1100', Issue(code='W915', details={'value': '1,100元', 'number': '1100'}))
    >>> read_cell(L.DATE, "2026年9月1日")[0], read_cell(L.DATE, 46266)[0]
    ('2026-09-01', '2026-09-01')
    """
    if value is None:
        return None, None
    if kind == L.AMOUNT:
        return _amount(value)
    if kind == L.DATE:
        return _date(value)
    if kind == L.PHONE:
        return _phone(value, area_code)
    if kind == L.LIST:
        return _list(value)
    return _text(value)


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None
