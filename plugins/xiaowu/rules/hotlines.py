# The rules about complaint lines a school names: its own lines may not pass for the bureau's or a
# national line, and a complaint channel must resolve to a line (or be a mailbox or web form).
from __future__ import annotations

import re
from typing import Any

from xiaowu.model.policy import Policy
from xiaowu.model.school import School
from xiaowu.read.chars import name_key
from xiaowu.read.fields import SERVICE_NUMBERS, Phone, parse_url
from xiaowu.rules.base import Sink

_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")

#: Words that make a line look like it belongs to an authority, not a school (compared normalised).
RESERVED_WORDS = {
    "教育局": "教育行政部门", "教体局": "教育行政部门", "教育和体育局": "教育行政部门", "教委": "教育行政部门",
    "教育厅": "教育行政部门", "政务服务": "政务服务热线", "便民热线": "政务服务热线", "市长热线": "政务服务热线",
    "市场监管": "市场监管部门", "发改委": "价格主管部门", "发展和改革": "价格主管部门", "纪检": "纪检监察机关",
    "监察委": "纪检监察机关", "纪委": "纪检监察机关", "教育督导": "教育督导部门",
}


def written_channel(name: str) -> str:
    """"email" or "web" when a complaint channel is an address rather than a line's name.

    >>> written_channel("jyjcwk@ji.shandong.cn"), written_channel("https://x.gov.cn/ts"), written_channel("12345")
    ('email', 'web', '')
    """
    if _EMAIL.match(name.strip()):
        return "email"
    return "web" if parse_url(name.strip()) else ""


def _by_number(policy: Policy, number: str) -> tuple[str, str, dict[str, Any]] | None:
    if number in SERVICE_NUMBERS:
        return "phone", "service_phone", {"number": number}
    for line in policy.hotlines:
        if line.phone is not None and number and line.phone.number == number:
            return "phone", "bureau_phone", {"bureau_line": line.name, "number": number}
    return None


def impersonation(policy: Policy, name: str, phone: Phone | None) -> tuple[str, str, dict[str, Any]] | None:
    """Which field of a school's own line ("name" or "phone") would pass it off as the bureau's or a
    national line: (field, H305's variant, its details); None when it would not.

    >>> from xiaowu.model.policy import Line
    >>> p = Policy(authority="青石市教育局", hotlines=(Line("市教育局收费投诉电话",
    ...            Phone("0712-7654321", "landline"), "教育局"),))
    >>> impersonation(p, "学校收费监督电话", Phone("0712-1234567", "landline")) is None
    True
    >>> impersonation(p, "１２３４５", Phone("0712-1234567", "landline"))
    ('name', 'service_name', {'number': '12345'})
    >>> impersonation(p, "学校电话", Phone("0712-7654321", "landline"))[:2]
    ('phone', 'bureau_phone')
    """
    key = name_key(name)
    found = _by_number(policy, phone.number if phone is not None else "")
    if found:
        return found
    for line in policy.hotlines:
        if line.name and name_key(line.name) in key:
            return "name", "bureau_name", {"bureau_line": line.name}
    for digits in SERVICE_NUMBERS:
        if len(digits) >= 5 and digits in key:
            return "name", "service_name", {"number": digits}
    authority = name_key(policy.authority)
    if authority and authority in key:
        return "name", "authority", {"authority": policy.authority}
    for word, whose in RESERVED_WORDS.items():
        if word in key:
            return "name", "", {"word": word, "whose": whose}
    return None


def check_hotlines(school: School, policy: Policy, sink: Sink) -> None:
    """H305: a school's own line may not use the bureau's or a national line's name or number."""
    if not policy.loaded:
        return
    for hotline in school.hotlines:
        if not hotline.name:
            continue
        found = impersonation(policy, hotline.name, hotline.phone)
        if found:
            where, variant, details = found
            sink.add("H305", hotline.path + (where,), variant, value=hotline.name, **details)
