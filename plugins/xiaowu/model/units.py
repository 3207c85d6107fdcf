# Units and cadences of a fee: 元/生·学期 and its many spellings, and how often a fee is collected.
from __future__ import annotations

from functools import lru_cache

_UNIT_WORDS = str.maketrans({"/": " ", "／": " ", "·": " ", "•": " ", ".": " ", "-": " ", "每": " ", "、": " "})
_UNIT_SAME = {"期": "学期", "人": "生", "学生": "生", "年度": "年"}
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
