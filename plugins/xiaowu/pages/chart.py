# Small bar charts as inline SVG, drawn at build time: no script, no web font, nothing fetched.
#
# Labels come from the bureau's file, so every piece of text is escaped here (SVG is markup); the
# numbers are ints. The same figures are always in a table next to the chart, for screen readers
# and for copying, so the chart is a picture of the table and nothing more.
from __future__ import annotations

from markupsafe import Markup, escape

_ROW = 30  # px per bar
_LABEL_CHARS = 9  # longer labels are cut with "…" (the table beside the chart has them whole)
_CHAR = 14  # px per CJK character at the chart's font size
_BAR = 260  # px for the longest bar


def _cut(label: str) -> str:
    return label if len(label) <= _LABEL_CHARS else label[:_LABEL_CHARS - 1] + "…"


def bars(rows: list[tuple[str, int]], title: str, unit: str = "件") -> Markup:
    """A horizontal bar chart of (label, value) rows, largest value = full width.

    >>> svg = bars([("违规补课", 5), ("<b>乱收费</b>", 6)], "按类别")
    >>> "<b>" in svg, "&lt;b&gt;乱收费" in svg, svg.count("<rect")
    (False, True, 2)
    """
    if not rows:
        return Markup("")
    label_width = _CHAR * min(_LABEL_CHARS, max(len(_cut(label)) for label, _ in rows)) + 8
    top = max(value for _, value in rows) or 1
    width = label_width + _BAR + 70
    height = _ROW * len(rows) + 8
    parts = [f'<svg class="xw-chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>"]
    for index, (label, value) in enumerate(rows):
        y = 4 + index * _ROW
        length = round(_BAR * value / top) if value else 0
        parts += [f'<text x="{label_width - 8}" y="{y + 19}" text-anchor="end">{escape(_cut(label))}</text>',
                  f'<rect x="{label_width}" y="{y + 4}" width="{max(length, 1)}" height="{_ROW - 10}" rx="2"></rect>',
                  f'<text x="{label_width + length + 6}" y="{y + 19}">{value} {escape(unit)}</text>']
    parts.append("</svg>")
    return Markup("".join(parts))


def columns(rows: list[tuple[str, int]], title: str, unit: str = "件") -> Markup:
    """A column chart of (label, value) rows in time order (oldest on the left).

    >>> columns([("2025 年第一季度", 20), ("2026 年第一季度", 13)], "受理件数").count("<rect")
    2
    """
    if not rows:
        return Markup("")
    step, chart, base = 76, 150, 190
    top = max(value for _, value in rows) or 1
    width = step * len(rows) + 16
    parts = [f'<svg class="xw-chart" role="img" viewBox="0 0 {width} {base + 44}" width="{width}" height="{base + 44}" '
             f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>",
             f'<line x1="8" y1="{base}" x2="{width - 8}" y2="{base}"></line>']
    for index, (label, value) in enumerate(rows):
        x = 16 + index * step
        height = round(chart * value / top) if value else 0
        year, _, rest = label.partition(" 年")
        parts += [f'<rect x="{x}" y="{base - max(height, 1)}" width="{step - 28}" height="{max(height, 1)}" rx="2"></rect>',
                  f'<text x="{x + (step - 28) / 2}" y="{base - height - 6}" text-anchor="middle">{value}</text>',
                  f'<text x="{x + (step - 28) / 2}" y="{base + 18}" text-anchor="middle">{escape(year)}</text>',
                  f'<text x="{x + (step - 28) / 2}" y="{base + 36}" text-anchor="middle">{escape(rest or unit)}</text>']
    parts.append("</svg>")
    return Markup("".join(parts))
