"""Logs are JSON lines with a request id and never carry a secret."""

from __future__ import annotations

import email
import email.policy
import io
import json
import logging
import logging.config

import httpx
import pytest

from patron.cli import log_config
from patron.faces._shared.services import Services
from tests import factories

pytestmark = pytest.mark.anyio


@pytest.fixture
def json_log() -> io.StringIO:
    """The ``serve`` logging configuration, writing to a buffer instead of stderr."""
    buffer = io.StringIO()
    config = log_config("json")
    config["handlers"]["stderr"]["stream"] = buffer  # type: ignore[index]
    logging.config.dictConfig(config)
    yield buffer  # type: ignore[misc]
    for name in ("patron", "uvicorn"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True


async def test_access_lines_are_json_with_the_request_id(
    client: httpx.AsyncClient, json_log: io.StringIO
) -> None:
    response = await client.get("/healthz")
    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    [access] = [line for line in lines if line["logger"] == "patron.access"]
    assert access["request_id"] == response.headers["x-request-id"]
    assert access["level"] == "INFO"
    assert (access["method"], access["target"], access["status"]) == ("GET", "/healthz", 200)
    assert isinstance(access["duration_ms"], float)


async def test_no_secret_reaches_the_logs(
    client: httpx.AsyncClient,
    services: Services,
    json_log: io.StringIO,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await factories.create_admin(services)
    asid = await factories.admin_login(client)
    await factories.register(client)
    client.cookies.clear()
    sid = await factories.customer_login(client)
    tokens = (
        await client.post(
            "/api/customer/tokens",
            json={"email": "john.smith@example.com", "password": factories.CUSTOMER_PASSWORD},
        )
    ).json()["data"]
    legacy = (
        await client.post(
            "/api/customers/sessions",
            json={"email": "john.smith@example.com", "password": factories.CUSTOMER_PASSWORD},
        )
    ).json()["data"]
    await client.post(f"/api/customers/sessions/{legacy['sid']}")
    await client.post("/api/customers/reset-password", json={"email": "john.smith@example.com"})
    await services.mailer.drain()
    eml = next((services.settings.var_dir / "outbox").glob("*.eml")).read_bytes()
    text = (
        email.message_from_bytes(eml, policy=email.policy.default)
        .get_body(("plain",))
        .get_content()
    )  # type: ignore[attr-defined]
    reset_token = text.split("token=", 1)[1][:64]
    done = await client.post(
        "/api/customers/password", json={"token": reset_token, "password": "Another-Pass-55"}
    )
    assert done.status_code == 200
    await client.get(
        "/api/customers?keyword=x", headers={"Authorization": f"Bearer {tokens['accessToken']}"}
    )
    # The test's own HTTP client logs the URLs it calls; only the server's records count.
    server_records = "\n".join(
        f"{r.getMessage()} {r.__dict__}" for r in caplog.records if not r.name.startswith("httpx")
    )
    everything = json_log.getvalue() + server_records
    secrets_sent = [
        factories.ADMIN_PASSWORD,
        factories.CUSTOMER_PASSWORD,
        "Another-Pass-55",
        asid,
        sid,
        tokens["accessToken"],
        tokens["refreshToken"],
        legacy["token"],
        legacy["sid"],
        reset_token,
    ]
    for secret in secrets_sent:
        assert secret not in everything
    assert "patron.access" in json_log.getvalue()
