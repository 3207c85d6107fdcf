# Publishing and accounting: write the exports, then prove from the files on disk that every school
# file read became a page, an export record and its fee rows, and that search indexed the pages.
#
# Nothing is silently dropped: a school read but not published fails the build, whatever dropped it
# (an exclude_docs pattern, another plugin, a theme).
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from .export import fee_rows
from .site import Site


@dataclass
class Accounting:
    summary: str
    problems: list[str] = field(default_factory=list)


def write_files(root: Path, files: dict[str, bytes]) -> None:
    for path, content in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


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
    report = Accounting(
        f"xiaowu：读取 {len(read)} 个学校文件，生成 {len(pages)} 个学校页面、{len(site.counties)} 个县区页面；"
        f"导出 {len(records)} 条学校记录、{fees} 行收费明细、{statuses} 行公开情况；搜索索引收录 {indexed} 个页面。")
    lost = sorted((read - pages) | (read - records))
    if lost:
        report.problems.append(f"以下学校文件已读取但没有发布：{'、'.join(lost)}。请检查 mkdocs.yml 的 exclude_docs 等设置")
    expected = len(fee_rows(site))
    if fees != expected:
        report.problems.append(f"收费明细导出不完整：应有 {expected} 行，实际 {fees} 行")
    if statuses != len(site.result.compliance):
        report.problems.append(f"公开情况导出不完整：应有 {len(site.result.compliance)} 行，实际 {statuses} 行")
    if indexed < len(pages) + len(site.counties):
        report.problems.append(f"搜索索引只收录了 {indexed} 个页面，少于学校和县区页面数 {len(pages) + len(site.counties)}")
    return report
