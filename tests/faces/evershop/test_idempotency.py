"""Idempotency-Key on creating requests."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from patron.faces._shared.services import Services
from tests import factories

pytestmark = pytest.mark.anyio
BODY = {"email": "idem@example.com", "password": "Secret-67c44859", "full_name": "Idem Potent"}


async def test_the_same_key_and_body_get_the_first_answer_again(client: httpx.AsyncClient) -> None:
    headers = {"Idempotency-Key": "create-1"}
    first = await client.post("/api/customers", json=BODY, headers=headers)
    again = await client.post("/api/customers", json=BODY, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["content-type"] == "application/json; charset=utf-8"


async def test_a_key_reused_with_another_body_is_refused(client: httpx.AsyncClient) -> None:
    headers = {"Idempotency-Key": "create-2"}
    await client.post("/api/customers", json=BODY, headers=headers)
    other = await client.post(
        "/api/customers", json={**BODY, "email": "other@example.com"}, headers=headers
    )
    assert (other.status_code, other.json()) == (
        422,
        {
            "error": {
                "status": 422,
                "message": "This Idempotency-Key was used with a different request",
            }
        },
    )


async def test_errors_are_replayed_too_and_keys_are_per_caller(
    client: httpx.AsyncClient, services: Services
) -> None:
    await factories.register(client, email=BODY["email"])
    headers = {"Idempotency-Key": "create-3"}
    conflict = await client.post("/api/customers", json=BODY, headers=headers)
    assert conflict.status_code == 409
    replay = await client.post("/api/customers", json=BODY, headers=headers)
    assert (replay.status_code, replay.content) == (409, conflict.content)
    await factories.create_admin(services)
    await factories.admin_login(client)
    as_admin = await client.post("/api/customers", json=BODY, headers=headers)
    assert as_admin.status_code == 409
    assert "idempotent-replayed" not in as_admin.headers


async def test_without_a_key_each_request_runs(client: httpx.AsyncClient) -> None:
    await client.post("/api/customers", json=BODY)
    second = await client.post("/api/customers", json=BODY)
    assert second.status_code == 409


async def test_bad_keys_are_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/customers", json=BODY, headers={"Idempotency-Key": "x" * 256}
    )
    assert (response.status_code, response.json()["error"]["message"]) == (
        400,
        "Idempotency-Key must be 1 to 255 visible ASCII characters",
    )


async def test_address_creation_is_idempotent(client: httpx.AsyncClient) -> None:
    await factories.register(client)
    sid = await factories.customer_login(client)
    client.cookies.clear()
    address = {
        "full_name": "John Smith",
        "address_1": "1 Main St",
        "province": "IL",
        "country": "US",
        "postcode": "62701",
    }
    headers = {"X-Session-ID": sid, "Idempotency-Key": "addr-1"}
    first = await client.post("/api/customers/me/addresses", json=address, headers=headers)
    again = await client.post("/api/customers/me/addresses", json=address, headers=headers)
    assert first.status_code == 200
    assert again.content == first.content


async def test_parallel_requests_with_one_key_create_one_customer(
    client: httpx.AsyncClient, services: Services
) -> None:
    if services.settings.database_url.startswith("sqlite"):
        pytest.skip("concurrent writers need PostgreSQL")
    headers = {"Idempotency-Key": "race-1"}
    responses = await asyncio.gather(
        *(client.post("/api/customers", json=BODY, headers=headers) for _ in range(10))
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(200) >= 1
    assert set(statuses) <= {200, 409}
    bodies = {r.content for r in responses if r.status_code == 200}
    assert len(bodies) == 1  # every success is the same, single creation
