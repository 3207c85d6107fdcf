"""Check: one file, then the whole data folder, and the publication status of every school.

Belongs here: the per-file pipeline (document -> model -> rules), the bureau's three files, running
files in worker processes with a cache, the cross-file rules, and the compliance status and flags
computed against the build day.

Not here: the rules themselves (rules/), anything a page or an export shows (pages/, publish/),
anything that prints. Imports rules/, model/, read/ and findings/.
"""
