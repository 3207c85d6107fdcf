#!/usr/bin/env python3
"""Write a deterministic fictional bureau: schools/policy.yml and one YAML file per school.

    python scripts/generate_example.py                       # the committed example (48 schools)
    python scripts/generate_example.py --schools 20000 --out /tmp/province   # benchmark data

Every name, address and phone number is invented. The committed example passes `xiaowu check`
with no errors or warnings; a few schools are late or missing so the compliance status has
something to show. The same seed always gives the same bytes.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_PLAIN = re.compile(r"^[\w\u4e00-\u9fff·（）()〔〕，、。/\-—．.~%]+$")


def js_number(value: float) -> str:
    """A number as the editor (JavaScript) writes it: 93.0 → 93."""
    text = str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def q(value: object) -> str:
    """Plain where a clerk would type it plain; double-quoted where YAML needs it."""
    text = str(value)
    if _PLAIN.match(text) and not text.startswith(("-", "~", "%")):
        return text
    return json.dumps(text, ensure_ascii=False)


@dataclass(frozen=True)
class Kind:
    label: str
    stages: tuple[str, ...]
    suffix: str


KINDS = [
    Kind("幼儿园", ("幼儿园",), "幼儿园"),
    Kind("小学", ("小学",), "小学"),
    Kind("初中", ("初中",), "初级中学"),
    Kind("九年一贯制", ("小学", "初中"), "九年一贯制学校"),
    Kind("完全中学", ("初中", "高中"), "中学"),
    Kind("高中", ("高中",), "高级中学"),
    Kind("中职", ("中职",), "职业技术学校"),
]
# How often each kind appears (a county has many primary schools, few vocational ones).
KIND_WEIGHTS = [4, 7, 3, 2, 1, 1, 1]
TOWNS = ["城关", "柳湾", "石桥", "河口", "双龙", "杨家坪", "清水", "马鞍", "桃源", "白沙", "新店", "黄土岭",
         "梅溪", "竹林", "凤凰", "三合", "长岗", "青龙", "松柏", "太平"]
COUNTIES = [("qingshi", "青石县", "0712"), ("baihe", "白河县", "0713"), ("yunling", "云岭区", "0714")]
TERMS = [
    ("2026-春", "2026 年春季学期", "2026-03-02", "2026-07-10", "2026-02-20"),
    ("2026-秋", "2026 年秋季学期", "2026-09-01", "2027-01-22", "2026-08-20"),
    ("2027-春", "2027 年春季学期", "2027-03-01", "2027-07-09", "2027-02-19"),
]
DOC_FEES = "青石市发改收费〔2025〕18号"
DOC_SERVICE = "青石市发改收费〔2025〕21号"
DOC_AGENCY = "青石市教育局〔2025〕7号"
AUTHORITY_PRICE = "青石市发展和改革委员会"
BUREAU = "青石市教育局"

# item, category, stages, ownership, cap, unit, pricing, document
CATALOG = [
    ("保教费", "行政事业性收费", ["幼儿园"], ["公办"], "1200", "元/生·学期", DOC_FEES),
    ("保教费", "服务性收费", ["幼儿园"], ["民办"], "4800", "元/生·学期", DOC_SERVICE),
    ("学费", "行政事业性收费", ["高中"], ["公办"], "800", "元/生·学期", DOC_FEES),
    ("学费", "民办学校收费", ["小学", "初中", "高中", "中职"], ["民办"], "6000", "元/生·学期", DOC_SERVICE),
    ("住宿费", "行政事业性收费", ["小学", "初中"], ["公办"], "300", "元/生·学期", DOC_FEES),
    ("住宿费", "行政事业性收费", ["高中", "中职"], ["公办"], "500", "元/生·学期", DOC_FEES),
    ("住宿费", "民办学校收费", ["小学", "初中", "高中", "中职"], ["民办"], "1500", "元/生·学期", DOC_SERVICE),
    ("课后服务费", "服务性收费", ["小学", "初中"], ["公办"], "300", "元/生·学期", DOC_SERVICE),
    ("伙食费", "伙食费", ["幼儿园", "小学", "初中", "高中", "中职"], ["公办", "民办"], "1600", "元/生·学期", DOC_AGENCY),
    ("校服费", "代收费", ["小学", "初中", "高中", "中职"], ["公办", "民办"], "260", "元/套", DOC_AGENCY),
    ("教辅材料费", "代收费", ["小学", "初中", "高中"], ["公办", "民办"], "120", "元/生·学期", DOC_AGENCY),
    ("教材费", "代收费", ["高中", "中职"], ["公办", "民办"], None, "元/生·学期", DOC_AGENCY),
    ("城乡居民基本医疗保险费", "代收费", ["幼儿园", "小学", "初中", "高中", "中职"], ["公办", "民办"], "400", "元/生·年",
     DOC_AGENCY),
]
#: What the catalog says beyond item, cap and unit (policy model v2), keyed by (item, first stage, first ownership).
CATALOG_EXTRA = {
    ("住宿费", "高中", "公办"): ["    tiers:", "      - {name: 普通宿舍, cap: 400}",
                                "      - {name: 公寓化管理宿舍, cap: 500, notes: 每间不超过 6 人，有独立卫生间}",
                                # A tier priced by a mode instead of a cap (issue 24 §13).
                                "      - {name: 社会投资建设的学生公寓, pricing: 学校自主定价, "
                                "notes: 学校按成本定价，报市教育局和发展改革委员会备案}"],
    ("学费", "小学", "民办"): ["    cadences: [学期]", "    voluntary: 否"],
    ("住宿费", "小学", "民办"): ["    voluntary: 否"],
    ("教材费", "高中", "公办"): ["    pricing: 按教材定价"],
    ("城乡居民基本医疗保险费", "幼儿园", "公办"): ["    cadences: [年]", "    notes: 个人缴费标准按当年医保部门通知，学校代收代缴"],
}
#: A county-limited, cost-priced item: only Yunling District runs school buses.
BUS = ["  - item: 校车服务费", "    category: 服务性收费", "    stages: [小学, 初中]", "    ownership: [公办]",
       "    counties: [yunling]", "    pricing: 以支定收", "    unit: 元/生·学期", "    notes: 只在云岭区开行校车",
       "    basis:", f"      authority: {AUTHORITY_PRICE}", f"      document: {q(DOC_SERVICE)}"]
#: Which high schools board in dormitories run as apartments (the tier a school names).
TIER = "公寓化管理宿舍"
GRADES = ["优秀", "良好", "一般", "较差"]


def catalog_cap(item: str, stage: str, ownership: str) -> tuple[str | None, str, str, str]:
    for name, category, stages, owners, cap, unit, document in CATALOG:
        if name == item and stage in stages and ownership in owners:
            return cap, unit, category, document
    raise KeyError((item, stage, ownership))


#: One school shows a reviewed exception openly: its autumn 伙食费 is above the cap, approved by the bureau.
EXCEPTION_SCHOOL = 5
EXCEPTION_MEAL_AMOUNT = 1700


def fee_lines(item: str, stage: str, ownership: str, rng: random.Random, label_stage: bool,
              amount_override: int | None = None) -> tuple[list[str], int | None]:
    cap, unit, category, document = catalog_cap(item, stage, ownership)
    authority = BUREAU if category in ("代收费", "伙食费") else AUTHORITY_PRICE
    lines = [f"      - item: {item}", f"        category: {category}"]
    if label_stage:
        lines.append(f"        stage: {stage}")
    if (item, stage, ownership) in (("住宿费", "高中", "公办"), ("住宿费", "中职", "公办")):
        lines.append(f"        tier: {TIER}")
    amount = None
    if cap is None:
        lines += ["        pricing: 按教材定价"]
    else:
        step = 10 if int(cap) < 1000 else 100
        amount = int(cap) - step * rng.randint(0, 3)
        if amount_override is not None:
            amount = amount_override
        lines.append(f"        amount: {amount}")
    scope = {"住宿费": "在校住宿学生", "课后服务费": "自愿参加课后服务的学生", "伙食费": "在校就餐学生",
             "校服费": "自愿订购校服的学生", "教辅材料费": "自愿订购教辅材料的学生"}.get(item, f"全体{stage}学生")
    voluntary = "是" if category in ("服务性收费", "代收费", "伙食费") else "否"
    period = {"校服费": "一次性", "城乡居民基本医疗保险费": "年"}.get(item, "学期")
    lines.append(f"        unit: {unit}")
    if item == "课后服务费" and stage == "小学" and amount is not None:
        # Approved per 课时, collected for the term: rate × units = amount (issue 20 §3).
        lines += [f"        rate: {q(f'{amount / 100:g}')}", "        rate_unit: 元/生·课时", "        units: 100"]
    lines += [f"        scope: {scope}", "        basis:",
              f"          authority: {authority}", f"          document: {q(document)}",
              f"        voluntary: {voluntary}", f"        billing_period: {period}"]
    if item == "城乡居民基本医疗保险费":
        lines.append("        settlement: 学校代收，全额代缴医保部门")
    elif category == "代收费":
        lines.append("        settlement: 据实收取，学期末结算，多退少补，定期公布")
    if item == "伙食费":
        lines.append("        notes: 按实际就餐天数结算，不盈利。")
    return lines, amount


@dataclass
class School:
    id: str
    county: str
    county_name: str
    area: str
    name: str
    kind: Kind
    ownership: str
    boarding: bool
    index: int


def fees_for(school: School) -> list[tuple[str, str]]:
    """(item, stage) pairs this school charges."""
    fees: list[tuple[str, str]] = []
    for stage in school.kind.stages:
        if stage == "幼儿园":
            fees += [("保教费", stage), ("伙食费", stage)]
            continue
        if school.ownership == "民办":
            fees.append(("学费", stage))
        elif stage == "高中":
            fees.append(("学费", stage))
        if school.boarding and stage != "幼儿园":
            fees.append(("住宿费", stage))
        if school.ownership == "公办" and stage in ("小学", "初中"):
            fees.append(("课后服务费", stage))
        if stage in ("高中", "中职"):
            fees.append(("教材费", stage))
    stage0 = school.kind.stages[-1]
    if stage0 != "幼儿园":
        fees += [("伙食费", stage0), ("校服费", stage0)]
        if stage0 != "中职":
            fees.append(("教辅材料费", stage0))
    if school.index % 4 == 1:
        fees.append(("城乡居民基本医疗保险费", stage0))
    seen: set[str] = set()
    unique = []
    for item, stage in fees:
        key = item if item in ("伙食费", "校服费", "教辅材料费", "课后服务费", "教材费", "城乡居民基本医疗保险费") \
            else item + stage
        if key not in seen:
            seen.add(key)
            unique.append((item, stage))
    return unique


#: A settled item: (item, stage, category, amount) of a fee the term's notice listed.
Charged = tuple[str, str, str, "int | None"]


def disclosure_lines(school: School, term: tuple[str, ...], published: str, rng: random.Random,
                     charged: list[Charged] | None = None) -> list[str]:
    term_id, _, start, end, _ = term
    lines = [f"  - term: {term_id}", f"    published: {published}", f"    valid_from: {start}",
             f"    valid_until: {end}", "    channels:", "      - 校门口收费公示栏", "      - 家长会"]
    if school.index % 3 == 0:
        lines.append("      - 学校网站")
    lines.append("    items:")
    autumn = term_id == TERMS[1][0]
    for item, stage in fees_for(school):
        # Some variety between terms, so "what changed since last term" has all three kinds of line.
        if item == "教辅材料费" and not autumn and school.index % 4 == 1:
            continue  # added in autumn
        if item == "校服费" and autumn and school.index % 5 == 2:
            continue  # dropped in autumn
        override = EXCEPTION_MEAL_AMOUNT if autumn and item == "伙食费" and school.index == EXCEPTION_SCHOOL else None
        fee, amount = fee_lines(item, stage, school.ownership, rng, len(school.kind.stages) > 1, override)
        lines += fee
        if charged is not None:
            charged.append((item, stage if len(school.kind.stages) > 1 else "", catalog_cap(item, stage, school.ownership)[2],
                            amount))
    lines += [
        "    reductions: 建档立卡、低保、特困供养等家庭经济困难学生按规定免收住宿费、教辅材料费等，"
        "由家长向学校财务室申请，学校审核后公示名单（不公示个人信息）。",
        "    complaint_channels:", "      - 学校收费监督电话", "      - 青石市教育局收费投诉电话", "      - 12345",
    ]
    if school.index % 7 == 3:  # some schools also take complaints by e-mail
        lines.append(f"      - jiandu@{school.id}.example.cn")
    return lines


#: Spending of each settled item, as shares of what was spent: (purpose, share in percent).
SPENDING = {
    "校服费": [("校服采购（按公开招标价）", 100)],
    "教辅材料费": [("教辅材料代购（按定价）", 100)],
    "教材费": [("教材代购（按定价）", 100)],
    "城乡居民基本医疗保险费": [("代缴医保部门", 100)],
    "伙食费": [("食材", 84), ("燃料和水电", 9), ("炊具和餐具", 7)],
    "课后服务费": [("课后服务教师补助", 86), ("聘请校外人员劳务费", 10), ("活动耗材", 4)],
}
#: Schools whose spring settlement is missing (结算逾期) or was published after the deadline.
UNSETTLED_SCHOOL, LATE_SETTLEMENT_SCHOOL = 6, 18


def settlement_lines(school: School, charged: list[Charged], rng: random.Random) -> list[str]:
    """The spring term's settlement of every 代收费, 伙食费 and 课后服务费 item, adding up exactly."""
    items = [c for c in charged if c[2] in ("代收费", "伙食费") or c[0] == "课后服务费"]
    if not items or school.index == UNSETTLED_SCHOOL:
        return []
    day = rng.randint(13, 28) if school.index != LATE_SETTLEMENT_SCHOOL else 45
    settled = f"2026-07-{day:02d}" if day <= 31 else f"2026-08-{day - 31:02d}"
    lines = ["settlements:", f"  - term: {TERMS[0][0]}", f"    settled: {settled}", "    items:"]
    for item, stage, category, amount in items:
        students = rng.randint(60, 900)
        price = amount if amount is not None else rng.randint(180, 260)
        collected = price * students
        back_each = 0 if item == "城乡居民基本医疗保险费" else rng.choice([0, 5, 8, 10, 12])
        refunded = back_each * students if category == "代收费" else 0
        lines += [f"      - item: {item}"] + ([f"        stage: {stage}"] if stage else []) + [
            f"        students: {students}", f"        collected: {collected}", "        spending:"]
        outgo = collected - refunded
        carried = 0
        if item == "伙食费":
            carried = outgo * rng.randint(1, 3) // 100  # a small balance the bureau lets the canteen keep
        if item == "课后服务费":
            refunded = rng.randint(0, students // 10) * price // 20  # days missed, refunded at the day rate
        spent = collected - refunded - carried
        shares = SPENDING[item]
        left = spent
        for index, (purpose, share) in enumerate(shares):
            part = left if index == len(shares) - 1 else spent * share // 100
            left -= part
            lines += [f"          - purpose: {purpose}", f"            amount: {part}"]
        if refunded:
            lines.append(f"        refunded: {refunded}")
            if category == "代收费":
                lines += [f"        refund_students: {students}", f"        refund_per_student: {back_each}",
                          "        refund_method: 退回原缴费账户"]
            else:
                lines.append("        refund_method: 按未参加课后服务的实际天数退还")
        if carried:
            lines.append(f"        carried: {carried}")
    return lines


def evaluation_lines(school: School, year: int, rank: int, total: int, rng: random.Random,
                     ratings: list[str]) -> list[str]:
    """The school's own entry (its rectifications after a bottom result); the result itself, the
    evaluating body's judgement, goes to the bureau's oversight.yml (appended to ``ratings``)."""
    issued = rng.choice([200, 300, 500, 1000])
    valid = issued - rng.randint(0, issued // 20)
    score = round(rng.uniform(78, 98), 1)
    grade = GRADES[0] if score >= 92 else GRADES[1] if score >= 85 else GRADES[2]
    ratings += [f"  - school: {school.id}", f"    year: {q(str(year))}", f"    organizer: {BUREAU}", "    kind: 行风评议",
                f"    respondents_issued: {issued}", f"    respondents_valid: {valid}", f"    score: {score}",
                f"    satisfaction: {round(min(99.9, score + rng.uniform(0, 4)), 1)}", f"    grade: {grade}",
                "    grade_set: [优秀, 良好, 一般, 较差]", f"    rank: {rank}", f"    ranked_total: {total}",
                f"    source_url: https://jyj.qingshi.example.cn/hfpy/{year}.html"]
    if rank <= total - 3:
        return []  # nothing to answer: no entry in the school's file
    return [f"  - year: {q(str(year))}", f"    organizer: {BUREAU}", "    kind: 行风评议", "    rectifications:",
            "      - issue: 收费公示栏位置不够醒目，部分家长不知道投诉电话",
            "        measure: 公示栏移至校门口，家长会发放收费告知书",
            f"        status: {'已完成' if year < 2025 else '整改中'}",
            f"        due: {year + 1}-06-30"]


def school_text(school: School, rng: random.Random, profile: str, ranks: dict[int, tuple[int, int]],
                ratings: list[str]) -> str:
    number = f"{school.area}-{rng.randint(2, 8)}{rng.randint(100000, 999999)}"
    # No comments and no quotes YAML does not need: a school file is in the form editor's own layout
    # (README "The form editor"), so saving it there unchanged gives the same bytes.
    lines = ["profile:", f"  name: {school.name}",
             f"  county: {school.county_name}", f"  ownership: {school.ownership}", "  stages:"]
    lines += [f"    - {s}" for s in school.kind.stages]
    town = school.name[len(school.county_name):][:2]
    lines += [f"  boarding: {'是' if school.boarding else '否'}",
              f"  address: {school.county_name}{town}镇学府路 {school.index % 90 + 1} 号",
              f"  office_phone: {number}"]
    if school.index % 2 == 0:
        lines.append(f"  website: https://{school.id}.qingshi.example.cn/")
    lines += [f"  supervising_authority: {BUREAU}", "hotlines:", "  - name: 学校收费监督电话",
              f"    phone: {school.area}-{rng.randint(2, 8)}{rng.randint(100000, 999999)}",
              "    hours: 工作日 08:00-17:30"]
    lines.append("fee_disclosures:")
    if profile != "overdue":
        autumn_published = "2026-08-28" if profile == "late" else f"2026-08-{rng.randint(10, 19):02d}"
        lines += disclosure_lines(school, TERMS[1], autumn_published, rng)
    charged: list[Charged] = []
    lines += disclosure_lines(school, TERMS[0], f"2026-02-{rng.randint(9, 18):02d}", rng, charged)
    answers = [line for year in (2025, 2024) for line in evaluation_lines(school, year, *ranks[year], rng, ratings)]
    lines += ["evaluations:", *answers] if answers else []
    lines += settlement_lines(school, charged, rng)
    return "\n".join(lines) + "\n"


def exceptions_text(schools: list[School]) -> str:
    """The bureau's reviewed exceptions (maintainer-owned, never in a school's own file)."""
    lines = ["# yaml-language-server: $schema=../plugins/xiaowu/schema/exceptions.schema.json",
             "# 经本局审核同意的例外（只有维护人员可以修改）。每条都会在该校页面上公开说明。", "exceptions:"]
    for school in schools:
        if school.index == EXCEPTION_SCHOOL:
            lines += [f"  - school: {school.id}", "    rule: F207", f"    term: {TERMS[1][0]}", "    item: 伙食费",
                      "    reason: 本学期食材价格上涨，经家长委员会讨论、教育局审核同意，伙食费临时上调",
                      f"    basis: {q(BUREAU + '〔2026〕15号批复')}"]
    return "\n".join(lines) + "\n"


#: The bureau's complaint figures per quarter (and the year 2025 as a whole): received by channel and by
#: category, closed, outcomes. Every breakdown adds up; 办结率 is left to the site.
QUARTERS = [
    # period, channels (12345 热线, 本局投诉电话, 来信, 来访, 网上信箱), categories (乱收费: 代收费不规范,
    # 未经批准收费; 违规补课; 招生就读; 教辅资料; 其他), closed, outcomes (属实, 部分属实, 不属实)
    ("2025-Q1", (4, 2, 1, 1, 1), ((2, 1), 3, 1, 1, 1), 9, (3, 2, 4)),
    ("2025-Q2", (5, 3, 1, 1, 2), ((3, 2), 2, 3, 1, 1), 12, (4, 2, 6)),
    ("2025-Q3", (7, 3, 2, 1, 2), ((4, 2), 2, 5, 1, 1), 15, (6, 3, 6)),
    ("2025-Q4", (3, 2, 1, 0, 2), ((2, 1), 3, 0, 1, 1), 8, (2, 1, 5)),
    ("2026-Q1", (5, 3, 1, 1, 1), ((3, 1), 4, 1, 1, 1), 11, (4, 2, 5)),
    ("2026-Q2", (4, 3, 1, 0, 2), ((2, 2), 3, 1, 1, 1), 10, (3, 3, 4)),
    ("2026-Q3", (6, 4, 1, 1, 2), ((3, 2), 1, 6, 1, 1), 11, (4, 2, 5)),
]
_CHANNELS = ("12345 热线", "本局投诉电话", "来信", "来访", "网上信箱")
_OUTCOMES = ("属实", "部分属实", "不属实")


def complaint_lines(period: str, channels: tuple[int, ...], categories: tuple[Any, ...], closed: int,
                    outcomes: tuple[int, ...]) -> list[str]:
    received = sum(channels)
    (agency, unapproved), classes, admissions, books, other = categories
    year, quarter = period.split("-")
    published = {"Q1": f"{year}-04-15", "Q2": f"{year}-07-15", "Q3": f"{year}-10-15", "Q4": f"{int(year) + 1}-01-15"}[quarter]
    lines = [f"  - period: {period}", f"    received: {received}", "    channels:"]
    lines += [f"      - {{name: {name}, count: {n}}}" for name, n in zip(_CHANNELS, channels) if n]
    lines += ["    categories:", "      - name: 乱收费", f"        count: {agency + unapproved}", "        parts:",
              f"          - {{name: 代收费和服务性收费不规范, count: {agency}}}",
              f"          - {{name: 收取未经批准的费用, count: {unapproved}}}",
              f"      - {{name: 违规补课, count: {classes}}}", f"      - {{name: 招生就读, count: {admissions}}}",
              f"      - {{name: 教辅资料, count: {books}}}", f"      - {{name: 其他, count: {other}}}",
              f"    closed: {closed}", f"    in_progress: {received - closed}", "    outcomes:"]
    lines += [f"      - {{name: {name}, count: {n}}}" for name, n in zip(_OUTCOMES, outcomes) if n]
    lines += [f"    document: {q(f'青教函〔{year}〕{int(quarter[1]) * 10 + 3}号')}", f"    published: {published}",
              f"    source_url: https://jyj.qingshi.example.cn/tb/{period.lower()}.html"]
    return lines


#: Schools the bureau inspected (by index): one put right and re-checked, one late with its refund
#: unfinished (整改逾期, 清退逾期), one with nothing found, one still within its deadline.
INSPECTED = {2: "done", 10: "late", 15: "clean", 20: "open"}


#: Shapes bureau notices really take (issue 20): a month's figures; one category of a window of months,
#: with no total; a school outside the roster named in words, inspected with no due date written; a
#: refund returned on the spot, with neither an order date nor a document number.
NOTICE_COMPLAINTS = ["  - period: 2026-10", "    received: 5", "    channels:", "      - {name: 12345 热线, count: 3}",
                     "      - {name: 本局投诉电话, count: 2}", "    closed: 4", "    in_progress: 1",
                     "  - period: 2026-03/2026-06", "    partial: 是", "    categories:",
                     "      - {name: 违规补课, count: 5, share: 35.7}", "    document: 青教函〔2026〕25号",
                     "    notes: 通报只公布了违规补课类的件数和占比，未公布受理总数。"]
NOTICE_INSPECTIONS = ["  - school_name: 青石市某民办学校", "    date: 2026-06-18",
                      "    kind: 投诉核查", f"    organizer: {BUREAU}", "    notice_title: 关于教育收费投诉核查情况的通报",
                      "    notice_date: 2026-06-30", "    findings:", "      - finding: 在学校内收取暑期补课费",
                      "        rectification: 立即停止，限期整改", "        notes: 已约谈举办者。",
                      "    notes: 该校不在本局应公开学校名单中，按通报原文记录。"]
NOTICE_REFUNDS = ["  - school_name: 青石市某民办学校", "    item: 暑期补课费",
                  "    reason: 在学校内违规收取", "    source: 投诉核查", "    amount: 1200", "    students: 8",
                  "    refunded: 1200", "    notes: 检查组要求当场退还，已全部退还。",
                  "    notice_title: 关于教育收费投诉核查情况的通报", "    notice_date: 2026-06-30", "    on_the_spot: 是"]


def oversight_text(schools: list[School]) -> str:
    """The bureau's oversight.yml: complaint figures, inspections and refund orders (the evaluation
    results are appended by generate(), as each school's are drawn)."""
    lines = ["# yaml-language-server: $schema=../plugins/xiaowu/schema/oversight.schema.json",
             "# 本局投诉举报统计、检查整改和责令清退（只有维护人员可以修改；示例数据，均为虚构）。", "complaints:"]
    for period, channels, categories, closed, outcomes in reversed(QUARTERS):
        lines += complaint_lines(period, channels, categories, closed, outcomes)
    year = [row for row in QUARTERS if row[0].startswith("2025")]
    received = sum(sum(row[1]) for row in year)
    lines += ["  - period: 2025", f"    received: {received}", f"    closed: {sum(row[3] for row in year)}",
              f"    in_progress: {received - sum(row[3] for row in year)}", "    document: 青教函〔2026〕5号",
              "    published: 2026-01-20", "    notes: 全年数字为四个季度之和。"]
    by_index = {s.index: s for s in schools}
    inspections = ["inspections:"]
    refunds = ["refunds:"]
    for index, kind in INSPECTED.items():
        school = by_index.get(index)
        if school is None:
            continue
        month = {"done": "04", "late": "09", "clean": "05", "open": "11"}[kind]
        inspections += [f"  - school: {school.id}", f"    date: 2026-{month}-10", "    kind: 收费专项检查",
                        f"    organizer: {BUREAU}", f"    document: {q(f'青教督〔2026〕{index}号')}"]
        if kind == "clean":
            inspections += ["    findings: []", "    notes: 检查了收费公示栏、收费票据和代收费结算，未发现问题。"]
            continue
        due = {"done": "2026-05-10", "late": "2026-10-10", "open": "2026-12-20"}[kind]
        inspections += ["    findings:", "      - finding: 在公示范围外以资料费名义收取每生 30 元",
                        "        rectification: 立即停止收取，全额清退，在校门口公示清退情况", f"        due: {due}"]
        if kind == "done":
            inspections += ["        resolved: 2026-05-06", "        verified: 2026-06-12"]
        students = 150 + index * 7
        refunds += [f"  - school: {school.id}", "    item: 资料费", "    reason: 在公示范围外收取",
                    "    source: 2026 年收费专项检查", f"    amount: {students * 30}", f"    students: {students}",
                    f"    ordered: 2026-{month}-15", f"    document: {q(f'青教函〔2026〕{index + 40}号')}",
                    f"    due: {'2026-05-15' if kind == 'done' else '2026-10-31' if kind == 'late' else '2026-12-31'}"]
        if kind == "done":
            refunds += ["    completed: 2026-05-10", f"    refunded: {students * 30}", "    notes: 退回原缴费账户"]
    return "\n".join(lines + NOTICE_COMPLAINTS + inspections + NOTICE_INSPECTIONS + refunds + NOTICE_REFUNDS
                     + reception_lines()) + "\n"


#: The leaders' public reception days (局领导信访接待日): (date, leader, position, topics), fictional;
#: laid out like the bureaus' own schedules (a day, a morning's hours, one leader and what they oversee).
RECEPTIONS = (
    ("2026-10-15", "陈立新", "局长", "全面工作；教育收费、招生入学"),
    ("2026-11-19", "刘文静", "副局长", "基础教育、课后服务、校外培训"),
    ("2026-12-03", "赵国平", "副局长", "教育收费、学生资助、校园食堂"),
    ("2026-12-17", "陈立新", "局长", "全面工作；教育收费、招生入学"),
    ("2027-01-07", "孙建华", "纪检监察组组长", "教育系统行风和作风问题"),
)


def reception_lines() -> list[str]:
    lines = ["receptions:"]
    for day, leader, position, topics in RECEPTIONS:
        lines += [f"  - date: {day}", '    start: "09:00"', '    end: "11:30"',
                  "    place: 青石市教育局一楼群众来访接待室（学府路 8 号）", f"    leader: {leader}",
                  f"    position: {position}", f"    topics: {topics}",
                  "    appointment: 可提前一个工作日拨打 0712-3216000 预约，也可当天直接来访"]
    lines.append("    notes: 遇法定节假日顺延一周")
    return lines


def make_schools(count: int, rng: random.Random) -> list[School]:
    county_count = max(3, count // 16)
    counties = list(COUNTIES)
    for extra in range(len(counties), county_count):
        counties.append((f"county-{extra:04d}", f"第{extra}县", f"0{715 + extra % 280}"))
    schools = []
    for index in range(count):
        county_id, county_name, area = counties[index % len(counties)]
        kind = rng.choices(KINDS, weights=KIND_WEIGHTS)[0]
        town = TOWNS[(index // len(counties)) % len(TOWNS)]
        serial = index // (len(counties) * len(TOWNS))
        ownership = "民办" if index % 9 == 4 else "公办"
        boarding = kind.label in ("九年一贯制", "完全中学", "高中", "中职") or (kind.label == "初中" and index % 2 == 0)
        name = f"{county_name}{town}{'第' + str(serial + 1) if serial else ''}{kind.suffix}"
        if ownership == "民办":
            name = f"{county_name}{town}{'第' + str(serial + 1) if serial else ''}民办{kind.suffix}"
        school_id = f"{county_id}-{index:05d}"
        schools.append(School(school_id, county_id, county_name, area, name, kind, ownership,
                              boarding and kind.label != "幼儿园", index))
    return schools


def private_approval(schools: list[School]) -> list[str]:
    """One private school's tuition approved school by school (issue 24 §14): its own cap, no one else's."""
    school = next((s for s in schools if s.ownership == "民办" and set(s.kind.stages) & {"小学", "初中"}), None)
    if school is None:
        return []
    stages = [st for st in school.kind.stages if st in ("小学", "初中")]
    return ["  - item: 学费", "    category: 民办学校收费", f"    stages: [{', '.join(stages)}]", "    ownership: [民办]",
            f"    schools: [{school.id}]", "    cap: 6800", "    unit: 元/生·学期", "    cadences: [学期]", "    voluntary: 否",
            "    basis:", f"      authority: {AUTHORITY_PRICE}", f"      document: {q('青石市发改收费〔2025〕36号')}",
            f"      title: {q(f'关于{school.name}学费标准的批复')}"]


def policy_text(schools: list[School], counties: list[tuple[str, str, str]], missing: list[School]) -> str:
    lines = ["# 青石市教育局 收费政策（示例数据，均为虚构）", f"authority: {BUREAU}", 'area_code: "0712"', "counties:"]
    for county_id, name, _ in counties:
        lines += [f"  - id: {county_id}", f"    name: {name}"]
    lines += ["hotlines:", "  - name: 青石市教育局收费投诉电话", "    phone: 0712-3216000", "    kind: 教育局",
              "    hours: \"工作日 08:30-17:30\"", "  - name: 12345 政务服务便民热线", "    phone: 12345",
              "    kind: 政务服务", "  - name: 12315 市场监管投诉举报热线", "    phone: 12315", "    kind: 市场监管",
              "  - name: 12388 纪检监察举报电话", "    phone: 12388", "    kind: 纪检监察", "terms:"]
    for term_id, name, start, end, publish_by in TERMS:
        lines += [f"  - id: {term_id}", f"    name: {name}", f"    start: {start}", f"    end: {end}",
                  f"    publish_by: {publish_by}"]
    lines.append("catalog:")
    for item, category, stages, owners, cap, unit, document in CATALOG:
        authority = BUREAU if category in ("代收费", "伙食费") else AUTHORITY_PRICE
        lines += [f"  - item: {item}", f"    category: {category}", f"    stages: [{', '.join(stages)}]",
                  f"    ownership: [{', '.join(owners)}]"]
        if cap is not None:
            lines.append(f"    cap: {cap}")
        lines += [f"    unit: {unit}"] + CATALOG_EXTRA.get((item, stages[0], owners[0]), [])
        lines += ["    basis:", f"      authority: {authority}", f"      document: {q(document)}"]
    lines += BUS
    lines += private_approval(schools)
    lines += ["settlement:", "  deadline_days: 30", "  carry_over: [伙食费]",
              "  # 为学生代收代付的钱只能用于这些用途（供应商、明细写在括号里）；其他支出须经本局审核登记例外。",
              "  purposes:",
              "    - {applies_to: 代收费, allowed: [校服采购, 教材代购, 教辅材料代购, 代缴医保部门]}",
              "    - {applies_to: 伙食费, allowed: [食材, 燃料和水电, 炊具和餐具]}"]
    lines += ["forbidden:", "  - item: 午休管理费", "    synonyms: [午托管理费, 午休看护费]",
              f"    basis: {q('青石市教育局〔2025〕3号')}", "roster:"]
    for school in schools + missing:
        lines += [f"  - id: {school.id}", f"    county: {school.county}", f"    name: {school.name}"]
    return "\n".join(lines) + "\n"


def generate(out: Path, count: int, seed: int, make: Any = make_schools, *, every_result: bool = True) -> None:
    """Write the bureau to ``out``; ``make(count, rng)`` names the schools (scripts/generate_province.py
    passes real division names); without ``every_result``, oversight.yml has only the answered results."""
    rng = random.Random(seed)
    schools = make(count + 1, rng)
    missing = [schools.pop()]  # on the roster, no file: shows as 未提交
    counties = sorted({(s.county, s.county_name, s.area) for s in schools + missing}, key=lambda c: c[0])
    counties = [c for c in COUNTIES if c in counties] + [c for c in counties if c not in COUNTIES]
    if out.exists():
        for child in out.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
            elif child.suffix in (".yml", ".yaml"):
                child.unlink()
    out.mkdir(parents=True, exist_ok=True)
    (out / "policy.yml").write_text(policy_text(schools, counties, missing), encoding="utf-8")
    (out / "exceptions.yml").write_text(exceptions_text(schools), encoding="utf-8")
    positions: dict[tuple[str, int], list[School]] = {}
    for school in schools:
        for year in (2024, 2025):
            positions.setdefault((school.county, year), []).append(school)
    ranks: dict[str, dict[int, tuple[int, int]]] = {s.id: {} for s in schools}
    for (county, year), members in positions.items():
        order = list(members)
        random.Random(f"{seed}-{county}-{year}").shuffle(order)
        for rank, school in enumerate(order, start=1):
            ranks[school.id][year] = (rank, len(order))
    ratings = ["# 行风评议结果：评议机关的评价，由本局公布（学校文件中只写本校的整改措施）。", "evaluations:"]
    for school in schools:
        profile = "overdue" if school.index in (7, 29) else "late" if school.index == 12 else "ok"
        path = out / school.county / f"{school.id}.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(school_text(school, random.Random(f"{seed}-{school.id}"), profile, ranks[school.id], ratings),
                        encoding="utf-8")
    if not every_result:
        ratings = ratings[:2] + answered_results(ratings[2:], ranks)
    (out / "oversight.yml").write_text(oversight_text(schools) + "\n".join(ratings) + "\n", encoding="utf-8")


def answered_results(lines: list[str], ranks: dict[str, dict[int, tuple[int, int]]], year: int = 2025) -> list[str]:
    """The evaluation results of one year that a school's file answers (the bottom three of a county):
    a province's every result (71 MB at 100,000 schools) would be over a bureau file's 16 MB cap (Y001)."""
    kept: list[str] = []
    for entry in "\n".join(lines).split("\n  - school: ")[1:] if lines else []:
        school = entry.split("\n", 1)[0]
        rank, total = ranks[school][year]
        if f"year: {q(str(year))}" in entry and rank > total - 3:
            kept += ("  - school: " + entry).split("\n")
    return kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schools", type=int, default=48, help="number of school files (default 48)")
    parser.add_argument("--out", type=Path, default=Path("schools"), help="output folder (default schools)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--answered-results", action="store_true",
                        help="oversight.yml lists only the 2025 evaluation results the schools answer "
                             "(for 100,000 schools: all of them would be over a bureau file's 16 MB cap)")
    args = parser.parse_args()
    generate(args.out, args.schools, args.seed, every_result=not args.answered_results)
    print(f"wrote {args.schools} schools, policy.yml, exceptions.yml and oversight.yml to {args.out}")


if __name__ == "__main__":
    main()
