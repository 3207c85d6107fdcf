# Person names in free text: a heuristic, for the personal-data scan (read/pii.py).
#
# Chinese names have no marker a regular expression can rely on, so three signals are combined:
# jieba's part-of-speech tagging (a word tagged "nr", a person's name, from its dictionary and HMM),
# the surname list (single and compound surnames), and context cues (投诉人…, …同学, …家长, a list
# "张伟、王芳等 2 人", a class in brackets "张伟（初一3班）", a refund "张伟 退费 50 元"). jieba's
# dictionary is loaded once per process, lazily, and only for a text that has a surname next to a
# short run of Chinese characters or a cue: most disclosure texts never load it.
from __future__ import annotations

import logging
import re
from functools import cache
from typing import Any, NamedTuple

_SINGLE = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
           "姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
           "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍"
           "涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党"
           "宫卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝")
#: Two-character surnames: 欧阳娜娜 is one name, not the place 欧阳 followed by 娜娜.
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯",
                     "轩辕", "令狐", "端木", "南宫", "西门", "独孤", "百里", "呼延", "万俟", "澹台", "公冶", "太史", "申屠",
                     "钟离", "闻人", "赫连", "第五", "拓跋", "完颜")
# 费 (a real surname) is left out on purpose: in fee disclosures it ends nearly every item name.
SURNAMES = frozenset(_SINGLE)
_CJK = "\u4e00-\u9fff"
_SURNAME = "(?:" + "|".join(COMPOUND_SURNAMES) + f"|[{_SINGLE}])"
#: Words that name the person after them (投诉人张伟, 家长：王芳).
CUES_BEFORE = ("投诉人", "举报人", "反映人", "来访人", "来电人", "当事人", "申请人", "受助人", "监护人", "联系人", "家长",
               "学生", "姓名", "同学")
_CANDIDATE = f"({_SURNAME}[{_CJK}]{{1,2}})"
#: Where a name may stand: after a cue; before a cue, a list, a bracket, the end of a clause, a
#: verb a person does (同意, 反映, 申请…), an amount or a refund; or alone as a short run of Chinese
#: characters. Only a text with such a candidate is tagged by jieba.
_WORTH = re.compile(
    rf"(?:{'|'.join(CUES_BEFORE)})(?:为|是)?[:：\s]*{_CANDIDATE}"
    rf"|{_CANDIDATE}(?=同学|家长|的家长|之父|之母|妈妈|爸爸|父亲|母亲|的父亲|的母亲|等|、|（|\(|[，。；！？,;!?]|同意|签字|签名|确认|反映|来电|来访|投诉|举报|申请|领取|已|\s*[:：]?\s*\d|\s*(?:退|领|补|缴|交))"
    rf"|(?<![{_CJK}]){_CANDIDATE}(?![{_CJK}])")
_BEFORE = re.compile(rf"(?:{'|'.join(CUES_BEFORE)})(?:为|是)?\s*[:：]?\s*$")
#: After these a word jieba did not tag as a name is still one: 张三同学, 李四家长, 罗兰等 2 人,
#: 罗兰（初一3班）. (Not an amount: 夏令营 800 元, 石材 50 元.)
_PERSON_AFTER = re.compile(r"同学|家长|的家长|之父|之母|妈妈|爸爸|的父亲|的母亲|等\s*\d+\s*[人名]|[（(][^）)]{0,8}(?:班|年级)")
_CJK_CHAR = re.compile(f"[{_CJK}]")
_CJK_WORD = re.compile(f"[{_CJK}]+")
#: The tag of a surname jieba split from its given name, joined again: a name only where one stands.
_SPLIT = "nr-joined"
_LIST_AFTER = re.compile(r"、|\s*[:：]?\s*\d+(?:\.\d{1,2})?\s*元|\s*(?:退费|退还|领取|已退|已领)")
#: What follows a place, school or company name, never a person's.
_INSTITUTION = re.compile(r"^(?:中学|小学|学校|幼儿园|大学|学院|中心|路|街|大道|巷|镇|乡|村|社区|小区|区|县|市|省|公司|集团|"
                          r"医院|酒店|宾馆|超市|食堂|书店|银行|广场|山|河|湖|江|桥|湾|坪|坝|寨|屯|庄)")
_NOT_NAMES = ("全体", "各位", "所有", "住宿", "寄宿", "困难", "低保", "在校", "新生", "毕业", "相关", "部分", "广大", "家庭",
              "年级", "高中", "初中", "小学", "学生", "学校", "孤儿", "残疾", "特困", "走读", "贫困", "建档", "立卡", "本校",
              "该生", "每位", "每名", "任何", "其他", "多名", "经济", "资助", "申请", "代表", "委员", "许可", "方式", "于每",
              "万元", "周一", "周五", "金额", "余额", "合计", "总计", "共计", "每生", "每人", "人均", "结余", "结转", "收取",
              "支出", "退还", "退费", "补助", "采购", "费用", "标准", "实收", "实退", "应退", "应收", "高一", "高二", "高三",
              "初一", "初二", "初三", "纪检", "纪委", "监察", "文件", "文号", "管理", "安全", "明细", "单价", "成本", "时间",
              "项目", "计划", "党组", "党委", "宣传", "教育", "教学", "教师", "师生", "幼儿", "方案", "公示", "公开", "常规",
              "常年", "全年", "全额", "全部", "全校", "全市", "全县", "包括", "程序", "季度", "夏季", "秋季", "春季", "冬季",
              "平均", "江南", "江北", "高新", "明日", "明年", "向阳", "史料", "车费", "车辆", "路费", "房费", "伙食", "汤圆")
#: Parts of words that no name holds (监管投诉: 管投诉 is not a name; 张某 is the usual way to hide one).
_NEVER_IN_NAMES = re.compile(r"某|投诉|举报|反映|申请|同意|收费|热线|电话|退费|监督")
_PLACE_ENDINGS = tuple("县区镇乡村市省校园费款额价部处室组局站所厂店院科坪坝寨屯庄湾桥山河湖家")


class Name(NamedTuple):
    start: int
    name: str


@cache
def _tagger() -> Any:
    """jieba's part-of-speech tagger, its dictionary loaded on first use (once per process)."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.posseg


def _in_dictionary(word: str) -> bool:
    """Whether jieba's dictionary has the word. Its "nr" entries include many ordinary words
    (夏令营, 钟楼, 顾问, 查明, 毛巾), while a student's name is usually new to it (tagged by its HMM)."""
    import jieba

    _tagger()
    return bool(jieba.dt.FREQ.get(word))


def _worth_tagging(text: str) -> bool:
    for match in _WORTH.finditer(text):
        candidate = next(group for group in match.groups() if group)
        end = match.start() + match.group(0).rindex(candidate) + len(candidate)
        if plausible(candidate, text[end:end + 4]):
            return True
    return False


def _surname(word: str) -> str:
    if word[:2] in COMPOUND_SURNAMES:
        return word[:2]
    return word[0] if word[0] in SURNAMES else ""


def plausible(word: str, after: str = "") -> bool:
    """A surname and a one- or two-character given name, not a common word, place or school.

    >>> plausible("张伟"), plausible("欧阳娜娜"), plausible("高中学生"), plausible("金山", "中学")
    (True, True, False, False)
    """
    surname = _surname(word)
    given = len(word) - len(surname)
    return (bool(surname) and 1 <= given <= 2 and not word.startswith(_NOT_NAMES) and not _NEVER_IN_NAMES.search(word)
            and not word.endswith(_PLACE_ENDINGS) and not _INSTITUTION.match(after))


def _tokens(text: str) -> list[tuple[int, str, str]]:
    """(start, word, part of speech) for each of jieba's words, a compound surname joined to its
    given name (jieba tags 欧阳 as a place)."""
    out: list[tuple[int, str, str]] = []
    start = 0
    for pair in _tagger().lcut(text):
        word, flag = str(pair.word), str(pair.flag)
        previous = out[-1] if out else (0, "", "")
        if previous[1] in COMPOUND_SURNAMES and len(word) <= 2 and _CJK_WORD.fullmatch(word):
            out[-1] = (previous[0], previous[1] + word, "nr")
        elif previous[1] in SURNAMES and previous[2][:1] == "n" and len(word) <= 2 and _CJK_WORD.fullmatch(word):
            # jieba splits a surname from a given name that is a word of its own (郑 / 浩然).
            out[-1] = (previous[0], previous[1] + word, _SPLIT)
        else:
            out.append((start, word, flag))
        start += len(word)
    return out


def person_names(text: str) -> list[Name]:
    """Likely person names in one text value.

    >>> [n.name for n in person_names("张伟、王芳等 2 人退费，欧阳娜娜（初一3班）已领取")]
    ['张伟', '王芳', '欧阳娜娜']
    >>> person_names("白沙镇中心小学伙食费按实际天数结算，凤凰路校区不收住宿费")
    []
    """
    if not _worth_tagging(text):
        return []
    found: list[Name] = []
    for start, word, flag in _tokens(text):
        end = start + len(word)
        if not plausible(word, text[end:end + 4]):
            continue
        # A cue that always names a person is enough; otherwise jieba must tag it "nr", and a word
        # its dictionary tags so (李娜, but also 夏令营) must also stand where a name stands.
        cued = bool(_BEFORE.search(text[max(0, start - 6):start]) or _PERSON_AFTER.match(text, end))
        known = flag == _SPLIT or _in_dictionary(word)
        if cued or flag.startswith("nr") and (not known or _listed(text, start, end)):
            found.append(Name(start, word))
    return found


def _listed(text: str, start: int, end: int) -> bool:
    """A word that stands where a name stands: alone, in a list, before an amount or a refund."""
    alone = (start == 0 or not _CJK_CHAR.match(text[start - 1])) and not _CJK_CHAR.match(text[end:end + 1])
    return alone or text[start - 1:start] == "、" or bool(_LIST_AFTER.match(text, end))
