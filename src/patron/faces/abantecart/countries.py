"""AbanteCart's country and zone ids, mapped to ISO 3166-1 alpha-2 codes and zone codes.

The tables live in ``data/`` (where they came from is written at the top of each file) and
are read once, on first use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

DEFAULT_COUNTRY_ID = "223"  # United States: AbanteCart's config_country_id on install
SELECT_LABEL = " --- Please Select --- "


@dataclass(frozen=True)
class Country:
    """One AbanteCart country."""

    country_id: int
    iso2: str
    name: str


def _rows(name: str) -> list[list[str]]:
    text = (
        resources.files("patron.faces.abantecart")
        .joinpath("data")
        .joinpath(name)
        .read_text("utf-8")
    )
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@cache
def countries() -> tuple[Country, ...]:
    """Every country, in the order AbanteCart lists them (by name)."""
    return tuple(Country(int(cid), iso2, name) for cid, iso2, name in _rows("countries.tsv"))


@cache
def _by_id() -> dict[int, Country]:
    return {country.country_id: country for country in countries()}


@cache
def _zones() -> dict[int, dict[int, str]]:
    zones: dict[int, dict[int, str]] = {}
    for zone_id, country_id, code in _rows("zones.tsv"):
        zones.setdefault(int(country_id), {})[int(zone_id)] = code
    return zones


def country(country_id: int) -> Country | None:
    """The country with that id, if AbanteCart has it."""
    return _by_id().get(country_id)


def zones_of(country_id: int) -> dict[int, str]:
    """The zones of a country: zone id to zone code (empty for none)."""
    return _zones().get(country_id, {})


@cache
def options() -> dict[str, str]:
    """The ``country_id`` select options of the registration form, as AbanteCart sends them."""
    return {"FALSE": SELECT_LABEL, **{str(c.country_id): c.name for c in countries()}}
