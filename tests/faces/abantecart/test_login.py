"""``a/account/login`` (password login and token check) and ``a/account/logout``."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from patron.faces._shared.services import Services
from tests.faces.abantecart import wire
from tests.faces.abantecart.wire import (
    LOGIN_FAILED,
    NOT_LOGGED_IN,
    PASSWORD,
    assert_body,
    assert_golden,
    get,
    post,
)
from tests.fakes import FixedClock, SpyHasher

pytestmark = pytest.mark.anyio

NAME = "acc_27efe76afede4c"


async def _token_check(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await post(client, "a/account/login", {"token": token})


async def test_login_answers_a_new_token_each_time(client: httpx.AsyncClient) -> None:
    await wire.register(client)
    first = await post(client, "a/account/login", f"loginname={NAME}&password={PASSWORD}".encode())
    token = first.json()["token"]
    assert_golden(first, 200, "login_ok", replace={"68fc6b055c77b8551712407748": token})
    second = await post(client, "a/account/login", {"loginname": NAME, "password": PASSWORD})
    other = second.json()["token"]
    assert_golden(second, 200, "login_ok_second", replace={"68fc6b055c77d6948154841304": other})
    assert other != token
    assert_golden(await _token_check(client, token), 200, "token_check_authorized_t1")
    assert_golden(await _token_check(client, other), 200, "token_check_authorized_t2")


async def test_login_names_ignore_case(client: httpx.AsyncClient) -> None:
    await wire.register(client)
    response = await post(
        client, "a/account/login", {"loginname": NAME.upper(), "password": PASSWORD}
    )
    token = response.json()["token"]
    assert_golden(
        response, 200, "login_upper_loginname", replace={"68fc6b055c77d0b95120781924": token}
    )


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("login_fail_wrong_password", f"loginname={NAME}&password=wrong-{PASSWORD}"),
        ("login_fail_unknown_user", "loginname=nobody-a8b07e5d&password=x"),
        ("login_fail_missing_password", f"loginname={NAME}"),
        ("login_fail_no_params", ""),
        ("login_by_email_fails", f"email=abc-c9178c8b7a94467f%40example.com&password={PASSWORD}"),
    ],
)
async def test_login_failures(client: httpx.AsyncClient, name: str, body: str) -> None:
    await wire.register(client)
    assert_golden(await post(client, "a/account/login", body.encode()), 401, name)


async def test_the_email_logs_in_an_account_without_a_login_name(
    client: httpx.AsyncClient,
) -> None:
    # Accounts from other faces have no login name: their email is their login name.
    response = await client.post(
        "/api/customers",
        json={"email": "Ada@Example.com", "password": PASSWORD, "full_name": "Ada Lovelace"},
    )
    assert response.status_code == 200
    for body in ({"loginname": "ada@example.com"}, {"email": "ADA@example.com"}):
        response = await post(client, "a/account/login", {**body, "password": PASSWORD})
        assert response.json()["success"] == "Logged in"


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("token_check_unknown_token", b"token=58fb1592f0c59b8dc1d5541aebdff8da"),
        ("token_check_empty_token", b"token="),
        ("token_check_with_credentials", f"token=&loginname={NAME}&password={PASSWORD}".encode()),
        ("token_check_unknown_token", b"token=not%20a%20token"),
    ],
)
async def test_dead_token_checks(client: httpx.AsyncClient, name: str, body: bytes) -> None:
    await wire.register(client)
    assert_golden(await post(client, "a/account/login", body), 401, name)


async def test_a_token_only_in_the_query_of_a_post_is_not_seen(client: httpx.AsyncClient) -> None:
    token = await wire.signup(client, NAME, "abc-c9178c8b7a94467f@example.com")
    response = await post(client, "a/account/login", b"", query={"token": token})
    assert_golden(response, 401, "token_in_query_only_post")


async def test_a_client_chosen_token_is_never_a_session(client: httpx.AsyncClient) -> None:
    # AbanteCart starts a session under any well-formed id a client sends; patron does not.
    await wire.register(client)
    chosen = "a" * 64
    response = await post(
        client, "a/account/login", {"token": chosen, "loginname": NAME, "password": PASSWORD}
    )
    assert_body(response, 401, b'{"status":0,"request":"unauthorized"}')
    assert_body(await post(client, "a/account/account", {"token": chosen}), 401, NOT_LOGGED_IN)


# ---- passwords ----------------------------------------------------------------------------


async def test_passwords_are_used_as_typed(client: httpx.AsyncClient) -> None:
    typed = '  a&b"<x> '
    await wire.register(client, loginname="acc_81a1b71734e643", password=typed, confirm=typed)
    body = b"loginname=acc_81a1b71734e643&password=++a%26b%22%3Cx%3E+"
    response = await post(client, "a/account/login", body)
    token = response.json()["token"]
    replace = {"68fc6b055c78523f8489770383": token}
    assert_golden(response, 200, "login_password_with_specials_exact", replace=replace)
    escaped = b"loginname=acc_81a1b71734e643&password=a%26amp%3Bb%26quot%3B%26lt%3Bx%26gt%3B"
    response = await post(client, "a/account/login", escaped)
    assert_golden(response, 401, "login_password_with_specials_escaped")
    # AbanteCart trims the password it hashes; patron never does (docs/compat.md).
    trimmed = b"loginname=acc_81a1b71734e643&password=a%26b%22%3Cx%3E"
    assert_body(await post(client, "a/account/login", trimmed), 401, LOGIN_FAILED)


def _abantecart_hash(typed: str, salt: str) -> str:
    """What AbanteCart 1.4.2 stored for ``typed``: its request cleaning (htmlspecialchars with
    ENT_COMPAT, then trim), then sha1(salt . sha1(salt . sha1(pw))), written out here."""
    cleaned = typed
    for raw, entity in (("&", "&amp;"), ('"', "&quot;"), ("<", "&lt;"), (">", "&gt;")):
        cleaned = cleaned.replace(raw, entity)
    cleaned = cleaned.strip(" \t\n\r\0\x0b")

    def sha1(text: str) -> str:
        return hashlib.sha1(text.encode()).hexdigest()  # noqa: S324 - AbanteCart's format

    return f"$abantecart-sha1${salt}${sha1(salt + sha1(salt + sha1(cleaned)))}"


async def _import_legacy_hash(services: Services, email: str, stored: str) -> None:
    async with services.uow() as uow:
        customer = await uow.customers.get_by_email_key(1, email)
        assert customer is not None
        customer.password_hash = stored
        await uow.commit()


async def _stored_hash(services: Services, email: str) -> str:
    async with services.uow() as uow:
        customer = await uow.customers.get_by_email_key(1, email)
        assert customer is not None
        return customer.password_hash


async def test_imported_abantecart_hashes_log_in_and_are_upgraded(
    client: httpx.AsyncClient, services: Services
) -> None:
    typed = '  a&b"<x> '
    email = "abc-c9178c8b7a94467f@example.com"
    await wire.register(client, loginname="acc_81a1b71734e643")
    await _import_legacy_hash(services, email, _abantecart_hash(typed, "Xy3kP9qZ"))
    escaped = b"loginname=acc_81a1b71734e643&password=a%26amp%3Bb%26quot%3B%26lt%3Bx%26gt%3B"
    assert_body(await post(client, "a/account/login", escaped), 401, LOGIN_FAILED)
    # As on AbanteCart, the trimmed form verifies too while the legacy hash is stored.
    trimmed = b"loginname=acc_81a1b71734e643&password=a%26b%22%3Cx%3E"
    response = await post(client, "a/account/login", trimmed)
    replace = {"68fc6b055c785806c754259629": response.json()["token"]}
    assert_golden(response, 200, "login_password_with_specials_trimmed", replace=replace)
    upgraded = await _stored_hash(services, email)
    assert upgraded.startswith("$argon2id$")
    # The new hash is of the password as it was typed at that login.
    assert (await post(client, "a/account/login", trimmed)).status_code == 200
    exact = b"loginname=acc_81a1b71734e643&password=++a%26b%22%3Cx%3E+"
    assert_body(await post(client, "a/account/login", exact), 401, LOGIN_FAILED)


async def test_the_exact_legacy_password_becomes_the_new_one(
    client: httpx.AsyncClient, services: Services
) -> None:
    typed = '  a&b"<x> '
    email = "abc-c9178c8b7a94467f@example.com"
    await wire.register(client, loginname="acc_81a1b71734e643")
    await _import_legacy_hash(services, email, _abantecart_hash(typed, "Xy3kP9qZ"))
    exact = b"loginname=acc_81a1b71734e643&password=++a%26b%22%3Cx%3E+"
    assert (await post(client, "a/account/login", exact)).status_code == 200
    assert (await _stored_hash(services, email)).startswith("$argon2id$")
    assert (await post(client, "a/account/login", exact)).status_code == 200


# ---- no enumeration ------------------------------------------------------------------------


async def test_failures_look_alike_and_cost_one_hash_check(
    client: httpx.AsyncClient, services: Services, admin: httpx.AsyncClient
) -> None:
    spy = SpyHasher()
    services.hasher = spy
    await wire.register(client)
    await wire.register(client, loginname="acc_4438d3b88d5c45", email="off@example.com")
    found = (await admin.get("/api/customers", params={"email": "off@example.com"})).json()
    await admin.patch(f"/api/customers/{found['data'][0]['uuid']}", json={"status": 0})
    cases = {
        "wrong password": {"loginname": NAME, "password": "wrong-" + PASSWORD},
        "unknown login name": {"loginname": "nobody-a8b07e5d", "password": PASSWORD},
        "disabled": {"loginname": "acc_4438d3b88d5c45", "password": PASSWORD},
    }
    for body in cases.values():
        spy.verified.clear()
        response = await post(client, "a/account/login", body)
        assert_body(response, 401, LOGIN_FAILED)
        assert len(spy.verified) == 1  # one password verification on every path
    spy.verified.clear()
    await post(client, "a/account/login", cases["unknown login name"])
    assert spy.verified == [None]  # no account: the hasher's dummy hash is verified


# ---- disabled accounts ---------------------------------------------------------------------


async def test_disabling_kills_the_token_for_good(
    client: httpx.AsyncClient, admin: httpx.AsyncClient
) -> None:
    token = await wire.signup(client, "acc_4438d3b88d5c45", "off@example.com")
    uuid = (await admin.get("/api/customers")).json()["data"][0]["uuid"]
    await admin.patch(f"/api/customers/{uuid}", json={"status": 0})
    assert_golden(
        await post(client, "a/account/account", {"token": token}), 401, "disabled_customer_account"
    )
    assert_golden(await _token_check(client, token), 401, "disabled_customer_token_check")
    body = {"loginname": "acc_4438d3b88d5c45", "password": PASSWORD}
    assert_golden(await post(client, "a/account/login", body), 401, "disabled_customer_login")
    await admin.patch(f"/api/customers/{uuid}", json={"status": 1})
    assert_golden(await _token_check(client, token), 401, "reenabled_customer_old_token_check")
    assert (await post(client, "a/account/login", body)).status_code == 200


# ---- logout --------------------------------------------------------------------------------


async def test_logout_by_post_ends_the_token_everywhere(client: httpx.AsyncClient) -> None:
    token = await wire.signup(client, NAME, "abc-c9178c8b7a94467f@example.com")
    assert_golden(await post(client, "a/account/logout", {"token": token}), 200, "logout_post_ok")
    assert_golden(
        await post(client, "a/account/account", {"token": token}), 401, "after_logout_account"
    )
    assert_golden(await _token_check(client, token), 401, "after_logout_token_check")
    response = await post(client, "a/account/logout", {"token": token})
    assert_golden(response, 401, "after_logout_logout_again")
    assert_golden(
        await post(client, "a/account/history", {"token": token}), 401, "after_logout_history"
    )
    headers = {"X-Session-ID": token}
    assert (await client.patch("/api/customers/me", json={}, headers=headers)).status_code == 401


async def test_logout_by_get(client: httpx.AsyncClient) -> None:
    token = await wire.signup(client, NAME, "abc-c9178c8b7a94467f@example.com")
    assert_golden(await get(client, "a/account/logout", token=token), 200, "logout_get_ok")
    response = await post(client, "a/account/history", {"token": token})
    assert_golden(response, 401, "after_logout_get_history")


async def test_logout_ends_only_its_own_session(client: httpx.AsyncClient) -> None:
    first = await wire.signup(client, NAME, "abc-c9178c8b7a94467f@example.com")
    second = await wire.login(client, NAME)
    assert_golden(
        await post(client, "a/account/logout", {"token": first}), 200, "logout_for_sessions_table"
    )
    assert_golden(await _token_check(client, first), 401, "session_row_deleted_token_check")
    assert_golden(await _token_check(client, second), 200, "token_check_authorized_t2")


async def test_logout_without_a_token(client: httpx.AsyncClient) -> None:
    assert_golden(await post(client, "a/account/logout"), 401, "logout_no_token")
    response = await get(client, "a/account/logout", token="nope")
    assert_golden(response, 401, "logout_no_token")


# ---- idle expiry ---------------------------------------------------------------------------


async def test_an_idle_session_answers_302_once_then_401(
    client: httpx.AsyncClient, services: Services
) -> None:
    clock = FixedClock(datetime.now(UTC).replace(microsecond=0))
    services.clock = clock
    token = await wire.signup(client, NAME, "abc-c9178c8b7a94467f@example.com")
    clock.advance(timedelta(seconds=services.settings.session_idle_seconds - 1))
    assert (await post(client, "a/account/account", {"token": token})).status_code == 200
    clock.advance(timedelta(seconds=services.settings.session_idle_seconds + 1))
    response = await post(client, "a/account/account", {"token": token})
    assert_golden(response, 302, "expired_session_account", content_type="text/html; charset=utf-8")
    assert response.headers["location"] == "http://testserver/index.php?rt=a/account/account&"
    again = await post(client, "a/account/account", {"token": token})
    assert_golden(again, 401, "expired_session_after_ttl_restored")
    response = await get(client, "a/account/edit", token=token, x="1")
    assert_golden(response, 401, "expired_session_account_get_query")


async def test_the_redirect_keeps_the_other_query_parameters(
    client: httpx.AsyncClient, services: Services
) -> None:
    clock = FixedClock(datetime.now(UTC).replace(microsecond=0))
    services.clock = clock
    token = await wire.signup(client, NAME, "abc-c9178c8b7a94467f@example.com")
    clock.advance(timedelta(days=2))
    response = await get(client, "a/account/edit", token=token, x="1", s="admin", y="a b")
    assert response.status_code == 302
    assert response.headers["location"] == (
        "http://testserver/index.php?rt=a/account/edit&x=1&y=a%20b"
    )
    assert "access-control-allow-origin" not in response.headers
