"""The face's pure parts: PHP-compatible encoders, money formatting, PHP's (int), error bodies."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from patron.core.errors import (
    AuthenticationFailed,
    AuthenticationRequired,
    Conflict,
    DomainError,
    ErrorCode,
    InvalidInput,
    NotFound,
    PermissionDenied,
    TooManyAttempts,
)
from patron.core.ports import OrderHistory, OrderRow
from patron.faces.abantecart import countries, schemas
from patron.faces.abantecart.errors import error_response, render_domain_error
from patron.faces.abantecart.transport import ApiCall, php_json, php_qs, php_xml
from tests.faces.abantecart.wire import GOLDEN


def test_json_is_php_json_encode() -> None:
    data = {"a/b": "x/y", "ö": "€ \u2028", "n": None, "t": True, "i": -1, "l": [], "c": "\x01\n"}
    assert php_json(data) == (
        '{"a\\/b":"x\\/y","\\u00f6":"\\u20ac \\u2028","n":null,"t":true,"i":-1,"l":[],'
        '"c":"\\u0001\\n"}'
    )
    assert php_json({"e": "\U0001f600"}) == '{"e":"\\ud83d\\ude00"}'


def test_xml_is_arests_xmlwriter_output() -> None:
    data = {
        "fields": {"x": {"value": None, "required": True, "opt": False, "n": 0}},
        "options": {"FALSE": "-", "1": "Yes", "0": "No", "01": "z"},
        "orders": [{"id": "5"}, {"id": "4"}],
        "empty": [],
        "text": '<a & "b">\r',
    }
    assert php_xml(data) == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<fields><x><value/><required>1</required><opt></opt><n>0</n></x></fields>"
        "<options><FALSE>-</FALSE><options1>Yes</options1><options0>No</options0><01>z</01>"
        "</options><orders><id>5</id><id>4</id></orders><empty/>"
        "<text>&lt;a &amp; &quot;b&quot;&gt;&#13;</text>"
    )


def test_query_strings_are_http_build_query() -> None:
    data = {"s": 0, "e": "Login attempt failed!", "n": None, "b": False, "f": {"a": {"t": "x y~"}}}
    assert php_qs(data) == ("s=0&e=Login+attempt+failed%21&b=0&f%5Ba%5D%5Bt%5D=x+y%7E")
    assert php_qs({"l": [], "o": ["a", "b"]}) == "o%5B0%5D=a&o%5B1%5D=b"


@pytest.mark.parametrize(
    ("text", "value"),
    [("FALSE", 0), ("", 0), (None, 0), ("223", 223), (" 12abc", 12), ("-3", -3), ("0x1A", 0)],
)
def test_php_int(text: str | None, value: int) -> None:
    assert schemas.php_int(text) == value


def _row(total: str, rate: str = "1", **kw: object) -> OrderRow:
    values: dict[str, object] = {
        "order_id": 1,
        "name": "",
        "status_name": None,
        "date_added": None,
        "line_count": 0,
        "total": Decimal(total),
        "currency_rate": Decimal(rate),
        "symbol_left": "$",
        "symbol_right": "",
        "decimal_place": 2,
        "decimal_point": ".",
        "thousand_point": ",",
        **kw,
    }
    return OrderRow(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("row", "shown"),
    [
        (_row("1234.5"), "$1,234.50"),
        (_row("-5"), "-$5.00"),
        (_row("-0.001"), "$0.00"),
        (_row("0.005"), "$0.01"),
        (_row("-0.005"), "-$0.01"),
        (_row("1000000", "0.7933", symbol_left="£"), "£793,300.00"),
        (_row("100", "0.9385", symbol_left="", symbol_right="€"), "93.85€"),
        (_row("1234567.5", decimal_place=0, thousand_point=" "), "$1 234 568"),
        (_row("1234.5", decimal_point=",", thousand_point="."), "$1.234,50"),
        (_row("10", "0"), "$10.00"),
    ],
)
def test_totals_are_formatted_like_acurrency(row: OrderRow, shown: str) -> None:
    assert schemas.format_total(row) == shown


def test_history_dates_are_month_day_year() -> None:
    row = _row("1", date_added=datetime(2026, 5, 7, 23, 59, tzinfo=UTC))
    body = schemas.history_body(OrderHistory(rows=[row], total=1), 20)
    assert body["orders"][0]["date_added"] == "05/07/2026"


def test_country_and_zone_data() -> None:
    us = countries.country(223)
    assert us is not None
    assert (us.iso2, us.name) == ("US", "United States")
    assert countries.zones_of(223)[3624] == "CA"
    assert countries.zones_of(8) == {}
    assert len(countries.countries()) == 243
    assert next(iter(countries.options().items())) == ("FALSE", " --- Please Select --- ")


def _call() -> ApiCall:
    return ApiCall(method="POST", query={}, form={}, origin=None, base_url="http://t/")


@pytest.mark.parametrize("code", list(ErrorCode))
def test_every_core_error_renders_in_this_face(code: ErrorCode) -> None:
    kinds: dict[ErrorCode, DomainError] = {
        ErrorCode.invalid_credentials: AuthenticationFailed("x", code=code),
        ErrorCode.authentication_required: AuthenticationRequired("x", code=code),
        ErrorCode.permission_denied: PermissionDenied("x", code=code),
        ErrorCode.too_many_attempts: TooManyAttempts("x", retry_after=7),
        ErrorCode.email_already_registered: Conflict("Email is already used", code=code),
        ErrorCode.login_name_taken: Conflict("taken", code=code),
        ErrorCode.admin_email_taken: Conflict("taken", code=code),
        ErrorCode.invalid_input: InvalidInput.one("email", "bad"),
        ErrorCode.invalid_token: AuthenticationRequired("x", code=code),
    }
    error = kinds.get(code, NotFound("x", code=code))
    response = render_domain_error(_call(), error)
    assert response.status_code in (400, 401, 429)
    assert response.headers["content-type"] == "application/json"
    assert response.body.startswith(b'{"')
    if code is ErrorCode.too_many_attempts:
        assert response.body == b'{"status":0,"error":"Too many attempts"}'
        assert response.headers["retry-after"] == "7"


def test_errors_outside_the_routes() -> None:
    assert error_response(405, "Method Not Allowed").body == b""
    response = error_response(500, "Internal server error (request id 1)")
    assert (response.status_code, response.body) == (
        500,
        b'{"error":"Internal server error (request id 1)"}',
    )


def test_every_golden_file_is_compared_somewhere() -> None:
    sources = "".join(path.read_text() for path in Path(__file__).parent.glob("test_*.py"))
    unused = [p.stem for p in GOLDEN.glob("*.txt") if f'"{p.stem}"' not in sources]
    assert unused == []
