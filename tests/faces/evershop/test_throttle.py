"""Failed sign-ins, resets and registrations are throttled with 429 and Retry-After."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from patron.faces._shared.services import Services
from patron.main import create_app
from tests import factories
from tests.conftest import make_settings

pytestmark = pytest.mark.anyio
THROTTLED = {
    "error": {
        "status": 429,
        "message": "Too many requests. Please slow down and try again later.",
    }
}


async def _wrong(
    client: httpx.AsyncClient, email: str = "john.smith@example.com"
) -> httpx.Response:
    return await client.post("/customer/login", json={"email": email, "password": "wrong-pass-1"})


async def test_the_eleventh_consecutive_failure_waits(client: httpx.AsyncClient) -> None:
    await factories.register(client)
    for _ in range(10):
        assert (await _wrong(client)).status_code == 400
    response = await _wrong(client)
    assert (response.status_code, response.json()) == (429, THROTTLED)
    assert response.headers["retry-after"] == "1"
    # Even the right password waits: the account is throttled, not the guess.
    right = await client.post(
        "/customer/login",
        json={"email": "john.smith@example.com", "password": factories.CUSTOMER_PASSWORD},
    )
    assert right.status_code == 429


async def test_unknown_accounts_are_throttled_exactly_like_known_ones(
    client: httpx.AsyncClient,
) -> None:
    await factories.register(client)
    known = [(await _wrong(client)).status_code for _ in range(11)]
    unknown = [(await _wrong(client, "ghost@example.com")).status_code for _ in range(11)]
    assert known == unknown == [400] * 10 + [429]


async def test_token_and_admin_logins_share_the_rule(
    client: httpx.AsyncClient, services: Services
) -> None:
    await factories.create_admin(services)
    for _ in range(10):
        await client.post(
            "/admin/user/login", json={"email": factories.ADMIN_EMAIL, "password": "x"}
        )
    response = await client.post(
        "/api/user/tokens", json={"email": factories.ADMIN_EMAIL, "password": "x"}
    )
    assert (response.status_code, response.json()) == (429, THROTTLED)


async def test_reset_requests_back_off_per_account(client: httpx.AsyncClient) -> None:
    for _ in range(10):
        ok = await client.post("/api/customers/reset-password", json={"email": "a@example.com"})
        assert ok.status_code == 200
    response = await client.post("/api/customers/reset-password", json={"email": "a@example.com"})
    assert (response.status_code, response.headers["retry-after"]) == (429, "1")


async def test_switched_off_nothing_is_throttled(database_url: str, tmp_path: Path) -> None:
    settings = make_settings(database_url, tmp_path, throttle_enabled=False)
    services = Services.build(settings)
    transport = httpx.ASGITransport(app=create_app(settings, services))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        statuses = {(await _wrong(client)).status_code for _ in range(15)}
    await services.close()
    assert statuses == {400}
