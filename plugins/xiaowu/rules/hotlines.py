# The rules about complaint lines a school names: its own lines may not pass for the bureau's or a
# national line, and a complaint channel must resolve to a line (or be a mailbox or web form).
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from xiaowu.model.policy import Policy
from xiaowu.model.school import School
from xiaowu.read.chars import name_key
from xiaowu.read.fields import SERVICE_NUMBERS, Phone, parse_url
from xiaowu.rules.base import Sink

_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")

#: Words that make a line look like it belongs to an authority, not a school, grouped by the body they
#: name (compared after name_key, so traditional and variant spellings count too). Central and local
#: government, education administration and inspection, petition offices, party discipline bodies,
#: price and market regulators, and the other offices a complaint might be mistaken to go to. Kept as
#: data here, not in policy.yml: these bodies exist in every county, so a bureau has nothing to add,
#: and a list it could shorten would be a way to switch the rule off.
AUTHORITY_WORDS: dict[str, tuple[str, ...]] = {
    "教育行政部门": ("教育局", "教体局", "教育和体育局", "教育体育局", "教文体局", "教文局", "教育委员会", "教委", "教育厅",
                 "教育部", "教育行政", "教育督导", "督导", "督学"),
    "人民政府": ("人民政府", "政府", "国务院", "办公厅", "市长", "县长", "区长", "州长", "省长", "乡长", "镇长", "街道办",
             "政务服务", "政务", "便民热线"),
    "信访部门": ("信访", "来信来访", "人民来访"),
    "纪检监察机关": ("纪委", "纪检", "纪律检查", "监委", "监察", "巡视", "巡察", "督查", "督察"),
    "价格和市场监管部门": ("市场监督管理", "市场监管", "工商局", "物价", "价格", "发展改革", "发展和改革", "发改", "消费者协会",
                   "消协"),
    "财政审计部门": ("财政局", "财政厅", "审计"),
    "政法机关": ("公安", "派出所", "检察院", "法院"),
}
#: Each authority word -> the body it names.
RESERVED_WORDS = {word: body for body, words in AUTHORITY_WORDS.items() for word in words}
#: Endings of an office's name that no school line has: "教肓局" (one character off) still reads as 教育局.
_OFFICE_ENDINGS = ("局", "厅")
#: National complaint lines' names, beside their numbers (12345, 12315, 12388, 12358).
NATIONAL_LINE_NAMES = ("政务服务便民热线", "市场监管投诉举报热线", "纪检监察举报电话", "价格举报电话", "价格举报热线")
#: Official names shorter than this are matched exactly; longer ones also one character off.
_FUZZY_FROM = 5


def near(pattern: str, text: str) -> int:
    """The fewest single-character edits that turn ``pattern`` into some part of ``text``.

    >>> near("教育局", "青石市教肓局电话"), near("投诉电话", "收费投诉电"), near("教育局", "学校")
    (1, 1, 3)
    """
    previous = [0] * (len(text) + 1)
    for i, wanted in enumerate(pattern, 1):
        current = [i] + [0] * len(text)
        for j, char in enumerate(text, 1):
            current[j] = min(previous[j - 1] + (wanted != char), previous[j] + 1, current[j - 1] + 1)
        previous = current
    return min(previous)


def _office(word: str, key: str) -> bool:
    """``key`` names the office ``word`` (as written, or for 局/厅 with one other character off)."""
    if word in key:
        return True
    if len(word) < 3 or not word.endswith(_OFFICE_ENDINGS):
        return False
    return any(key[i + len(word) - 1] == word[-1] and sum(a != b for a, b in zip(key[i:], word[:-1])) <= 1
               for i in range(len(key) - len(word) + 1))


@lru_cache(maxsize=4096)  # schools copy each other's line names; a name is compared once per process
def authority_word(key: str) -> tuple[str, str] | None:
    """(word, body) when a normalised line name names an authority.

    >>> authority_word("县信访办投诉电话"), authority_word("教肓局热线"), authority_word("学校收费监督电话")
    (('信访', '信访部门'), ('教育局', '教育行政部门'), None)
    """
    for word, body in RESERVED_WORDS.items():
        if _office(word, key) or (len(word) >= _FUZZY_FROM and near(word, key) <= 1):
            return word, body
    return None


@lru_cache(maxsize=4096)
def official_lookalike(key: str, official: str) -> bool:
    """Whether a normalised school line name is, or contains, an official line's name or one that
    differs from it by one character (changed, dropped or added).

    >>> official_lookalike("青石市教肓局收费投诉电话", "青石市教育局收费投诉电话")
    True
    >>> official_lookalike("学校收费监督电话", "青石市教育局收费投诉电话")
    False
    """
    if not official:
        return False
    return official in key or (len(official) >= _FUZZY_FROM and near(official, key) <= 1)


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
    return _by_number(policy, phone.number if phone is not None else "") or _by_name(policy, key)


def _by_name(policy: Policy, key: str) -> tuple[str, str, dict[str, Any]] | None:
    for line in policy.hotlines:
        if line.name and official_lookalike(key, name_key(line.name)):
            return "name", "bureau_name", {"bureau_line": line.name}
    for digits in SERVICE_NUMBERS:
        if len(digits) >= 5 and digits in key:
            return "name", "service_name", {"number": digits}
    for official in NATIONAL_LINE_NAMES:
        if official_lookalike(key, official):
            return "name", "national_name", {"official": official}
    authority = name_key(policy.authority)
    if authority and official_lookalike(key, authority):
        return "name", "authority", {"authority": policy.authority}
    found = authority_word(key)
    if found:
        return "name", "", {"word": found[0], "whose": found[1]}
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
