"""Publish: what a build writes besides the pages, and the one way from a data folder to a site.

Belongs here: the open-data tables (built once per build, used for CSV, counts and the audit), JSON
records, feed and sitemap, the search index, writing files whole, the build's account of itself,
``build``/``finish`` (used by both the plugin and ``xiaowu export``) and the ``xiaowu new`` starter file.

Not here: page HTML (pages/), MkDocs (plugin.py), command-line handling (cli.py). Imports pages/ and below.
"""
