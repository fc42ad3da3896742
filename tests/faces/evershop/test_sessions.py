"""Customers list and end their own sessions; admins do it for them."""

from __future__ import annotations

import httpx
import pytest

from patron.faces._shared.services import Services
from tests import factories

pytestmark = pytest.mark.anyio


async def _two_sessions(client: httpx.AsyncClient) -> tuple[str, str]:
    await factories.register(client)
    first = await factories.customer_login(client)
    second = await factories.customer_login(client)
    client.cookies.clear()
    return first, second


async def test_a_customer_lists_its_live_sessions_without_tokens(client: httpx.AsyncClient) -> None:
    first, second = await _two_sessions(client)
    response = await client.get(
        "/api/customers/me/sessions", headers={"X-Session-ID": second, "User-Agent": "probe/1"}
    )
    assert response.status_code == 200
    sessions = response.json()["data"]
    assert len(sessions) == 2
    assert [s["current"] for s in sessions] == [False, True]
    assert set(sessions[0]) == {
        "uuid",
        "face",
        "ip",
        "user_agent",
        "created_at",
        "last_seen_at",
        "expires_at",
        "current",
    }
    assert sessions[0]["ip"] == "203.0.113.7"
    assert sessions[0]["face"] == "evershop"
    assert first not in response.text
    assert second not in response.text


async def test_a_customer_ends_one_of_its_sessions(client: httpx.AsyncClient) -> None:
    first, second = await _two_sessions(client)
    listed = (
        await client.get("/api/customers/me/sessions", headers={"X-Session-ID": second})
    ).json()
    other = next(s["uuid"] for s in listed["data"] if not s["current"])
    response = await client.delete(
        f"/api/customers/me/sessions/{other}", headers={"X-Session-ID": second}
    )
    assert (response.status_code, response.json()) == (200, {"data": {}})
    gone = await client.get("/api/customers/me/sessions", headers={"X-Session-ID": first})
    assert gone.status_code == 401
    still = await client.get("/api/customers/me/sessions", headers={"X-Session-ID": second})
    assert len(still.json()["data"]) == 1


async def test_another_customers_session_is_not_found(client: httpx.AsyncClient) -> None:
    _, mine = await _two_sessions(client)
    await factories.register(client, email="other@example.com", full_name="Other")
    theirs = await factories.customer_login(client, email="other@example.com")
    client.cookies.clear()
    listed = await client.get("/api/customers/me/sessions", headers={"X-Session-ID": theirs})
    their_uuid = listed.json()["data"][0]["uuid"]
    response = await client.delete(
        f"/api/customers/me/sessions/{their_uuid}", headers={"X-Session-ID": mine}
    )
    assert (response.status_code, response.json()) == (
        404,
        {"error": {"status": 404, "message": "Session not found"}},
    )
    still = await client.get("/api/customers/me/sessions", headers={"X-Session-ID": theirs})
    assert still.status_code == 200


async def test_session_routes_need_a_session(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/customers/me/sessions")
    assert (response.status_code, response.json()) == (
        401,
        {"error": {"status": 401, "message": "You must be logged in to manage your sessions"}},
    )


async def test_an_admin_lists_and_ends_a_customers_sessions(
    client: httpx.AsyncClient, services: Services
) -> None:
    await factories.create_admin(services)
    created = await factories.register(client)
    sid = await factories.customer_login(client)
    client.cookies.clear()
    await factories.admin_login(client)
    listed = await client.get(f"/api/customers/{created['uuid']}/sessions")
    assert listed.status_code == 200
    [session] = listed.json()["data"]
    assert session["current"] is False
    one = await client.delete(f"/api/customers/{created['uuid']}/sessions/{session['uuid']}")
    assert (one.status_code, one.json()) == (200, {"data": {}})
    me = await client.get("/api/customers/me/sessions", headers={"X-Session-ID": sid})
    assert me.status_code == 401
    await factories.customer_login(client)
    everything = await client.delete(f"/api/customers/{created['uuid']}/sessions")
    assert (everything.status_code, everything.json()) == (200, {"data": {}})
    assert (await client.get(f"/api/customers/{created['uuid']}/sessions")).json() == {"data": []}
    unknown = await client.get("/api/customers/00000000-0000-4000-8000-000000000000/sessions")
    assert unknown.status_code == 404


async def test_customers_cannot_use_the_admin_session_routes(client: httpx.AsyncClient) -> None:
    created = await factories.register(client)
    await factories.customer_login(client)
    response = await client.get(f"/api/customers/{created['uuid']}/sessions")
    assert (response.status_code, response.json()) == (
        401,
        {"error": {"status": 401, "message": "Unauthorized"}},
    )
