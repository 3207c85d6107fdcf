# Small bar charts as inline SVG, drawn at build time: no script, no web font, nothing fetched.
#
# Labels come from the bureau's file, so every piece of text is escaped here (SVG is markup); the
# numbers are ints. The same figures are always in a table next to the chart, for screen readers
# and for copying, so the chart is a picture of the table and nothing more.
from __future__ import annotations

from markupsafe import Markup, escape

_ROW = 44  # px per row: the label on a line of its own, the bar under it
_LABEL_CHARS = 18  # longer labels are cut with "…" (the table beside the chart has them whole)
_BAR = 220  # px for the longest bar
#: The chart's whole width: narrower than a 360 px phone's text column (328 px), so it is never
#: scaled down there and its 13 px labels stay 13 px (a scaled chart shrank them to 9-10 px).
WIDTH = 300


def _cut(label: str) -> str:
    return label if len(label) <= _LABEL_CHARS else label[:_LABEL_CHARS - 1] + "…"


def bars(rows: list[tuple[str, int]], title: str, unit: str = "件") -> Markup:
    """A horizontal bar chart of (label, value) rows, largest value = full width; each label sits
    on its own line above its bar, so the chart stays narrow enough for a phone at full size.

    >>> svg = bars([("违规补课", 5), ("<b>乱收费</b>", 6)], "按类别")
    >>> "<b>" in svg, "&lt;b&gt;乱收费" in svg, svg.count("<rect"), f'width="{WIDTH}"' in svg
    (False, True, 2, True)
    """
    if not rows:
        return Markup("")
    top = max(value for _, value in rows) or 1
    height = _ROW * len(rows) + 8
    parts = [f'<svg class="xw-chart" role="img" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
             f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>"]
    for index, (label, value) in enumerate(rows):
        y = 4 + index * _ROW
        length = round(_BAR * value / top) if value else 0
        parts += [f'<text x="0" y="{y + 14}">{escape(_cut(label))}</text>',
                  f'<rect x="0" y="{y + 20}" width="{max(length, 1)}" height="16" rx="2"></rect>',
                  f'<text x="{length + 6}" y="{y + 33}">{value} {escape(unit)}</text>']
    parts.append("</svg>")
    return Markup("".join(parts))
