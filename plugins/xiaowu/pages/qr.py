# QR codes for the printed notice, made here as inline SVG (no service; works offline).
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor

import segno


#: What a screen reader calls every code. Put in as a page is rendered (``titled``), so that the codes a
#: build keeps (one per school: 20,000 in a province) are ASCII, one byte a character, not two.
QR_TITLE = "扫码打开本校收费公示"


def qr_code(url: str) -> str:
    """The SVG QR code of ``url``, made here (no service, works offline), without its title (ASCII:
    ``titled`` adds it).

    A fixed mask pattern is valid for every reader and skips scoring all eight (4x faster, which
    matters at 20,000 pages); medium error correction survives a worn notice board.
    """
    code = segno.make(url, error="m", mask=0, boost_error=False)
    svg: str = code.svg_inline(scale=1, border=2, omitsize=True, svgclass="xw-qr-code", lineclass=None)
    return svg


def titled(code: str) -> str:
    """A code of ``qr_code`` with its title first inside <svg>, as segno writes one given the title."""
    head = code.index(">") + 1
    return f"{code[:head]}<title>{QR_TITLE}</title>{code[head:]}"


#: Below this many codes, starting worker processes costs more than it saves.
QR_PARALLEL_THRESHOLD = 400


def qr_codes(urls: list[str], jobs: int | None = None) -> dict[str, str]:
    """Each URL's code of ``qr_code`` (untitled), on all cores when there are many."""
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers > 1 and len(urls) >= QR_PARALLEL_THRESHOLD:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            return dict(zip(urls, pool.map(qr_code, urls, chunksize=100)))
    return {url: qr_code(url) for url in urls}
