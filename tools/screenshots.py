"""Screenshots of the admin console for the docs (``make screenshots``).

Starts a throwaway patron on SQLite, fills in a few customers and saves PNGs of the sign-in
page, the grid and a customer page to ``docs/screenshots/``, using Debian's chromium.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

import httpx
from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.faults.servers import Patron  # noqa: E402

ADMIN = ("admin@example.com", "Screenshot-Admin-1")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PEOPLE = [
    "Ada Lovelace",
    "Grace Hopper",
    "Alan Turing",
    "Katherine Johnson",
    "Edsger Dijkstra",
    "Barbara Liskov",
    "Donald Knuth",
    "Frances Allen",
]


async def main() -> None:
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        patron = Patron(Path(tmp), {"PATRON_DATABASE_URL": f"sqlite:///{tmp}/s.sqlite3"})
        patron.run("db", "upgrade")
        patron.run("admin", "create", ADMIN[0], stdin=f"{ADMIN[1]}\n")
        patron.start()
        try:
            async with httpx.AsyncClient(base_url=patron.base) as http:
                for name in PEOPLE:
                    email = name.split()[0].lower() + "@example.com"
                    await http.post(
                        "/api/customers",
                        json={"email": email, "password": "Secret-67c44859", "full_name": name},
                    )
                await http.post(
                    "/customer/login",
                    json={"email": "grace@example.com", "password": "Secret-67c44859"},
                )
            async with async_playwright() as driver:
                browser = await driver.chromium.launch(
                    executable_path="/usr/bin/chromium", headless=True, args=ARGS
                )
                page = await browser.new_page(
                    base_url=patron.base, viewport={"width": 1200, "height": 800}
                )
                await page.goto("/admin/login")
                await page.screenshot(path=str(out / "login.png"))
                await page.fill("input[name=email]", ADMIN[0])
                await page.fill("input[name=password]", ADMIN[1])
                await page.click("button[type=submit]")
                await page.screenshot(path=str(out / "customers.png"), full_page=True)
                await page.click("text=Grace Hopper")
                await page.screenshot(path=str(out / "customer.png"), full_page=True)
                await browser.close()
        finally:
            patron.stop()
    print(f"screenshots written to {out}")


if __name__ == "__main__":
    asyncio.run(main())
