"""CSRF: writes that carry a patron cookie need the token from ``meta.csrf``; 419 otherwise."""

from __future__ import annotations

import pytest

from tests.faces.jsonapi.conftest import ADA, ShopperFactory, register
from tests.faces.jsonapi.wire import (
    CUSTOMER_URL,
    PASSWORD,
    TOKEN,
    Shopper,
    assert_doc,
    attributes,
    error_doc,
    url,
)

pytestmark = pytest.mark.anyio

MISMATCH = {"title": "CSRF token mismatch"}


async def _city(shopper: Shopper) -> str:
    body = (await shopper.get("/jsonapi/customer")).json()
    city: str = body["data"]["attributes"]["customer.city"]
    return city


@pytest.mark.parametrize("token", [None, "", "wrong", "ü\x00" * 20, TOKEN.pattern.pattern])
async def test_a_cookie_session_write_without_the_right_token_is_419(
    ada: Shopper, token: str | None
) -> None:
    params = {} if token is None else {"_token": token}
    response = await ada.patch(
        "/jsonapi/customer", json=attributes(city="Paris"), csrf=False, params=params
    )
    self_link = CUSTOMER_URL  # ``_token`` is never echoed into links
    assert_doc(response, 419, error_doc(self_link, MISMATCH, token=ada.token))
    assert await _city(ada) == ""


async def test_the_token_is_accepted_from_query_header_or_body(ada: Shopper) -> None:
    response = await ada.patch(
        f"/jsonapi/customer?_token={ada.token}", json=attributes(city="Q"), csrf=False
    )
    assert response.status_code == 200, response.text
    response = await ada.patch(
        "/jsonapi/customer", json=attributes(city="H"), headers={"X-CSRF-TOKEN": ada.token}
    )
    assert response.status_code == 200, response.text
    body = {**attributes(city="B"), "_token": ada.token}
    response = await ada.patch("/jsonapi/customer", json=body, csrf=False)
    assert response.status_code == 200, response.text
    assert await _city(ada) == "B"
    # A form body with nothing but the token, as browsers send it, works for a DELETE.
    response = await ada.request(
        "DELETE",
        "/jsonapi/customer?related=address&relatedid=1",
        content=f"_token={ada.token}".encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
        csrf=False,
    )
    assert response.status_code == 200, response.text


async def test_the_token_rotates_at_sign_in(anon: Shopper) -> None:
    await register(anon, ADA)
    before = anon.token
    await anon.login(ADA)
    assert anon.token != before
    response = await anon.patch(
        "/jsonapi/customer", json=attributes(city="Paris"), headers={"X-CSRF-TOKEN": before}
    )
    assert response.status_code == 419


async def test_a_token_is_bound_to_its_session(ada: Shopper, new_shopper: ShopperFactory) -> None:
    second = await new_shopper()
    await second.login(ADA)
    assert second.token != ada.token
    response = await second.patch(
        "/jsonapi/customer", json=attributes(city="Paris"), headers={"X-CSRF-TOKEN": ada.token}
    )
    assert response.status_code == 419


async def test_requests_authenticated_by_header_alone_are_exempt(
    ada: Shopper, new_shopper: ShopperFactory
) -> None:
    script = await new_shopper()
    assert ada.sid is not None
    response = await script.patch(
        "/jsonapi/customer",
        json=attributes(city="Header"),
        csrf=False,
        headers={"X-Session-ID": ada.sid},
    )
    assert response.status_code == 200, response.text
    assert "set-cookie" not in response.headers
    assert await _city(ada) == "Header"


async def test_a_header_session_with_a_patron_cookie_still_needs_the_token(
    ada: Shopper, new_shopper: ShopperFactory
) -> None:
    browser = await new_shopper()
    await browser.get("/jsonapi")  # now holds a nonce cookie
    assert ada.sid is not None
    response = await browser.patch(
        "/jsonapi/customer",
        json=attributes(city="X"),
        csrf=False,
        headers={"X-Session-ID": ada.sid},
    )
    assert response.status_code == 419


async def test_anonymous_registration_with_a_nonce_cookie_needs_the_token(
    anon: Shopper, new_shopper: ShopperFactory
) -> None:
    await anon.get("/jsonapi")
    body = attributes(email=ADA, password=PASSWORD)
    response = await anon.post("/jsonapi/customer", json=body, csrf=False)
    assert_doc(response, 419, error_doc(CUSTOMER_URL, MISMATCH, token=anon.token))
    response = await anon.post("/jsonapi/customer", json=body)
    assert response.status_code == 201
    # A client that keeps no cookies is exempt: nothing a foreign page could ride on.
    script = await new_shopper()
    response = await script.post(
        "/jsonapi/customer",
        json=attributes(email="script@example.com", password=PASSWORD),
        csrf=False,
    )
    assert response.status_code == 201


async def test_a_dead_session_cookie_gets_a_fresh_nonce_to_retry_with(ada: Shopper) -> None:
    await ada.http.post("/customers/logout")
    assert ada.sid is not None
    ada.http.cookies.clear()
    ada.http.cookies.set("sid", ada.sid)
    response = await ada.delete("/jsonapi/customer", csrf=False)
    assert_doc(response, 419, error_doc(CUSTOMER_URL, MISMATCH, token=ada.token))
    assert response.headers["set-cookie"].startswith("patron_csrf=")
    response = await ada.delete("/jsonapi/customer")
    assert response.status_code == 200


async def test_sub_resource_writes_are_protected_and_reads_are_not(ada: Shopper) -> None:
    target = "/jsonapi/customer?related=property"
    body = {"data": {"attributes": {"customer.property.type": "note"}}}
    response = await ada.post(target, json=body, csrf=False)
    assert_doc(response, 419, error_doc(url(query="related=property"), MISMATCH, token=ada.token))
    assert (await ada.get(target)).json()["meta"]["total"] == 0
    assert (await ada.request("OPTIONS", target)).status_code == 200


async def test_every_answer_carries_the_current_token(ada: Shopper) -> None:
    for response in (
        await ada.get("/jsonapi"),
        await ada.get("/jsonapi/customer"),
        await ada.request("OPTIONS", "/jsonapi/customer?related=address"),
        await ada.get("/jsonapi/customer?related=relationships"),
        await ada.patch("/jsonapi/customer", json={"data": {}}),
    ):
        assert response.json()["meta"]["csrf"] == {"name": "_token", "value": ada.token}
