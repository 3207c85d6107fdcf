# The bureau's term calendar (policy.yml `terms`): each term's dates and its publication deadline.
from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Term:
    id: str
    name: str
    start: date
    end: date
    publish_by: date
