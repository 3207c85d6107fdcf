# Personal-data scan for free text: resident ID numbers, personal mobile numbers, student numbers and
# likely person names.
#
# IDs are confirmed by birth date and the GB 11643-1999 MOD 11-2 checksum, so amounts and document
# numbers do not trip it. Digits are read through the separators a clerk or a copy from a
# spreadsheet puts between them (spaces, hyphens and dashes, dots and middle dots, a line break inside
# one value, full-width forms). Names can only be guessed (read/names.py): a name found is refused
# like a number; a false alarm is published only after a maintainer reviews that exact text
# (reviewed_text in schools/exceptions.yml).
from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import NamedTuple

from xiaowu.read.names import person_names, plausible

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"

#: What may stand between two digits of one number (after NFKC): up to three of spaces and line
#: breaks, hyphens and dashes, dots and middle dots, underscores and slashes.
_SEPARATORS = r"\s\-\u2010-\u2015\u2212\u30fc\ufe63.\u00b7\u2022\u2027\u2219\u22c5\u30fb\uff65_/"
_JOINERS = re.compile(rf"(?<=\d)[{_SEPARATORS}]{{1,3}}(?=[\dXx])")
_ID = re.compile(r"(?<![0-9A-Za-z])[Gg]?(\d{17}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9])(?:\+?86)?(1[3-9]\d{9})(?![0-9])")
_STUDENT_WORDS = re.compile(r"学号|学籍号|学籍编号|考号|准考证号|借读证号")
_STUDENT_NUMBER = re.compile(r"(?:学号|学籍号|学籍编号|考号|准考证号|借读证号)\s*[:：为是]?\s*([A-Za-z]?\d{5,})")


class PiiHit(NamedTuple):
    code: str  # P501 | P502 | P503
    start: int  # index into the original text
    masked: str


def _mask(value: str) -> str:
    return value[:3] + "*" * (len(value) - 5) + value[-2:] if len(value) > 6 else "***"


def valid_resident_id(number: str) -> bool:
    """GB 11643-1999: region, a real birth date, sequence, MOD 11-2 check character.

    >>> valid_resident_id("11010519491231002X"), valid_resident_id("110105194912310021")
    (True, False)
    """
    if len(number) != 18 or not number[:17].isdigit():
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if not 1900 <= born.year <= 2100:
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS))
    return _CHECK[total % 11] == number[17].upper()


def _compact(text: str) -> tuple[str, list[int]]:
    """NFKC per character and joiners removed, with a map back to original indexes."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for piece in unicodedata.normalize("NFKC", char):
            chars.append(piece)
            origin.append(index)
    normal = "".join(chars)
    dropped = {i for match in _JOINERS.finditer(normal) for i in range(match.start(), match.end())}
    keep = [i for i in range(len(normal)) if i not in dropped]
    return "".join(normal[i] for i in keep), [origin[i] for i in keep]


def scan(text: str, *, allow_mobile: bool = False, roster: bool = False) -> list[PiiHit]:
    """Find personal data in one text value. In a roster (``roster``: aid, reduction, settlement
    and refund lists) a name next to an amount or after 名单 is P504, and so is a student number.

    >>> [f.code for f in scan("联系人 138.1234.5678，身份证 110105·19491231002X")]
    ['P502', 'P501']
    >>> [(f.code, f.masked) for f in scan("张三同学家长反映收费问题")]
    [('P503', '张*')]
    >>> [(f.code, f.masked) for f in scan("学号 2023-0101-23 的学生")]
    [('P505', '202*****23')]
    >>> scan("家庭经济困难学生免收住宿费 400 元")
    []
    """
    findings: list[PiiHit] = []
    # An ID number has 18 characters (17 digits), a mobile 11 digits, a student number 5 or more.
    digits = sum(map(str.isdigit, text))
    if digits >= 11 or digits >= 5 and _STUDENT_WORDS.search(text):
        findings += _numbers(text, allow_mobile)
    findings += [PiiHit("P503", n.start, _hidden(n.name)) for n in person_names(text)]
    if roster:
        findings = _as_roster(findings + roster_scan(text))
    findings.sort(key=lambda f: (f.start, f.code))
    return findings


def _as_roster(findings: list[PiiHit]) -> list[PiiHit]:
    """In a roster a student number is P504, and names the roster patterns found (a list, a name
    with an amount) are reported once, as P504, not again one by one."""
    listed = any(f.code == "P504" for f in findings)
    return [PiiHit("P504", f.start, f.masked) if f.code == "P505" else f for f in findings
            if not (f.code == "P503" and listed)]


def _numbers(text: str, allow_mobile: bool) -> list[PiiHit]:
    findings: list[PiiHit] = []
    compact, origin = _compact(text)
    id_spans: list[range] = []
    for match in _ID.finditer(compact):
        if valid_resident_id(match.group(1)):
            findings.append(PiiHit("P501", origin[match.start()], _mask(match.group(1))))
            id_spans.append(range(match.start(), match.end()))
    if not allow_mobile and len(compact) >= 11:
        for match in _MOBILE.finditer(compact):
            if any(match.start() in span for span in id_spans):
                continue
            findings.append(PiiHit("P502", origin[match.start()], _mask(match.group(1))))
    for match in _STUDENT_NUMBER.finditer(compact):
        if not any(match.start(1) in span for span in id_spans):
            findings.append(PiiHit("P505", origin[match.start()], _mask(match.group(1))))
    return findings


# -- rosters: aid, reduction and refund lists (P504) -----------------------------------------------
# In these sections a name is never needed, so a name next to an amount, a list after 名单, or a
# student number is an error, not a guess for a human to review.
_ROSTER_MARKERS = re.compile(r"元|名单")
_NAME_AMOUNT = re.compile(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{2,4})\s*[:：]?\s*\d+(?:\.\d{1,2})?\s*元")
_NAME_LIST = re.compile(r"名单[:：]\s*([\u4e00-\u9fff]{2,4})(?:\s*[、，,；;]\s*([\u4e00-\u9fff]{2,4}))+")
# Words that look like "surname + given name" before an amount but are money words in these lists.
_ROSTER_NOT_NAMES = ("余额", "合计", "总计", "共计", "每生", "每人", "人均", "结余", "结转", "收取", "支出", "退还", "退费",
                     "补助", "采购", "费用", "金额", "标准", "实收", "实退", "应退", "应收")


def _person(candidate: str) -> bool:
    return plausible(candidate) and not candidate.startswith(_ROSTER_NOT_NAMES)


def _hidden(name: str) -> str:
    """A name with everything but the surname hidden (the message must not publish it either)."""
    surname = 2 if len(name) == 4 else 1
    return name[:surname] + "*" * (len(name) - surname)


def roster_scan(text: str) -> list[PiiHit]:
    """Names in a list of money paid or returned: names with amounts, names after 名单.

    >>> [f.masked for f in roster_scan("退费名单：张伟 50 元，李娜 30 元")]
    ['张*', '李*']
    >>> [f.masked for f in roster_scan("受助学生名单：王小明、刘洋")]
    ['名单：王**、刘*']
    >>> roster_scan("校服采购 276000 元；白河县 1200 元；退费 1200 人，每生 10 元；石桥镇 3 件")
    []
    """
    if not _ROSTER_MARKERS.search(text):
        return []
    findings: list[PiiHit] = []
    for match in _NAME_AMOUNT.finditer(text):
        name = match.group(1)
        if _person(name):
            findings.append(PiiHit("P504", match.start(), _hidden(name)))
    for match in _NAME_LIST.finditer(text):
        names = re.findall(r"[\u4e00-\u9fff]{2,4}", match.group(0)[3:])
        if sum(map(_person, names)) >= 1:
            findings.append(PiiHit("P504", match.start(), "名单：" + "、".join(_hidden(n) for n in names)))
    findings.sort(key=lambda f: f.start)
    return findings
