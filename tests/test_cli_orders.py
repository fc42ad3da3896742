"""``patron orders import FILE``: CSV and JSON lines, upserts, problems per line, exit codes."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from typer.testing import CliRunner

from patron.cli import app
from patron.core import customers
from patron.core.customers import NewCustomer
from patron.faces._shared.services import Services
from tests.conftest import make_settings

HEADER = (
    "order_id,customer_email,customer_uuid,status_id,status_name,date_added,line_count,"
    "total,currency_code,currency_rate,symbol_left,symbol_right,decimal_place,name\n"
)


def _env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        "PATRON_DATABASE_URL": database_url,
        "PATRON_ENVIRONMENT": "test",
        "PATRON_JWT_SECRET": "test-secret-" + "x" * 32,
        "PATRON_VAR_DIR": str(tmp_path / "var"),
    }


async def _register(database_url: str, tmp_path: Path, email: str) -> str:
    services = Services.build(make_settings(database_url, tmp_path))
    try:
        customer = await customers.register_customer(
            services.uow(),
            services.hasher,
            services.clock,
            data=NewCustomer(email=email, password="Secret-67c44859", full_name="Ada Lovelace"),
            policy=services.passwords,
        )
        return str(customer.uuid)
    finally:
        await services.close()


async def _orders(database_url: str, tmp_path: Path, email: str) -> list[tuple[int, int, str]]:
    services = Services.build(make_settings(database_url, tmp_path))
    try:
        async with services.uow() as uow:
            owner = await uow.customers.get_by_email_key(1, email)
            assert owner is not None
            found = await uow.orders.list_for(owner.customer_id, offset=0, limit=100)
            return [(o.order_id, o.status_id, o.name) for o in found]
    finally:
        await services.close()


def _import(database_url: str, tmp_path: Path, path: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        app, ["orders", "import", str(path), *args], env=_env(database_url, tmp_path)
    )
    return result.exit_code, result.stdout, result.stderr


def test_csv_import_upserts_and_reports_bad_lines(database_url: str, tmp_path: Path) -> None:
    ada = asyncio.run(_register(database_url, tmp_path, "ada@example.com"))
    path = tmp_path / "orders.csv"
    path.write_text(
        HEADER
        + "1,ADA@example.com,,1,Pending,2026-05-07 10:00:00,2,1234.5,USD,1,$,,2,Ord Name\n"
        + f"3,,{ada},5,Completed,2026-05-09 10:00:00,1,100,EUR,0.9385,,€,2,Euro Buyer\n"
        + "4,nobody@example.com,,1,,,,5,USD,,,,,\n"
        + "5,ada@example.com,,x,,,,5,USD,,,,,\n"
        + "1,ada@example.com,,2,Processing,,,1234.5,USD,,,,,Ord Name\n",
        encoding="utf-8",
    )
    code, out, err = _import(database_url, tmp_path, path, "--batch-size", "2")
    assert code == 1
    assert "imported 3 orders, skipped 2" in out
    assert "line 4: Customer not found" in err
    assert "line 5: status_id must be an integer" in err
    assert asyncio.run(_orders(database_url, tmp_path, "ada@example.com")) == [
        (3, 5, "Euro Buyer"),
        (1, 2, "Ord Name"),
    ]


def test_json_lines_import(database_url: str, tmp_path: Path) -> None:
    asyncio.run(_register(database_url, tmp_path, "ada@example.com"))
    path = tmp_path / "orders.jsonl"
    rows = [
        {
            "order_id": 9,
            "customer_email": "ada@example.com",
            "status_id": 1,
            "total": 5.25,
            "currency_code": "USD",
            "name": "Ada",
        },
        {
            "order_id": 10,
            "customer_email": "ada@example.com",
            "status_id": 1,
            "total": "7",
            "currency_code": "USD",
            "date_added": None,
        },
    ]
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n\n", encoding="utf-8")
    code, out, err = _import(database_url, tmp_path, path)
    assert (code, err.count("line ")) == (0, 0)
    assert "imported 2 orders, skipped 0" in out
    assert asyncio.run(_orders(database_url, tmp_path, "ada@example.com")) == [
        (10, 1, ""),
        (9, 1, "Ada"),
    ]


def test_json_lines_are_detected_without_the_suffix(database_url: str, tmp_path: Path) -> None:
    path = tmp_path / "orders.txt"
    path.write_text('{"order_id": 1}\n[1, 2]\nnot json\n', encoding="utf-8")
    code, out, err = _import(database_url, tmp_path, path)
    assert code == 1
    assert "imported 0 orders, skipped 3" in out
    assert "line 1: status_id is required" in err
    assert "line 2: a line must be a JSON object" in err
    assert "line 3: not JSON" in err


def test_a_csv_row_with_too_many_cells_is_reported(database_url: str, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("order_id,status_id\n1,2,3\n", encoding="utf-8")
    code, _, err = _import(database_url, tmp_path, path)
    assert code == 1
    assert "line 2: more cells than columns" in err


def test_a_missing_file_is_a_usage_error(database_url: str, tmp_path: Path) -> None:
    code, _, _ = _import(database_url, tmp_path, tmp_path / "missing.csv")
    assert code == 2
