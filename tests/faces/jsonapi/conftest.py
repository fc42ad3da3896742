"""Fixtures for the JSON:API contract tests: one app per test, shoppers per identity."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from patron.faces._shared.services import Services
from patron.main import create_app

pytest.register_assert_rewrite("tests.faces.jsonapi.wire")

from tests.faces.jsonapi.wire import BASE, PASSWORD, Shopper, attributes  # noqa: E402

ShopperFactory = Callable[..., Awaitable[Shopper]]
ADA = "ada@example.com"
BOB = "bob@example.com"


@pytest.fixture
def app(services: Services) -> FastAPI:
    return create_app(services.settings, services)


@pytest.fixture
async def new_shopper(app: FastAPI) -> AsyncIterator[ShopperFactory]:
    """Make clients on the same app, each with its own cookie jar and client address."""
    async with AsyncExitStack() as stack:

        async def make(ip: str = "203.0.113.7", base_url: str = BASE) -> Shopper:
            transport = httpx.ASGITransport(app=app, client=(ip, 50000))
            http = httpx.AsyncClient(transport=transport, base_url=base_url)
            return Shopper(await stack.enter_async_context(http))

        yield make


@pytest.fixture
async def anon(new_shopper: ShopperFactory) -> Shopper:
    """A client that has not signed in."""
    return await new_shopper()


async def register(shopper: Shopper, email: str, **values: Any) -> str:
    """Self-registration through ``POST /jsonapi/customer``; returns the new id."""
    values.setdefault("password", PASSWORD)
    response = await shopper.post("/jsonapi/customer", json=attributes(email=email, **values))
    assert response.status_code == 201, response.text
    customer_id: str = response.json()["data"]["id"]
    return customer_id


@pytest.fixture
async def ada(new_shopper: ShopperFactory) -> Shopper:
    """Ada, registered through JSON:API (id 1) and signed in with the ``sid`` cookie."""
    shopper = await new_shopper(ip="198.51.100.1")
    await register(shopper, ADA, firstname="Ada", lastname="Lovelace")
    await shopper.login(ADA)
    return shopper


@pytest.fixture
async def bob(new_shopper: ShopperFactory, ada: Shopper) -> Shopper:
    """Bob, registered after Ada (id 2) from another address, signed in."""
    shopper = await new_shopper(ip="198.51.100.2")
    await register(shopper, BOB, firstname="Bob", lastname="Builder")
    await shopper.login(BOB)
    return shopper
