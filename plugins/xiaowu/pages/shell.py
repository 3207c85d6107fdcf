# A page of the real theme rendered once with unique slots, then filled for each school page: how the
# plugin writes thousands of school pages through Material (overrides, extra_css, features and all)
# while running the theme's templates once per kind of page. Pure string work, no MkDocs: the plugin
# renders the shell and checks it against a page rendered the plain way before trusting it.
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from dataclasses import dataclass

#: Slot names and their tokens: letters and one Chinese character, which escape and striptags leave
#: as they are; a filter that changes them (urlencode, tojson, upper, truncate …) leaves the prefix
#: behind, and the shell is refused.
_PREFIX = "xiaowuslot"
SLOTS = ("title", "description")
TOKENS = {name: f"{_PREFIX}{name}槽" for name in SLOTS}
#: What a theme tests a page's body for (Material adds the title as <h1> when the body has none): a
#: body fills a shell only if it agrees with the shell's own body on each.
PROBES = ("<h1",)
#: Text that the filters a theme may apply (escape, striptags, urlencode of ASCII) leave unchanged.
_LANG = re.compile(r'<html\b[^>]*?\blang="([A-Za-z0-9-]+)"')
_INERT = re.compile(r"(?:[^<>&\"'\s%+]+(?: [^<>&\"'\s%+]+)*)?")


def inert(text: str) -> bool:
    """Whether ``text`` goes through every filter a theme may apply to it unchanged, so it can be put
    where a slot's token was (a title with ``&amp;`` would not: striptags turns it into ``&``).

    >>> inert("青石一中 2026年秋季学期收费公示"), inert("A &amp; B"), inert(" lead")
    (True, False, False)
    """
    return _INERT.fullmatch(text) is not None


@dataclass(frozen=True)
class Shell:
    """Literal text around the slots: ``parts[0] slots[0] parts[1] … parts[-1]``."""

    parts: tuple[str, ...]
    slots: tuple[str, ...]
    #: For each of PROBES, whether the body the shell was rendered with had it.
    probes: tuple[bool, ...] = ()

    def fits(self, body: str) -> bool:
        return self.probes == tuple(p in body for p in PROBES)

    def search_lang(self) -> str | None:
        """The page's language, when a page's search block can be indexed apart from the shell (the
        shell holds no search markup of its own and names the language); else None.

        >>> Shell(('<html lang="zh-CN"><body>', '</body>'), ("body",)).search_lang()
        'zh-CN'
        >>> Shell(('<html lang="zh-CN"><body data-pagefind-body>', '</body>'), ("body",)).search_lang() is None
        True
        """
        found = _LANG.search(self.parts[0])
        return found.group(1) if found and not any("pagefind" in part for part in self.parts) else None

    def fill(self, values: Mapping[str, str]) -> str:
        out = [self.parts[0]]
        for slot, part in zip(self.slots, self.parts[1:]):
            out.append(values[slot])
            out.append(part)
        return "".join(out)


def make_shell(html: str, url: str, body: str) -> Shell | None:
    """The shell of a page rendered with the slot tokens as title and description, ``body`` as its
    body and ``url`` as its address (each occurrence of them becomes a slot); None when the theme
    changed a token, or did not show the body exactly once (then the pages are rendered the plain way).

    >>> make_shell("<title>xiaowuslottitle槽</title><a href='/s/a/'><h1>A</h1>", "s/a/", "<h1>A</h1>").slots
    ('title', 'url', 'body')
    >>> make_shell("<title>XIAOWUSLOTTITLE槽</title><p>A", "s/a/", "<p>A") is None
    True
    >>> make_shell("<title>xiaowuslotti…</title><p>A", "s/a/", "<p>A") is None
    True
    """
    names = {token: name for name, token in TOKENS.items()}
    names.update({url: "url", body: "body"} if url else {body: "body"})
    pattern = re.compile("|".join(re.escape(t) for t in sorted(names, key=len, reverse=True)))
    pieces = pattern.split(html)
    slots = tuple(names[m.group(0)] for m in pattern.finditer(html))
    if not body or slots.count("body") != 1 or any(_PREFIX in piece.lower() for piece in pieces):
        return None
    return Shell(tuple(pieces), slots, tuple(p in body for p in PROBES))


def kind(page: Any) -> tuple[Any, ...]:
    """What the theme sees of a MkDocs page besides the slots: pages alike in this share a shell (a
    page in the menu, with neighbours, gets a key of its own)."""
    def links(toc: Any) -> tuple[Any, ...]:
        return tuple((a.title, a.url, a.level, links(a.children)) for a in toc)
    alone = any(p is not None for p in (page.previous_page, page.next_page, page.parent))
    meta = repr(sorted((k, v) for k, v in page.meta.items() if k not in ("title", "description")))
    return (page.url.count("/"), meta, links(page.toc), page.edit_url, id(page) if alone else None)


def slot_values(page: Any) -> dict[str, str]:
    """What goes into the slots for a MkDocs page whose content is its body."""
    return {"title": page.meta["title"], "description": page.meta["description"], "body": page.content or "",
            "url": page.url}
