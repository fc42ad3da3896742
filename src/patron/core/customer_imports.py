"""Bulk import and export of customers: other shops' columns mapped onto the canonical record.

An import row is checked with the registration rules (``customers.check_account_fields``) but
its password is never hashed: the other shop's hash is stored as it is and replaced by argon2id
at the customer's next sign-in. A row without a hash gets ``UNUSABLE_HASH`` (the customer
resets the password). Rows are upserted by ``(store_id, email_key)``: a re-run updates the
fields the file gives and never duplicates an account.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from patron.core import normalise
from patron.core.customers import MAX_TEXT, check_account_fields
from patron.core.entities import DEFAULT_GROUP_ID
from patron.core.errors import InvalidInput
from patron.core.passwords import ABANTECART_PREFIX, UNUSABLE_HASH, is_known_hash
from patron.core.ports import Clock, CustomerBulk

# Profile fields an import can set, beside email, names, login name, status, newsletter,
# password hash, uuid and creation time.
PROFILE_FIELDS = (
    "telephone",
    "fax",
    "mobile",
    "company",
    "vat_id",
    "salutation",
    "title",
    "website",
    "birthday",
    "language",
    "country",
    "address_1",
    "address_2",
    "address_3",
    "postcode",
    "city",
    "province",
)
NAME_FIELDS = ("full_name", "first_name", "last_name")
PATRON_FIELDS = (
    "uuid",
    "email",
    "login_name",
    *NAME_FIELDS,
    "status",
    "newsletter",
    *PROFILE_FIELDS,
    "created_at",
)
# What ``customers export`` writes, in order; ``password_hash`` only when asked for.
EXPORT_FIELDS = (*PATRON_FIELDS, "group_id", "updated_at")

# canonical field -> the source column of each platform's customer table or export.
FORMATS: dict[str, dict[str, str]] = {
    # EverShop table ``customer``.
    "evershop": {
        "uuid": "uuid",
        "email": "email",
        "full_name": "full_name",
        "status": "status",
        "password_hash": "password",
        "created_at": "created_at",
    },
    # AbanteCart table ``customers``; ``password`` and ``salt`` become one hash (see below).
    "abantecart": {
        "login_name": "loginname",
        "first_name": "firstname",
        "last_name": "lastname",
        "email": "email",
        "telephone": "telephone",
        "fax": "fax",
        "newsletter": "newsletter",
        "status": "status",
        "password_hash": "password",
        "created_at": "date_added",
    },
    # Magento 2 table ``customer_entity``.
    "magento2": {
        "email": "email",
        "first_name": "firstname",
        "last_name": "lastname",
        "salutation": "prefix",
        "birthday": "dob",
        "vat_id": "taxvat",
        "status": "is_active",
        "password_hash": "password_hash",
        "created_at": "created_at",
    },
    # WordPress ``wp_users`` joined with the first_name/last_name user meta (WooCommerce).
    "woocommerce": {
        "email": "user_email",
        "login_name": "user_login",
        "full_name": "display_name",
        "first_name": "first_name",
        "last_name": "last_name",
        "website": "user_url",
        "password_hash": "user_pass",
        "created_at": "user_registered",
    },
    # PrestaShop table ``ps_customer``.
    "prestashop": {
        "email": "email",
        "first_name": "firstname",
        "last_name": "lastname",
        "company": "company",
        "website": "website",
        "birthday": "birthday",
        "newsletter": "newsletter",
        "status": "active",
        "password_hash": "passwd",
        "created_at": "date_add",
    },
    "patron": {name: name for name in (*PATRON_FIELDS, "password_hash")},
}
_ZERO_DATES = frozenset({"0000-00-00", "0000-00-00 00:00:00"})
_TRUE = frozenset({"1", "true", "yes", "y", "on"})
_FALSE = frozenset({"0", "false", "no", "n", "off"})


@dataclass(frozen=True)
class RowProblem:
    """Why one row of an import was skipped: its line, the canonical field at fault, the reason."""

    line: int
    field: str
    reason: str


@dataclass(frozen=True)
class ImportRow:
    """One checked row: the column values to store, and which of them the file gave.

    ``given`` lists the columns an existing account gets updated; a new account gets all of
    ``values``.
    """

    line: int
    values: dict[str, Any]
    given: frozenset[str]

    @property
    def email_key(self) -> str:
        """The key the upsert matches on."""
        key: str = self.values["email_key"]
        return key


@dataclass
class ImportOutcome:
    """What one import did (or, dry, would do)."""

    inserted: int = 0
    updated: int = 0
    problems: list[RowProblem] = field(default_factory=list)


class _Bad(Exception):
    def __init__(self, name: str, reason: str) -> None:
        super().__init__(reason)
        self.field = name
        self.reason = reason


def _text(value: object, name: str) -> str | None:
    """A cell as text: JSON numbers become text, an empty cell is None."""
    if value.__class__ is str:  # nearly every cell: the quick way
        return value if value and not value.isspace() else None
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _Bad(name, f"{name} must be a string")
    text = value if isinstance(value, str) else str(value)
    return text if text.strip() else None


def _flag(value: object, name: str) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _Bad(name, f"{name} must be 0 or 1 (or true/false)")


def _status(value: object) -> int | None:
    """0 or 1; an unreadable value carries registration's message for a bad status."""
    try:
        flag = _flag(value, "status")
    except _Bad:
        raise _Bad("status", "Status must be either 0, 1, '0', or '1'") from None
    return None if flag is None else int(flag)


def _date(value: object, name: str) -> date | None:
    text = _text(value, name)
    if text is None or text.strip() in _ZERO_DATES:
        return None
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise _Bad(name, f"{name} must be a date (YYYY-MM-DD)") from None


def _moment(value: object, name: str) -> datetime | None:
    text = _text(value, name)
    if text is None or text.strip() in _ZERO_DATES:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise _Bad(name, f"{name} must be a date and time (YYYY-MM-DD HH:MM:SS)") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _password_hash(platform: str, values: Mapping[str, Any]) -> str | None:
    stored = _text(values.get(FORMATS[platform]["password_hash"]), "password_hash")
    if stored is None:
        return None
    stored = stored.strip()
    if platform == "abantecart":
        # AbanteCart keeps sha1(salt . sha1(salt . sha1(password))) and the salt apart.
        salt = _text(values.get("salt"), "salt")
        if salt is None:
            raise _Bad("password_hash", "an AbanteCart password needs its salt column")
        stored = f"{ABANTECART_PREFIX}{salt}${stored}"
    if len(stored) > MAX_TEXT or not is_known_hash(stored):
        raise _Bad("password_hash", "password_hash is not in a format patron verifies")
    return stored


def _names(given: Mapping[str, str | None]) -> dict[str, str | None]:
    """The name rule of DECISIONS.md over the names a row gives (empty cells give None)."""
    full, first, last = (given.get(name) for name in NAME_FIELDS)
    gives_parts = "first_name" in given or "last_name" in given
    if full is not None and not (first or last):
        first, last = normalise.split_full_name(full)
    elif gives_parts and full is None:
        full = normalise.join_names(first, last) or None
    return {"full_name": full, "first_name": first, "last_name": last}


def _read(platform: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The canonical fields a row gives, typed; raises ``_Bad`` for the first bad cell."""
    read: dict[str, Any] = {}
    for name, column in FORMATS[platform].items():
        if column not in values or name == "password_hash":
            continue
        raw = values[column]
        if name in ("status", "newsletter"):
            read[name] = _status(raw) if name == "status" else _flag(raw, name)
        elif name == "birthday":
            read[name] = _date(raw, name)
        elif name == "created_at":
            read[name] = _moment(raw, name)
        elif name == "uuid":
            text = _text(raw, name)
            read[name] = normalise.parse_uuid(text.strip()) if text else None
            if text and read[name] is None:
                raise _Bad("uuid", "uuid must be a UUID")
        else:
            read[name] = _text(raw, name)
    if FORMATS[platform]["password_hash"] in values:
        read["password_hash"] = _password_hash(platform, values)
    return read


def _columns(read: Mapping[str, Any], email: str, now: datetime) -> ImportRow:
    """The stored columns of a checked row, and the ones an update may change."""
    given = {"email", "email_key"} | (read.keys() & set(PROFILE_FIELDS))
    values: dict[str, Any] = {name: read.get(name) for name in PROFILE_FIELDS}
    if values["country"]:
        values["country"] = values["country"].upper()
    login_name = read.get("login_name")
    if login_name is not None and normalise.fold(login_name.strip()) == normalise.email_key(email):
        login_name = None  # "follow the email", as registration stores it
    values |= {
        "uuid": read.get("uuid") or uuid.uuid4(),
        "email": email,
        "email_key": normalise.email_key(email),
        "login_name": login_name,
        "login_key": normalise.login_key(login_name, email),
        "status": 1 if read.get("status") is None else read["status"],
        "newsletter": bool(read.get("newsletter")),
        "password_hash": read.get("password_hash") or UNUSABLE_HASH,
        "group_id": DEFAULT_GROUP_ID,
        "created_at": read.get("created_at") or now,
        "updated_at": now,
    }
    names = {name: read[name] for name in NAME_FIELDS if name in read}
    if names:
        values |= _names(names)
        values["name_key"] = normalise.fold(values["full_name"] or "")
        given |= {*NAME_FIELDS, "name_key"}
    else:
        values |= {"full_name": None, "first_name": None, "last_name": None, "name_key": ""}
    if "login_name" in read:
        given |= {"login_name", "login_key"}
    given |= {
        name for name in ("status", "newsletter", "password_hash") if read.get(name) is not None
    }
    return ImportRow(line=0, values=values, given=frozenset(given))


def check_row(platform: str, line: int, values: Mapping[str, Any], now: datetime) -> ImportRow:
    """Map one row of ``platform``'s columns onto the canonical record and check it.

    Raises ``InvalidInput`` naming the first field at fault (canonical field names).
    """
    try:
        read = _read(platform, values)
    except _Bad as exc:
        raise InvalidInput.one(exc.field, exc.reason) from None
    email = check_account_fields(
        email=read.get("email") or "",
        full_name=read.get("full_name"),
        login_name=read.get("login_name"),
        newsletter=bool(read.get("newsletter")),
        status=1 if read.get("status") is None else read["status"],
        profile={
            name: read[name]
            for name in (*PROFILE_FIELDS, *NAME_FIELDS)
            if read.get(name) is not None
        },
    )
    row = _columns(read, email, now)
    return ImportRow(line=line, values=row.values, given=row.given)


def _first_problem(line: int, exc: InvalidInput) -> RowProblem:
    first = exc.problems[0]
    return RowProblem(line, first.field, first.message)


def _keep_last(rows: Sequence[ImportRow], problems: list[RowProblem]) -> list[ImportRow]:
    """One row per email key and per login key: a later row replaces an earlier one."""
    by_email: dict[str, ImportRow] = {}
    for row in rows:
        earlier = by_email.pop(row.email_key, None)
        if earlier is not None:
            problems.append(
                RowProblem(earlier.line, "email", f"the same email comes again at line {row.line}")
            )
        by_email[row.email_key] = row
    kept: list[ImportRow] = []
    logins: dict[str, int] = {}
    for row in by_email.values():
        key = row.values["login_key"]
        if key in logins:
            problems.append(
                RowProblem(row.line, "login_name", f"line {logins[key]} already uses this login")
            )
            continue
        logins[key] = row.line
        kept.append(row)
    return kept


async def _drop_taken(
    bulk: CustomerBulk, store_id: int, rows: list[ImportRow], problems: list[RowProblem]
) -> tuple[list[ImportRow], Mapping[str, tuple[int, int, str]]]:
    """Rows whose login or uuid another account holds are reported, not stored."""
    existing = await bulk.existing(store_id, [row.email_key for row in rows])
    logins = await bulk.login_owners(store_id, [row.values["login_key"] for row in rows])
    uuids = await bulk.uuid_owners([row.values["uuid"] for row in rows])
    kept = []
    for row in rows:
        login_checked = row.email_key not in existing or "login_key" in row.given
        owner = logins.get(row.values["login_key"])
        if login_checked and owner is not None and owner != row.email_key:
            problems.append(RowProblem(row.line, "login_name", "another account uses this login"))
            continue
        holder = uuids.get(row.values["uuid"])
        if row.email_key not in existing and holder is not None:
            problems.append(RowProblem(row.line, "uuid", "another account has this uuid"))
            continue
        kept.append(row)
    return kept, existing


def _ends_sessions(row: ImportRow, before: tuple[int, int, str]) -> bool:
    """A disabled account or a changed password ends the customer's sessions."""
    _, status, password_hash = before
    disabled = "status" in row.given and row.values["status"] != 1 and status == 1
    return disabled or (
        "password_hash" in row.given and row.values["password_hash"] != password_hash
    )


async def import_customers(
    bulk: CustomerBulk,
    clock: Clock,
    *,
    store_id: int,
    rows: Sequence[ImportRow | RowProblem],
    dry_run: bool = False,
) -> ImportOutcome:
    """Upsert one batch of checked rows by ``(store_id, email_key)`` in one transaction.

    Problems already found while reading pass through; rows repeating an email or login of the
    batch, or taking another account's login name or uuid, are reported and skipped. With
    ``dry_run`` nothing is written but the counts are those a real run would give.
    """
    outcome = ImportOutcome(problems=[row for row in rows if isinstance(row, RowProblem)])
    checked = [row for row in rows if isinstance(row, ImportRow)]
    for row in checked:
        row.values["store_id"] = store_id
    kept, existing = await _drop_taken(
        bulk, store_id, _keep_last(checked, outcome.problems), outcome.problems
    )
    outcome.updated = sum(1 for row in kept if row.email_key in existing)
    outcome.inserted = len(kept) - outcome.updated
    ending = [
        existing[row.email_key][0]
        for row in kept
        if row.email_key in existing and _ends_sessions(row, existing[row.email_key])
    ]
    if not dry_run and kept:
        await bulk.upsert(
            store_id,
            [(row.values, row.given) for row in kept],
            end_sessions_of=ending,
            now=clock.now(),
        )
    outcome.problems.sort(key=lambda problem: problem.line)
    return outcome


def read_row(
    platform: str, line: int, values: Mapping[str, Any], now: datetime
) -> ImportRow | RowProblem:
    """``check_row``, with a bad row returned as its problem instead of raised."""
    try:
        return check_row(platform, line, values, now)
    except InvalidInput as exc:
        return _first_problem(line, exc)


def export_record(row: Mapping[str, Any]) -> dict[str, Any]:
    """One stored customer as the patron import format reads it (dates in ISO 8601)."""
    record: dict[str, Any] = {}
    for name, value in row.items():
        if isinstance(value, uuid.UUID):
            record[name] = str(value)
        elif isinstance(value, date):  # datetime too
            record[name] = value.isoformat()
        else:
            record[name] = value
    return record
