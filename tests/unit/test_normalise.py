from __future__ import annotations

import uuid

import pytest

from patron.core import normalise


def test_email_key_trims_nfkc_normalises_and_casefolds() -> None:
    # Fullwidth letters (NFKC) and German sharp s (casefold, not lower) both collapse.
    assert normalise.email_key("  ＪＯＨＮ.Straße@Example.COM \t") == "john.strasse@example.com"


def test_email_key_makes_visually_equal_addresses_equal() -> None:
    assert normalise.email_key("Ａda@example.com") == normalise.email_key("ada@EXAMPLE.com")


def test_clean_email_trims_and_keeps_case() -> None:
    assert normalise.clean_email("  John.Smith@Example.com\n") == "John.Smith@Example.com"


def test_login_key_uses_the_login_name_when_there_is_one() -> None:
    assert normalise.login_key("  ＪSmith ", "john@example.com") == "jsmith"


def test_login_key_falls_back_to_the_email() -> None:
    assert normalise.login_key(None, " John@Example.com ") == "john@example.com"


def test_login_key_keeps_an_empty_login_name_rather_than_the_email() -> None:
    # Only NULL means "the current email"; an empty string is a (strange) login name.
    assert normalise.login_key("", "john@example.com") == ""


@pytest.mark.parametrize(
    "text",
    ["0b9e4f9e-6a6f-4c43-9c5a-2f4cf1c1a7d1", "0B9E4F9E-6A6F-4C43-9C5A-2F4CF1C1A7D1"],
)
def test_parse_uuid_accepts_the_hyphenated_form(text: str) -> None:
    assert normalise.parse_uuid(text) == uuid.UUID("0b9e4f9e-6a6f-4c43-9c5a-2f4cf1c1a7d1")


def test_parse_uuid_accepts_32_hex() -> None:
    assert normalise.parse_uuid("0b9e4f9e6a6f4c439c5a2f4cf1c1a7d1") == uuid.UUID(
        "0b9e4f9e-6a6f-4c43-9c5a-2f4cf1c1a7d1"
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not-a-uuid",
        "0b9e4f9e6a6f4c439c5a2f4cf1c1a7d",  # 31 hex
        "0b9e4f9e6a6f4c439c5a2f4cf1c1a7d1a",  # 33 hex
        "0b9e4f9e-6a6f-4c43-9c5a-2f4cf1c1a7dz",
        "{0b9e4f9e-6a6f-4c43-9c5a-2f4cf1c1a7d1}",  # uuid.UUID would take it
        "urn:uuid:0b9e4f9e-6a6f-4c43-9c5a-2f4cf1c1a7d1",  # so would this
        " 0b9e4f9e-6a6f-4c43-9c5a-2f4cf1c1a7d1",
        "0b9e4f9e-6a6f-4c43-9c5a-2f4cf1c1a7d1\n",
        "0b9e4f9e6a6f-4c43-9c5a-2f4cf1c1a7d1",
        "a" * 64,  # a session token is not a uuid
    ],
)
def test_parse_uuid_refuses_anything_else(text: str) -> None:
    assert normalise.parse_uuid(text) is None


@pytest.mark.parametrize(
    ("full_name", "expected"),
    [
        ("Ada Lovelace", ("Ada", "Lovelace")),
        ("Ada King Lovelace", ("Ada King", "Lovelace")),
        ("Ada", ("Ada", None)),
        ("  Ada  ", ("Ada", None)),
        ("  Ada   Lovelace  ", ("Ada", "Lovelace")),
        ("Jean  Paul   Sartre", ("Jean  Paul", "Sartre")),
    ],
)
def test_split_full_name_splits_at_the_last_space(
    full_name: str, expected: tuple[str, str | None]
) -> None:
    assert normalise.split_full_name(full_name) == expected


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("Ada", "Lovelace", "Ada Lovelace"),
        ("Ada", None, "Ada"),
        (None, "Lovelace", "Lovelace"),
        ("", "Lovelace", "Lovelace"),
        (None, None, ""),
    ],
)
def test_join_names_trims_missing_parts(first: str | None, last: str | None, expected: str) -> None:
    assert normalise.join_names(first, last) == expected


@pytest.mark.parametrize(
    "text",
    ["john@example.com", "John.Smith+shop@Example.co.uk", "a_b-c@sub-domain.example.org"],
)
def test_is_email_accepts_addresses(text: str) -> None:
    assert normalise.is_email(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "john",
        "john@",
        "@example.com",
        "john@example",
        "john@@example.com",
        "john smith@example.com",
        "john@-example.com",
        "john..smith@example.com",
        " john@example.com",
        "john@example.com\n",
    ],
)
def test_is_email_refuses_non_addresses(text: str) -> None:
    assert not normalise.is_email(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", "plain"),
        ("50%", "50\\%"),
        ("a_b", "a\\_b"),
        ("back\\slash", "back\\\\slash"),
        ("\\%_", "\\\\\\%\\_"),
    ],
)
def test_escape_like_escapes_wildcards_and_the_escape_character(text: str, expected: str) -> None:
    assert normalise.escape_like(text) == expected
