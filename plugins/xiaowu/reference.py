# Reference pages generated from the single sources of truth: the data format (from the JSON
# Schema) and the rules (from the rule table). Rendered with an autoescaping Jinja2 environment.
from __future__ import annotations

from typing import Any

from jinja2 import Environment

from .rules import RULES
from .schema import load_schema, resolve

_ENV = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)

_FORMAT = _ENV.from_string("""# 数据格式

{{ school.description }} 文件位置：`schools/<县区代号>/<学校代号>.yml`。

{% for section in sections %}
## {{ section.title }}（{{ section.path }}）

{{ section.description }}

<div class="xw-table-wrap">
<table class="xiaowu-format">
<caption>{{ section.title }}的字段</caption>
<thead><tr><th scope="col">字段</th><th scope="col">名称</th><th scope="col">必填</th><th scope="col">说明</th></tr></thead>
<tbody>
{% for f in section.fields %}
<tr><th scope="row"><code>{{ f.key }}</code></th><td data-label="名称">{{ f.title }}</td><td data-label="必填">{{ "是" if f.required else "否" }}</td><td data-label="说明">{{ f.description }}{% if f.enum %} 可选：{{ f.enum | join("、") }}。{% endif %}</td></tr>
{% endfor %}
</tbody>
</table>
</div>

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
    required = set(schema.get("required", [])) | set(schema.get("x-required-by-rules", []))
    fields = []
    nested = []
    for key, sub in schema.get("properties", {}).items():
        sub = resolve(sub, root)
        fields.append({"key": key, "title": sub.get("title", ""), "required": key in required,
                       "description": sub.get("description", ""), "enum": sub.get("enum")})
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
    return _FORMAT.render(school=root, sections=sections)


def rules_page() -> str:
    """Every rule code with its meaning, how to fix it and its basis; anchors are the codes."""
    rules = [
        {"code": r.code, "severity": r.severity, "title": r.title, "basis": r.basis, "waivable": r.waivable,
         "help_text": r.help_text}
        for r in RULES.values()
    ]
    return _RULES.render(rules=rules)
