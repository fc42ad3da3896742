"""The ``patron`` command: serve, migrate the database, manage admin users, import orders."""

from __future__ import annotations

import asyncio
import csv
import itertools
import json
import os
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer
import uvicorn

from patron.core import admins, audit, auth, customer_imports, normalise, orders, privacy
from patron.core.audit import Actor
from patron.core.errors import DomainError
from patron.core.passwords import Argon2Parameters, PasswordHasher
from patron.core.policies import Role
from patron.faces._shared.services import Services
from patron.settings import Settings
from patron.storage import seed
from patron.storage.customer_bulk import SqlCustomerBulk, stream_customers
from patron.storage.db import make_engine

if TYPE_CHECKING:
    from alembic.config import Config

app = typer.Typer(
    help="patron: customer accounts for online shops.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
admin_app = typer.Typer(help="Admin users.", no_args_is_help=True)
orders_app = typer.Typer(no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(admin_app, name="admin")
app.add_typer(orders_app, name="orders")
customers_app = typer.Typer(help="Customer accounts.", no_args_is_help=True)
app.add_typer(customers_app, name="customers")
bench_app = typer.Typer(help="Benchmark tools.", no_args_is_help=True)
app.add_typer(bench_app, name="bench")


@orders_app.callback()
def orders_group() -> None:
    """Order summaries, shown to customers as their order history."""
    # A callback keeps "import" a subcommand: Typer would fold a lone command into the group.


ROOT = Path(__file__).resolve().parents[2]


def log_config(log_format: str) -> dict[str, object]:
    """Logging for ``serve``: one JSON object per line (or plain text), each with a request id.

    uvicorn's own access log prints raw paths and queries, so it is off; patron's middleware
    writes the access log with credentials redacted.
    """
    formatters = {
        "json": {
            "()": "pythonjsonlogger.orjson.OrjsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "patron.faces._shared.middleware.RequestIdFilter"}},
        "formatters": {"main": formatters[log_format]},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "main",
                "filters": ["request_id"],
            }
        },
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "patron": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        },
    }


def alembic_config(url: str) -> Config:
    """Alembic configuration for ``url``, independent of the working directory."""
    from alembic.config import Config  # noqa: PLC0415 - only for migrations: smaller workers

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["url"] = url
    return config


def upgrade_database(url: str) -> None:
    """Bring the database at ``url`` to the newest schema (callable with or without a loop)."""
    from alembic import command  # noqa: PLC0415 - as above

    config = alembic_config(url)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        command.upgrade(config, "head")
        return
    # Alembic's environment runs its own event loop, so give it a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(command.upgrade, config, "head").result()


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration to PATRON_DATABASE_URL."""
    settings = Settings()
    upgrade_database(settings.database_url)
    typer.echo("database is up to date")


async def _admin_count(settings: Settings) -> int:
    services = Services.build(settings)
    try:
        return len(await admins.list_admins(services.uow()))
    finally:
        await services.close()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
) -> None:
    """Serve the HTTP API (uvicorn). Proxy headers are applied only from PATRON_TRUSTED_PROXIES."""
    settings = Settings()
    settings.resolved_jwt_secret()
    if asyncio.run(_admin_count(settings)) == 0:
        typer.echo(
            "No admin user exists yet. Create one with:\n"
            "  .venv/bin/patron admin create admin@example.com\n",
            err=True,
        )
    if workers > 1 and not settings.hash_threads:
        # The workers share the cores: hashing threads beyond one per core only add argon2id
        # working memory (19 MiB each) and contention.
        per_worker = max(1, (os.cpu_count() or 1) // workers)
        os.environ["PATRON_HASH_THREADS"] = str(per_worker)
    uvicorn.run(
        "patron.main:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=False,
        server_header=False,
        access_log=False,
        log_config=log_config(settings.log_format),
    )


def _read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


async def _create_admin(settings: Settings, email: str, password: str, role: str) -> str:
    services = Services.build(settings)
    try:
        admin = await admins.create_admin(
            services.uow(),
            services.hasher,
            services.clock,
            email=email,
            password=password,
            role=role,
            policy=services.passwords,
        )
        return f"created {admin.role} {admin.email} ({admin.uuid})"
    finally:
        await services.close()


@admin_app.command("create")
def admin_create(
    email: Annotated[str, typer.Argument(help="The admin's email, used to sign in.")],
    role: Annotated[Role, typer.Option(help="administrator or support.")] = Role.administrator,
) -> None:
    """Create an admin user. The password is read from stdin, or prompted for twice."""
    settings = Settings()
    password = _read_password()
    try:
        typer.echo(asyncio.run(_create_admin(settings, email, password, role.value)))
    except DomainError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(1) from None


async def _list_admins(settings: Settings) -> list[str]:
    services = Services.build(settings)
    try:
        found = await admins.list_admins(services.uow())
    finally:
        await services.close()
    return [
        f"{a.email}\t{a.role}\t{'enabled' if a.status == 1 else 'disabled'}\t{a.uuid}"
        for a in found
    ]


@admin_app.command("list")
def admin_list() -> None:
    """List admin users: email, role, status, uuid."""
    for line in asyncio.run(_list_admins(Settings())):
        typer.echo(line)


JSON_LINE_SUFFIXES = (".jsonl", ".ndjson", ".json")
Row = orders.OrderImport | orders.ImportProblem


def _is_json_lines(path: Path) -> bool:
    if path.suffix.lower() in JSON_LINE_SUFFIXES:
        return True
    if path.suffix.lower() == ".csv":
        return False
    with path.open(encoding="utf-8-sig") as handle:
        for line in handle:
            if line.strip():
                return line.lstrip().startswith("{")
    return False


def _order_import(line: int, values: dict[str, Any]) -> orders.OrderImport:
    def text(key: str) -> str | None:
        value = values.get(key)
        return str(value).strip() or None if value is not None else None

    return orders.OrderImport(
        line=line,
        values=values,
        customer_uuid=text("customer_uuid"),
        customer_email=text("customer_email"),
    )


def _json_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                values = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, f"not JSON: {exc.msg}"
                continue
            if not isinstance(values, dict):
                yield number, "a line must be a JSON object"
                continue
            yield number, values


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        for values in reader:
            line = reader.line_num
            if None in values:
                yield line, "more cells than columns"
                continue
            yield line, {k: v for k, v in values.items() if v is not None}


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """The rows of a CSV file (with a header line) or a JSON-lines file, numbered by line;
    a row that cannot be read comes as its problem (a string)."""
    return _json_rows(path) if _is_json_lines(path) else _csv_rows(path)


def read_order_rows(path: Path) -> Iterator[Row]:
    """The order rows of a CSV or JSON-lines file, numbered by line."""
    for line, values in read_rows(path):
        if isinstance(values, str):
            yield orders.ImportProblem(line, values)
        else:
            yield _order_import(line, values)


async def _import_orders(
    settings: Settings, path: Path, store_id: int, batch_size: int, progress: Any
) -> tuple[int, list[orders.ImportProblem]]:
    services = Services.build(settings)
    problems: list[orders.ImportProblem] = []
    stored = 0
    batch: list[orders.OrderImport] = []

    async def flush() -> None:
        nonlocal stored
        found = await orders.import_orders(
            services.uow(), services.clock, store_id=store_id, rows=batch
        )
        problems.extend(found)
        stored += len(batch) - len(found)
        progress.update(len(batch))
        batch.clear()

    try:
        for row in read_order_rows(path):
            if isinstance(row, orders.ImportProblem):
                problems.append(row)
                progress.update(1)
                continue
            batch.append(row)
            if len(batch) >= batch_size:
                await flush()
        if batch:
            await flush()
    finally:
        await services.close()
    return stored, sorted(problems, key=lambda p: p.line)


def _count_rows(path: Path) -> int:
    with path.open(encoding="utf-8-sig") as handle:
        lines = sum(1 for line in handle if line.strip())
    return lines if _is_json_lines(path) else max(0, lines - 1)


@orders_app.command("import")
def orders_import(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV or JSON lines.")],
    store_id: Annotated[int, typer.Option(min=1, help="Store the orders belong to.")] = 1,
    batch_size: Annotated[int, typer.Option(min=1, help="Rows per transaction.")] = 500,
) -> None:
    """Import order summaries from a CSV (header line first) or JSON-lines file.

    Orders are upserted by order_id. Columns: order_id, status_id, total, currency_code and
    customer_uuid or customer_email; optional status_name, date_added, line_count,
    currency_rate, symbol_left, symbol_right, decimal_place, decimal_point, thousand_point,
    name. Lines that cannot be stored are listed on stderr, and the exit code is then 1.
    """
    settings = Settings()
    with typer.progressbar(length=_count_rows(file), label="importing", file=sys.stderr) as bar:
        stored, problems = asyncio.run(_import_orders(settings, file, store_id, batch_size, bar))
    for problem in problems:
        typer.echo(f"line {problem.line}: {problem.message}", err=True)
    typer.echo(f"imported {stored} orders, skipped {len(problems)}")
    if problems:
        raise typer.Exit(1)


class Platform(StrEnum):
    """The column layouts ``customers import`` reads."""

    evershop = "evershop"
    abantecart = "abantecart"
    magento2 = "magento2"
    woocommerce = "woocommerce"
    prestashop = "prestashop"
    patron = "patron"


class ExportFormat(StrEnum):
    """What ``customers export`` writes."""

    csv = "csv"
    jsonl = "jsonl"


async def _import_customers(
    settings: Settings, path: Path, options: dict[str, Any], progress: Any
) -> customer_imports.ImportOutcome:
    services = Services.build(settings)
    bulk = SqlCustomerBulk(services.engine)
    total = customer_imports.ImportOutcome()
    now = services.clock.now().replace(microsecond=0)

    async def flush(batch: list[customer_imports.ImportRow | customer_imports.RowProblem]) -> None:
        done = await customer_imports.import_customers(
            bulk,
            services.clock,
            store_id=options["store_id"],
            rows=batch,
            dry_run=options["dry_run"],
        )
        total.inserted += done.inserted
        total.updated += done.updated
        total.problems.extend(done.problems)
        progress.update(len(batch))

    lines = read_rows(path)

    def read_batch() -> list[customer_imports.ImportRow | customer_imports.RowProblem]:
        batch: list[customer_imports.ImportRow | customer_imports.RowProblem] = []
        for line, values in itertools.islice(lines, options["batch_size"]):
            if isinstance(values, str):
                batch.append(customer_imports.RowProblem(line, "", values))
            else:
                batch.append(customer_imports.read_row(options["platform"], line, values, now))
        return batch

    # Reading and checking the next batch (a thread) overlaps with writing this one: batches
    # still reach the database one after another, in file order.
    try:
        batch = await asyncio.to_thread(read_batch)
        while batch:
            following = asyncio.ensure_future(asyncio.to_thread(read_batch))
            try:
                await flush(batch)
            except BaseException:
                following.cancel()
                raise
            batch = await following
    finally:
        await services.close()
    return total


@customers_app.command("import")
def customers_import(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV or JSON lines.")],
    platform: Annotated[
        Platform, typer.Option("--format", help="Whose column names the file uses.")
    ] = Platform.patron,
    dry_run: Annotated[bool, typer.Option(help="Check and count, write nothing.")] = False,
    store_id: Annotated[int, typer.Option(min=1, help="Store the customers belong to.")] = 1,
    batch_size: Annotated[int, typer.Option(min=1, help="Rows per transaction.")] = 5000,
) -> None:
    """Import customers from another shop's export (CSV with a header line, or JSON lines).

    Rows are upserted by email: a re-run updates, never duplicates. Password hashes are kept
    as they are and become argon2id at the customer's next sign-in; a row without one gets an
    unusable password (the customer resets it). Bad rows are listed on stderr (line, field,
    reason) while the good ones go in; the exit code is then 1.
    """
    settings = Settings()
    options = {
        "platform": platform.value,
        "dry_run": dry_run,
        "store_id": store_id,
        "batch_size": batch_size,
    }
    with typer.progressbar(length=_count_rows(file), label="importing", file=sys.stderr) as bar:
        started = time.perf_counter()
        done = asyncio.run(_import_customers(settings, file, options, bar))
        seconds = time.perf_counter() - started
    rows = done.inserted + done.updated + len(done.problems)
    typer.echo(f"read {rows} rows in {seconds:.1f} s ({rows / seconds:,.0f} rows/s)", err=True)
    for problem in done.problems:
        where = f" {problem.field}" if problem.field else ""
        typer.echo(f"line {problem.line}{where}: {problem.reason}", err=True)
    verb = "would insert" if dry_run else "inserted"
    typer.echo(
        f"{verb} {done.inserted}, {'would update' if dry_run else 'updated'} {done.updated}, "
        f"skipped {len(done.problems)}"
    )
    if done.problems:
        raise typer.Exit(1)


async def _export_customers(
    settings: Settings, out: TextIO, *, store_id: int, kind: ExportFormat, hashes: bool
) -> None:
    columns = [*customer_imports.EXPORT_FIELDS, *(["password_hash"] if hashes else [])]
    engine = make_engine(settings.database_url)
    writer = csv.DictWriter(out, fieldnames=columns) if kind is ExportFormat.csv else None
    if writer is not None:
        writer.writeheader()
    try:
        async for row in stream_customers(engine, store_id=store_id, columns=columns):
            record = customer_imports.export_record(row)
            if writer is not None:
                writer.writerow(record)
            else:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        await engine.dispose()


@customers_app.command("export")
def customers_export(
    kind: Annotated[ExportFormat, typer.Option("--format", help="csv or jsonl.")] = (
        ExportFormat.csv
    ),
    output: Annotated[
        Path | None, typer.Option(dir_okay=False, help="File to write (default: stdout).")
    ] = None,
    store_id: Annotated[int, typer.Option(min=1, help="Store to export.")] = 1,
    with_password_hashes: Annotated[
        bool, typer.Option(help="Include the stored password hashes (off unless given).")
    ] = False,
) -> None:
    """Stream every customer of a store in the patron import format, in constant memory."""
    settings = Settings()
    if output is None:
        asyncio.run(
            _export_customers(
                settings, sys.stdout, store_id=store_id, kind=kind, hashes=with_password_hashes
            )
        )
        return
    with output.open("w", encoding="utf-8", newline="") as handle:
        asyncio.run(
            _export_customers(
                settings, handle, store_id=store_id, kind=kind, hashes=with_password_hashes
            )
        )


async def _unlock(settings: Settings, email: str) -> bool:
    services = Services.build(settings)
    try:
        async with services.uow() as uow:
            found = await uow.customers.get_by_email_key(1, normalise.email_key(email))
        if found is None:
            return False
        await auth.release_lockout(
            services.uow(),
            services.clock,
            services.throttle,
            store_id=found.store_id,
            customer_uuid=found.uuid,
            actor=Actor("system:cli"),
        )
        return True
    finally:
        await services.close()


async def _privacy(settings: Settings, customer: str, erase: bool) -> dict[str, Any] | None:
    services = Services.build(settings)
    parsed = normalise.parse_uuid(customer)
    try:
        if parsed is None:
            return None
        actor = Actor("system:cli")
        if erase:
            await privacy.erase_customer(
                services.uow(), services.clock, store_id=1, customer_uuid=parsed, actor=actor
            )
            return {}
        return await privacy.export_customer(
            services.uow(), services.clock, store_id=1, customer_uuid=parsed, actor=actor
        )
    except DomainError:
        return None
    finally:
        await services.close()


@customers_app.command("export-data")
def customers_export_data(
    customer: Annotated[str, typer.Argument(help="The customer's uuid.")],
) -> None:
    """Print everything stored about one customer as JSON (recorded in the audit log)."""
    document = asyncio.run(_privacy(Settings(), customer, erase=False))
    if document is None:
        typer.echo("error: no customer has this uuid", err=True)
        raise typer.Exit(1)
    typer.echo(json.dumps(document, ensure_ascii=False, indent=2))


@customers_app.command("erase")
def customers_erase(
    customer: Annotated[str, typer.Argument(help="The customer's uuid.")],
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: this cannot be undone.")] = False,
) -> None:
    """Erase one customer's personal data (orders stay, unlinked; recorded in the audit log)."""
    if not yes:
        typer.echo("error: erasing cannot be undone; add --yes to confirm", err=True)
        raise typer.Exit(2)
    if asyncio.run(_privacy(Settings(), customer, erase=True)) is None:
        typer.echo("error: no customer has this uuid", err=True)
        raise typer.Exit(1)
    typer.echo(f"erased customer {customer}")


@customers_app.command("unlock")
def customers_unlock(
    email: Annotated[str, typer.Argument(help="The customer's email.")],
) -> None:
    """Lift a customer's sign-in backoff or lockout (recorded in the audit log)."""
    if not asyncio.run(_unlock(Settings(), email)):
        typer.echo("error: no customer has this email", err=True)
        raise typer.Exit(1)
    typer.echo(f"released the sign-in lockout of {email}")


audit_app = typer.Typer(help="The audit log.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


async def _export_audit(settings: Settings, out: Any) -> int:
    services = Services.build(settings)
    written = 0
    before: int | None = None
    try:
        while True:
            entries = await audit.search(services.uow(), before_id=before, limit=1000)
            for entry in entries:
                out.write(
                    json.dumps(
                        {
                            "id": entry.audit_id,
                            "at": entry.at.isoformat(),
                            "actor": entry.actor,
                            "action": entry.action,
                            "customer_id": entry.customer_id,
                            "store_id": entry.store_id,
                            "changes": entry.changes,
                            "ip": entry.ip,
                            "face": entry.face,
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
                written += 1
            if len(entries) < 1000:
                return written
            before = entries[-1].audit_id
    finally:
        await services.close()


@audit_app.command("export")
def audit_export(
    output: Annotated[Path | None, typer.Option(help="File to write; stdout by default.")] = None,
) -> None:
    """Write the audit log as JSON lines, newest first."""
    settings = Settings()
    if output is None:
        count = asyncio.run(_export_audit(settings, sys.stdout))
    else:
        with output.open("w", encoding="utf-8") as handle:
            count = asyncio.run(_export_audit(settings, handle))
    typer.echo(f"exported {count} audit entries", err=True)


@bench_app.callback()
def bench_group() -> None:
    """Datasets for `make bench`."""


@bench_app.command("seed")
def bench_seed(
    customers: Annotated[int, typer.Option(min=1, help="How many customers to add.")] = 100_000,
    database_url: Annotated[
        str | None, typer.Option(help="Database to fill (default PATRON_DATABASE_URL).")
    ] = None,
) -> None:
    """Add synthetic customers, each with an address and 0-3 order summaries.

    The schema is brought up to date first. Every customer's password is the one of
    bench@example.com (one argon2id hash, reused), so the load driver can sign in as anyone.
    """
    settings = Settings()
    url = database_url or settings.database_url
    upgrade_database(url)
    params = settings.argon2
    hasher = PasswordHasher(
        Argon2Parameters(params.memory_cost, params.time_cost, params.parallelism), threads=1
    )
    password_hash = asyncio.run(hasher.hash(seed.BENCH_PASSWORD))
    started = time.perf_counter()
    with typer.progressbar(length=customers, label="seeding", file=sys.stderr) as bar:
        added = seed.seed(url, customers, password_hash, bar.update)
    elapsed = time.perf_counter() - started
    typer.echo(
        f"added {added} customers in {elapsed:.1f} s ({added / elapsed:,.0f}/s); "
        f"{seed.BENCH_EMAIL} signs in with {seed.BENCH_PASSWORD}"
    )


if __name__ == "__main__":
    app()
