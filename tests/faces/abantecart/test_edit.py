"""``a/account/edit``: the form (GET) and the full replace (POST) with 1.4.2's rules."""

from __future__ import annotations

import httpx
import pytest

from tests.faces.abantecart import wire
from tests.faces.abantecart.wire import PASSWORD, assert_body, assert_golden, get, post

pytestmark = pytest.mark.anyio

JOE = "abc-f9f3eec42e844fa3@example.com"
EDITED = "edited-abc-f9f3eec42e844fa3@example.com"
SUCCESS = b'{"status":1,"text_message":"Success"}'


async def _joe(client: httpx.AsyncClient) -> str:
    """The captures' edit customer: Joe Doe, telephone "555 1234", no fax, no newsletter."""
    return await wire.signup(
        client,
        "acc_b5cf0f99798e4b",
        JOE,
        firstname="Joe",
        lastname="Doe",
        telephone="555 1234",
        fax="",
    )


async def _edit(client: httpx.AsyncClient, token: str, **fields: str) -> httpx.Response:
    return await post(client, "a/account/edit", {"token": token, **fields})


async def test_the_form_shows_the_stored_values(client: httpx.AsyncClient) -> None:
    token = await _joe(client)
    assert_golden(await get(client, "a/account/edit", token=token), 200, "edit_get")
    response = await get(client, "a/account/edit", token=token, firstname="Override")
    assert_golden(response, 200, "edit_get_override_query")


async def test_the_form_and_the_change_need_a_live_token(client: httpx.AsyncClient) -> None:
    assert_golden(await get(client, "a/account/edit"), 401, "edit_get_no_token")
    assert_golden(await post(client, "a/account/edit", b"firstname=x"), 401, "edit_post_no_token")


async def test_refusals(client: httpx.AsyncClient) -> None:
    token = await _joe(client)
    await wire.register(
        client, loginname="acc_13fecf7b1d56", email="abc-13fecf7b1d564ae9@example.com"
    )
    response = await _edit(
        client, token, firstname="Joe", lastname="", email=JOE, telephone="435435435"
    )
    assert_golden(response, 200, "edit_post_fail_lastname_empty")
    response = await _edit(
        client,
        token,
        firstname="First",
        lastname="Last",
        email="abc-13fecf7b1d564ae9@example.com",
        telephone="435435435",
    )
    assert_golden(response, 200, "edit_post_fail_email_taken")
    # Resending the own login name fails as "not available", and only the generic warning
    # says so: 1.4.2 behaviour, kept.
    response = await _edit(
        client, token, loginname="acc_b5cf0f99798e4b", firstname="Joe", lastname="Doe", email=JOE
    )
    assert_golden(response, 200, "edit_post_fail_own_loginname")
    assert_golden(await get(client, "a/account/edit", token=token), 200, "edit_get")


async def test_a_change_is_a_full_replace(client: httpx.AsyncClient) -> None:
    token = await _joe(client)
    response = await _edit(
        client,
        token,
        firstname="First Name",
        lastname="Last Name",
        email=EDITED,
        telephone="435435435",
        fax="434543543",
        newsletter="1",
    )
    assert_golden(response, 200, "edit_post_ok")
    assert_golden(await get(client, "a/account/edit", token=token), 200, "edit_get_after_ok")
    account = await post(client, "a/account/account", {"token": token})
    customer_id = account.json()["customer_id"]
    replace = {'"customer_id":5': f'"customer_id":{customer_id}'}
    assert_golden(account, 200, "account_after_edit", replace=replace)
    response = await _edit(
        client, token, firstname="First", lastname="Last", email=EDITED, telephone="435435435"
    )
    assert_golden(response, 200, "edit_post_ok_full_replace")
    response = await get(client, "a/account/edit", token=token)
    assert_golden(response, 200, "edit_get_after_full_replace")


async def test_telephone_is_optional_and_email_rules_apply_to_changes(
    client: httpx.AsyncClient,
) -> None:
    email = "abc-f16eb2cabae0427e@example.com"
    token = await wire.signup(client, "acc_hist_person", email, firstname="Hist", lastname="Person")
    response = await _edit(client, token, firstname="Hist", lastname="Person", email=email)
    assert_golden(response, 200, "edit_post_without_telephone")
    response = await _edit(
        client, token, firstname="Hist", lastname="Person", email="a+b@example.com"
    )
    assert_golden(response, 200, "edit_post_email_with_plus")


async def test_an_email_the_form_rules_refuse_may_stay(client: httpx.AsyncClient) -> None:
    # Made on another face, "a+b@…" fails 1.4.2's pattern; unchanged, the profile still saves.
    response = await client.post(
        "/api/customers",
        json={"email": "a+b@example.com", "password": PASSWORD, "full_name": "Plus Person"},
    )
    assert response.status_code == 200
    token = await wire.login(client, "a+b@example.com")
    response = await _edit(
        client, token, firstname="Plus", lastname="Person", email="a+b@example.com"
    )
    assert_body(response, 200, SUCCESS)


async def test_the_login_name_can_change(client: httpx.AsyncClient) -> None:
    email = "abc-f16eb2cabae0427e@example.com"
    token = await wire.signup(client, "acc_hist_person", email, firstname="Hist", lastname="Person")
    response = await _edit(
        client,
        token,
        loginname="acc_2b5b541d4ffb42",
        firstname="Hist",
        lastname="Person",
        email=email,
    )
    assert_golden(response, 200, "edit_post_loginname_change")
    assert (
        await post(
            client, "a/account/login", {"loginname": "acc_hist_person", "password": PASSWORD}
        )
    ).status_code == 401
    await wire.login(client, "ACC_2B5B541D4FFB42")
    for bad in ("abc", "bad name!", "x" * 65):
        response = await _edit(
            client, token, loginname=bad, firstname="Hist", lastname="Person", email=email
        )
        body = response.json()
        assert body["status"] == 0
        assert body["error_warning"] == "Oops, there is an error with information provided!"


async def test_other_faces_see_the_change(
    client: httpx.AsyncClient, admin: httpx.AsyncClient
) -> None:
    token = await _joe(client)
    await _edit(client, token, firstname="Joe &", lastname="<Doe>", email=EDITED, newsletter="1")
    (row,) = (await admin.get("/api/customers")).json()["data"]
    assert (row["full_name"], row["email"]) == ("Joe & <Doe>", EDITED)
    shown = (await get(client, "a/account/edit", token=token)).json()["fields"]
    assert shown["firstname"]["value"] == "Joe &amp;"
    assert shown["lastname"]["value"] == "&lt;Doe&gt;"


@pytest.mark.parametrize(
    "fields",
    [
        {"firstname": "a\x00b", "lastname": "Doe", "email": JOE},
        {"firstname": "Joe", "lastname": "Doe", "email": JOE, "fax": "9" * 65},
        {"firstname": "Joe", "lastname": "Doe", "email": "x@y..com"},
        {"firstname": "Joe", "lastname": "Doe", "email": JOE, "telephone": "1" * 33},
    ],
)
async def test_bad_values_are_refused_in_the_form(
    client: httpx.AsyncClient, fields: dict[str, str]
) -> None:
    token = await _joe(client)
    response = await _edit(client, token, **fields)
    assert response.status_code == 200
    assert response.json()["status"] == 0
    assert_golden(await get(client, "a/account/edit", token=token), 200, "edit_get")
