"""Signed JSON Web Tokens that name a live session.

HS256 only, issuer ``patron``, audience per token type (``customer`` or ``admin``). The claims
keep EverShop 2.x's shape (a ``customer`` or ``user`` object, ``tokenType``, ``tokenKind``) and
add ``sid``: the session's public id, so every use is checked against the live session.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

import jwt

from patron.core.entities import AdminUser, Customer
from patron.core.errors import InvalidInput

ISSUER = "patron"
TokenType = Literal["customer", "admin"]
TokenKind = Literal["access", "refresh"]


@dataclass(frozen=True)
class TokenConfig:
    """Signing key and lifetimes in seconds."""

    secret: str
    customer_access: int = 1800
    customer_refresh: int = 108000
    admin_access: int = 900
    admin_refresh: int = 54000
    legacy_session: int = 172800


@dataclass(frozen=True)
class TokenClaims:
    """What a verified token says."""

    token_type: TokenType
    token_kind: str
    session_uuid: uuid.UUID


def stamp(moment: datetime) -> str:
    """The ``YYYY-MM-DD HH:MM:SS`` UTC form used in every EverShop-shaped body."""
    return moment.isoformat(sep=" ", timespec="seconds")[:19]  # strftime costs four times more


def customer_claims(customer: Customer) -> dict[str, Any]:
    """The ``customer`` object carried in customer tokens (never the password hash)."""
    return {
        "customer_id": customer.customer_id,
        "group_id": customer.group_id,
        "uuid": str(customer.uuid),
        "email": customer.email,
        "full_name": customer.full_name,
        "status": customer.status,
        "created_at": stamp(customer.created_at),
        "updated_at": stamp(customer.updated_at),
    }


def admin_claims(admin: AdminUser) -> dict[str, Any]:
    """The ``user`` object carried in admin tokens."""
    return {
        "admin_user_id": admin.admin_user_id,
        "uuid": str(admin.uuid),
        "email": admin.email,
        "full_name": admin.full_name,
        "status": admin.status,
        "roles": "*" if admin.role == "administrator" else admin.role,
        "created_at": stamp(admin.created_at),
        "updated_at": stamp(admin.updated_at),
    }


def issue(
    config: TokenConfig,
    *,
    token_type: TokenType,
    kind: TokenKind | Literal["session"],
    subject: dict[str, Any],
    session_uuid: uuid.UUID,
    now: datetime,
    lifetime: int,
) -> str:
    """Sign a token of ``token_type``/``kind`` for the session ``session_uuid``."""
    key = "customer" if token_type == "customer" else "user"
    claims = {
        key: subject,
        "tokenType": token_type,
        "tokenKind": kind,
        "sid": str(session_uuid),
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=lifetime)).timestamp()),
        "aud": token_type,
        "iss": ISSUER,
    }
    return jwt.encode(claims, config.secret, algorithm="HS256")


def read(
    config: TokenConfig, token: str, *, token_type: TokenType, kinds: tuple[str, ...]
) -> TokenClaims | None:
    """Verify signature, issuer, audience, expiry and kind; None when any check fails."""
    try:
        claims = jwt.decode(
            token,
            config.secret,
            algorithms=["HS256"],
            audience=token_type,
            issuer=ISSUER,
            options={"require": ["exp", "iat", "aud", "iss", "sid"]},
        )
    except jwt.PyJWTError:
        return None
    if claims.get("tokenType") != token_type or claims.get("tokenKind") not in kinds:
        return None
    try:
        session_uuid = uuid.UUID(str(claims["sid"]))
    except ValueError:
        return None
    return TokenClaims(
        token_type=token_type, token_kind=claims["tokenKind"], session_uuid=session_uuid
    )


def require_refresh(claims: TokenClaims | None) -> TokenClaims:
    """Return refresh claims or raise ``InvalidInput`` for anything else."""
    if claims is None or claims.token_kind != "refresh":
        raise InvalidInput.one("refreshToken", "Invalid refresh token")
    return claims
