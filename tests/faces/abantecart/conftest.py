"""Fixtures for the AbanteCart contract tests: the app with the captures' public URL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from patron.faces._shared.services import Services
from patron.main import create_app
from patron.settings import Settings
from tests import factories
from tests.conftest import make_settings

pytest.register_assert_rewrite("tests.faces.abantecart.wire")


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    # The captured store answered on http://127.0.0.1:8080, which shows in create's login_url.
    return make_settings(database_url, tmp_path, public_url="http://127.0.0.1:8080")


def _client(services: Services) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(
        app=create_app(services.settings, services), client=("203.0.113.7", 50000)
    )
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


@pytest.fixture
async def admin(services: Services) -> AsyncIterator[httpx.AsyncClient]:
    """A client signed in to the EverShop admin API (``asid`` cookie)."""
    await factories.create_admin(services)
    async with _client(services) as http:
        await factories.admin_login(http)
        yield http
