# The build day: every status (late, overdue, expired) is computed against it, so it must be right
# and reproducible: --today, else SOURCE_DATE_EPOCH, else the clock.
from __future__ import annotations

import os
from datetime import UTC, date, datetime


class BadDate(ValueError):
    """A date from the command line or the environment that cannot be used; the message says why."""


#: SOURCE_DATE_EPOCH beyond this (year 9999) cannot be a real build date.
_MAX_EPOCH = 253402214400


def resolve_today(value: str | None = None, environ: dict[str, str] | None = None) -> date:
    """``--today`` wins, then SOURCE_DATE_EPOCH (reproducible builds), then the clock.

    A value that is set but unusable is an error (BadDate, one clear Chinese message), never
    silently replaced by the clock: a build dated wrongly would publish wrong statuses.

    >>> resolve_today("2026-09-01")
    datetime.date(2026, 9, 1)
    >>> resolve_today(None, {"SOURCE_DATE_EPOCH": "1788220800"})
    datetime.date(2026, 9, 1)
    >>> resolve_today(None, {"SOURCE_DATE_EPOCH": "abc"})
    Traceback (most recent call last):
    ...
    xiaowu.read.today.BadDate: 环境变量 SOURCE_DATE_EPOCH 应为从 1970-01-01 起的秒数（整数），这里是“abc”
    """
    if value:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise BadDate(f"--today 应写成 2026-09-01 这样的日期，这里是“{value[:40]}”") from None
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH")
    if epoch is None or not epoch.strip():
        return date.today()
    text = epoch.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 15 or int(text) > _MAX_EPOCH:
        raise BadDate(f"环境变量 SOURCE_DATE_EPOCH 应为从 1970-01-01 起的秒数（整数），这里是“{text[:40]}”")
    return datetime.fromtimestamp(int(text), tz=UTC).date()
