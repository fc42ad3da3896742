"""Pure functions that turn input into the canonical forms stored and compared."""

from __future__ import annotations

import re
import unicodedata
import uuid as uuid_module

# The shape ajv-formats calls "email" (the check EverShop's schemas use), case-insensitive.
_EMAIL_RE = re.compile(
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$",
    re.IGNORECASE,
)
_HEX32_RE = re.compile(r"^[0-9a-fA-F]{32}$")
_HYPHENATED_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)


def fold(text: str) -> str:
    """Compatibility-normalise then case-fold, so visually equal strings compare equal."""
    return unicodedata.normalize("NFKC", text).casefold()


def clean_email(email: str) -> str:
    """The email as stored and shown: trimmed, original case kept."""
    return email.strip()


def email_key(email: str) -> str:
    """The key that decides email uniqueness and lookup."""
    # Trim after normalising: NFKC can turn a character into spaces (U+00B4 -> " \u0301").
    return fold(email).strip()


def login_key(login_name: str | None, email: str) -> str:
    """The key that decides login-name uniqueness; no login name means the email stands in."""
    return fold(login_name if login_name is not None else email).strip()


def is_email(text: str) -> bool:
    """True when ``text`` has the shape of an email address."""
    # fullmatch: ``$`` alone would also accept a trailing newline.
    return bool(_EMAIL_RE.fullmatch(text))


def parse_uuid(text: str) -> uuid_module.UUID | None:
    """Accept the hyphenated and the 32-hex forms; anything else is None."""
    # fullmatch: with ``match`` a trailing newline passed the check and then broke uuid.UUID.
    if not (_HYPHENATED_RE.fullmatch(text) or _HEX32_RE.fullmatch(text)):
        return None
    return uuid_module.UUID(text)


def split_full_name(full_name: str) -> tuple[str, str | None]:
    """Split at the last space: ("Ada Lovelace" -> "Ada", "Lovelace"); one word is a first name."""
    stripped = full_name.strip()
    first, sep, last = stripped.rpartition(" ")
    if not sep:
        return stripped, None
    return first.strip(), last


def join_names(first_name: str | None, last_name: str | None) -> str:
    """Rebuild a full name from its parts."""
    return f"{first_name or ''} {last_name or ''}".strip()


# PHP's trim() strips exactly these characters, not every Unicode space as str.strip() does.
PHP_TRIM_CHARACTERS = " \t\n\r\0\x0b"
_HTML_SPECIAL = str.maketrans({"&": "&amp;", '"': "&quot;", "<": "&lt;", ">": "&gt;"})


def php_trim(text: str) -> str:
    """``text`` without the leading and trailing characters PHP's ``trim()`` removes."""
    return text.strip(PHP_TRIM_CHARACTERS)


def html_escape(text: str) -> str:
    """PHP's ``htmlspecialchars(text, ENT_COMPAT)``: ``& " < >`` escaped, ``'`` kept, no
    check for existing entities (``&amp;`` becomes ``&amp;amp;``)."""
    return text.translate(_HTML_SPECIAL)


def escape_like(text: str) -> str:
    """Escape LIKE wildcards so a search term matches literally (escape character ``\\``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
