"""The admin console in a real browser: Debian's chromium driven by playwright.

Skipped with a message when no chromium is installed, unless PATRON_TEST_BROWSER=required
(CI sets it, after installing chromium): then a missing browser is a failure.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Page, async_playwright, expect

from tests.faults.servers import Patron

pytestmark = pytest.mark.anyio
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ADMIN = ("browser-admin@example.com", "Browser-Admin-Pass-1")


def _require_browser() -> None:
    if shutil.which(CHROMIUM) is None:
        if os.environ.get("PATRON_TEST_BROWSER") == "required":
            pytest.fail(f"{CHROMIUM} is missing and PATRON_TEST_BROWSER=required")
        pytest.skip(f"no chromium at {CHROMIUM}: install Debian's chromium to run browser tests")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Patron]:
    _require_browser()
    patron = Patron(tmp_path, {"PATRON_DATABASE_URL": f"sqlite:///{tmp_path / 'b.sqlite3'}"})
    patron.run("db", "upgrade")
    patron.run("admin", "create", ADMIN[0], stdin=f"{ADMIN[1]}\n")
    patron.start()
    yield patron
    patron.stop()


@pytest.fixture
async def page(server: Patron) -> AsyncIterator[Page]:
    async with async_playwright() as driver:
        browser = await driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = await browser.new_context(base_url=server.base, accept_downloads=True)
        yield await context.new_page()
        await browser.close()


async def test_sign_in_search_open_edit_and_revoke(server: Patron, page: Page) -> None:
    async with httpx.AsyncClient(base_url=server.base) as http:
        for name in ("Ada Lovelace", "Grace Hopper", "Alan Turing"):
            first = name.split()[0].lower()
            await http.post(
                "/api/customers",
                json={
                    "email": f"{first}@example.com",
                    "password": "Secret-67c44859",
                    "full_name": name,
                },
            )
        await http.post(
            "/customer/login", json={"email": "grace@example.com", "password": "Secret-67c44859"}
        )

    await page.goto("/admin/login")
    await page.fill("input[name=email]", ADMIN[0])
    await page.fill("input[name=password]", ADMIN[1])
    await page.click("button[type=submit]")
    await expect(page.locator("h1")).to_have_text("Customers")
    await expect(page.locator("p.total")).to_have_text("3 customers")

    await page.fill("input[name=keyword]", "hopper")
    await page.click("form.filters button")
    await expect(page.locator("p.total")).to_have_text("1 customer")
    await page.click("text=Grace Hopper")
    await expect(page.locator("h1")).to_have_text("Grace Hopper")

    await page.fill("input[name=full_name]", "Grace Brewster Hopper")
    await page.click("text=Save profile")
    await expect(page.locator("p.notice")).to_have_text("Saved.")
    await expect(page.locator("h1")).to_have_text("Grace Brewster Hopper")
    await expect(page.locator("text=customer_updated")).to_be_visible()

    await expect(page.locator("text=Revoke all sessions")).to_be_visible()
    await page.click("text=Revoke all sessions")
    await expect(page.locator("text=No active sessions.")).to_be_visible()

    add = page.locator("form[action$='/addresses']")
    await add.locator("input[name=full_name]").fill("Grace Hopper")
    await add.locator("input[name=address_1]").fill("1 Navy Yard")
    await add.locator("input[name=city]").fill("Arlington")
    await add.locator("input[name=province]").fill("VA")
    await add.locator("input[name=postcode]").fill("22202")
    await add.locator("input[name=country]").fill("US")
    await add.locator("button").click()
    await expect(page.locator("div.address")).to_contain_text("1 Navy Yard")

    async with page.expect_download() as download_info:
        await page.click("text=Download everything stored about this customer (JSON)")
    download = await download_info.value
    exported = await asyncio.to_thread(Path(await download.path()).read_text)
    assert json.loads(exported)["customer"]["email"] == "grace@example.com"

    await page.check("input[name=confirm]")
    await page.click("text=Erase customer")
    await expect(page.locator("h1")).to_have_text("Customers")
    await expect(page.locator("p.total")).to_have_text("2 customers")

    await page.click("header button")  # sign out
    await expect(page.locator("h1")).to_have_text("Sign in")
