# What the complaints-and-inspections page shows besides its template: the charts (drawn here, as
# SVG) and the totals of the bureau's refund orders, from the site model.
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from xiaowu.pages.chart import bars
from xiaowu.pages.site import Site


def oversight_context(site: Site) -> dict[str, Any]:
    """The charts (drawn here, as SVG) and the totals of the complaints-and-inspections page."""
    oversight, today = site.oversight, site.today
    periods = oversight.ordered_periods()
    category_chart = trend_chart = Markup("")
    if periods:
        latest = periods[0]
        if latest.partial != "是":  # a chart of the few categories a notice named would read as all
            category_chart = bars([(c.name, c.count) for c in latest.categories if c.count is not None],
                                  f"{latest.label}投诉举报按类别")
        same = [p for p in reversed(periods) if p.kind == latest.kind and p.received is not None]
        if len(same) > 1:
            trend_chart = bars([(p.label, p.received or 0) for p in same[-8:]], "各期受理件数")
    states = [(r, r.state(today)) for r in oversight.refunds]
    summary = {"ordered": sum((r.amount for r in oversight.refunds if r.amount is not None), Decimal(0)),
               "refunded": sum((r.refunded for r, s in states if r.refunded is not None and s == "done"), Decimal(0)),
               "done": sum(1 for _, s in states if s == "done"),
               "late": sum(1 for _, s in states if s == "late"),
               "unknown": sum(1 for r in oversight.refunds if r.amount is None)}
    inspections = sorted(oversight.inspections, key=lambda x: (x.held or date.min, x.school or x.school_name),
                         reverse=True)
    return {"category_chart": category_chart, "trend_chart": trend_chart, "refund_summary": summary,
            "inspections": inspections}
