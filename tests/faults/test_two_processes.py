"""Two patron processes against one PostgreSQL and one Redis behave as one service.

They run on the machine's PostgreSQL (this test session's own database) and Redis, as a
production pair behind a load balancer would: a session made on one works on the other, and
a throttle counted on one holds on the other.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.faults.servers import Patron

pytestmark = pytest.mark.anyio
REDIS_URL = "redis://127.0.0.1:6379/0"
PASSWORD = "Two-Processes-Pass-1"


@pytest.fixture
def pair(postgres_url: str, tmp_path: Path) -> Iterator[tuple[Patron, Patron]]:
    env = {
        "PATRON_DATABASE_URL": postgres_url,
        "PATRON_REDIS_URL": REDIS_URL,
        # Shared by every instance, as in production: tokens signed by one verify on the other.
        "PATRON_JWT_SECRET": secrets.token_urlsafe(32),
    }
    first, second = Patron(tmp_path / "a", env), Patron(tmp_path / "b", env)
    for patron in (first, second):
        patron.start()
    yield first, second
    for patron in (first, second):
        patron.stop()


async def test_a_session_made_on_one_works_on_the_other(pair: tuple[Patron, Patron]) -> None:
    first, second = pair
    email = f"pair-{secrets.token_hex(4)}@example.com"
    async with (
        httpx.AsyncClient(base_url=first.base) as a,
        httpx.AsyncClient(base_url=second.base) as b,
    ):
        created = await a.post(
            "/api/customers", json={"email": email, "password": PASSWORD, "full_name": "Pair"}
        )
        assert created.status_code == 200, created.text
        sid = (await a.post("/customer/login", json={"email": email, "password": PASSWORD})).json()[
            "data"
        ]["sid"]
        me = await b.patch(
            "/api/customers/me", json={"full_name": "Seen On B"}, headers={"X-Session-ID": sid}
        )
        assert (me.status_code, me.json()["data"]["full_name"]) == (200, "Seen On B")
        tokens = await b.post("/api/customer/tokens", json={"email": email, "password": PASSWORD})
        bearer = {"Authorization": f"Bearer {tokens.json()['data']['accessToken']}"}
        assert (
            await a.patch("/api/customers/me", json={"full_name": "X"}, headers=bearer)
        ).status_code == 200
        await b.post("/customer/logout", headers={"X-Session-ID": sid})
        gone = await a.patch(
            "/api/customers/me", json={"full_name": "Y"}, headers={"X-Session-ID": sid}
        )
        assert gone.status_code == 401


async def test_a_throttle_counted_on_one_holds_on_the_other(pair: tuple[Patron, Patron]) -> None:
    first, second = pair
    email = f"throttled-{secrets.token_hex(4)}@example.com"
    wrong = {"email": email, "password": "wrong-pass-1"}
    async with (
        httpx.AsyncClient(base_url=first.base) as a,
        httpx.AsyncClient(base_url=second.base) as b,
    ):
        statuses = []
        for n in range(10):
            client = a if n % 2 else b
            statuses.append((await client.post("/customer/login", json=wrong)).status_code)
        assert statuses == [400] * 10
        assert (await a.post("/customer/login", json=wrong)).status_code == 429
        assert (await b.post("/customer/login", json=wrong)).status_code == 429
    for patron in pair:
        assert "counting in this process" not in patron.log.read_text()
