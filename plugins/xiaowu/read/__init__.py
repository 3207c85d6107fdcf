"""Read: a file's bytes -> checked plain values, the same way for every kind of data file.

Belongs here: the safe walk and read of the data folder, text decoding and forbidden characters, the
strict strings-only YAML loader and its line marks, the JSON Schema check (and its fast path), typed
field parsing (phones, amounts, dates, URLs, ids), the personal-data scan, and ``document.py``, the
one reader of school files, policy.yml, exceptions.yml and oversight.yml. Also the build day and the
git dates of files: inputs, read once.

Not here: the meaning of the values (model/), any rule that needs more than one field (rules/), or
anything about pages. Imports only findings/.
"""
