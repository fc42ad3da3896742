"""Opaque keyset cursors for the customer grid: the sort value and id of a row, in the URL."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime
from typing import Any

# What the key columns hold: a value beyond them is a made-up cursor, which the database would
# refuse to compare.
BIGINT, SMALLINT = 2**63, 2**15


def _fits(value: Any, bound: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and -bound <= value < bound


def encode(key: tuple[Any, int] | None) -> str:
    """The URL form of a row's key."""
    if key is None:
        return ""
    value, row_id = key
    plain = value.isoformat() if isinstance(value, datetime) else value
    raw = json.dumps([plain, row_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(text: str | None, order_by: str) -> tuple[Any, int] | None:
    """A row's key from its URL form; None for a missing or damaged cursor."""
    if not text or len(text) > 1000:
        return None
    try:
        value, row_id = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, binascii.Error, TypeError):
        return None
    if not _fits(row_id, BIGINT):
        return None
    if order_by == "created_at":
        try:
            value = datetime.fromisoformat(value)
        except (TypeError, ValueError):
            return None
        if value.tzinfo is None:  # written by hand: times are stored in UTC
            value = value.replace(tzinfo=UTC)
    elif order_by in ("customer_id", "status"):
        if not _fits(value, SMALLINT if order_by == "status" else BIGINT):
            return None
    elif not isinstance(value, str):
        return None
    return value, row_id
