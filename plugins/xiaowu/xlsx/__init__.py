"""Xlsx: the spreadsheet door into the same data and the same checks (`xiaowu xlsx`).

Bureaus collect fee tables as workbooks; this package writes a school's 收费公示表 workbook
(template.py, with lists.py for its drop-downs), reads a filled one back into that school's YAML
(workbook.py reads any producer's file, cells.py turns cells into YAML values and names the
spreadsheet accidents, importer.py assembles the term's entry, emit.py/splice.py write it into the
file, locate.py maps the checks' lines back to cells), writes the bureau's review workbook
(review.py) and imports the bureau's own 收费项目及标准表 into policy.yml (catalog.py).

Belongs here: carrying values between workbooks and the data files, and saying which cell a finding
belongs to. Not here: deciding what is lawful — the rules stay in rules/ and run through check/.
"""
