"""The throttle holds on every face, each answering 429 in its own format."""

from __future__ import annotations

import httpx
import pytest

from tests import factories

pytestmark = pytest.mark.anyio


async def test_abantecart_login_is_throttled_like_the_others(client: httpx.AsyncClient) -> None:
    await factories.register(client)
    statuses = []
    for _ in range(11):
        response = await client.post(
            "/index.php?rt=a/account/login",
            data={"loginname": "john.smith@example.com", "password": "wrong-pass-1"},
        )
        statuses.append(response.status_code)
    assert statuses == [401] * 10 + [429]
    assert response.headers["retry-after"] == "1"
    assert response.content == b'{"status":0,"error":"Too many attempts"}'


async def test_failures_on_one_face_count_on_the_others(client: httpx.AsyncClient) -> None:
    await factories.register(client)
    for _ in range(10):
        await client.post(
            "/customer/login", json={"email": "john.smith@example.com", "password": "nope-nope-1"}
        )
    response = await client.post(
        "/index.php?rt=a/account/login",
        data={"loginname": "JOHN.SMITH@example.com", "password": "nope-nope-1"},
    )
    assert response.status_code == 429


async def test_registrations_are_counted_per_address_on_every_face(
    client: httpx.AsyncClient,
) -> None:
    for n in range(100):
        await client.post(
            "/api/customers",
            json={"email": f"r{n}@example.com", "password": "Secret-67c44859", "full_name": "R"},
        )
    evershop = await client.post(
        "/api/customers",
        json={"email": "late@example.com", "password": "Secret-67c44859", "full_name": "L"},
    )
    jsonapi = await client.post(
        "/jsonapi/customer",
        json={
            "data": {
                "attributes": {
                    "customer.email": "late2@example.com",
                    "customer.password": "Secret-67c44859",
                }
            }
        },
    )
    abantecart = await client.post(
        "/index.php?rt=a/account/create", data={"loginname": "late_one", "email": "l3@example.com"}
    )
    assert [evershop.status_code, jsonapi.status_code, abantecart.status_code] == [429] * 3
    assert jsonapi.headers["content-type"] == "application/vnd.api+json"
    assert jsonapi.json()["errors"][0]["title"] == (
        "Too many requests. Please slow down and try again later."
    )
    assert abantecart.content == b'{"status":0,"error":"Too many attempts"}'
