# The form's input patterns: the canonical spellings of the values the checker (fields.py) accepts.
#
# Each is a regular expression that means the same in Python and in the browser (ASCII classes
# only, no \d, no flags), so the editor refuses at once what `xiaowu check` would refuse later.
# The checker is more lenient (full-width digits, spaces, "(0712)"); the form asks for the one
# spelling that every example file uses. tests/test_editor_config.py checks both agree.
from __future__ import annotations

from typing import NamedTuple


class Pattern(NamedTuple):
    regex: str
    message: str  # shown under the field by the editor, in Chinese


_SERVICE = "12345|12315|12388|12358|110|120|119|12110"
_MOBILE = r"(?:\+86 ?)?1[3-9][0-9]{9}"
_LANDLINE = "0(?:10|2[0-9])-?[1-9][0-9]{7}|0[3-9][0-9]{2}-?[1-9][0-9]{6,7}"
_CORPORATE = "(?:400|800)-?[0-9]{3}-?[0-9]{4}|9[56][0-9]{3,6}"
_EXTENSION = " ?(?:转|分机) ?[0-9]{1,6}"

PHONE = Pattern(
    f"^(?:{_SERVICE}|{_MOBILE}|{_LANDLINE}|{_CORPORATE})(?:{_EXTENSION})?$",
    "电话号码格式不对：座机写区号和号码，如 0712-1234567；手机写 11 位；分机写“转 801”。",
)
# Month lengths and leap years in the pattern itself, so 2026-02-30 is refused like date.fromisoformat.
_MONTH_DAY = ("(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
              "|02-(?:0[1-9]|1[0-9]|2[0-8]))")
_LEAP_YEAR = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)"
DATE = Pattern(
    f"^(?!0000)(?:[0-9]{{4}}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)$",
    "日期写成 年-月-日，如 2026-09-01，并确认这一天存在。",
)
AMOUNT = Pattern(
    r"^[0-9]{1,7}(?:\.[0-9]{1,2})?$",
    "金额只写数字，最多两位小数，如 290 或 85.5；不要写“元”、逗号或“万”。",
)
INTEGER = Pattern("^[0-9]{1,9}$", "只写整数，如 1200。")
DECIMAL = Pattern(r"^[0-9]{1,3}(?:\.[0-9]{1,2})?$", "只写数字，最多两位小数，不写“%”，如 96.5。")
URL = Pattern(
    "^https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][^\\s\"'<>`\\\\]*)?$",
    "网址以 http:// 或 https:// 开头，不含空格和引号，如 https://www.example.edu.cn/。",
)
YEAR = Pattern("^[0-9]{4}$", "年度写 4 位数字，如 2026。")

#: x-format in the school schema → the pattern of its field.
BY_FORMAT: dict[str, Pattern] = {
    "phone": PHONE, "date": DATE, "amount": AMOUNT, "integer": INTEGER, "decimal": DECIMAL, "url": URL,
}
