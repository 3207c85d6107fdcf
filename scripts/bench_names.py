"""What name comparison and the personal-data scan cost, on the example's own names and texts.

    .venv/bin/python scripts/bench_names.py [--schools schools]

Prints µs per call of name_key: the old fold (NFKC + a fixed 50-character traditional table, kept
here only as the baseline) and the OpenCC fold, each uncached ("cold", a name seen for the first
time) and through the memo ("warm", every later comparison); then the scan of every free text of
the example, and what loading jieba's dictionary costs when a text needs it.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))

from xiaowu.check.project import check_project  # noqa: E402
from xiaowu.read import chars, names, pii  # noqa: E402
from xiaowu.read import schema as schema_module  # noqa: E402

_OLD_TABLE = str.maketrans(
    "擇費讀補課試資講義溫飲護贊學實驗長機雜書輔導額間習膳宿選團險話電務區縣級聯熱線監督舉報訴",
    "择费读补课试资讲义温饮护赞学实验长机杂书辅导额间习膳宿选团险话电务区县级联热线监督举报诉",
)
_NOISE = re.compile(r"[\s·•.,，、:：;；'\"“”‘’（）()\[\]【】〔〕<>《》/\\\-_—–―−‐‑ー﹣－~～]+")


def old_key(name: str) -> str:
    text = chars.INVISIBLE.sub("", unicodedata.normalize("NFKC", name))
    return _NOISE.sub("", text.translate(_OLD_TABLE)).lower()


def per_call(function: Callable[[str], object], values: list[str], rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        for value in values:
            function(value)
    return (time.perf_counter() - start) / (rounds * len(values)) * 1e6


def example_texts(schools: Path) -> tuple[list[str], list[str]]:
    """(names compared, free texts scanned) in one check of the folder."""
    texts: list[str] = []
    compared: list[str] = []
    scan, key = pii.scan, chars.name_key

    def record_scan(text: str, **options: bool) -> list[pii.Finding]:
        texts.append(text)
        return scan(text, **options)

    def record_key(name: str) -> str:
        compared.append(name)
        return key(name)

    schema_module.pii.scan = record_scan  # type: ignore[assignment]
    for module in _modules_using_name_key():
        module.name_key = record_key  # type: ignore[attr-defined]
    try:
        check_project(schools, today=date(2026, 11, 21), jobs=1)
    finally:
        schema_module.pii.scan = scan
        for module in _modules_using_name_key():
            module.name_key = key  # type: ignore[attr-defined]
    return compared, texts


def _modules_using_name_key() -> Iterable[object]:
    return [m for n, m in sys.modules.items() if n.startswith("xiaowu.") and getattr(m, "name_key", None) is not None
            and m is not chars]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=Path, default=Path("schools"))
    args = parser.parse_args()
    compared, texts = example_texts(args.schools)
    distinct = sorted(set(compared))
    print(f"name_key: {len(compared)} calls on {len(distinct)} distinct names in one check of {args.schools}")
    cold_new = per_call(chars.name_key.__wrapped__, distinct, 20)
    print(f"  old fold (fixed table)  cold {per_call(old_key, distinct, 20):6.2f} µs/call")
    print(f"  OpenCC fold             cold {cold_new:6.2f} µs/call")
    chars.name_key(distinct[0])
    print(f"  OpenCC fold, memoised   warm {per_call(chars.name_key, compared, 20):6.2f} µs/call")
    unique = sorted(set(texts))
    start = time.perf_counter()
    tagged = sum(bool(names.person_names(t)) or 0 for t in unique)
    first = time.perf_counter() - start
    print(f"pii.scan: {len(unique)} distinct free texts; jieba loaded: {names._tagger.cache_info().currsize > 0}"
          f" ({first * 1e3:.0f} ms for the name pass, {tagged} with a name)")
    print(f"  scan per text           {per_call(pii.scan, unique, 5):6.1f} µs/call")
    start = time.perf_counter()
    names._tagger()
    print(f"  loading jieba (once per process, only when a text needs it) {(time.perf_counter() - start) * 1e3:.0f} ms")
    print(f"  scan of a text with a name, jieba loaded {per_call(pii.scan, ['投诉人郑浩然反映退费 50 元'], 200):6.1f} µs/call")


if __name__ == "__main__":
    main()
