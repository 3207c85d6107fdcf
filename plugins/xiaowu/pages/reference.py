# Reference pages generated from the single sources of truth: the data format (from the JSON
# Schema) and the rules (from the rule table). Rendered with an autoescaping Jinja2 environment.
from __future__ import annotations

from typing import Any

from jinja2 import Environment

from xiaowu.model.units import PRICING_WORDS
from xiaowu.findings.table import RULES
from xiaowu.pages.words import keep_words, whole_pattern
from xiaowu.read.schema import load_schema, resolve

#: When each pricing mode is used, in the clerk's words.
_MODE_USE = {
    "固定标准": "批准了具体金额的项目（不写 pricing 即为固定标准）",
    "限价内自定": "本局核定上限、学校在上限内自定金额的项目（须写金额，不得超过上限）",
    "据实收取": "按实际发生的费用收取的代收费，如社会实践活动的门票、交通费",
    "以支定收": "按实际支出核定、不盈利的服务，如课后托管、校车",
    "按教材定价": "教材、作业本等按出版定价收取",
    "按招标价": "校服等通过公开招标确定价格的项目",
    "学校自主定价": "本局目录写明由学校自主定价、报主管部门备案的项目或档次（如公寓化管理宿舍）：须写金额，依据写学校的定价或备案文件",
}

_ENV = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)

_FORMAT = _ENV.from_string("""{% macro fields_table(section) %}
<div class="xw-table-wrap">
<table class="xiaowu-format">
<caption>{{ section.title }}的字段</caption>
<thead><tr><th scope="col">字段</th><th scope="col">名称</th><th scope="col">必填</th><th scope="col">说明</th></tr></thead>
<tbody>
{% for f in section.fields %}
<tr><th scope="row"><code>{{ f.key }}</code></th><td data-label="名称">{{ f.title }}</td><td data-label="必填">{{ f.required }}</td><td data-label="说明">{{ f.description }}{% if f.enum %} 可选：{{ f.enum | join("、") }}。{% endif %}{% if f.approval %}（{{ f.approval | join("、") }}须本局收费目录允许）{% endif %}</td></tr>
{% endfor %}
</tbody>
</table>
</div>
{% endmacro %}
# 数据格式

{{ school.description }} 文件位置：`schools/<县区代号>/<学校代号>.yml`。

{% for section in sections %}
## {{ section.title }}（{{ section.path }}）

{{ section.description }}

{{ fields_table(section) }}

{% endfor %}
## 收费标准怎么写：定价方式、档次和收费周期

各地批准的收费标准写法不同，照批准文件和本局收费目录（网站“收费目录”页）填写即可：

**定价方式（`pricing`）**：不写即为固定标准，填写金额 `amount`。没有固定金额的，写明定价方式，网站上按下表显示；写了金额的，表示预收金额，学期末按定价方式结算：

<div class="xw-table-wrap">
<table class="xiaowu-format">
<caption>定价方式及网站上的显示</caption>
<thead><tr><th scope="col">定价方式</th><th scope="col">什么时候用</th><th scope="col">网站上显示</th></tr></thead>
<tbody>
{% for mode, use, words in modes %}
<tr><th scope="row">{{ mode }}</th><td data-label="什么时候用">{{ use }}</td><td data-label="网站上显示">{{ words }}</td></tr>
{% endfor %}
</tbody>
</table>
</div>

**档次（`tier`）**：本局目录按档次定上限的项目（如宿舍分“未改建宿舍”“公寓化管理宿舍”，高中分“省级示范高中”“其他普通高中”），学校必须写明本校适用的档次，名称与目录一致；检查按这一档的上限核对，不会按最高档。同一项目按年级分别定标准时，也用 `tier` 写年级（如“一、二年级”），每个年级写一项。

**收费周期（`billing_period`）**：不写时按计费单位理解（如“元/生·学期”即按学期）。教育收费按学期收取，不得跨学期预收；按学年收取（如部分民办学校学费）、按年缴纳（如城乡居民基本医疗保险）的，须本局在目录中写明允许，否则检查报 F212。

**民办学校**：民办学校经批准的学费、住宿费，类别写“民办学校收费”，不属于自愿项目，`voluntary` 可写“否”或不写。服务性收费、代收费、伙食费仍须写明自愿。

**收费依据（`basis`）**：照批准文件原文写批准机关和文号，文号的年份用〔〕【】[] 或圆括号括起来都可以，几个文号用顿号隔开；原文只有文件名称、没有文号的，写在 `title` 中（检查会提醒查询文号）。不要写“无”“原文未列”等占位文字。

**投诉渠道（`complaint_channels`）**：写电话名称或 12345 等号码；也可以写举报邮箱或网上举报网址，网站上显示为可点击的链接。

## 收费结算怎么写（settlements）

学期结束后，该学期收费公示中的每个代收费、伙食费、课后服务费项目都要结算公示（本局另行规定的项目也要），期限见“收费目录”页。每个项目写一条，项目名称与该学期公示中的一致：

- **收入** = 上期结转（`carried_in`）+ 收取金额（`collected`）+ 其他收入（`subsidy`，如财政补助）；
- **去向** = 各项支出（`spending`，逐项写用途和金额，合计由网站计算）+ 退还（`refunded`）+ 结转下学期（`carried`）；
- 两边必须相等，差一分钱也会报 M801。结余要退还学生；只有本局允许结转的项目（如伙食费）可以写 `carried`。支出多于收入的（如食堂亏损），写超支金额 `shortfall` 和由谁承担 `shortfall_covered_by`；
- 代收费只能用于代购代付，支出中不能有管理费、手续费、劳务费（M803）；收取金额不能超过公示标准 × 缴费人数（M805）；
- 写了每生退费和退费人数的，两者相乘要等于退还金额（M806）；
- 不写学生姓名、学号：结算、减免、退费名单只写人数和金额（P504）。

逾期没有结算公示的，不算错误，会在学校页面和“公开情况”页上显示“结算逾期”。

## 本局文件：投诉举报和检查（schools/oversight.yml）

这个文件只有本局维护人员可以修改。学校页面上的“检查和清退”、网站的“投诉举报和检查”页都来自这里；学校文件中写 `refunds`、`inspections` 会报 X705。

{% for section in oversight %}
### {{ section.title }}（{{ section.path }}）

{{ section.description }}

{{ fields_table(section) }}

{% endfor %}
""")

_RULES = _ENV.from_string("""# 检查规则

每条问题都有固定的规则代码。“错误”会阻止该校资料发布；“警告”提醒改进，只在严格模式下算不通过。

<div class="xw-table-wrap">
<table class="xiaowu-rules">
<caption>全部规则</caption>
<thead><tr><th scope="col">代码</th><th scope="col">级别</th><th scope="col">问题</th><th scope="col">怎么改</th><th scope="col">依据</th></tr></thead>
<tbody>
{% for r in rules %}
<tr id="{{ r.code }}"><th scope="row"><code>{{ r.code }}</code></th><td data-label="级别">{{ "错误" if r.severity == "error" else "警告" }}</td><td data-label="问题">{{ r.title }}</td><td data-label="怎么改">{{ r.help_text }}</td><td data-label="依据">{{ r.basis }}{% if r.waivable %}（可登记经审核的例外）{% endif %}</td></tr>
{% endfor %}
</tbody>
</table>
</div>
""")


def _sections(schema: dict[str, Any], root: dict[str, Any], path: str, out: list[dict[str, Any]]) -> None:
    schema = resolve(schema, root)
    if schema.get("type") == "array":
        _sections(schema.get("items", {}), root, path + "[]", out)
        return
    if schema.get("type") != "object":
        return
    required = set(schema.get("required", []))
    by_rules = set(schema.get("x-required-by-rules", []))
    fields = []
    nested = []
    for key, sub in schema.get("properties", {}).items():
        sub = resolve(sub, root)
        needed = "是" if key in required else "视情况" if key in by_rules or sub.get("x-required-when") else "否"
        fields.append({"key": key, "title": sub.get("title", ""), "required": needed,
                       "description": sub.get("description", ""), "enum": sub.get("enum"),
                       "approval": sub.get("x-needs-approval")})
        target = resolve(sub.get("items", {}), root) if sub.get("type") == "array" else sub
        if target.get("type") == "object":
            nested.append((key, sub))
    out.append({"title": schema.get("title", "文件"), "path": path or "文件顶层",
                "description": schema.get("description", ""), "fields": fields})
    for key, sub in nested:
        _sections(sub, root, f"{path}.{key}" if path else key, out)


def format_page() -> str:
    """The data-format reference, one table per mapping of school.schema.json."""
    root = load_schema("school")
    sections: list[dict[str, Any]] = []
    _sections(root, root, "", sections)
    bureau = load_schema("oversight")
    oversight: list[dict[str, Any]] = []
    _sections(bureau, bureau, "", oversight)
    return keep_words(_FORMAT.render(school=root, sections=sections, oversight=oversight[1:], modes=[
        (mode, _MODE_USE[mode], PRICING_WORDS[mode] or "金额和计费单位，如“290 元/生·学期”") for mode in PRICING_WORDS]), whole_pattern(()))


def rules_page() -> str:
    """Every rule code with its meaning, how to fix it and its basis; anchors are the codes."""
    rules = [
        {"code": r.code, "severity": r.severity, "title": r.title, "basis": r.basis, "waivable": r.waivable,
         "help_text": r.help_text}
        for r in RULES.values()
    ]
    return keep_words(_RULES.render(rules=rules), whole_pattern(()))
