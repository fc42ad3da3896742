"""Property tests: the password policy and the normalisation rules hold for any input."""

from __future__ import annotations

import string
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patron.core import normalise
from patron.core.errors import InvalidInput
from patron.core.passwords import PasswordPolicy, check_password, common_passwords

POLICY = PasswordPolicy(min_length=8, blocklist=False)
FAST = settings(max_examples=200, deadline=None, database=None)


@FAST
@given(
    st.text(min_size=8, max_size=64).filter(lambda t: len(unicodedata.normalize("NFKC", t)) >= 8)
)
def test_no_composition_rules_any_long_enough_text_is_accepted(password: str) -> None:
    check_password(password, POLICY)


@FAST
@given(st.text(alphabet=string.ascii_lowercase, min_size=8, max_size=40))
def test_single_class_passwords_are_fine(password: str) -> None:
    check_password(password, POLICY)


@FAST
@given(st.text(max_size=7).filter(lambda t: len(unicodedata.normalize("NFKC", t)) < 8))
def test_shorter_than_the_minimum_is_refused(password: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_password(password, POLICY)
    assert caught.value.field == "password"


@FAST
@given(st.text(min_size=1, max_size=30))
def test_email_key_is_idempotent_and_ignores_case_and_outer_spaces(text: str) -> None:
    key = normalise.email_key(text)
    assert normalise.email_key(key) == key
    assert normalise.email_key(f"  {text.upper()} ") == normalise.email_key(text.upper())


NAME = st.text(min_size=1, max_size=20).map(str.strip).filter(bool)


@FAST
@given(NAME, NAME.filter(lambda t: " " not in t))
def test_joining_then_splitting_names_gives_them_back(first: str, last: str) -> None:
    assert normalise.split_full_name(normalise.join_names(first, last)) == (first, last)


def test_sixty_four_and_1024_characters_are_accepted_1025_is_not() -> None:
    check_password("x" * 64, POLICY)
    check_password("x" * 1024, POLICY)
    with pytest.raises(InvalidInput):
        check_password("x" * 1025, POLICY)


def test_the_blocklist_holds_at_least_ten_thousand_entries() -> None:
    assert len(common_passwords()) >= 10_000


@pytest.mark.parametrize("password", ["password1", "iloveyou", "PASSWORD123", "qwertyuiop"])
def test_common_passwords_are_refused_with_a_reason(password: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_password(password, PasswordPolicy(min_length=8))
    assert caught.value.message == "Password is too common; choose one that is harder to guess"


def test_the_blocklist_can_be_switched_off() -> None:
    check_password("password1", PasswordPolicy(min_length=8, blocklist=False))
