"""AbanteCart's two forms: registration (``a/account/create``) and profile (``a/account/edit``).

Each form is read from the request, checked with 1.4.2's rules (in 1.4.2's order, with its
texts), echoed back with 1.4.2's quirks, and mapped onto what the core stores.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from patron.core.entities import Customer
from patron.core.errors import InvalidInput
from patron.faces.abantecart import countries
from patron.faces.abantecart.schemas import (
    ADDRESS_1,
    AGREE,
    CITY,
    CONFIRM,
    COUNTRY,
    CREATE_EMAIL,
    CREATE_EMAIL_TAKEN,
    EDIT_EMAIL,
    EDIT_EMAIL_TAKEN,
    FIRSTNAME,
    GENERIC,
    LASTNAME,
    LOGINNAME,
    LOGINNAME_TAKEN,
    POSTCODE,
    TELEPHONE,
    TEXT_AGREE,
    ZONE,
    email_valid,
    escaped,
    length_between,
    login_name_valid,
    php_int,
    telephone_valid,
)

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
    if not length_between(form.get("firstname"), 1, 32):
        errors["firstname"] = FIRSTNAME
    if not length_between(form.get("lastname"), 1, 32):
        errors["lastname"] = LASTNAME
    if not email_valid(form.get("email")):
        errors["email"] = CREATE_EMAIL
    if "email" in taken:
        errors["warning"] = CREATE_EMAIL_TAKEN
    if not telephone_valid(form.get("telephone")):
        errors["telephone"] = TELEPHONE
    for name, message in (("address_1", ADDRESS_1), ("city", CITY), ("postcode", POSTCODE)):
        if not length_between(form.get(name), 3, 128):
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
        return _field("input", name, escaped(post.get(name)), required=required, error=error)

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
            "value": countries.DEFAULT_COUNTRY_ID
            if country_value is None
            else escaped(country_value),
            "required": True,
            "error": None,
        },
        "zone_id": {**zone, "value": escaped(post.get("zone_id")), "error": err("lastname")},
        "password": secret("password", form.password if form else None),
        "confirm": secret("confirm", form.confirm if form else None),
        "newsletter": {
            "type": "radio",
            "name": "newsletter",
            "value": -1 if post.get("newsletter") is None else escaped(post.get("newsletter")),
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
        name: escaped(given[name] if given.get(name) is not None else stored[name] or "")
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
    if not length_between(given.get("firstname"), 1, 32):
        errors["firstname"] = FIRSTNAME
    if not length_between(given.get("lastname"), 1, 32):
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
