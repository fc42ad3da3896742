"""Fixtures for the EverShop contract tests: one app per test, clients per identity."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack

import httpx
import pytest
from fastapi import FastAPI

from patron.faces._shared.services import Services
from patron.main import create_app
from tests import factories

pytest.register_assert_rewrite("tests.faces.evershop.wire")

ClientFactory = Callable[..., Awaitable[httpx.AsyncClient]]


@pytest.fixture
def app(services: Services) -> FastAPI:
    return create_app(services.settings, services)


@pytest.fixture
async def new_client(app: FastAPI) -> AsyncIterator[ClientFactory]:
    """Make further clients on the same app, each with its own cookie jar."""
    async with AsyncExitStack() as stack:

        async def make(base_url: str = "http://testserver") -> httpx.AsyncClient:
            transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
            http = httpx.AsyncClient(transport=transport, base_url=base_url)
            return await stack.enter_async_context(http)

        yield make


@pytest.fixture
async def anon(new_client: ClientFactory) -> httpx.AsyncClient:
    """A client that carries no credentials unless a test gives them."""
    return await new_client()


@pytest.fixture
async def admin(services: Services, new_client: ClientFactory) -> httpx.AsyncClient:
    """A client signed in as an administrator through ``/admin/user/login`` (``asid`` cookie)."""
    await factories.create_admin(services)
    http = await new_client()
    await factories.admin_login(http)
    return http
