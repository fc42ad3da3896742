"""Aimeos' vocabulary: ``customer.*``, ``customer.address.*``, ``customer.property.*`` and
``customer.lists.*`` attributes in, patron's canonical fields out, and back.

Parsing follows Aimeos' rules where they are safe: scalars are turned into strings for text
attributes (``true`` -> ``"1"``), ``""`` clears a language, country or date, server-owned and
unknown attributes are ignored. Unlike Aimeos, every failure is ``InvalidInput`` naming the
canonical field, which ``errors.py`` turns into a 400 pointing at the attribute.
The mapping is written out in ``docs/compat.md``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from patron.core import normalise
from patron.core.errors import InvalidInput

# (attribute, canonical field, kind) of the customer, in Aimeos' output order (reference 2.4).
CUSTOMER = (
    ("customer.salutation", "salutation", "salutation"),
    ("customer.company", "company", "text"),
    ("customer.vatid", "vat_id", "vatid"),
    ("customer.title", "title", "text"),
    ("customer.firstname", "first_name", "text"),
    ("customer.lastname", "last_name", "text"),
    ("customer.address1", "address_1", "text"),
    ("customer.address2", "address_2", "text"),
    ("customer.address3", "address_3", "text"),
    ("customer.postal", "postcode", "text"),
    ("customer.city", "city", "text"),
    ("customer.state", "province", "text"),
    ("customer.languageid", "language", "language"),
    ("customer.countryid", "country", "country"),
    ("customer.telephone", "telephone", "text"),
    ("customer.mobile", "mobile", "text"),
    ("customer.email", "email", "email"),
    ("customer.telefax", "fax", "text"),
    ("customer.website", "website", "website"),
    ("customer.longitude", "longitude", "float"),
    ("customer.latitude", "latitude", "float"),
    ("customer.birthday", "birthday", "date"),
    ("customer.label", "label", "text"),
    ("customer.code", "login_name", "code"),
)
# Written but never shown.
CUSTOMER_WRITE_ONLY = (
    ("customer.password", "password", "secret"),
    ("customer.oldpassword", "current_password", "secret"),
)
# (attribute suffix, canonical field, kind) of an address, in output order (reference 6.1).
ADDRESS = (
    ("type", "type", "text"),
    ("salutation", "salutation", "salutation"),
    ("company", "company", "text"),
    ("vatid", "vat_id", "vatid"),
    ("title", "title", "text"),
    ("firstname", "first_name", "text"),
    ("lastname", "last_name", "text"),
    ("address1", "address_1", "text"),
    ("address2", "address_2", "text"),
    ("address3", "address_3", "text"),
    ("postal", "postcode", "text"),
    ("city", "city", "text"),
    ("state", "province", "text"),
    ("countryid", "country", "country"),
    ("languageid", "language", "language"),
    ("telephone", "telephone", "text"),
    ("telefax", "telefax", "text"),
    ("mobile", "mobile", "text"),
    ("email", "email", "email"),
    ("website", "website", "website"),
    ("longitude", "longitude", "float"),
    ("latitude", "latitude", "float"),
    ("birthday", "birthday", "date"),
    ("position", "position", "int"),
)
PROPERTY = (
    ("customer.property.languageid", "language", "language"),
    ("customer.property.value", "value", "text"),
    ("customer.property.type", "type", "text"),
)
LISTS = (
    ("customer.lists.domain", "domain", "text"),
    ("customer.lists.refid", "refid", "text"),
    ("customer.lists.datestart", "date_start", "datetime"),
    ("customer.lists.dateend", "date_end", "datetime"),
    ("customer.lists.config", "config", "config"),
    ("customer.lists.position", "position", "int"),
    ("customer.lists.status", "status", "int"),
    ("customer.lists.type", "type", "text"),
)
DEFAULT_ADDRESS_TYPE = "delivery"
ADDRESS_INCLUDE = "customer/address"
PROPERTY_INCLUDE = "customer/property"
MAX_INCLUDES = 20
MAX_INCLUDE_LENGTH = 32

_LANGUAGE = re.compile(r"([a-zA-Z]{2})(?:_([a-zA-Z]{2}))?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?")
_WEBSITE = re.compile(r"([a-z]+://)?[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)+(:[0-9]+)?(/.*)?", re.DOTALL)
_INTEGER = re.compile(r"-?[0-9]{1,18}")
MAX_SALUTATION = 8


def _pointer_names(*tables: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    return {field: attribute for table in tables for attribute, field, _ in table}


# Canonical field -> attribute, per resource, for ``source.pointer``.
POINTERS = {
    "": _pointer_names(CUSTOMER, CUSTOMER_WRITE_ONLY),
    "address": {field: f"customer.address.{suffix}" for suffix, field, _ in ADDRESS},
    "property": _pointer_names(PROPERTY),
    "relationships": _pointer_names(LISTS),
}


# --- reading attribute values -------------------------------------------------------------


def _text(field: str, value: Any) -> str | None:
    """Aimeos turns scalars into strings; arrays and objects are refused (Aimeos: 500)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    raise InvalidInput.one(field, f"{_name(field)} must be a string")


def _name(field: str) -> str:
    return field.replace("_", " ").capitalize()


def _language(field: str, value: Any) -> str | None:
    text = _text(field, value)
    if not text:
        return None
    match = _LANGUAGE.fullmatch(text)
    if match is None:
        raise InvalidInput.one(field, f'Invalid language code "{text}"')
    language, region = match.groups()
    return language.lower() + (f"_{region.upper()}" if region else "")


def _country(field: str, value: Any) -> str | None:
    text = _text(field, value)
    if not text:
        return None
    if not (len(text) == 2 and text.isascii() and text.isalpha()):
        raise InvalidInput.one(field, f'Invalid country code "{text}"')
    return text.upper()


def _date(field: str, value: Any) -> date | None:
    text = _text(field, value)
    if not text:
        return None
    try:
        if _DATE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise InvalidInput.one(field, f'Invalid date "{text}", expected YYYY-MM-DD')


def _datetime(field: str, value: Any) -> datetime | None:
    """``YYYY-MM-DD``, ``YYYY-MM-DD HH:MM[:SS]`` or with a ``T``; read as UTC."""
    text = _text(field, value)
    if not text:
        return None
    match = _DATETIME.fullmatch(text)
    try:
        if match:
            day, hour, minute, second = match.groups()
            moment = datetime.fromisoformat(
                f"{day} {hour or '00'}:{minute or '00'}:{second or '00'}"
            )
            return moment.replace(tzinfo=UTC)
    except ValueError:
        pass
    raise InvalidInput.one(field, f'Invalid date "{text}", expected YYYY-MM-DD HH:MM:SS')


def _float(field: str, value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise InvalidInput.one(field, f"{_name(field)} must be a number") from None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInput.one(field, f"{_name(field)} must be a number")
    return float(value)


def _int(field: str, value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput.one(field, f"{_name(field)} must be a whole number")
    return value


def _email(field: str, value: Any) -> str | None:
    text = _text(field, value)
    if text and not normalise.is_email(text.strip()):
        raise InvalidInput.one(field, f'Invalid characters in email address: "{text}"')
    return text


def _website(field: str, value: Any) -> str | None:
    text = _text(field, value)
    if text and not _WEBSITE.fullmatch(text):
        raise InvalidInput.one(field, f'Invalid web site URL "{text}"')
    return text


def _salutation(field: str, value: Any) -> str | None:
    text = _text(field, value)
    if text and len(text) > MAX_SALUTATION:
        raise InvalidInput.one(field, f'Address salutation "{text}" not within allowed range')
    return text


def _vatid(field: str, value: Any) -> str | None:
    text = _text(field, value)
    return text.replace(" ", "") if text else text


def _config(field: str, value: Any) -> dict[str, Any]:
    if value is None or value == []:
        return {}
    if not isinstance(value, dict):
        raise InvalidInput.one(field, "Config must be an object")
    return value


READERS = {
    "text": _text,
    "code": _text,
    "secret": _text,
    "language": _language,
    "country": _country,
    "date": _date,
    "datetime": _datetime,
    "float": _float,
    "int": _int,
    "email": _email,
    "website": _website,
    "salutation": _salutation,
    "vatid": _vatid,
    "config": _config,
}


def _read(table: Iterable[tuple[str, str, str]], attributes: Mapping[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for attribute, field, kind in table:
        if attribute in attributes:
            fields[field] = READERS[kind](field, attributes[attribute])
    return fields


@dataclass(frozen=True)
class CustomerWrite:
    """A customer write: canonical changes, and the current password when one was sent."""

    changes: dict[str, Any]
    current_password: str | None


def customer_write(attributes: Mapping[str, Any]) -> CustomerWrite:
    """Canonical changes from ``customer.*`` attributes.

    As in Aimeos, an empty ``customer.code`` or ``customer.password`` leaves it unchanged;
    ``status``, ``groups``, ``dateverified``, ``id`` and unknown attributes are ignored.
    """
    fields = _read((*CUSTOMER, *CUSTOMER_WRITE_ONLY), attributes)
    current = fields.pop("current_password", None)
    for field in ("login_name", "password"):
        if not fields.get(field):
            fields.pop(field, None)
    if "email" in fields and fields["email"] is None:
        fields["email"] = ""  # "the email is required" rather than a type error
    return CustomerWrite(changes=fields, current_password=current)


def address_fields(attributes: Mapping[str, Any]) -> dict[str, Any]:
    """Canonical address fields from ``customer.address.*`` attributes (ids are ignored)."""
    table = [(f"customer.address.{suffix}", field, kind) for suffix, field, kind in ADDRESS]
    return _read(table, attributes)


def property_fields(attributes: Mapping[str, Any]) -> dict[str, Any]:
    """Canonical property fields from ``customer.property.*`` attributes."""
    return _read(PROPERTY, attributes)


def list_fields(attributes: Mapping[str, Any]) -> dict[str, Any]:
    """Canonical list-item fields from ``customer.lists.*`` attributes."""
    return _read(LISTS, attributes)


# --- query parameters ----------------------------------------------------------------------


def include_names(raw: str | None) -> list[str]:
    """``include`` as names, dots read as slashes (``customer.address`` = ``customer/address``).

    Names that no resource could have (too long, control characters) are dropped, and at most
    ``MAX_INCLUDES`` are kept.
    """
    names: dict[str, None] = {}
    for part in (raw or "").split(","):
        name = part.strip().replace(".", "/")
        if name and len(name) <= MAX_INCLUDE_LENGTH and name.isprintable():
            names[name] = None
    return list(names)[:MAX_INCLUDES]


def list_domains(names: Iterable[str]) -> list[str]:
    """The list domains among included names (``customer/`` is dropped: ``customer/group``)."""
    domains: dict[str, None] = {}
    for name in names:
        if name not in (ADDRESS_INCLUDE, PROPERTY_INCLUDE):
            domains[name.removeprefix("customer/")] = None
    return list(domains)


def item_id(value: object) -> int | None:
    """A sub-item number from ``relatedid`` or a body ``id``; None when it cannot be one."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63:
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value) or None
    return None


# --- writing attributes --------------------------------------------------------------------


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _moment(value: datetime | None) -> str | None:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if value else None


def customer_attributes(customer: Any | None) -> dict[str, Any]:
    """The 25 public attributes of a customer, or of the empty customer (anonymous callers)."""
    get = (lambda name: getattr(customer, name)) if customer is not None else (lambda _n: None)
    attributes: dict[str, Any] = {
        "customer.id": str(customer.customer_id) if customer is not None else None
    }
    for attribute, field, kind in CUSTOMER:
        value = get(field)
        if kind == "float":
            attributes[attribute] = value
        elif kind in ("language", "country"):
            attributes[attribute] = value or None
        elif kind == "date":
            attributes[attribute] = _day(value)
        else:
            attributes[attribute] = value or ""
    if customer is not None and not customer.login_name:
        attributes["customer.code"] = customer.email or ""
    return attributes


def address_attributes(row: Mapping[str, Any]) -> dict[str, Any]:
    """An address (``customer_address`` columns) as ``customer.address.*`` attributes."""
    attributes: dict[str, Any] = {"customer.address.id": str(row["customer_address_id"])}
    for suffix, field, kind in ADDRESS:
        value = row[field]
        if field == "type":
            value = value or DEFAULT_ADDRESS_TYPE
        elif kind == "date":
            value = _day(value)
        elif kind in ("language", "country"):
            value = value or None
        elif kind not in ("float", "int"):
            value = value or ""
        attributes[f"customer.address.{suffix}"] = value
    return attributes


def property_attributes(row: Mapping[str, Any]) -> dict[str, Any]:
    """A property as ``customer.property.*`` attributes."""
    return {
        "customer.property.id": str(row["customer_property_id"]),
        "customer.property.languageid": row["language"] or None,
        "customer.property.value": row["value"],
        "customer.property.type": row["type"],
    }


def list_attributes(row: Mapping[str, Any]) -> dict[str, Any]:
    """A list item as ``customer.lists.*`` attributes (an empty config is ``[]``, as in PHP)."""
    return {
        "customer.lists.id": str(row["customer_list_id"]),
        "customer.lists.domain": row["domain"],
        "customer.lists.refid": row["refid"],
        "customer.lists.datestart": _moment(row["date_start"]),
        "customer.lists.dateend": _moment(row["date_end"]),
        "customer.lists.config": row["config"] or [],
        "customer.lists.position": row["position"],
        "customer.lists.status": row["status"],
        "customer.lists.type": row["type"],
    }


def only(attributes: dict[str, Any], wanted: list[str] | None) -> dict[str, Any]:
    """Keep the attributes named by ``fields[<type>]`` (all when not given), in their order."""
    if wanted is None:
        return attributes
    keep = set(wanted)
    return {key: value for key, value in attributes.items() if key in keep}


def columns(entity: Any) -> dict[str, Any]:
    """An entity's column values, so written items render like rows read with Core selects."""
    return {column.key: getattr(entity, column.key) for column in entity.__table__.columns}
