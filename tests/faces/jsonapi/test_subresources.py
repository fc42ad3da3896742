"""The sub-resources: addresses, properties and list relationships, owner-only."""

from __future__ import annotations

from typing import Any

import pytest

from tests.faces.jsonapi.wire import (
    Shopper,
    address_entry,
    assert_doc,
    error_doc,
    invalid,
    list_entry,
    property_entry,
    sub_doc,
    url,
)

pytestmark = pytest.mark.anyio

ADDRESSES = "/jsonapi/customer?related=address"
PROPERTIES = "/jsonapi/customer?related=property"
RELATIONS = "/jsonapi/customer?related=relationships&include=product"


def _data(*entries: dict[str, Any], prefix: str) -> dict[str, Any]:
    items = [{"attributes": {f"{prefix}.{k}": v for k, v in e.items()}} for e in entries]
    return {"data": items if len(items) != 1 else items[0]}


def addresses(*entries: dict[str, Any]) -> dict[str, Any]:
    return _data(*entries, prefix="customer.address")


def props(*entries: dict[str, Any]) -> dict[str, Any]:
    return _data(*entries, prefix="customer.property")


def lists(*entries: dict[str, Any]) -> dict[str, Any]:
    return _data(*entries, prefix="customer.lists")


HOME = {"countryid": "de", "firstname": "Ada", "lastname": "Lovelace", "city": "Berlin"}
HOME_SHOWN = {"countryid": "DE", "firstname": "Ada", "lastname": "Lovelace", "city": "Berlin"}
WORK = {"countryid": "GB", "company": "Engines", "position": 3, "type": "work"}


# ---- addresses -----------------------------------------------------------------------------


async def test_anonymous_callers_have_no_addresses(anon: Shopper) -> None:
    assert_doc(await anon.get(ADDRESSES), 200, sub_doc(url(query="related=address"), 0, []))
    response = await anon.get(f"{ADDRESSES}&relatedid=1")
    assert_doc(response, 200, sub_doc(url(query="related=address&relatedid=1"), 0))


async def test_anonymous_writes_need_a_session(anon: Shopper) -> None:
    for method in ("POST", "PATCH"):
        response = await anon.request(method, f"{ADDRESSES}&relatedid=1", json=addresses(HOME))
        body = error_doc(
            url(query="related=address&relatedid=1"), {"title": "Authentication required"}
        )
        assert_doc(response, 401, body)
    response = await anon.delete(f"{ADDRESSES}&relatedid=1")
    assert_doc(response, 200, sub_doc(url(query="related=address&relatedid=1"), 0))


async def test_post_adds_and_answers_with_every_address(ada: Shopper) -> None:
    response = await ada.post(ADDRESSES, json=addresses(HOME))
    first = address_entry("1", "1", **HOME_SHOWN)
    assert_doc(response, 201, sub_doc(url(query="related=address"), 1, [first]))
    response = await ada.post(ADDRESSES, json=addresses(WORK, {"countryid": "fr", "email": ""}))
    work = address_entry("1", "2", countryid="GB", company="Engines", position=3, type="work")
    third = address_entry("1", "3", countryid="FR")
    assert_doc(response, 201, sub_doc(url(query="related=address"), 3, [first, work, third]))
    # GET lists them, and GET by relatedid shows one.
    assert_doc(
        await ada.get(ADDRESSES),
        200,
        sub_doc(url(query="related=address"), 3, [first, work, third]),
    )
    response = await ada.get(f"{ADDRESSES}&relatedid=2")
    assert_doc(response, 200, sub_doc(url(query="related=address&relatedid=2"), 1, work))
    response = await ada.get(f"{ADDRESSES}&relatedid=9")
    assert_doc(response, 200, sub_doc(url(query="related=address&relatedid=9"), 0))


async def test_every_address_attribute_round_trips(ada: Shopper) -> None:
    values = {
        "type": "payment",
        "salutation": "ms",
        "company": "Engines",
        "vatid": "DE 123",
        "title": "Dr.",
        "firstname": "Ada",
        "lastname": "Lovelace",
        "address1": "Main street",
        "address2": "1",
        "address3": "left",
        "postal": "10115",
        "city": "Berlin",
        "state": "BE",
        "countryid": "de",
        "languageid": "de_de",
        "telephone": "+4930",
        "telefax": "+4931",
        "mobile": "+4917",
        "email": "ada@example.org",
        "website": "example.org",
        "longitude": "13.4",
        "latitude": 52.5,
        "birthday": "1815-12-10",
        "position": "2",
    }
    response = await ada.post(ADDRESSES, json=addresses(values))
    shown = {
        **values,
        "vatid": "DE123",
        "countryid": "DE",
        "languageid": "de_DE",
        "longitude": 13.4,
        "position": 2,
    }
    body = sub_doc(url(query="related=address"), 1, [address_entry("1", "1", **shown)])
    assert_doc(response, 201, body)


@pytest.mark.parametrize(
    ("body", "title", "pointer"),
    [
        ({}, "Invalid JSON in body", "/data"),
        ({"data": None}, "Invalid JSON in body", "/data"),
        ({"data": {}}, "Attributes are missing", "/data/attributes"),
        ({"data": {"attributes": "x"}}, "Attributes are missing", "/data/attributes"),
        (
            {"data": [{"attributes": {}}, {"id": "1"}]},
            "Attributes are missing",
            "/data/1/attributes",
        ),
        ({"data": ["x"]}, "Attributes are missing", "/data/0/attributes"),
    ],
)
async def test_post_needs_attributes(
    ada: Shopper, body: dict[str, Any], title: str, pointer: str
) -> None:
    response = await ada.post(ADDRESSES, json=body)
    assert_doc(response, 400, error_doc(url(query="related=address"), invalid(title, pointer)))


@pytest.mark.parametrize(
    ("entries", "title", "pointer"),
    [
        (
            ({"city": "Berlin"},),
            "Country is required",
            "/data/attributes/customer.address.countryid",
        ),
        (
            ({"countryid": "de"}, {"countryid": "de", "email": "nope"}),
            'Invalid characters in email address: "nope"',
            "/data/1/attributes/customer.address.email",
        ),
        (
            ({"countryid": "de"}, {"countryid": "deu"}),
            'Invalid country code "deu"',
            "/data/1/attributes/customer.address.countryid",
        ),
        (
            ({"countryid": "de", "position": "first"},),
            "Position must be a whole number",
            "/data/attributes/customer.address.position",
        ),
        (
            ({"countryid": "de", "position": -1},),
            "Position must be a whole number",
            "/data/attributes/customer.address.position",
        ),
        (
            ({"countryid": "de", "city": "x" * 256},),
            "City must be at most 255 characters",
            "/data/attributes/customer.address.city",
        ),
    ],
)
async def test_bad_addresses_answer_400_and_add_nothing(
    ada: Shopper, entries: tuple[dict[str, Any], ...], title: str, pointer: str
) -> None:
    response = await ada.post(ADDRESSES, json=addresses(*entries))
    assert_doc(response, 400, error_doc(url(query="related=address"), invalid(title, pointer)))
    assert (await ada.get(ADDRESSES)).json()["meta"]["total"] == 0


async def test_at_most_a_hundred_entries_per_request(ada: Shopper) -> None:
    response = await ada.post(ADDRESSES, json=addresses(*[{"countryid": "de"}] * 101))
    body = error_doc(
        url(query="related=address"), invalid("At most 100 entries per request", "/data")
    )
    assert_doc(response, 400, body)


async def test_patch_changes_one_address(ada: Shopper) -> None:
    await ada.post(ADDRESSES, json=addresses(HOME, WORK))
    response = await ada.patch(
        f"{ADDRESSES}&relatedid=1",
        json={
            "data": {"attributes": {"customer.address.city": "Bonn", "customer.address.id": "9"}}
        },
    )
    changed = address_entry("1", "1", **{**HOME_SHOWN, "city": "Bonn"})
    assert_doc(response, 200, sub_doc(url(query="related=address&relatedid=1"), 1, changed))
    response = await ada.patch(
        f"{ADDRESSES}&relatedid=1",
        json={"data": {"attributes": {"customer.address.countryid": ""}}},
    )
    body = error_doc(
        url(query="related=address&relatedid=1"),
        invalid("Country is required", "/data/attributes/customer.address.countryid"),
    )
    assert_doc(response, 400, body)


@pytest.mark.parametrize("relatedid", ["3", "abc", "", "-1", "99999999999999999999", "1 "])
async def test_patch_of_an_address_the_caller_lacks_is_404_without_errors(
    ada: Shopper, relatedid: str
) -> None:
    await ada.post(ADDRESSES, json=addresses(HOME))
    response = await ada.patch(
        f"{ADDRESSES}&relatedid={relatedid}", json={"data": {"attributes": {}}}
    )
    query = f"related=address&relatedid={relatedid}".replace(" ", "%20")
    assert_doc(response, 404, sub_doc(url(query=query), 0))


async def test_patch_needs_attributes(ada: Shopper) -> None:
    response = await ada.patch(f"{ADDRESSES}&relatedid=1", json={"data": {}})
    body = error_doc(
        url(query="related=address&relatedid=1"),
        invalid("Invalid JSON in body", "/data/attributes"),
    )
    assert_doc(response, 400, body)


async def test_delete_by_relatedid_or_by_body(ada: Shopper) -> None:
    await ada.post(ADDRESSES, json=addresses(HOME, WORK, {"countryid": "fr"}, {"countryid": "it"}))
    response = await ada.delete(f"{ADDRESSES}&relatedid=1")
    assert_doc(response, 200, sub_doc(url(query="related=address&relatedid=1"), 0))
    response = await ada.delete(ADDRESSES, json={"data": {"id": "2"}})
    assert_doc(response, 200, sub_doc(url(query="related=address"), 0))
    response = await ada.delete(
        ADDRESSES, json={"data": [{"id": 3, "type": "customer.address"}, {"id": "x"}, {"id": "99"}]}
    )
    assert_doc(response, 200, sub_doc(url(query="related=address"), 0))
    remaining = (await ada.get(ADDRESSES)).json()["data"]
    assert [a["id"] for a in remaining] == ["4"]


@pytest.mark.parametrize(
    ("body", "title", "pointer"),
    [
        (None, "Invalid JSON in body", "/data"),
        ({"data": {"type": "customer.address"}}, "ID is missing", "/data/id"),
        ({"data": [{"id": "4"}, {}]}, "ID is missing", "/data/1/id"),
    ],
)
async def test_delete_without_relatedid_needs_ids(
    ada: Shopper, body: Any, title: str, pointer: str
) -> None:
    await ada.post(ADDRESSES, json=addresses(HOME))
    response = await ada.delete(ADDRESSES, json=body)
    assert_doc(response, 400, error_doc(url(query="related=address"), invalid(title, pointer)))
    assert (await ada.get(ADDRESSES)).json()["meta"]["total"] == 1


async def test_another_customers_address_is_not_found(ada: Shopper, bob: Shopper) -> None:
    await ada.post(ADDRESSES, json=addresses(HOME))
    response = await bob.get(f"{ADDRESSES}&relatedid=1&id=1")
    assert_doc(response, 200, sub_doc(url(query="related=address&relatedid=1&id=1"), 0))
    assert_doc(
        await bob.get(f"{ADDRESSES}&id=1"), 200, sub_doc(url(query="related=address&id=1"), 0, [])
    )
    response = await bob.patch(
        f"{ADDRESSES}&relatedid=1&id=1",
        json={"data": {"attributes": {"customer.address.city": "Hacked"}}},
    )
    assert_doc(response, 404, sub_doc(url(query="related=address&relatedid=1&id=1"), 0))
    await bob.delete(f"{ADDRESSES}&relatedid=1")
    await bob.delete(ADDRESSES, json={"data": [{"id": "1"}]})
    mine = (await ada.get(ADDRESSES)).json()
    assert mine["data"] == [address_entry("1", "1", **HOME_SHOWN)]


# ---- properties ----------------------------------------------------------------------------


async def test_properties_are_added_listed_changed_and_removed(ada: Shopper) -> None:
    response = await ada.post(
        PROPERTIES,
        json=props(
            {"type": "newsletter", "value": "weekly"},
            {"type": "newsletter", "value": "weekly"},
            {"type": "greeting", "languageid": "de", "value": "Hallo"},
        ),
    )
    news = property_entry("1", "1", "newsletter", "weekly")
    greeting = property_entry("1", "2", "greeting", "Hallo", "de")
    assert_doc(response, 201, sub_doc(url(query="related=property"), 2, [news, greeting]))
    assert_doc(
        await ada.get(PROPERTIES), 200, sub_doc(url(query="related=property"), 2, [news, greeting])
    )
    response = await ada.get(f"{PROPERTIES}&relatedid=2")
    assert_doc(response, 200, sub_doc(url(query="related=property&relatedid=2"), 1, greeting))
    response = await ada.patch(
        f"{PROPERTIES}&relatedid=2",
        json={
            "data": {
                "attributes": {
                    "customer.property.languageid": "DE_at",
                    "customer.property.value": 5,
                }
            }
        },
    )
    changed = property_entry("1", "2", "greeting", "5", "de_AT")
    assert_doc(response, 200, sub_doc(url(query="related=property&relatedid=2"), 1, changed))
    response = await ada.delete(PROPERTIES, json={"data": [{"id": "1"}]})
    assert_doc(response, 200, sub_doc(url(query="related=property"), 0))
    assert_doc(await ada.get(PROPERTIES), 200, sub_doc(url(query="related=property"), 1, [changed]))


async def test_a_missing_property_counts_one_when_there_are_any(ada: Shopper) -> None:
    response = await ada.get(f"{PROPERTIES}&relatedid=1")
    assert_doc(response, 200, sub_doc(url(query="related=property&relatedid=1"), 0))
    await ada.post(PROPERTIES, json=props({"type": "note"}))
    response = await ada.get(f"{PROPERTIES}&relatedid=7")
    assert_doc(response, 200, sub_doc(url(query="related=property&relatedid=7"), 1))


@pytest.mark.parametrize(
    ("entry", "title", "pointer"),
    [
        ({"value": "x"}, "Type is required", "/data/attributes/customer.property.type"),
        (
            {"type": "a b"},
            "Type must not contain spaces",
            "/data/attributes/customer.property.type",
        ),
        (
            {"type": "a", "languageid": "deutsch"},
            'Invalid language code "deutsch"',
            "/data/attributes/customer.property.languageid",
        ),
        (
            {"type": "a", "value": "v" * 256},
            "Value must be at most 255 characters",
            "/data/attributes/customer.property.value",
        ),
        (
            {"type": "a", "value": ["v"]},
            "Value must be a string",
            "/data/attributes/customer.property.value",
        ),
    ],
)
async def test_bad_properties_answer_400(
    ada: Shopper, entry: dict[str, Any], title: str, pointer: str
) -> None:
    response = await ada.post(PROPERTIES, json=props(entry))
    assert_doc(response, 400, error_doc(url(query="related=property"), invalid(title, pointer)))


async def test_a_duplicate_property_answers_400(ada: Shopper) -> None:
    await ada.post(PROPERTIES, json=props({"type": "note", "value": "x"}, {"type": "note"}))
    response = await ada.post(PROPERTIES, json=props({"type": "note", "value": "x"}))
    body = error_doc(
        url(query="related=property"), invalid("The customer already has this property", "/data")
    )
    assert_doc(response, 400, body)
    response = await ada.patch(
        f"{PROPERTIES}&relatedid=2", json={"data": {"attributes": {"customer.property.value": "x"}}}
    )
    body = error_doc(
        url(query="related=property&relatedid=2"),
        invalid("The customer already has this property", "/data"),
    )
    assert_doc(response, 400, body)


async def test_another_customers_property_is_not_found(ada: Shopper, bob: Shopper) -> None:
    await ada.post(PROPERTIES, json=props({"type": "note", "value": "secret"}))
    response = await bob.get(f"{PROPERTIES}&relatedid=1")
    assert_doc(response, 200, sub_doc(url(query="related=property&relatedid=1"), 0))
    response = await bob.patch(
        f"{PROPERTIES}&relatedid=1", json={"data": {"attributes": {"customer.property.value": "x"}}}
    )
    assert_doc(response, 404, sub_doc(url(query="related=property&relatedid=1"), 0))
    await bob.delete(f"{PROPERTIES}&relatedid=1")
    assert (await ada.get(PROPERTIES)).json()["data"] == [
        property_entry("1", "1", "note", "secret")
    ]


# ---- list relationships -------------------------------------------------------------------

FAVOURITE = {"domain": "product", "refid": "42", "type": "favorite"}
RELATIONS_QUERY = "related=relationships&include=product"


def _rel_doc(total: int, data: Any = ..., query: str = RELATIONS_QUERY) -> dict[str, Any]:
    related = url(query="&".join(p for p in query.split("&") if not p.startswith("relatedid=")))
    return sub_doc(url(query=query), total, data, related=related)


async def test_list_items_need_include_to_be_seen(ada: Shopper) -> None:
    response = await ada.post(RELATIONS, json=lists(FAVOURITE))
    favourite = list_entry("1", "1", "42", type="favorite")
    assert_doc(response, 201, _rel_doc(1, [favourite]))
    assert_doc(await ada.get(RELATIONS), 200, _rel_doc(1, [favourite]))
    bare = "related=relationships"
    assert_doc(await ada.get(f"/jsonapi/customer?{bare}"), 200, _rel_doc(0, [], bare))
    response = await ada.patch(
        f"/jsonapi/customer?{bare}&relatedid=1",
        json={"data": {"attributes": {"customer.lists.position": 1}}},
    )
    assert_doc(response, 404, _rel_doc(0, query=f"{bare}&relatedid=1"))
    await ada.delete(f"/jsonapi/customer?{bare}&relatedid=1")
    assert (await ada.get(RELATIONS)).json()["meta"]["total"] == 1


async def test_list_items_are_added_changed_and_removed(ada: Shopper) -> None:
    response = await ada.post(
        RELATIONS,
        json=lists(
            FAVOURITE,
            {
                "domain": "product",
                "refid": 43,
                "type": "watch",
                "config": {"timeframe": "7", "stock": "1"},
                "datestart": "2020-01-01",
                "dateend": "2999-12-31T23:59",
                "position": "2",
                "status": "1",
            },
        ),
    )
    favourite = list_entry("1", "1", "42", type="favorite")
    watch = list_entry(
        "1",
        "2",
        "43",
        type="watch",
        config={"timeframe": "7", "stock": "1"},
        datestart="2020-01-01 00:00:00",
        dateend="2999-12-31 23:59:00",
        position=2,
    )
    assert_doc(response, 201, _rel_doc(2, [favourite, watch]))
    response = await ada.patch(
        f"{RELATIONS}&relatedid=2",
        json={"data": {"attributes": {"customer.lists.config": [], "customer.lists.position": 0}}},
    )
    changed = {
        **watch,
        "attributes": {
            **watch["attributes"],
            "customer.lists.config": [],
            "customer.lists.position": 0,
        },
    }
    assert_doc(response, 200, _rel_doc(1, changed, f"{RELATIONS_QUERY}&relatedid=2"))
    response = await ada.get(f"{RELATIONS}&relatedid=2")
    assert_doc(response, 200, _rel_doc(1, changed, f"{RELATIONS_QUERY}&relatedid=2"))
    response = await ada.delete(RELATIONS, json={"data": [{"id": "1"}, {"id": "2"}]})
    assert_doc(response, 200, _rel_doc(0))
    assert_doc(await ada.get(RELATIONS), 200, _rel_doc(0, []))


async def test_inactive_items_are_not_seen(ada: Shopper) -> None:
    response = await ada.post(
        RELATIONS,
        json=lists(
            {**FAVOURITE, "status": 0},
            {"domain": "product", "refid": "1", "datestart": "2999-01-01 00:00:00"},
            {"domain": "product", "refid": "2", "dateend": "2000-01-01"},
            {"domain": "product", "refid": "3"},
        ),
    )
    # The answer to the POST shows the new items, active or not, as Aimeos does.
    assert response.json()["meta"]["total"] == 4
    shown = (await ada.get(RELATIONS)).json()["data"]
    assert [i["attributes"]["customer.lists.refid"] for i in shown] == ["3"]
    response = await ada.patch(
        f"{RELATIONS}&relatedid=1", json={"data": {"attributes": {"customer.lists.status": 1}}}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("domain", ["group", "customer/group"])
async def test_groups_cannot_be_managed(ada: Shopper, domain: str) -> None:
    response = await ada.post(RELATIONS, json=lists({"domain": domain, "refid": "1"}))
    body = error_doc(
        url(query=RELATIONS_QUERY),
        {"title": "You are not allowed to manage groups"},
        related=url(query=RELATIONS_QUERY),
    )
    assert_doc(response, 403, body)


@pytest.mark.parametrize(
    ("entry", "title", "attribute"),
    [
        ({"refid": "1"}, "Domain is required", "domain"),
        ({"domain": "product"}, "Refid is required", "refid"),
        ({**FAVOURITE, "config": "x"}, "Config must be an object", "config"),
        (
            {**FAVOURITE, "datestart": "tomorrow"},
            'Invalid date "tomorrow", expected YYYY-MM-DD HH:MM:SS',
            "datestart",
        ),
        (
            {**FAVOURITE, "dateend": "2020-13-01"},
            'Invalid date "2020-13-01", expected YYYY-MM-DD HH:MM:SS',
            "dateend",
        ),
        ({**FAVOURITE, "status": 5}, "Status must be a whole number from -2 to 1", "status"),
        ({**FAVOURITE, "position": 1.5}, "Position must be a whole number", "position"),
        ({**FAVOURITE, "type": "my list"}, "Type must not contain spaces", "type"),
    ],
)
async def test_bad_list_items_answer_400(
    ada: Shopper, entry: dict[str, Any], title: str, attribute: str
) -> None:
    response = await ada.post(RELATIONS, json=lists(entry))
    body = error_doc(
        url(query=RELATIONS_QUERY),
        invalid(title, f"/data/attributes/customer.lists.{attribute}"),
        related=url(query=RELATIONS_QUERY),
    )
    assert_doc(response, 400, body)


async def test_the_same_item_twice_in_one_list_answers_400(ada: Shopper) -> None:
    await ada.post(RELATIONS, json=lists(FAVOURITE))
    response = await ada.post(RELATIONS, json=lists(FAVOURITE))
    body = error_doc(
        url(query=RELATIONS_QUERY),
        invalid("The customer already has this item in that list", "/data"),
        related=url(query=RELATIONS_QUERY),
    )
    assert_doc(response, 400, body)


async def test_another_customers_list_item_is_not_found(ada: Shopper, bob: Shopper) -> None:
    await ada.post(RELATIONS, json=lists(FAVOURITE))
    response = await bob.get(f"{RELATIONS}&relatedid=1")
    assert_doc(response, 200, _rel_doc(0, query=f"{RELATIONS_QUERY}&relatedid=1"))
    response = await bob.patch(
        f"{RELATIONS}&relatedid=1", json={"data": {"attributes": {"customer.lists.refid": "1"}}}
    )
    assert_doc(response, 404, _rel_doc(0, query=f"{RELATIONS_QUERY}&relatedid=1"))
    await bob.delete(f"{RELATIONS}&relatedid=1")
    assert (await ada.get(RELATIONS)).json()["meta"]["total"] == 1


async def test_fields_of_list_items(ada: Shopper) -> None:
    await ada.post(RELATIONS, json=lists(FAVOURITE))
    response = await ada.get(f"{RELATIONS}&fields[customer.lists]=customer.lists.refid")
    assert response.json()["data"][0]["attributes"] == {"customer.lists.refid": "42"}
