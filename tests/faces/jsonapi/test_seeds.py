"""Seed 003's request/response examples (Aimeos' "Customer handling" page), reproduced.

Where the reference (Aimeos' code) contradicts the seed (older documentation), the expected
bodies follow the reference: ``prefix`` null, no ``customer.status``/``groups``, ``mobile``
present, unset language/country ids are null, sub-resource links with ``customer/review``,
relationships only when included. Each such place is marked below.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from patron.faces._shared.services import Services
from patron.main import create_app
from patron.settings import Settings
from tests.conftest import make_settings
from tests.faces.jsonapi.wire import (
    BASE,
    CUSTOMER_URL,
    EMPTY_CUSTOMER,
    ROOT_HEADERS,
    TOKEN,
    Shopper,
    assert_doc,
    customer_attributes,
    customer_doc,
    error_doc,
    id_only_doc,
    invalid,
)

pytestmark = pytest.mark.anyio


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The seed's sample passwords ("secret123") are on patron's blocklist of common passwords;
    these examples run with the blocklist off, and test_blocklist below shows it on."""
    return make_settings(database_url, tmp_path, password_blocklist=False)


CREATE: dict[str, Any] = {
    "customer.code": "testuser@example.com",
    "customer.label": "Test user",
    "customer.salutation": "mr",
    "customer.company": "Example company",
    "customer.vatid": "DE123456789",
    "customer.title": "Dr.",
    "customer.firstname": "Test",
    "customer.lastname": "User",
    "customer.address1": "Test street",
    "customer.address2": "1",
    "customer.address3": "",
    "customer.postal": "12345",
    "customer.city": "Test city",
    "customer.state": "HH",
    "customer.countryid": "DE",
    "customer.languageid": "de",
    "customer.telehone": "+4912345678",  # the seed's typo: an unknown attribute, ignored
    "customer.telefax": "+49123456789",
    "customer.email": "testuser@example.com",
    "customer.website": "https://example.com",
    "customer.longitude": 10.0,
    "customer.latitude": 50.0,
    "customer.birthday": "2000-01-01",
    "customer.password": "secret123",
}
PATCH = {**CREATE, "customer.address2": "2", "customer.password": "very+secret"}


def _shown(values: dict[str, Any], customer_id: str = "1") -> dict[str, Any]:
    """What a GET shows after ``values`` were written (the 25 attributes, in Aimeos' order)."""
    shown = {key: value for key, value in values.items() if key in EMPTY_CUSTOMER}
    return customer_attributes(customer_id, values["customer.email"]) | shown


async def test_options_names_the_token_and_the_customer_resource(anon: Shopper) -> None:
    response = await anon.http.request("OPTIONS", "/jsonapi")
    body = response.json()
    assert_doc(response, 200, body, ROOT_HEADERS)
    assert body["meta"]["csrf"] == {"name": "_token", "value": TOKEN}
    assert body["meta"]["prefix"] is None  # seed: "ai"; the reference: null
    assert body["meta"]["resources"]["customer"] == "http://localhost:8000/jsonapi/customer"


async def test_an_unauthenticated_get_returns_the_empty_customer(anon: Shopper) -> None:
    response = await anon.http.get("/jsonapi/customer")
    # Seed: languageid/countryid "", status 1, groups []; the reference: null ids, neither of
    # the other two, plus customer.mobile; links also carry customer/review.
    assert_doc(response, 200, customer_doc(None, EMPTY_CUSTOMER))


async def test_create_new_customer(anon: Shopper) -> None:
    token = await anon.refresh()
    response = await anon.http.post(
        f"/jsonapi/customer?_token={token}",
        json={"data": {"attributes": CREATE}},
        headers={"Content-Type": "application/json"},
    )
    # Seed: links.self only; the reference adds the sub-resource links.
    assert_doc(response, 201, id_only_doc("1"))
    await anon.login("testuser@example.com", "secret123")
    response = await anon.get("/jsonapi/customer")
    assert_doc(response, 200, customer_doc("1", _shown(CREATE)))


async def test_the_authenticated_example(anon: Shopper) -> None:
    example = {
        "customer.salutation": "mr",
        "customer.company": "Test company",
        "customer.vatid": "DE12345678",
        "customer.title": "Dr.",
        "customer.firstname": "Test",
        "customer.lastname": "User",
        "customer.address1": "Test street",
        "customer.address2": "1",
        "customer.address3": "2. floor",
        "customer.postal": "12345",
        "customer.city": "Test city",
        "customer.state": "HH",
        "customer.languageid": "de",
        "customer.countryid": "DE",
        "customer.telephone": "+49012345678",
        "customer.email": "example@aimeos.org",
        "customer.telefax": "+490123456789",
        "customer.website": "https://aimeos.org",
        "customer.longitude": 10.0,
        "customer.latitude": 50.0,
        "customer.label": "Test User",
        "customer.code": "example@aimeos.org",
        "customer.birthday": "2000-01-01",
    }
    response = await anon.post(
        "/jsonapi/customer",
        json={"data": {"attributes": {**example, "customer.password": "secret123"}}},
    )
    assert response.status_code == 201
    await anon.login("example@aimeos.org", "secret123")
    # Seed: relationships and included carry the group memberships on a plain GET; the
    # reference: nothing is loaded without include, and groups are not list items here.
    response = await anon.get("/jsonapi/customer")
    assert_doc(response, 200, customer_doc("1", _shown(example)))


async def test_change_customer_data(anon: Shopper) -> None:
    await anon.post("/jsonapi/customer", json={"data": {"attributes": CREATE}})
    await anon.login("testuser@example.com", "secret123")
    # The seed's request changes the password without the current one: refused (DECISIONS).
    response = await anon.patch(
        f"/jsonapi/customer?_token={anon.token}", json={"data": {"attributes": PATCH}}, csrf=False
    )
    body = error_doc(
        CUSTOMER_URL,
        invalid(
            "The current password is required to change the password",
            "/data/attributes/customer.oldpassword",
        ),
    )
    assert_doc(response, 400, body)
    # Without the password, or with the current one, the change goes through.
    without = {k: v for k, v in PATCH.items() if k != "customer.password"}
    response = await anon.patch("/jsonapi/customer", json={"data": {"attributes": without}})
    assert_doc(response, 200, customer_doc("1", _shown(PATCH)))
    response = await anon.patch(
        "/jsonapi/customer",
        json={"data": {"attributes": {**PATCH, "customer.oldpassword": "secret123"}}},
    )
    assert_doc(response, 200, customer_doc("1", _shown(PATCH)))
    await anon.login("testuser@example.com", "very+secret")


async def test_only_changed_fields_need_to_be_sent(anon: Shopper) -> None:
    await anon.post("/jsonapi/customer", json={"data": {"attributes": CREATE}})
    await anon.login("testuser@example.com", "secret123")
    response = await anon.patch(
        "/jsonapi/customer", json={"data": {"attributes": {"customer.address2": "2"}}}
    )
    assert_doc(response, 200, customer_doc("1", _shown(PATCH)))


async def test_limit_the_fields_returned(anon: Shopper) -> None:
    await anon.post("/jsonapi/customer", json={"data": {"attributes": CREATE}})
    await anon.login("testuser@example.com", "secret123")
    response = await anon.get("/jsonapi/customer?fields[customer]=customer.code,customer.email")
    body = response.json()
    assert body["data"]["attributes"] == {
        "customer.email": "testuser@example.com",
        "customer.code": "testuser@example.com",
    }


async def test_delete_customer_then_get_shows_no_id(anon: Shopper) -> None:
    await anon.post("/jsonapi/customer", json={"data": {"attributes": CREATE}})
    await anon.login("testuser@example.com", "secret123")
    response = await anon.http.delete(f"/jsonapi/customer?id=1&_token={anon.token}")
    assert response.status_code == 200
    assert response.json()["links"] == {"self": f"{BASE}/jsonapi/customer?id=1"}
    shown = (await anon.get("/jsonapi/customer")).json()["data"]["attributes"]
    assert shown["customer.id"] is None


async def test_deleting_again_or_someone_else_still_answers_200(anon: Shopper) -> None:
    # "Deleting a user returns a successful response even if the user doesn't exist."
    response = await anon.delete("/jsonapi/customer?id=42")
    assert response.status_code == 200


async def test_the_seed_password_is_refused_with_the_blocklist_on(
    database_url: str, tmp_path: Path
) -> None:
    settings = make_settings(database_url, tmp_path)
    services = Services.build(settings)
    transport = httpx.ASGITransport(app=create_app(settings, services))
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
        response = await http.post(
            "/jsonapi/customer",
            json={"data": {"attributes": {**CREATE}}},
            headers={"Content-Type": "application/vnd.api+json"},
        )
    await services.close()
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "title": "Password is too common; choose one that is harder to guess",
            "source": {"pointer": "/data/attributes/customer.password"},
        }
    ]
