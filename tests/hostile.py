"""Hostile input for the escaping tests: payloads (handpicked and the XSS corpus), a schema-driven
mutation that puts them into every free-text field, and an HTML parser that lists what became markup."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from collections.abc import Iterator

import yaml

from conftest import corpora
from xiaowu.rules.hotlines import written_channel

HANDPICKED = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "'><svg/onload=alert(3)>",
    "</title><script>alert(4)</script>",
    "</textarea></caption></table><iframe src=javascript:alert(5)>",
    "**粗体** _斜体_ [链接](javascript:alert(6)) ![图](x)",
    "{{ 7*7 }} {% raw %} ${7*7}",
    "<!-- xiaowu:hotlines --> &lt;b&gt; &amp;",
    "<a href=\"javascript:alert(7)\">点我</a>",
    "<style>body{display:none}</style>",
    "]]><!--",
]
_REFUSED = set(range(0x00, 0x20)) | set(range(0x7F, 0xA1)) | {0x3000, 0x2028, 0x2029, 0xFEFF, 0x200B, 0x200C, 0x200D, 0x2060}


def payloads() -> list[str]:
    """The handpicked payloads and every 250th corpus line a clerk's editor could save."""
    lines = (corpora() / "xss" / "payloads.txt").read_text("utf-8", errors="replace").splitlines()
    assert len(lines) > 6000, "XSS corpus missing"
    sample = [p.strip() for p in lines[::250] if p.strip()]
    usable = [p for p in sample if not any(ord(ch) in _REFUSED for ch in p) and " #" not in p
              and not any(ch.isdigit() for ch in p)]  # digits could look like phone or ID numbers (P5xx)
    return HANDPICKED + usable


def free_text(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "string" and not {"enum", "x-format", "pattern", "const", "format"} & schema.keys()


class Payloads:
    """Payloads in turn; one too long for a field waits for a field with room, so none is lost."""

    def __init__(self, source: Iterator[str]) -> None:
        self.source = source
        self.waiting: list[str] = []

    def __iter__(self) -> Payloads:
        return self

    def __next__(self) -> str:
        return self.waiting.pop(0) if self.waiting else next(self.source)

    def take(self, room: int) -> str:
        for index, payload in enumerate(self.waiting):
            if len(payload) <= room:
                return self.waiting.pop(index)
        for _ in range(1000):
            payload = next(self.source)
            if len(payload) <= room:
                return payload
            self.waiting.append(payload)
        raise AssertionError(f"no payload fits in {room} characters")


def mutate(value: Any, schema: dict[str, Any], mapping: dict[str, str], pool: Iterator[str],
           placed: list[tuple[str, str]] | None = None) -> Any:
    """Append a payload to every free-text string. Values in ``mapping`` always get the same payload;
    other values are added to it, or, when ``placed`` is given, get a fresh payload per occurrence
    (recorded there as (original, mutated))."""
    if isinstance(value, dict):
        props = schema.get("properties", {})
        return {k: mutate(v, props.get(k, {}), mapping, pool, placed) for k, v in value.items()}
    if isinstance(value, list):
        return [mutate(v, schema.get("items", {}), mapping, pool, placed) for v in value]
    # "12345" names a service line; an e-mail or web complaint channel is an address, not free text
    if isinstance(value, str) and free_text(schema) and not value.isdigit() and not written_channel(value):
        if value in mapping:
            return mapping[value]
        room = schema.get("maxLength", 10**9) - len(value)  # the checker refuses longer text
        payload = pool.take(room) if isinstance(pool, Payloads) else next(pool)
        mutated = value + payload
        if placed is None:
            mapping[value] = mutated
        else:
            placed.append((value, mutated))
        return mutated
    return value


def write(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), "utf-8")


class Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.urls: list[str] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self._in_script = tag in ("script", "style")
        for name, value in attrs:
            self.attributes.add(f"{tag}@{name}")
            if name in ("href", "src", "action", "formaction", "xlink:href") and value:
                self.urls.append(value)

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.scripts if self._in_script else self.text).append(data)


def parse_site(site: Path) -> dict[str, Markup]:
    parsed = {}
    for page in sorted(site.rglob("*.html")):
        parser = Markup()
        parser.feed(page.read_text("utf-8"))
        parsed[page.relative_to(site).as_posix()] = parser
    return parsed


