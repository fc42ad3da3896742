from __future__ import annotations

import hashlib
import unicodedata
from typing import Any

import bcrypt
import pytest
from argon2 import PasswordHasher as Argon2Hasher

from patron.core.errors import InvalidInput
from patron.core.passwords import (
    MAX_PASSWORD_LENGTH,
    Argon2Parameters,
    PasswordHasher,
    PasswordPolicy,
    Verification,
    check_password,
)
from tests.fakes import CHEAP_ARGON2, SpyHasher

pytestmark = pytest.mark.anyio

POLICY = PasswordPolicy()


def _bcrypt(password: str | bytes, prefix: str = "2b") -> str:
    """A legacy hash as EverShop (``$2a$``/``$2b$``) or PHP (``$2y$``) would have stored it."""
    secret = password.encode("utf-8") if isinstance(password, str) else password
    made = bcrypt.hashpw(
        secret, bcrypt.gensalt(rounds=4, prefix=b"2a" if prefix == "2a" else b"2b")
    )
    text = made.decode("ascii")
    return text.replace("$2b$", "$2y$", 1) if prefix == "2y" else text


# --- policy ---------------------------------------------------------------------------------


def test_seven_characters_are_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_password("a" * 7, POLICY)
    assert caught.value.field == "password"
    assert caught.value.message == "Password must be at least 8 characters"


def test_empty_password_is_refused_as_required() -> None:
    with pytest.raises(InvalidInput, match="Password is required and cannot be empty"):
        check_password("", POLICY)


@pytest.mark.parametrize("length", [8, 9, 1023, MAX_PASSWORD_LENGTH])
def test_lengths_from_8_to_1024_are_accepted(length: int) -> None:
    check_password("p" * length, POLICY)


def test_1025_characters_are_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_password("p" * 1025, POLICY)
    assert caught.value.message == "Password must be at most 1024 characters"


def test_the_field_name_is_the_callers() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_password("short", POLICY, field="new_password")
    assert caught.value.field == "new_password"


def test_the_minimum_comes_from_the_policy() -> None:
    with pytest.raises(InvalidInput, match="at least 12 characters"):
        check_password("p" * 11, PasswordPolicy(min_length=12))


def test_length_is_counted_after_nfkc_composition() -> None:
    # "e" + combining acute is two code points as typed, one ("é") after NFKC.
    decomposed = "e\u0301" * 4
    assert len(decomposed) == 8
    with pytest.raises(InvalidInput, match="at least 8"):
        check_password(decomposed, POLICY)


def test_length_is_counted_after_nfkc_expansion() -> None:
    # The "fi" ligature is one code point as typed and two after NFKC.
    ligatures = "\ufb01" * 4
    assert len(ligatures) == 4
    check_password(ligatures, POLICY)
    with pytest.raises(InvalidInput, match="at most 1024"):
        check_password("\ufb01" * 513, POLICY)


def test_spaces_count_and_are_not_trimmed() -> None:
    check_password("       x", POLICY)
    check_password("  abcd  ", POLICY)  # four letters: would be refused if trimmed


# --- argon2id -------------------------------------------------------------------------------


async def test_new_hashes_are_argon2id_with_the_given_parameters(hasher: SpyHasher) -> None:
    stored = await hasher.hash("correct horse")
    assert stored.startswith("$argon2id$")
    assert "$m=1024,t=1,p=1$" in stored
    assert await hasher.hash("correct horse") != stored  # salted


async def test_argon2id_round_trip(hasher: SpyHasher) -> None:
    stored = await hasher.hash("correct horse")
    good = await hasher.verify(stored, "correct horse")
    assert good.ok
    assert good.new_hash is None
    bad = await hasher.verify(stored, "correct horsE")
    assert not bad.ok
    assert bad.new_hash is None


async def test_spaces_are_part_of_the_password(hasher: SpyHasher) -> None:
    stored = await hasher.hash("  spaced out  ")
    assert (await hasher.verify(stored, "  spaced out  ")).ok
    assert not (await hasher.verify(stored, "spaced out")).ok
    assert not (await hasher.verify(stored, "  spaced out")).ok
    assert not (await hasher.verify(stored, "spaced out  ")).ok


async def test_argon2id_hashes_the_nfkc_form(hasher: SpyHasher) -> None:
    typed = "\ufb01nance-Ｐass"  # ligature and fullwidth letter
    stored = await hasher.hash(typed)
    assert (await hasher.verify(stored, unicodedata.normalize("NFKC", typed))).ok
    assert (await hasher.verify(stored, "finance-Pass")).ok
    assert not (await hasher.verify(stored, "finance-pass")).ok


async def test_argon2id_with_other_parameters_verifies_and_asks_for_a_rehash(
    hasher: SpyHasher,
) -> None:
    older = PasswordHasher(Argon2Parameters(memory_cost=2048, time_cost=1, parallelism=1))
    stored = await older.hash("correct horse")
    result = await hasher.verify(stored, "correct horse")
    assert result.ok
    assert result.new_hash is not None
    assert "$m=1024,t=1,p=1$" in result.new_hash
    assert (await hasher.verify(result.new_hash, "correct horse")) == Verification(ok=True)


@pytest.mark.parametrize("stored", ["", "plain-text-password", "$argon2id$garbage", "$2b$04$short"])
async def test_an_unreadable_stored_hash_fails_without_raising(
    hasher: SpyHasher, stored: str
) -> None:
    result = await hasher.verify(stored, "plain-text-password")
    assert not result.ok
    assert result.new_hash is None


# --- legacy bcrypt --------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["2a", "2b", "2y"])
async def test_bcrypt_hashes_verify_and_are_replaced_by_argon2id(
    hasher: SpyHasher, prefix: str
) -> None:
    stored = _bcrypt("legacy-Secret-1", prefix)
    assert stored.startswith(f"${prefix}$")
    result = await hasher.verify(stored, "legacy-Secret-1")
    assert result.ok
    assert result.new_hash is not None
    assert result.new_hash.startswith("$argon2id$")
    assert (await hasher.verify(result.new_hash, "legacy-Secret-1")).ok


@pytest.mark.parametrize("prefix", ["2a", "2b", "2y"])
async def test_bcrypt_wrong_password_fails_without_a_new_hash(
    hasher: SpyHasher, prefix: str
) -> None:
    result = await hasher.verify(_bcrypt("legacy-Secret-1", prefix), "legacy-Secret-2")
    assert not result.ok
    assert result.new_hash is None


async def test_bcrypt_is_checked_on_the_password_as_typed_without_nfkc(
    hasher: SpyHasher,
) -> None:
    stored = _bcrypt("\ufb01nance-pass")
    assert (await hasher.verify(stored, "\ufb01nance-pass")).ok
    assert not (await hasher.verify(stored, "finance-pass")).ok


async def test_bcrypt_uses_the_first_72_bytes(hasher: SpyHasher) -> None:
    password = "x" * 72 + "-tail"
    stored = _bcrypt(password.encode()[:72])
    result = await hasher.verify(stored, password)
    assert result.ok
    assert (await hasher.verify(stored, "x" * 72 + "-other tail")).ok
    assert not (await hasher.verify(stored, "y" + "x" * 71 + "-tail")).ok
    # The new hash covers the whole password, not just the 72 bytes bcrypt saw.
    assert result.new_hash is not None
    assert (await hasher.verify(result.new_hash, password)).ok
    assert not (await hasher.verify(result.new_hash, "x" * 72)).ok


async def test_bcrypt_72_bytes_may_cut_a_character_in_two(hasher: SpyHasher) -> None:
    password = "a" + "é" * 40  # 81 bytes; byte 72 is the first half of an "é"
    secret = password.encode("utf-8")[:72]
    with pytest.raises(UnicodeDecodeError):
        secret.decode("utf-8")
    result = await hasher.verify(_bcrypt(secret), password)
    assert result.ok


async def test_a_short_legacy_password_still_verifies_and_is_rehashed(hasher: SpyHasher) -> None:
    # The length policy is not applied to a legacy password that verified.
    result = await hasher.verify(_bcrypt("abc"), "abc")
    assert result.ok
    assert result.new_hash is not None


# --- the unknown-account path -------------------------------------------------------------


@pytest.fixture
def argon2_verify_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the hash given to every argon2 verification, then really verify it."""
    calls: list[str] = []
    real = Argon2Hasher.verify

    def counting(self: Argon2Hasher, hash: str | bytes, password: Any) -> bool:
        calls.append(hash if isinstance(hash, str) else hash.decode())
        return real(self, hash, password)

    monkeypatch.setattr(Argon2Hasher, "verify", counting)
    return calls


async def test_no_account_still_verifies_a_real_argon2id_hash(
    hasher: SpyHasher, argon2_verify_calls: list[str]
) -> None:
    result = await hasher.verify(None, "anything-at-all")
    assert result.ok is False
    assert result.new_hash is None
    assert len(argon2_verify_calls) == 1
    dummy = argon2_verify_calls[0]
    # Same algorithm and cost as a real account's hash, so the same work.
    real = await hasher.hash("anything-at-all")
    assert dummy.startswith("$argon2id$")
    assert dummy.split("$")[1:4] == real.split("$")[1:4]


async def test_no_account_fails_whatever_the_password(
    hasher: SpyHasher, argon2_verify_calls: list[str]
) -> None:
    for password in ["", "password", "x" * 1024]:
        assert (await hasher.verify(None, password)).ok is False
    assert len(argon2_verify_calls) == 3
    assert len(set(argon2_verify_calls)) == 1  # always the one dummy hash


async def test_a_known_account_costs_one_argon2_verification_too(
    argon2_verify_calls: list[str],
) -> None:
    hasher = PasswordHasher(CHEAP_ARGON2)
    stored = await hasher.hash("correct horse")
    await hasher.verify(stored, "wrong horse")
    assert argon2_verify_calls == [stored]


# --- text that is not valid UTF-8 ------------------------------------------------------------

LONE_SURROGATE = "\ud800-abcdefgh"  # what json.loads makes of "\ud800-abcdefgh"


async def test_a_lone_surrogate_hashes_and_verifies_without_raising(hasher: SpyHasher) -> None:
    # Once raised UnicodeEncodeError out of argon2 and bcrypt: a 500 at login and registration.
    stored = await hasher.hash(LONE_SURROGATE)
    assert (await hasher.verify(stored, LONE_SURROGATE)).ok
    assert not (await hasher.verify(stored, "\udc00-abcdefgh")).ok
    assert not (await hasher.verify(await hasher.hash("password"), LONE_SURROGATE)).ok
    assert not (await hasher.verify(None, LONE_SURROGATE)).ok
    assert not (await hasher.verify(_bcrypt("password"), LONE_SURROGATE)).ok


async def test_valid_text_still_hashes_as_utf8(hasher: SpyHasher) -> None:
    # The surrogate-safe encoding must not change what every other password hashes to.
    stored = await hasher.hash("pässwörd-€-\U0001f600")
    plain = Argon2Hasher(memory_cost=1024, time_cost=1, parallelism=1)
    assert plain.verify(stored, "pässwörd-€-\U0001f600")


async def test_no_truncation_the_73rd_byte_and_the_1024th_character_count(
    hasher: SpyHasher,
) -> None:
    stored = await hasher.hash("y" * 72 + "A")
    assert not (await hasher.verify(stored, "y" * 72 + "B")).ok
    long = await hasher.hash("z" * 1023 + "A")
    assert not (await hasher.verify(long, "z" * 1023 + "B")).ok
    assert (await hasher.verify(long, "z" * 1023 + "A")).ok


# --- AbanteCart's salted SHA-1 chain ----------------------------------------------------------


def _abantecart(password_as_cleaned: str, salt: str = "aB3dE6gH") -> str:
    """sha1(salt . sha1(salt . sha1(pw))) as AbanteCart 1.4.2 stores it, in patron's import form;
    ``password_as_cleaned`` is what AbanteCart hashed: HTML-escaped, then trimmed."""

    def sha1(text: str) -> str:
        return hashlib.sha1(text.encode()).hexdigest()  # noqa: S324 - the legacy format

    return f"$abantecart-sha1${salt}${sha1(salt + sha1(salt + sha1(password_as_cleaned)))}"


async def test_abantecart_hashes_verify_with_its_cleaning_and_are_replaced(
    hasher: SpyHasher,
) -> None:
    typed = '  a&b"<x> '
    stored = _abantecart("a&amp;b&quot;&lt;x&gt;")
    result = await hasher.verify(stored, typed)
    assert result.ok
    assert result.new_hash is not None
    assert result.new_hash.startswith("$argon2id$")
    # The new hash is of the password as typed, spaces included, never trimmed or escaped.
    assert (await hasher.verify(result.new_hash, typed)).ok
    assert not (await hasher.verify(result.new_hash, typed.strip())).ok


async def test_abantecart_trims_as_php_does(hasher: SpyHasher) -> None:
    stored = _abantecart("a&amp;b")
    assert (await hasher.verify(stored, "a&b")).ok
    assert (await hasher.verify(stored, "\t a&b \x0b\n")).ok
    assert not (await hasher.verify(stored, "\xa0a&b")).ok  # no-break space is not trimmed
    assert not (await hasher.verify(stored, "a&amp;b")).ok  # escaped again: &amp;amp;


@pytest.mark.parametrize(
    "stored",
    [
        "$abantecart-sha1$salt$" + "0" * 40,
        "$abantecart-sha1$$" + "0" * 40,
        "$abantecart-sha1$salt$abc",
        "$abantecart-sha1$salt$" + "é" * 40,
        "$abantecart-sha1$salt$x$" + "0" * 40,
    ],
)
async def test_abantecart_malformed_or_wrong_fails_without_raising(
    hasher: SpyHasher, stored: str
) -> None:
    assert await hasher.verify(stored, "secret") == Verification(ok=False)


async def test_abantecart_hash_is_case_insensitive_hex(hasher: SpyHasher) -> None:
    stored = _abantecart("secret")
    upper = stored[:-40] + stored[-40:].upper()
    assert (await hasher.verify(upper, "secret")).ok
