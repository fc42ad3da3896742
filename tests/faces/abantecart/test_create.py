"""``a/account/create``: the form, 1.4.2's registration rules, the stored account."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from patron.core import customers
from tests.faces.abantecart import wire
from tests.faces.abantecart.wire import (
    REGISTRATION,
    assert_body,
    assert_golden,
    get,
    post,
)

pytestmark = pytest.mark.anyio

# The failing registrations of the captures, byte for byte as they were posted.
FAILURES = [
    (
        "create_post_fail_address_1_short",
        b"loginname=acc_2bda404607274b&firstname=First&lastname=Last&email=abc-bce50d71a5584a55%40example.com&telephone=435435435&fax=434543543&company=&address_1=ab&address_2=&city=Springfield&postcode=62701&country_id=223&zone_id=3624&password=Aa1-6a7e16a45512&confirm=Aa1-6a7e16a45512&agree=1&newsletter=0",
    ),
    (
        "create_post_fail_all_empty",
        b"loginname=&firstname=&lastname=&email=&telephone=&fax=&company=&address_1=&address_2=&city=&postcode=&country_id=&zone_id=&password=&confirm=&agree=&newsletter=",
    ),
    (
        "create_post_fail_city_short",
        b"loginname=acc_aa7e2607c41a41&firstname=First&lastname=Last&email=abc-495272d19eb2448a%40example.com&telephone=435435435&fax=434543543&company=&address_1=12+Main+Street&address_2=&city=ab&postcode=62701&country_id=223&zone_id=3624&password=Aa1-e9e018ba60d8&confirm=Aa1-e9e018ba60d8&agree=1&newsletter=0",
    ),
    (
        "create_post_fail_confirm_mismatch",
        b"loginname=acc_9b28b561536346&firstname=First&lastname=Last&email=abc-9936e8be32814869%40example.com&telephone=435435435&fax=434543543&company=&address_1=12+Main+Street&address_2=&city=Springfield&postcode=62701&country_id=223&zone_id=3624&password=Aa1-abd133c75d88&confirm=something-else-1&agree=1&newsletter=0",
    ),
    (
        "create_post_fail_country_false",
        b"loginname=acc_c32008a47f3443&firstname=First&lastname=Last&email=abc-ca1375eec1ad46d2%40example.com&telephone=435435435&fax=434543543&company=&address_1=12+Main+Street&address_2=&city=Springfield&postcode=62701&country_id=FALSE&zone_id=3624&password=Aa1-09678f103b1e&confirm=Aa1-09678f103b1e&agree=1&newsletter=0",
    ),
    (
        "create_post_fail_email_plus",
        b"loginname=acc_95dcd6703b8042&firstname=First&lastname=Last&email=a%2Bed15d062%40example.com&telephone=435435435&fax=434543543&company=&address_1=12+Main+Street&address_2=&city=Springfield&postcode=62701&country_id=223&zone_id=3624&password=Aa1-7effcab7f60b&confirm=Aa1-7effcab7f60b&agree=1&newsletter=0",
    ),
    (
        "create_post_fail_firstname_email",
        b"loginname=acc_140a2e20ab4f43&firstname=&lastname=Last&email=not-an-email&telephone=435435435&fax=434543543&company=&address_1=12+Main+Street&address_2=&city=Springfield&postcode=62701&country_id=223&zone_id=3624&password=Aa1-c02a942c896f&confirm=Aa1-c02a942c896f&agree=1&newsletter=0",
    ),
    (
        "create_post_fail_lastname_long",
        b"loginname=acc_c92e8891688a4b&firstname=First&lastname=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx&email=abc-3fda6f426db94bd1%40example.com&telephone=435435435&fax=434543543&company=&address_1=12+Main+Street&address_2=&city=Springfield&postcode=62701&country_id=223&zone_id=3624&password=Aa1-bcdfac9de0f2&confirm=Aa1-bcdfac9de0f2&agree=1&newsletter=0",
    ),
    (
        "create_post_fail_loginname_chars",
        b"loginname=bad+name%21&firstname=First&lastname=Last&email=abc-fc10f732acb64deb%40example.com&telephone=435435435&fax=434543543&company=&address_1=12+Main+Street&address_2=&city=Springfield&postcode=62701&country_id=223&zone_id=3624&password=Aa1-84dda6563308&confirm=Aa1-84dda6563308&agree=1&newsletter=0",
    ),
    (
        "create_post_fail_loginname_short",
        b"loginname=abc&firstname=First&lastname=Last&email=abc-0ec24c7d448e4a52%40example.com&telephone=435435435&fax=434543543&company=&address_1=12+Main+Street&address_2=&city=Springfield&postcode=62701&country_id=223&zone_id=3624&password=Aa1-2763564a00c9&confirm=Aa1-2763564a00c9&agree=1&newsletter=0",
    ),
    (
        "create_post_fail_no_agree",
        b"loginname=acc_64de23c9a22649&firstname=First&lastname=Last&email=abc-49067d083d0440e9%40example.com&telephone=435435435&fax=434543543&company=&address_1=12+Main+Street&address_2=&city=Springfield&postcode=62701&country_id=223&zone_id=3624&password=Aa1-49c79db2e13c&confirm=Aa1-49c79db2e13c&newsletter=0",
    ),
    (
        "create_post_fail_password_short",
        b"loginname=acc_2c500d782e144d&firstname=First&lastname=Last&email=abc-8fc9024c000d460a%40example.com&telephone=435435435&fax=434543543&company=&address_1=12+Main+Street&address_2=&city=Springfield&postcode=62701&country_id=223&zone_id=3624&password=abc&confirm=abc&agree=1&newsletter=0",
    ),
    (
        "create_post_fail_postcode_empty",
        b"loginname=acc_206e87ad1e6c45&firstname=First&lastname=Last&email=abc-5468658791dd425f%40example.com&telephone=435435435&fax=434543543&company=&address_1=12+Main+Street&address_2=&city=Springfield&postcode=&country_id=223&zone_id=3624&password=Aa1-5ad581b71861&confirm=Aa1-5ad581b71861&agree=1&newsletter=0",
    ),
    (
        "create_post_fail_telephone_bad",
        b"loginname=acc_a2d06db01adb4b&firstname=First&lastname=Last&email=abc-88032b16ca944ebc%40example.com&telephone=call+me&fax=434543543&company=&address_1=12+Main+Street&address_2=&city=Springfield&postcode=62701&country_id=223&zone_id=3624&password=Aa1-eb70abe38b43&confirm=Aa1-eb70abe38b43&agree=1&newsletter=0",
    ),
    (
        "create_post_fail_zone_false",
        b"loginname=acc_461379e23f664c&firstname=First&lastname=Last&email=abc-734225e033c243cf%40example.com&telephone=435435435&fax=434543543&company=&address_1=12+Main+Street&address_2=&city=Springfield&postcode=62701&country_id=223&zone_id=FALSE&password=Aa1-f2b767043b29&confirm=Aa1-f2b767043b29&agree=1&newsletter=0",
    ),
]
OK = REGISTRATION["loginname"], REGISTRATION["email"]


async def _create(client: httpx.AsyncClient, body: dict[str, str] | bytes) -> httpx.Response:
    return await post(client, "a/account/create", body)


async def test_the_form(client: httpx.AsyncClient) -> None:
    assert_golden(await get(client, "a/account/create"), 200, "create_get")


@pytest.mark.parametrize(("name", "body"), FAILURES, ids=[name for name, _ in FAILURES])
async def test_refusals_answer_200_with_the_form(
    client: httpx.AsyncClient, admin: httpx.AsyncClient, name: str, body: bytes
) -> None:
    assert_golden(await _create(client, body), 200, name)
    assert (await admin.get("/api/customers")).json()["meta"]["total"] == 0


async def test_registration_and_what_is_stored(
    client: httpx.AsyncClient, admin: httpx.AsyncClient
) -> None:
    assert_golden(await _create(client, REGISTRATION), 200, "create_post_ok")
    (row,) = (await admin.get("/api/customers")).json()["data"]
    assert (row["email"], row["full_name"], row["status"], row["group_id"]) == (
        "abc-c9178c8b7a94467f@example.com",
        "First Last",
        1,
        1,
    )
    (address,) = (await admin.get(f"/api/customers/{row['uuid']}")).json()["data"]["addresses"]
    assert {k: address[k] for k in ("full_name", "address_1", "address_2", "city", "postcode")} == {
        "full_name": "First Last",
        "address_1": "12 Main Street",
        "address_2": None,
        "city": "Springfield",
        "postcode": "62701",
    }
    assert (address["country"], address["province"], address["is_default"]) == ("US", "CA", True)
    token = await wire.login(client, "acc_27efe76afede4c")
    fields = (await get(client, "a/account/edit", token=token)).json()["fields"]
    assert [fields[k]["value"] for k in ("telephone", "fax", "newsletter")] == [
        "435435435",
        "434543543",
        "0",
    ]


async def test_email_and_login_name_are_taken_whatever_their_case(
    client: httpx.AsyncClient,
) -> None:
    await wire.register(client)
    dup_email = (
        b"loginname=acc_da524c583db045&firstname=First&lastname=Last&email=ABC-C9178C8B7A94467F"
        b"%40EXAMPLE.COM&telephone=435435435&fax=434543543&company=&address_1=12+Main+Street"
        b"&address_2=&city=Springfield&postcode=62701&country_id=223&zone_id=3624"
        b"&password=Aa1-72ee720306f8&confirm=Aa1-72ee720306f8&agree=1&newsletter=0"
    )
    assert_golden(await _create(client, dup_email), 200, "create_post_dup_email_upper")
    dup_name = (
        b"loginname=ACC_27EFE76AFEDE4C&firstname=First&lastname=Last&email=abc-6094ea5f7556474c"
        b"%40example.com&telephone=435435435&fax=434543543&company=&address_1=12+Main+Street"
        b"&address_2=&city=Springfield&postcode=62701&country_id=223&zone_id=3624"
        b"&password=Aa1-0526704b92e9&confirm=Aa1-0526704b92e9&agree=1&newsletter=0"
    )
    assert_golden(await _create(client, dup_name), 200, "create_post_dup_loginname_upper")
    again = await _create(client, REGISTRATION)
    assert_golden(again, 200, "create_post_ok_again_same_form")


async def test_server_owned_fields_are_ignored(
    client: httpx.AsyncClient, admin: httpx.AsyncClient
) -> None:
    body = (
        b"loginname=acc_6f0194b821a74e&firstname=First&lastname=Last&email=abc-57ad1a4d11974e14"
        b"%40example.com&telephone=435435435&fax=434543543&company=&address_1=12+Main+Street"
        b"&address_2=&city=Springfield&postcode=62701&country_id=223&zone_id=3624"
        b"&password=Aa1-6fc86b5900ea&confirm=Aa1-6fc86b5900ea&agree=1&newsletter=0&status=0"
        b"&approved=0&customer_group_id=2&foo=bar&ip=10.9.8.7"
    )
    assert_golden(await _create(client, body), 200, "create_post_mass_assignment")
    (row,) = (await admin.get("/api/customers")).json()["data"]
    assert (row["status"], row["group_id"]) == (1, 1)  # AbanteCart stores 0 and 2 here
    await wire.login(client, "acc_6f0194b821a74e", "Aa1-6fc86b5900ea")


async def test_a_signed_in_customer_cannot_register(client: httpx.AsyncClient) -> None:
    token = await wire.signup(client, "acc_d4b7b5495c2044", "abc-28718b14e5fd4905@example.com")
    body = {**REGISTRATION, "loginname": "acc_other_name", "email": "other@example.com"}
    response = await _create(client, {**body, "token": token})
    assert_body(response, 401, b'{"error":"Already Logged in. Can not create new account."}')
    response = await _create(client, {**body, "token": "0" * 64})  # a dead token is no session
    assert response.json()["status"] == 1


async def test_the_core_password_policy_applies(client: httpx.AsyncClient) -> None:
    body = {**REGISTRATION, "password": "Abcdefg", "confirm": "Abcdefg"}
    assert (await _create(client, body)).json()["error_password"] == (
        "Password must be at least 8 characters"
    )
    long = "p" * 21  # over 1.4.2's 20, within the policy
    assert (await _create(client, {**REGISTRATION, "password": long, "confirm": long})).json()[
        "status"
    ] == 1


async def test_passwords_are_never_echoed(client: httpx.AsyncClient) -> None:
    body = {**REGISTRATION, "firstname": "", "password": "s3cret-Pass", "confirm": "other-Pass"}
    response = await _create(client, body)
    assert "s3cret" not in response.text
    assert "other-Pass" not in response.text
    fields = response.json()["fields"]
    assert (fields["password"]["value"], fields["confirm"]["value"]) == ("", "")


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        # A country without zones needs none; an unknown country is no country.
        ({"country_id": "8", "zone_id": "0"}, {}),
        ({"country_id": "999", "zone_id": "3624"}, {"country": "Please select a country!"}),
        # A zone of another country is refused (1.4.2 stores any zone id).
        ({"country_id": "223", "zone_id": "602"}, {"zone": "Please select a region / state!"}),
        ({"country_id": "223", "zone_id": "0"}, {"zone": "Please select a region / state!"}),
        ({"telephone": "+1 (555) 123-4567"}, {}),
        (
            {"telephone": "12"},
            {"telephone": "Telephone must be between 3 and 32 numeric only characters!"},
        ),
        (
            {"firstname": "&&&&&&&"},
            {"firstname": "First Name must be between 1 and 32 characters!"},
        ),
        (
            {"loginname": "ünicode"},
            {"loginname": "Login name must be alphanumeric only and between 5 and 64 characters!"},
        ),
        ({"fax": "9" * 65}, {"fax": "Fax must be at most 64 characters!"}),
        ({"address_1": "a\x00b"}, {"address_1": "Address 1 must be between 3 and 128 characters!"}),
        (
            {"postcode": "9" * 65},
            {"postcode": "Zip/postal code must be between 3 and 10 characters!"},
        ),
    ],
)
async def test_field_rules(
    client: httpx.AsyncClient, changes: dict[str, str], errors: dict[str, str]
) -> None:
    response = await _create(client, {**REGISTRATION, **changes})
    assert response.status_code == 200
    assert response.json().get("errors", {}) == errors


async def test_newsletter_and_an_address_without_a_zone_are_stored(
    client: httpx.AsyncClient, admin: httpx.AsyncClient
) -> None:
    body = {**REGISTRATION, "newsletter": "1", "country_id": "8", "zone_id": "", "company": "ACME"}
    assert (await _create(client, body)).json()["status"] == 1
    uuid = (await admin.get("/api/customers")).json()["data"][0]["uuid"]
    (address,) = (await admin.get(f"/api/customers/{uuid}")).json()["data"]["addresses"]
    assert (address["country"], address["province"]) == ("AQ", None)
    token = await wire.login(client, REGISTRATION["loginname"])
    fields = (await get(client, "a/account/edit", token=token)).json()["fields"]
    assert fields["newsletter"]["value"] == "1"


async def test_a_lost_race_is_named_like_a_taken_email(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another registration takes the email between the check and the write: the unique
    index refuses it and the form names the email, as if the check had seen it."""
    await wire.register(client)
    real = customers.taken_identifiers
    looks: list[object] = []

    async def blind_first_look(*args: Any, **kw: Any) -> set[str]:
        looks.append(kw)
        return set() if len(looks) == 1 else await real(*args, **kw)

    monkeypatch.setattr(customers, "taken_identifiers", blind_first_look)
    response = await _create(client, {**REGISTRATION, "loginname": "acc_racer_name"})
    body = response.json()
    assert (body["status"], body["errors"]) == (
        0,
        {"warning": "Error: E-Mail Address is already registered!"},
    )
    assert len(looks) == 2


@pytest.mark.parametrize("field", [name for name in REGISTRATION if name != "agree"])
@pytest.mark.parametrize("value", ["x\x00y", "é" * 300, " "])
async def test_no_field_value_breaks_registration(
    client: httpx.AsyncClient, field: str, value: str
) -> None:
    response = await _create(client, {**REGISTRATION, field: value})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] in (0, 1)
    if body["status"] == 0:
        assert body["errors"]
