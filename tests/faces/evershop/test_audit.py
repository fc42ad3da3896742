"""Admin changes through the EverShop admin API land in the audit log, without secrets."""

from __future__ import annotations

import email
import email.policy
import json
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from patron.faces._shared.services import Services
from tests import factories

pytestmark = pytest.mark.anyio


async def _entries(services: Services) -> list[dict[str, Any]]:
    async with services.engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT actor, action, customer_id, changes, ip, face FROM audit_entry "
                    "ORDER BY audit_id"
                )
            )
        ).all()
    return [dict(r._mapping) for r in rows]


async def test_create_update_and_delete_are_audited(
    client: httpx.AsyncClient, services: Services
) -> None:
    await factories.create_admin(services)
    await factories.admin_login(client)
    created = await factories.register(client)
    uuid = created["uuid"]
    await client.patch(
        f"/api/customers/{uuid}",
        json={"full_name": "John A. Smith", "status": 0, "password": "Another-Pass-77"},
    )
    await client.delete(f"/api/customers/{uuid}")
    entries = await _entries(services)
    assert [(e["actor"], e["action"], e["customer_id"], e["ip"], e["face"]) for e in entries] == [
        ("admin:1", action, created["customer_id"], "203.0.113.7", "evershop")
        for action in ("customer_created", "customer_updated", "customer_deleted")
    ]
    changes = entries[1]["changes"]
    changes = changes if isinstance(changes, dict) else json.loads(changes)
    assert changes == {
        "full_name": ["John Smith", "John A. Smith"],
        "status": [1, 0],
        "password": ["[secret]", "[secret]"],
    }
    everything = str(entries)
    assert "Another-Pass-77" not in everything
    assert "$argon2" not in everything


async def test_storefront_changes_are_not_admin_actions(
    client: httpx.AsyncClient, services: Services
) -> None:
    await factories.register(client)
    sid = await factories.customer_login(client)
    await client.patch("/api/customers/me", json={"full_name": "Me"}, headers={"X-Session-ID": sid})
    assert await _entries(services) == []


async def test_a_completed_password_reset_is_a_security_event_in_the_log(
    client: httpx.AsyncClient, services: Services
) -> None:
    await factories.register(client)
    await client.post("/api/customers/reset-password", json={"email": "john.smith@example.com"})
    await services.mailer.drain()
    raw = next((services.settings.var_dir / "outbox").glob("*.eml")).read_bytes()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    token = text.split("token=", 1)[1][:64]
    done = await client.post(
        "/api/customers/password", json={"token": token, "password": "Brand-New-Pass-7"}
    )
    assert done.status_code == 200
    [entry] = await _entries(services)
    assert (entry["action"], entry["actor"].split(":")[0]) == ("password_reset", "customer")


async def test_admin_address_changes_are_audited_customers_own_are_not(
    client: httpx.AsyncClient, services: Services
) -> None:
    created = await factories.register(client)
    sid = await factories.customer_login(client)
    client.cookies.clear()
    address = {
        "full_name": "J",
        "address_1": "1 St",
        "province": "IL",
        "country": "US",
        "postcode": "1",
    }
    await client.post("/api/customers/me/addresses", json=address, headers={"X-Session-ID": sid})
    assert await _entries(services) == []
    await factories.create_admin(services)
    await factories.admin_login(client)
    added = await client.post(f"/api/customers/{created['uuid']}/addresses", json=address)
    await client.delete(
        f"/api/customers/{created['uuid']}/addresses/{added.json()['data']['uuid']}"
    )
    assert [e["action"] for e in await _entries(services)] == ["address_added", "address_deleted"]
