"""ETag on customer reads and If-Match on updates (optimistic concurrency)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from patron.faces._shared.services import Services
from tests import factories

pytestmark = pytest.mark.anyio
STALE = {"error": {"status": 412, "message": "The customer has changed since it was read"}}


@pytest.fixture
async def admin_and_customer(
    client: httpx.AsyncClient, services: Services
) -> tuple[httpx.AsyncClient, str]:
    await factories.create_admin(services)
    await factories.admin_login(client)
    created = await factories.register(client)
    return client, created["uuid"]


async def test_reads_carry_an_etag_that_changes_with_every_update(
    admin_and_customer: tuple[httpx.AsyncClient, str],
) -> None:
    client, uuid = admin_and_customer
    first = await client.get(f"/api/customers/{uuid}")
    assert first.headers["etag"] == '"1"'
    patched = await client.patch(f"/api/customers/{uuid}", json={"full_name": "New Name"})
    assert patched.headers["etag"] == '"2"'
    assert (await client.get(f"/api/customers/{uuid}")).headers["etag"] == '"2"'


async def test_if_match_with_the_current_etag_applies_the_change(
    admin_and_customer: tuple[httpx.AsyncClient, str],
) -> None:
    client, uuid = admin_and_customer
    tag = (await client.get(f"/api/customers/{uuid}")).headers["etag"]
    response = await client.patch(
        f"/api/customers/{uuid}", json={"full_name": "Matched"}, headers={"If-Match": tag}
    )
    assert response.status_code == 200
    assert response.json()["data"]["full_name"] == "Matched"


async def test_if_match_with_a_stale_etag_is_refused_and_changes_nothing(
    admin_and_customer: tuple[httpx.AsyncClient, str],
) -> None:
    client, uuid = admin_and_customer
    stale = (await client.get(f"/api/customers/{uuid}")).headers["etag"]
    await client.patch(f"/api/customers/{uuid}", json={"full_name": "Someone Else"})
    for header in (stale, 'W/"2"', '"nonsense"'):
        response = await client.patch(
            f"/api/customers/{uuid}",
            json={"full_name": "Lost Update"},
            headers={"If-Match": header},
        )
        assert (response.status_code, response.json()) == (412, STALE)
    assert (await client.get(f"/api/customers/{uuid}")).json()["data"][
        "full_name"
    ] == "Someone Else"
    star = await client.patch(
        f"/api/customers/{uuid}", json={"full_name": "Any"}, headers={"If-Match": "*"}
    )
    assert star.status_code == 200
    listed = await client.patch(
        f"/api/customers/{uuid}", json={"full_name": "Listed"}, headers={"If-Match": '"1", "3"'}
    )
    assert listed.status_code == 200


async def test_if_match_on_the_customers_own_profile(client: httpx.AsyncClient) -> None:
    await factories.register(client)
    sid = await factories.customer_login(client)
    headers = {"X-Session-ID": sid, "If-Match": '"7"'}
    response = await client.patch("/api/customers/me", json={"full_name": "Me"}, headers=headers)
    assert (response.status_code, response.json()) == (412, STALE)
    headers["If-Match"] = '"1"'
    response = await client.patch("/api/customers/me", json={"full_name": "Me"}, headers=headers)
    assert (response.status_code, response.headers["etag"]) == (200, '"2"')


async def test_racing_updates_without_if_match_all_land(
    admin_and_customer: tuple[httpx.AsyncClient, str], services: Services
) -> None:
    client, uuid = admin_and_customer
    if services.settings.database_url.startswith("sqlite"):
        pytest.skip("concurrent writers need PostgreSQL")
    responses = await asyncio.gather(
        *(client.patch(f"/api/customers/{uuid}", json={"full_name": f"Name {i}"}) for i in range(8))
    )
    assert [r.status_code for r in responses] == [200] * 8
    assert (await client.get(f"/api/customers/{uuid}")).headers["etag"] == '"9"'
