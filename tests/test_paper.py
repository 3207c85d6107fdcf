"""Paper for parents (issue 20 §4): the 缴费通知单 per stage, the blank 收费卡, and the bureau leaders'
reception days (局领导信访接待日) on the complaints page, the home page's hotline block and the notices.

Real publications the layout and fields follow (read, not copied):
- 桐城市党政领导信访接待一览表, 2021 年 2 月 (https://www.tcm-acu.com/xwzx/tzgg/2014911691.html): a month's
  days, each with one leader and position, one time for all (8:00—11:00), one place (市信访局); two-character
  names padded with a space ("徐 雄", "刘 刚").
- 广州市教育局 2022 年 7 月局领导接访预告 (http://www.moonvisionstudio.com/hdjl/jdjfyg/content/post_8432795.html):
  date and weekday, 上午 9:00—11:30, 人民来访接待室 with its address, the leader's position and the offices
  they oversee, how to make an appointment.
- 广州市环境保护局 2017 年 8 月局领导接访日预告 (http://www.156152.com/hdjl/jdjfyg/content/post_3101020.html).
- 常熟市张桥中心小学 2022~2023 学年度第一学期收费工作意见 (http://zqxx.jscsedu.cn/xwgk/zssf/content_53405)
  and 中心小学收费标准及执行通知书范本 (https://www.renrendoc.com/paper/500718707.html): the notice to parents
  lists each item with its standard per grade, says which are voluntary, and names the basis.
"""
from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from hostile import HANDPICKED, Markup
from xiaowu.check.project import ProjectResult, check_project
from xiaowu.model.notice import A4_LINES, A5_LINES, notice_groups
from xiaowu.model.receptions import Reception, build_receptions, clock, next_reception, upcoming
from xiaowu.model.school import build_school
from xiaowu.pages.render import Renderer
from xiaowu.pages.site import build_site
from xiaowu.publish.tables import Tables
from xiaowu.read.pii import scan

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 21)

POLICY = """authority: 青石市教育局
counties:
  - {id: qingshi, name: 青石县}
hotlines:
  - {name: 青石市教育局收费投诉电话, phone: 0712-3216000, kind: 教育局}
  - {name: 12345 政务服务便民热线, phone: 12345, kind: 政务服务}
terms:
  - {id: 2026-秋, name: 2026 年秋季学期, start: 2026-09-01, end: 2027-01-22, publish_by: 2026-08-20}
catalog:
  - {item: 作业本费, category: 代收费, stages: [小学, 初中], ownership: [公办], cap: 30, unit: 元/生·学期,
     basis: {authority: 青石市教育局, document: 青教财〔2025〕7号}}
  - {item: 住宿费, category: 行政事业性收费, stages: [初中], ownership: [公办], cap: 490, unit: 元/生·学期,
     basis: {authority: 青石市发展和改革委员会, document: 青石市发改收费〔2025〕18号}}
  - {item: 校服费, category: 代收费, stages: [小学, 初中], ownership: [公办], unit: 元/套,
     basis: {authority: 青石市教育局, document: 青教财〔2025〕9号}}
  - {item: 课后服务费, category: 服务性收费, stages: [小学, 初中], ownership: [公办], cap: 3, unit: 元/生·课时,
     basis: {authority: 青石市发展和改革委员会, document: 青石市发改收费〔2025〕18号}}
roster: []
"""

ITEMS = """      - {item: 作业本费, category: 代收费, stage: 小学, amount: 15, unit: 元/生·学期, scope: 小学自愿订购的学生,
         basis: {authority: 青石市教育局, document: 青教财〔2025〕7号}, voluntary: 是, settlement: 期末据实结算，多退少补}
      - {item: 作业本费, category: 代收费, stage: 初中, amount: 20, unit: 元/生·学期, scope: 初中自愿订购的学生,
         basis: {authority: 青石市教育局, document: 青教财〔2025〕7号}, voluntary: 是, settlement: 期末据实结算，多退少补}
      - {item: 住宿费, category: 行政事业性收费, stage: 初中, tier: 六人间, amount: 290, unit: 元/生·学期,
         scope: 在校住宿学生, basis: {authority: 青石市发展和改革委员会, document: 青石市发改收费〔2025〕18号}, voluntary: 否}
      - {item: 校服费, category: 代收费, amount: 250, unit: 元/套, scope: 自愿订购的学生,
         basis: {authority: 青石市教育局, document: 青教财〔2025〕9号}, voluntary: 是, settlement: 按中标价据实收取}
"""


def school_text(items: str = ITEMS) -> str:
    return ("profile:\n  name: 青石县示例九年一贯制学校\n  county: 青石县\n  ownership: 公办\n  stages: [小学, 初中]\n"
            "  boarding: 是\n  address: 青石县学府路 1 号\n  office_phone: 0712-5270681\n"
            "  supervising_authority: 青石市教育局\n"
            "hotlines:\n  - {name: 学校收费监督电话, phone: 0712-4945754}\n"
            "fee_disclosures:\n  - term: 2026-秋\n    published: 2026-08-15\n    valid_from: 2026-09-01\n"
            "    valid_until: 2027-01-22\n    channels: [校门口公示栏]\n"
            "    items:\n" + items
            + "    reductions: 家庭经济困难学生按规定减免。\n"
              "    complaint_channels: [学校收费监督电话, 青石市教育局收费投诉电话, 12345]\n")


RECEPTIONS = """receptions:
  - {date: 2026-11-05, start: "09:00", end: "11:30", place: 青石市教育局一楼接待室, leader: 陈立新, position: 局长,
     topics: 全面工作}
  - {date: 2026-12-17, start: "09:00", end: "11:30", place: 青石市教育局一楼接待室, leader: 赵国平, position: 副局长,
     topics: 教育收费、学生资助}
  - {date: 2026-12-03, start: "9:00", end: "11:30", place: 青石市教育局二楼会议室, leader: 刘文静, position: 副局长,
     topics: 课后服务, appointment: 提前一个工作日电话预约}
"""


def project(root: Path, oversight: str = RECEPTIONS, items: str = ITEMS, today: date = TODAY) -> ProjectResult:
    schools = root / "schools"
    (schools / "qingshi").mkdir(parents=True, exist_ok=True)
    (schools / "policy.yml").write_text(POLICY, "utf-8")
    if oversight:
        (schools / "oversight.yml").write_text(oversight, "utf-8")
    (schools / "qingshi" / "qingshi-00001.yml").write_text(school_text(items), "utf-8")
    return check_project(schools, today=today, jobs=1)


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def codes(result: ProjectResult) -> list[str]:
    return sorted(d.code for d in result.diagnostics)


# -- the reception days ------------------------------------------------------------------------------

def _reception(day: date, start: str = "09:00", leader: str = "王建国") -> Reception:
    return Reception(("receptions", 0), day, start, "11:30", "接待室", leader)


@pytest.mark.parametrize("offset", [-400, -30, -1, 0, 1, 6, 365])
def test_a_reception_is_upcoming_from_the_build_day_on_never_before(offset: int) -> None:
    day = TODAY + timedelta(days=offset)
    reception = _reception(day)
    assert reception.upcoming(TODAY) is (offset >= 0)
    assert next_reception((reception,), TODAY) == (reception if offset >= 0 else None)


@pytest.mark.parametrize("today", [date(2026, 1, 1), date(2026, 11, 5), date(2026, 11, 6), date(2026, 12, 3),
                                   date(2026, 12, 4), date(2026, 12, 17), date(2026, 12, 18)])
def test_next_reception_is_the_soonest_on_or_after_the_day_in_any_file_order(today: date) -> None:
    days = [date(2026, 12, 17), date(2026, 11, 5), date(2026, 12, 3)]
    for order in ([0, 1, 2], [2, 1, 0], [1, 2, 0]):
        schedule = tuple(_reception(days[i]) for i in order)
        expected = min((d for d in days if d >= today), default=None)
        found = next_reception(schedule, today)
        assert (found.held if found else None) == expected
        assert all(r.held is not None and r.held >= today for r in upcoming(schedule, today))


def test_two_receptions_on_one_day_come_in_order_of_the_hour() -> None:
    day = date(2026, 12, 3)
    schedule = (_reception(day, "14:30", "李华"), _reception(day, "9:00", "王建国"))
    assert [r.leader for r in upcoming(schedule, TODAY)] == ["王建国", "李华"]


@pytest.mark.parametrize("typed, shown", [("9:00", "09:00"), ("09:00", "09:00"), ("14:30", "14:30"), ("0:05", "00:05"),
                                          ("", ""), ("9点", ""), ("9:0", ""), ("123:00", "")])
def test_clock_writes_a_time_one_way(typed: str, shown: str) -> None:
    assert clock(typed) == shown


def test_when_names_the_weekday_and_the_hours_as_written() -> None:
    assert _reception(date(2026, 12, 3)).when == "2026-12-03（星期四） 09:00—11:30"
    assert Reception(("r", 0), date(2026, 12, 6), "9:00").when == "2026-12-06（星期日） 09:00 起"
    assert Reception(("r", 0), date(2026, 12, 6)).when == "2026-12-06（星期日）"


# Real schedules, transcribed (sources in the module docstring), as the bureau would enter them.
REAL_SCHEDULES = {
    "桐城 2021-02": """receptions:
  - {date: 2021-02-02, start: "8:00", end: "11:00", place: 市信访局, leader: 金天柱, position: 副市长、公安局局长}
  - {date: 2021-02-04, start: "8:00", end: "11:00", place: 市信访局, leader: 张文芳, position: 副市长}
  - {date: 2021-02-09, start: "8:00", end: "11:00", place: 市信访局, leader: 章周中, position: 市委副书记、市长}
  - {date: 2021-02-18, start: "8:00", end: "11:00", place: 市信访局, leader: 王凯红, position: 副市长}
  - {date: 2021-02-23, start: "8:00", end: "11:00", place: 市信访局, leader: 徐 雄, position: 市委书记}
  - {date: 2021-02-25, start: "8:00", end: "11:00", place: 市信访局, leader: 刘 刚, position: 副市长}
""",
    "广州市教育局 2022-07": """receptions:
  - date: 2022-07-22
    start: "9:00"
    end: "11:30"
    place: 广州市教育局人民来访接待室（地址：越秀区起义路215—4号）
    leader: 赵琼飞
    position: 市管一级调研员
    topics: 协助开展工作，协管师资工作处、市教育评估和教师继续教育指导中心；联系广州市广播电视大学、市轻工职业学校
    appointment: 通过广州市教育局门户网站“局长信箱”栏目取得预约号，预约截止时间为7月21日12:00时
""",
    "广州市环境保护局 2017-08": """receptions:
  - date: 2017-08-23
    start: "9:00"
    end: "11:30"
    place: 广州市环境监控指挥中心一楼接访中心（环市中路311号，麓景路口）
    leader: 柳录屏
    position: 副巡视员
    topics: 分管组织人事处、机关党委，联系海珠区环境保护局
    appointment: 请至少提前1天致电020-83203380进行预约，并携带身份证件进入接访场所
""",
}


@pytest.mark.parametrize("name", REAL_SCHEDULES)
def test_real_schedules_are_accepted_and_reach_the_page_and_the_csv(name: str, tmp_path: Path) -> None:
    text = REAL_SCHEDULES[name]
    result = project(tmp_path, text)
    assert codes(result) == []
    schedule = result.oversight.receptions
    assert len(schedule) == text.count("date:") and all(r.held and r.place and r.leader for r in schedule)
    # Built on the first day of the schedule, every reception is upcoming; the next one is the first.
    first = min(r.held for r in schedule if r.held)
    site = build_site(project(tmp_path, text, today=first))
    page = text_of(Renderer(site).render("oversight.md", "oversight/").html)
    for r in schedule:
        assert r.place in page and r.leader in page and r.position in page and r.when in page
    rows = Tables(site).table("receptions").rows
    assert [row[5] for row in rows] == [r.leader for r in schedule] and {row[-1] for row in rows} == {"是"}


@pytest.mark.parametrize("start, end, found", [
    ("09:00", "11:30", []), ("9:00", "11:30", []), ("14:00", "17:00", []),
    ("11:30", "09:00", ["C920"]), ("09:00", "09:00", ["C920"]), ("15:00", "3:00", ["C920"]), ("9:30", "09:30", ["C920"]),
    ("09:00", None, ["C922"]), (None, "11:30", ["C922"]), (None, None, ["C922"]),
    ("25:00", "11:30", ["S116"]), ("9点", "11:30", ["S116"]), ("09:00", "11:60", ["S116"]), ("9:00 ", "11:30", ["S116"]),
    ("09：00", "11:30", ["S116"]),
])
def test_a_reception_has_a_time_span_a_parent_can_use(start: str | None, end: str | None, found: list[str],
                                                      tmp_path: Path) -> None:
    fields = "".join(f', {k}: "{v}"' for k, v in (("start", start), ("end", end)) if v is not None)
    text = f"receptions:\n  - {{date: 2026-12-03{fields}, place: 接待室, leader: 王建国}}\n"
    assert [d.code for d in project(tmp_path, text).diagnostics] == found  # a time not written right: S116 alone


@pytest.mark.parametrize("second, duplicate", [
    ('{date: 2026-12-03, start: "09:00", end: "11:30", place: 接待室, leader: 王建国}', True),
    ('{date: 2026-12-03, start: "9:00", end: "10:30", place: 二楼, leader: 王建国}', True),
    ('{date: 2026-12-03, start: "09:00", end: "11:30", place: 接待室, leader: 李华}', False),
    ('{date: 2026-12-03, start: "14:30", end: "17:00", place: 接待室, leader: 王建国}', False),
    ('{date: 2026-12-10, start: "09:00", end: "11:30", place: 接待室, leader: 王建国}', False),
])
def test_a_reception_listed_twice_is_found(second: str, duplicate: bool, tmp_path: Path) -> None:
    text = ('receptions:\n  - {date: 2026-12-03, start: "09:00", end: "11:30", place: 接待室, leader: 王建国}\n'
            f"  - {second}\n")
    found = [d for d in project(tmp_path, text).diagnostics if d.code == "C921"]
    assert len(found) == duplicate
    if duplicate:
        assert found[0].line == 3 and "第 2 行" in found[0].message


@pytest.mark.parametrize("leader", ["王建国 13812345678", "<b>王</b>", "王建国（局长）", "Wang", "王", "王建国 副局长",
                                    "110105199003071234"])
def test_the_leader_field_holds_a_name_and_nothing_else(leader: str, tmp_path: Path) -> None:
    text = f'receptions:\n  - {{date: 2026-12-03, start: "09:00", end: "11:30", place: 接待室, leader: "{leader}"}}\n'
    result = project(tmp_path, text)
    assert any(d.blocking for d in result.diagnostics)


def test_only_upcoming_receptions_are_shown_and_only_the_next_on_home_and_notice(tmp_path: Path) -> None:
    site = build_site(project(tmp_path))
    renderer = Renderer(site)
    oversight = text_of(renderer.render("oversight.md", "oversight/").html)
    assert "赵国平" in oversight and "刘文静" in oversight and "陈立新" not in oversight  # 2026-11-05 is past
    assert oversight.index("2026-12-03") < oversight.index("2026-12-17")
    home = text_of(renderer.home_block("hotlines", ""))
    notice = text_of(renderer.render("schools/qingshi/qingshi-00001/notice-1.md", "x/").html)
    for shown in (home, notice):
        assert "2026-12-03（星期四） 09:00—11:30" in shown and "刘文静 副局长" in shown and "二楼会议室" in shown
        assert "赵国平" not in shown and "陈立新" not in shown
    # After the last one nothing is "next": the notice and the home page say nothing, the page says so.
    late = Renderer(build_site(project(tmp_path, today=date(2026, 12, 18))))
    assert "信访接待日" not in text_of(late.home_block("hotlines", ""))
    assert "信访接待日" not in text_of(late.render("schools/qingshi/qingshi-00001/notice-1.md", "x/").html)
    assert "暂无已公布的接待日安排" in text_of(late.render("oversight.md", "oversight/").html)


def test_receptions_are_exported_with_whether_they_are_to_come(tmp_path: Path) -> None:
    tables = Tables(build_site(project(tmp_path)))
    table = tables.table("receptions")
    assert table.path == "data/receptions.csv" and len(table.rows) == 3
    assert [(str(r[0]), r[1], r[2], r[-1]) for r in table.rows] == [
        ("2026-11-05", "星期四", "09:00", "否"), ("2026-12-17", "星期四", "09:00", "是"),
        ("2026-12-03", "星期四", "09:00", "是")]


# -- the notices and the card ------------------------------------------------------------------------

def test_one_notice_per_stage_with_the_items_of_every_stage_and_one_card(tmp_path: Path) -> None:
    site = build_site(project(tmp_path))
    renderer = Renderer(site)
    papers = renderer.school_papers["qingshi-00001"]
    assert [(p.kind, p.stage, p.src) for p in papers] == [
        ("notice", "小学", "schools/qingshi/qingshi-00001/notice-1.md"),
        ("notice", "初中", "schools/qingshi/qingshi-00001/notice-2.md"),
        ("card", "", "schools/qingshi/qingshi-00001/card.md")]
    primary = text_of(renderer.render(papers[0].src, papers[0].url).html)
    middle = text_of(renderer.render(papers[1].src, papers[1].url).html)
    card = text_of(renderer.render(papers[2].src, papers[2].url).html)
    assert "小学各年级学生家长" in primary and "15 元/生·学期" in primary and "20 元/生·学期" not in primary
    assert "初中各年级学生家长" in middle and "20 元/生·学期" in middle and "15 元/生·学期" not in middle
    assert "住宿费（六人间）" in middle and "290 元/生·学期" in middle
    for page in (primary, middle):
        assert "校服费" in page and "250 元/套" in page and "青教财〔2025〕9号" in page and "青石市教育局" in page
        assert "2026 年秋季学期缴费通知单" in page and "0712-4945754" in page and "0712-3216000" in page
        assert "12345" in page and "表外的收费，家长有权拒交并投诉" in page
    for label in ("作业本费（小学）", "作业本费（初中）", "住宿费（初中，六人间）", "校服费", "合计"):
        assert label in card
    for blank in ("学生姓名", "实收金额（元）", "缴费日期", "票据号码", "收款人签字", "家长签字", "退还或补缴"):
        assert blank in card
    school = text_of(renderer.render("schools/qingshi/qingshi-00001.md", "schools/qingshi/qingshi-00001/").html)
    assert "缴费通知单（小学）" in school and "缴费通知单（初中）" in school and "收费卡" in school
    meta = renderer.meta(papers[1].src)
    assert meta.title == "青石县示例九年一贯制学校 2026 年秋季学期缴费通知单（初中）"


def test_the_card_leaves_every_blank_empty() -> None:
    """The card is the same for every student: no cell of the payment columns carries anything."""
    site = build_site(check_project(REPO / "schools", today=TODAY, jobs=1))
    renderer = Renderer(site)
    cards = [p for p in renderer.papers.values() if p.kind == "card"]
    assert len(cards) == len(site.schools) - sum(1 for s in site.schools if not (s.headline and s.headline.items))
    for paper in cards:
        page = renderer.render(paper.src, paper.url).html
        rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
        body = [r for r in rows if "<td" in r]
        assert body and all(re.findall(r"<td>(.*?)</td>", r)[1:] == [""] * 5 for r in body if "元" in r)


@pytest.mark.parametrize("stages, expected", [
    ([], [""]), (["小学"], ["小学"]), (["初中", "小学"], ["小学", "初中"]), (["高中", "", "初中"], ["初中", "高中"]),
    (["特教部", "小学"], ["小学", "特教部"]), (["", ""], [""]),
])
def test_notice_groups_follow_the_stages_named_on_the_items(stages: list[str], expected: list[str]) -> None:
    items = [{"item": f"项目{i}", "amount": "10", "unit": "元/生·学期", **({"stage": s} if s else {})}
             for i, s in enumerate(stages or ["", ""])]
    school = build_school({"fee_disclosures": [{"term": "2026-秋", "items": items}]})
    groups = notice_groups(school.disclosures[0])
    assert [g.stage for g in groups] == expected
    for group in groups:  # every item of the stage and every item for all stages, in the notice's order
        assert [i.item for i in group.items] == [i["item"] for i in items if i.get("stage", "") in ("", group.stage)]
    assert notice_groups(build_school({"fee_disclosures": [{"term": "x", "items": []}]}).disclosures[0]) == ()


def _many(count: int, long: bool = False) -> str:
    group = "含看护、兴趣活动和学科答疑辅导的第{}组" if long else "第{}组"
    return "".join(f"      - {{item: 课后服务费, tier: {group.format(i + 1)}, category: 服务性收费, amount: 3, unit: 元/生·课时,"
                   " scope: 自愿参加的学生,"
                   f" basis: {{authority: 青石市发展和改革委员会, document: 青石市发改收费〔2025〕18号}}, voluntary: 是}}\n"
                   for i in range(count))


@pytest.mark.parametrize("count, long, sheet, warned", [
    (1, False, "A5", False), (4, False, "A5", False), (A5_LINES // 2 + 1, False, "A4", False),
    (16, False, "A4", False), (A4_LINES // 2, False, "A4", False), (A4_LINES // 2 + 1, False, "A4", True),
    (6, True, "A4", False), (30, True, "A4", True),
])
def test_a_notice_too_long_for_one_sheet_is_a_warning_before_printing(count: int, long: bool, sheet: str, warned: bool,
                                                                       tmp_path: Path) -> None:
    result = project(tmp_path, "", _many(count, long))
    assert ("P540" in codes(result)) == warned
    assert all(not d.blocking for d in result.diagnostics)
    renderer = Renderer(build_site(result))
    notice = renderer.school_papers["qingshi-00001"][0]
    assert notice.sheet == sheet
    assert f"size: {sheet};" in renderer.render(notice.src, notice.url).html


def test_only_the_newest_terms_paper_is_checked(tmp_path: Path) -> None:
    """An old term's notice is history: it is not printed again, so it never warns again."""
    result = project(tmp_path, "", _many(3))
    school = tmp_path / "schools" / "qingshi" / "qingshi-00001.yml"
    text = school.read_text("utf-8")
    head, _, disclosure = text.partition("fee_disclosures:\n")
    disclosure, _, tail = disclosure.partition("    reductions:")
    old = disclosure.replace("2026-秋", "2026-春").replace("2026-09-01", "2026-03-02").replace("2027-01-22", "2026-07-10")
    long_old = old.replace("    items:\n", "    items:\n" + _many(20))
    policy = tmp_path / "schools" / "policy.yml"
    policy.write_text(POLICY.replace("terms:\n", "terms:\n  - {id: 2026-春, name: 2026 年春季学期, start: 2026-03-02, "
                                                  "end: 2026-07-10, publish_by: 2026-02-20}\n"), "utf-8")
    reductions = "    reductions:" + tail
    school.write_text(head + "fee_disclosures:\n" + disclosure + reductions + long_old.replace("  - term:", "  - term:", 1)
                      + reductions, "utf-8")
    checked = check_project(tmp_path / "schools", today=TODAY, jobs=1)
    data = checked.schools[0].data
    assert data is not None and [d.term for d in data.disclosures] == ["2026-秋", "2026-春"]
    assert not notice_groups(data.disclosures[1])[0].fits  # the old term's notice would not fit one sheet
    assert "P540" not in codes(checked) and "P541" not in codes(checked) and "P540" not in codes(result)


def test_a_card_too_long_for_one_sheet_is_a_warning(tmp_path: Path) -> None:
    assert "P541" not in codes(project(tmp_path, "", _many(9)))
    assert "P541" in codes(project(tmp_path, "", _many(19)))


def test_no_notice_without_items_and_the_school_page_links_none(tmp_path: Path) -> None:
    result = project(tmp_path, "", "      []\n")
    renderer = Renderer(build_site(result))
    assert renderer.school_papers["qingshi-00001"] == ()
    page = renderer.render("schools/qingshi/qingshi-00001.md", "schools/qingshi/qingshi-00001/").html
    assert "缴费通知单" not in page


# -- nothing hostile or personal reaches the paper ---------------------------------------------------

_FIELDS = ("item", "tier", "unit", "authority", "document", "place", "position", "topics", "appointment", "notes")


def _hostile_project(root: Path, payload: str) -> ProjectResult:
    quoted = '"' + payload.replace("\\", "\\\\").replace('"', '\\"') + '"'
    items = (f"      - {{item: {quoted}, category: 代收费, stage: 小学, tier: {quoted}, amount: 5, unit: {quoted},"
             f" scope: 学生, basis: {{authority: {quoted}, document: {quoted}}}, voluntary: 是, settlement: 据实结算}}\n")
    oversight = (f'receptions:\n  - {{date: 2026-12-03, start: "09:00", end: "11:30", place: {quoted}, leader: 王建国,'
                 f" position: {quoted}, topics: {quoted}, appointment: {quoted}, notes: {quoted}}}\n")
    result = project(root, oversight, items)
    return replace(result, schools=[replace(s, diagnostics=[d for d in s.diagnostics if not d.blocking])
                                    for s in result.schools])


@pytest.mark.parametrize("payload", HANDPICKED)
def test_no_payload_becomes_markup_on_any_paper(payload: str, tmp_path: Path) -> None:
    clean = Renderer(build_site(_hostile_project(tmp_path / "clean", "普通文字")))
    hostile = Renderer(build_site(_hostile_project(tmp_path / "hostile", payload)))
    assert len(hostile.papers) == len(clean.papers) == 2
    pages = [(src, "schools/qingshi/qingshi-00001/x/") for src in clean.papers] + [("oversight.md", "oversight/")]
    for src, url in pages:
        before, after = Markup(), Markup()
        before.feed(clean.render(src, url).html)
        after.feed(hostile.render(src, url).html)
        assert after.tags == before.tags and after.attributes == before.attributes, (src, payload)
        sheet = re.compile(r"size: A[45]; margin: [^;]+;")  # a long payload may need an A4 sheet instead of A5
        assert after.urls == before.urls, (src, payload)
        assert [sheet.sub("", x) for x in after.scripts] == [sheet.sub("", x) for x in before.scripts], (src, payload)
        assert payload.strip() in "".join(after.text) or src == "oversight.md" and "<" not in payload
    home_before, home_after = Markup(), Markup()
    home_before.feed(clean.home_block("hotlines", ""))
    home_after.feed(hostile.home_block("hotlines", ""))
    assert home_after.tags == home_before.tags and home_after.attributes == home_before.attributes


def test_no_paper_of_the_example_site_carries_personal_data() -> None:
    """Every notice and card of the example: no ID number, no mobile number, no name a scan would flag
    (the only names are the reception's leaders, public officials, held to a name-only field)."""
    site = build_site(check_project(REPO / "schools", today=TODAY, jobs=1))
    renderer = Renderer(site)
    leaders = {r.leader for r in site.oversight.receptions}
    assert len(renderer.papers) > 48
    for paper in renderer.papers.values():
        text = text_of(renderer.render(paper.src, paper.url).html)
        for leader in leaders:
            text = text.replace(leader, "")
        assert [hit for hit in scan(text) if hit.code != "P503"] == [], paper.src


def test_the_receptions_csv_is_written_with_the_other_exports(tmp_path: Path) -> None:
    site = build_site(project(tmp_path))
    table = Tables(site).table("receptions")
    out = io.StringIO()
    csv.writer(out).writerows([table.columns, *table.rows])
    assert out.getvalue().splitlines()[0].startswith("接待日期,星期,开始时间,结束时间,接待地点,接访领导")


def test_the_oversight_json_keeps_the_schedule_as_written(tmp_path: Path) -> None:
    from xiaowu.model.record import record
    data: Any = record(project(tmp_path).oversight)
    assert [r["date"] for r in data["receptions"]] == ["2026-11-05", "2026-12-17", "2026-12-03"]
    assert data["receptions"][2] == {"date": "2026-12-03", "start": "9:00", "end": "11:30", "place": "青石市教育局二楼会议室",
                                     "leader": "刘文静", "position": "副局长", "topics": "课后服务",
                                     "appointment": "提前一个工作日电话预约"}
    assert build_receptions({"receptions": "x"}) == ()
