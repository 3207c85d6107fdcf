# Units, cadences and pricing modes of a fee: 元/生·学期 and its many spellings, how often a fee is
# collected, what a per-unit rate counts (课时, 天, 餐 …) and how each pricing mode reads on a page.
from __future__ import annotations

from functools import lru_cache

#: Pricing modes, and how each reads on a page ("" = an amount is shown).
PRICING_WORDS = {
    "固定标准": "",
    "限价内自定": "学校在本局核定上限内自定",
    "据实收取": "据实收取，多退少补",
    "以支定收": "以支定收（按实际支出核定，不盈利）",
    "按教材定价": "按教材标价",
    "按招标价": "按公开招标确定的价格",
    "学校自主定价": "学校自主定价，报主管部门备案",
}
#: Modes with no amount of their own: an amount, if given, is what is collected in advance.
ACTUAL_COST = frozenset({"据实收取", "以支定收", "按教材定价", "按招标价"})

_UNIT_WORDS = str.maketrans({"/": " ", "／": " ", "·": " ", "•": " ", ".": " ", "-": " ", "每": " ", "、": " "})
_UNIT_SAME = {"期": "学期", "人": "生", "学生": "生", "年度": "年"}
#: Who a unit counts per ("生"), never what is counted (课时, 餐, 学期 …).
_PER_WHOM = frozenset({"生", "人", "学生", "户", "套", "份"})
_CADENCE_OF_PART = {"学期": "学期", "学年": "学年", "年": "年", "月": "月", "周": "周", "天": "天", "日": "天",
                    "课时": "课时", "次": "次"}


@lru_cache(maxsize=4096)
def unit_key(unit: str) -> frozenset[str]:
    """Units compare by their parts: 元/生·学期 = 元/生/学期 = 元/学期.生 = 每生每学期 = 元/生·期.

    >>> unit_key("元/生/学年") == unit_key("元/生·学年"), unit_key("元/生·学期") == unit_key("元/生·月")
    (True, False)
    """
    parts = unit.replace("元", " ").translate(_UNIT_WORDS).split()
    return frozenset(_UNIT_SAME.get(p, p) for p in parts)


def cadence_of(billing_period: str, unit: str) -> str:
    """How often an item is collected: as written, else read from the unit ("" when neither says).

    >>> cadence_of("", "元/生·学期"), cadence_of("学年", "元/生·学期"), cadence_of("", "元/套")
    ('学期', '学年', '')
    """
    if billing_period:
        return billing_period
    found = [_CADENCE_OF_PART[p] for p in unit_key(unit) if p in _CADENCE_OF_PART]
    return found[0] if len(found) == 1 else ""


def counted(unit: str) -> str:
    """What a per-unit rate counts: the last part of its unit that is not money or a person.

    >>> counted("元/生·课时"), counted("元/课时"), counted("每生每餐"), counted("元/人/天"), counted("元")
    ('课时', '课时', '餐', '天', '')
    """
    parts = [_UNIT_SAME.get(p, p) for p in unit.replace("元", " ").translate(_UNIT_WORDS).split()]
    rest = [p for p in parts if p not in _PER_WHOM]
    return rest[-1] if rest else ""


def per_whom(unit: str) -> frozenset[str]:
    """The parts of a unit that say whom it is charged to (生, 套 …), to compare a rate with its total.

    >>> per_whom("元/生·课时") == per_whom("元/生·学期"), per_whom("元/课时")
    (True, frozenset())
    """
    return unit_key(unit) & _PER_WHOM
