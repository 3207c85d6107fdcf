# The rule table, read from rules.yml: every finding's code, severity, Chinese sentences (one per shape
# of the finding, with named fields), how to fix it and its basis.
#
# rules.yml is the single place where rule wording lives; the CLI, the MkDocs build, the rules page
# and the clerk guide all read it through RULES. Codes are stable: never renumber, only add or retire.
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class Rule:
    """One rule. ``message`` is a whole Chinese sentence with named fields; a rule that is found in
    several shapes has one sentence per shape in ``variants`` (name -> message, or (message, help)),
    chosen by the finding, so no sentence is ever assembled at a call site."""

    code: str
    severity: str  # "error" | "warning"
    title: str
    message: str
    help: str
    basis: str
    #: Whether a school may record a reviewed exception to this rule.
    waivable: bool = False
    variants: Mapping[str, str | tuple[str, str]] = field(default_factory=dict)

    def wording(self, variant: str = "") -> tuple[str, str]:
        """The (message, help) templates of one shape of the finding ("" = the rule's own).

        >>> RULES["S113"].wording("term_end")[0]
        '学期结束早于开学'
        """
        if not variant:
            return self.message, self.help
        chosen = self.variants[variant]
        return (chosen, self.help) if isinstance(chosen, str) else chosen

    @property
    def help_text(self) -> str:
        """The help without the per-finding details (placeholders become "…").

        >>> RULES["Y001"].help_text
        '一所学校一个文件，正常不会超过 … 字节；请检查是否粘贴了大段无关内容'
        """
        return re.sub(r"\{[a-z_]+\}", "…", self.help).replace("{{", "{").replace("}}", "}")


def _variant(value: Any) -> str | tuple[str, str]:
    return value if isinstance(value, str) else (value["message"], value["help"])


def _load() -> tuple[dict[str, Rule], dict[str, tuple[str, str]]]:
    # Our own file, shipped with the package (not clerk input): PyYAML's safe loader is enough here.
    text = resources.files("xiaowu").joinpath("findings/rules.yml").read_text("utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    bases: dict[str, str] = data["bases"]
    rules = {entry["code"]: Rule(entry["code"], entry["severity"], entry["title"], entry["message"], entry["help"],
                                 bases[entry["basis"]], bool(entry.get("waivable", False)),
                                 {k: _variant(v) for k, v in (entry.get("variants") or {}).items()})
             for entry in data["rules"]}
    common = {code: (pair[0], pair[1]) for code, pair in data["common_errors"].items()}
    return rules, common


RULES, COMMON_ERRORS = _load()
"""RULES: code -> Rule, in the rules page's order. COMMON_ERRORS: the problems school clerks meet
most, in the order the clerk guide shows them, each with a wrong line and the corrected line."""


def rule_url(code: str) -> str:
    """Where the rules page explains a code, relative to the site root.

    >>> rule_url("F207")
    'rules/#F207'
    """
    return f"rules/#{code}"
