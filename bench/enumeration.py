"""Login timing for a known email with a wrong password against an unknown email.

Runs in process (no network noise) with patron's default argon2id parameters, interleaving
the two kinds, and prints the medians and the difference. Usage: python bench/enumeration.py [N]
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

from patron.cli import upgrade_database
from patron.faces._shared.services import Services
from patron.main import create_app
from patron.settings import Settings


async def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        upgrade_database(url)
        settings = Settings(database_url=url, var_dir=Path(tmp), throttle_enabled=False)
        services = Services.build(settings)
        transport = httpx.ASGITransport(app=create_app(settings, services))
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            await http.post(
                "/api/customers",
                json={"email": "known@example.com", "password": "Right-Pass-123", "full_name": "K"},
            )
            timings: dict[str, list[float]] = {"known": [], "unknown": []}
            for i in range(rounds):
                for kind in ("known", "unknown") if i % 2 else ("unknown", "known"):
                    start = time.perf_counter()
                    response = await http.post(
                        "/customer/login",
                        json={"email": f"{kind}@example.com", "password": "Wrong-Pass-123"},
                    )
                    timings[kind].append((time.perf_counter() - start) * 1000)
                    if response.status_code != 400:
                        raise SystemExit(f"unexpected status {response.status_code}")
        await services.close()
    known, unknown = (statistics.median(timings[k]) for k in ("known", "unknown"))
    print(f"| wrong password, known email | {known:.1f} ms |")
    print(f"| unknown email | {unknown:.1f} ms |")
    print(f"| difference of medians | {abs(known - unknown):.1f} ms ({rounds} each, interleaved) |")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200))
