"""Password reset and email verification over the EverShop routes, mailed through real SMTP."""

from __future__ import annotations

import email
import re
import socket
from collections.abc import AsyncIterator, Iterator
from email.message import Message
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from patron.faces._shared.services import Services
from patron.main import create_app
from tests import factories
from tests.conftest import make_settings

pytestmark = pytest.mark.anyio
LINK = re.compile(
    r"http://shop\.example/account/(reset-password|verify-email)\?token=([0-9a-f]{64})"
)


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
async def mailing(
    database_url: str, tmp_path: Path, smtp: tuple[Inbox, int]
) -> AsyncIterator[tuple[httpx.AsyncClient, Services, Inbox]]:
    inbox, port = smtp
    settings = make_settings(
        database_url,
        tmp_path,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_security="none",
        mail_from="shop@shop.example",
        public_url="http://shop.example",
        email_verification=True,
    )
    services = Services.build(settings)
    transport = httpx.ASGITransport(app=create_app(settings, services))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http, services, inbox
    await services.close()


def _link(message: Message) -> tuple[str, str]:
    bodies = [
        part.get_payload(decode=True).decode()
        for part in message.walk()
        if part.get_content_type() in ("text/plain", "text/html")
    ]
    assert len(bodies) == 2  # plain text and HTML
    found = {LINK.search(body).groups() for body in bodies}  # type: ignore[union-attr]
    assert len(found) == 1
    return found.pop()


async def test_reset_by_emailed_link_ends_sessions_and_changes_the_password(
    mailing: tuple[httpx.AsyncClient, Services, Inbox],
) -> None:
    http, services, inbox = mailing
    await factories.register(http)
    await services.mailer.drain()
    inbox.messages.clear()  # the verification message
    sid = await factories.customer_login(http)
    response = await http.post(
        "/api/customers/reset-password", json={"email": "JOHN.SMITH@example.com"}
    )
    assert (response.status_code, response.json()) == (200, {"data": {}})
    await services.mailer.drain()
    [message] = inbox.messages
    assert message["To"] == "john.smith@example.com"
    assert message["Subject"] == "Reset your password"
    kind, token = _link(message)
    assert kind == "reset-password"
    done = await http.post(
        "/api/customers/password", json={"token": token, "password": "New-Pass-9876"}
    )
    assert (done.status_code, done.json()) == (200, {})
    me = await http.patch(
        "/api/customers/me", json={"full_name": "X"}, headers={"X-Session-ID": sid}
    )
    assert me.status_code == 401
    again = await http.post(
        "/api/customers/password", json={"token": token, "password": "New-Pass-9876"}
    )
    assert (again.status_code, again.json()) == (
        400,
        {"error": {"status": 400, "message": "Token is invalid or expired"}},
    )
    await factories.customer_login(http, password="New-Pass-9876")


async def test_reset_answers_the_same_for_unknown_accounts(
    mailing: tuple[httpx.AsyncClient, Services, Inbox],
) -> None:
    http, services, inbox = mailing
    await factories.register(http)
    await services.mailer.drain()
    inbox.messages.clear()
    known = await http.post(
        "/api/customers/reset-password", json={"email": "john.smith@example.com"}
    )
    unknown = await http.post("/api/customers/reset-password", json={"email": "ghost@example.com"})
    assert (known.status_code, known.content) == (unknown.status_code, unknown.content)
    assert known.headers["content-type"] == unknown.headers["content-type"]
    await services.mailer.drain()
    assert [m["To"] for m in inbox.messages] == ["john.smith@example.com"]


async def test_reset_requests_are_validated(
    mailing: tuple[httpx.AsyncClient, Services, Inbox],
) -> None:
    http, _, _ = mailing
    missing = await http.post("/api/customers/reset-password", json={})
    assert missing.json() == {
        "error": {"status": 400, "message": "must have required property 'email'"}
    }
    bad = await http.post("/api/customers/reset-password", json={"email": "nope"})
    assert bad.status_code == 400
    weak = await http.post("/api/customers/password", json={"token": "0" * 64, "password": "short"})
    assert weak.json() == {
        "error": {"status": 400, "message": "Password must be at least 8 characters"}
    }


async def test_registration_sends_a_verification_link_that_verifies_once(
    mailing: tuple[httpx.AsyncClient, Services, Inbox],
) -> None:
    http, services, inbox = mailing
    await factories.register(http)
    await services.mailer.drain()
    [message] = inbox.messages
    assert message["Subject"] == "Confirm your email address"
    kind, token = _link(message)
    assert kind == "verify-email"
    first = await http.post("/api/customers/verify-email", json={"token": token})
    assert (first.status_code, first.json()) == (200, {"data": {}})
    second = await http.post("/api/customers/verify-email", json={"token": token})
    assert second.status_code == 400
    resend = await http.post(
        "/api/customers/verify-email/resend", json={"email": "john.smith@example.com"}
    )
    assert (resend.status_code, resend.json()) == (200, {"data": {}})
    await services.mailer.drain()
    assert len(inbox.messages) == 1  # verified already: nothing more


async def test_without_smtp_messages_go_to_the_outbox(
    client: httpx.AsyncClient, services: Services
) -> None:
    await factories.register(client)
    await client.post("/api/customers/reset-password", json={"email": "john.smith@example.com"})
    await services.mailer.drain()
    files = sorted((services.settings.var_dir / "outbox").glob("*.eml"))
    assert len(files) == 1
    assert "reset-password?token=" in files[0].read_text()
