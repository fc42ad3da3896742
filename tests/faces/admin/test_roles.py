"""Every admin action x administrator, support and anonymous, on the pages and the API."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import httpx
import pytest

from patron.faces._shared.services import Services
from tests import factories

pytestmark = pytest.mark.anyio
CSRF = re.compile(r'name="csrf" value="([0-9a-f]{64})"')
Act = Callable[[httpx.AsyncClient, str, str], Awaitable[httpx.Response]]

ACTIONS: dict[str, Act] = {
    "page: grid": lambda c, u, t: c.get("/admin/customers"),
    "page: customer": lambda c, u, t: c.get(f"/admin/customers/edit/{u}"),
    "page: edit profile": lambda c, u, t: c.post(
        f"/admin/customers/edit/{u}/profile",
        data={
            "csrf": t,
            "full_name": "New Name",
            "email": "john.smith@example.com",
            "status": "1",
            "group_id": "1",
        },
    ),
    "page: set password": lambda c, u, t: c.post(
        f"/admin/customers/edit/{u}/password", data={"csrf": t, "password": "Brand-New-Pass-7"}
    ),
    "page: revoke sessions": lambda c, u, t: c.post(
        f"/admin/customers/edit/{u}/sessions", data={"csrf": t}
    ),
    "page: add address": lambda c, u, t: c.post(
        f"/admin/customers/edit/{u}/addresses",
        data={
            "csrf": t,
            "full_name": "J",
            "address_1": "1 St",
            "province": "IL",
            "postcode": "1",
            "country": "US",
        },
    ),
    "page: bulk delete": lambda c, u, t: c.post(
        "/admin/customers/bulk", data={"csrf": t, "action": "delete", "ids": [u], "confirm": "yes"}
    ),
    "page: export": lambda c, u, t: c.get(f"/admin/customers/edit/{u}/export"),
    "page: erase": lambda c, u, t: c.post(
        f"/admin/customers/edit/{u}/erase", data={"csrf": t, "confirm": "erase"}
    ),
    "page: manage groups": lambda c, u, t: c.post(
        "/admin/groups", data={"csrf": t, "group_name": "G"}
    ),
    "page: admin users": lambda c, u, t: c.get("/admin/users"),
    "api: list": lambda c, u, t: c.get("/api/customers"),
    "api: read": lambda c, u, t: c.get(f"/api/customers/{u}"),
    "api: update": lambda c, u, t: c.patch(f"/api/customers/{u}", json={"full_name": "N"}),
    "api: create": lambda c, u, t: c.post(
        "/api/customers",
        json={"email": "new@example.com", "password": "Secret-67c44859", "full_name": "N"},
    ),
    "api: revoke sessions": lambda c, u, t: c.delete(f"/api/customers/{u}/sessions"),
    "api: delete": lambda c, u, t: c.delete(f"/api/customers/{u}"),
}
# Expected status per role; pages without a session redirect to the sign-in page.
EXPECTED: dict[str, tuple[int, int, int]] = {  # administrator, support, anonymous
    "page: grid": (200, 200, 303),
    "page: customer": (200, 200, 303),
    "page: edit profile": (303, 303, 303),
    "page: set password": (303, 303, 303),
    "page: revoke sessions": (303, 303, 303),
    "page: add address": (303, 303, 303),
    "page: bulk delete": (303, 403, 303),
    "page: export": (200, 403, 303),
    "page: erase": (303, 403, 303),
    "page: manage groups": (303, 403, 303),
    "page: admin users": (200, 403, 303),
    "api: list": (200, 200, 401),
    "api: read": (200, 200, 401),
    "api: update": (200, 200, 401),
    "api: create": (200, 403, 200),  # anonymous: storefront registration is open
    "api: revoke sessions": (200, 200, 401),
    "api: delete": (200, 403, 401),
}


@pytest.mark.parametrize("role", ["administrator", "support", "anonymous"])
@pytest.mark.parametrize("action", list(ACTIONS))
async def test_role_matrix(
    client: httpx.AsyncClient, services: Services, action: str, role: str
) -> None:
    created = await factories.register(client)
    token = ""
    if role != "anonymous":
        email = f"{role}@example.com"
        await factories.create_admin(services, email=email, role=role)
        form = await client.get("/admin/login")
        login_token = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
        await client.post(
            "/admin/login",
            data={"csrf": login_token, "email": email, "password": factories.ADMIN_PASSWORD},
        )
        page = await client.get("/admin/customers")
        token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    response = await ACTIONS[action](client, created["uuid"], token)
    expected = EXPECTED[action][("administrator", "support", "anonymous").index(role)]
    assert response.status_code == expected, response.text[:200]
