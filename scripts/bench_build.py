#!/usr/bin/env python3
"""Build time and memory of the plugin against the floor of this stack, at 600 and 20,000 schools.

For each size, in one run: (a) `mkdocs build` of N generated schools with the xiaowu plugin (which
validates, renders, exports and indexes for search); (b) the same pages written out as plain
Markdown (fee tables as Markdown tables) and built by MkDocs + Material without the plugin and
without any search: the floor. Prints seconds, peak memory, time per school and the ratios, then
the editing loop: how long `mkdocs serve` takes to show a changed school file at the first size.

    python scripts/bench_build.py --sizes 600 20000
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "plugins"))
sys.path.insert(0, str(REPO / "scripts"))

from xiaowu.check.project import check_project  # noqa: E402
from xiaowu.model.amounts import plain_amount  # noqa: E402
from xiaowu.pages.school import SchoolPage  # noqa: E402
from xiaowu.pages.site import build_site  # noqa: E402
from tree_peak import measure  # noqa: E402

EPOCH = "1795219200"  # 2026-11-21


def _cell(value: Any) -> str:
    text = plain_amount(value) if hasattr(value, "as_tuple") else str(value if value is not None else "")
    return text.replace("|", "\\|").replace("\n", " ")


def school_markdown(school: SchoolPage) -> str:
    """The school page's content as plain Markdown (what a site without the plugin would hold)."""
    p = school.profile
    lines = [f"# {school.name}", "", f"{school.county_name} · {p.ownership} · {'、'.join(p.stages)}",
             "", f"{school.compliance.label} {'；'.join(school.compliance.reasons)}", "", "## 收费公示", ""]
    for index, d in enumerate(school.disclosures):
        if index == 1:
            lines += ["## 往期公示", ""]
        lines += [f"公示日期：{d.published}；执行期间：{d.valid_from} 至 {d.valid_until}", "",
                  "| 项目 | 类别 | 标准 | 计费单位 | 收费范围 | 收费依据 | 是否自愿 | 收费周期 | 备注 |",
                  "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        for item in d.items:
            basis = item.basis
            lines.append("| " + " | ".join(_cell(v) for v in (
                f"{item.item} {item.stage} {item.tier}", item.category, item.standard, item.unit, item.scope,
                f"{basis.authority if basis else ''} {basis.title if basis else ''} {basis.document if basis else ''}",
                item.voluntary, item.billing_period, item.settlement or item.notes)) + " |")
        lines += ["", f"**减免政策：** {d.reductions}", ""]
        if index == 0:
            lines += ["## 与上学期相比", ""] + [f"- {c.text}" for c in school.changes] + [""]
            lines += ["## 投诉举报电话", ""] + [f"- [{h.number}]({h.tel}) {h.name} {h.hours}" for h in school.hotlines] + [""]
    lines += ["## 行风评议", "", "| 年度 | 测评 | 得分 | 满意度 | 等次 | 排名 | 有效问卷 | 整改 |",
              "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for e in school.ratings:
        lines.append("| " + " | ".join(_cell(v) for v in (
            e.year, e.kind, e.score, e.satisfaction, e.grade, f"{e.rank}/{e.ranked_total}", e.respondents_valid,
            len(school.answer(e)))) + " |")
    lines += ["", "## 学校信息", "", f"- 地址：{p.address}", f"- 办公电话：{p.office_phone or ''}",
              "", "## 资料来源", "", f"- 资料文件：`{school.source}`", ""]
    return "\n".join(lines)


def write_floor(project: Path, data: Path) -> None:
    """docs/ with every page as Markdown and an mkdocs.yml without the plugin or search."""
    result = check_project(data, today=date(2026, 11, 21))
    site = build_site(result)
    docs = project / "docs"
    shutil.copytree(REPO / "docs", docs)
    for school in site.schools:
        target = docs / "schools" / school.county / f"{school.id}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(school_markdown(school), "utf-8")
    for county in site.counties:
        rows = [f"| [{s.name}]({s.id}.md) | {s.profile.ownership} | {s.compliance.label} |" for s in county.schools]
        (docs / "schools" / county.id / "index.md").write_text(
            f"# {county.name}学校名录\n\n| 学校 | 办学性质 | 本学期公示 |\n| --- | --- | --- |\n" + "\n".join(rows) + "\n", "utf-8")
        (docs / "compliance").mkdir(exist_ok=True)
        (docs / "compliance" / f"{county.id}.md").write_text(f"# {county.name}公开情况\n\n" + "\n".join(rows) + "\n", "utf-8")
    for name in ("schools/index.md", "compliance.md", "catalog.md", "data.md", "format.md", "rules.md"):
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(f"# {name}\n\n内容\n", "utf-8")
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    start = config.index("plugins:")
    end = config.index("markdown_extensions:")
    config = config[:start] + "plugins: []\nnot_in_nav: |\n  /schools/*/\n  /compliance/\n" + config[end:]
    config = config.replace("language: zh-CN", "language: zh")  # zh-CN is the plugin's theme override
    (project / "mkdocs.yml").write_text(config, "utf-8")


def timed_build(project: Path, config: str = "mkdocs.yml") -> dict[str, float]:
    """Wall time, CPU time (user + sys of the whole process tree) and the tree's peak RSS, Pagefind
    and the check's worker processes included (scripts/tree_peak.py)."""
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", str(project / "site")]
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    run = measure(command, cwd=str(project), env=env)
    if run["returncode"] != 0:
        raise SystemExit(f"{project}: mkdocs build failed")
    return {"seconds": run["seconds"], "cpu_s": run["cpu_s"], "peak_mb": run["tree_peak_mb"]}


def prepare(size: int, work: Path) -> tuple[Path, Path]:
    plugin = work / f"plugin-{size}"
    floor = work / f"floor-{size}"
    for path in (plugin, floor):
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
    shutil.copytree(REPO / "docs", plugin / "docs")
    shutil.copy(REPO / "mkdocs.yml", plugin / "mkdocs.yml")
    text = (REPO / "mkdocs.yml").read_text("utf-8")  # the same site through MkDocs' own page rendering
    (plugin / "plain.yml").write_text(text.replace("data_dir: schools", "data_dir: schools\n      fast_pages: false", 1),
                                      "utf-8")
    subprocess.run([sys.executable, str(REPO / "scripts" / "generate_example.py"), "--schools", str(size),
                    "--out", str(plugin / "schools")], check=True, capture_output=True)
    write_floor(floor, plugin / "schools")
    return plugin, floor


#: What the server's log says when a rebuild is served (MkDocs' whole rebuild, or the plugin's narrow
#: one: preview.py), and when what it finishes behind the preview (exports, search index, form editor)
#: is written: the summary line of publish/audit.py.
BUILT, NARROW, FINISHED = "Documentation built in", "只重新生成了有关的页面", "xiaowu：读取"
FINDINGS = "只更新了每页顶部的问题列表"  # a rebuild that kept every page and showed new findings


def editing_loop(project: Path, only: tuple[str, ...] = ()) -> dict[str, float]:
    """Seconds from saving a changed school file to `mkdocs serve` serving the new text (the median of
    three), for three edits:

    - ``serve_update_s``: a new address (valid: the school's page changes), saved on a settled
      preview (the last rebuild's exports, search index and editor written behind it);
    - ``serve_error_s``: a new name the roster does not know (an error: the preview keeps the last
      good site and the server shows the error on every page), saved on a settled preview;
    - ``serve_busy_s``: a new address saved 0.2 s after the last rebuild was served, while what it
      finishes behind the preview is still being made (and is stopped by the new rebuild).

    ``only``: the figures to measure (all three when empty; an error was MkDocs' whole rebuild, a
    minute or more each at 20,000 schools, before the server showed the findings)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # XIAOWU_BENCH_SERVE_LOG=<file> keeps the server's log (each rebuild's "Documentation built in").
    kept = os.environ.get("XIAOWU_BENCH_SERVE_LOG")
    log_path = Path(kept) if kept else Path(tempfile.mkstemp(prefix="xiaowu-serve-", suffix=".log")[1])
    log = log_path.open("w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project,
                              stdout=subprocess.DEVNULL, stderr=log, start_new_session=True,
                              env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    school = sorted((project / "schools" / "qingshi").glob("*.yml"))[0]
    url = f"http://127.0.0.1:{port}/schools/qingshi/{school.stem}/"

    def wait_for(text: str, limit: float, present: bool = True) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if (text in response.read().decode("utf-8")) == present:
                        return
            except OSError:
                pass
            time.sleep(0.02)
        raise SystemExit(f"serve did not {'show' if present else 'drop'} {text!r}")

    def settled(limit: float) -> None:
        """Until the last rebuild's work behind the preview is written (its summary follows its build)."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            text = log_path.read_text("utf-8", errors="replace")
            if text.rfind(FINISHED) > max(text.rfind(BUILT), text.rfind(NARROW)) >= 0:
                return
            time.sleep(0.05)
        raise SystemExit("serve did not finish its exports and search index")

    edits = {"serve_update_s": ("  address: ", "  address: 地址测试", True),
             "serve_error_s": ("  name: ", "  name: 改名测试", True),
             "serve_busy_s": ("  address: ", "  address: 地址忙时", False)}
    edits = {figure: edit for figure, edit in edits.items() if not only or figure in only}
    figures = {}
    try:
        wait_for("xw-fees", 900)
        settled(900)
        original = school.read_text("utf-8")
        for figure, (old, new, settle) in edits.items():
            results = []
            for round_ in range(3):
                marker = f"{new.strip()}{round_}"
                start = time.perf_counter()
                school.write_text(original.replace(old, f"{new}{round_}", 1), "utf-8")
                wait_for(marker.split(": ")[1], 900)
                results.append(time.perf_counter() - start)
                school.write_text(original, "utf-8")
                wait_for(marker.split(": ")[1], 900, present=False)  # the revert served before the next edit
                if settle:
                    settled(900)
                else:
                    time.sleep(0.2)
            figures[figure] = round(sorted(results)[1], 2)
        text = log_path.read_text("utf-8", errors="replace")  # how many rebuilds were narrow, of all after the first
        narrow = text.count(NARROW) + text.count(FINDINGS)
        figures["rebuilds_narrow"] = f"{narrow}/{narrow + text.count(BUILT) - 1}"
        return figures
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
        if not kept:
            log_path.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[600, 20000])
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--no-serve", action="store_true", help="skip the editing-loop measurement")
    parser.add_argument("--serve-only", action="store_true", help="only the editing loop, at the first size")
    parser.add_argument("--edits", nargs="+", default=[], choices=["serve_update_s", "serve_error_s", "serve_busy_s"],
                        help="the editing loop's figures to measure (default: all)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="xiaowu-build-"))
    if args.serve_only:
        project = work / f"plugin-{args.sizes[0]}"
        if not (project / "mkdocs.yml").exists():
            prepare(args.sizes[0], work)
        print(json.dumps({"schools": args.sizes[0], **editing_loop(project, tuple(args.edits))}), flush=True)
        return
    rows = []
    for size in args.sizes:
        plugin, floor = prepare(size, work)
        # Alternating, in one run: floor, plugin (fast pages), plugin (plain MkDocs pages), floor again.
        floor_run = timed_build(floor)
        plugin_run = timed_build(plugin)
        plain_run = timed_build(plugin, "plain.yml")
        floor_again = timed_build(floor)
        floor_s = (floor_run["seconds"] + floor_again["seconds"]) / 2
        floor_cpu = (floor_run["cpu_s"] + floor_again["cpu_s"]) / 2
        row = {"schools": size, "plugin_s": plugin_run["seconds"], "plain_pages_s": plain_run["seconds"],
               "floor_s": [floor_run["seconds"], floor_again["seconds"]],
               "ratio": round(plugin_run["seconds"] / floor_s, 2), "plain_ratio": round(plain_run["seconds"] / floor_s, 2),
               "cpu_s": {"plugin": plugin_run["cpu_s"], "plain_pages": plain_run["cpu_s"], "floor": round(floor_cpu, 2)},
               "cpu_ratio": round(plugin_run["cpu_s"] / floor_cpu, 2),
               "plugin_ms_per_school": round(1000 * plugin_run["seconds"] / size, 2),
               "tree_peak_mb": {"plugin": plugin_run["peak_mb"], "plain_pages": plain_run["peak_mb"],
                                "floor": max(floor_run["peak_mb"], floor_again["peak_mb"])},
               "load_average": os.getloadavg()[0]}
        print(json.dumps(row, ensure_ascii=False), flush=True)
        rows.append(row)
    if len(rows) > 1:
        growth = rows[-1]["plugin_ms_per_school"] / rows[0]["plugin_ms_per_school"]
        print(json.dumps({"per_school_growth": round(growth, 2)}), flush=True)
    if not args.no_serve:
        print(json.dumps({"schools": args.sizes[0], **editing_loop(work / f"plugin-{args.sizes[0]}", tuple(args.edits))}),
              flush=True)


if __name__ == "__main__":
    main()
