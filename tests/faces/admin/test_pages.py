"""The admin console pages: sign-in with CSRF, headers, the grid and the customer page."""

from __future__ import annotations

import re

import httpx
import pytest

from patron.faces._shared.services import Services
from patron.faces.admin import cursors
from tests import factories
from tests.faces.abantecart import wire

pytestmark = pytest.mark.anyio
CSRF = re.compile(r'name="csrf" value="([0-9a-f]{64})"')


async def _sign_in(client: httpx.AsyncClient, services: Services) -> httpx.Response:
    await factories.create_admin(services)
    form = await client.get("/admin/login")
    token = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
    return await client.post(
        "/admin/login",
        data={"csrf": token, "email": factories.ADMIN_EMAIL, "password": factories.ADMIN_PASSWORD},
    )


async def test_every_admin_page_carries_the_security_headers(client: httpx.AsyncClient) -> None:
    page = await client.get("/admin/login")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "same-origin"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert 'name="csrf"' in page.text


async def test_sign_in_sets_a_fresh_asid_cookie_and_goes_to_the_grid(
    client: httpx.AsyncClient, services: Services
) -> None:
    response = await _sign_in(client, services)
    assert (response.status_code, response.headers["location"]) == (303, "/admin/customers")
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith("asid="))
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert re.match(r"asid=[0-9a-f]{64};", cookie)
    # The same session works on the EverShop admin API.
    assert (await client.get("/api/customers")).status_code == 200


async def test_a_form_without_its_csrf_token_gets_a_403_page(
    client: httpx.AsyncClient, services: Services
) -> None:
    await factories.create_admin(services)
    await client.get("/admin/login")
    response = await client.post(
        "/admin/login",
        data={
            "csrf": "0" * 64,
            "email": factories.ADMIN_EMAIL,
            "password": factories.ADMIN_PASSWORD,
        },
    )
    assert response.status_code == 403
    assert "<h1>Forbidden</h1>" in response.text
    assert "asid" not in client.cookies


async def test_wrong_credentials_show_the_form_again(
    client: httpx.AsyncClient, services: Services
) -> None:
    await factories.create_admin(services)
    form = await client.get("/admin/login")
    token = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
    response = await client.post(
        "/admin/login", data={"csrf": token, "email": factories.ADMIN_EMAIL, "password": "nope"}
    )
    assert response.status_code == 400
    assert "Invalid email or password" in response.text


async def test_pages_need_an_admin_session(client: httpx.AsyncClient) -> None:
    response = await client.get("/admin/customers")
    assert (response.status_code, response.headers["location"]) == (303, "/admin/login")


async def test_the_grid_searches_sorts_and_pages(
    client: httpx.AsyncClient, services: Services
) -> None:
    for n in range(23):
        await factories.register(
            client, email=f"shopper{n:02d}@example.com", full_name=f"Shopper {n:02d}"
        )
    await factories.register(client, email="ada@example.com", full_name="Ada Lovelace")
    await _sign_in(client, services)
    first = await client.get("/admin/customers?sort=email")
    assert "24 customers" in first.text
    emails = re.findall(r"<td>([^<]+@example\.com)</td>", first.text)
    assert len(emails) == 20
    assert 'rel="prev"' not in first.text
    following = re.search(r'href="([^"]+)" rel="next"', first.text).group(1)  # type: ignore[union-attr]
    second = await client.get(following.replace("&amp;", "&"))
    rest = re.findall(r"<td>([^<]+@example\.com)</td>", second.text)
    assert emails + rest == sorted(emails + rest)
    assert len(rest) == 4
    assert 'rel="next"' not in second.text
    back = re.search(r'href="([^"]+)" rel="prev"', second.text).group(1)  # type: ignore[union-attr]
    again = await client.get(back.replace("&amp;", "&"))
    assert re.findall(r"<td>([^<]+@example\.com)</td>", again.text) == emails
    found = await client.get("/admin/customers?keyword=LOVELACE")
    assert "1 customer<" in found.text
    assert "ada@example.com" in found.text
    by_email = await client.get("/admin/customers?sort=-email")
    descending = re.findall(r"<td>([^<]+@example\.com)</td>", by_email.text)
    assert descending == sorted(descending, reverse=True)
    damaged = await client.get("/admin/customers?after=%%%")
    assert damaged.status_code == 200
    # A NUL in the search box is not part of any stored text: the search runs without it.
    nul = await client.get("/admin/customers?keyword=Love%00lace")
    assert nul.status_code == 200
    assert "ada@example.com" in nul.text


@pytest.mark.parametrize(
    ("sort", "value", "row_id"),
    [
        ("customer_id", 2**70, 1),
        ("customer_id", 1, -(2**70)),
        ("status", 40_000, 1),
        ("created_at", "2026-01-01T00:00:00", 1),
        ("created_at", "9999-12-31T23:59:59+00:00", 2**63),
    ],
)
async def test_a_cursor_beyond_the_columns_range_is_not_an_error(
    client: httpx.AsyncClient, services: Services, sort: str, value: object, row_id: int
) -> None:
    """A hand-made cursor whose values the database columns cannot hold (or a time without a
    zone) pages like any other cursor: no 500."""
    await factories.register(client, email="ada@example.com", full_name="Ada Lovelace")
    await _sign_in(client, services)
    for direction in ("after", "before"):
        cursor = cursors.encode((value, row_id))
        page = await client.get(f"/admin/customers?sort={sort}&{direction}={cursor}")
        assert page.status_code == 200, (direction, page.text[-300:])


async def test_the_customer_page_shows_profile_addresses_and_sessions(
    client: httpx.AsyncClient, services: Services
) -> None:
    created = await factories.register(client)
    await factories.customer_login(client)
    client.cookies.clear()
    await _sign_in(client, services)
    page = await client.get(f"/admin/customers/edit/{created['uuid']}")
    assert page.status_code == 200
    assert "john.smith@example.com" in page.text
    assert "203.0.113.7" in page.text  # the session's address
    missing = await client.get("/admin/customers/edit/not-a-uuid")
    assert missing.status_code == 404


async def test_sign_out_needs_the_csrf_token_and_ends_the_session(
    client: httpx.AsyncClient, services: Services
) -> None:
    await _sign_in(client, services)
    grid = await client.get("/admin/customers")
    token = CSRF.search(grid.text).group(1)  # type: ignore[union-attr]
    refused = await client.post("/admin/logout", data={"csrf": "f" * 64})
    assert refused.status_code == 403
    done = await client.post("/admin/logout", data={"csrf": token})
    assert (done.status_code, done.headers["location"]) == (303, "/admin/login")
    assert (await client.get("/api/customers")).status_code == 401


async def test_the_stylesheet_is_served(client: httpx.AsyncClient) -> None:
    response = await client.get("/admin/static/admin.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")


async def _customer_page(
    client: httpx.AsyncClient, services: Services
) -> tuple[dict[str, object], str]:
    created = await factories.register(client)
    await factories.customer_login(client)
    client.cookies.clear()
    await _sign_in(client, services)
    page = await client.get(f"/admin/customers/edit/{created['uuid']}")
    return created, CSRF.search(page.text).group(1)  # type: ignore[union-attr]


async def test_editing_the_profile_saves_it_and_audits_it(
    client: httpx.AsyncClient, services: Services
) -> None:
    created, token = await _customer_page(client, services)
    url = f"/admin/customers/edit/{created['uuid']}"
    saved = await client.post(
        f"{url}/profile",
        data={
            "csrf": token,
            "full_name": "John A. Smith",
            "email": "john.smith@example.com",
            "status": "1",
            "group_id": "1",
        },
    )
    assert (saved.status_code, saved.headers["location"]) == (303, f"{url}?done=profile")
    page = await client.get(f"{url}?done=profile")
    assert "Saved." in page.text
    assert "customer_updated" in page.text
    assert "full_name: John Smith → John A. Smith" in page.text


async def test_field_errors_show_next_to_the_inputs_in_the_cores_words(
    client: httpx.AsyncClient, services: Services
) -> None:
    created, token = await _customer_page(client, services)
    url = f"/admin/customers/edit/{created['uuid']}"
    bad = await client.post(
        f"{url}/profile",
        data={
            "csrf": token,
            "full_name": "X",
            "email": "not-an-email",
            "status": "1",
            "group_id": "1",
        },
    )
    assert bad.status_code == 400
    assert "Email must be a valid email address (e.g., user@example.com)" in bad.text
    assert 'value="not-an-email"' in bad.text
    weak = await client.post(f"{url}/password", data={"csrf": token, "password": "short"})
    assert weak.status_code == 400
    assert "Password must be at least 8 characters" in weak.text


async def test_setting_a_password_and_revoking_sessions(
    client: httpx.AsyncClient, services: Services
) -> None:
    created, token = await _customer_page(client, services)
    url = f"/admin/customers/edit/{created['uuid']}"
    revoked = await client.post(f"{url}/sessions", data={"csrf": token})
    assert revoked.status_code == 303
    page = await client.get(url)
    assert "No active sessions." in page.text
    assert "sessions_revoked" in page.text
    done = await client.post(
        f"{url}/password", data={"csrf": token, "password": "Brand-New-Pass-7"}
    )
    assert done.status_code == 303
    client.cookies.clear()
    await factories.customer_login(client, password="Brand-New-Pass-7")


async def test_customer_forms_need_the_csrf_token(
    client: httpx.AsyncClient, services: Services
) -> None:
    created, _ = await _customer_page(client, services)
    refused = await client.post(
        f"/admin/customers/edit/{created['uuid']}/sessions", data={"csrf": "a" * 64}
    )
    assert refused.status_code == 403


async def test_the_audit_page_lists_and_filters_entries(
    client: httpx.AsyncClient, services: Services
) -> None:
    created, token = await _customer_page(client, services)
    url = f"/admin/customers/edit/{created['uuid']}"
    await client.post(f"{url}/sessions", data={"csrf": token})
    await client.post(
        f"{url}/profile",
        data={
            "csrf": token,
            "full_name": "J S",
            "email": "john.smith@example.com",
            "status": "1",
            "group_id": "1",
        },
    )
    page = await client.get("/admin/audit")
    assert page.status_code == 200
    actions = re.findall(r"<td>(\w+_\w+)</td>", page.text)
    assert actions == ["customer_updated", "sessions_revoked"]
    filtered = await client.get("/admin/audit?action=sessions_revoked")
    assert re.findall(r"<td>(\w+_\w+)</td>", filtered.text) == ["sessions_revoked"]
    for query in ("action=sessions%00_revoked", "actor=admin%00"):  # NUL: dropped, no 500
        nul = await client.get(f"/admin/audit?{query}")
        assert nul.status_code == 200, query


async def test_bulk_disable_asks_for_confirmation_then_applies_and_audits(
    client: httpx.AsyncClient, services: Services
) -> None:
    first = await factories.register(client, email="a@example.com", full_name="A A")
    second = await factories.register(client, email="b@example.com", full_name="B B")
    await _sign_in(client, services)
    grid = await client.get("/admin/customers")
    token = CSRF.search(grid.text).group(1)  # type: ignore[union-attr]
    ids = [first["uuid"], second["uuid"]]
    ask = await client.post(
        "/admin/customers/bulk", data={"csrf": token, "action": "disable", "ids": ids}
    )
    assert ask.status_code == 200
    assert "Disable 2 customers?" in ask.text
    assert (await client.get("/admin/customers?status=0")).text.count("/admin/customers/edit/") == 0
    done = await client.post(
        "/admin/customers/bulk",
        data={"csrf": token, "action": "disable", "ids": ids, "confirm": "yes"},
    )
    assert (done.status_code, done.headers["location"]) == (303, "/admin/customers?done=disable")
    disabled = await client.get("/admin/customers?status=0")
    assert disabled.text.count("/admin/customers/edit/") == 2
    actions = re.findall(r"<td>(customer_\w+)</td>", (await client.get("/admin/audit")).text)
    assert actions[:2] == ["customer_updated", "customer_updated"]


async def test_support_cannot_bulk_delete(client: httpx.AsyncClient, services: Services) -> None:
    created = await factories.register(client)
    await factories.create_admin(services, email="support@example.com", role="support")
    form = await client.get("/admin/login")
    token = CSRF.search(form.text).group(1)  # type: ignore[union-attr]
    await client.post(
        "/admin/login",
        data={"csrf": token, "email": "support@example.com", "password": factories.ADMIN_PASSWORD},
    )
    grid = await client.get("/admin/customers")
    assert '<option value="delete">' not in grid.text
    csrf = CSRF.search(grid.text).group(1)  # type: ignore[union-attr]
    refused = await client.post(
        "/admin/customers/bulk",
        data={"csrf": csrf, "action": "delete", "ids": [created["uuid"]], "confirm": "yes"},
    )
    assert refused.status_code == 403


async def test_the_grid_finds_login_names_and_filters_by_creation_date(
    client: httpx.AsyncClient, services: Services
) -> None:
    await factories.register(client)
    await wire.register(client, loginname="zebra_rider", email="zed@example.com")
    await _sign_in(client, services)
    found = await client.get("/admin/customers?keyword=zebra")
    assert "zed@example.com" in found.text
    assert "john.smith@example.com" not in found.text
    none = await client.get("/admin/customers?created_to=2001-01-01")
    assert "0 customers" in none.text
    today = await client.get("/admin/customers?created_from=2001-01-01")
    assert "2 customers" in today.text
    # The last day a date can name: "created up to the end of it" is every customer.
    last = await client.get("/admin/customers?created_from=0001-01-01&created_to=9999-12-31")
    assert last.status_code == 200
    assert "2 customers" in last.text


async def test_addresses_are_added_changed_made_default_and_deleted(
    client: httpx.AsyncClient, services: Services
) -> None:
    created, token = await _customer_page(client, services)
    url = f"/admin/customers/edit/{created['uuid']}"
    missing = await client.post(f"{url}/addresses", data={"csrf": token, "city": "X"})
    assert missing.status_code == 400
    assert "Full name is required, Address is required" in missing.text
    for street in ("1 First Street", "2 Second Street"):
        added = await client.post(
            f"{url}/addresses",
            data={
                "csrf": token,
                "full_name": "John Smith",
                "address_1": street,
                "province": "IL",
                "postcode": "62701",
                "country": "us",
                "city": "Springfield",
            },
        )
        assert added.status_code == 303
    shown = (await client.get(f"/api/customers/{created['uuid']}")).json()["data"]["addresses"]
    assert [a["address_1"] for a in shown] == ["1 First Street", "2 Second Street"]
    second = shown[1]["uuid"]
    await client.post(f"{url}/addresses/{second}", data={"csrf": token, "is_default": "1"})
    await client.post(
        f"{url}/addresses/{shown[0]['uuid']}", data={"csrf": token, "city": "Shelbyville"}
    )
    shown = (await client.get(f"/api/customers/{created['uuid']}")).json()["data"]["addresses"]
    assert [(a["city"], a["is_default"]) for a in shown] == [
        ("Shelbyville", False),
        ("Springfield", True),
    ]
    await client.post(f"{url}/addresses/{second}/delete", data={"csrf": token})
    shown = (await client.get(f"/api/customers/{created['uuid']}")).json()["data"]["addresses"]
    assert [a["address_1"] for a in shown] == ["1 First Street"]


async def test_the_customer_page_lists_order_summaries(
    client: httpx.AsyncClient, services: Services
) -> None:
    created, _ = await _customer_page(client, services)
    await client.put(
        f"/api/customers/{created['uuid']}/orders/7001",
        json={
            "status_id": 1,
            "status_name": "Pending",
            "total": "12.50",
            "currency_code": "EUR",
            "line_count": 3,
        },
    )
    page = await client.get(f"/admin/customers/edit/{created['uuid']}")
    assert "Orders (1)" in page.text
    assert "<td>7001</td>" in page.text
    assert "12.5000 EUR" in page.text or "12.50 EUR" in page.text


async def test_every_profile_field_is_editable_and_shown_on_other_faces(
    client: httpx.AsyncClient, services: Services
) -> None:
    created, token = await _customer_page(client, services)
    url = f"/admin/customers/edit/{created['uuid']}"
    saved = await client.post(
        f"{url}/details",
        data={
            "csrf": token,
            "first_name": "Johnny",
            "last_name": "Smith",
            "telephone": "555-0101",
            "company": "Acme",
            "country": "gb",
            "birthday": "1990-02-03",
            "newsletter": "1",
            "login_name": "johnny_s",
        },
    )
    assert saved.status_code == 303, saved.text[:300]
    page = (await client.get(url)).text
    assert 'value="Acme"' in page
    assert 'value="GB"' in page
    assert 'value="1990-02-03"' in page
    login = await client.post(
        "/index.php?rt=a/account/login",
        data={"loginname": "johnny_s", "password": factories.CUSTOMER_PASSWORD},
    )
    assert login.json()["status"] == 1
    bad = await client.post(f"{url}/details", data={"csrf": token, "birthday": "03/02/1990"})
    assert bad.status_code == 400
    assert "Birthday must be a date (YYYY-MM-DD)" in bad.text
