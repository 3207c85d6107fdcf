# The words the search index holds for a page, written so that the browser splits a query the same way.
#
# Pagefind's extended build segments Chinese at index time with a dictionary (jieba), while the browser
# splits a query with its own segmenter (or into single characters): "南关县新店民办初级中学" was indexed
# as 南关/县/新店/民办/初级中学 and searched as other pieces, so full names found nothing. Here neither
# side segments Chinese at all. A name is normalised (NFKC, lower case, only letters and digits kept),
# every character is spelled as four base-36 letters (so the word is plain ASCII that no segmenter
# splits) and every suffix of the name becomes one index word (the whole name weighs most). Pagefind matches a query word as a
# prefix of an index word, so any run of characters of a name, the full name included, finds it, and
# an exact word ranks above a longer one. pages/assets/xiaowu.js spells a query the same way
# (tests/test_search_words.py and the browser tests hold the two to the same output).
from __future__ import annotations

import unicodedata
from collections.abc import Iterable

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
WIDTH = 4  # 36**4 > 0x10FFFF: every code point has a spelling of the same width


def _kept(char: str) -> bool:
    return unicodedata.category(char)[0] in "LN"


def terms(text: str) -> list[str]:
    """The query words of ``text``: NFKC, lower case, split at anything but letters and digits.

    >>> terms(" 南关县　新店（民办）初级中学 ")
    ['南关县', '新店', '民办', '初级中学']
    """
    folded = unicodedata.normalize("NFKC", text).lower()
    pieces: list[str] = []
    current: list[str] = []
    for char in folded:
        if _kept(char):
            current.append(char)
        elif current:
            pieces.append("".join(current))
            current = []
    if current:
        pieces.append("".join(current))
    return pieces


def spell(term: str) -> str:
    """``term`` (already normalised) with every character as WIDTH base-36 digits.

    >>> spell("a1")
    '002p001d'
    """
    out = []
    for char in term:
        number = ord(char)
        digits = []
        for _ in range(WIDTH):
            number, rest = divmod(number, 36)
            digits.append(_DIGITS[rest])
        out.append("".join(reversed(digits)))
    return "".join(out)


def query(text: str) -> str:
    """What the browser sends to Pagefind for ``text``: its terms spelled, space-separated (all must match)."""
    return " ".join(spell(term) for term in terms(text))


def words(texts: Iterable[str], start: int = 0) -> str:
    """The index words of ``texts``: every suffix of each text (its terms run together, so
    "宝安区（民办）启明幼儿园" is found as typed with or without the brackets) from character ``start``
    on, spelled; each distinct word once. A page gives its name's whole terms (start 0) a higher weight than the
    rest of the suffixes (start 1), so "城区" finds the county 城区 before 新城区.

    >>> words(["宝安区"]).split() == [spell("宝安区"), spell("安区"), spell("区")]
    True
    >>> words(["宝安区"], start=1).split() == [spell("安区"), spell("区")]
    True
    """
    seen: dict[str, None] = {}
    for text in texts:
        key = "".join(terms(text))
        for first in range(start, len(key)):
            seen.setdefault(spell(key[first:]), None)
    return " ".join(seen)


def whole(texts: Iterable[str]) -> str:
    """Each of ``texts`` whole, spelled (what ranks a page first for its exact name)."""
    return " ".join(dict.fromkeys(spell("".join(terms(text))) for text in texts if terms(text)))


#: Where ``shown`` moves a character: Supplementary Private Use Area-A, U+F0000 + its code point.
SHOWN_BASE = 0xF0000


def shown(text: str) -> str:
    """``text`` for a result's metadata (``data-pagefind-meta``), in which Pagefind finds no word.

    Since 1.5 Pagefind also indexes every word of a page's metadata (split at spaces and ASCII
    punctuation, every run of letters and digits a word). A result's title, summary and fee lines
    are there only to be shown, and no spelled query can match their Chinese words, yet they were
    half of the indexer's memory (about 26 KB a page). Every character below U+10000 is moved to
    U+F0000 + its code point: a private-use character, neither a letter, a digit, a space nor
    punctuation, so none of it is indexed. The loader refuses private-use characters in every data
    file, so the move cannot be confused with the text; pages/assets/xiaowu.js moves them back
    (``unshown`` here). A character above U+FFFF (rare: CJK extension B) stays as it is.

    >>> shown("A 1") == "\\U000F0041\\U000F0020\\U000F0031", unshown(shown("宝安区 800 元/生·学期；𠀀"))
    (True, '宝安区 800 元/生·学期；𠀀')
    """
    return "".join(chr(SHOWN_BASE + ord(char)) if ord(char) < 0x10000 else char for char in text)


def unshown(text: str) -> str:
    """What ``shown`` moved, back (the browser's copy is in pages/assets/xiaowu.js)."""
    return "".join(chr(ord(char) - SHOWN_BASE) if SHOWN_BASE <= ord(char) < SHOWN_BASE + 0x10000 else char
                   for char in text)
