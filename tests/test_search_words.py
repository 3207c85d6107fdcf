"""The words search indexes and the way a query is spelled (pages/searchwords.py; the browser's copy in
pages/assets/xiaowu.js is held to the same output in tests/test_search_province.py).

Pagefind finds a page when every query word is a prefix of one of its index words. These tests check
that as a property over many realistic names (scripts/generate_province.py) and invented variants: any
run of characters of a name finds it however it is typed, and nothing that is not in the name does.
"""
from __future__ import annotations

import gzip
import json
import random
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from xiaowu.pages.searchwords import WIDTH, query, shown, spell, terms, unshown, whole, words

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import generate_province  # noqa: E402

NAMES = [s.name for s in generate_province.make_schools(400, random.Random(7))] + [
    "南关县新店民办初级中学", "城关小学", "青石市ABC外国语学校", "第1中学", "宝安区（民办）启明幼儿园", "𠀀𠀁学校", "Ｘ校"]


def found(text: str, index: str) -> bool:
    """Pagefind's rule: every query word is a prefix of some index word."""
    index_words = index.split()
    return bool(text.split()) and all(any(w.startswith(q) for w in index_words) for q in text.split())


@pytest.mark.parametrize("name", NAMES[::7] + NAMES[-7:])
def test_every_run_of_characters_of_a_name_finds_it(name: str) -> None:
    index = words([name])
    key = "".join(terms(name))
    for start in range(len(key)):
        for end in range(start + 1, len(key) + 1):
            assert found(query(key[start:end]), index), key[start:end]


@pytest.mark.parametrize("typed, name", [
    ("南关县 新店", "南关县新店民办初级中学"),
    ("南关县　新店民办", "南关县新店民办初级中学"),  # full-width space
    ("  新店，民办。初级中学 ", "南关县新店民办初级中学"),
    ("宝安区(民办)启明", "宝安区（民办）启明幼儿园"),
    ("宝安区民办启明幼儿园", "宝安区（民办）启明幼儿园"),  # without the brackets the name has
    ("abc外国语", "青石市ABC外国语学校"),
    ("ＡＢＣ", "青石市ABC外国语学校"),  # full-width letters
    ("第１中学", "第1中学"),
    ("x校", "Ｘ校"),
    ("𠀁学", "𠀀𠀁学校"),  # outside the Basic Multilingual Plane
])
def test_a_name_is_found_however_it_is_typed(typed: str, name: str) -> None:
    assert found(query(typed), words([name]))


@pytest.mark.parametrize("typed, name", [
    ("宝安区", "宝山区城关小学"), ("宝山区", "宝安区宝山小学"), ("浦东新区", "浦东区新城小学"),
    ("城关小学", "城关中心小学"), ("城关小学", "城关幼儿园"), ("补课费", "补课中心小学"), ("新店 民办", "新店初级中学"),
])
def test_what_is_not_in_the_name_does_not_find_it(typed: str, name: str) -> None:
    assert not found(query(typed), words([name]))


def test_punctuation_alone_asks_nothing() -> None:
    assert query(" ，。、（）·  ") == "" and terms("—") == []


@pytest.mark.parametrize("name", NAMES[::5])
def test_spelling_is_fixed_width_ascii_and_one_to_one(name: str) -> None:
    key = "".join(terms(name))
    spelled = spell(key)
    assert len(spelled) == WIDTH * len(key) and spelled.isascii() and spelled.isalnum() and spelled == spelled.lower()
    chars = [spelled[i:i + WIDTH] for i in range(0, len(spelled), WIDTH)]
    assert [chr(int(c, 36)) for c in chars] == list(key)


def test_the_whole_name_is_its_own_word_and_the_suffixes_are_apart() -> None:
    assert whole(["新城区"]) == spell("新城区")
    assert spell("城区") in words(["新城区"], start=1).split() and spell("新城区") not in words(["新城区"], start=1).split()
    assert words(["城关", "城关"]) == words(["城关"])  # each word once


@pytest.mark.parametrize("name", NAMES[::11] + ["（民办）", "Ａ·Ｂ"])
def test_normalising_twice_changes_nothing(name: str) -> None:
    assert terms(" ".join(terms(name))) == terms(name)


def test_the_province_generator_is_seeded_and_names_are_unique(tmp_path: Path) -> None:
    for run in ("a", "b"):
        generate_province.generate(tmp_path / run, 120, 5)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.yml"))
    assert len(files) == 123  # 120 schools, policy, exceptions, oversight
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    names = [s.name for s in generate_province.make_schools(2000, random.Random(1))]
    assert len(set(names)) == len(names)
    assert {"浦东新区", "宝安区", "宝山区"} <= {s.county_name for s in generate_province.make_schools(16, random.Random(1))}


# A result's metadata: Pagefind (1.5 on) indexes the words of data-pagefind-meta too; shown() leaves it none.
FEES = "学费 800 元/生·学期；住宿费（公寓化管理宿舍） 470 元/生·学期；伙食费 1,300 元/生·学期；A4 作业本 12.50 元/本"


@pytest.mark.parametrize("text", NAMES[::9] + [FEES, "", " ", "<b>&amp;\"'", "𠀀𠀁学校", "\uffff\u0000"])
def test_shown_text_comes_back_whole_and_holds_nothing_an_indexer_reads(text: str) -> None:
    moved = shown(text)
    assert unshown(moved) == text and len(moved) == len(text)
    for char, before in zip(moved, text):  # private use (U+FFFFE-F: noncharacters): no letter, digit, space or punctuation
        assert unicodedata.category(char) in ("Co", "Cn") if ord(before) < 0x10000 else char == before


def _index(site: Path, meta: bool, move: bool) -> tuple[list[str], list[dict[str, str]]]:
    """Pagefind's word index (its chunk files are named by their content) and the pages' metadata."""
    from pagefind_bin_extended import get_executable

    for number, name in enumerate(NAMES[:40]):
        fees = f"{name[-2:]}费 {number} 元/生·学期；{FEES}"
        attrs = (' data-pagefind-meta="title[data-title], fees[data-fees]"'
                 f' data-title="{shown(name) if move else name}" data-fees="{shown(fees) if move else fees}"') if meta else ""
        page = site / str(number) / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f'<!doctype html><html lang="zh-CN"><body><div hidden data-pagefind-body{attrs}>'
                        f'<p data-pagefind-weight="10">{whole([name])}</p><p>{words([name], 1)}</p></div></body></html>', "utf-8")
    out = site.parent / f"{site.name}-index"
    run = subprocess.run([str(get_executable()), "--site", str(site), "--output-path", str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    fragments = [json.loads(gzip.decompress(f.read_bytes()).removeprefix(b"pagefind_dcd")) for f in (out / "fragment").iterdir()]
    return sorted(p.name for p in (out / "index").iterdir()), [f["meta"] for f in fragments]


def test_pagefind_indexes_no_word_of_a_results_metadata(tmp_path: Path) -> None:
    bare, _ = _index(tmp_path / "bare", meta=False, move=False)
    moved, metas = _index(tmp_path / "moved", meta=True, move=True)
    plain, _ = _index(tmp_path / "plain", meta=True, move=False)
    assert moved == bare  # the same word index as pages without metadata
    assert plain != bare  # (as written, Pagefind indexes the metadata's words: this test can tell)
    assert sorted(unshown(m["title"]) for m in metas) == sorted(NAMES[:40])
    assert all(unshown(m["fees"]).endswith(FEES) for m in metas)
