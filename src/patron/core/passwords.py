"""Password policy and hashing.

New hashes are argon2id over the NFKC form of the password. Legacy hashes are verified on the
password as typed, the way their platform hashed it, and replaced at the next successful login:
bcrypt (EverShop's ``$2a$``/``$2b$``/``$2y$``) and AbanteCart's salted SHA-1 chain, imported as
``$abantecart-sha1$<salt>$<40 hex digits>`` (AbanteCart's ``salt`` and ``password`` columns).
Hashing is CPU work: it runs in worker threads behind a capacity limiter sized to the cores, so
the event loop never blocks and the queue never grows without bound.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from typing import TypeVar

import anyio
import bcrypt
from argon2 import PasswordHasher as Argon2Hasher
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from patron.core.errors import InvalidInput
from patron.core.legacy_hashes import bcrypt_cost_ok, check_legacy, is_legacy_hash
from patron.core.normalise import html_escape, php_trim

MAX_PASSWORD_LENGTH = 1024
BCRYPT_PREFIXES = ("$2a$", "$2b$", "$2y$")
ABANTECART_PREFIX = "$abantecart-sha1$"
ARGON2ID_PREFIX = "$argon2id$"
# Stored for an account imported without a password: no password verifies against it, and
# signing in costs the same dummy verification as an unknown account. The customer resets it.
UNUSABLE_HASH = "!no-password"
_T = TypeVar("_T")


@dataclass(frozen=True)
class PasswordPolicy:
    """Length rules, counted in code points after NFKC, and the common-password blocklist.

    No composition rules; nothing is trimmed, truncated or escaped.
    """

    min_length: int = 8
    max_length: int = MAX_PASSWORD_LENGTH
    blocklist: bool = True


@cache
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords from leaked sets, as shipped with zxcvbn, case-folded."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # noqa: PLC0415 - loaded on first use

    return frozenset(
        unicodedata.normalize("NFKC", p).casefold() for p in FREQUENCY_LISTS["passwords"]
    )


def check_password(password: str, policy: PasswordPolicy, *, field: str = "password") -> None:
    """Raise ``InvalidInput`` naming ``field`` when ``password`` breaks the policy."""
    length = len(unicodedata.normalize("NFKC", password))
    if length == 0:
        raise InvalidInput.one(field, "Password is required and cannot be empty")
    if length < policy.min_length:
        raise InvalidInput.one(field, f"Password must be at least {policy.min_length} characters")
    if length > policy.max_length:
        raise InvalidInput.one(field, f"Password must be at most {policy.max_length} characters")
    if (
        policy.blocklist
        and unicodedata.normalize("NFKC", password).casefold() in common_passwords()
    ):
        raise InvalidInput.one(field, "Password is too common; choose one that is harder to guess")


@dataclass(frozen=True)
class Argon2Parameters:
    """argon2id cost: memory in KiB, iterations and lanes."""

    memory_cost: int = 19456
    time_cost: int = 2
    parallelism: int = 1


@dataclass(frozen=True)
class Verification:
    """The outcome of checking a password: ``new_hash`` is set when the stored one should change."""

    ok: bool
    new_hash: str | None = None


class PasswordHasher:
    """argon2id hashing and legacy verification, off the event loop."""

    def __init__(
        self,
        params: Argon2Parameters,
        *,
        threads: int | None = None,
        prestashop_cookie_key: str = "",
    ) -> None:
        self._prestashop_cookie_key = prestashop_cookie_key
        self._argon = Argon2Hasher(
            time_cost=params.time_cost,
            memory_cost=params.memory_cost,
            parallelism=params.parallelism,
            type=Type.ID,
        )
        self._limiter = anyio.CapacityLimiter(threads or os.cpu_count() or 1)
        # Verified when an account does not exist, so that path costs what a real one does.
        self._dummy_hash = self._argon.hash(os.urandom(16).hex())

    async def _run(self, func: partial[_T]) -> _T:
        return await anyio.to_thread.run_sync(func, limiter=self._limiter)

    async def hash(self, password: str) -> str:
        """Return a new argon2id hash of ``password``."""
        return await self._run(partial(self._hash_sync, password))

    async def verify(self, stored_hash: str | None, password: str) -> Verification:
        """Check ``password`` against ``stored_hash``; with no hash, do the same work and fail."""
        return await self._run(partial(self._verify_sync, stored_hash, password))

    def _hash_sync(self, password: str) -> str:
        return self._argon.hash(_argon_secret(password))

    def _verify_sync(self, stored_hash: str | None, password: str) -> Verification:
        if stored_hash is None or stored_hash.startswith("!"):
            self._check_argon(self._dummy_hash, password)
            return Verification(ok=False)
        platform = _legacy_check(stored_hash)
        if platform is not None:
            if not platform(stored_hash, password):
                return Verification(ok=False)
            # The password as typed, not as the old platform transformed it, becomes the hash.
            return Verification(ok=True, new_hash=self._hash_sync(password))
        legacy = check_legacy(
            stored_hash, password, prestashop_cookie_key=self._prestashop_cookie_key
        )
        if legacy is not None:
            return Verification(ok=legacy, new_hash=self._hash_sync(password) if legacy else None)
        if not self._check_argon(stored_hash, password):
            return Verification(ok=False)
        if self._argon.check_needs_rehash(stored_hash):
            return Verification(ok=True, new_hash=self._hash_sync(password))
        return Verification(ok=True)

    def _check_argon(self, stored_hash: str, password: str) -> bool:
        try:
            return self._argon.verify(stored_hash, _argon_secret(password))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False


def is_known_hash(stored: str) -> bool:
    """True when ``stored`` has the shape of a hash format patron verifies (argon2id or legacy)."""
    return stored.startswith((ARGON2ID_PREFIX, *BCRYPT_PREFIXES, ABANTECART_PREFIX)) or (
        is_legacy_hash(stored)
    )


def _argon_secret(password: str) -> bytes:
    # "surrogatepass": JSON may carry a lone surrogate ("\ud800"); plain UTF-8 encoding would
    # raise on it (a 500 at login). Every other password encodes exactly as before.
    return unicodedata.normalize("NFKC", password).encode("utf-8", "surrogatepass")


def _check_bcrypt(stored_hash: str, password: str) -> bool:
    # bcrypt reads at most 72 bytes of the secret; the library refuses longer input, so cut it
    # here, as the platforms that made these hashes did. ``$2y$`` is PHP's name for ``$2b$``.
    secret = password.encode("utf-8", "surrogatepass")[:72]
    candidate = stored_hash.replace("$2y$", "$2b$", 1).encode("ascii", "replace")
    try:
        return bcrypt.checkpw(secret, candidate)
    except ValueError:
        return False


def _sha1_hex(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()  # noqa: S324


def _check_abantecart(stored_hash: str, password: str) -> bool:
    # AbanteCart hashes what its request cleaning made of the password: HTML-escaped
    # (ENT_COMPAT), then trimmed; then sha1(salt . sha1(salt . sha1(password))) in hex.
    parts = stored_hash.split("$")
    if len(parts) != 4 or not parts[2] or len(parts[3]) != 40:
        return False
    salt, digest = parts[2], parts[3].lower()
    cleaned = php_trim(html_escape(password))
    expected = _sha1_hex(salt + _sha1_hex(salt + _sha1_hex(cleaned)))
    return hmac.compare_digest(expected.encode(), digest.encode("utf-8", "surrogatepass"))


def _check_bounded_bcrypt(stored_hash: str, password: str) -> bool:
    return bcrypt_cost_ok(stored_hash) and _check_bcrypt(stored_hash, password)


def _legacy_check(stored_hash: str) -> Callable[[str, str], bool] | None:
    """The verifier of a legacy format, or None for argon2id (and anything unknown)."""
    if stored_hash.startswith(BCRYPT_PREFIXES):
        return _check_bounded_bcrypt
    if stored_hash.startswith(ABANTECART_PREFIX):
        return _check_abantecart
    return None
