"""Customer CRUD on the EverShop face: create, read, update, delete, profile and metafields."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import bcrypt
import httpx
import pytest
from sqlalchemy import text

from patron.core.entities import CustomerGroup
from patron.faces._shared.services import Services
from patron.main import create_app
from patron.storage.db import make_sessionmaker
from tests import factories
from tests.conftest import make_settings
from tests.faces.evershop import wire
from tests.faces.evershop.conftest import ClientFactory
from tests.faces.evershop.wire import ARGON2ID, assert_error, assert_json

pytestmark = pytest.mark.anyio

JOHN = "john.smith@example.com"


async def _password_hash(services: Services, email: str = JOHN) -> str:
    async with services.engine.connect() as conn:
        found = await conn.scalar(
            text("SELECT password_hash FROM customer WHERE email_key = :k"), {"k": email}
        )
    assert isinstance(found, str)
    return found


async def _set_password_hash(services: Services, password_hash: str, email: str = JOHN) -> None:
    async with services.engine.begin() as conn:
        result = await conn.execute(
            text("UPDATE customer SET password_hash = :h WHERE email_key = :k"),
            {"h": password_hash, "k": email},
        )
        assert result.rowcount == 1


async def add_group(services: Services, name: str = "Wholesale") -> int:
    """A second customer group (id 2 on a fresh database)."""
    now = datetime.now(UTC)
    async with make_sessionmaker(services.engine)() as session:
        group = CustomerGroup(
            uuid=uuid.uuid4(), store_id=1, group_name=name, created_at=now, updated_at=now
        )
        session.add(group)
        await session.commit()
        return group.customer_group_id


# ---- create ------------------------------------------------------------------------------


async def test_anonymous_registration(anon: httpx.AsyncClient, admin: httpx.AsyncClient) -> None:
    response = await anon.post(
        "/api/customers",
        json={"email": JOHN, "password": wire.PASSWORD, "full_name": "John Smith"},
    )
    data = assert_json(
        response,
        200,
        {"data": {**wire.customer(1, JOHN, "John Smith"), "links": wire.admin_links()}},
    )["data"]
    wire.assert_recent(data["created_at"])
    wire.assert_no_secrets(response)
    assert await wire.signed_in(anon, **{"X-Session-ID": await wire.login(anon)})
    # The account is what an admin then reads.
    got = await admin.get(f"/api/customers/{data['uuid']}")
    assert_json(
        got, 200, {"data": {**{k: v for k, v in data.items() if k != "links"}, "addresses": []}}
    )


async def test_anonymous_registration_ignores_server_owned_members(
    anon: httpx.AsyncClient, admin: httpx.AsyncClient, services: Services
) -> None:
    await add_group(services)
    given_uuid = str(uuid.uuid4())
    response = await anon.post(
        "/api/customers",
        json={
            "email": JOHN,
            "password": wire.PASSWORD,
            "full_name": "John Smith",
            "status": 0,
            "group_id": 2,
            "uuid": given_uuid,
            "customer_id": 99,
            "created_at": "2001-01-01 00:00:00",
            "updated_at": "2001-01-01 00:00:00",
            "meta_data": {"vip": True},
            "password_hash": "$argon2id$forged",
            "email_key": "someone@else.com",
            "unknown_member": [1, 2, 3],
        },
    )
    data = assert_json(
        response,
        200,
        {"data": {**wire.customer(1, JOHN, "John Smith"), "links": wire.admin_links()}},
    )["data"]
    assert data["uuid"] != given_uuid
    wire.assert_recent(data["created_at"])
    wire.assert_recent(data["updated_at"])
    # Enabled (status 0 was ignored): the real password logs in.
    await wire.login(anon)
    meta = await admin.patch(f"/api/customers/{data['uuid']}/metafields", json={"metafields": {}})
    assert_json(meta, 200, {"data": {"metaData": {}}})
    listed = await admin.get("/api/customers", params={"email": "someone@else.com"})
    assert listed.json()["meta"]["total"] == 0


@pytest.mark.parametrize("status", ["0", 0])
async def test_admin_create_honours_status_zero(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient, status: object
) -> None:
    response = await admin.post(
        "/api/customers",
        json={
            "email": JOHN,
            "password": wire.PASSWORD,
            "full_name": "John Smith",
            "status": status,
        },
    )
    assert_json(
        response,
        200,
        {"data": {**wire.customer(1, JOHN, "John Smith", status=0), "links": wire.admin_links()}},
    )
    login = await anon.post("/customer/login", json={"email": JOHN, "password": wire.PASSWORD})
    assert_error(login, 400, "Invalid email or password")


@pytest.mark.parametrize("status", ["1", 1])
async def test_admin_create_status_one(admin: httpx.AsyncClient, status: object) -> None:
    data = await wire.create(admin, status=status)
    assert data["status"] == 1


async def test_admin_create_group_and_ignores_server_owned_members(
    admin: httpx.AsyncClient, services: Services
) -> None:
    group = await add_group(services)
    given_uuid = str(uuid.uuid4())
    response = await admin.post(
        "/api/customers",
        json={
            "email": JOHN,
            "password": wire.PASSWORD,
            "full_name": "John Smith",
            "group_id": group,
            "uuid": given_uuid,
            "customer_id": 42,
            "created_at": "2001-01-01 00:00:00",
            "meta_data": {"vip": True},
        },
    )
    data = assert_json(
        response,
        200,
        {
            "data": {
                **wire.customer(1, JOHN, "John Smith", group_id=group),
                "links": wire.admin_links(),
            }
        },
    )["data"]
    assert data["uuid"] != given_uuid
    wire.assert_recent(data["created_at"])
    meta = await admin.patch(f"/api/customers/{data['uuid']}/metafields", json={"metafields": {}})
    assert_json(meta, 200, {"data": {"metaData": {}}})
    response = await admin.post(
        "/api/customers",
        json={
            "email": "x@example.com",
            "password": wire.PASSWORD,
            "full_name": "X",
            "group_id": 77,
        },
    )
    assert_error(response, 400, "Customer group 77 does not exist")


async def test_email_is_stored_trimmed_with_its_case(admin: httpx.AsyncClient) -> None:
    data = await wire.create(admin, "  Jane.Doe@Example.COM ", "Jane Doe")
    assert data["email"] == "Jane.Doe@Example.COM"


@pytest.mark.parametrize(
    "email",
    [JOHN, "JOHN.SMITH@EXAMPLE.COM", "John.Smith@Example.com", "  john.smith@example.com  "],
)
async def test_create_duplicate_email_is_409(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient, email: str
) -> None:
    await wire.create(admin)
    for client in (admin, anon):
        response = await client.post(
            "/api/customers",
            json={"email": email, "password": wire.PASSWORD, "full_name": "Other Person"},
        )
        assert_error(response, 409, "Email is already used")
    listed = await admin.get("/api/customers")
    assert listed.json()["meta"]["total"] == 1


async def test_registration_closed(database_url: str, tmp_path: Path) -> None:
    settings = make_settings(database_url, tmp_path, public_registration=False)
    services = Services.build(settings)
    try:
        app = create_app(settings, services)
        transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://testserver") as anon,
            httpx.AsyncClient(transport=transport, base_url="http://testserver") as admin,
        ):
            body = {"email": JOHN, "password": wire.PASSWORD, "full_name": "John Smith"}
            assert_error(await anon.post("/api/customers", json=body), 401, "Unauthorized")
            await factories.create_admin(services)
            await factories.admin_login(admin)
            listed = await admin.get("/api/customers")
            assert listed.json()["meta"]["total"] == 0
            created = await admin.post("/api/customers", json=body)
            assert created.status_code == 200
    finally:
        await services.close()


# ---- read --------------------------------------------------------------------------------


async def test_get_by_32_hex_and_uppercase_uuid(admin: httpx.AsyncClient) -> None:
    data = await wire.create(admin)
    expected = {"data": {**{k: v for k, v in data.items() if k != "links"}, "addresses": []}}
    for form in (data["uuid"], uuid.UUID(data["uuid"]).hex, data["uuid"].upper()):
        assert_json(await admin.get(f"/api/customers/{form}"), 200, expected)


@pytest.mark.parametrize(
    "customer_id",
    [
        "not-a-uuid",
        "123",
        "433ba97f-8be7-4be9-be3f-a9f341f2b89f",
        "433ba97f8be74be9be3fa9f341f2b89f",
        "433ba97f-8be7-4be9-be3f-a9f341f2b89",
        "zzzzzzzz-8be7-4be9-be3f-a9f341f2b89f",
        "%20",
    ],
)
async def test_unknown_or_malformed_customer_is_404(
    admin: httpx.AsyncClient, customer_id: str
) -> None:
    await wire.create(admin)
    base = f"/api/customers/{customer_id}"
    assert_error(await admin.get(base), 404, "Customer not found")
    assert_error(await admin.patch(base, json={"full_name": "X"}), 404, "Customer not found")
    assert_error(await admin.delete(base), 404, "Customer not found")
    response = await admin.patch(f"{base}/metafields", json={"metafields": {"a": 1}})
    assert_error(response, 404, "Customer not found")
    assert (await admin.get("/api/customers")).json()["meta"]["total"] == 1


# ---- admin update ------------------------------------------------------------------------


async def test_admin_update_by_32_hex_id(admin: httpx.AsyncClient) -> None:
    data = await wire.create(admin)
    response = await admin.patch(
        f"/api/customers/{uuid.UUID(data['uuid']).hex}",
        json={"full_name": "John A. Smith", "status": "0"},
    )
    assert_json(
        response,
        200,
        {
            "data": {
                **wire.customer(
                    1,
                    JOHN,
                    "John A. Smith",
                    status=0,
                    uuid=data["uuid"],
                    created_at=data["created_at"],
                ),
                "links": wire.admin_links(data["uuid"]),
            }
        },
    )
    wire.assert_no_secrets(response)


async def test_updated_at_changes_on_every_patch(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient
) -> None:
    data = await wire.create(admin)
    sid = await wire.login(anon)
    seen = [data["updated_at"]]
    path = f"/api/customers/{data['uuid']}"
    for request in (
        admin.patch(path, json={"full_name": "A"}),
        admin.patch(path, json={"full_name": "B"}),
        admin.patch(path, json={}),
        anon.patch("/api/customers/me", json={"full_name": "C"}, headers={"X-Session-ID": sid}),
        anon.patch("/api/customers/me", json={"full_name": "D"}, headers={"X-Session-ID": sid}),
    ):
        response = await request
        body = response.json()["data"]
        assert response.status_code == 200, response.text
        assert body["created_at"] == data["created_at"]
        assert body["updated_at"] > seen[-1]
        seen.append(body["updated_at"])
    got = (await admin.get(path)).json()["data"]
    assert got["updated_at"] == seen[-1]
    assert got["created_at"] == data["created_at"]
    await admin.patch(f"{path}/metafields", json={"metafields": {"k": "v"}})
    assert (await admin.get(path)).json()["data"]["updated_at"] > seen[-1]


async def test_admin_update_duplicate_email_is_409(admin: httpx.AsyncClient) -> None:
    await wire.create(admin)
    jane = await wire.create(admin, "jane@example.com", "Jane Doe")
    path = f"/api/customers/{jane['uuid']}"
    for email in (JOHN, "JOHN.SMITH@EXAMPLE.COM", " john.smith@example.com "):
        response = await admin.patch(path, json={"email": email})
        assert_error(response, 409, "Email is already used")
    assert (await admin.get(path)).json()["data"]["email"] == "jane@example.com"
    # Changing the case of one's own email is no conflict.
    response = await admin.patch(path, json={"email": "Jane@Example.com"})
    assert response.status_code == 200
    assert response.json()["data"]["email"] == "Jane@Example.com"


async def test_admin_email_change_moves_the_login(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient
) -> None:
    data = await wire.create(admin)
    sid = await wire.login(anon)
    response = await admin.patch(
        f"/api/customers/{data['uuid']}", json={"email": "  John.New@Example.com "}
    )
    assert response.json()["data"]["email"] == "John.New@Example.com"
    # Not a credential change: the session lives on.
    assert await wire.signed_in(anon, **{"X-Session-ID": sid})
    old = await anon.post("/customer/login", json={"email": JOHN, "password": wire.PASSWORD})
    assert_error(old, 400, "Invalid email or password")
    await wire.login(anon, "john.new@example.com")
    # The old address is free for someone else.
    await wire.create(admin, JOHN, "Another John")


async def test_admin_update_validation(admin: httpx.AsyncClient) -> None:
    data = await wire.create(admin)
    path = f"/api/customers/{data['uuid']}"
    for body, message in (
        ({"email": "not-an-email"}, "Email must be a valid email address (e.g., user@example.com)"),
        ({"email": 5}, "Email must be a string"),
        ({"email": ""}, "Email is required and cannot be empty"),
        ({"full_name": ""}, "Full name is required and cannot be empty"),
        ({"full_name": "   "}, "Full name is required and cannot be empty"),
        ({"full_name": ["x"]}, "Full name must be a string"),
        ({"password": "short"}, "Password must be at least 8 characters"),
        ({"password": ""}, "Password is required and cannot be empty"),
        ({"password": 12345678}, "Password must be a string"),
        ({"status": 2}, "Status must be either 0, 1, '0', or '1'"),
        ({"status": "yes"}, "Status must be either 0, 1, '0', or '1'"),
        ({"status": True}, "Status must be a string or number"),
        ({"status": None}, "Status must be a string or number"),
        ({"group_id": "1"}, "Group id must be a positive integer"),
        ({"group_id": 9}, "Customer group 9 does not exist"),
    ):
        assert_error(await admin.patch(path, json=body), 400, message)
    got = (await admin.get(path)).json()["data"]
    assert got == {**{k: v for k, v in data.items() if k != "links"}, "addresses": []}


async def test_admin_password_change_ends_sessions(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient
) -> None:
    data = await wire.create(admin)
    sid = await wire.login(anon)
    access = (
        await anon.post("/api/customer/tokens", json={"email": JOHN, "password": wire.PASSWORD})
    ).json()["data"]["accessToken"]
    legacy = (
        await anon.post("/api/customers/sessions", json={"email": JOHN, "password": wire.PASSWORD})
    ).json()["data"]["token"]
    response = await admin.patch(
        f"/api/customers/{data['uuid']}", json={"password": "A-new-password-1"}
    )
    assert response.status_code == 200
    wire.assert_no_secrets(response)
    assert not await wire.signed_in(anon, **{"X-Session-ID": sid})
    assert not await wire.signed_in(anon, Authorization=f"Bearer {access}")
    assert not await wire.signed_in(anon, Cookie=f"token={legacy}")
    old = await anon.post("/customer/login", json={"email": JOHN, "password": wire.PASSWORD})
    assert_error(old, 400, "Invalid email or password")
    new_sid = await wire.login(anon, password="A-new-password-1")
    assert await wire.signed_in(anon, **{"X-Session-ID": new_sid})


async def test_name_change_keeps_sessions(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient
) -> None:
    data = await wire.create(admin)
    sid = await wire.login(anon)
    await admin.patch(f"/api/customers/{data['uuid']}", json={"full_name": "New Name", "status": 1})
    assert await wire.signed_in(anon, **{"X-Session-ID": sid})


async def test_disabling_ends_sessions_and_blocks_login(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient
) -> None:
    data = await wire.create(admin)
    sid = await wire.login(anon)
    tokens = (
        await anon.post("/api/customer/tokens", json={"email": JOHN, "password": wire.PASSWORD})
    ).json()["data"]
    response = await admin.patch(f"/api/customers/{data['uuid']}", json={"status": 0})
    assert response.json()["data"]["status"] == 0
    assert not await wire.signed_in(anon, **{"X-Session-ID": sid})
    assert not await wire.signed_in(anon, Authorization=f"Bearer {tokens['accessToken']}")
    refreshed = await anon.post(
        "/api/customer/token/refresh", json={"refreshToken": tokens["refreshToken"]}
    )
    assert refreshed.status_code == 401
    login = await anon.post("/customer/login", json={"email": JOHN, "password": wire.PASSWORD})
    assert_error(login, 400, "Invalid email or password")
    # Enabling again lets the customer sign in, but old sessions stay ended.
    await admin.patch(f"/api/customers/{data['uuid']}", json={"status": "1"})
    assert not await wire.signed_in(anon, **{"X-Session-ID": sid})
    assert await wire.signed_in(anon, **{"X-Session-ID": await wire.login(anon)})


# ---- delete ------------------------------------------------------------------------------


async def test_delete_removes_customer_sessions_and_addresses(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient, services: Services
) -> None:
    data = await wire.create(admin)
    sid = await wire.login(anon)
    access = (
        await anon.post("/api/customer/tokens", json={"email": JOHN, "password": wire.PASSWORD})
    ).json()["data"]["accessToken"]
    await admin.post(
        f"/api/customers/{data['uuid']}/addresses",
        json={
            "full_name": "J",
            "address_1": "1 St",
            "province": "IL",
            "country": "US",
            "postcode": "1",
        },
    )
    path = f"/api/customers/{data['uuid']}"
    response = await admin.delete(path)
    assert_json(
        response,
        200,
        {"data": {k: v for k, v in data.items() if k != "links"}},
    )
    assert_error(await admin.get(path), 404, "Customer not found")
    assert_error(await admin.delete(path), 404, "Customer not found")
    assert_error(await admin.patch(path, json={"full_name": "X"}), 404, "Customer not found")
    assert not await wire.signed_in(anon, **{"X-Session-ID": sid})
    assert not await wire.signed_in(anon, Authorization=f"Bearer {access}")
    async with services.engine.connect() as conn:
        for table in ("customer_address", "customer_session", "customer"):
            assert await conn.scalar(text(f"SELECT count(*) FROM {table}")) == 0
    # The email is free again.
    again = await wire.create(admin)
    assert again["uuid"] != data["uuid"]


async def test_delete_by_32_hex_id(admin: httpx.AsyncClient) -> None:
    data = await wire.create(admin)
    response = await admin.delete(f"/api/customers/{uuid.UUID(data['uuid']).hex}")
    assert_json(response, 200, {"data": {k: v for k, v in data.items() if k != "links"}})


# ---- PATCH /api/customers/me -------------------------------------------------------------


async def test_update_me(admin: httpx.AsyncClient, anon: httpx.AsyncClient) -> None:
    data = await wire.create(admin)
    sid = await wire.login(anon)
    response = await anon.patch(
        "/api/customers/me",
        json={
            "full_name": "Johnny Smith",
            "email": " Johnny@Example.com ",
            "status": 0,
            "group_id": 5,
            "password": "ignored-password-1",
            "uuid": str(uuid.uuid4()),
        },
        headers={"X-Session-ID": sid},
    )
    assert_json(
        response,
        200,
        {
            "data": {
                **wire.customer(
                    1,
                    "Johnny@Example.com",
                    "Johnny Smith",
                    uuid=data["uuid"],
                    created_at=data["created_at"],
                ),
                "links": wire.self_links(),
            }
        },
    )
    wire.assert_no_secrets(response)
    # The password was not changed and the session lives on.
    assert await wire.signed_in(anon, **{"X-Session-ID": sid})
    await wire.login(anon, "johnny@example.com")


async def test_update_me_errors(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient, new_client: ClientFactory
) -> None:
    stranger = await new_client()
    await wire.create(admin)
    await wire.create(admin, "jane@example.com", "Jane Doe")
    sid = await wire.login(anon)
    headers = {"X-Session-ID": sid}
    for body, status, message in (
        ({"status": 0}, 400, "There is nothing to update"),
        ({}, 400, "There is nothing to update"),
        ({"password": "new-password-123"}, 400, "There is nothing to update"),
        ({"group_id": 2, "status": "0"}, 400, "There is nothing to update"),
        ({"full_name": ""}, 400, "Full name cannot be empty"),
        ({"full_name": "  "}, 400, "Full name cannot be empty"),
        ({"full_name": 3}, 400, "Full name must be a string"),
        ({"email": "nope"}, 400, "Email must be a valid email address (e.g., user@example.com)"),
        ({"email": "JANE@example.com"}, 409, "Email is already used"),
        ({"email": " jane@example.com"}, 409, "Email is already used"),
    ):
        response = await anon.patch("/api/customers/me", json=body, headers=headers)
        assert_error(response, status, message)
    response = await stranger.patch("/api/customers/me", json={"full_name": "X"})
    assert_error(response, 401, "You must be logged in to update your profile")
    response = await anon.patch(
        "/api/customers/me", content=b"[1]", headers={**headers, "Content-Type": "application/json"}
    )
    assert_error(response, 400, "Request body must be a JSON object")


# ---- metafields --------------------------------------------------------------------------


async def test_metafields_merge(admin: httpx.AsyncClient) -> None:
    data = await wire.create(admin)
    path = f"/api/customers/{data['uuid']}/metafields"
    response = await admin.patch(path, json={"metafields": {"a": 1, "b": "x", "n": {"k": [1]}}})
    assert_json(response, 200, {"data": {"metaData": {"a": 1, "b": "x", "n": {"k": [1]}}}})
    response = await admin.patch(path, json={"metafields": {"b": "y", "c": True, "a": None}})
    assert_json(response, 200, {"data": {"metaData": {"b": "y", "c": True, "n": {"k": [1]}}}})
    response = await admin.patch(path, json={"metafields": {}})
    assert_json(response, 200, {"data": {"metaData": {"b": "y", "c": True, "n": {"k": [1]}}}})
    for body in ({}, {"metafields": [1]}, {"metafields": "x"}, {"metafields": None}):
        assert_error(await admin.patch(path, json=body), 400, "metafields must be an object")


# ---- legacy password hashes --------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["$2b$", "$2y$", "$2a$"])
async def test_bcrypt_customer_is_rehashed_to_argon2id(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient, services: Services, prefix: str
) -> None:
    await wire.create(admin)
    legacy = bcrypt.hashpw(b"legacy-pass-1", bcrypt.gensalt(rounds=4)).decode()
    legacy = prefix + legacy[4:]
    await _set_password_hash(services, legacy)
    wrong = await anon.post("/customer/login", json={"email": JOHN, "password": "legacy-pass-2"})
    assert_error(wrong, 400, "Invalid email or password")
    assert await _password_hash(services) == legacy
    sid = await wire.login(anon, password="legacy-pass-1")
    assert await wire.signed_in(anon, **{"X-Session-ID": sid})
    assert await _password_hash(services) == ARGON2ID
    # The new hash verifies the same password, and only it.
    await wire.login(anon, password="legacy-pass-1")
    wrong = await anon.post("/customer/login", json={"email": JOHN, "password": wire.PASSWORD})
    assert_error(wrong, 400, "Invalid email or password")


async def test_bcrypt_legacy_short_password_still_logs_in(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient, services: Services
) -> None:
    """Re-hashing at login does not apply the length policy to a legacy password."""
    await wire.create(admin)
    await _set_password_hash(services, bcrypt.hashpw(b"abc", bcrypt.gensalt(rounds=4)).decode())
    await wire.login(anon, password="abc")
    assert await _password_hash(services) == ARGON2ID
    await wire.login(anon, password="abc")


async def test_stored_hash_is_argon2id(admin: httpx.AsyncClient, services: Services) -> None:
    await wire.create(admin)
    assert await _password_hash(services) == ARGON2ID
