"""The machinery around the routes: ``rt``, methods, parameters, formats, JSONP, CORS, the key."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from patron.faces._shared.services import Services
from patron.faces.abantecart import routes
from patron.main import create_app
from tests.conftest import make_settings
from tests.faces.abantecart import wire
from tests.faces.abantecart.wire import (
    EMPTY,
    LOGIN_FAILED,
    assert_body,
    assert_golden,
    get,
    golden,
    post,
)

pytestmark = pytest.mark.anyio

ORIGIN = "https://shop.example.com"
HTML = "text/html; charset=utf-8"


async def _client_with(
    database_url: str, tmp_path: Path, **overrides: object
) -> tuple[httpx.AsyncClient, Services]:
    settings = make_settings(
        database_url, tmp_path, public_url="http://127.0.0.1:8080", **overrides
    )
    services = Services.build(settings)
    transport = httpx.ASGITransport(app=create_app(settings, services))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver"), services


# ---- rt -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rt", "name"),
    [
        ("a/account/login'", "rt_illegal_0"),
        ("a/account/<b>", "rt_illegal_1"),
        ("a/account/lo gin", "rt_illegal_2"),
        ("a/account/../x", "rt_illegal_3"),
        ("a/account/login;drop", "rt_illegal_4"),
    ],
)
async def test_a_route_with_illegal_characters_is_forbidden(
    client: httpx.AsyncClient, rt: str, name: str
) -> None:
    response = await get(client, rt)
    assert_golden(response, 403, name, content_type=HTML)
    assert "access-control-allow-origin" not in response.headers


async def test_an_illegal_route_in_the_body_is_forbidden(client: httpx.AsyncClient) -> None:
    response = await post(client, None, b"rt=a%2Faccount%2Flogin%27")
    assert_golden(response, 403, "rt_illegal_post_body", content_type=HTML)


async def test_the_route_may_come_in_the_body(client: httpx.AsyncClient) -> None:
    await wire.register(client)
    body = b"rt=a%2Faccount%2Flogin&loginname=acc_27efe76afede4c&password=Aa1-c8d9bce7e72b"
    response = await post(client, None, body)
    token = response.json()["token"]
    assert_golden(response, 200, "login_rt_in_body", replace={"68fc6b055c780a54e817985581": token})


async def test_the_query_route_wins_over_the_body_route(client: httpx.AsyncClient) -> None:
    response = await post(client, "a/account/login", {"rt": "a/account/nope"})
    assert_body(response, 401, LOGIN_FAILED)


@pytest.mark.parametrize(
    ("method", "name"), [("GET", "rt_unknown_route"), ("POST", "rt_unknown_route_post")]
)
async def test_an_unknown_api_route_is_an_empty_page(
    client: httpx.AsyncClient, method: str, name: str
) -> None:
    response = await client.request(method, wire.url("a/account/nope"), headers=wire.FORM)
    assert_golden(response, 200, name, content_type=HTML)


@pytest.mark.parametrize("query", ["", "?rt=account/login", "?rt="])
async def test_routes_outside_the_api_are_not_found(client: httpx.AsyncClient, query: str) -> None:
    # AbanteCart would render its storefront here; patron has none (docs/compat.md).
    response = await client.get("/index.php" + query)
    assert_body(response, 404, b'{"error":"Not Found"}')


# ---- methods ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "rt", "name"),
    [
        ("GET", "a/account/login", "login_get_405"),
        ("GET", "a/account/account", "account_get_405"),
        ("GET", "a/account/history", "history_get_405"),
        ("HEAD", "a/account/login", "head_login"),
        ("PUT", "a/account/login", "put_login_501"),
        ("DELETE", "a/account/login", "delete_login"),
        ("PATCH", "a/account/login", "delete_login"),
    ],
)
async def test_a_method_the_route_lacks_is_405_with_an_empty_body(
    client: httpx.AsyncClient, method: str, rt: str, name: str
) -> None:
    response = await client.request(method, wire.url(rt), headers={"Origin": ORIGIN})
    assert_golden(response, 405, name, content_type=EMPTY)
    assert response.headers["access-control-allow-origin"] == ORIGIN


async def test_preflight_is_answered_with_the_cors_headers(client: httpx.AsyncClient) -> None:
    headers = {"Origin": ORIGIN, "Access-Control-Request-Method": "POST"}
    response = await client.options(wire.url("a/account/login"), headers=headers)
    assert response.status_code == 204  # AbanteCart: 405, which browsers refuse
    assert response.content == b""
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert response.headers["access-control-allow-methods"] == "GET, POST, PUT, DELETE"
    assert response.headers["access-control-allow-credentials"] == "true"
    assert response.headers["access-control-max-age"] == "60"


# ---- parameters ---------------------------------------------------------------------------------


async def test_json_bodies_are_not_read(client: httpx.AsyncClient) -> None:
    await wire.register(client)
    response = await client.post(
        wire.url("a/account/login"),
        json={"loginname": "acc_27efe76afede4c", "password": wire.PASSWORD},
    )
    assert_golden(response, 401, "login_json_body")


async def test_post_parameters_in_the_query_are_not_read(client: httpx.AsyncClient) -> None:
    await wire.register(client)
    query = {"loginname": "acc_27efe76afede4c", "password": wire.PASSWORD}
    response = await post(client, "a/account/login", b"", query=query)
    assert_golden(response, 401, "login_credentials_in_query")


async def test_multipart_bodies_are_read(client: httpx.AsyncClient) -> None:
    await wire.register(client)
    response = await client.post(
        wire.url("a/account/login"),
        files={"loginname": (None, "acc_27efe76afede4c"), "password": (None, wire.PASSWORD)},
    )
    token = response.json()["token"]
    assert_golden(response, 200, "login_multipart", replace={"68fc6b055c7805ea8451611325": token})


async def test_response_headers(client: httpx.AsyncClient) -> None:
    response = await post(client, "a/account/login", {"loginname": "x", "password": "y"})
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store, no-cache, must-revalidate"
    assert response.headers["pragma"] == "no-cache"
    # Without an Origin there is nothing to echo (AbanteCart sends the header empty).
    assert "access-control-allow-origin" not in response.headers


async def test_cors_echoes_the_origin(client: httpx.AsyncClient) -> None:
    body = {"loginname": "nobody-here", "password": "x"}
    response = await post(client, "a/account/login", body, headers={"Origin": ORIGIN})
    assert_golden(response, 401, "cors_post_with_origin")
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert response.headers["access-control-allow-credentials"] == "true"
    assert response.headers["vary"] == "Origin"


async def test_cors_headers_stay_on_index_php(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz", headers={"Origin": ORIGIN})
    assert "access-control-allow-origin" not in response.headers


# ---- formats and JSONP ------------------------------------------------------------------------


async def test_xml_format(client: httpx.AsyncClient) -> None:
    response = await get(client, "a/account/create", format="xml")
    assert_golden(response, 200, "format_xml_create", content_type="application/xml")
    body = {"loginname": "nobody-x", "password": "x"}
    response = await post(client, "a/account/login", body, query={"format": "xml"})
    assert_golden(response, 401, "format_xml_login_fail", content_type="application/xml")


async def test_query_string_format(client: httpx.AsyncClient) -> None:
    body = {"loginname": "nobody-x", "password": "x"}
    response = await post(client, "a/account/login", body, query={"format": "qs"})
    assert_golden(response, 401, "format_qs_login_fail", content_type=EMPTY)


async def test_an_unknown_format_is_json(client: httpx.AsyncClient) -> None:
    response = await get(client, "a/account/create", format="yaml")
    assert_golden(response, 200, "create_get")


async def test_jsonp_wraps_get_answers(client: httpx.AsyncClient) -> None:
    response = await get(client, "a/account/create", callback="cb_1.done")
    assert_golden(response, 200, "jsonp_get_create")


async def test_jsonp_wraps_failures_too(client: httpx.AsyncClient) -> None:
    await wire.register(client)
    body = b"loginname=acc_27efe76afede4c&password=wrong-pw-123&callback=handleLogin"
    assert_golden(await post(client, "a/account/login", body), 401, "jsonp_post_login_fail")


async def test_a_post_takes_its_callback_from_the_body_only(client: httpx.AsyncClient) -> None:
    body = {"loginname": "nobody-x", "password": "x"}
    response = await post(client, "a/account/login", body, query={"callback": "cbq"})
    assert_golden(response, 401, "jsonp_post_callback_in_query_only")


@pytest.mark.parametrize(
    "callback",
    ["alert(document.cookie)//", "<script>x</script>", "a;b", "x=1", "1abc", "x\u2028y", "0", ""],
)
async def test_callbacks_that_are_not_javascript_names_are_ignored(
    client: httpx.AsyncClient, callback: str
) -> None:
    # AbanteCart wraps any of these (an XSS vector); patron answers plain JSON.
    response = await get(client, "a/account/create", callback=callback)
    assert_golden(response, 200, "create_get")


# ---- the API switch and key --------------------------------------------------------------------


async def test_a_disabled_api_refuses_everything(database_url: str, tmp_path: Path) -> None:
    client, services = await _client_with(database_url, tmp_path, abantecart_enabled=False)
    async with client:
        assert_golden(await get(client, "a/account/create"), 401, "api_disabled_create_get")
        body = {"loginname": "x", "password": "y"}
        response = await post(client, "a/account/login", body)
        assert_golden(response, 401, "api_disabled_login_post")
    await services.close()


async def test_the_api_key(database_url: str, tmp_path: Path) -> None:
    client, services = await _client_with(database_url, tmp_path, abantecart_api_key="secret-key-1")
    credentials = {"loginname": "x", "password": "y"}
    async with client:
        response = await post(
            client, "a/account/login", {"api_key": "wrong-secret-key-1", **credentials}
        )
        assert_golden(response, 401, "api_key_wrong")
        assert_golden(await post(client, "a/account/login", credentials), 401, "api_key_missing")
        response = await post(
            client, "a/account/login", credentials, query={"api_key": "secret-key-1"}
        )
        assert_golden(response, 401, "api_key_right_in_query")
        response = await post(client, "a/account/login", {"api_key": "secret-key-1", **credentials})
        assert_golden(response, 401, "api_key_right_in_body")
        json_body = {**credentials, "api_key": "secret-key-1"}
        response = await client.post(wire.url("a/account/login"), json=json_body)
        assert_golden(response, 401, "api_key_in_json_body")
        response = await client.post(
            wire.url("a/account/login", api_key="secret-key-1"), json=json_body
        )
        assert_golden(response, 401, "api_key_in_query_json_body")
        # The route check comes first; preflights come before the key (AbanteCart: 401).
        assert_golden(
            await get(client, "a/account/login'"),
            403,
            "api_key_rt_illegal_without_key",
            content_type=HTML,
        )
        preflight = await client.options(wire.url("a/account/login"), headers={"Origin": ORIGIN})
        assert preflight.status_code == 204
    await services.close()


# ---- what no client should be able to break ---------------------------------------------------


async def test_a_body_over_the_cap_is_413_in_this_face(database_url: str, tmp_path: Path) -> None:
    client, services = await _client_with(database_url, tmp_path, max_body_bytes=1024)
    async with client:
        response = await post(client, "a/account/login", {"loginname": "x" * 2000})
    await services.close()
    assert_body(response, 413, b'{"error":"Request body is too large"}')


@pytest.mark.parametrize(
    "body",
    [
        b"loginname=%FF%FE&password=%C3",
        b"loginname=a%00b&password=x%00",
        b"token=%00",
        b"loginname[]=x&password[]=y",
        b"%%%&&&===",
    ],
)
async def test_odd_login_bodies_fail_cleanly(client: httpx.AsyncClient, body: bytes) -> None:
    response = await post(client, "a/account/login", body)
    assert response.status_code == 401
    assert response.json()["status"] == 0


async def test_a_malformed_multipart_body_reads_as_empty(client: httpx.AsyncClient) -> None:
    headers = {"Content-Type": "multipart/form-data; boundary=xyz"}
    response = await client.post(wire.url("a/account/login"), content=b"--nope", headers=headers)
    assert_body(response, 401, LOGIN_FAILED)


async def test_the_golden_files_are_the_captures(client: httpx.AsyncClient) -> None:
    """A sanity check of the comparison itself: the create form matches its capture."""
    response = await get(client, "a/account/create")
    assert len(response.content) == len(golden("create_get")) == 6167


async def test_an_unexpected_error_is_a_500_in_this_face(
    services: Services, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def boom(_: object) -> None:
        raise RuntimeError("database password is hunter2")

    monkeypatch.setitem(routes.ROUTES, "a/account/boom", {"GET": boom})  # type: ignore[dict-item]
    transport = httpx.ASGITransport(
        app=create_app(services.settings, services), raise_app_exceptions=False
    )
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await get(http, "a/account/boom")
    request_id = response.headers["x-request-id"]
    assert_body(
        response, 500, f'{{"error":"Internal server error (request id {request_id})"}}'.encode()
    )
    assert "hunter2" not in response.text
    assert any(request_id in record.getMessage() for record in caplog.records)
