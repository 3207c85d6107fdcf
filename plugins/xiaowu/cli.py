# The `xiaowu` command: a thin adapter over the core (check, new, export).
#
# Exit codes: 0 clean, 1 problems found, 2 usage error.
from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Sequence

from .compliance import STATUSES, BadDate, resolve_today
from .diagnostics import (DIAGNOSTICS_SCHEMA_VERSION, format_codeclimate, format_github, format_text,
                          to_json_obj)
from .accounting import OutputBusy, exclusive, write_files
from .export import build_exports
from .fields import valid_id
from .history import last_changed
from .diagnostics import Diagnostic
from .files import discover
from .project import EXCEPTIONS_NAME, POLICY_NAME, ProjectResult, check_project, load_policy
from .site import Urls, build_site
from .template import render_template


class _UsageError(Exception):
    pass


def _today(value: str | None) -> date:
    try:
        return resolve_today(value)
    except BadDate as exc:
        raise _UsageError(str(exc)) from None


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if not 1 <= jobs <= 256:
        raise argparse.ArgumentTypeError(f"应为 1 到 256 之间的整数：{value[:40]}")
    return jobs


def _summary(result: ProjectResult) -> str:
    counts = Counter(c.status for c in result.compliance)
    status = "，".join(f"{label} {counts[code]}" for code, label in STATUSES.items() if counts[code])
    lines = [
        f"共检查 {len(result.schools)} 个学校文件：{result.errors} 个错误，{result.warnings} 个警告。",
        f"公开情况（以 {result.today.isoformat()} 计）：{status or '无'}。",
    ]
    for c in result.compliance:
        if c.status not in ("on_time", "pending"):
            lines.append(f"  {c.county}/{c.school_id} {c.name}：{c.label}（{'；'.join(c.reasons)}）")
    return "\n".join(lines)


def _json_report(result: ProjectResult) -> str:
    report = {
        "schema_version": DIAGNOSTICS_SCHEMA_VERSION,
        "today": result.today.isoformat(),
        "files_checked": len(result.schools),
        "errors": result.errors,
        "warnings": result.warnings,
        "diagnostics": [to_json_obj(d) for d in result.diagnostics],
        "accepted": [to_json_obj(d) for s in result.schools for d in s.accepted],
        "compliance": [
            {"school_id": c.school_id, "county": c.county, "name": c.name, "status": c.status,
             "label": c.label, "term": c.term, "reasons": list(c.reasons)}
            for c in result.compliance
        ],
    }
    return json.dumps(report, ensure_ascii=False, indent=2)


def cmd_check(args: argparse.Namespace) -> int:
    schools_dir = Path(args.data)
    if not schools_dir.is_dir():
        raise _UsageError(f"找不到资料文件夹 {schools_dir}（用 --data 指定）")
    files: list[Path] | None = None
    refused: list[Diagnostic] = []
    bureau_files = {(schools_dir / name).absolute() for name in (POLICY_NAME, EXCEPTIONS_NAME)}
    if args.paths:
        files = []
        for raw in args.paths:
            path = Path(raw)
            if path.is_dir() and not path.is_symlink():
                if path.resolve() == schools_dir.resolve():
                    files = None
                    break
                found = discover(path)
                files.extend(found.schools)
                refused.extend(found.problems)
            elif path.is_symlink() or path.exists():
                if path.absolute() in bureau_files:
                    files = None  # the bureau's files changed: every school may be affected
                    break
                files.append(path)  # a link or special file is refused when read, with a finding
            else:
                raise _UsageError(f"找不到文件或文件夹：{raw}")
    today = _today(args.today)
    result = check_project(schools_dir, files, today=today, jobs=args.jobs, refused=refused if files else ())
    if args.format == "json":
        print(_json_report(result))
    elif args.format == "codeclimate":
        print(format_codeclimate(result.diagnostics))
    elif args.format == "github":
        text = format_github(result.diagnostics)
        if text:
            print(text)
        print(_summary(result))
    else:
        text = format_text(result.diagnostics, args.site_url)
        if text:
            print(text)
            print()
        print(_summary(result))
    return 1 if result.failed(args.strict) else 0


def cmd_new(args: argparse.Namespace) -> int:
    if not valid_id(args.school_id):
        raise _UsageError("学校代号只能用小写英文字母、数字和“-”，以字母或数字开头和结尾，例如 qs-yizhong")
    schools_dir = Path(args.data)
    policy, _, problems = load_policy(schools_dir / POLICY_NAME)
    if policy.counties and args.county not in policy.counties:
        raise _UsageError(f"县区代号“{args.county}”不在 policy.yml 中，可选：{'、'.join(policy.counties)}")
    if not valid_id(args.county):
        raise _UsageError("县区代号只能用小写英文字母、数字和“-”")
    folder = schools_dir / args.county
    target = folder / f"{args.school_id}.yml"
    for path in (schools_dir, folder, target):
        if path.is_symlink():
            raise _UsageError(f"{path.as_posix()} 是一个链接（快捷方式），不会通过链接写文件")
    if target.exists():
        print(f"{target.as_posix()} 已存在，不会覆盖。", file=sys.stderr)
        return 1
    text = render_template(args.school_id, policy.counties.get(args.county, ""), policy)
    folder.mkdir(parents=True, exist_ok=True)
    # O_EXCL never follows or replaces anything already there (a link made since the check included);
    # O_NOFOLLOW refuses a link in the last place on systems where O_EXCL alone would not.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(target, flags, 0o644)
    except FileExistsError:
        print(f"{target.as_posix()} 已存在，不会覆盖。", file=sys.stderr)
        return 1
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(text.encode("utf-8"))
    print(f"已生成 {target.as_posix()}。按注释填写后运行：xiaowu check {target.as_posix()}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """The open-data files, byte for byte what `mkdocs build` writes into the site."""
    schools_dir = Path(args.data)
    if not schools_dir.is_dir():
        raise _UsageError(f"找不到资料文件夹 {schools_dir}（用 --data 指定）")
    today = _today(args.today)
    result = check_project(schools_dir, today=today, jobs=args.jobs)
    if result.failed(args.strict):
        print(format_text(result.diagnostics, args.site_url), file=sys.stderr)
        print(f"有 {result.errors} 个错误、{result.warnings} 个警告，没有导出任何文件。", file=sys.stderr)
        return 1
    root = Path.cwd()
    prefix = Path(os.path.relpath(schools_dir.resolve(), root.resolve())).as_posix()
    site = build_site(result, Urls(not args.no_directory_urls), prefix, last_changed(root, prefix))
    docs = Path(args.docs)
    pages = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")
                   if not any(part.startswith(".") for part in p.relative_to(docs).parts)) if docs.is_dir() else []
    out = Path(args.out)
    exports = build_exports(site, args.site_url, pages)
    try:
        with exclusive(out):
            write_files(out, exports)
    except OutputBusy:
        print(f"另一个导出正在写入 {out.as_posix()}，本次没有写入任何文件；请等它完成后再运行。", file=sys.stderr)
        return 1
    print(f"已导出 {len(exports)} 个文件到 {out.as_posix()}（{len(site.schools)} 所学校）。")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xiaowu", description="校务公开资料检查与发布工具")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="检查学校资料文件，列出所有问题")
    check.add_argument("paths", nargs="*", help="要检查的文件或文件夹（默认检查 --data 下全部）")
    check.add_argument("--data", default="schools", help="资料文件夹（含 policy.yml），默认 schools")
    check.add_argument("--format", choices=("text", "json", "github", "codeclimate"), default="text",
                       help="text 给人看；github 在 GitHub 上标注到行；codeclimate 供 GitLab 合并请求标注到行；json 供程序使用")
    check.add_argument("--today", help="以这一天计算公开情况（默认取 SOURCE_DATE_EPOCH 或今天）")
    check.add_argument("--strict", action="store_true", help="有警告也算不通过")
    check.add_argument("--jobs", type=_jobs, default=None, help="并行进程数（默认为 CPU 核数）")
    check.add_argument("--site-url", default=os.environ.get("XIAOWU_SITE_URL", ""),
                       help="网站地址，用于给每条问题附上检查规则页的链接（也读取 XIAOWU_SITE_URL）")
    check.set_defaults(func=cmd_check)
    new = sub.add_parser("new", help="生成一所学校的资料模板")
    new.add_argument("school_id", help="学校代号，即文件名，如 qs-yizhong")
    new.add_argument("--county", required=True, help="县区代号（policy.yml 的 counties）")
    new.add_argument("--data", default="schools", help="资料文件夹，默认 schools")
    new.set_defaults(func=cmd_new)
    export = sub.add_parser("export", help="导出开放数据（与网站中的文件完全相同）")
    export.add_argument("--data", default="schools", help="资料文件夹（含 policy.yml），默认 schools")
    export.add_argument("--out", default="site", help="输出文件夹，默认 site")
    export.add_argument("--site-url", default="", help="网站地址（与 mkdocs.yml 的 site_url 相同），用于订阅和网站地图")
    export.add_argument("--docs", default="docs", help="手写页面所在文件夹（网站地图用），默认 docs")
    export.add_argument("--no-directory-urls", action="store_true", help="mkdocs.yml 设置了 use_directory_urls: false 时使用")
    export.add_argument("--today", help="以这一天计算公开情况（默认取 SOURCE_DATE_EPOCH 或今天）")
    export.add_argument("--strict", action="store_true", help="有警告也不导出")
    export.add_argument("--jobs", type=_jobs, default=None, help="并行进程数（默认为 CPU 核数）")
    export.set_defaults(func=cmd_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except _UsageError as exc:
        print(f"xiaowu: {exc}", file=sys.stderr)
        return 2
    except PermissionError as exc:
        print(f"xiaowu: 没有权限读写 {exc.filename}（{exc.strerror}）", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
