"""What ``OPTIONS /jsonapi/customer[?related=…]`` describes: Aimeos' attribute lists.

Keys, order, types, defaults and ``required`` flags are Aimeos' (25 customer, 21 address,
3 property and 7 list-item attributes); the flags are descriptive, as upstream. Labels are
Aimeos' with its typos corrected. ``customer.oldpassword`` is accepted but not listed
(DECISIONS), like ``customer.mobile`` and ``customer.lists.position`` upstream.
"""

from __future__ import annotations

from typing import Any

# Every resource Aimeos' root document lists; only ``customer`` is served by patron.
RESOURCES = (
    "attribute",
    "basket",
    "catalog",
    "customer",
    "locale",
    "order",
    "product",
    "review",
    "service",
    "site",
    "stock",
    "subscription",
    "supplier",
)


def _attribute(
    label: str, *, type_: str = "string", default: str = "", required: bool = False
) -> dict[str, Any]:
    return {"label": label, "type": type_, "default": default, "required": required}


def _address(prefix: str) -> dict[str, dict[str, Any]]:
    """The address attributes Aimeos' customer and address resources share, in its order."""
    return {
        f"{prefix}.salutation": _attribute('Customer salutation, i.e. "company", "mr", "ms" or ""'),
        f"{prefix}.company": _attribute("Company name"),
        f"{prefix}.vatid": _attribute("VAT ID of the company"),
        f"{prefix}.title": _attribute("Title of the customer"),
        f"{prefix}.firstname": _attribute("First name of the customer"),
        f"{prefix}.lastname": _attribute("Last name of the customer or full name", required=True),
        f"{prefix}.address1": _attribute("First address part like street", required=True),
        f"{prefix}.address2": _attribute("Second address part like house number"),
        f"{prefix}.address3": _attribute("Third address part like flat number"),
        f"{prefix}.postal": _attribute("Zip code of the city"),
        f"{prefix}.city": _attribute("Name of the town/city", required=True),
        f"{prefix}.state": _attribute("Two letter code of the country state"),
        f"{prefix}.countryid": _attribute("Two letter ISO country code", required=True),
        f"{prefix}.languageid": _attribute(
            'Two or five letter ISO language code, e.g. "de" or "de_CH"'
        ),
        f"{prefix}.telephone": _attribute(
            'Telephone number consisting of optional leading "+" and digits without spaces'
        ),
        f"{prefix}.telefax": _attribute(
            'Facsimile number consisting of optional leading "+" and digits without spaces'
        ),
        f"{prefix}.email": _attribute("E-mail address"),
        f"{prefix}.website": _attribute('Web site including "http://" or "https://"'),
        f"{prefix}.longitude": _attribute(
            "Longitude of the customer location as float value", type_="float"
        ),
        f"{prefix}.latitude": _attribute(
            "Latitude of the customer location as float value", type_="float"
        ),
    }


CUSTOMER: dict[str, dict[str, Any]] = {
    **_address("customer"),
    "customer.label": _attribute(
        "Label to identify the customer, will be firstname, lastname and company if empty",
        required=True,
    ),
    "customer.code": _attribute("Unique customer identifier, will be the e-mail address if empty"),
    "customer.password": _attribute("Password of the customer, generated if empty"),
    "customer.birthday": _attribute("ISO date in YYYY-MM-DD format of the birthday"),
    "customer.status": _attribute(
        'Customer account status, i.e. "0" for disabled, "1" for enabled and is enabled by default',
        type_="integer",
        default="1",
    ),
}
ADDRESS: dict[str, dict[str, Any]] = {
    **_address("customer.address"),
    "customer.address.birthday": _attribute("ISO date in YYYY-MM-DD format of the birthday"),
}
PROPERTY: dict[str, dict[str, Any]] = {
    "customer.property.type": _attribute("Code of the property type", required=True),
    "customer.property.languageid": _attribute(
        'Two or five letter ISO language code, e.g. "de" or "de_CH"'
    ),
    "customer.property.value": _attribute("Arbitrary property value"),
}
RELATIONSHIPS: dict[str, dict[str, Any]] = {
    "customer.lists.refid": _attribute("ID of the related domain item", required=True),
    "customer.lists.domain": _attribute(
        'Domain of the related item, e.g. "product"', required=True
    ),
    "customer.lists.type": _attribute('Customer relationship type, e.g. "favorite"'),
    "customer.lists.config": _attribute(
        "Associative list of key/value configuration pairs", default="[]"
    ),
    "customer.lists.datestart": _attribute("Start date when the relationship is valid"),
    "customer.lists.dateend": _attribute("End date until the relationship is valid"),
    "customer.lists.status": _attribute(
        "Status of the relationship (0=disable, 1=enabled)", default="1"
    ),
}
# By the value of ``related`` ("" = the customer itself).
ATTRIBUTES = {
    "": CUSTOMER,
    "address": ADDRESS,
    "property": PROPERTY,
    "relationships": RELATIONSHIPS,
}
