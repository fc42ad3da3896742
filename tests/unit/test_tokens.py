from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest

from patron.core import tokens
from patron.core.entities import AdminUser, Customer
from patron.core.errors import InvalidInput
from patron.core.tokens import TokenConfig

CONFIG = TokenConfig(secret="unit-test-secret-" + "x" * 48)  # 64+ bytes: HS512 below too
SID = uuid.UUID("0b9e4f9e-6a6f-4c43-9c5a-2f4cf1c1a7d1")


def _now() -> datetime:
    # PyJWT checks exp and iat against the real time, so tokens are made at the real time.
    return datetime.now(UTC)


def _issue(
    token_type: tokens.TokenType = "customer",  # noqa: S107 (a token type, not a secret)
    kind: str = "access",
    *,
    config: TokenConfig = CONFIG,
    now: datetime | None = None,
    lifetime: int = 1800,
) -> str:
    return tokens.issue(
        config,
        token_type=token_type,
        kind=kind,  # type: ignore[arg-type]
        subject={"customer_id": 1},
        session_uuid=SID,
        now=now or _now(),
        lifetime=lifetime,
    )


def _claims(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})


def test_issue_then_read_round_trip() -> None:
    token = _issue()
    claims = tokens.read(CONFIG, token, token_type="customer", kinds=("access",))
    assert claims == tokens.TokenClaims(
        token_type="customer", token_kind="access", session_uuid=SID
    )


def test_issued_claims_keep_evershops_shape() -> None:
    now = datetime(2030, 1, 1, tzinfo=UTC)
    customer_token = _claims(_issue(now=now, lifetime=60))
    assert customer_token == {
        "customer": {"customer_id": 1},
        "tokenType": "customer",
        "tokenKind": "access",
        "sid": str(SID),
        "iat": int(now.timestamp()),
        "exp": int(now.timestamp()) + 60,
        "aud": "customer",
        "iss": "patron",
    }
    assert "user" in _claims(_issue("admin"))
    assert jwt.get_unverified_header(_issue())["alg"] == "HS256"


def test_admin_tokens_round_trip() -> None:
    claims = tokens.read(CONFIG, _issue("admin", "refresh"), token_type="admin", kinds=("refresh",))
    assert claims is not None
    assert claims.token_type == "admin"


def test_wrong_audience_is_refused() -> None:
    assert tokens.read(CONFIG, _issue("customer"), token_type="admin", kinds=("access",)) is None
    assert tokens.read(CONFIG, _issue("admin"), token_type="customer", kinds=("access",)) is None


def test_refresh_is_not_accepted_as_access() -> None:
    refresh = _issue(kind="refresh")
    assert tokens.read(CONFIG, refresh, token_type="customer", kinds=("access",)) is None
    assert tokens.read(CONFIG, refresh, token_type="customer", kinds=("refresh",)) is not None


def test_wrong_secret_is_refused() -> None:
    other = TokenConfig(secret="another-secret-" + "y" * 48)
    assert tokens.read(other, _issue(), token_type="customer", kinds=("access",)) is None


def test_expired_is_refused() -> None:
    token = _issue(now=_now() - timedelta(hours=1), lifetime=60)
    assert tokens.read(CONFIG, token, token_type="customer", kinds=("access",)) is None


def _forge(claims: dict[str, Any], *, algorithm: str = "HS256", secret: str = CONFIG.secret) -> str:
    now = int(_now().timestamp())
    base = {
        "customer": {},
        "tokenType": "customer",
        "tokenKind": "access",
        "sid": str(SID),
        "iat": now,
        "exp": now + 60,
        "aud": "customer",
        "iss": "patron",
    }
    payload = {key: value for key, value in {**base, **claims}.items() if value is not None}
    return jwt.encode(payload, secret, algorithm=algorithm)


def test_a_forged_baseline_is_accepted() -> None:
    # Guards the tests below: the only thing wrong with each of them is what they change.
    assert tokens.read(CONFIG, _forge({}), token_type="customer", kinds=("access",)) is not None


@pytest.mark.parametrize(
    "changes",
    [
        {"iss": "evershop"},
        {"iss": None},
        {"sid": None},
        {"sid": "not-a-uuid"},
        {"exp": None},
        {"iat": None},
        {"aud": None},
        {"tokenType": "admin"},  # the claim disagrees with the audience
        {"tokenKind": None},
        {"tokenKind": "session"},
    ],
)
def test_tokens_missing_or_bending_a_claim_are_refused(changes: dict[str, Any]) -> None:
    token = _forge(changes)
    assert tokens.read(CONFIG, token, token_type="customer", kinds=("access",)) is None


def test_other_algorithms_are_refused() -> None:
    token = _forge({}, algorithm="HS512")
    assert tokens.read(CONFIG, token, token_type="customer", kinds=("access",)) is None
    unsigned = jwt.encode(_claims(_forge({})), key=None, algorithm="none")
    assert tokens.read(CONFIG, unsigned, token_type="customer", kinds=("access",)) is None


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "x" * 64])
def test_garbage_is_refused(garbage: str) -> None:
    assert tokens.read(CONFIG, garbage, token_type="customer", kinds=("access",)) is None


def test_require_refresh() -> None:
    refresh = tokens.read(CONFIG, _issue(kind="refresh"), token_type="customer", kinds=("refresh",))
    assert tokens.require_refresh(refresh) is refresh
    access = tokens.read(CONFIG, _issue(), token_type="customer", kinds=("access",))
    for claims in (access, None):
        with pytest.raises(InvalidInput) as caught:
            tokens.require_refresh(claims)
        assert caught.value.field == "refreshToken"


def test_customer_claims_never_carry_the_password_hash() -> None:
    when = datetime(2024, 5, 1, 9, 8, 7, 654321, tzinfo=UTC)
    customer = Customer(
        customer_id=3,
        group_id=1,
        uuid=SID,
        email="ada@example.com",
        full_name="Ada",
        status=1,
        password_hash="$argon2id$secret",
        created_at=when,
        updated_at=when,
    )
    claims = tokens.customer_claims(customer)
    assert "$argon2id$secret" not in str(claims)
    assert claims["created_at"] == "2024-05-01 09:08:07"
    assert claims["uuid"] == str(SID)


@pytest.mark.parametrize(("role", "roles"), [("administrator", "*"), ("support", "support")])
def test_admin_claims_roles(role: str, roles: str) -> None:
    when = datetime(2024, 5, 1, tzinfo=UTC)
    admin = AdminUser(
        admin_user_id=1,
        uuid=SID,
        email="root@example.com",
        full_name="Root",
        status=1,
        role=role,
        password_hash="$argon2id$secret",
        created_at=when,
        updated_at=when,
    )
    claims = tokens.admin_claims(admin)
    assert claims["roles"] == roles
    assert "$argon2id$secret" not in str(claims)
