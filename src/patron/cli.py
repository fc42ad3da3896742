"""The ``patron`` command: serve, migrate the database, manage admin users."""

from __future__ import annotations

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from alembic import command
from alembic.config import Config

from patron.core import admins
from patron.core.errors import DomainError
from patron.core.policies import Role
from patron.faces._shared.services import Services
from patron.settings import Settings

app = typer.Typer(
    help="patron: customer accounts for online shops.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
admin_app = typer.Typer(help="Admin users.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(admin_app, name="admin")

ROOT = Path(__file__).resolve().parents[2]


def log_config(log_format: str) -> dict[str, object]:
    """Logging for ``serve``: one JSON object per line (or plain text), each with a request id.

    uvicorn's own access log prints raw paths and queries, so it is off; patron's middleware
    writes the access log with credentials redacted.
    """
    formatters = {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
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
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["url"] = url
    return config


def upgrade_database(url: str) -> None:
    """Bring the database at ``url`` to the newest schema (callable with or without a loop)."""
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
        await services.engine.dispose()


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
        await services.engine.dispose()


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
        await services.engine.dispose()
    return [
        f"{a.email}\t{a.role}\t{'enabled' if a.status == 1 else 'disabled'}\t{a.uuid}"
        for a in found
    ]


@admin_app.command("list")
def admin_list() -> None:
    """List admin users: email, role, status, uuid."""
    for line in asyncio.run(_list_admins(Settings())):
        typer.echo(line)


if __name__ == "__main__":
    app()
