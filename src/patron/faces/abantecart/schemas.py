"""AbanteCart's vocabulary: its 1.4.2 texts and field rules, and the account and history bodies.

Input is trimmed as AbanteCart trims it but stored unescaped; output is HTML-escaped here, so
the same bytes come back as AbanteCart sends them while other faces read clean values.
Lengths are measured on the escaped text, as AbanteCart measures them. Passwords are never
trimmed or escaped (the core's password policy replaces 1.4.2's 4-20 rule).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from patron.core.entities import Customer
from patron.core.normalise import html_escape
from patron.core.ports import OrderHistory, OrderRow

FIRSTNAME = "First Name must be between 1 and 32 characters!"
LASTNAME = "Last Name must be between 1 and 32 characters!"
CREATE_EMAIL = "Email Address does not appear to be valid!"
EDIT_EMAIL = "E-Mail Address does not appear to be valid!"
CREATE_EMAIL_TAKEN = "Error: E-Mail Address is already registered!"
EDIT_EMAIL_TAKEN = "Error: E-Mail address is already registered!"
TELEPHONE = "Telephone must be between 3 and 32 numeric only characters!"
LOGINNAME = "Login name must be alphanumeric only and between 5 and 64 characters!"
LOGINNAME_TAKEN = "This login name is not available. Try different login name!"
ADDRESS_1 = "Address 1 must be between 3 and 128 characters!"
CITY = "City must be between 3 and 128 characters!"
POSTCODE = "Zip/postal code must be between 3 and 10 characters!"
COUNTRY = "Please select a country!"
ZONE = "Please select a region / state!"
CONFIRM = "Password confirmation does not match password!"
AGREE = "Error: You must agree to the Privacy Policy!"
GENERIC = "Oops, there is an error with information provided!"
TEXT_AGREE = "I have read and agree to the"
EDIT_SUCCESS = "Success"
CREATE_SUCCESS = (
    "<p>Congratulations! Your new account has been successfully created!</p> "
    "<p>You can now take advantage of member privileges to enhance your online shopping "
    "experience with us.</p> <p>If you have ANY questions about the operation of this online "
    "shop, please email the store owner.</p> <p>A confirmation has been sent to the provided "
    'email address. If you have not received it within the hour, please <a href="">contact '
    "us</a>.</p>"
)

# 1.4.2's patterns. ASCII only: PHP's PCRE without /u knows no other letters or spaces.
_EMAIL = re.compile(r"[A-Z0-9._%-]+@[A-Z0-9.-]{0,61}[A-Z0-9]\.[A-Z]{2,16}", re.I | re.A)
_LOGINNAME = re.compile(r"[A-Za-z0-9_.-]+")
_TELEPHONE = re.compile(r"[0-9+().\t\n\x0b\x0c\r ,-]+")
_PHP_INT = re.compile(r"[ \t\n\r\x0b\x0c]*[+-]?[0-9]+")


def php_int(value: str | None) -> int:
    """PHP's ``(int)`` of a string: its leading integer, else 0 (``"FALSE"`` is 0)."""
    found = _PHP_INT.match(value or "")
    return int(found.group()) if found else 0


def text_length(value: str | None) -> int:
    return len(html_escape(value or ""))


def length_between(value: str | None, low: int, high: int) -> bool:
    return low <= text_length(value) <= high


def escaped(value: str | None) -> str | None:
    """A value as AbanteCart sends it back: HTML-escaped (None stays null)."""
    return None if value is None else html_escape(value)


def email_valid(email: str | None) -> bool:
    """1.4.2's email rule: at most 96 characters and its pattern (no ``+`` in the local part)."""
    return text_length(email) <= 96 and bool(_EMAIL.fullmatch(email or ""))


def login_name_valid(login_name: str | None) -> bool:
    """1.4.2's login-name rule: 5-64 of letters, digits, ``_``, ``.`` and ``-``."""
    return length_between(login_name, 5, 64) and bool(_LOGINNAME.fullmatch(login_name or ""))


def telephone_valid(telephone: str | None) -> bool:
    """Empty, or 3-32 of digits, spaces and ``+().,-``."""
    if not telephone:
        return True
    return length_between(telephone, 3, 32) and bool(_TELEPHONE.fullmatch(telephone))


# ---- account and history --------------------------------------------------------------------


def account_body(customer: Customer) -> dict[str, Any]:
    """``a/account/account``; ``newsletter`` really points at logout in AbanteCart."""
    return {
        "title": "My Account",
        "customer_id": customer.customer_id,
        "firstname": html_escape(customer.first_name or ""),
        "lastname": html_escape(customer.last_name or ""),
        "email": html_escape(customer.email),
        "information": "a/account/edit",
        "history": "a/account/history",
        "newsletter": "a/account/logout",
    }


def format_total(row: OrderRow) -> str:
    """``ACurrency::format``: the total in the order's currency, rounded half away from zero,
    with its separators and symbols, a leading ``-`` when negative."""
    value = row.total * row.currency_rate if row.currency_rate else row.total
    rounded = value.quantize(Decimal(1).scaleb(-row.decimal_place), ROUND_HALF_UP)
    whole, _, fraction = f"{abs(rounded):,.{row.decimal_place}f}".partition(".")
    number = whole.replace(",", row.thousand_point)
    if fraction:
        number += row.decimal_point + fraction
    sign = "-" if rounded < 0 else ""
    return sign + row.symbol_left + number + row.symbol_right


def history_body(history: OrderHistory, limit: int) -> dict[str, Any]:
    """``a/account/history``: 1.4.2 ignores ``page`` and ``limit``, so always the first page."""
    if not history.total:
        return {"orders": [], "total_orders": 0}
    orders = [
        {
            "order_id": str(row.order_id),
            "name": html_escape(row.name),
            "status": escaped(row.status_name),
            "date_added": row.date_added.strftime("%m/%d/%Y") if row.date_added else "",
            "products": row.line_count,
            "total": html_escape(format_total(row)),
        }
        for row in history.rows
    ]
    return {"limit": str(limit), "orders": orders, "total_orders": history.total, "page": 1}
