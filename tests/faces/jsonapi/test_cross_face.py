"""One account, two faces: EverShop's registration and login serve JSON:API, and what JSON:API
writes is what EverShop reads."""

from __future__ import annotations

import httpx
import pytest

from patron.faces._shared.services import Services
from tests import factories
from tests.faces.evershop import wire as evershop
from tests.faces.jsonapi.conftest import ShopperFactory, register
from tests.faces.jsonapi.wire import (
    Shopper,
    address_entry,
    assert_doc,
    attributes,
    customer_attributes,
    customer_doc,
)

pytestmark = pytest.mark.anyio

JOHN = "john.smith@example.com"


@pytest.fixture
async def admin(services: Services, new_shopper: ShopperFactory) -> httpx.AsyncClient:
    """An EverShop admin client (``asid`` cookie)."""
    await factories.create_admin(services)
    shopper = await new_shopper(ip="10.9.9.9")
    await factories.admin_login(shopper.http)
    return shopper.http


async def test_an_evershop_customer_logs_in_once_and_uses_jsonapi(
    new_shopper: ShopperFactory, admin: httpx.AsyncClient
) -> None:
    shopper = await new_shopper()
    created = await factories.register(shopper.http, JOHN, "John Smith")
    await shopper.login(JOHN, factories.CUSTOMER_PASSWORD)

    # Read: EverShop's full name arrives split into Aimeos' first and last name.
    john = customer_attributes(
        str(created["customer_id"]), JOHN, firstname="John", lastname="Smith"
    )
    assert_doc(await shopper.get("/jsonapi/customer"), 200, customer_doc("1", john))

    # Edit through JSON:API; EverShop shows the rebuilt full name and the new email.
    response = await shopper.patch(
        "/jsonapi/customer",
        json=attributes(firstname="Johnny", email="johnny@example.com", city="Leeds"),
    )
    assert response.status_code == 200, response.text
    uuid = created["uuid"]
    got = await admin.get(f"/api/customers/{uuid}")
    evershop.assert_json(
        got,
        200,
        {
            "data": {
                **evershop.customer(1, "johnny@example.com", "Johnny Smith", uuid=uuid),
                "addresses": [],
            }
        },
    )

    # An address added through JSON:API is one of EverShop's addresses.
    response = await shopper.post(
        "/jsonapi/customer?related=address",
        json={
            "data": {
                "attributes": {
                    "customer.address.firstname": "John",
                    "customer.address.lastname": "Smith",
                    "customer.address.address1": "1 Park Row",
                    "customer.address.address2": "Flat 2",
                    "customer.address.city": "Leeds",
                    "customer.address.state": "West Yorkshire",
                    "customer.address.countryid": "gb",
                    "customer.address.postal": "LS1 5AB",
                    "customer.address.telephone": "+44113",
                }
            }
        },
    )
    assert response.status_code == 201, response.text
    got = (await admin.get(f"/api/customers/{uuid}")).json()["data"]["addresses"]
    assert got == [
        {
            "customer_address_id": 1,
            "uuid": evershop.UUID,
            "full_name": "John Smith",
            "telephone": "+44113",
            "address_1": "1 Park Row",
            "address_2": "Flat 2",
            "city": "Leeds",
            "province": "West Yorkshire",
            "country": "GB",
            "postcode": "LS1 5AB",
            "is_default": False,
        }
    ]


async def test_an_address_added_through_evershop_shows_in_jsonapi(
    new_shopper: ShopperFactory,
) -> None:
    shopper = await new_shopper()
    await factories.register(shopper.http, JOHN, "John Smith")
    sid = await shopper.login(JOHN, factories.CUSTOMER_PASSWORD)
    response = await shopper.http.post(
        "/api/customers/me/addresses",
        json={
            "full_name": "John Smith",
            "telephone": "+44113",
            "address_1": "1 Park Row",
            "city": "Leeds",
            "province": "West Yorkshire",
            "country": "GB",
            "postcode": "LS1 5AB",
            "is_default": True,
        },
        headers={"X-Session-ID": sid},
    )
    assert response.status_code == 200, response.text
    listed = (await shopper.get("/jsonapi/customer?related=address")).json()["data"]
    assert listed == [
        address_entry(
            "1",
            "1",
            firstname="John",
            lastname="Smith",
            address1="1 Park Row",
            city="Leeds",
            state="West Yorkshire",
            countryid="GB",
            postal="LS1 5AB",
            telephone="+44113",
        )
    ]


async def test_a_jsonapi_registration_signs_in_on_evershop(anon: Shopper) -> None:
    await register(anon, "ada@example.com", firstname="Ada", lastname="Lovelace")
    sid = await anon.login("ada@example.com")
    response = await anon.http.patch(
        "/api/customers/me", json={"full_name": "Ada King"}, headers={"X-Session-ID": sid}
    )
    assert response.status_code == 200, response.text
    shown = (await anon.get("/jsonapi/customer")).json()["data"]["attributes"]
    assert (shown["customer.firstname"], shown["customer.lastname"]) == ("Ada", "King")
