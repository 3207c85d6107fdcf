"""Rules: what is wrong with the data, one module per subject, as findings located on their lines.

Belongs here: the rules for a school's notices and fee items, its lines, evaluations, settlements and
identity (including the cross-file ones: unique ids and names, results the bureau published for a
school, which check/ applies once every file is read); the bureau's policy, exceptions and oversight;
applying the bureau's reviewed exceptions. Every finding is made from the rule table by its code and
variant, with named fields.

Not here: loading files (read/), walking the data folder or running files (check/), time-dependent
status (model/ and check/status.py). Imports model/, read/ and findings/.
"""
