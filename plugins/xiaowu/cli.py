# The `xiaowu` command: a thin adapter over the core (check, new, export). Exit codes: 0 clean,
# 1 problems found, 2 usage error. Reporting lives in report.py; "data folder -> site" in publish/build.py.
from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from pathlib import Path
from collections.abc import Sequence
from typing import NoReturn, cast

from xiaowu.check.bureau import load_policy
from xiaowu.check.project import check_project
from xiaowu.publish.build import build, export_to, handwritten_pages
from xiaowu.publish.buildrecord import verify
from xiaowu.publish.starter import NewRefused, new_school
from xiaowu.read.files import POLICY_NAME, NotFound, printable, selected
from xiaowu.read.today import BadDate, resolve_today
from xiaowu.report import FORMATS, format_text, report
from xiaowu.xlsx.cli import add_xlsx_parser


class _UsageError(Exception):
    pass


#: argparse's own English, in the words of the rest of the tool (its help and its usage errors).
_HELP_WORDS = (("usage: ", "用法："), ("positional arguments:", "参数："), ("options:", "选项："),
               ("show this help message and exit", "显示本说明并退出"))
_ERRORS = (
    (r"the following arguments are required: (.+)", "缺少必须写的参数：{0}"),
    (r"argument (\S+): invalid choice: '?(.*?)'? \(choose from (.+)\)", "{0}不能是“{1}”，可选：{2}"),
    (r"unrecognized arguments: (.+)", "不认识的参数：{0}"),
    (r"argument (\S+): expected one argument", "{0} 后面要写一个值"),
    (r"argument (\S+): expected at least one argument", "{0} 后面至少要写一个值"),
    (r"argument (\S+): (应为.+)", "{0} {1}"),
    (r"argument (\S+): invalid \S+ value: '?(.*?)'?$", "{0} 的值“{1}”写法不对"),
    (r"ambiguous option: (\S+) could match (.+)", "{0} 可以指 {1}，请写完整"),
)


class ChineseParser(argparse.ArgumentParser):
    """argparse with its help headings and usage errors in Chinese: a clerk never reads English."""

    def format_usage(self) -> str:
        return self._chinese(super().format_usage())

    def format_help(self) -> str:
        return self._chinese(super().format_help())

    @staticmethod
    def _chinese(text: str) -> str:
        for english, chinese in _HELP_WORDS:
            text = text.replace(english, chinese)
        return text

    def error(self, message: str) -> NoReturn:
        for pattern, chinese in _ERRORS:
            found = re.fullmatch(pattern, message)
            if found:
                message = chinese.format(*(part.replace("'", "") for part in found.groups()))
                break
        else:
            message = "命令的写法不对"
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：{message}（运行 {self.prog} --help 查看说明）\n")


def _jobs(value: str) -> int:
    jobs = int(value) if value.isdigit() else 0
    if not 1 <= jobs <= 256:
        raise argparse.ArgumentTypeError(f"应为 1 到 256 之间的整数：{printable(value[:40])}")
    return jobs


def _data(args: argparse.Namespace) -> Path:
    schools_dir = Path(args.data)
    if not schools_dir.is_dir():
        raise _UsageError(f"找不到资料文件夹 {printable(str(schools_dir))}（用 --data 指定）")
    return schools_dir


def cmd_check(args: argparse.Namespace) -> int:
    schools_dir = _data(args)
    files, refused = selected(schools_dir, args.paths) if args.paths else (None, [])
    result = check_project(schools_dir, files, today=resolve_today(args.today), jobs=args.jobs, refused=refused)
    print(report(result, args.format, args.site_url))
    return 1 if result.failed(args.strict) else 0


def _from_here(path: Path) -> str:
    """A path to run from the current folder: relative when it is below it ("./xiaowu"), else absolute."""
    relative = os.path.relpath(path.absolute())
    if relative.startswith(".."):
        return path.absolute().as_posix()
    return relative if "/" in relative else f"./{relative}"


def command_name() -> str:
    """How to start this command again from the current folder, so what we print works when pasted:
    as ./xiaowu started it (XIAOWU_PROG), plain `xiaowu` when that is on PATH and is us, else the
    repository's ./xiaowu, else this very program's path (e.g. .venv/bin/xiaowu)."""
    given = os.environ.get("XIAOWU_PROG", "")
    if given:
        return given
    found, here = shutil.which("xiaowu"), Path(sys.argv[0])
    if found and os.path.realpath(found) == os.path.realpath(here):
        return "xiaowu"
    wrapper = Path(sys.prefix).parent / "xiaowu"
    if wrapper.is_file() and os.access(wrapper, os.X_OK):
        return _from_here(wrapper)
    return _from_here(here)


def cmd_new(args: argparse.Namespace) -> int:
    schools_dir = Path(args.data)
    command = command_name()
    try:
        target = new_school(schools_dir, args.school_id, args.county, load_policy(schools_dir / POLICY_NAME)[0],
                            command)
    except NewRefused as exc:
        if exc.usage:
            raise _UsageError(str(exc)) from None
        print(printable(str(exc)), file=sys.stderr)
        return 1
    print(printable(f"已生成 {target.as_posix()}。按注释填写后运行：{command} check {target.as_posix()}"))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """The open-data files, byte for byte what `mkdocs build` writes into the site."""
    done = build(_data(args), Path.cwd(), today=resolve_today(args.today), directory_urls=not args.no_directory_urls,
                 jobs=args.jobs)
    if done.failed(args.strict):
        print(format_text(done.result.diagnostics, args.site_url), file=sys.stderr)
        print(f"有 {done.result.errors} 个错误、{done.result.warnings} 个警告，没有导出任何文件。", file=sys.stderr)
        return 1
    out = Path(args.out)
    written = export_to(out, done.tables, args.site_url, handwritten_pages(Path(args.docs)))
    if written is None:
        print(f"另一个导出正在写入 {printable(out.as_posix())}，本次没有写入任何文件；请等它完成后再运行。", file=sys.stderr)
        return 1
    print(f"已导出 {written} 个文件到 {printable(out.as_posix())}（{len(done.site.schools)} 所学校）。")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    """Before publishing: was this site built and checked by the plugin from exactly this data?"""
    verdict = verify(Path(args.site), Path(args.data), args.strict)
    print("\n".join(map(printable, [*verdict.problems, "未通过核对：这个网站不能发布。"])) if verdict.problems
          else verdict.summary,
          file=sys.stderr if verdict.problems else sys.stdout)
    return 0 if verdict.accepted else 1


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseParser(prog=command_name(), description="校务公开资料检查与发布工具")
    sub = cast("argparse._SubParsersAction[argparse.ArgumentParser]",
               parser.add_subparsers(dest="command", required=True, metavar="命令"))
    today = "以这一天计算公开情况（默认取 SOURCE_DATE_EPOCH 或今天）"
    check = sub.add_parser("check", help="检查学校资料文件，列出所有问题")
    check.add_argument("paths", nargs="*", help="要检查的文件或文件夹（默认检查 --data 下全部）")
    check.add_argument("--format", choices=FORMATS, default="text",
                       help="text 给人看；github 在 GitHub 上标注到行；codeclimate 供 GitLab 合并请求标注到行；json 供程序使用")
    check.add_argument("--site-url", default=os.environ.get("XIAOWU_SITE_URL", ""),
                       help="网站地址，用于给每条问题附上检查规则页的链接（也读取 XIAOWU_SITE_URL）")
    new = sub.add_parser("new", help="生成一所学校的资料模板")
    new.add_argument("school_id", help="学校代号，即文件名，如 qs-yizhong")
    new.add_argument("--county", required=True, help="县区代号（policy.yml 的 counties）")
    export = sub.add_parser("export", help="导出开放数据（与网站中的文件完全相同）")
    export.add_argument("--out", default="site", help="输出文件夹，默认 site")
    export.add_argument("--site-url", default="", help="网站地址（与 mkdocs.yml 的 site_url 相同），用于订阅和网站地图")
    export.add_argument("--docs", default="docs", help="手写页面所在文件夹（网站地图用），默认 docs")
    export.add_argument("--no-directory-urls", action="store_true", help="mkdocs.yml 设置了 use_directory_urls: false 时使用")
    verify_ = sub.add_parser("verify", help="发布前核对生成的网站：由 xiaowu 插件用这份资料生成并检查，之后没有改动")
    verify_.add_argument("site", help="生成的网站文件夹，如 site")
    verify_.add_argument("--strict", action="store_true", help="生成时有警告也不通过")
    for command, func in ((check, cmd_check), (new, cmd_new), (export, cmd_export), (verify_, cmd_verify)):
        command.add_argument("--data", default="schools", help="资料文件夹（含 policy.yml），默认 schools")
        command.set_defaults(func=func)
    for command in (check, export):
        command.add_argument("--today", help=today)
        command.add_argument("--strict", action="store_true", help="有警告也算不通过")
        command.add_argument("--jobs", type=_jobs, default=None, help="并行进程数（默认为 CPU 核数）")
    add_xlsx_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except (_UsageError, BadDate) as exc:
        print(f"xiaowu: {printable(str(exc))}", file=sys.stderr)
        return 2
    except NotFound as exc:
        print(f"xiaowu: 找不到文件或文件夹：{printable(str(exc))}", file=sys.stderr)
        return 2
    except PermissionError as exc:
        print(printable(f"xiaowu: 没有权限读写 {exc.filename}（{exc.strerror}）"), file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
