"""Typed field parsers and the personal-data scan."""
from __future__ import annotations

from decimal import Decimal

import pytest

from xiaowu.read.fields import Phone, parse_amount, parse_date, parse_phone, parse_url, valid_id
from xiaowu.read.pii import scan, valid_resident_id


@pytest.mark.parametrize("raw, number, kind", [
    ("0712-1234567", "0712-1234567", "landline"),
    ("07121234567", "0712-1234567", "landline"),
    ("010-12345678", "010-12345678", "landline"),
    ("(0755)12345678", "0755-12345678", "landline"),
    ("０７１２－１２３４５６７", "0712-1234567", "landline"),   # full-width digits and dash
    ("0712—1234567", "0712-1234567", "landline"),              # em dash
    ("13812345678", "13812345678", "mobile"),
    ("+86 138 1234 5678", "13812345678", "mobile"),
    ("400-123-4567", "400-123-4567", "corporate"),
    ("12345", "12345", "service"),
    ("12315", "12315", "service"),
])
def test_valid_phones(raw: str, number: str, kind: str) -> None:
    phone = parse_phone(raw)
    assert isinstance(phone, Phone) and (phone.number, phone.kind) == (number, kind)


def test_extension_and_tel_uri() -> None:
    phone = parse_phone("0712-1234567 转 801")
    assert isinstance(phone, Phone) and phone.extension == "801" and phone.tel_uri == "tel:07121234567,801"


@pytest.mark.parametrize("raw", ["1234567", "021-1234567", "0712-123", "电话", "1381234567", "12345678901234"])
def test_invalid_phones(raw: str) -> None:
    assert isinstance(parse_phone(raw), str)


@pytest.mark.parametrize("raw, expected", [
    ("120", Decimal("120")), ("85.50", Decimal("85.50")), ("１２０", Decimal("120")),
    ("1,200", None), ("1，200", None), ("¥120", None), ("120元", None), ("1.5万", None),
    ("1e3", None), (".inf", None), ("0.125", None), ("-5", None),
])
def test_amounts(raw: str, expected: Decimal | None) -> None:
    assert parse_amount(raw) == expected


def test_amounts_add_exactly() -> None:
    amounts = [parse_amount("0.1"), parse_amount("0.2")]
    assert sum(a for a in amounts if a is not None) == Decimal("0.3")


@pytest.mark.parametrize("raw, ok", [("2026-03-01", True), ("2026-02-30", False), ("2026-3-1", False),
                                     ("2026/03/01", False), ("２０２６-０３-０１", True)])
def test_dates(raw: str, ok: bool) -> None:
    assert (not isinstance(parse_date(raw), str)) == ok


@pytest.mark.parametrize("raw", [
    "javascript:alert(1)", "java\tscript:alert(1)", " javascript:alert(1)", "data:text/html,x", "//evil.example",
    "https://u:p@host.example", 'https://x" onmouseover="alert(1)', "ftp://host.example/", "https://", "http:/x",
])
def test_urls_refused(raw: str) -> None:
    assert parse_url(raw) is None


def test_urls_accepted() -> None:
    assert parse_url("https://jyj.example.gov.cn/a/b.html?x=1#y") is not None
    assert parse_url("http://127.0.0.1:8000/") is not None


@pytest.mark.parametrize("raw, ok", [
    ("qs-yizhong", True), ("a", True), ("a1-b2", True),
    ("../x", False), ("/etc/passwd", False), ("..\\..\\Windows\\x", False), ("CON", False), ("con", False),
    ("nul", False), ("lpt1", False), ("SZYZ", False), ("深圳一中", False), ("szyz\x00", False), ("-a", False),
    ("a-", False), ("a" * 65, False), ("", False),
])
def test_ids(raw: str, ok: bool) -> None:
    assert valid_id(raw) == ok


def test_resident_id_checksum() -> None:
    assert valid_resident_id("11010519491231002X")
    assert not valid_resident_id("110105194912310021")  # wrong check digit
    assert not valid_resident_id("110105194902300028")  # 30 February


@pytest.mark.parametrize("text, codes", [
    ("身份证 11010519491231002X", ["P501"]),
    ("学籍号 G11010519491231002X", ["P501"]),
    ("１１０１０５１９４９１２３１００２Ｘ", ["P501"]),
    ("1101 0519 4912 3100 2X", ["P501"]),
    ("联系 138-1234-5678", ["P502"]),
    ("联系 +86 13812345678", ["P502"]),
    ("学生：李小明", ["P503"]),
    ("张三同学家长反映", ["P503"]),
    ("文号 青发改收费〔2024〕12号，金额 123456789012345678 元", []),  # fails the checksum
    ("家庭经济困难学生由家长向学校申请", []),
    ("全体同学", []),
])
def test_personal_data_scan(text: str, codes: list[str]) -> None:
    assert [f.code for f in scan(text)] == codes


def test_mobile_allowed_in_phone_fields() -> None:
    assert scan("13812345678", allow_mobile=True) == []
