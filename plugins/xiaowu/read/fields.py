# Field conversions: one explicit, tested parser per kind of value a clerk types.
#
# Each returns either the converted value or a short Chinese reason; none ever raises. Free text
# is never normalised (NFKC would turn ①② into 12); only these typed fields are.
from __future__ import annotations

import re
from functools import lru_cache
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from urllib.parse import urlsplit

_DASHES = str.maketrans({c: "-" for c in "—–―−‐‑ー﹣－"})

SERVICE_NUMBERS = {
    "12345": "政务服务便民热线",
    "12315": "市场监管投诉举报热线",
    "12388": "纪检监察举报电话",
    "12358": "价格举报电话（已并入 12315/12345）",
    "110": "报警电话",
    "120": "急救电话",
    "119": "火警电话",
    "12110": "短信报警",
}


@dataclass(frozen=True)
class Phone:
    """A normalised phone number. ``kind`` is landline, mobile, service, or corporate (400/800/95xxx)."""

    number: str
    kind: str
    extension: str = ""

    @property
    def tel_uri(self) -> str:
        digits = self.number.replace("-", "")
        return f"tel:{digits}" + (f",{self.extension}" if self.extension else "")

    def __str__(self) -> str:
        return self.number + (f" 转 {self.extension}" if self.extension else "")


NEEDS_AREA_CODE = "：座机号码前要加区号，如 0712-1234567"
_LANDLINE = re.compile(r"^0(?:10|2\d)-[1-9]\d{7}$|^0[3-9]\d{2}-[1-9]\d{6,7}$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_CORPORATE = re.compile(r"^(?:400|800)-?\d{3}-?\d{4}$|^9[56]\d{3,6}$")
_EXTENSION = re.compile(r"(?:转|分机|ext\.?|x)\s*(\d{1,6})$", re.IGNORECASE)


def parse_phone(value: str) -> Phone | str:
    """Normalise and classify a phone field; return a Phone or the reason it is wrong.

    >>> parse_phone("（0755）1234 5678")
    Phone(number='0755-12345678', kind='landline', extension='')
    >>> parse_phone("+86 138-1234-5678").kind
    'mobile'
    >>> parse_phone("1234567")
    '：座机号码前要加区号，如 0712-1234567'
    """
    text = unicodedata.normalize("NFKC", value).translate(_DASHES).strip()
    extension = ""
    found = _EXTENSION.search(text)
    if found:
        extension = found.group(1)
        text = text[: found.start()].rstrip(" -")
    text = re.sub(r"^\((0\d{2,3})\)\s*", r"\1-", text)
    compact = re.sub(r"[\s-]", "", text)
    if compact.startswith("+86"):
        compact = compact[3:]
    elif compact.startswith("0086"):
        compact = compact[4:]
    if not compact.isdigit() or not compact.isascii():
        return "：只能包含数字、“-”和分机号"
    if compact in SERVICE_NUMBERS:
        return Phone(compact, "service", extension)
    if _MOBILE.match(compact):
        return Phone(compact, "mobile", extension)
    if _CORPORATE.match(compact):
        if compact[0] in "48":
            compact = f"{compact[:3]}-{compact[3:6]}-{compact[6:]}"
        return Phone(compact, "corporate", extension)
    if compact.startswith("0"):
        area_len = 3 if compact[1] in "12" else 4
        number = f"{compact[:area_len]}-{compact[area_len:]}"
        if _LANDLINE.match(number):
            return Phone(number, "landline", extension)
        return "：区号后的号码位数不对（3 位区号配 8 位号码，4 位区号配 7 或 8 位）"
    if 7 <= len(compact) <= 8:
        return NEEDS_AREA_CODE
    return "：位数不对"


def area_code_hint(value: str, area_code: str) -> str:
    """H301's reason for a local number without its area code, with the local code when known.

    >>> area_code_hint("8631 0447", "0519")
    '：座机号码前要加区号，本地应写 0519-86310447'
    """
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", value))
    return f"：座机号码前要加区号，本地应写 {area_code}-{digits}" if area_code else NEEDS_AREA_CODE


_AMOUNT = re.compile(r"^\d{1,7}(?:\.\d{1,2})?$")


@lru_cache(maxsize=1 << 16)
def parse_amount(value: str) -> Decimal | None:
    """Money as Decimal; full-width digits accepted, units, commas and 万 refused.

    >>> parse_amount("１２０.50"), parse_amount("1,200"), parse_amount("1e3")
    (Decimal('120.50'), None, None)
    """
    text = unicodedata.normalize("NFKC", value).strip()
    if not _AMOUNT.match(text):
        return None
    return Decimal(text)


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@lru_cache(maxsize=1 << 14)
def parse_date(value: str) -> date | str:
    """ISO dates only, and they must exist.

    >>> parse_date("2026-02-30")
    '（这一天不存在）'
    >>> parse_date("2026/3/1")
    '（应写成 年-月-日，如 2026-03-01）'
    """
    text = unicodedata.normalize("NFKC", value).strip()
    if not _DATE.match(text):
        return "（应写成 年-月-日，如 2026-03-01）"
    try:
        return date.fromisoformat(text)
    except ValueError:
        return "（这一天不存在）"


_INTEGER = re.compile(r"^\d{1,9}$")
_DECIMAL = re.compile(r"^\d{1,3}(?:\.\d{1,2})?$")


def parse_integer(value: str) -> int | None:
    text = unicodedata.normalize("NFKC", value).strip()
    return int(text) if _INTEGER.match(text) else None


def parse_decimal(value: str) -> Decimal | None:
    """A score or percentage: up to three digits and two decimals, no % sign."""
    text = unicodedata.normalize("NFKC", value).strip()
    return Decimal(text) if _DECIMAL.match(text) else None


_URL_BAD = re.compile(r"[\s\"'<>`\\\x00-\x1f\x7f]")


def parse_url(value: str) -> str | None:
    """Allowlist: http(s), a host, no credentials, no whitespace, quotes or controls.

    >>> parse_url("https://jyj.example.gov.cn/a?b=1"), parse_url("java\\tscript:alert(1)")
    ('https://jyj.example.gov.cn/a?b=1', None)
    """
    if _URL_BAD.search(value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
        return None
    if not value.startswith(f"{parts.scheme}://") or not _port_ok(parts.netloc) or not host_ok(parts.hostname):
        return None
    return value


def _port_ok(netloc: str) -> bool:
    """No port, or 1-65535 written as plain digits (`:99999`, `:0`, `:８０` and `:` alone are refused)."""
    rest = netloc.rpartition("]")[2] if netloc.startswith("[") else netloc  # an IPv6 literal's own colons
    if ":" not in rest:
        return True
    port = rest.partition(":")[2]
    return port.isascii() and port.isdigit() and 1 <= int(port) <= 65535


#: ASCII host characters: letters, digits, hyphen, dot, underscore; brackets and colons for IPv6 literals.
_ASCII_HOST = re.compile(r"^[a-z0-9._\-:\[\]]+$")


def host_ok(host: str) -> bool:
    """A host shown to readers as what it is: ASCII letters, digits, `-`, `.`; a Chinese domain only
    with Han ideographs besides those. Any other script (a Cyrillic "е", Greek, full-width letters,
    the ideographic full stop "。" that browsers read as a dot) is refused, and an `xn--` label is
    judged by what it decodes to (an invalid one is refused), so punycode cannot smuggle it in.

    >>> [host_ok(h) for h in ["jyj.example.gov.cn", "青石教育局.中国", "jyj.еxample.gov.cn", "xn--e1a.gov.cn"]]
    [True, True, False, False]
    """
    labels = []
    for label in host.lower().split("."):
        if label.startswith("xn--"):
            try:
                label = label[4:].encode("ascii").decode("punycode")
            except (UnicodeError, ValueError):
                return False
            if label.isascii():
                return False
        labels.append(label)
    return all(_ASCII_HOST.match(c) or unicodedata.name(c, "").startswith("CJK UNIFIED IDEOGRAPH-")
               for c in "".join(labels)) and "%" not in host


_SCHOOL_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
_WINDOWS_DEVICES = frozenset(
    ["con", "prn", "aux", "nul"] + [f"com{i}" for i in range(10)] + [f"lpt{i}" for i in range(10)]
)


def valid_id(value: str) -> bool:
    """School and county ids: lowercase ASCII letters, digits and inner hyphens; no device names.

    >>> [valid_id(v) for v in ["qs-yizhong", "../x", "CON", "con", "深圳一中", "a-"]]
    [True, False, False, False, False, False]
    """
    return bool(_SCHOOL_ID.match(value)) and value not in _WINDOWS_DEVICES
