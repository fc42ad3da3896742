"""ETag/If-Match on the customer and Idempotency-Key on registration, in JSON:API documents."""

from __future__ import annotations

import httpx
import pytest

from tests import factories

pytestmark = pytest.mark.anyio
JSONAPI = {"Content-Type": "application/vnd.api+json"}


async def _signed_in(client: httpx.AsyncClient) -> dict[str, str]:
    await factories.register(client)
    sid = await factories.customer_login(client)
    client.cookies.clear()
    return {**JSONAPI, "X-Session-ID": sid}


async def test_get_and_patch_carry_the_record_version(client: httpx.AsyncClient) -> None:
    headers = await _signed_in(client)
    first = await client.get("/jsonapi/customer", headers=headers)
    assert first.headers["etag"] == '"1"'
    body = {"data": {"attributes": {"customer.firstname": "Jo"}}}
    patched = await client.patch("/jsonapi/customer", json=body, headers=headers)
    assert (patched.status_code, patched.headers["etag"]) == (200, '"2"')


async def test_a_stale_if_match_is_refused_with_412(client: httpx.AsyncClient) -> None:
    headers = await _signed_in(client)
    body = {"data": {"attributes": {"customer.firstname": "Jo"}}}
    await client.patch("/jsonapi/customer", json=body, headers=headers)
    stale = await client.patch(
        "/jsonapi/customer", json=body, headers={**headers, "If-Match": '"1"'}
    )
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/vnd.api+json"
    assert stale.json()["errors"][0]["title"] == "The customer has changed since it was read"
    fresh = await client.patch(
        "/jsonapi/customer", json=body, headers={**headers, "If-Match": '"2"'}
    )
    assert fresh.status_code == 200


async def test_registration_with_an_idempotency_key_happens_once(
    client: httpx.AsyncClient,
) -> None:
    body = {
        "data": {
            "attributes": {
                "customer.email": "idem@example.com",
                "customer.password": "Secret-67c44859",
            }
        }
    }
    headers = {**JSONAPI, "Idempotency-Key": "reg-1"}
    first = await client.post("/jsonapi/customer", json=body, headers=headers)
    client.cookies.clear()  # a client without cookies needs no CSRF token
    again = await client.post("/jsonapi/customer", json=body, headers=headers)
    client.cookies.clear()
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    other = await client.post(
        "/jsonapi/customer",
        json={
            "data": {
                "attributes": {
                    "customer.email": "x@example.com",
                    "customer.password": "Secret-67c44859",
                }
            }
        },
        headers=headers,
    )
    assert other.status_code == 422
    assert other.json()["errors"][0]["title"] == (
        "This Idempotency-Key was used with a different request"
    )
