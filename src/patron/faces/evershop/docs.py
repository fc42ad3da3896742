"""Request-body schemas shown in the OpenAPI document.

Bodies are parsed by hand so that every error keeps EverShop's envelope and wording; these
models only describe them to readers of ``/docs``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Doc(BaseModel):
    model_config = ConfigDict(extra="allow")


class Credentials(_Doc):
    """Email and password."""

    email: str = Field(examples=["jane@example.com"])
    password: str


class Refresh(_Doc):
    """A refresh token from a tokens call."""

    refreshToken: str  # noqa: N815 - EverShop's member name


class CustomerCreate(_Doc):
    """A new customer. ``status`` and ``group_id`` are honoured only for admins."""

    email: str
    password: str
    full_name: str
    status: Literal["0", "1", 0, 1] | None = None
    group_id: int | None = None


class CustomerUpdate(_Doc):
    """Fields an admin may change."""

    email: str | None = None
    password: str | None = None
    full_name: str | None = None
    status: Literal["0", "1", 0, 1] | None = None
    group_id: int | None = None


class ProfileUpdate(_Doc):
    """Fields a customer may change of itself."""

    email: str | None = None
    full_name: str | None = None


class Metafields(_Doc):
    """Key/value pairs merged into the customer's meta data; null removes a key."""

    metafields: dict[str, Any]


class Address(_Doc):
    """An address; ``full_name``, ``address_1``, ``province``, ``country`` and ``postcode`` are
    required on creation."""

    full_name: str | None = None
    telephone: str | None = None
    address_1: str | None = None
    address_2: str | None = None
    city: str | None = None
    province: str | None = None
    country: str | None = Field(None, description="ISO 3166-1 alpha-2")
    postcode: str | None = None
    is_default: bool | None = None


class EmailOnly(_Doc):
    """An email address."""

    email: str


class TokenOnly(_Doc):
    """A token from an emailed link."""

    token: str


class PasswordReset(_Doc):
    """A reset token and the new password."""

    token: str
    password: str


class OrderSummary(_Doc):
    """A shop's summary of one order (the order id is in the path). ``total`` is in the shop's
    default currency; ``currency_rate`` converts it for display, formatted with the symbols
    and separators given. A PUT replaces every field: omitted ones take their defaults."""

    status_id: int = Field(description="0 hides the order from the storefront history")
    status_name: str | None = Field(None, examples=["Pending"])
    date_added: str | None = Field(None, examples=["2026-05-07 10:00:00"])
    line_count: int = Field(0, description="number of order lines")
    total: str | float = Field(examples=["1234.50"])
    currency_code: str = Field(examples=["USD"])
    currency_rate: str | float = 1
    symbol_left: str = Field("", examples=["$"])
    symbol_right: str = ""
    decimal_place: int = Field(2, ge=0, le=8)
    decimal_point: str = "."
    thousand_point: str = ","
    name: str = Field("", description="the customer's name as captured on the order")


def body(model: type[BaseModel]) -> dict[str, Any]:
    """``openapi_extra`` that documents a JSON request body of ``model``'s shape."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": model.model_json_schema()}},
        }
    }
