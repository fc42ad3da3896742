"""Imported hashes of other platforms verify and are replaced by argon2id.

Every vector is made here, by the reference algorithm written out independently (or by
libsodium through PyNaCl for Magento's argon2id13), never by the code under test.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

import bcrypt
import nacl.pwhash
import pytest

from patron.core.passwords import Argon2Parameters, PasswordHasher

pytestmark = pytest.mark.anyio
PASSWORD = "Tr0ub4dor &3 ünï"
ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def phpass(password: str, salt: str, log2: int, prefix: str = "$P$") -> str:
    """The portable phpass algorithm, written from its description."""
    digest = hashlib.md5(salt.encode() + password.encode()).digest()  # noqa: S324
    for _ in range(2**log2):
        digest = hashlib.md5(digest + password.encode()).digest()  # noqa: S324
    bits = int.from_bytes(digest, "little")  # 128 bits, read six at a time from the low end
    encoded = "".join(ALPHABET[(bits >> (6 * i)) & 63] for i in range(22))
    return f"{prefix}{ALPHABET[log2]}{salt}{encoded}"


@pytest.fixture
def hasher() -> PasswordHasher:
    return PasswordHasher(
        Argon2Parameters(memory_cost=1024, time_cost=1), prestashop_cookie_key="K3y-0f-th3-sh0p"
    )


async def _migrates(hasher: PasswordHasher, stored: str) -> None:
    wrong = await hasher.verify(stored, PASSWORD + "x")
    assert (wrong.ok, wrong.new_hash) == (False, None)
    right = await hasher.verify(stored, PASSWORD)
    assert right.ok
    assert right.new_hash is not None
    assert right.new_hash.startswith("$argon2id$")
    assert (await hasher.verify(right.new_hash, PASSWORD)).ok


@pytest.mark.parametrize("prefix", ["$P$", "$H$"])
async def test_wordpress_phpass(hasher: PasswordHasher, prefix: str) -> None:
    await _migrates(hasher, phpass(PASSWORD, "abcdEFGH", 8, prefix))


async def test_wordpress_68_bcrypt(hasher: PasswordHasher) -> None:
    mac = hmac.new(b"wp-sha384", PASSWORD.encode(), hashlib.sha384).digest()
    inner = bcrypt.hashpw(base64.b64encode(mac), bcrypt.gensalt(rounds=4)).decode()
    await _migrates(hasher, "$wp" + inner.replace("$2b$", "$2y$", 1))


@pytest.mark.parametrize(("version", "algorithm"), [("0", hashlib.md5), ("1", hashlib.sha256)])
async def test_magento_md5_and_sha256(
    hasher: PasswordHasher, version: str, algorithm: object
) -> None:
    salt = "8Mn4qW2zX"
    digest = algorithm((salt + PASSWORD).encode()).hexdigest()  # type: ignore[operator]
    await _migrates(hasher, f"{digest}:{salt}:{version}")


async def test_magento_argon2id13_through_libsodium(hasher: PasswordHasher) -> None:
    salt = "aB3dE6gH9jK2mN5p" + "qRsTuVwXyZ012345"  # 32 characters; libsodium reads 16 bytes
    raw = nacl.pwhash.argon2id.kdf(
        32,
        PASSWORD.encode(),
        salt.encode()[:16],
        opslimit=nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE,
        memlimit=nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE,
    )
    await _migrates(hasher, f"{raw.hex()}:{salt}:2")


async def test_magento_upgraded_chain_sha256_then_argon(hasher: PasswordHasher) -> None:
    salt = "aB3dE6gH9jK2mN5pqRsTuVwXyZ012345"
    first = hashlib.sha256((salt + PASSWORD).encode()).hexdigest()
    raw = nacl.pwhash.argon2id.kdf(
        32,
        first.encode(),
        salt.encode()[:16],
        opslimit=nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE,
        memlimit=nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE,
    )
    await _migrates(hasher, f"{raw.hex()}:{salt}:1:2")


async def test_prestashop_16_md5_with_the_cookie_key(hasher: PasswordHasher) -> None:
    stored = hashlib.md5(("K3y-0f-th3-sh0p" + PASSWORD).encode()).hexdigest()  # noqa: S324
    await _migrates(hasher, stored)
    keyless = PasswordHasher(Argon2Parameters(memory_cost=1024, time_cost=1))
    assert not (await keyless.verify(stored, PASSWORD)).ok


async def test_prestashop_17_bcrypt(hasher: PasswordHasher) -> None:
    stored = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()
    await _migrates(hasher, stored.replace("$2b$", "$2y$", 1))


async def test_crafted_costs_are_refused_without_work(hasher: PasswordHasher) -> None:
    valid = phpass(PASSWORD, "abcdEFGH", 8)
    huge_phpass = valid[:3] + ALPHABET[30] + valid[4:]  # 2**30 rounds asked for
    huge_bcrypt = "$2b$31$" + "a" * 53
    for stored in (huge_phpass, huge_bcrypt, "$wp" + huge_bcrypt):
        assert not (await hasher.verify(stored, PASSWORD)).ok
