"""Password hashes imported from other shop platforms, verified in their own formats.

Each is checked on the password as typed (the platforms hashed it that way); a match is
re-hashed to argon2id by the caller. Cost parameters read from a stored hash are bounded, so a
crafted hash cannot stall a worker. Supported:

- WordPress phpass portable hashes ``$P$``/``$H$`` (iterated salted MD5);
- WordPress 6.8+ ``$wp$2y$…`` (bcrypt over base64(HMAC-SHA384(password, "wp-sha384")));
- Magento 2 ``hash:salt:version`` with versions 0 (md5), 1 (sha256) and 2 (argon2id13, libsodium's
  interactive limits), chained versions such as ``1:2``;
- PrestaShop 1.6 ``md5(COOKIE_KEY + password)`` (32 hex characters; needs the shop's cookie key).

bcrypt ``$2a$``/``$2b$``/``$2y$`` (EverShop, PrestaShop 1.7+) is handled by ``passwords.py``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

import bcrypt
from argon2.low_level import Type, hash_secret_raw

ITOA64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
MAX_PHPASS_LOG2 = 18
MAX_BCRYPT_COST = 14
MAGENTO_ARGON_OPS = 2
MAGENTO_ARGON_MEMORY_KIB = 65536  # libsodium's interactive limit, 64 MiB
_BCRYPT_COST = re.compile(r"^\$2[aby]\$(\d\d)\$")
_MAGENTO = re.compile(r"^([0-9a-f]{32}|[0-9a-f]{64}):([^:]{1,128}):([0-2](?::[0-2])*)$")
_PRESTASHOP_MD5 = re.compile(r"^[0-9a-f]{32}$")


def bcrypt_cost_ok(stored: str) -> bool:
    """True when a bcrypt hash's cost is within the bound."""
    found = _BCRYPT_COST.match(stored)
    return bool(found) and 4 <= int(found.group(1)) <= MAX_BCRYPT_COST  # type: ignore[union-attr]


def _encode64(raw: bytes, count: int) -> str:
    out = []
    i = 0
    while i < count:
        value = raw[i]
        i += 1
        out.append(ITOA64[value & 0x3F])
        if i < count:
            value |= raw[i] << 8
        out.append(ITOA64[(value >> 6) & 0x3F])
        if i >= count:
            break
        i += 1
        if i < count:
            value |= raw[i] << 16
        out.append(ITOA64[(value >> 12) & 0x3F])
        if i >= count:
            break
        i += 1
        out.append(ITOA64[(value >> 18) & 0x3F])
    return "".join(out)


def check_phpass(stored: str, password: str) -> bool:
    """WordPress' portable phpass hash: md5 iterated 2**log2 times over salt, then password."""
    if len(stored) != 34 or stored[:3] not in ("$P$", "$H$"):
        return False
    log2 = ITOA64.find(stored[3])
    if not 7 <= log2 <= MAX_PHPASS_LOG2:
        return False
    salt = stored[4:12].encode()
    secret = password.encode("utf-8", "surrogatepass")
    digest = hashlib.md5(salt + secret).digest()  # noqa: S324 - the legacy format is md5
    for _ in range(1 << log2):
        digest = hashlib.md5(digest + secret).digest()  # noqa: S324
    return hmac.compare_digest(stored[:12] + _encode64(digest, 16), stored)


def check_wordpress_bcrypt(stored: str, password: str) -> bool:
    """WordPress 6.8+: ``$wp`` + bcrypt of base64(HMAC-SHA384 of the password, key "wp-sha384")."""
    inner = stored[3:]
    if not stored.startswith("$wp$2") or not bcrypt_cost_ok(inner):
        return False
    mac = hmac.new(b"wp-sha384", password.encode("utf-8", "surrogatepass"), hashlib.sha384)
    prehashed = base64.b64encode(mac.digest())
    try:
        return bcrypt.checkpw(prehashed, inner.replace("$2y$", "$2b$", 1).encode("ascii"))
    except ValueError:
        return False


def _magento_argon(secret: bytes, salt: str) -> bytes:
    raw_salt = salt.encode()[:16]
    while len(raw_salt) < 16:  # Magento pads a short salt by repeating it
        raw_salt = (raw_salt + salt.encode())[:16]
    digest = hash_secret_raw(
        secret,
        raw_salt,
        time_cost=MAGENTO_ARGON_OPS,
        memory_cost=MAGENTO_ARGON_MEMORY_KIB,
        parallelism=1,
        hash_len=32,
        type=Type.ID,
    )
    return digest.hex().encode()


def check_magento(stored: str, password: str) -> bool:
    """Magento 2: each listed version hashes ``salt + previous`` (0 md5, 1 sha256, 2 argon2id13)."""
    found = _MAGENTO.match(stored)
    if not found:
        return False
    expected, salt, versions = found.groups()
    value = password.encode("utf-8", "surrogatepass")
    for version in versions.split(":"):
        if version == "0":
            value = hashlib.md5(salt.encode() + value).hexdigest().encode()  # noqa: S324
        elif version == "1":
            value = hashlib.sha256(salt.encode() + value).hexdigest().encode()
        else:
            value = _magento_argon(value, salt)
    return hmac.compare_digest(value, expected.encode())


def check_prestashop_md5(stored: str, password: str, cookie_key: str) -> bool:
    """PrestaShop 1.6: md5 of the shop's ``_COOKIE_KEY_`` followed by the password."""
    if not cookie_key or not _PRESTASHOP_MD5.match(stored):
        return False
    digest = hashlib.md5((cookie_key + password).encode("utf-8", "surrogatepass")).hexdigest()  # noqa: S324
    return hmac.compare_digest(digest, stored)


def is_legacy_hash(stored: str) -> bool:
    """True when ``stored`` has the shape of one of the formats above."""
    return (
        (len(stored) == 34 and stored.startswith(("$P$", "$H$")))
        or stored.startswith("$wp$2")
        or bool(_MAGENTO.match(stored) or _PRESTASHOP_MD5.match(stored))
    )


def check_legacy(stored: str, password: str, *, prestashop_cookie_key: str = "") -> bool | None:
    """Verify ``password`` against a legacy hash; None when the format is not one of these."""
    if stored.startswith(("$P$", "$H$")):
        return check_phpass(stored, password)
    if stored.startswith("$wp$"):
        return check_wordpress_bcrypt(stored, password)
    if _MAGENTO.match(stored):
        return check_magento(stored, password)
    if _PRESTASHOP_MD5.match(stored):
        return check_prestashop_md5(stored, password, prestashop_cookie_key)
    return None
