"""Findings: the rule table and the diagnostic record, the vocabulary every other layer speaks.

Belongs here: every rule code with its severity, its Chinese sentences (one per shape of the finding,
with named fields), how to fix it and its basis; the Diagnostic record and how it is made and capped.

Not here: deciding whether something is wrong (rules/), reading files (read/), or printing findings
(report.py). Nothing here imports another layer of the package.
"""
