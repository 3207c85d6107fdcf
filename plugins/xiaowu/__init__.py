"""xiaowu: validate and publish Chinese schools' affairs and fee disclosures (校务公开)."""

__version__ = "0.1.0"
