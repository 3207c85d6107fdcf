# The complaint lines a page shows, official ones first and marked, then the school's own; and the
# complaint mailboxes and web forms a disclosure names.
from __future__ import annotations

import functools
from dataclasses import dataclass

from xiaowu.model import school as model
from xiaowu.model.policy import Line, Policy
from xiaowu.model.school import Disclosure
from xiaowu.read.fields import SERVICE_NUMBERS, Phone
from xiaowu.rules.hotlines import written_channel


@dataclass(frozen=True)
class PublicLine:
    """A line as a page shows it: name, number, tel: link, hours, and whose line it is."""

    name: str
    number: str
    tel: str
    hours: str
    kind: str

    @property
    def official(self) -> bool:
        """The bureau's or a national line (from policy.yml or a service number), not the school's."""
        return self.kind != "学校"

    @property
    def badge(self) -> str:
        """Whose line it is, in words a parent reads next to the number."""
        if self.kind == "学校":
            return "本校电话"
        if self.kind == "教育局":
            return "教育主管部门"
        return "全国统一服务号码" if self.number.split(" ")[0] in SERVICE_NUMBERS else "政府部门"


def _phone_hotline(name: str, phone: Phone | None, hours: str, kind: str) -> PublicLine | None:
    if phone is None:
        return None
    # "12345 政务服务便民热线" is shown beside its number: say the name once, not "12345 12345 …".
    if name.startswith(phone.number) and name[len(phone.number):].strip():
        name = name[len(phone.number):].strip()
    return PublicLine(name or SERVICE_NUMBERS.get(phone.number, phone.number), str(phone), phone.tel_uri, hours, kind)


def policy_hotlines(policy: Policy) -> list[PublicLine]:
    return list(_official(policy.hotlines))


@functools.lru_cache(maxsize=8)
def _official(hotlines: tuple[Line, ...]) -> tuple[PublicLine, ...]:
    """The same lines for every school page (each page held its own copies: 80,000 at 20,000 schools)."""
    lines = [_phone_hotline(line.name, line.phone, line.hours, line.kind) for line in hotlines]
    return tuple(h for h in lines if h)


def page_hotlines(data: model.School, headline: Disclosure | None, policy: Policy) -> list[PublicLine]:
    """The bureau's and national lines first (from policy.yml, marked as such), then the service
    numbers the disclosure names, then the school's own lines. A school line can never come first
    or take an official line's place: the first line with a number wins."""
    found = policy_hotlines(policy)
    for name in headline.complaint_channels if headline else ():
        resolved = policy.resolve_channel(name, data.hotlines)
        if resolved and resolved[1] and resolved[0] == "服务号码":
            phone = resolved[1]
            found.append(PublicLine(SERVICE_NUMBERS.get(phone.number, name), str(phone), phone.tel_uri, "", "服务号码"))
    found += [h for h in (_phone_hotline(h.name, h.phone, h.hours, "学校") for h in data.hotlines) if h]
    seen: set[str] = set()
    unique = []
    for hotline in found:
        if hotline.tel not in seen:
            seen.add(hotline.tel)
            unique.append(hotline)
    return unique


def written_channels(headline: Disclosure | None) -> tuple[tuple[str, str], ...]:
    out = []
    for name in headline.complaint_channels if headline else ():
        kind = written_channel(name)
        if kind == "email":
            out.append((name.strip(), "mailto:" + name.strip()))
        elif kind == "web":
            out.append((name.strip(), name.strip()))
    return tuple(out)
