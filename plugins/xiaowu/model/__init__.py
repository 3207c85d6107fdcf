"""Model: frozen typed objects built once from the checked trees, and the state of each thing.

Belongs here: a school (profile, notices, fee items, lines, evaluations, settlements), the bureau's
policy and catalog, its oversight (complaint figures, inspections, refunds); whatever can be computed
from them alone and must mean one thing everywhere: totals, 办结率, year on year, a refund's or a
rectification's state on a day, the terms still to settle, "this term's notice"; how an amount is
written; the one serialiser (``record``).

Not here: findings about the data (rules/), reading files (read/), or the layout of a page (pages/);
a status may carry its reasons in words (a late settlement says by how many days), since the
dashboard, the CLI and the exports all show the same sentence. Imports only read/ and findings/.
"""
