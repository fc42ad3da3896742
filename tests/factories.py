"""Helpers that put data in place through the real services."""

from __future__ import annotations

from typing import Any

import httpx

from patron.core import admins
from patron.faces._shared.services import Services

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "Admin-Pass-2024"
CUSTOMER_PASSWORD = "Secret-67c44859"


async def create_admin(
    services: Services, email: str = ADMIN_EMAIL, role: str = "administrator"
) -> None:
    await admins.create_admin(
        services.uow(),
        services.hasher,
        services.clock,
        email=email,
        password=ADMIN_PASSWORD,
        role=role,
        policy=services.passwords,
    )


async def admin_login(client: httpx.AsyncClient, email: str = ADMIN_EMAIL) -> str:
    """Sign in as an admin; the client keeps the ``asid`` cookie. Returns the sid."""
    response = await client.post(
        "/admin/user/login", json={"email": email, "password": ADMIN_PASSWORD}
    )
    assert response.status_code == 200, response.text
    sid: str = response.json()["data"]["sid"]
    return sid


async def register(
    client: httpx.AsyncClient,
    email: str = "john.smith@example.com",
    full_name: str = "John Smith",
    password: str = CUSTOMER_PASSWORD,
    **extra: Any,
) -> dict[str, Any]:
    """Create a customer through ``POST /api/customers``; returns ``data``."""
    response = await client.post(
        "/api/customers",
        json={"email": email, "password": password, "full_name": full_name, **extra},
    )
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


async def customer_login(
    client: httpx.AsyncClient,
    email: str = "john.smith@example.com",
    password: str = CUSTOMER_PASSWORD,
) -> str:
    """Sign a customer in; returns the sid (the client also keeps the cookie)."""
    response = await client.post("/customer/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    sid: str = response.json()["data"]["sid"]
    return sid
