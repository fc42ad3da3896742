from __future__ import annotations

import httpx
import pytest

from patron.faces._shared.services import Services
from tests import factories

pytestmark = pytest.mark.anyio


async def test_admin_creates_and_reads_a_customer(
    client: httpx.AsyncClient, services: Services
) -> None:
    await factories.create_admin(services)
    await factories.admin_login(client)
    created = await factories.register(client)
    response = await client.get(f"/api/customers/{created['uuid']}")
    assert response.status_code == 200
    assert response.json()["data"]["email"] == "john.smith@example.com"
    assert response.json()["data"]["addresses"] == []
