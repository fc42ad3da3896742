"""Cross-face plumbing: request ids, the 500 answer, proxies, body cap, log redaction, probes."""

from __future__ import annotations

import logging
import re

import httpx
import pytest
from starlette.requests import Request

from patron.faces._shared.middleware import loggable_target
from patron.faces._shared.services import Services
from patron.main import create_app
from tests.conftest import make_settings

pytestmark = pytest.mark.anyio


def _client(app: object, client_ip: str = "203.0.113.7") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(
        app=app,  # type: ignore[arg-type]
        client=(client_ip, 50000),
        raise_app_exceptions=False,
    )
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def test_unexpected_errors_answer_500_with_a_request_id_and_no_internals(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(services.settings, services)

    @app.get("/api/boom")
    async def boom() -> None:
        raise RuntimeError("database password is hunter2")

    async with _client(app) as http:
        response = await http.get("/api/boom")
    assert response.status_code == 500
    request_id = response.headers["x-request-id"]
    assert response.json() == {
        "error": {"status": 500, "message": f"Internal server error (request id {request_id})"}
    }
    assert "hunter2" not in response.text
    assert any(request_id in record.getMessage() for record in caplog.records)


async def test_probes(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert (ready.status_code, ready.json()) == (200, {"status": "ok"})


async def test_readyz_reports_an_unreachable_database(tmp_path: object) -> None:
    settings = make_settings("postgresql://nobody@127.0.0.1:1/none", tmp_path)  # type: ignore[arg-type]
    services = Services.build(settings)
    async with _client(create_app(settings, services)) as http:
        response = await http.get("/readyz")
    await services.close()
    assert (response.status_code, response.json()) == (503, {"status": "unavailable"})


async def test_openapi_and_offline_docs(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    assert "/api/customers/{customer_id}" in spec["paths"]
    assert "requestBody" in spec["paths"]["/api/customers"]["post"]
    page = await client.get("/docs")
    assert page.status_code == 200
    assert "/static/docs/swagger-ui-bundle.js" in page.text
    asset = await client.get("/static/docs/swagger-ui-bundle.js")
    assert asset.status_code == 200


async def test_forwarded_for_is_believed_only_from_trusted_proxies(
    database_url: str, tmp_path: object
) -> None:
    settings = make_settings(database_url, tmp_path, trusted_proxies=["10.0.0.0/8"])  # type: ignore[arg-type]
    services = Services.build(settings)
    app = create_app(settings, services)

    @app.get("/api/whoami")
    async def whoami(request: Request) -> dict[str, str]:
        assert request.client is not None
        return {"ip": request.client.host, "scheme": request.url.scheme}

    headers = {"X-Forwarded-For": "198.51.100.9, 10.0.0.2", "X-Forwarded-Proto": "https"}
    async with _client(app, "10.0.0.1") as http:
        trusted = (await http.get("/api/whoami", headers=headers)).json()
    async with _client(app, "192.0.2.1") as http:
        untrusted = (await http.get("/api/whoami", headers=headers)).json()
    await services.close()
    assert trusted == {"ip": "198.51.100.9", "scheme": "https"}
    assert untrusted == {"ip": "192.0.2.1", "scheme": "http"}


def test_log_lines_never_carry_credentials() -> None:
    assert loggable_target("/api/customers/sessions/abc,def", "") == (
        "/api/customers/sessions/[redacted]"
    )
    assert loggable_target("/index.php", "rt=a/account/login&token=s3cret&api_key=k") == (
        "/index.php?rt=a/account/login&token=[redacted]&api_key=[redacted]"
    )


async def test_access_log_is_written_redacted(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="patron.access"):
        await client.post("/api/customers/sessions/deadbeef")
    lines = [r.getMessage() for r in caplog.records if r.name == "patron.access"]
    assert len(lines) == 1
    assert re.search(r'"POST /api/customers/sessions/\[redacted\]" 200 ', lines[0])
    assert "deadbeef" not in lines[0]
