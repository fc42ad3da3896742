"""AbanteCart's vocabulary: its form fields, its 1.4.2 validation rules and texts, its bodies.

Input is trimmed as AbanteCart trims it but stored unescaped; output is HTML-escaped here, so
the same bytes come back as AbanteCart sends them while other faces read clean values.
Lengths are measured on the escaped text, as AbanteCart measures them. Passwords are never
trimmed or escaped (the core's password policy replaces 1.4.2's 4-20 rule).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from patron.core.entities import Customer
from patron.core.errors import InvalidInput
from patron.core.normalise import html_escape
from patron.core.ports import OrderHistory, OrderRow
from patron.faces.abantecart import countries

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
# Where the core keeps each form field, and back.
CORE_FIELDS = {
    "first_name": "firstname",
    "last_name": "lastname",
    "full_name": "firstname",
    "email": "email",
    "telephone": "telephone",
    "fax": "fax",
    "login_name": "loginname",
    "company": "company",
    "address_1": "address_1",
    "address_2": "address_2",
    "city": "city",
    "postcode": "postcode",
    "country": "country",
    "province": "zone",
    "password": "password",
}
# Upper bounds of fields 1.4.2 leaves unchecked (its database would refuse them instead).
UNCHECKED_LIMITS = {"fax": 64, "company": 255, "address_2": 255}


def php_int(value: str | None) -> int:
    """PHP's ``(int)`` of a string: its leading integer, else 0 (``"FALSE"`` is 0)."""
    found = _PHP_INT.match(value or "")
    return int(found.group()) if found else 0


def _length(value: str | None) -> int:
    return len(html_escape(value or ""))


def _between(value: str | None, low: int, high: int) -> bool:
    return low <= _length(value) <= high


def _out(value: str | None) -> str | None:
    """A value as AbanteCart sends it back: HTML-escaped (None stays null)."""
    return None if value is None else html_escape(value)


def email_valid(email: str | None) -> bool:
    """1.4.2's email rule: at most 96 characters and its pattern (no ``+`` in the local part)."""
    return _length(email) <= 96 and bool(_EMAIL.fullmatch(email or ""))


def login_name_valid(login_name: str | None) -> bool:
    """1.4.2's login-name rule: 5-64 of letters, digits, ``_``, ``.`` and ``-``."""
    return _between(login_name, 5, 64) and bool(_LOGINNAME.fullmatch(login_name or ""))


def telephone_valid(telephone: str | None) -> bool:
    """Empty, or 3-32 of digits, spaces and ``+().,-``."""
    if not telephone:
        return True
    return _between(telephone, 3, 32) and bool(_TELEPHONE.fullmatch(telephone))


# ---- registration ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Registration:
    """The registration form as posted: text trimmed, passwords as typed, None when absent."""

    values: Mapping[str, str | None]
    password: str | None
    confirm: str | None
    agreed: bool

    def get(self, name: str) -> str | None:
        return self.values.get(name)


REGISTRATION_TEXT = (
    "loginname",
    "firstname",
    "lastname",
    "email",
    "telephone",
    "fax",
    "company",
    "address_1",
    "address_2",
    "city",
    "postcode",
    "country_id",
    "zone_id",
    "newsletter",
)


def zone_code(form: Registration) -> tuple[bool, bool, str | None]:
    """Whether country and zone pass, and the zone code to store.

    1.4.2: a country is needed; a zone is needed when the country has zones. patron also
    refuses a zone of another country (1.4.2 stores whatever id it is given).
    """
    found = countries.country(php_int(form.get("country_id")))
    zone_id = php_int(form.get("zone_id"))
    if found is None:
        return False, zone_id != 0, None
    zones = countries.zones_of(found.country_id)
    if zone_id == 0:
        return True, not zones, None
    if zone_id not in zones:
        return True, False, None
    return True, True, zones[zone_id] or None


def registration_errors(
    form: Registration, *, taken: set[str], password_problem: str | None
) -> dict[str, str]:
    """The model's error map, in 1.4.2's order (``warning`` holds the email-taken and the
    missing-agreement texts; the second overwrites the first)."""
    errors: dict[str, str] = {}
    if not login_name_valid(form.get("loginname")):
        errors["loginname"] = LOGINNAME
    elif "login_name" in taken:
        errors["loginname"] = LOGINNAME_TAKEN
    if not _between(form.get("firstname"), 1, 32):
        errors["firstname"] = FIRSTNAME
    if not _between(form.get("lastname"), 1, 32):
        errors["lastname"] = LASTNAME
    if not email_valid(form.get("email")):
        errors["email"] = CREATE_EMAIL
    if "email" in taken:
        errors["warning"] = CREATE_EMAIL_TAKEN
    if not telephone_valid(form.get("telephone")):
        errors["telephone"] = TELEPHONE
    for name, message in (("address_1", ADDRESS_1), ("city", CITY), ("postcode", POSTCODE)):
        if not _between(form.get(name), 3, 128):
            errors[name] = message
    country_ok, zone_ok, _ = zone_code(form)
    if not country_ok:
        errors["country"] = COUNTRY
    if not zone_ok:
        errors["zone"] = ZONE
    if password_problem is not None:
        errors["password"] = password_problem
    if form.confirm != form.password:
        errors["confirm"] = CONFIRM
    if not form.agreed:
        errors["warning"] = AGREE
    for name, limit in UNCHECKED_LIMITS.items():
        if len(form.get(name) or "") > limit:
            errors[name] = (
                f"{name.replace('_', ' ').capitalize()} must be at most {limit} characters!"
            )
    return errors


def errors_from_core(exc: InvalidInput, messages: Mapping[str, str]) -> dict[str, str]:
    """A core refusal the form rules did not foresee, under the form's keys and texts."""
    errors: dict[str, str] = {}
    for problem in exc.problems:
        key = CORE_FIELDS.get(problem.field, problem.field)
        errors.setdefault(key, messages.get(key, problem.message))
    return errors


CREATE_MESSAGES = {
    "loginname": LOGINNAME,
    "firstname": FIRSTNAME,
    "lastname": LASTNAME,
    "email": CREATE_EMAIL,
    "telephone": TELEPHONE,
    "address_1": ADDRESS_1,
    "city": CITY,
    "postcode": POSTCODE,
    "country": COUNTRY,
    "zone": ZONE,
}


def _field(
    kind: str, name: str, value: Any, *, required: bool | None, error: Any = ...
) -> dict[str, Any]:
    body: dict[str, Any] = {"type": kind, "name": name, "value": value}
    if required is not None:
        body["required"] = required
    if error is not ...:
        body["error"] = error
    return body


def registration_fields(form: Registration | None, errors: Mapping[str, str]) -> dict[str, Any]:
    """The ``fields`` of the registration form, with 1.4.2's quirks: the firstname error on
    loginname, the lastname error on zone and both passwords, no error slot on postcode.
    Posted passwords are never echoed: a posted one comes back as ``""``."""
    post = form.values if form else {}
    err = errors.get

    def text(name: str, required: bool | None, error: Any = ...) -> dict[str, Any]:
        return _field("input", name, _out(post.get(name)), required=required, error=error)

    def secret(name: str, given: str | None) -> dict[str, Any]:
        value = None if given is None else ""
        return _field("password", name, value, required=True, error=err("lastname"))

    country_value = post.get("country_id")
    zone = {"type": "selectbox", "name": "zone_id", "required": True}
    return {
        "loginname": text("loginname", True, err("firstname")),
        "firstname": text("firstname", True, err("firstname")),
        "lastname": text("lastname", True, err("lastname")),
        "email": text("email", True, err("email")),
        "telephone": text("telephone", None, err("telephone")),
        "fax": text("fax", False),
        "company": text("company", False),
        "address_1": text("address_1", True, err("address_1")),
        "address_2": text("address_2", False),
        "city": text("city", True, err("city")),
        "postcode": text("postcode", False),
        "country_id": {
            "type": "selectbox",
            "name": "country_id",
            "options": countries.options(),
            "value": countries.DEFAULT_COUNTRY_ID if country_value is None else _out(country_value),
            "required": True,
            "error": None,
        },
        "zone_id": {**zone, "value": _out(post.get("zone_id")), "error": err("lastname")},
        "password": secret("password", form.password if form else None),
        "confirm": secret("confirm", form.confirm if form else None),
        "newsletter": {
            "type": "radio",
            "name": "newsletter",
            "value": -1 if post.get("newsletter") is None else _out(post.get("newsletter")),
            "options": {"1": "Yes", "0": "No"},
        },
        "agree": {"type": "checkbox", "name": "agree", "value": 1, "checked": None},
    }


def registration_form_body(form: Registration | None = None) -> dict[str, Any]:
    """``GET a/account/create``: the empty form."""
    return {"fields": registration_fields(form, {}), "text_agree": TEXT_AGREE}


def registration_failure_body(form: Registration, errors: Mapping[str, str]) -> dict[str, Any]:
    """A refused registration: HTTP 200, ``status:0``, the error map and the form again."""
    body: dict[str, Any] = {"status": 0, "errors": dict(errors)}
    for key in (
        "warning",
        "loginname",
        "firstname",
        "lastname",
        "email",
        "telephone",
        "password",
        "confirm",
        "address_1",
        "city",
        "country",
        "zone",
    ):
        body[f"error_{key}"] = errors.get(key)
    body["fields"] = registration_fields(form, errors)
    body["text_agree"] = TEXT_AGREE
    return body


def new_customer_values(form: Registration) -> tuple[dict[str, Any], dict[str, Any]]:
    """The customer's profile and default address as the core stores them."""
    profile = {"first_name": form.get("firstname"), "last_name": form.get("lastname")}
    for name in ("telephone", "fax"):
        if form.get(name):
            profile[name] = form.get(name)
    found = countries.country(php_int(form.get("country_id")))
    address: dict[str, Any] = {
        **profile,
        "country": found.iso2 if found else None,
        "province": zone_code(form)[2],
    }
    address.pop("telephone", None)
    address.pop("fax", None)
    for name in ("company", "address_1", "address_2", "city", "postcode"):
        if form.get(name):
            address[name] = form.get(name)
    return profile, address


# ---- profile (a/account/edit) ---------------------------------------------------------------

PROFILE_TEXT = ("firstname", "lastname", "email", "telephone", "fax", "newsletter")


def profile_fields(
    customer: Customer, given: Mapping[str, str | None], errors: Mapping[str, str]
) -> dict[str, Any]:
    """The edit form: each value as given in the request, else as stored."""
    stored = {
        "firstname": customer.first_name,
        "lastname": customer.last_name,
        "email": customer.email,
        "telephone": customer.telephone,
        "fax": customer.fax,
        "newsletter": "1" if customer.newsletter else "0",
    }
    value = {
        name: _out(given[name] if given.get(name) is not None else stored[name] or "")
        for name in PROFILE_TEXT
    }
    err = errors.get
    return {
        "firstname": _field(
            "input", "firstname", value["firstname"], required=True, error=err("firstname")
        ),
        "lastname": _field(
            "input", "lastname", value["lastname"], required=True, error=err("lastname")
        ),
        "email": _field("input", "email", value["email"], required=True, error=err("email")),
        "telephone": _field(
            "input", "telephone", value["telephone"], required=None, error=err("telephone")
        ),
        "fax": _field("input", "fax", value["fax"], required=False),
        "newsletter": _field("selectbox", "newsletter", value["newsletter"], required=False),
    }


def profile_errors(
    given: Mapping[str, str | None],
    *,
    email_changed: bool,
    login_name_problem: str | None,
    email_taken: bool,
) -> dict[str, str]:
    """1.4.2's edit rules; the email is checked only when it changes (so accounts made on
    other faces, such as ``a+b@x``, can save their profile)."""
    errors: dict[str, str] = {}
    if login_name_problem is not None:
        errors["loginname"] = login_name_problem
    if not _between(given.get("firstname"), 1, 32):
        errors["firstname"] = FIRSTNAME
    if not _between(given.get("lastname"), 1, 32):
        errors["lastname"] = LASTNAME
    if email_changed and not email_valid(given.get("email")):
        errors["email"] = EDIT_EMAIL
    if email_changed and email_taken:
        errors["warning"] = EDIT_EMAIL_TAKEN
    if not telephone_valid(given.get("telephone")):
        errors["telephone"] = TELEPHONE
    if len(given.get("fax") or "") > UNCHECKED_LIMITS["fax"]:
        errors["fax"] = f"Fax must be at most {UNCHECKED_LIMITS['fax']} characters!"
    if errors and "warning" not in errors:
        errors["warning"] = GENERIC
    return errors


EDIT_MESSAGES = {
    "firstname": FIRSTNAME,
    "lastname": LASTNAME,
    "email": EDIT_EMAIL,
    "telephone": TELEPHONE,
}


def profile_failure_body(
    customer: Customer, given: Mapping[str, str | None], errors: Mapping[str, str]
) -> dict[str, Any]:
    """A refused edit: HTTP 200, ``status:0``, the four error slots and the form again."""
    return {
        "status": 0,
        "error_warning": errors.get("warning", GENERIC),
        "error_firstname": errors.get("firstname"),
        "error_lastname": errors.get("lastname"),
        "error_email": errors.get("email"),
        "error_telephone": errors.get("telephone"),
        "fields": profile_fields(customer, given, errors),
    }


def profile_changes(
    customer: Customer, given: Mapping[str, str | None], *, login_name: str | None
) -> dict[str, Any]:
    """What an accepted edit stores: a full replace of names, phones and newsletter; the email
    when it changed; the login name when one was sent."""
    changes: dict[str, Any] = {
        "first_name": given.get("firstname"),
        "last_name": given.get("lastname"),
        "telephone": given.get("telephone") or None,
        "fax": given.get("fax") or None,
        "newsletter": php_int(given.get("newsletter")) != 0,
    }
    if given.get("email") != customer.email:
        changes["email"] = given.get("email")
    if login_name:
        changes["login_name"] = login_name
    return changes


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
            "status": _out(row.status_name),
            "date_added": row.date_added.strftime("%m/%d/%Y") if row.date_added else "",
            "products": row.line_count,
            "total": html_escape(format_total(row)),
        }
        for row in history.rows
    ]
    return {"limit": str(limit), "orders": orders, "total_orders": history.total, "page": 1}
