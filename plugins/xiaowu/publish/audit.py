# The build's account of itself: prove from the files on disk that every school file read became a
# page, an export record and its rows, and that search indexed the pages. Nothing is silently
# dropped: a school read but not published fails the build, whatever dropped it (an exclude_docs
# pattern, another plugin, a theme).
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from xiaowu.publish.tables import TABLE_FILES, Tables


@dataclass(frozen=True)
class Accounting:
    summary: str
    problems: tuple[str, ...] = ()


def csv_rows(path: Path) -> int:
    """Data rows of a written CSV file, read back (cells may hold line breaks)."""
    if not path.is_file():
        return 0
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def _complete(tables: Tables, name: str, site_dir: Path, what: str) -> tuple[int, str]:
    """The rows of a table on disk, and a problem when it does not have every row of the model."""
    found = csv_rows(site_dir / TABLE_FILES[name])
    expected = tables.count(name)
    return found, (f"{what}导出不完整：应有 {expected} 行，实际 {found} 行" if found != expected else "")


def account(tables: Tables, site_dir: Path, indexed: int) -> Accounting:
    """Count what was read against what is on disk in ``site_dir``."""
    site = tables.site
    read = {s.id for s in site.result.schools}
    index_html = "index.html" if site.urls.directory_urls else ""
    pages = {s.id for s in site.schools if (site_dir / (s.url + index_html)).is_file()}
    records = {s.id for s in site.schools if (site_dir / "data" / "schools" / f"{s.id}.json").is_file()}
    fees, fee_problem = _complete(tables, "fees", site_dir, "收费明细")
    statuses, status_problem = _complete(tables, "compliance", site_dir, "公开情况")
    settled, settled_problem = _complete(tables, "settlements", site_dir, "结算明细")
    summary = (f"xiaowu：读取 {len(read)} 个学校文件，生成 {len(pages)} 个学校页面、{len(site.counties)} 个县区页面；"
               f"导出 {len(records)} 条学校记录、{fees} 行收费明细、{statuses} 行公开情况、{settled} 行结算明细；"
               f"搜索索引收录 {indexed} 个页面。")
    problems = []
    lost = sorted((read - pages) | (read - records))
    if lost:
        problems.append(f"以下学校文件已读取但没有发布：{'、'.join(lost)}。请检查 mkdocs.yml 的 exclude_docs 等设置")
    problems += [p for p in (fee_problem, settled_problem, status_problem) if p]
    if indexed < len(pages) + len(site.counties):
        problems.append(f"搜索索引只收录了 {indexed} 个页面，少于学校和县区页面数 {len(pages) + len(site.counties)}")
    return Accounting(summary, tuple(problems))
