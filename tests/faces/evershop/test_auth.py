"""Credentials on the EverShop face: sessions, JWTs, legacy cookies, logout and rotation."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest

from patron.faces._shared.services import Services
from tests import factories
from tests.faces.evershop import wire
from tests.faces.evershop.conftest import ClientFactory
from tests.faces.evershop.wire import JWT, SID, UUID, assert_error, assert_json

pytestmark = pytest.mark.anyio

JOHN = "john.smith@example.com"
NOT_LOGGED_IN = "You must be logged in to update your profile"
INVALID = "Invalid email or password"


async def _tokens(client: httpx.AsyncClient, email: str = JOHN) -> dict[str, str]:
    response = await client.post(
        "/api/customer/tokens", json={"email": email, "password": wire.PASSWORD}
    )
    body = assert_json(response, 200, {"data": {"accessToken": JWT, "refreshToken": JWT}})
    tokens: dict[str, str] = body["data"]
    return tokens


async def _admin_tokens(client: httpx.AsyncClient) -> dict[str, str]:
    response = await client.post(
        "/api/user/tokens",
        json={"email": factories.ADMIN_EMAIL, "password": factories.ADMIN_PASSWORD},
    )
    body = assert_json(response, 200, {"data": {"accessToken": JWT, "refreshToken": JWT}})
    tokens: dict[str, str] = body["data"]
    return tokens


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# ---- customer credentials ----------------------------------------------------------------


async def test_customer_session_by_cookie_and_by_header(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient, new_client: ClientFactory
) -> None:
    await wire.create(admin)
    shopper = await new_client()
    sid = await wire.login(shopper)
    assert shopper.cookies.get("sid") == sid
    response = await shopper.patch("/api/customers/me", json={"full_name": "John Cookie"})
    assert_json(
        response,
        200,
        {"data": {**wire.customer(1, JOHN, "John Cookie"), "links": wire.self_links()}},
    )
    response = await anon.patch(
        "/api/customers/me", json={"full_name": "John Header"}, headers={"X-Session-ID": sid}
    )
    assert_json(
        response,
        200,
        {"data": {**wire.customer(1, JOHN, "John Header"), "links": wire.self_links()}},
    )


async def test_no_or_unknown_session_is_401(
    anon: httpx.AsyncClient, admin: httpx.AsyncClient
) -> None:
    await wire.create(admin)
    response = await anon.patch("/api/customers/me", json={"full_name": "X"})
    assert_error(response, 401, NOT_LOGGED_IN)
    for headers in (
        {"X-Session-ID": "0" * 64},
        {"Cookie": f"sid={'a' * 64}"},
        _bearer("not-a-jwt"),
        {"Cookie": "token=not-a-jwt"},
    ):
        response = await anon.patch("/api/customers/me", json={"full_name": "X"}, headers=headers)
        assert_error(response, 401, NOT_LOGGED_IN)


async def test_customer_bearer_tokens_and_refresh(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient
) -> None:
    created = await wire.create(admin)
    tokens = await _tokens(anon)
    access = wire.jwt_payload(tokens["accessToken"])
    assert access["tokenType"] == "customer"
    assert access["tokenKind"] == "access"
    assert access["iss"] == "patron"
    assert access["aud"] == "customer"
    assert access["sid"] == UUID
    assert access["customer"]["uuid"] == created["uuid"]
    assert access["exp"] - access["iat"] == 1800
    assert "password" not in str(access).lower()
    assert wire.jwt_payload(tokens["refreshToken"])["tokenKind"] == "refresh"
    assert jwt.get_unverified_header(tokens["accessToken"])["alg"] == "HS256"

    assert await wire.signed_in(anon, **_bearer(tokens["accessToken"]))

    refreshed = await anon.post(
        "/api/customer/token/refresh", json={"refreshToken": tokens["refreshToken"]}
    )
    body = assert_json(refreshed, 200, {"data": {"accessToken": JWT}})
    new_access = body["data"]["accessToken"]
    assert wire.jwt_payload(new_access)["sid"] == access["sid"]
    assert await wire.signed_in(anon, **_bearer(new_access))


async def test_refresh_token_is_not_an_access_token_and_vice_versa(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient
) -> None:
    await wire.create(admin)
    tokens = await _tokens(anon)
    response = await anon.patch(
        "/api/customers/me", json={"full_name": "X"}, headers=_bearer(tokens["refreshToken"])
    )
    assert_error(response, 401, NOT_LOGGED_IN)
    response = await anon.patch(
        "/api/customers/me",
        json={"full_name": "X"},
        headers={"Cookie": f"token={tokens['refreshToken']}"},
    )
    assert_error(response, 401, NOT_LOGGED_IN)
    refreshed = await anon.post(
        "/api/customer/token/refresh", json={"refreshToken": tokens["accessToken"]}
    )
    assert_error(refreshed, 401, "Invalid refresh token")
    refreshed = await anon.post("/api/customer/token/refresh", json={"refreshToken": "garbage"})
    assert_error(refreshed, 401, "Invalid refresh token")


async def test_forged_expired_and_foreign_tokens_are_refused(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient, services: Services
) -> None:
    await wire.create(admin)
    tokens = await _tokens(anon)
    claims = wire.jwt_payload(tokens["accessToken"])
    secret = services.settings.resolved_jwt_secret()
    now = datetime.now(UTC)
    expired = jwt.encode(
        {
            **claims,
            "iat": int((now - timedelta(hours=2)).timestamp()),
            "exp": int((now - timedelta(hours=1)).timestamp()),
        },
        secret,
        algorithm="HS256",
    )
    wrong_key = jwt.encode(claims, "another-secret-" + "y" * 32, algorithm="HS256")
    unsigned = jwt.encode(claims, None, algorithm="none")
    wrong_issuer = jwt.encode({**claims, "iss": "evershop"}, secret, algorithm="HS256")
    unknown_session = jwt.encode({**claims, "sid": str(uuid.uuid4())}, secret, algorithm="HS256")
    # The same claims re-signed with the right key still work: the refusals above are real.
    resigned = jwt.encode(claims, secret, algorithm="HS256")
    assert await wire.signed_in(anon, **_bearer(resigned))
    for token in (expired, wrong_key, unsigned, wrong_issuer, unknown_session):
        assert not await wire.signed_in(anon, **_bearer(token)), wire.jwt_payload(token)


async def test_legacy_token_cookie(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient, new_client: ClientFactory
) -> None:
    await wire.create(admin)
    legacy = await new_client()
    response = await legacy.post(
        "/api/customers/sessions", json={"email": JOHN, "password": wire.PASSWORD}
    )
    token = response.json()["data"]["token"]
    assert wire.jwt_payload(token)["tokenType"] == "customer"
    assert await wire.signed_in(anon, Cookie=f"token={token}")
    # A 2.x access token in the legacy cookie is accepted too.
    tokens = await _tokens(anon)
    assert await wire.signed_in(anon, Cookie=f"token={tokens['accessToken']}")


async def test_legacy_session_login_failures(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient
) -> None:
    await wire.create(admin)
    response = await anon.post(
        "/api/customers/sessions", json={"email": JOHN, "password": "wrong-password"}
    )
    assert_error(response, 400, INVALID)
    response = await anon.post("/api/customers/sessions", json={"email": JOHN})
    assert_error(response, 400, "must have required property 'password'")
    assert "token" not in wire.set_cookies(response)


# ---- logout ends the session and every JWT of it -----------------------------------------


@pytest.mark.parametrize("path", ["/customers/logout", "/customer/logout"])
async def test_logout_ends_session_and_its_jwts(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient, new_client: ClientFactory, path: str
) -> None:
    await wire.create(admin)
    shopper = await new_client()
    legacy = (
        await shopper.post(
            "/api/customers/sessions", json={"email": JOHN, "password": wire.PASSWORD}
        )
    ).json()["data"]
    sid = legacy["sid"]
    assert await wire.signed_in(anon, **_bearer(legacy["token"]))
    response = await anon.post(path, headers={"X-Session-ID": sid})
    assert_json(response, 200, {"data": {}})
    assert not await wire.signed_in(anon, **{"X-Session-ID": sid})
    assert not await wire.signed_in(anon, **_bearer(legacy["token"]))
    assert not await wire.signed_in(shopper)  # its token cookie


async def test_logout_by_cookie_clears_it(
    admin: httpx.AsyncClient, new_client: ClientFactory, anon: httpx.AsyncClient
) -> None:
    await wire.create(admin)
    shopper = await new_client()
    sid = await wire.login(shopper)
    response = await shopper.get("/customer/logout")
    assert_json(response, 200, {"data": {}})
    value, attributes = wire.cookie_attributes(wire.set_cookies(response)["sid"])
    assert value in ("", '""')
    assert "max-age=0" in attributes
    assert "sid" not in shopper.cookies
    assert not await wire.signed_in(anon, **{"X-Session-ID": sid})


async def test_logout_with_bearer_ends_that_session(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient
) -> None:
    await wire.create(admin)
    tokens = await _tokens(anon)
    response = await anon.post("/customers/logout", headers=_bearer(tokens["accessToken"]))
    assert_json(response, 200, {"data": {}})
    assert not await wire.signed_in(anon, **_bearer(tokens["accessToken"]))
    refreshed = await anon.post(
        "/api/customer/token/refresh", json={"refreshToken": tokens["refreshToken"]}
    )
    assert_error(refreshed, 401, "Customer not found or inactive")


async def test_logout_ends_only_that_session(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient
) -> None:
    await wire.create(admin)
    first = await wire.login(anon)
    second = await wire.login(anon)
    response = await anon.post("/customers/logout", headers={"X-Session-ID": first})
    assert_json(response, 200, {"data": {}})
    assert not await wire.signed_in(anon, **{"X-Session-ID": first})
    assert await wire.signed_in(anon, **{"X-Session-ID": second})


async def test_logout_without_session_is_fine(anon: httpx.AsyncClient) -> None:
    assert_json(await anon.post("/customers/logout"), 200, {"data": {}})
    assert_json(await anon.get("/customer/logout"), 200, {"data": {}})


async def test_login_rotates_the_session(
    admin: httpx.AsyncClient, new_client: ClientFactory, anon: httpx.AsyncClient
) -> None:
    await wire.create(admin)
    shopper = await new_client()
    old = await wire.login(shopper)
    assert shopper.cookies.get("sid") == old
    response = await shopper.post(
        "/customer/login",
        json={"email": JOHN, "password": wire.PASSWORD},
        headers={"X-Session-ID": old},
    )
    new = assert_json(response, 200, {"data": {"sid": SID}})["data"]["sid"]
    assert new != old
    assert shopper.cookies.get("sid") == new
    assert await wire.signed_in(anon, **{"X-Session-ID": new})


# ---- login variants and failures ---------------------------------------------------------


async def test_login_accepts_form_bodies_and_email_variants(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient
) -> None:
    await wire.create(admin)
    response = await anon.post("/customer/login", data={"email": JOHN, "password": wire.PASSWORD})
    sid = assert_json(response, 200, {"data": {"sid": SID}})["data"]["sid"]
    assert await wire.signed_in(anon, **{"X-Session-ID": sid})
    for email in ("JOHN.SMITH@EXAMPLE.COM", "  John.Smith@example.com  "):
        response = await anon.post(
            "/customer/login", json={"email": email, "password": wire.PASSWORD}
        )
        assert_json(response, 200, {"data": {"sid": SID}})


async def test_login_failures_are_identical(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient
) -> None:
    disabled = await wire.create(admin, "disabled@example.com", "Dis Abled", status=0)
    assert disabled["status"] == 0
    await wire.create(admin)
    attempts = [
        {"email": JOHN, "password": "wrong-password"},
        {"email": "nobody@example.com", "password": wire.PASSWORD},
        {"email": "disabled@example.com", "password": wire.PASSWORD},
        {"email": "john.smith%@example.com", "password": wire.PASSWORD},
        {"email": "john_smith@example.com", "password": wire.PASSWORD},
    ]
    bodies = set()
    for attempt in attempts:
        for path in ("/customer/login", "/api/customers/sessions", "/api/customer/tokens"):
            response = await anon.post(path, json=attempt)
            assert_error(response, 400, INVALID)
            assert "set-cookie" not in response.headers
            bodies.add(response.content)
    assert len(bodies) == 1


async def test_login_missing_or_wrong_typed_fields(anon: httpx.AsyncClient) -> None:
    response = await anon.post("/customer/login", json={"password": wire.PASSWORD})
    assert_error(response, 400, "must have required property 'email'")
    response = await anon.post("/customer/login", json={"email": JOHN})
    assert_error(response, 400, "must have required property 'password'")
    response = await anon.post("/customer/login", json={"email": 5, "password": wire.PASSWORD})
    assert_error(response, 400, "Email must be a string")
    response = await anon.post("/customer/login", json={"email": JOHN, "password": None})
    assert_error(response, 400, "Password must be a string")
    response = await anon.post(
        "/customer/login", content=b"{", headers={"Content-Type": "application/json"}
    )
    assert_error(response, 400, "Request body must be a JSON object")
    response = await anon.post("/api/customer/tokens", json={"password": wire.PASSWORD})
    assert_error(response, 400, "Email is required")
    response = await anon.post("/api/customer/tokens", json={"email": JOHN, "password": 1})
    assert_error(response, 400, "Password must be a string")


# ---- admin credentials -------------------------------------------------------------------


async def test_admin_by_asid_bearer_and_admin_token_cookie(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient
) -> None:
    await wire.create(admin)
    expected = {
        "data": [wire.customer(1, JOHN, "John Smith")],
        "links": {
            "first": "/api/customers?page=1",
            "last": "/api/customers?page=1",
            "prev": None,
            "next": None,
        },
        "meta": {
            "current_page": 1,
            "from": 1,
            "last_page": 1,
            "path": "/api/customers",
            "per_page": 20,
            "to": 1,
            "total": 1,
        },
    }
    assert_json(await admin.get("/api/customers"), 200, expected)
    asid = admin.cookies["asid"]
    assert asid == SID
    assert_json(await anon.get("/api/customers", headers={"Cookie": f"asid={asid}"}), 200, expected)
    tokens = await _admin_tokens(anon)
    claims = wire.jwt_payload(tokens["accessToken"])
    assert claims["tokenType"] == "admin"
    assert claims["user"]["email"] == factories.ADMIN_EMAIL
    assert "password" not in str(claims).lower()
    assert_json(
        await anon.get("/api/customers", headers=_bearer(tokens["accessToken"])), 200, expected
    )
    assert_json(
        await anon.get(
            "/api/customers", headers={"Cookie": f"admin_token={tokens['accessToken']}"}
        ),
        200,
        expected,
    )
    # The refresh token is not an access token; refreshing gives one.
    response = await anon.get("/api/customers", headers=_bearer(tokens["refreshToken"]))
    assert_error(response, 401, "Unauthorized")
    refreshed = await anon.post(
        "/api/user/token/refresh", json={"refreshToken": tokens["refreshToken"]}
    )
    access = assert_json(refreshed, 200, {"data": {"accessToken": JWT}})["data"]["accessToken"]
    assert_json(await anon.get("/api/customers", headers=_bearer(access)), 200, expected)


async def test_admin_login_cookie_and_failures(services: Services, anon: httpx.AsyncClient) -> None:
    await factories.create_admin(services)
    response = await anon.post(
        "/admin/user/login",
        data={"email": factories.ADMIN_EMAIL, "password": factories.ADMIN_PASSWORD},
    )
    sid = assert_json(response, 200, {"data": {"sid": SID}})["data"]["sid"]
    value, attributes = wire.cookie_attributes(wire.set_cookies(response)["asid"])
    assert value == sid
    assert {"httponly", "samesite=lax", "path=/"} <= attributes
    for attempt in (
        {"email": factories.ADMIN_EMAIL, "password": "wrong-password"},
        {"email": "other@example.com", "password": factories.ADMIN_PASSWORD},
    ):
        assert_error(await anon.post("/admin/user/login", json=attempt), 400, INVALID)
        assert_error(await anon.post("/api/user/tokens", json=attempt), 400, INVALID)


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_admin_logout(admin: httpx.AsyncClient, anon: httpx.AsyncClient, method: str) -> None:
    asid = admin.cookies["asid"]
    tokens = await _admin_tokens(anon)
    response = await admin.request(method, "/admin/user/logout")
    assert_json(response, 200, {"data": {}})
    assert "asid" not in admin.cookies
    assert_error(
        await anon.get("/api/customers", headers={"Cookie": f"asid={asid}"}), 401, "Unauthorized"
    )
    # Another admin session (the JWT's) is not ended by this logout ...
    assert (
        await anon.get("/api/customers", headers=_bearer(tokens["accessToken"]))
    ).status_code == 200
    # ... until it logs out itself; then its access and refresh tokens die at once.
    response = await anon.request(
        method, "/admin/user/logout", headers=_bearer(tokens["accessToken"])
    )
    assert_json(response, 200, {"data": {}})
    response = await anon.get("/api/customers", headers=_bearer(tokens["accessToken"]))
    assert_error(response, 401, "Unauthorized")
    refreshed = await anon.post(
        "/api/user/token/refresh", json={"refreshToken": tokens["refreshToken"]}
    )
    assert_error(refreshed, 401, "User not found or inactive")
    # Logged out: EverShop sends the browser to the sign-in page.
    response = await anon.request(method, "/admin/user/logout")
    assert response.status_code == 302
    assert response.headers["location"] == "/admin/login"


async def test_customer_credentials_are_not_admin_credentials(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient, new_client: ClientFactory
) -> None:
    created = await wire.create(admin)
    shopper = await new_client()
    sid = await wire.login(shopper)
    tokens = await _tokens(anon)
    legacy = (
        await anon.post("/api/customers/sessions", json={"email": JOHN, "password": wire.PASSWORD})
    ).json()["data"]["token"]
    credentials = [
        {"Cookie": f"sid={sid}"},
        {"X-Session-ID": sid},
        {"Cookie": f"asid={sid}"},
        _bearer(tokens["accessToken"]),
        _bearer(legacy),
        {"Cookie": f"admin_token={tokens['accessToken']}"},
        {"Cookie": f"token={legacy}"},
    ]
    target = f"/api/customers/{created['uuid']}"
    for headers in credentials:
        for method, path, body in (
            ("GET", "/api/customers", None),
            ("GET", target, None),
            ("PATCH", target, {"full_name": "Hacked"}),
            ("DELETE", target, None),
            ("PATCH", f"{target}/metafields", {"metafields": {"a": 1}}),
            ("POST", f"{target}/addresses", {"full_name": "x"}),
        ):
            response = await anon.request(method, path, json=body, headers=headers)
            assert_error(response, 401, "Unauthorized")
    # The cookie jar of a signed-in customer is no admin either.
    assert_error(await shopper.get("/api/customers"), 401, "Unauthorized")
    unchanged = await admin.get(target)
    assert unchanged.json()["data"]["full_name"] == "John Smith"


async def test_support_admin_cannot_delete_or_create(
    services: Services, admin: httpx.AsyncClient, new_client: ClientFactory
) -> None:
    created = await wire.create(admin)
    await factories.create_admin(services, email="support@example.com", role="support")
    support = await new_client()
    await factories.admin_login(support, "support@example.com")
    response = await support.delete(f"/api/customers/{created['uuid']}")
    assert_error(response, 403, "Insufficient permissions")
    response = await support.post(
        "/api/customers",
        json={"email": "new@example.com", "password": wire.PASSWORD, "full_name": "New One"},
    )
    assert_error(response, 403, "Insufficient permissions")
    # Support may read and edit.
    assert (await support.get(f"/api/customers/{created['uuid']}")).status_code == 200
    response = await support.patch(f"/api/customers/{created['uuid']}", json={"full_name": "J S"})
    assert response.status_code == 200
    assert (await admin.get(f"/api/customers/{created['uuid']}")).status_code == 200


# ---- legacy session ends (POST|DELETE /api/customers/sessions/{ids}) ----------------------


@pytest.mark.parametrize("method", ["POST", "DELETE"])
async def test_customer_ends_only_its_own_sessions(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient, method: str
) -> None:
    john = await wire.create(admin)
    await wire.create(admin, "jane@example.com", "Jane Doe")
    john_sid = await wire.login(anon)
    jane_sid = await wire.login(anon, "jane@example.com")
    john_other = await wire.login(anon)
    # John names Jane's sid and another of his own: only his own ends.
    response = await anon.request(
        method,
        f"/api/customers/sessions/{jane_sid},{john_other}",
        headers={"X-Session-ID": john_sid},
    )
    assert_json(response, 200, {"data": {}})
    assert await wire.signed_in(anon, **{"X-Session-ID": jane_sid})
    assert not await wire.signed_in(anon, **{"X-Session-ID": john_other})
    assert await wire.signed_in(anon, **{"X-Session-ID": john_sid})
    # A customer uuid ends all of that customer's sessions.
    response = await anon.request(
        method, f"/api/customers/sessions/{john['uuid']}", headers={"X-Session-ID": john_sid}
    )
    assert_json(response, 200, {"data": {}})
    assert not await wire.signed_in(anon, **{"X-Session-ID": john_sid})


async def test_anonymous_session_end_is_ignored(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient, new_client: ClientFactory
) -> None:
    john = await wire.create(admin)
    sid = await wire.login(anon)
    stranger = await new_client()
    for ids in (sid, john["uuid"], "garbage", f"{sid},{john['uuid']}"):
        assert_json(await stranger.post(f"/api/customers/sessions/{ids}"), 200, {"data": {}})
    assert await wire.signed_in(anon, **{"X-Session-ID": sid})


async def test_admin_ends_any_customers_sessions(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient
) -> None:
    john = await wire.create(admin)
    await wire.create(admin, "jane@example.com", "Jane Doe")
    first = await wire.login(anon)
    second = await wire.login(anon)
    jane = await wire.login(anon, "jane@example.com")
    jane_tokens = await _tokens(anon, "jane@example.com")
    response = await admin.post(f"/api/customers/sessions/{john['uuid']},{jane}")
    assert_json(response, 200, {"data": {}})
    assert not await wire.signed_in(anon, **{"X-Session-ID": first})
    assert not await wire.signed_in(anon, **{"X-Session-ID": second})
    assert not await wire.signed_in(anon, **{"X-Session-ID": jane})
    assert await wire.signed_in(anon, **_bearer(jane_tokens["accessToken"]))
    # The public id in a JWT's sid claim names that session.
    session_uuid = wire.jwt_payload(jane_tokens["accessToken"])["sid"]
    response = await admin.delete(f"/api/customers/sessions/{session_uuid}")
    assert_json(response, 200, {"data": {}})
    assert not await wire.signed_in(anon, **_bearer(jane_tokens["accessToken"]))


async def test_cookies_are_secure_over_https(
    admin: httpx.AsyncClient, new_client: ClientFactory
) -> None:
    await wire.create(admin)
    secure = await new_client(base_url="https://testserver")
    response = await secure.post("/customer/login", json={"email": JOHN, "password": wire.PASSWORD})
    _, attributes = wire.cookie_attributes(wire.set_cookies(response)["sid"])
    assert {"secure", "httponly", "samesite=lax"} <= attributes
    response = await secure.post(
        "/api/customers/sessions", json={"email": JOHN, "password": wire.PASSWORD}
    )
    _, attributes = wire.cookie_attributes(wire.set_cookies(response)["token"])
    assert {"secure", "httponly", "samesite=lax", "max-age=172800"} <= attributes


async def test_legacy_session_takes_json_only(
    admin: httpx.AsyncClient, anon: httpx.AsyncClient
) -> None:
    await wire.create(admin)
    response = await anon.post(
        "/api/customers/sessions", data={"email": JOHN, "password": wire.PASSWORD}
    )
    assert_error(response, 400, "Request body must be a JSON object")


async def test_logout_clears_the_legacy_token_cookie_too(anon: httpx.AsyncClient) -> None:
    await anon.post(
        "/api/customers",
        json={"email": "legacy@example.com", "password": "Secret-67c44859", "full_name": "L"},
    )
    login = await anon.post(
        "/api/customers/sessions",
        json={"email": "legacy@example.com", "password": "Secret-67c44859"},
    )
    assert login.status_code == 200
    assert "token" in anon.cookies
    response = await anon.post("/customer/logout")
    assert response.status_code == 200
    cleared = [h for h in response.headers.get_list("set-cookie") if h.startswith("token=")]
    assert len(cleared) == 1
    assert "Max-Age=0" in cleared[0]
    assert "token" not in anon.cookies


async def test_concurrent_logins_during_a_rehash_all_succeed(
    client: httpx.AsyncClient, services: Services
) -> None:
    """An imported hash is replaced at the first sign-in; several devices signing in at that
    moment all get in (the replacement is opportunistic, not a versioned change)."""
    import bcrypt  # noqa: PLC0415 - the legacy format under test
    from sqlalchemy import text  # noqa: PLC0415

    created = await factories.register(client)
    legacy = bcrypt.hashpw(factories.CUSTOMER_PASSWORD.encode(), bcrypt.gensalt(4)).decode()
    async with services.engine.begin() as conn:
        before = (
            await conn.execute(
                text(
                    "UPDATE customer SET password_hash = :h WHERE customer_id = :i"
                    " RETURNING version"
                ),
                {"h": legacy, "i": created["customer_id"]},
            )
        ).scalar_one()
    body = {"email": "john.smith@example.com", "password": factories.CUSTOMER_PASSWORD}
    answers = await asyncio.gather(*(client.post("/customer/login", json=body) for _ in range(6)))
    assert [r.status_code for r in answers] == [200] * 6, [r.text for r in answers]
    async with services.engine.connect() as conn:
        stored, version = (
            await conn.execute(
                text("SELECT password_hash, version FROM customer WHERE customer_id = :i"),
                {"i": created["customer_id"]},
            )
        ).one()
    assert stored.startswith("$argon2id$")
    assert version == before  # the record did not change for its readers (ETag)
