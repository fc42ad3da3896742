"""``GET /api/customers``: order, filters, sorting, paging and the links/meta envelope."""

from __future__ import annotations

from itertools import pairwise
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from patron.faces._shared.services import Services
from tests.faces.evershop import wire
from tests.faces.evershop.test_customers import add_group
from tests.faces.evershop.wire import assert_error, assert_json

pytestmark = pytest.mark.anyio

# Created in this order, so customer_id is the position + 1.
PEOPLE = [
    ("zed.young@example.com", "Zed Young"),
    ("John.Smith@Example.com", "John Smith"),
    ("anna@smith.io", "Anna Bell"),
    ("bob@builder.org", "Bob SMITHERS"),
    ("alice_x@example.com", "Alice 100% Real"),
    ("p100x@example.com", "Percent Free"),
]


@pytest.fixture
async def people(admin: httpx.AsyncClient) -> list[dict[str, Any]]:
    created = [await wire.create(admin, email, name) for email, name in PEOPLE]
    return [{k: v for k, v in row.items() if k != "links"} for row in created]


def page(
    rows: list[dict[str, Any]],
    *,
    query: str = "",
    current: int = 1,
    per_page: int = 20,
    total: int | None = None,
) -> dict[str, Any]:
    """The whole expected list body for ``rows`` shown on page ``current``."""
    total = len(rows) if total is None else total
    last = max(1, -(-total // per_page))
    prefix = f"/api/customers?{query}&" if query else "/api/customers?"

    def link(number: int) -> str:
        return f"{prefix}page={number}"

    first_index = (current - 1) * per_page + 1
    return {
        "data": rows,
        "links": {
            "first": link(1),
            "last": link(last),
            "prev": link(current - 1) if current > 1 else None,
            "next": link(current + 1) if current < last else None,
        },
        "meta": {
            "current_page": current,
            "from": first_index if rows else None,
            "last_page": last,
            "path": "/api/customers",
            "per_page": per_page,
            "to": first_index + len(rows) - 1 if rows else None,
            "total": total,
        },
    }


def pick(people: list[dict[str, Any]], *ids: int) -> list[dict[str, Any]]:
    return [people[i - 1] for i in ids]


async def test_default_order_is_customer_id_ascending(
    admin: httpx.AsyncClient, people: list[dict[str, Any]]
) -> None:
    response = await admin.get("/api/customers")
    assert_json(response, 200, page(people))
    assert [row["customer_id"] for row in response.json()["data"]] == [1, 2, 3, 4, 5, 6]
    wire.assert_no_secrets(response)


async def test_empty_list(admin: httpx.AsyncClient) -> None:
    assert_json(await admin.get("/api/customers"), 200, page([]))


_KEYWORD_CASES = [
    ("smith", (2, 3, 4)),  # name or email, any case
    ("SMITH", (2, 3, 4)),
    ("Smithers", (4,)),
    ("EXAMPLE.COM", (1, 2, 5, 6)),
    ("hn.sm", (2,)),
    ("%", (5,)),  # literal, not a wildcard
    ("100%", (5,)),
    ("_", (5,)),
    ("e_x", (5,)),
    ("e_ample", ()),  # "_" would match the "x" of every example.com
    ("a%l", ()),
    ("nobody", ()),
]


async def test_keyword(
    admin: httpx.AsyncClient, people: list[dict[str, Any]], subtests: pytest.Subtests
) -> None:
    for keyword, ids in _KEYWORD_CASES:
        with subtests.test(keyword=keyword, ids=ids):
            response = await admin.get("/api/customers", params={"keyword": keyword})
            assert_json(
                response, 200, page(pick(people, *ids), query=urlencode({"keyword": keyword}))
            )


async def test_keyword_links_carry_the_filter(
    admin: httpx.AsyncClient, people: list[dict[str, Any]]
) -> None:
    response = await admin.get("/api/customers?keyword=smith")
    body = assert_json(response, 200, page(pick(people, 2, 3, 4), query="keyword=smith"))
    assert body["links"]["first"] == "/api/customers?keyword=smith&page=1"


_EMAIL_IS_EXACT_AND_CASE_INSENSITIVE_CASES = [
    ("john.smith@example.com", (2,)),
    ("JOHN.SMITH@EXAMPLE.COM", (2,)),
    ("john.smith", ()),  # exact, not a substring
    ("%@example.com", ()),
    ("alice_x@example.com", (5,)),
    ("alicex@example.com", ()),
]


async def test_email_is_exact_and_case_insensitive(
    admin: httpx.AsyncClient, people: list[dict[str, Any]], subtests: pytest.Subtests
) -> None:
    for email, ids in _EMAIL_IS_EXACT_AND_CASE_INSENSITIVE_CASES:
        with subtests.test(email=email, ids=ids):
            response = await admin.get("/api/customers", params={"email": email})
            query = urlencode({"email": email})
            assert_json(response, 200, page(pick(people, *ids), query=query))


async def test_full_name_is_a_substring_of_the_name_only(
    admin: httpx.AsyncClient, people: list[dict[str, Any]]
) -> None:
    response = await admin.get("/api/customers?full_name=smith")
    assert_json(response, 200, page(pick(people, 2, 4), query="full_name=smith"))


async def test_status_and_group_filters(
    admin: httpx.AsyncClient, people: list[dict[str, Any]], services: Services
) -> None:
    group = await add_group(services)
    for customer_id in (2, 5):
        person = people[customer_id - 1]
        response = await admin.patch(f"/api/customers/{person['uuid']}", json={"status": 0})
        people[customer_id - 1] = {k: v for k, v in response.json()["data"].items() if k != "links"}
    for customer_id in (3, 5):
        person = people[customer_id - 1]
        response = await admin.patch(f"/api/customers/{person['uuid']}", json={"group_id": group})
        people[customer_id - 1] = {k: v for k, v in response.json()["data"].items() if k != "links"}
    response = await admin.get("/api/customers?status=0")
    assert_json(response, 200, page(pick(people, 2, 5), query="status=0"))
    response = await admin.get("/api/customers?status=1")
    assert_json(response, 200, page(pick(people, 1, 3, 4, 6), query="status=1"))
    response = await admin.get(f"/api/customers?group_id={group}")
    assert_json(response, 200, page(pick(people, 3, 5), query=f"group_id={group}"))
    response = await admin.get("/api/customers?group_id=1")
    assert_json(response, 200, page(pick(people, 1, 2, 4, 6), query="group_id=1"))
    # Filters combine with AND (keyword included).
    response = await admin.get(f"/api/customers?keyword=a&status=0&group_id={group}")
    assert_json(response, 200, page(pick(people, 5), query=f"keyword=a&status=0&group_id={group}"))


_SORTING_CASES = [
    ("ob=customer_id&od=desc", (6, 5, 4, 3, 2, 1)),
    ("ob=email", (5, 3, 4, 2, 6, 1)),
    ("ob=email&od=desc", (1, 6, 2, 4, 3, 5)),
    ("ob=full_name", (5, 3, 4, 2, 6, 1)),
    ("ob=full_name&od=DESC", (1, 6, 2, 4, 3, 5)),
    ("od=desc", (6, 5, 4, 3, 2, 1)),
]


async def test_sorting(
    admin: httpx.AsyncClient, people: list[dict[str, Any]], subtests: pytest.Subtests
) -> None:
    for query, ids in _SORTING_CASES:
        with subtests.test(query=query, ids=ids):
            response = await admin.get(f"/api/customers?{query}")
            assert_json(response, 200, page(pick(people, *ids), query=query))


async def test_sort_by_status_and_created_at_break_ties_by_id(
    admin: httpx.AsyncClient, people: list[dict[str, Any]]
) -> None:
    response = await admin.patch(f"/api/customers/{people[3]['uuid']}", json={"status": 0})
    people[3] = {k: v for k, v in response.json()["data"].items() if k != "links"}
    response = await admin.get("/api/customers?ob=status")
    assert_json(response, 200, page(pick(people, 4, 1, 2, 3, 5, 6), query="ob=status"))
    response = await admin.get("/api/customers?ob=status&od=desc")
    assert_json(response, 200, page(pick(people, 6, 5, 3, 2, 1, 4), query="ob=status&od=desc"))
    response = await admin.get("/api/customers?ob=created_at&od=desc")
    ids = [row["customer_id"] for row in response.json()["data"]]
    stamps = [row["created_at"] for row in response.json()["data"]]
    assert stamps == sorted(stamps, reverse=True)
    # Within one second, the tie-break follows the direction.
    rows = list(zip(ids, stamps, strict=True))
    for (a, sa), (b, sb) in pairwise(rows):
        if sa == sb:
            assert a > b


async def test_paging(admin: httpx.AsyncClient, people: list[dict[str, Any]]) -> None:
    response = await admin.get("/api/customers?limit=4")
    assert_json(response, 200, page(pick(people, 1, 2, 3, 4), query="limit=4", per_page=4, total=6))
    response = await admin.get("/api/customers?limit=4&page=2")
    body = assert_json(
        response,
        200,
        page(pick(people, 5, 6), query="limit=4", per_page=4, current=2, total=6),
    )
    assert body["links"] == {
        "first": "/api/customers?limit=4&page=1",
        "last": "/api/customers?limit=4&page=2",
        "prev": "/api/customers?limit=4&page=1",
        "next": None,
    }
    assert body["meta"]["from"] == 5
    assert body["meta"]["to"] == 6
    response = await admin.get("/api/customers?limit=2&page=2")
    body = assert_json(
        response, 200, page(pick(people, 3, 4), query="limit=2", per_page=2, current=2, total=6)
    )
    assert body["links"]["next"] == "/api/customers?limit=2&page=3"
    # A page past the end is empty but keeps the totals.
    response = await admin.get("/api/customers?limit=4&page=9")
    assert_json(response, 200, page([], query="limit=4", per_page=4, current=9, total=6))


async def test_limit_is_clamped_to_100(
    admin: httpx.AsyncClient, people: list[dict[str, Any]]
) -> None:
    response = await admin.get("/api/customers?limit=1000")
    body = assert_json(response, 200, page(people, query="limit=100", per_page=100))
    assert body["meta"]["per_page"] == 100
    response = await admin.get("/api/customers?limit=100")
    assert response.json()["meta"]["per_page"] == 100
    response = await admin.get(f"/api/customers?limit={10**30}")
    assert response.json()["meta"]["per_page"] == 100


async def test_links_carry_every_active_filter(
    admin: httpx.AsyncClient, people: list[dict[str, Any]]
) -> None:
    response = await admin.get(
        "/api/customers?od=desc&ob=email&limit=1&status=1&keyword=smith&page=2&unknown=x&full_name="
    )
    query = "keyword=smith&status=1&ob=email&od=desc&limit=1"
    assert_json(
        response,
        200,
        page(pick(people, 4), query=query, per_page=1, current=2, total=3),
    )
    # Empty parameters are no filters, and a keyword with spaces is encoded.
    response = await admin.get("/api/customers", params={"keyword": "", "page": "", "limit": ""})
    assert_json(response, 200, page(people))
    response = await admin.get("/api/customers", params={"keyword": "bob smi"})
    assert_json(response, 200, page(pick(people, 4), query="keyword=bob+smi"))


_INVALID_PARAMETERS_CASES = [
    ("page=0", "page must be an integer of at least 1"),
    ("page=-1", "page must be an integer of at least 1"),
    ("page=abc", "page must be an integer"),
    ("page=1.5", "page must be an integer"),
    ("page=%C2%B2", "page must be an integer"),  # superscript two
    ("page=--1", "page must be an integer"),
    ("page=99999999999999999999", "page must be at most 2147483647"),
    ("limit=0", "limit must be an integer of at least 1"),
    ("limit=-5", "limit must be an integer of at least 1"),
    ("limit=ten", "limit must be an integer"),
    ("ob=name", "ob must be one of: customer_id, email, full_name, status, created_at"),
    (
        "ob=password_hash",
        "ob must be one of: customer_id, email, full_name, status, created_at",
    ),
    ("od=up", "od must be asc or desc"),
    ("status=2", "status must be 0 or 1"),
    ("status=x", "status must be an integer"),
    ("group_id=x", "group_id must be an integer"),
    ("group_id=0", "group_id must be a positive integer"),
    ("group_id=-99999999999999999999", "group_id must be a positive integer"),
    ("group_id=99999999999999999999", "group_id must be at most 9223372036854775807"),
    ("keyword=a%00b", "keyword must not contain NUL characters"),
    ("email=%00", "email must not contain NUL characters"),
    ("full_name=%00", "full_name must not contain NUL characters"),
]


async def test_invalid_parameters(admin: httpx.AsyncClient, subtests: pytest.Subtests) -> None:
    await wire.create(admin)
    for query, message in _INVALID_PARAMETERS_CASES:
        with subtests.test(query=query, message=message):
            assert_error(await admin.get(f"/api/customers?{query}"), 400, message)


async def test_list_needs_an_admin(anon: httpx.AsyncClient) -> None:
    assert_error(await anon.get("/api/customers"), 401, "Unauthorized")
