"""The customer groups page: create, rename, delete (refused while in use), roles."""

from __future__ import annotations

import re

import httpx
import pytest

from patron.faces._shared.services import Services
from tests import factories

pytestmark = pytest.mark.anyio
CSRF = re.compile(r'name="csrf" value="([0-9a-f]{64})"')


async def _sign_in(
    client: httpx.AsyncClient, services: Services, role: str = "administrator"
) -> str:
    email = f"{role}@example.com"
    await factories.create_admin(services, email=email, role=role)
    form = await client.get("/admin/login")
    token = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
    await client.post(
        "/admin/login", data={"csrf": token, "email": email, "password": factories.ADMIN_PASSWORD}
    )
    page = await client.get("/admin/groups")
    return CSRF.search(page.text).group(1)  # type: ignore[union-attr]


async def _newest_group(client: httpx.AsyncClient) -> int:
    page = await client.get("/admin/groups")
    return max(int(n) for n in re.findall(r"/admin/groups/(\d+)/rename", page.text))


async def test_create_rename_and_delete_a_group(
    client: httpx.AsyncClient, services: Services
) -> None:
    token = await _sign_in(client, services)
    created = await client.post("/admin/groups", data={"csrf": token, "group_name": "Wholesale"})
    assert created.status_code == 303
    page = await client.get("/admin/groups")
    assert 'value="Wholesale"' in page.text
    group = await _newest_group(client)
    renamed = await client.post(
        f"/admin/groups/{group}/rename", data={"csrf": token, "group_name": "B2B"}
    )
    assert renamed.status_code == 303
    assert 'value="B2B"' in (await client.get("/admin/groups")).text
    deleted = await client.post(f"/admin/groups/{group}/delete", data={"csrf": token})
    assert deleted.status_code == 303
    assert 'value="B2B"' not in (await client.get("/admin/groups")).text
    log = (await client.get("/admin/audit")).text
    assert re.findall(r"<td>(group_\w+)</td>", log) == [
        "group_deleted",
        "group_renamed",
        "group_created",
    ]


async def test_groups_in_use_and_the_default_group_cannot_be_deleted(
    client: httpx.AsyncClient, services: Services
) -> None:
    token = await _sign_in(client, services)
    await client.post("/admin/groups", data={"csrf": token, "group_name": "VIP"})
    group = await _newest_group(client)
    await factories.register(client, group_id=group)  # as admin: the group is honoured
    in_use = await client.post(f"/admin/groups/{group}/delete", data={"csrf": token})
    assert in_use.status_code == 400
    assert "The group still has 1 customer; move them to another group first" in in_use.text
    default = await client.post("/admin/groups/1/delete", data={"csrf": token})
    assert default.status_code == 400
    assert "The default group cannot be deleted" in default.text
    empty_name = await client.post("/admin/groups", data={"csrf": token, "group_name": "  "})
    assert "Group name is required and cannot be empty" in empty_name.text


async def test_a_malformed_or_unknown_group_id_changes_nothing(
    client: httpx.AsyncClient, services: Services
) -> None:
    token = await _sign_in(client, services)
    before = (await client.get("/admin/groups")).text
    for path in (
        "/admin/groups/abc/rename",
        "/admin/groups/99999999999/delete",
        "/admin/groups/999/rename",
        "/admin/groups/999/delete",
    ):
        response = await client.post(path, data={"csrf": token, "group_name": "Stray"})
        assert response.status_code == 404
        assert "Group not found" in response.text
    after = (await client.get("/admin/groups")).text
    assert 'value="Stray"' not in after
    assert re.findall(r"/admin/groups/(\d+)/rename", after) == re.findall(
        r"/admin/groups/(\d+)/rename", before
    )


async def test_support_admins_see_groups_but_cannot_change_them(
    client: httpx.AsyncClient, services: Services
) -> None:
    token = await _sign_in(client, services, role="support")
    page = await client.get("/admin/groups")
    assert page.status_code == 200
    assert "Create group" not in page.text
    refused = await client.post("/admin/groups", data={"csrf": token, "group_name": "X"})
    assert refused.status_code == 403
