"""Editor: the clerks' form editor at /admin/ (Decap CMS), a door into the same files and checks.

Belongs here: its configuration generated from the school schema and policy.yml (config.py,
widgets.py, patterns.py, backend.py), the installed bundle (assets.py) and the one entry point the
MkDocs plugin calls after a build (site.write_admin). How a value is written as YAML so the editor
and our own writers agree is publish/canonical.py.

Not here: any rule (a saved file goes through the same checks in CI), MkDocs imports, or anything that
widens who may change what: a clerk's save is a commit by the clerk's own account.
"""
