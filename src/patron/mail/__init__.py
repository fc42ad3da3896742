"""Outbound email: templated plain-text and HTML messages, sent over SMTP or written to an outbox.

Delivery runs in the background so that a request's answer and timing never depend on whether a
message was sent. Nothing here logs a message body, a link or a token.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Literal

import aiosmtplib
import anyio
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

log = logging.getLogger("patron.mail")

SUBJECTS = {
    "password_reset": "Reset your password",
    "email_verification": "Confirm your email address",
}
LINK_PATHS = {
    "password_reset": "/account/reset-password",
    "email_verification": "/account/verify-email",
}


@dataclass(frozen=True)
class MailSettings:
    """Where and how to deliver: SMTP when ``host`` is set, else files in ``outbox``."""

    sender: str
    public_url: str
    outbox: Path
    host: str = ""
    port: int = 587
    security: Literal["starttls", "tls", "none"] = "starttls"
    username: str = ""
    password: str = ""
    timeout: float = 10.0


class TemplateMailer:
    """Renders ``templates/<kind>.txt`` and ``.html`` and delivers them in the background."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self._env = Environment(
            loader=PackageLoader("patron.mail", "templates"),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
        )
        self._pending: set[asyncio.Task[None]] = set()

    def build(self, kind: str, to: str, context: dict[str, str]) -> EmailMessage:
        """The message for ``kind``: plain text with an HTML alternative."""
        values = dict(context)
        if "token" in values and kind in LINK_PATHS:
            base = self.settings.public_url.rstrip("/")
            values["link"] = f"{base}{LINK_PATHS[kind]}?token={values['token']}"
        message = EmailMessage()
        message["Subject"] = SUBJECTS.get(kind, kind)
        message["From"] = self.settings.sender
        message["To"] = to
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain=self.settings.sender.rpartition("@")[2] or None)
        message.set_content(self._env.get_template(f"{kind}.txt").render(**values))
        message.add_alternative(
            self._env.get_template(f"{kind}.html").render(**values), subtype="html"
        )
        return message

    async def send(self, kind: str, to: str, context: dict[str, str]) -> None:
        """Queue one message; returns at once."""
        message = self.build(kind, to, context)
        task = asyncio.get_running_loop().create_task(self._deliver(kind, message))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def drain(self) -> None:
        """Wait for every queued message (at shutdown, and in tests)."""
        while self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)

    async def _deliver(self, kind: str, message: EmailMessage) -> None:
        try:
            if self.settings.host:
                await self._smtp(message)
            else:
                await anyio.to_thread.run_sync(self._write_outbox, message)
        except Exception as exc:  # delivery must never break the request that queued it
            log.error("could not deliver a %s message: %s", kind, type(exc).__name__)

    async def _smtp(self, message: EmailMessage) -> None:
        s = self.settings
        await aiosmtplib.send(
            message,
            hostname=s.host,
            port=s.port,
            use_tls=s.security == "tls",
            start_tls=s.security == "starttls",
            username=s.username or None,
            password=s.password or None,
            timeout=s.timeout,
        )

    def _write_outbox(self, message: EmailMessage) -> None:
        self.settings.outbox.mkdir(parents=True, exist_ok=True)
        name = (
            f"{formatdate(usegmt=True).replace(' ', '_').replace(',', '')}-{secrets.token_hex(4)}"
        )
        path = self.settings.outbox / f"{name}.eml"
        path.write_bytes(bytes(message))
        path.chmod(0o600)
