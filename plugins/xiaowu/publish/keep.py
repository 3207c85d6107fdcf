# Pages a preview keeps between rebuilds. MkDocs empties the site folder before every rebuild of
# `mkdocs serve`, and writing ~3 pages per school again (a folder and a file each) was most of an
# edit's wait. So before the cleaning, each folder of pages written from shells moves whole into a
# hidden folder (which the cleaning leaves), and comes back when the pages are written again; only a
# page whose bytes differ from what the folder holds is written, and a page no longer in the site is
# removed. A folder that holds anything written by another step (MkDocs, another plugin) is never kept.
from __future__ import annotations

import hashlib
import os
import shutil

#: The hidden folder inside the site folder where the kept pages wait during a rebuild.
KEPT = ".xiaowu-kept"


def unit_of(path: str) -> str:
    """The folder a page is kept in: its first two folders ("schools/a/x/index.html" -> "schools/a",
    a county's schools and papers together); "" for a page less deep, which is always written.

    >>> unit_of("schools/a/a-1/card/index.html"), unit_of("compliance/a/index.html"), unit_of("data.html")
    ('schools/a', 'compliance/a', '')
    """
    parts = path.split("/")
    return "/".join(parts[:2]) if len(parts) > 2 else ""


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _move(source: str, target: str) -> bool:
    """A folder moved (its new parent made first); False when it could not be."""
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.rename(source, target)
    except OSError:
        return False
    return True


class Kept:
    """State by nature (one per `mkdocs serve`): what the last rebuild wrote, where it is kept now."""

    __slots__ = ("site", "written", "units", "stashed", "restored", "now", "foreign", "blocks", "signed", "signing", "staying",
                 "carry")

    def __init__(self) -> None:
        self.site = ""
        #: Site-relative path -> digest of the bytes the last rebuild left there (pages from shells).
        self.written: dict[str, bytes] = {}
        self.units: frozenset[str] = frozenset()  # folders holding nothing but those pages
        self.stashed: frozenset[str] = frozenset()  # moved into KEPT by this rebuild
        self.restored: frozenset[str] = frozenset()  # moved back: their unchanged pages are not written
        self.now: dict[str, bytes] = {}  # this rebuild's pages, as they are written
        self.foreign: frozenset[str] = frozenset()
        #: The search stage's files of this rebuild (path, bytes), written behind the preview
        #: (publish/search.py) instead of before the pages are served.
        self.blocks: list[tuple[str, bytes]] = []
        #: Site-relative path -> (what the page was made of, what the writer noted with it) for the pages
        #: the last rebuild wrote from their parts (``again``); ``signing``: this rebuild's.
        self.signed: dict[str, tuple[tuple[object, ...], object]] = {}
        self.signing: dict[str, tuple[tuple[object, ...], object]] = {}
        self.staying: frozenset[str] = frozenset()  # folders left in place by this rebuild (``stay``)
        self.carry: frozenset[str] = frozenset()  # pages known unchanged, left as they are (``stay``)

    def stash(self, site_dir: str) -> None:
        """Before MkDocs cleans the site folder: move the last rebuild's folders of pages aside."""
        kept = os.path.join(site_dir, KEPT)
        shutil.rmtree(kept, ignore_errors=True)  # what an interrupted rebuild left
        # Only what a rebuild that ended in done() wrote is kept (one that failed, or wrote its pages
        # MkDocs' way, leaves nothing to trust).
        units = self.units if os.path.abspath(site_dir) == self.site else frozenset()
        self.site = os.path.abspath(site_dir)
        self.restored, self.now, self.units, self.blocks, self.signing = frozenset(), {}, frozenset(), [], {}
        self.staying, self.carry, self.stashed = frozenset(), frozenset(), frozenset(unit for unit in units
                                 if _move(os.path.join(site_dir, unit), os.path.join(kept, unit)))

    def stay(self, site_dir: str, carry: frozenset[str] = frozenset()) -> None:
        """Instead of ``stash``, for a rebuild that leaves the site folder as it is (a preview's narrow
        rebuild, preview.py): the last rebuild's folders count as put back where they are, and the
        pages of ``carry`` (site-relative), known unchanged, are not even looked at (``carries``)."""
        same = os.path.abspath(site_dir) == self.site
        self.restored, self.now, self.blocks, self.signing, self.stashed = frozenset(), {}, [], {}, frozenset()
        self.staying, self.units = (self.units if same else frozenset()), frozenset()
        self.carry = carry if same else frozenset()

    def carries(self, relative: str) -> bool:
        """Whether the page (site-relative) is left as the last rebuild wrote it from its parts."""
        return relative in self.carry and relative in self.signed and relative in self.written \
            and unit_of(relative) in self.restored

    def carried(self, relative: str) -> object:
        """A page ``carries`` said yes to: noted as written again; what the writer noted with it."""
        self.now[relative] = self.written[relative]
        self.signing[relative] = last = self.signed[relative]
        return last[1]

    def restore(self, site_dir: str, paths: set[str], foreign: set[str]) -> None:
        """Before this rebuild's pages (``paths``, site-relative) are written: the kept folders that hold
        some of them back in place, where nothing else was written into them (``foreign``: folders of
        other steps' files); the pages in them that this rebuild does not write removed."""
        self.site, self.now, self.foreign, self.signing = os.path.abspath(site_dir), {}, frozenset(foreign), {}
        units = {unit_of(path) for path in paths}
        back = {unit for unit in (self.stashed - self.foreign) & units
                if not os.path.lexists(os.path.join(site_dir, unit))
                and _move(os.path.join(site_dir, KEPT, unit), os.path.join(site_dir, unit))}
        back |= (self.staying - self.foreign) & units
        self.staying = frozenset()
        for path in self.written:
            if path not in paths and unit_of(path) in back:
                try:
                    os.unlink(os.path.join(site_dir, path))
                    os.removedirs(os.path.dirname(os.path.join(site_dir, path)))  # up to a folder not empty
                except OSError:
                    pass
        self.restored = frozenset(back)

    def undo(self, site_dir: str) -> None:
        """A rebuild that stopped before its pages were written: the folders put aside go back where
        nothing took their place (the preview keeps showing them), and nothing is trusted next time."""
        for unit in self.stashed:
            if not os.path.lexists(os.path.join(site_dir, unit)):
                _move(os.path.join(site_dir, KEPT, unit), os.path.join(site_dir, unit))
        self.drop(site_dir)

    def drop(self, site_dir: str) -> None:
        """Nothing kept (a rebuild whose pages MkDocs writes itself): the folder put aside removed."""
        self.stashed = self.restored = self.units = self.staying = self.carry = frozenset()
        self.blocks, self.signed, self.signing = [], {}, {}
        if site_dir:
            shutil.rmtree(os.path.join(site_dir, KEPT), ignore_errors=True)

    def needs(self, path: str, data: bytes) -> bool:
        """Whether the page at ``path`` (absolute) must be written to hold ``data``: not when it is in
        a folder moved back and held these bytes. Noted either way."""
        relative = self._relative(path)
        found = self.now[relative] = digest(data)
        return not (unit_of(relative) in self.restored and self.written.get(relative) == found)

    def again(self, path: str, parts: tuple[object, ...]) -> tuple[bool, object]:
        """Whether the page at ``path`` (absolute), made of ``parts`` (its shell, body, title …), is in a
        folder moved back and was made of the very same parts by the last rebuild: then it holds its
        bytes already, and nothing of it is made again. With what the writer noted with it then.

        Parts compare by identity first (a body reused from the preview's memory is the same object),
        then by value, so an unchanged page costs no filling, encoding or digest."""
        relative = self._relative(path)
        last = self.signed.get(relative)
        if last is None or unit_of(relative) not in self.restored or relative not in self.written \
                or len(last[0]) != len(parts) or any(a is not b and a != b for a, b in zip(last[0], parts)):
            return False, None
        self.now[relative] = self.written[relative]
        self.signing[relative] = last
        return True, last[1]

    def sign(self, path: str, parts: tuple[object, ...], noted: object) -> None:
        """The page at ``path`` was written (or found unchanged by ``needs``) from ``parts``."""
        self.signing[self._relative(path)] = (parts, noted)

    def _relative(self, path: str) -> str:
        prefix = self.site + os.sep
        return (path[len(prefix):] if path.startswith(prefix) else os.path.relpath(path, self.site)).replace(os.sep, "/")

    def done(self) -> None:
        """After writing: what the site folder now holds, for the next rebuild; the rest of KEPT removed."""
        self.written, self.now, self.signed, self.signing = self.now, {}, self.signing, {}
        self.units = frozenset(unit_of(path) for path in self.written) - self.foreign - {""}
        self.stashed = self.restored = self.carry = frozenset()
        shutil.rmtree(os.path.join(self.site, KEPT), ignore_errors=True)
