"""Fault tests on private servers: PostgreSQL restarted under load, Redis stopped and started.

Each test starts its own PostgreSQL cluster or redis-server on a free port (see servers.py),
runs a real ``patron serve`` against it and stops everything at the end.
"""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from tests.faults.servers import Patron, PrivatePostgres, PrivateRedis

pytestmark = pytest.mark.anyio
ADMIN = ("faults@example.com", "Faults-Admin-Pass-1")
PASSWORD = "Faults-Customer-Pass-1"


@pytest.fixture
def postgres() -> Iterator[PrivatePostgres]:
    server = PrivatePostgres()
    server.start()
    yield server
    server.remove()


@pytest.fixture
def redis_server() -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


async def _register(http: httpx.AsyncClient, email: str) -> httpx.Response:
    return await http.post(
        "/api/customers", json={"email": email, "password": PASSWORD, "full_name": "Load Test"}
    )


async def test_a_postgres_restart_under_load_loses_no_acknowledged_write(
    postgres: PrivatePostgres, tmp_path: Path
) -> None:
    patron = Patron(
        tmp_path, {"PATRON_DATABASE_URL": postgres.url, "PATRON_THROTTLE_ENABLED": "false"}
    )
    patron.run("db", "upgrade")
    patron.run("admin", "create", ADMIN[0], stdin=f"{ADMIN[1]}\n")
    patron.start()
    statuses: list[int] = []
    registered: list[str] = []
    renamed: dict[str, list[tuple[str, bool]]] = {}  # uuid -> [(name, acknowledged)]
    unavailable: list[dict[str, object]] = []
    try:
        async with httpx.AsyncClient(base_url=patron.base, timeout=20) as http:
            login = await http.post(
                "/admin/user/login", json={"email": ADMIN[0], "password": ADMIN[1]}
            )
            http.cookies.set("asid", login.json()["data"]["sid"])

            async def worker(n: int, until: float) -> None:
                i = 0
                while time.monotonic() < until:
                    i += 1
                    email = f"load-{n}-{i}@example.com"
                    try:
                        created = await _register(http, email)
                    except httpx.TransportError:
                        continue
                    statuses.append(created.status_code)
                    if created.status_code == 503:
                        unavailable.append(created.json())
                    if created.status_code != 200:
                        await asyncio.sleep(0.05)
                        continue
                    registered.append(email)
                    uuid = created.json()["data"]["uuid"]
                    name = f"Renamed {n} {i}"
                    try:
                        patched = await http.patch(
                            f"/api/customers/{uuid}", json={"full_name": name}
                        )
                    except httpx.TransportError:
                        # No answer (a pooled connection closed under us): not acknowledged.
                        renamed.setdefault(uuid, []).append((name, False))
                        continue
                    statuses.append(patched.status_code)
                    renamed.setdefault(uuid, []).append((name, patched.status_code == 200))

            async def restart() -> None:
                await asyncio.sleep(1.5)
                await asyncio.to_thread(postgres.stop)
                await asyncio.sleep(1.5)
                await asyncio.to_thread(postgres.start)

            until = time.monotonic() + 6
            await asyncio.gather(restart(), *(worker(n, until) for n in range(6)))
            for _ in range(100):
                if (await http.get("/readyz")).status_code == 200:
                    break
                await asyncio.sleep(0.1)
            after = await _register(http, "after-restart@example.com")
            assert after.status_code == 200, "patron did not recover by itself"
    finally:
        patron.stop()
    assert 500 not in statuses
    assert set(statuses) <= {200, 503}
    assert statuses.count(503) > 0, "the restart was not noticed: the test proved nothing"
    assert registered, "no write was acknowledged"
    assert {
        "error": {
            "status": 503,
            "message": ("The service is briefly unavailable; try again in a few seconds"),
        }
    } in unavailable
    conn = await asyncpg.connect(postgres.url.replace("postgresql://", "postgres://"))
    try:
        stored = {r["email"] for r in await conn.fetch("SELECT email FROM customer")}
        names = {
            str(r["uuid"]): r["full_name"]
            for r in await conn.fetch("SELECT uuid, full_name FROM customer")
        }
    finally:
        await conn.close()
    assert set(registered) <= stored
    for uuid, attempts in renamed.items():
        acknowledged = [i for i, (_, ok) in enumerate(attempts) if ok]
        if acknowledged:
            later = {name for name, _ in attempts[acknowledged[-1] :]}
            assert names[uuid] in later


async def test_redis_stopped_and_started_keeps_throttling(
    redis_server: PrivateRedis, tmp_path: Path
) -> None:
    patron = Patron(
        tmp_path,
        {
            "PATRON_DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}",
            "PATRON_REDIS_URL": redis_server.url,
        },
    )
    patron.run("db", "upgrade")
    patron.start()

    def keys() -> int:
        out = subprocess.run(
            ["redis-cli", "-p", str(redis_server.port), "--scan", "--pattern", "patron:*"],
            capture_output=True,
            text=True,
            check=False,
        )
        return len(out.stdout.split())

    try:
        async with httpx.AsyncClient(base_url=patron.base, timeout=20) as http:

            async def wrong(email: str) -> int:
                response = await http.post(
                    "/customer/login", json={"email": email, "password": "wrong-pass-1"}
                )
                return response.status_code

            assert await wrong("a@example.com") == 400
            assert keys() == 2  # the account and the address, in Redis
            redis_server.stop()
            # Redis down: counting goes on in the process; the throttle still bites.
            assert [await wrong("b@example.com") for _ in range(11)] == [400] * 10 + [429]
            redis_server.start()
            await asyncio.sleep(5.5)  # the fallback re-tries Redis after five seconds
            assert await wrong("c@example.com") == 400
            assert keys() >= 1
    finally:
        patron.stop()
    log = patron.log.read_text()
    assert "counting in this process" in log
    assert "Traceback" not in log
