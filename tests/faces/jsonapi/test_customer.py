"""The customer resource: GET, POST (registration), PATCH and DELETE."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text, update

from patron.core.entities import Customer
from patron.faces._shared.services import Services
from patron.main import create_app
from tests.conftest import make_settings
from tests.faces.jsonapi.conftest import ADA, BOB, ShopperFactory, register
from tests.faces.jsonapi.wire import (
    BASE,
    CUSTOMER_URL,
    EMPTY_CUSTOMER,
    PASSWORD,
    Shopper,
    address_attributes,
    address_links,
    assert_doc,
    attributes,
    customer_attributes,
    customer_doc,
    error_doc,
    id_only_doc,
    invalid,
    list_attributes,
    meta,
    url,
)

pytestmark = pytest.mark.anyio

ADA_ATTRIBUTES = customer_attributes("1", ADA, firstname="Ada", lastname="Lovelace")
FULL = {
    "salutation": "mrs",
    "company": "Analytical Engines",
    "vatid": "GB 123 456",
    "title": "Countess",
    "firstname": "Ada",
    "lastname": "Lovelace",
    "address1": "12 St James's Square",
    "address2": "1",
    "address3": "2. floor",
    "postal": "SW1Y 4JH",
    "city": "London",
    "state": "Westminster",
    "countryid": "gb",
    "languageid": "EN_gb",
    "telephone": "+4420790000",
    "mobile": "+44700000000",
    "telefax": "+4420790001",
    "website": "https://example.com/ada",
    "longitude": -0.135,
    "latitude": "51.5",
    "birthday": "1815-12-10",
    "label": "Ada L.",
    "code": "countess",
}
FULL_SHOWN = {
    **FULL,
    "vatid": "GB123456",
    "countryid": "GB",
    "languageid": "en_GB",
    "latitude": 51.5,
}


async def _sql(services: Services, statement: str, **params: Any) -> Any:
    async with services.engine.begin() as conn:
        result = await conn.execute(text(statement), params)
        return result.all() if result.returns_rows else None


@asynccontextmanager
async def _app_with(
    database_url: str, tmp_path: Path, ip: str = "192.0.2.9", **overrides: Any
) -> AsyncIterator[Shopper]:
    """A shopper on an app built with other settings, on the same database."""
    settings = make_settings(database_url, tmp_path, **overrides)
    services = Services.build(settings)
    transport = httpx.ASGITransport(app=create_app(settings, services), client=(ip, 1))
    try:
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
            yield Shopper(http)
    finally:
        await services.close()


# ---- GET ---------------------------------------------------------------------------------


async def test_anonymous_callers_get_the_empty_customer(anon: Shopper) -> None:
    response = await anon.get("/jsonapi/customer")
    assert_doc(response, 200, customer_doc(None, EMPTY_CUSTOMER))


async def test_the_id_parameter_never_selects_a_customer(anon: Shopper, bob: Shopper) -> None:
    response = await anon.get("/jsonapi/customer?id=2")
    assert_doc(response, 200, customer_doc(None, EMPTY_CUSTOMER, self_link=url(query="id=2")))
    response = await bob.get("/jsonapi/customer?id=1")
    body = customer_doc(
        "2",
        customer_attributes("2", BOB, firstname="Bob", lastname="Builder"),
        self_link=url(query="id=1"),
    )
    assert_doc(response, 200, body)


async def test_the_signed_in_customer_by_cookie_or_header(
    ada: Shopper, new_shopper: ShopperFactory
) -> None:
    assert_doc(await ada.get("/jsonapi/customer"), 200, customer_doc("1", ADA_ATTRIBUTES))
    # The same session named by X-Session-ID alone, from a client without cookies.
    other = await new_shopper()
    response = await other.get("/jsonapi/customer", headers={"X-Session-ID": ada.sid})
    assert_doc(response, 200, customer_doc("1", ADA_ATTRIBUTES))


async def test_every_attribute_with_its_type(anon: Shopper) -> None:
    await register(anon, "full@example.com", **FULL)
    await anon.login("full@example.com")
    response = await anon.get("/jsonapi/customer")
    shown = customer_attributes("1", "full@example.com", **FULL_SHOWN)
    assert_doc(response, 200, customer_doc("1", shown))


async def test_a_dead_or_disabled_session_reads_as_anonymous(
    ada: Shopper, services: Services
) -> None:
    await _sql(services, "UPDATE customer SET status = 0")
    assert_doc(await ada.get("/jsonapi/customer"), 200, customer_doc(None, EMPTY_CUSTOMER))
    await _sql(services, "UPDATE customer SET status = 1")
    assert (await ada.get("/jsonapi/customer")).json()["data"]["id"] == "1"
    await ada.http.post("/customers/logout")
    ada.http.cookies.set("sid", ada.sid or "")
    assert_doc(await ada.get("/jsonapi/customer"), 200, customer_doc(None, EMPTY_CUSTOMER))


async def test_fields_keeps_only_the_named_attributes(ada: Shopper) -> None:
    response = await ada.get(
        "/jsonapi/customer?fields[customer]=customer.code,customer.email,customer.nope"
    )
    body = customer_doc(
        "1",
        {"customer.email": ADA, "customer.code": ADA},
        self_link=url(query="fields%5Bcustomer%5D=customer.code%2Ccustomer.email%2Ccustomer.nope"),
    )
    assert_doc(response, 200, body)


async def test_pretty_prints_the_same_document(ada: Shopper) -> None:
    response = await ada.get("/jsonapi/customer?pretty=1")
    assert_doc(response, 200, customer_doc("1", ADA_ATTRIBUTES, self_link=CUSTOMER_URL))
    assert response.text.startswith('{\n  "meta": {\n    "total": 1,')
    plain = await ada.get("/jsonapi/customer?pretty=0")
    assert "\n" not in plain.text


async def _sub_items(ada: Shopper) -> None:
    response = await ada.post(
        "/jsonapi/customer?related=address",
        json={
            "data": [
                {
                    "attributes": {
                        "customer.address.countryid": "de",
                        "customer.address.lastname": "Home",
                    }
                }
            ]
        },
    )
    assert response.status_code == 201, response.text
    response = await ada.post(
        "/jsonapi/customer?related=property",
        json={
            "data": {
                "attributes": {
                    "customer.property.type": "newsletter",
                    "customer.property.value": "weekly",
                }
            }
        },
    )
    assert response.status_code == 201, response.text
    response = await ada.post(
        "/jsonapi/customer?related=relationships&include=product",
        json={
            "data": [
                {
                    "attributes": {
                        "customer.lists.domain": "product",
                        "customer.lists.refid": "42",
                        "customer.lists.type": "favorite",
                    }
                },
                {
                    "attributes": {
                        "customer.lists.domain": "product",
                        "customer.lists.refid": "43",
                        "customer.lists.status": 0,
                    }
                },
                {"attributes": {"customer.lists.domain": "supplier", "customer.lists.refid": "7"}},
            ]
        },
    )
    assert response.status_code == 201, response.text


async def test_include_adds_relationships_and_included_items(ada: Shopper) -> None:
    await _sub_items(ada)
    query = "include=customer.address,customer/property,product,customer.address,unknown"
    response = await ada.get(f"/jsonapi/customer?{query}")
    product_link = url("product", "id=1&related=relationships&relatedid=1")
    relationships = {
        "customer.address": {"data": [{"id": "1", "type": "customer.address"}]},
        "product": {
            "data": [
                {
                    "id": "42",
                    "type": "product",
                    "attributes": list_attributes("1", "42", type="favorite"),
                    "links": {"self": {"href": product_link, "allow": ["DELETE", "PATCH"]}},
                }
            ]
        },
        "customer.property": {"data": [{"id": "1", "type": "customer.property"}]},
    }
    included = [
        {
            "id": "1",
            "type": "customer.address",
            "attributes": address_attributes("1", countryid="DE", lastname="Home"),
            "links": address_links("1", "1", "payment"),
        },
        {
            "id": "1",
            "type": "customer.property",
            "attributes": {
                "customer.property.id": "1",
                "customer.property.languageid": None,
                "customer.property.value": "weekly",
                "customer.property.type": "newsletter",
            },
            "links": {
                "self": {
                    "href": url(query="id=1&related=property&relatedid=1"),
                    "allow": ["DELETE", "GET", "PATCH"],
                }
            },
        },
    ]
    self_link = url(
        query="include=customer.address%2Ccustomer%2Fproperty%2Cproduct%2Ccustomer.address%2Cunknown"
    )
    body = customer_doc(
        "1", ADA_ATTRIBUTES, self_link=self_link, relationships=relationships, included=included
    )
    assert_doc(response, 200, body)


async def test_fields_of_included_types(ada: Shopper) -> None:
    await _sub_items(ada)
    response = await ada.get(
        "/jsonapi/customer?include=customer/address,customer/property"
        "&fields[customer.address]=customer.address.countryid"
        "&fields[customer.property]=customer.property.type&fields[customer]=customer.id"
    )
    body = response.json()
    assert body["data"]["attributes"] == {"customer.id": "1"}
    assert [item["attributes"] for item in body["included"]] == [
        {"customer.address.countryid": "DE"},
        {"customer.property.type": "newsletter"},
    ]


async def test_without_include_there_are_no_relationships(ada: Shopper) -> None:
    await _sub_items(ada)
    assert_doc(await ada.get("/jsonapi/customer"), 200, customer_doc("1", ADA_ATTRIBUTES))
    # Anonymous callers have nothing to include.
    ada.http.cookies.clear()
    response = await ada.get("/jsonapi/customer?include=customer/address")
    body = customer_doc(None, EMPTY_CUSTOMER, self_link=url(query="include=customer%2Faddress"))
    assert_doc(response, 200, body)


# ---- POST: registration ------------------------------------------------------------------


async def test_registration_answers_201_with_the_id_only(anon: Shopper, services: Services) -> None:
    response = await anon.post(
        "/jsonapi/customer",
        json=attributes(email=ADA, password=PASSWORD, **FULL, status=0, groups=["9"], id="77"),
    )
    assert_doc(response, 201, id_only_doc("1"))
    # Not signed in by registering.
    assert (await anon.get("/jsonapi/customer")).json()["data"]["id"] is None
    rows = await _sql(
        services, "SELECT status, group_id, full_name, login_name, created_ip FROM customer"
    )
    assert [tuple(r) for r in rows] == [(1, 1, "Ada Lovelace", "countess", "203.0.113.7")]
    await anon.login(ADA)
    shown = customer_attributes("1", ADA, **FULL_SHOWN)
    assert_doc(await anon.get("/jsonapi/customer"), 200, customer_doc("1", shown))


@pytest.mark.parametrize(
    ("values", "title", "pointer"),
    [
        ({"password": PASSWORD}, "Email is required and cannot be empty", "customer.email"),
        ({"email": ADA}, "Password is required and cannot be empty", "customer.password"),
        (
            {"email": ADA, "password": "short"},
            "Password must be at least 8 characters",
            "customer.password",
        ),
        (
            {"email": "nope", "password": PASSWORD},
            'Invalid characters in email address: "nope"',
            "customer.email",
        ),
        (
            {"email": ADA, "password": PASSWORD, "website": "no site"},
            'Invalid web site URL "no site"',
            "customer.website",
        ),
        (
            {"email": ADA, "password": PASSWORD, "salutation": "professor"},
            'Address salutation "professor" not within allowed range',
            "customer.salutation",
        ),
        (
            {"email": ADA, "password": PASSWORD, "countryid": "GBR"},
            'Invalid country code "GBR"',
            "customer.countryid",
        ),
        (
            {"email": ADA, "password": PASSWORD, "languageid": "english"},
            'Invalid language code "english"',
            "customer.languageid",
        ),
        (
            {"email": ADA, "password": PASSWORD, "birthday": "10.12.1815"},
            'Invalid date "10.12.1815", expected YYYY-MM-DD',
            "customer.birthday",
        ),
        (
            {"email": ADA, "password": PASSWORD, "birthday": "1815-02-30"},
            'Invalid date "1815-02-30", expected YYYY-MM-DD',
            "customer.birthday",
        ),
        (
            {"email": ADA, "password": PASSWORD, "longitude": "east"},
            "Longitude must be a number",
            "customer.longitude",
        ),
        (
            {"email": ADA, "password": PASSWORD, "latitude": 95},
            "Latitude must be between -90 and 90",
            "customer.latitude",
        ),
        (
            {"email": ADA, "password": PASSWORD, "code": "two words"},
            "Login name must not contain spaces",
            "customer.code",
        ),
        (
            {"email": ADA, "password": PASSWORD, "city": ["London"]},
            "City must be a string",
            "customer.city",
        ),
        (
            {"email": ADA, "password": PASSWORD, "firstname": {"a": 1}},
            "First name must be a string",
            "customer.firstname",
        ),
        (
            {"email": ADA, "password": PASSWORD, "lastname": "x" * 256},
            "Last name must be at most 255 characters",
            "customer.lastname",
        ),
        (
            {"email": ADA, "password": PASSWORD, "postal": "1\x002"},
            "Postcode must not contain NUL characters",
            "customer.postal",
        ),
    ],
)
async def test_bad_attributes_answer_400_pointing_at_them(
    anon: Shopper, values: dict[str, Any], title: str, pointer: str
) -> None:
    response = await anon.post("/jsonapi/customer", json=attributes(**values))
    body = error_doc(CUSTOMER_URL, invalid(title, f"/data/attributes/{pointer}"))
    assert_doc(response, 400, body)


async def test_scalars_become_text_as_in_aimeos(anon: Shopper) -> None:
    await register(anon, ADA, firstname=7, lastname=True, company=False, title=1.0, address2=2.5)
    await anon.login(ADA)
    shown = (await anon.get("/jsonapi/customer")).json()["data"]["attributes"]
    assert [
        shown[f"customer.{k}"] for k in ("firstname", "lastname", "company", "title", "address2")
    ] == ["7", "1", "", "1", "2.5"]


async def test_a_taken_email_or_code_answers_409(anon: Shopper, ada: Shopper) -> None:
    response = await anon.post(
        "/jsonapi/customer", json=attributes(email=" ADA@Example.com ", password=PASSWORD)
    )
    body = error_doc(
        CUSTOMER_URL, invalid("Email is already used", "/data/attributes/customer.email")
    )
    assert_doc(response, 409, body)
    await register(anon, "c@example.com", code="lovelace")
    response = await anon.post(
        "/jsonapi/customer",
        json=attributes(email="d@example.com", password=PASSWORD, code="LOVELACE"),
    )
    body = error_doc(
        CUSTOMER_URL, invalid("Login name is already used", "/data/attributes/customer.code")
    )
    assert_doc(response, 409, body)


async def test_registration_quota_is_three_per_address_in_four_hours(
    new_shopper: ShopperFactory, services: Services, database_url: str, tmp_path: Path
) -> None:
    first = await new_shopper(ip="192.0.2.50")
    for n in range(3):
        await register(first, f"u{n}@example.com")
    response = await first.post(
        "/jsonapi/customer", json=attributes(email="u3@example.com", password=PASSWORD)
    )
    assert_doc(response, 403, error_doc(CUSTOMER_URL, {"title": "Temporary limit reached"}))
    # Another address may register; the count comes from the stored accounts, so a new
    # process (a new app on the same database) still refuses.
    await register(await new_shopper(ip="192.0.2.51"), "v@example.com")
    async with _app_with(database_url, tmp_path, ip="192.0.2.50") as restarted:
        again = await restarted.post(
            "/jsonapi/customer", json=attributes(email="u4@example.com", password=PASSWORD)
        )
    assert again.status_code == 403
    # Four hours later the window has moved on.
    async with services.engine.begin() as conn:
        await conn.execute(update(Customer).values(created_at=datetime(2000, 1, 1, tzinfo=UTC)))
    await register(first, "u5@example.com")


async def test_the_quota_is_a_setting(database_url: str, tmp_path: Path) -> None:
    async with _app_with(database_url, tmp_path, jsonapi_registration_limit=1) as shopper:
        await register(shopper, "one@example.com")
        response = await shopper.post(
            "/jsonapi/customer", json=attributes(email="two@example.com", password=PASSWORD)
        )
    assert response.status_code == 403


async def test_closed_registration_is_refused(database_url: str, tmp_path: Path) -> None:
    async with _app_with(database_url, tmp_path, public_registration=False) as shopper:
        response = await shopper.post(
            "/jsonapi/customer", json=attributes(email=ADA, password=PASSWORD)
        )
    assert_doc(response, 403, error_doc(CUSTOMER_URL, {"title": "Registration is closed"}))


async def test_post_while_signed_in_updates_the_own_account(ada: Shopper) -> None:
    response = await ada.post("/jsonapi/customer", json=attributes(city="Bath", email=ADA))
    assert_doc(response, 201, id_only_doc("1"))
    shown = (await ada.get("/jsonapi/customer")).json()["data"]["attributes"]
    assert shown["customer.city"] == "Bath"
    # Under the PATCH rules: a new password needs the current one.
    response = await ada.post("/jsonapi/customer", json=attributes(password="New-password-1"))
    body = error_doc(
        CUSTOMER_URL,
        invalid(
            "The current password is required to change the password",
            "/data/attributes/customer.oldpassword",
        ),
    )
    assert_doc(response, 400, body)


# ---- PATCH -------------------------------------------------------------------------------


async def test_anonymous_patch_is_refused(anon: Shopper, services: Services) -> None:
    response = await anon.patch("/jsonapi/customer", json=attributes(email=ADA))
    assert_doc(response, 401, error_doc(CUSTOMER_URL, {"title": "Authentication required"}))
    assert await _sql(services, "SELECT customer_id FROM customer") == []


async def test_patch_changes_only_what_it_gives(ada: Shopper) -> None:
    response = await ada.patch(
        "/jsonapi/customer",
        json=attributes(city="London", firstname="Augusta", company=None, status=0, groups=["1"]),
    )
    shown = {**ADA_ATTRIBUTES, "customer.city": "London", "customer.firstname": "Augusta"}
    assert_doc(response, 200, customer_doc("1", shown))
    response = await ada.patch("/jsonapi/customer", json=attributes(city="", mobile="+1"))
    shown = {**shown, "customer.city": "", "customer.mobile": "+1"}
    assert_doc(response, 200, customer_doc("1", shown))
    # Nothing to change is fine, PHP's empty array included.
    for empty in ({}, []):
        response = await ada.patch("/jsonapi/customer", json={"data": {"attributes": empty}})
        assert_doc(response, 200, customer_doc("1", shown))


async def test_patch_answers_with_the_included_items(ada: Shopper) -> None:
    await _sub_items(ada)
    response = await ada.patch(
        "/jsonapi/customer?include=customer.address", json=attributes(title="Dr.")
    )
    body = response.json()
    assert response.status_code == 200
    assert body["data"]["relationships"] == {
        "customer.address": {"data": [{"id": "1", "type": "customer.address"}]}
    }
    assert [i["type"] for i in body["included"]] == ["customer.address"]


@pytest.mark.parametrize(
    ("old", "title"),
    [
        (None, "The current password is required to change the password"),
        ("", "The current password is required to change the password"),
        ("Wrong-password", "The current password is not correct"),
    ],
)
async def test_a_password_change_needs_the_current_password(
    ada: Shopper, old: str | None, title: str
) -> None:
    values: dict[str, Any] = {"password": "New-password-1"}
    if old is not None:
        values["oldpassword"] = old
    response = await ada.patch("/jsonapi/customer", json=attributes(**values))
    body = error_doc(CUSTOMER_URL, invalid(title, "/data/attributes/customer.oldpassword"))
    assert_doc(response, 400, body)
    assert (await ada.get("/jsonapi/customer")).json()["data"]["id"] == "1"


async def test_the_right_current_password_changes_it_and_ends_the_sessions(
    ada: Shopper, new_shopper: ShopperFactory
) -> None:
    token_before = ada.token
    response = await ada.patch(
        "/jsonapi/customer",
        json=attributes(password="New-password-1", oldpassword=PASSWORD),
    )
    assert_doc(response, 200, customer_doc("1", ADA_ATTRIBUTES))
    # The session is over: the answer already carries an anonymous token, and the next
    # request is anonymous.
    assert response.json()["meta"]["csrf"]["value"] != token_before
    assert (await ada.get("/jsonapi/customer")).json()["data"]["id"] is None
    other = await new_shopper()
    refused = await other.http.post("/customer/login", json={"email": ADA, "password": PASSWORD})
    assert refused.status_code == 400
    await other.login(ADA, "New-password-1")


async def test_an_empty_password_is_ignored(ada: Shopper) -> None:
    response = await ada.patch("/jsonapi/customer", json=attributes(password="", city="Bath"))
    assert response.status_code == 200
    assert (await ada.get("/jsonapi/customer")).json()["data"]["id"] == "1"


async def test_the_old_password_rule_is_a_setting(database_url: str, tmp_path: Path) -> None:
    async with _app_with(database_url, tmp_path, jsonapi_require_old_password=False) as shopper:
        await register(shopper, ADA)
        await shopper.login(ADA)
        response = await shopper.patch(
            "/jsonapi/customer", json=attributes(password="New-password-1")
        )
        assert response.status_code == 200
        await shopper.login(ADA, "New-password-1")


async def test_code_and_email_changes(ada: Shopper, bob: Shopper) -> None:
    response = await ada.patch("/jsonapi/customer", json=attributes(email="augusta@example.com"))
    shown = response.json()["data"]["attributes"]
    # No code of its own: the code follows the email.
    assert (shown["customer.email"], shown["customer.code"]) == (
        "augusta@example.com",
        "augusta@example.com",
    )
    response = await ada.patch("/jsonapi/customer", json=attributes(code="countess"))
    assert response.json()["data"]["attributes"]["customer.code"] == "countess"
    response = await bob.patch("/jsonapi/customer", json=attributes(email="AUGUSTA@example.com"))
    body = error_doc(
        CUSTOMER_URL, invalid("Email is already used", "/data/attributes/customer.email")
    )
    assert_doc(response, 409, body)
    response = await bob.patch("/jsonapi/customer", json=attributes(code="Countess"))
    body = error_doc(
        CUSTOMER_URL, invalid("Login name is already used", "/data/attributes/customer.code")
    )
    assert_doc(response, 409, body)


# ---- DELETE ------------------------------------------------------------------------------


async def test_delete_removes_the_account_and_ends_its_sessions(
    ada: Shopper, services: Services, new_shopper: ShopperFactory
) -> None:
    await _sub_items(ada)
    second = await new_shopper()
    await second.login(ADA)
    response = await ada.delete("/jsonapi/customer?id=99")
    body = {"meta": meta(0), "links": {"self": url(query="id=99")}}
    assert_doc(response, 200, body)
    for table in ("customer", "customer_address", "customer_property", "customer_list"):
        assert await _sql(services, f"SELECT * FROM {table}") == []
    assert await _sql(services, "SELECT * FROM customer_session") == []
    for shopper in (ada, second):
        assert (await shopper.get("/jsonapi/customer")).json()["data"]["id"] is None
    refused = await second.http.post("/customer/login", json={"email": ADA, "password": PASSWORD})
    assert refused.status_code == 400


async def test_anonymous_delete_does_nothing_and_answers_200(
    anon: Shopper, ada: Shopper, services: Services
) -> None:
    response = await anon.delete("/jsonapi/customer")
    assert_doc(response, 200, {"meta": meta(0), "links": {"self": CUSTOMER_URL}})
    assert len(await _sql(services, "SELECT * FROM customer")) == 1


async def test_delete_ignores_the_body(ada: Shopper) -> None:
    response = await ada.request(
        "DELETE", "/jsonapi/customer", content=b"{not json", headers={"content-type": "text/plain"}
    )
    assert response.status_code == 200
    assert json.loads(response.text)["meta"]["total"] == 0
