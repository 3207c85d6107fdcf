# Publishing and accounting: write the exports (each file whole, by rename), then prove from the
# files on disk that every school file read became a page, an export record and its fee rows, and
# that search indexed the pages.
#
# Nothing is silently dropped: a school read but not published fails the build, whatever dropped it
# (an exclude_docs pattern, another plugin, a theme).
from __future__ import annotations

import csv
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterable, Iterator

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks; single runs only
    fcntl = None  # type: ignore[assignment]

from xiaowu.publish.exports import fee_rows, settlement_rows
from xiaowu.pages.site import Site


@dataclass
class Accounting:
    summary: str
    problems: list[str] = field(default_factory=list)


class OutputBusy(Exception):
    """Another run is writing into the same folder."""


STAGING_PREFIX = ".xiaowu-new-"


def write_files(root: Path, files: dict[str, bytes] | Iterable[tuple[str, bytes]]) -> int:
    """Write every file into a hidden staging folder inside ``root`` first, then move each into place
    with one rename: a reader, or a run killed at any moment, sees each file whole, old or new, never
    half-written. Staging folders left by a killed run are removed by the next one. ``files`` may be
    made one at a time (export.exports), so they are never all in memory; the number written."""
    root.mkdir(parents=True, exist_ok=True)
    for stale in root.glob(STAGING_PREFIX + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
    written: list[str] = []
    folders: set[Path] = set()
    try:
        for path, content in files.items() if isinstance(files, dict) else files:
            target = staging / path
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            target.write_bytes(content)
            written.append(path)
        folders.clear()
        for path in written:
            final = root / path
            if final.parent not in folders:
                final.parent.mkdir(parents=True, exist_ok=True)
                folders.add(final.parent)
            os.replace(staging / path, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return len(written)


@contextmanager
def exclusive(out: Path) -> Iterator[None]:
    """Hold a lock beside ``out`` for one whole export; a second run is refused at once (OutputBusy)
    rather than interleaving its files with ours. The lock is released when the process ends,
    however it ends (an advisory ``flock``, where the system has one)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    handle = open(out.parent / f".{out.name}.xiaowu-lock", "a+b")
    try:
        if fcntl is not None:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise OutputBusy(str(out)) from None
        yield
    finally:
        handle.close()


def csv_rows(path: Path) -> int:
    """Data rows of a written CSV file, read back (cells may hold line breaks)."""
    if not path.is_file():
        return 0
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def account(site: Site, site_dir: Path, indexed: int) -> Accounting:
    """Count what was read against what is on disk in ``site_dir``."""
    read = {s.id for s in site.result.schools}
    index_html = "index.html" if site.urls.directory_urls else ""
    pages = {s.id for s in site.schools if (site_dir / (s.url + index_html)).is_file()}
    records = {s.id for s in site.schools if (site_dir / "data" / "schools" / f"{s.id}.json").is_file()}
    fees = csv_rows(site_dir / "data" / "fees.csv")
    statuses = csv_rows(site_dir / "data" / "compliance.csv")
    settled = csv_rows(site_dir / "data" / "settlements.csv")
    report = Accounting(
        f"xiaowu：读取 {len(read)} 个学校文件，生成 {len(pages)} 个学校页面、{len(site.counties)} 个县区页面；"
        f"导出 {len(records)} 条学校记录、{fees} 行收费明细、{statuses} 行公开情况、{settled} 行结算明细；"
        f"搜索索引收录 {indexed} 个页面。")
    lost = sorted((read - pages) | (read - records))
    if lost:
        report.problems.append(f"以下学校文件已读取但没有发布：{'、'.join(lost)}。请检查 mkdocs.yml 的 exclude_docs 等设置")
    expected = len(fee_rows(site))
    if fees != expected:
        report.problems.append(f"收费明细导出不完整：应有 {expected} 行，实际 {fees} 行")
    expected = len(settlement_rows(site))
    if settled != expected:
        report.problems.append(f"结算明细导出不完整：应有 {expected} 行，实际 {settled} 行")
    if statuses != len(site.result.compliance):
        report.problems.append(f"公开情况导出不完整：应有 {len(site.result.compliance)} 行，实际 {statuses} 行")
    if indexed < len(pages) + len(site.counties):
        report.problems.append(f"搜索索引只收录了 {indexed} 个页面，少于学校和县区页面数 {len(pages) + len(site.counties)}")
    return report
