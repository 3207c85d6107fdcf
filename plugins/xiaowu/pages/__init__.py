"""Pages: the public model of the site and its HTML, rendered through our own autoescaping Jinja2.

Belongs here: what each generated page shows (school, county, dashboard, catalog, oversight, data
page), the lines a parent can call, what changed since last term, charts, QR codes, URLs, the format
and rules reference pages; the templates, CSS, JS and theme overrides.

Not here: the open-data files and writing to disk (publish/), MkDocs itself (plugin.py). Imports
check/ and below.
"""
