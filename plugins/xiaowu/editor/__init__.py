# The clerks' form editor at /admin/ (Decap CMS): its configuration generated from the school schema
# and policy.yml (config.py, widgets.py, patterns.py, backend.py), the installed bundle (assets.py), and
# the one entry point the MkDocs plugin calls after a build (site.write_admin). No MkDocs imports here.
