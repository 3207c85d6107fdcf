# Which characters clerk text may hold, and how two names are compared.
#
# Invisible and look-alike characters are how a forged name passes a check that a reader cannot see:
# `择<U+00AD>校费` is not `择校费` to a naive comparison, yet looks the same on the page. So the loader
# refuses every character of these classes anywhere in a file, and every name comparison goes
# through `name_key`, which also drops them (defence in depth, for text that did not come through
# the loader, such as the policy of an older release).
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache

import opencc

#: Refused anywhere in a data file (the newline is the only control character allowed):
#: every control (Cc), format (Cf), private-use (Co), surrogate (Cs), line/paragraph separator
#: (Zl, Zp) and space other than U+0020 (Zs, incl. U+3000 and U+00A0); plus the invisible
#: characters of other classes: combining grapheme joiner U+034F, variation selectors
#: (U+FE00–FE0F, U+E0100–E01EF, Mongolian U+180B–180F), Hangul fillers (U+115F, U+1160, U+3164,
#: U+FFA0), the blank Braille pattern U+2800, Khmer inherent vowels U+17B4–17B5, the replacement
#: characters U+FFFC–FFFD and the noncharacters. Generated from Python 3.11's Unicode 14 tables;
#: tests/test_trust.py checks that it still covers those classes in the running Python.
INVISIBLE = re.compile(
    "[\u0000-\u0009\u000b-\u001f\u007f-\u00a0\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891"
    "\u08e2\u115f-\u1160\u1680\u17b4-\u17b5\u180b-\u180f\u2000-\u200f\u2028-\u202f\u205f-\u2064"
    "\u2066-\u206f\u2800\u3000\u3164\ud800-\uf8ff\ufdd0-\ufdef\ufe00-\ufe0f\ufeff\uffa0\ufff9-\uffff"
    "\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U0001fffe-\U0001ffff\U0002fffe-\U0002ffff\U0003fffe-\U0003ffff\U0004fffe-\U0004ffff"
    "\U0005fffe-\U0005ffff\U0006fffe-\U0006ffff\U0007fffe-\U0007ffff\U0008fffe-\U0008ffff"
    "\U0009fffe-\U0009ffff\U000afffe-\U000affff\U000bfffe-\U000bffff\U000cfffe-\U000cffff"
    "\U000dfffe-\U000dffff\U000e0001\U000e0020-\U000e007f\U000e0100-\U000e01ef\U000efffe-\U0010ffff]"
)
#: INVISIBLE's characters below U+10000 alone. A class that also holds ranges above U+FFFF makes `re`
#: test those ranges one by one for every character, ~270 µs for a school file against ~20 µs here.
_INVISIBLE_BMP = re.compile(INVISIBLE.pattern[:INVISIBLE.pattern.index("\U000110bd")] + "]")


def any_invisible(text: str) -> bool:
    """Whether INVISIBLE matches anywhere in ``text``, quickly: the characters above U+FFFF are only
    looked for when the text has any (they take two UTF-16 units).

    >>> any_invisible("青石一中\\n"), any_invisible("择\\u00ad校费"), any_invisible("\\U000e0041"), any_invisible("𠀀")
    (False, True, True, False)
    """
    if _INVISIBLE_BMP.search(text):
        return True
    return len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text) and INVISIBLE.search(text) is not None


#: Nothing a reader can see: only spaces and combining marks (a "name" made of U+0301 alone).
_NOTHING_VISIBLE = re.compile(r"^[\s\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]*$")

# Traditional and variant characters are folded with OpenCC's dictionaries (the `opencc` package, the
# project's own Python binding): "hk2s" maps Hong Kong and other variant forms to the standard
# traditional ones (衞→衛, 敍→敘) and then to simplified (敎→教, 點→点, 續→续); "tw2s" adds Taiwan's
# variant table. NFKC, applied first, folds full-width forms, CJK compatibility ideographs (U+F900…)
# and Kangxi radicals (U+2F00…) to the unified ideographs.
_OPENCC_CONFIGS = ("hk2s", "tw2s")
_NOISE = re.compile(r"[\s·•.,，、:：;；'\"“”‘’（）()\[\]【】〔〕<>《》/\\\-_—–―−‐‑ー﹣－~～]+")


def visible(text: str) -> bool:
    """Whether a reader would see anything.

    >>> visible("青石一中"), visible("\\u0301 "), visible("")
    (True, False, False)
    """
    return not _NOTHING_VISIBLE.match(text)


@cache
def _converters() -> tuple[Callable[[str], str], ...]:
    """OpenCC's converters, built once per process on first use (about 5 ms)."""
    return tuple(opencc.OpenCC(config).convert for config in _OPENCC_CONFIGS)


def simplified(text: str) -> str:
    """``text`` with traditional and variant characters folded to simplified ones.

    >>> simplified("補課費、敎輔資料費、衞生費")
    '补课费、教辅资料费、卫生费'
    """
    for convert in _converters():
        text = convert(text)
    return text


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """The form two names are compared in: NFKC, invisible characters, spaces and punctuation
    dropped, traditional and variant characters folded to simplified (OpenCC), lower case.

    >>> name_key(" 擇校費（初一） ") == name_key("择校费初一") == name_key("择\\u00ad校费 初一")
    True
    >>> name_key("１２３４５ 热线"), name_key("敎育局"), name_key("\\uf9fc\\u2f2f")
    ('12345热线', '教育局', '识工')
    """
    text = INVISIBLE.sub("", unicodedata.normalize("NFKC", name))
    return _NOISE.sub("", simplified(text)).lower()
