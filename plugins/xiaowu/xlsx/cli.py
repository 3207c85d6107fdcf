# `xiaowu xlsx …`: the spreadsheet commands, wired into the main parser by one call
# (add_xlsx_parser). Exit codes as everywhere: 0 clean, 1 problems found, 2 usage error.
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from xiaowu.check.bureau import load_policy
from xiaowu.read.today import resolve_today
from xiaowu.read.files import POLICY_NAME, display_path
from xiaowu.publish.build import build
from xiaowu.model.policy import Policy
from xiaowu.model.terms import Term
from xiaowu.xlsx.apply import import_workbook
from xiaowu.xlsx.catalog import import_catalog
from xiaowu.xlsx.catalog_book import catalog_workbook
from xiaowu.xlsx.locate import Located, format_located, located_json
from xiaowu.xlsx.review import review_workbook
from xiaowu.xlsx.source import county_schools, find_school, read_school
from xiaowu.xlsx.template import school_workbook


def _usage(message: str) -> int:
    print(f"xiaowu: {message}", file=sys.stderr)
    return 2


def _term(policy: Policy, args: argparse.Namespace) -> Term | None:
    if args.term:
        return policy.terms.get(args.term)
    return policy.focus_term(resolve_today(args.today))


def cmd_template(args: argparse.Namespace) -> int:
    data = Path(args.data)
    policy = load_policy(data / POLICY_NAME)[0]
    term = _term(policy, args)
    if term is None:
        return _usage(f"学期“{args.term or ''}”不在 policy.yml 的 terms 中")
    if bool(args.schools) == bool(args.county):
        return _usage("请写学校代号，或用 --county 指定一个县区（每所学校一个文件）")
    if args.county and args.county not in policy.counties:
        return _usage(f"县区代号“{args.county}”不在 policy.yml 的 counties 中")
    paths: list[Path | None] = list(county_schools(data, args.county)) if args.county else [
        find_school(data, s, policy) for s in args.schools]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    failed = 0
    for wanted, path in zip(args.schools or [p.stem for p in paths if p], paths):
        source = read_school(path, policy) if path is not None else None
        target = out / f"{wanted}-{term.id}.xlsx"
        if source is None:
            print(f"{wanted}：找不到或无法读取学校资料文件，请先运行 xiaowu check", file=sys.stderr)
            failed += 1
        elif target.exists() and not args.force:
            print(f"{display_path(target)} 已存在，没有覆盖（可能已经填写过；确需重新生成请加 --force）", file=sys.stderr)
            failed += 1
        else:
            school_workbook(source.school, policy, term).save(target)
            print(f"已生成 {display_path(target)}")
    return 1 if failed else 0


def _print(found: list[Located], fmt: str) -> None:
    if fmt == "json":
        print(located_json(found))
    elif found:
        print(format_located(found))


def cmd_import(args: argparse.Namespace) -> int:
    data = Path(args.data)
    policy = load_policy(data / POLICY_NAME)[0]
    if args.term and args.term not in policy.terms:
        return _usage(f"学期“{args.term}”不在 policy.yml 的 terms 中")
    today = resolve_today(args.today)
    everything: list[Located] = []
    failed = False
    for name in args.files:
        outcome = import_workbook(Path(name), data, policy, term=args.term, today=today, write=not args.dry_run)
        everything += outcome.found
        failed = failed or outcome.failed
        if args.format == "text":
            done = f"已写入 {display_path(outcome.written)}" if outcome.written else "没有写入资料文件"
            _print(outcome.found, "text")
            print(f"{name}：{done}；{sum(x.blocking for x in outcome.found)} 个错误，"
                  f"{sum(not x.blocking for x in outcome.found)} 个警告。")
    if args.format == "json":
        _print(everything, "json")
    return 1 if failed else 0


def cmd_export(args: argparse.Namespace) -> int:
    done = build(Path(args.data), Path.cwd(), today=resolve_today(args.today), jobs=args.jobs)
    out = Path(args.out)
    review_workbook(done.site).save(out)
    print(f"已生成审核表 {display_path(out)}（{len(done.result.compliance)} 所学校；有错误的学校只列状态和原因）")
    return 0


def cmd_catalog(args: argparse.Namespace) -> int:
    policy_path = Path(args.data) / POLICY_NAME
    if args.write:
        typed = load_policy(policy_path)[1]
        if typed is None:
            return _usage("policy.yml 无法读取，请先运行 xiaowu check")
        catalog_workbook(typed.get("catalog", [])).save(args.write)
        print(f"已把 policy.yml 的收费目录写入 {args.write}")
        return 0
    if not args.file:
        return _usage("请写要导入的收费项目及标准表（.xlsx），或用 --write 导出现有目录")
    outcome = import_catalog(Path(args.file), policy_path, write=not args.dry_run)
    _print(outcome.found, args.format)
    if args.format == "text":
        state = "已写入 policy.yml 的 catalog" if outcome.written else "policy.yml 没有改动"
        print(f"{args.file}：{outcome.entries} 个收费项目；{state}。")
    return 1 if outcome.failed else 0


def add_xlsx_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    xlsx = sub.add_parser("xlsx", help="用 Excel/WPS 表格收集和审核收费公示")
    commands = xlsx.add_subparsers(dest="xlsx_command", required=True)
    template = commands.add_parser("template", help="为学校生成本学期的收费公示表（.xlsx）")
    template.add_argument("schools", nargs="*", help="学校代号（可写多个）")
    template.add_argument("--county", help="为这个县区的每所学校各生成一个文件")
    template.add_argument("--out", default="xlsx", help="输出文件夹，默认 xlsx")
    template.add_argument("--force", action="store_true", help="覆盖已有的同名文件")
    importer = commands.add_parser("import", help="把填好的收费公示表导入学校资料文件，并检查")
    importer.add_argument("files", nargs="+", help="填好的 .xlsx 文件（也能读 .xls、.et、.ods）")
    importer.add_argument("--dry-run", action="store_true", help="只检查，不写入资料文件")
    importer.add_argument("--format", choices=("text", "json"), default="text")
    export = commands.add_parser("export", help="生成教育局审核用的工作簿（每个县区一张表）")
    export.add_argument("--out", default="审核表.xlsx", help="输出文件，默认 审核表.xlsx")
    export.add_argument("--jobs", type=int, default=None, help="并行进程数")
    catalog = commands.add_parser("catalog", help="把本局的收费项目及标准表导入 policy.yml 的 catalog")
    catalog.add_argument("file", nargs="?", help="收费项目及标准表（.xlsx）")
    catalog.add_argument("--write", metavar="OUT", help="把现有目录导出为表格（供修改后再导入）")
    catalog.add_argument("--dry-run", action="store_true", help="只检查，不写入 policy.yml")
    catalog.add_argument("--format", choices=("text", "json"), default="text")
    for command, func in ((template, cmd_template), (importer, cmd_import), (export, cmd_export), (catalog, cmd_catalog)):
        command.add_argument("--data", default="schools", help="资料文件夹（含 policy.yml），默认 schools")
        command.set_defaults(func=func)
    for command in (template, importer, export):
        command.add_argument("--today", help="以这一天确定本学期（默认取 SOURCE_DATE_EPOCH 或今天）")
    for command in (template, importer):
        command.add_argument("--term", help="学期代号，如 2026-秋（默认为本学期）")
