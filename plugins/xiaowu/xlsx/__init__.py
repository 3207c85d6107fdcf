# The spreadsheet door into the same data and the same checks (`xiaowu xlsx`).
#
# Bureaus collect fee tables as workbooks; this sub-package writes a school's 收费公示表 workbook
# (template.py, with lists.py for its drop-downs), reads a filled one back into that school's YAML
# (workbook.py reads any producer's file, cells.py turns cells into YAML values and names the
# spreadsheet accidents, importer.py assembles the term's entry, emit.py/splice.py write it into the
# file, locate.py maps the checks' lines back to cells), writes the bureau's review workbook
# (review.py) and imports the bureau's own 收费项目及标准表 into policy.yml (catalog.py).
# Nothing here decides what is lawful: the rules stay in the core; this package only carries
# values in and out and says which cell a finding belongs to.
