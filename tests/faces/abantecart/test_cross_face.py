"""One customer across faces: registered and signed in through AbanteCart, read and changed
through EverShop and the JSON:API with the same session, and back."""

from __future__ import annotations

import httpx
import pytest

from tests.faces.abantecart import wire
from tests.faces.abantecart.wire import post

pytestmark = pytest.mark.anyio


async def test_one_customer_one_session_on_every_face(
    client: httpx.AsyncClient, admin: httpx.AsyncClient
) -> None:
    token = await wire.signup(
        client, "acc_cross_face", "cross@example.com", firstname="Ada", lastname="Lovelace"
    )
    account = (await post(client, "a/account/account", {"token": token})).json()

    # EverShop admin API: the same record.
    (listed,) = (await admin.get("/api/customers", params={"email": "CROSS@example.com"})).json()[
        "data"
    ]
    assert listed["customer_id"] == account["customer_id"]
    detail = (await admin.get(f"/api/customers/{listed['uuid']}")).json()["data"]
    assert (detail["email"], detail["full_name"], detail["status"]) == (
        "cross@example.com",
        "Ada Lovelace",
        1,
    )
    assert [a["province"] for a in detail["addresses"]] == ["CA"]

    # EverShop storefront: the AbanteCart token is the session id there too.
    response = await client.patch(
        "/api/customers/me",
        json={"full_name": "Augusta Ada King"},
        headers={"X-Session-ID": token},
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"]["uuid"] == listed["uuid"]

    # And back: AbanteCart reads the names the EverShop write derived.
    account = (await post(client, "a/account/account", {"token": token})).json()
    assert (account["firstname"], account["lastname"]) == ("Augusta Ada", "King")

    # The Aimeos JSON:API face reads and changes the same customer with the same session.
    jsonapi = {"X-Session-ID": token, "Content-Type": "application/vnd.api+json"}
    document = (await client.get("/jsonapi/customer", headers=jsonapi)).json()
    assert document["data"]["id"] == str(account["customer_id"])
    assert document["data"]["attributes"]["customer.lastname"] == "King"
    client.cookies.clear()  # no cookie: the header session needs no CSRF token
    changed = await client.patch(
        "/jsonapi/customer",
        json={"data": {"attributes": {"customer.firstname": "Augusta"}}},
        headers=jsonapi,
    )
    assert changed.status_code == 200, changed.text
    client.cookies.clear()
    account = (await post(client, "a/account/account", {"token": token})).json()
    assert (account["firstname"], account["lastname"]) == ("Augusta", "King")

    # An AbanteCart edit shows on the EverShop admin API.
    edit = {"token": token, "firstname": "Ada", "lastname": "King", "email": "ada@example.com"}
    assert (await post(client, "a/account/edit", edit)).json()["status"] == 1
    detail = (await admin.get(f"/api/customers/{listed['uuid']}")).json()["data"]
    assert (detail["email"], detail["full_name"]) == ("ada@example.com", "Ada King")

    # Logging out here ends the session on EverShop as well.
    await post(client, "a/account/logout", {"token": token})
    response = await client.patch("/api/customers/me", json={}, headers={"X-Session-ID": token})
    assert response.status_code == 401
