# Personal-data scan for free text: resident ID numbers, personal mobile numbers, likely names.
#
# IDs are confirmed by birth date and the GB 11643-1999 MOD 11-2 checksum, so amounts and document
# numbers do not trip it; names can only be guessed, so they are warnings for a human to review.
from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import NamedTuple

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"

# Spaces or hyphens between digits are removed first so "440305 1990 0101 123X" is caught too.
_JOINERS = re.compile(r"(?<=\d)[ \-](?=[\dXx])")
_ID = re.compile(r"(?<![0-9A-Za-z])[Gg]?(\d{17}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9])(?:\+?86)?(1[3-9]\d{9})(?![0-9])")

_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_NAME_BEFORE = re.compile(r"([\u4e00-\u9fff]{2,3})(?:同学|的家长|家长|之父|之母|妈妈|爸爸)")
_NAME_AFTER = re.compile(r"(?:学生|家长|投诉人|举报人|姓名|当事人)[:：]\s*([\u4e00-\u9fff]{2,3})")
# Every name pattern needs one of these words; text without them is skipped in one search.
_NAME_MARKERS = re.compile(r"同学|家长|之父|之母|妈妈|爸爸|学生|投诉人|举报人|姓名|当事人")
# Words that look like "surname + given name" but are ordinary nouns in disclosures.
_NOT_NAMES = ("全体", "各位", "所有", "住宿", "寄宿", "困难", "低保", "在校", "新生", "毕业", "相关", "部分",
              "广大", "家庭", "年级", "高中", "初中", "小学", "学生", "学校", "孤儿", "残疾", "特困", "走读",
              "贫困", "建档", "立卡", "本校", "该生", "每位", "每名", "任何", "其他", "多名", "经济", "资助",
              "申请", "代表", "委员", "许可", "方式", "于每", "石县", "万元", "周一", "周五", "江县", "金额")


class Finding(NamedTuple):
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
    keep = [i for i in range(len(normal)) if not _JOINERS.match(normal, i)]
    return "".join(normal[i] for i in keep), [origin[i] for i in keep]


def scan(text: str, *, allow_mobile: bool = False) -> list[Finding]:
    """Find personal data in one text value.

    >>> [f.code for f in scan("联系人 13812345678，身份证 11010519491231002X")]
    ['P502', 'P501']
    >>> [f.code for f in scan("张三同学家长反映收费问题")]
    ['P503']
    >>> scan("家庭经济困难学生免收住宿费 400 元")
    []
    """
    findings: list[Finding] = []
    # An ID number has 18 characters (17 digits), a mobile 11 digits: fewer digits, nothing to find.
    if sum(map(str.isdigit, text)) >= 11:
        findings += _numbers(text, allow_mobile)
    if _NAME_MARKERS.search(text):
        findings += _names(text)
    findings.sort(key=lambda f: (f.start, f.code))
    return findings


def _numbers(text: str, allow_mobile: bool) -> list[Finding]:
    findings: list[Finding] = []
    compact, origin = _compact(text)
    id_spans: list[range] = []
    for match in _ID.finditer(compact):
        if valid_resident_id(match.group(1)):
            findings.append(Finding("P501", origin[match.start()], _mask(match.group(1))))
            id_spans.append(range(match.start(), match.end()))
    if not allow_mobile:
        for match in _MOBILE.finditer(compact):
            if any(match.start() in span for span in id_spans):
                continue
            findings.append(Finding("P502", origin[match.start()], _mask(match.group(1))))
    return findings


def _names(text: str) -> list[Finding]:
    findings: list[Finding] = []
    for pattern in (_NAME_BEFORE, _NAME_AFTER):
        for match in pattern.finditer(text):
            name = match.group(1)
            # Try the longest plausible name ending at the marker: 2 or 3 characters.
            candidates = [name[-3:], name[-2:]] if len(name) == 3 else [name]
            for candidate in candidates:
                if candidate[0] in _SURNAMES and not candidate.startswith(_NOT_NAMES) and "某" not in candidate:
                    findings.append(Finding("P503", match.start(), match.group(0)))
                    break
    return findings


# -- rosters: aid, reduction and refund lists (P504) -----------------------------------------------
# In these sections a name is never needed, so a name next to an amount, a list after 名单, or a
# student number is an error, not a guess for a human to review.
_ROSTER_MARKERS = re.compile(r"元|名单|学号|学籍号|考号")
_NAME_AMOUNT = re.compile(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{2,3})\s*[:：]?\s*\d+(?:\.\d{1,2})?\s*元")
_NAME_LIST = re.compile(r"名单[:：]\s*([\u4e00-\u9fff]{2,3})(?:\s*[、，,；;]\s*([\u4e00-\u9fff]{2,3}))+")
_STUDENT_NUMBER = re.compile(r"(?:学号|学籍号|考号)\s*[:：]?\s*[A-Za-z]?\d{5,}")
# A county, town, school or money word ends in these, never a person's given name.
_PLACE_ENDINGS = tuple("县区镇乡村市省校园费款额价部处室组局")
_ROSTER_NOT_NAMES = _NOT_NAMES + ("余额", "合计", "总计", "共计", "每生", "每人", "人均", "结余", "结转", "收取", "支出",
                                  "退还", "退费", "补助", "采购", "费用", "金额", "标准", "实收", "实退", "应退", "应收",
                                  "高一", "高二", "高三", "初一", "初二", "初三")


def _person(candidate: str) -> bool:
    return (candidate[0] in _SURNAMES and not candidate.startswith(_ROSTER_NOT_NAMES)
            and not candidate.endswith(_PLACE_ENDINGS) and "某" not in candidate)


def _hidden(name: str) -> str:
    return name[0] + "*" * (len(name) - 1)


def roster_scan(text: str) -> list[Finding]:
    """Personal data in a list of money paid or returned: names with amounts, names after 名单,
    student numbers.

    >>> [f.masked for f in roster_scan("退费名单：张伟 50 元，李娜 30 元")]
    ['张*', '李*']
    >>> [f.masked for f in roster_scan("受助学生名单：王小明、刘洋")]
    ['名单：王**、刘*']
    >>> roster_scan("校服采购 276000 元；白河县 1200 元；退费 1200 人，每生 10 元；石桥镇 3 件")
    []
    >>> [f.code for f in roster_scan("学号 2023010123 的学生")]
    ['P504']
    """
    if not _ROSTER_MARKERS.search(text):
        return []
    findings: list[Finding] = []
    for match in _NAME_AMOUNT.finditer(text):
        name = match.group(1)
        if _person(name):
            findings.append(Finding("P504", match.start(), _hidden(name)))
    for match in _NAME_LIST.finditer(text):
        names = re.findall(r"[\u4e00-\u9fff]{2,3}", match.group(0)[3:])
        if sum(map(_person, names)) >= 1:
            findings.append(Finding("P504", match.start(), "名单：" + "、".join(_hidden(n) for n in names)))
    for match in _STUDENT_NUMBER.finditer(text):
        findings.append(Finding("P504", match.start(), match.group(0)[:3] + "…"))
    findings.sort(key=lambda f: f.start)
    return findings
