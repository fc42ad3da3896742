"""A synthetic dataset for benchmarks: customers with an address and order summaries.

Every customer gets the same argon2id hash (hashing a million passwords would take hours), so
each of them signs in with ``BENCH_PASSWORD``; ``BENCH_EMAIL`` is always present. Uuids are
``md5('patron-bench:' || customer_id)``, so a load tool (pgbench) can name a random customer
without a list. PostgreSQL is filled with COPY (asyncpg ``copy_records_to_table``), SQLite with
batched ``executemany`` on the standard-library driver.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import sqlite3
import unicodedata
import uuid as uuid_module
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.engine import make_url

from patron.core import normalise


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


BENCH_EMAIL = "bench@example.com"
BENCH_PASSWORD = "Bench-Pass-123"
BATCH = 20_000

FIRST_NAMES = _words(
    "Ada Alan Alice Amir Anna Arjun Beatriz Ben Carla Chen Chloé Dan Dmitri Elena Emma Fatima "
    "Felix Grace Hana Hugo Ines Isabel Jan Jonas José Julia Kai Karin Lars Lea Leila Liam Lucas "
    "Maria Mateo Mei Mia Mohammed Nadia Noah Nora Olga Omar Paul Priya Rafael Rosa Sam Sara Sofia "
    "Søren Tariq Tom Una Victor Wei Yara Yusuf Zoë Zofia Ángel Łukasz"
)
LAST_NAMES = _words(
    "Smith Jones Müller Schmidt García Martínez Rossi Russo Dubois Lefèvre Novak Kowalski "
    "Nowak Jensen Hansen Nielsen Andersson Johansson Silva Santos Costa Yilmaz Kaya Ivanov Petrov "
    "Kim Lee Park Wang Li Zhang Tanaka Suzuki Sato Khan Ali Ahmed Patel Singh Okafor Mensah "
    "O'Brien Murphy Walsh Brown Taylor Wilson Evans Thomas Johnson Roberts Walker Wright Clarke "
    "van Dijk de Vries Bakker Janssen Peeters Fischer Weber Meyer Wagner Becker Hoffmann"
)
PLACES = (
    ("GB", "London", "SW1A 1AA", "GBP"),
    ("DE", "Berlin", "10115", "EUR"),
    ("FR", "Lyon", "69001", "EUR"),
    ("US", "Portland", "97201", "USD"),
    ("ES", "Madrid", "28001", "EUR"),
    ("NL", "Utrecht", "3511", "EUR"),
    ("PL", "Kraków", "30-001", "PLN"),
    ("SE", "Malmö", "211 20", "SEK"),
    ("IT", "Torino", "10121", "EUR"),
    ("CA", "Toronto", "M5H 2N2", "CAD"),
)
STREETS = (
    "High Street",
    "Station Road",
    "Hauptstraße",
    "Rue de la Paix",
    "Calle Mayor",
    "Kerkstraat",
    "Main St",
)
DOMAINS = ("example.com", "example.org", "example.net", "mail.example", "shop.example")
STATUSES = ((1, "Pending"), (2, "Processing"), (3, "Shipped"), (5, "Complete"), (7, "Canceled"))


def bench_uuid(customer_id: int) -> uuid_module.UUID:
    """The uuid the seed gives customer ``customer_id`` (PostgreSQL:
    ``md5('patron-bench:' || id)::uuid``)."""
    return uuid_module.UUID(hashlib.md5(f"patron-bench:{customer_id}".encode()).hexdigest())  # noqa: S324


@dataclass
class Rows:
    """One batch of rows, column names first, in the order the tables are written."""

    customers: list[tuple[Any, ...]]
    addresses: list[tuple[Any, ...]]
    orders: list[tuple[Any, ...]]


CUSTOMER_COLUMNS = _words(
    "customer_id uuid store_id status group_id email email_key login_key password_hash "
    "full_name first_name last_name name_key telephone country address_1 postcode city "
    "newsletter meta_data created_ip created_at updated_at version"
)
ADDRESS_COLUMNS = _words(
    "customer_address_id uuid store_id customer_id full_name first_name last_name address_1 "
    "city postcode country telephone position is_default created_at updated_at"
)
ORDER_COLUMNS = _words(
    "customer_order_id store_id order_id customer_id status_id status_name date_added "
    "line_count total currency_code currency_rate symbol_left symbol_right decimal_place "
    "decimal_point thousand_point name created_at updated_at"
)


def generate(
    start_id: int,
    count: int,
    password_hash: str,
    *,
    include_known: bool,
    json_meta: Callable[[dict[str, Any]], Any],
    seed: int = 7,
) -> Iterator[Rows]:
    """Batches of ``count`` customers with ids from ``start_id``; addresses share the ids,
    orders get their own sequence. ``include_known`` makes the first one ``BENCH_EMAIL``."""
    rng = random.Random(seed + start_id)  # noqa: S311 - synthetic data, not secrets
    now = datetime.now(UTC).replace(microsecond=0)
    meta = json_meta({})
    order_id = start_id * 4
    end = start_id + count
    for batch_start in range(start_id, end, BATCH):
        rows = Rows([], [], [])
        for cid in range(batch_start, min(batch_start + BATCH, end)):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            full = f"{first} {last}"
            if include_known and cid == start_id:
                email = BENCH_EMAIL
            else:
                # ASCII local parts, as patron's own sign-up accepts (Zoë -> zoe).
                plain = unicodedata.normalize("NFKD", f"{first}.{last}").encode("ascii", "ignore")
                local = plain.decode().lower().replace(" ", "").replace("'", "")
                email = f"{local}.{cid}@{rng.choice(DOMAINS)}"
            country, city, postcode, currency = rng.choice(PLACES)
            street = f"{rng.randint(1, 250)} {rng.choice(STREETS)}"
            phone = f"+{rng.randint(10, 99)} {rng.randint(100000000, 999999999)}"
            created = now - timedelta(seconds=rng.randint(0, 5 * 365 * 86400))
            key = normalise.email_key(email)
            rows.customers.append(
                (
                    cid,
                    bench_uuid(cid),
                    1,
                    1 if rng.random() < 0.97 else 0,
                    1,
                    email,
                    key,
                    key,
                    password_hash,
                    full,
                    first,
                    last,
                    normalise.fold(full),
                    phone,
                    country,
                    street,
                    postcode,
                    city,
                    rng.random() < 0.3,
                    meta,
                    None,
                    created,
                    created,
                    1,
                )
            )
            rows.addresses.append(
                (
                    cid,
                    uuid_module.UUID(int=rng.getrandbits(128), version=4),
                    1,
                    cid,
                    full,
                    first,
                    last,
                    street,
                    city,
                    postcode,
                    country,
                    phone,
                    0,
                    True,
                    created,
                    created,
                )
            )
            for _ in range(rng.choice((0, 0, 1, 1, 1, 2, 3))):
                order_id += 1
                status_id, status_name = rng.choice(STATUSES)
                placed = created + timedelta(seconds=rng.randint(0, 86400 * 300))
                total = Decimal(rng.randint(500, 50000)) / 100
                rows.orders.append(
                    (
                        order_id,
                        1,
                        order_id,
                        cid,
                        status_id,
                        status_name,
                        placed,
                        rng.randint(1, 6),
                        total,
                        currency,
                        Decimal(1),
                        "",
                        f" {currency}",
                        2,
                        ".",
                        ",",
                        full,
                        placed,
                        placed,
                    )
                )
        yield rows


async def _seed_postgres(url: str, count: int, password_hash: str, progress: Any) -> int:
    import asyncpg  # noqa: PLC0415 - only needed for PostgreSQL

    parsed = make_url(url).set(drivername="postgresql")
    conn = await asyncpg.connect(parsed.render_as_string(hide_password=False))
    try:
        start = 1 + await conn.fetchval("SELECT coalesce(max(customer_id), 0) FROM customer")
        start = max(
            start,
            1
            + await conn.fetchval(
                "SELECT coalesce(max(customer_address_id), 0) FROM customer_address"
            ),
        )
        order_start = await conn.fetchval(
            "SELECT coalesce(max(customer_order_id), 0) FROM customer_order"
        )
        known = await conn.fetchval(
            "SELECT count(*) FROM customer WHERE store_id = 1 AND email_key = $1", BENCH_EMAIL
        )
        analysed = False
        for rows in generate(
            start, count, password_hash, include_known=not known, json_meta=json.dumps
        ):
            orders = [(order_start + r[0], *r[1:]) for r in rows.orders]
            async with conn.transaction():
                await conn.copy_records_to_table(
                    "customer", records=rows.customers, columns=CUSTOMER_COLUMNS
                )
                if not analysed:
                    # An empty table's statistics make the foreign-key checks of the following
                    # COPYs plan sequential scans of ``customer``; analyse once it has rows.
                    await conn.execute("ANALYZE customer")
                    analysed = True
                await conn.copy_records_to_table(
                    "customer_address", records=rows.addresses, columns=ADDRESS_COLUMNS
                )
                await conn.copy_records_to_table(
                    "customer_order", records=orders, columns=ORDER_COLUMNS
                )
            progress(len(rows.customers))
        for table, column in (
            ("customer", "customer_id"),
            ("customer_address", "customer_address_id"),
            ("customer_order", "customer_order_id"),
        ):
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "  # noqa: S608
                f"(SELECT coalesce(max({column}), 1) FROM {table}))"
            )
        # VACUUM as well as ANALYZE: the visibility map lets counts use index-only scans, and
        # autovacuum does not then wake up during the first measurements.
        for table in ("customer", "customer_address", "customer_order"):
            await conn.execute(f"VACUUM (ANALYZE) {table}")
        return count
    finally:
        await conn.close()


def _seed_sqlite(url: str, count: int, password_hash: str, progress: Any) -> int:
    path = make_url(url).database
    conn = sqlite3.connect(path or ":memory:")
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        start = 1 + conn.execute("SELECT coalesce(max(customer_id), 0) FROM customer").fetchone()[0]
        start = max(
            start,
            1
            + conn.execute(
                "SELECT coalesce(max(customer_address_id), 0) FROM customer_address"
            ).fetchone()[0],
        )
        order_start = conn.execute(
            "SELECT coalesce(max(customer_order_id), 0) FROM customer_order"
        ).fetchone()[0]
        known = conn.execute(
            "SELECT count(*) FROM customer WHERE store_id = 1 AND email_key = ?", (BENCH_EMAIL,)
        ).fetchone()[0]

        def sql(table: str, columns: Sequence[str]) -> str:
            marks = ", ".join("?" for _ in columns)
            return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608

        def plain(row: tuple[Any, ...]) -> tuple[Any, ...]:
            return tuple(_sqlite_value(v) for v in row)

        for rows in generate(
            start, count, password_hash, include_known=not known, json_meta=json.dumps
        ):
            with conn:
                conn.executemany(sql("customer", CUSTOMER_COLUMNS), map(plain, rows.customers))
                conn.executemany(
                    sql("customer_address", ADDRESS_COLUMNS), map(plain, rows.addresses)
                )
                conn.executemany(
                    sql("customer_order", ORDER_COLUMNS),
                    (plain((order_start + r[0], *r[1:])) for r in rows.orders),
                )
            progress(len(rows.customers))
        conn.execute("ANALYZE")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return count
    finally:
        conn.close()


def _sqlite_value(value: Any) -> Any:
    # The column types' SQLite forms: uuid as 32 hex digits, naive UTC timestamps, text decimals.
    if isinstance(value, uuid_module.UUID):
        return value.hex
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, Decimal):
        return str(value)
    return value


def seed(url: str, count: int, password_hash: str, progress: Any) -> int:
    """Add ``count`` customers to the (upgraded) database at ``url``; return how many."""
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        return _seed_sqlite(url, count, password_hash, progress)
    if backend in ("postgresql", "postgres"):
        return asyncio.run(_seed_postgres(url, count, password_hash, progress))
    raise ValueError(f"unsupported database URL scheme: {backend}")
