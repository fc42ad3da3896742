"""``patron customers import`` and ``export``: every platform's columns, bad rows, dry runs,
re-runs, legacy hashes that sign in (and become argon2id), and export round trips.

Legacy hashes are computed here from the platforms' algorithms, not taken from patron's code.
"""

from __future__ import annotations

import asyncio
import base64
import csv
import hashlib
import hmac
import io
import json
from pathlib import Path
from typing import Any

import bcrypt
import httpx
import pytest
from argon2 import PasswordHasher as Argon2Hasher
from typer.testing import CliRunner

from patron.faces._shared.services import Services
from patron.main import create_app
from tests.conftest import make_settings

PASSWORD = "Old-shop-pass-4821"


def _env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        "PATRON_DATABASE_URL": database_url,
        "PATRON_ENVIRONMENT": "test",
        "PATRON_JWT_SECRET": "test-secret-" + "x" * 32,
        "PATRON_VAR_DIR": str(tmp_path / "var"),
    }


def _run(database_url: str, tmp_path: Path, *args: str) -> tuple[int, str, str]:
    from patron.cli import app  # noqa: PLC0415 - as the orders tests do, after the env is set

    result = CliRunner().invoke(app, ["customers", *args], env=_env(database_url, tmp_path))
    return result.exit_code, result.stdout, result.stderr


def _csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()  # noqa: S324 - AbanteCart's algorithm


def _bcrypt(password: str, prefix: str = "$2b$") -> str:
    hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()
    return prefix + hashed[4:]


def _wordpress(password: str) -> str:
    mac = hmac.new(b"wp-sha384", password.encode(), hashlib.sha384).digest()
    inner = bcrypt.hashpw(base64.b64encode(mac), bcrypt.gensalt(rounds=4)).decode()
    return "$wp$2y$" + inner[4:]


SALT = "s4lt"
# One customer per platform, in that platform's columns and with its own hash format.
SAMPLES: dict[str, dict[str, Any]] = {
    "evershop": {
        "customer_id": 7,
        "uuid": "6c3f5d1e-8a2b-4c1d-9e0f-1a2b3c4d5e6f",
        "email": "Ever@Example.com",
        "full_name": "Ada King Lovelace",
        "status": 1,
        "password": _bcrypt(PASSWORD, "$2a$"),
        "group_id": 1,
        "created_at": "2023-04-05 06:07:08",
    },
    "abantecart": {
        "customer_id": 3,
        "loginname": "abante_ada",
        "firstname": "Ada",
        "lastname": "Lovelace",
        "email": "abante@example.com",
        "telephone": "+44 20 7946 0000",
        "fax": "",
        "newsletter": "1",
        "status": "1",
        "password": _sha1(SALT + _sha1(SALT + _sha1(PASSWORD))),
        "salt": SALT,
        "date_added": "2020-01-02 03:04:05",
    },
    "magento2": {
        "entity_id": 11,
        "email": "magento@example.com",
        "firstname": "Ada",
        "lastname": "Lovelace",
        "prefix": "Ms",
        "dob": "1815-12-10",
        "taxvat": "GB123",
        "is_active": "1",
        "password_hash": hashlib.sha256((SALT + PASSWORD).encode()).hexdigest() + f":{SALT}:1",
        "created_at": "2021-02-03 04:05:06",
    },
    "woocommerce": {
        "ID": 5,
        "user_login": "ada_wp",
        "user_email": "woo@example.com",
        "display_name": "Ada L.",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "user_url": "https://ada.example",
        "user_pass": _wordpress(PASSWORD),
        "user_registered": "2019-05-06 07:08:09",
    },
    "prestashop": {
        "id_customer": 2,
        "email": "presta@example.com",
        "firstname": "Ada",
        "lastname": "Lovelace",
        "company": "Analytical Engines",
        "birthday": "0000-00-00",
        "newsletter": 0,
        "active": 1,
        "passwd": _bcrypt(PASSWORD, "$2y$"),
        "date_add": "2018-07-08 09:10:11",
    },
    "patron": {
        "email": "patron@example.com",
        "full_name": "Ada Lovelace",
        "status": 1,
        "newsletter": True,
        "country": "gb",
        "password_hash": Argon2Hasher(memory_cost=1024, time_cost=1, parallelism=1).hash(PASSWORD),
    },
}
# What each sample becomes: email, login name, full, first and last name.
EXPECTED = {
    "evershop": ("Ever@Example.com", None, "Ada King Lovelace", "Ada King", "Lovelace"),
    "abantecart": ("abante@example.com", "abante_ada", "Ada Lovelace", "Ada", "Lovelace"),
    "magento2": ("magento@example.com", None, "Ada Lovelace", "Ada", "Lovelace"),
    "woocommerce": ("woo@example.com", "ada_wp", "Ada L.", "Ada", "Lovelace"),
    "prestashop": ("presta@example.com", None, "Ada Lovelace", "Ada", "Lovelace"),
    "patron": ("patron@example.com", None, "Ada Lovelace", "Ada", "Lovelace"),
}


async def _with_services(database_url: str, tmp_path: Path, work: Any) -> Any:
    services = Services.build(make_settings(database_url, tmp_path))
    try:
        return await work(services)
    finally:
        await services.close()


def _customers(database_url: str, tmp_path: Path) -> list[dict[str, Any]]:
    async def read(services: Services) -> list[dict[str, Any]]:
        from patron.storage.customer_bulk import stream_customers  # noqa: PLC0415

        columns = ["email", "login_name", "full_name", "first_name", "last_name", "status"]
        columns += ["newsletter", "telephone", "password_hash", "uuid", "created_at", "country"]
        return [row async for row in stream_customers(services.engine, store_id=1, columns=columns)]

    found: list[dict[str, Any]] = asyncio.run(_with_services(database_url, tmp_path, read))
    return found


def _login(database_url: str, tmp_path: Path, email: str, password: str) -> int:
    async def login(services: Services) -> int:
        app = create_app(services.settings, services)
        transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            response = await http.post(
                "/customer/login", json={"email": email, "password": password}
            )
        return response.status_code

    status: int = asyncio.run(_with_services(database_url, tmp_path, login))
    return status


@pytest.mark.parametrize("platform", list(SAMPLES))
def test_each_platform_imports_and_its_hash_signs_in(
    database_url: str, tmp_path: Path, platform: str
) -> None:
    writer = _csv if platform in ("abantecart", "magento2", "prestashop") else _jsonl
    path = writer(tmp_path / f"{platform}.data", [SAMPLES[platform]])
    code, out, err = _run(database_url, tmp_path, "import", str(path), "--format", platform)
    assert (code, out.strip()) == (0, "inserted 1, updated 0, skipped 0"), err
    assert "importing" in err  # the progress bar goes to stderr
    [stored] = _customers(database_url, tmp_path)
    names = ("email", "login_name", "full_name", "first_name", "last_name")
    assert tuple(stored[name] for name in names) == EXPECTED[platform]
    imported_hash = stored["password_hash"]
    assert not (platform != "patron" and imported_hash.startswith("$argon2id$"))
    assert _login(database_url, tmp_path, stored["email"], "wrong-password-1") == 400
    assert _login(database_url, tmp_path, stored["email"], PASSWORD) == 200
    [after] = _customers(database_url, tmp_path)
    assert after["password_hash"].startswith("$argon2id$")
    assert (after["password_hash"] == imported_hash) == (platform == "patron")


def test_platform_fields_are_mapped(database_url: str, tmp_path: Path) -> None:
    path = _csv(tmp_path / "abantecart.csv", [SAMPLES["abantecart"]])
    assert _run(database_url, tmp_path, "import", str(path), "--format", "abantecart")[0] == 0
    [stored] = _customers(database_url, tmp_path)
    assert (stored["telephone"], stored["newsletter"], stored["status"]) == (
        "+44 20 7946 0000",
        True,
        1,
    )
    assert stored["password_hash"] == f"$abantecart-sha1${SALT}${SAMPLES['abantecart']['password']}"
    assert stored["created_at"].isoformat() == "2020-01-02T03:04:05+00:00"


def test_bad_rows_are_reported_while_good_rows_land(database_url: str, tmp_path: Path) -> None:
    rows = [
        {"email": "good@example.com", "full_name": "Good One", "status": "1", "password_hash": ""},
        {"email": "not-an-email", "full_name": "Bad", "status": "1", "password_hash": ""},
        {"email": "two@example.com", "full_name": "Two", "status": "7", "password_hash": ""},
        {"email": "nul@example.com", "full_name": "N\x00L", "status": "1", "password_hash": ""},
        {"email": "hash@example.com", "full_name": "H", "status": "1", "password_hash": "plain"},
        {"email": "long@example.com", "full_name": "x" * 256, "status": "", "password_hash": ""},
        {"email": "also-good@example.com", "full_name": "", "status": "0", "password_hash": ""},
    ]
    path = _csv(tmp_path / "patron.csv", rows)
    code, out, err = _run(database_url, tmp_path, "import", str(path), "--batch-size", "3")
    assert code == 1
    assert out.strip() == "inserted 2, updated 0, skipped 5"
    problems = [line for line in err.splitlines() if line.startswith("line ")]
    assert problems == [
        "line 3 email: Email must be a valid email address (e.g., user@example.com)",
        "line 4 status: Status must be either 0, 1, '0', or '1'",
        "line 5 full_name: Full name must not contain NUL characters",
        "line 6 password_hash: password_hash is not in a format patron verifies",
        "line 7 full_name: Full name must be at most 255 characters",
    ]
    stored = {row["email"]: row for row in _customers(database_url, tmp_path)}
    assert set(stored) == {"good@example.com", "also-good@example.com"}
    assert (stored["also-good@example.com"]["status"], stored["good@example.com"]["status"]) == (
        0,
        1,
    )
    # No hash in the file: no password signs in until the customer resets it.
    assert _login(database_url, tmp_path, "good@example.com", "") != 200
    assert _login(database_url, tmp_path, "good@example.com", "!no-password") == 400


def test_unreadable_lines_and_in_file_duplicates(database_url: str, tmp_path: Path) -> None:
    path = tmp_path / "customers.jsonl"
    path.write_text(
        '{"email": "a@example.com", "login_name": "shared"}\n'
        "not json\n"
        '{"email": "b@example.com", "login_name": "shared"}\n'
        '{"email": "A@example.com", "full_name": "Later A"}\n',
        encoding="utf-8",
    )
    code, out, err = _run(database_url, tmp_path, "import", str(path))
    assert code == 1
    assert out.strip() == "inserted 2, updated 0, skipped 2"
    assert "line 1 email: the same email comes again at line 4" in err
    assert "line 2: not JSON" in err
    stored = {row["email"]: row for row in _customers(database_url, tmp_path)}
    assert stored["A@example.com"]["full_name"] == "Later A"
    assert stored["b@example.com"]["login_name"] == "shared"


def test_a_login_name_held_by_another_account_is_refused(database_url: str, tmp_path: Path) -> None:
    first = _jsonl(tmp_path / "one.jsonl", [{"email": "a@example.com", "login_name": "ada"}])
    assert _run(database_url, tmp_path, "import", str(first))[0] == 0
    second = _jsonl(
        tmp_path / "two.jsonl",
        [{"email": "b@example.com", "login_name": "ADA"}, {"email": "ada@example.com"}],
    )
    code, out, err = _run(database_url, tmp_path, "import", str(second))
    assert code == 1
    assert out.strip() == "inserted 1, updated 0, skipped 1"
    assert "line 1 login_name: another account uses this login" in err


def test_dry_run_writes_nothing(database_url: str, tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "ever.jsonl", [SAMPLES["evershop"]])
    assert _run(database_url, tmp_path, "import", str(path), "--format", "evershop")[0] == 0
    rows = [
        {**SAMPLES["evershop"], "full_name": "Changed Name"},
        {"email": "new@example.com", "full_name": "New"},
        {"email": "bad"},
    ]
    path = _jsonl(tmp_path / "more.jsonl", rows)
    code, out, _ = _run(
        database_url, tmp_path, "import", str(path), "--format", "evershop", "--dry-run"
    )
    assert code == 1
    assert out.strip() == "would insert 1, would update 1, skipped 1"
    stored = _customers(database_url, tmp_path)
    assert [(row["email"], row["full_name"]) for row in stored] == [
        ("Ever@Example.com", "Ada King Lovelace")
    ]


def test_re_running_updates_and_never_duplicates(database_url: str, tmp_path: Path) -> None:
    sample = SAMPLES["abantecart"]
    path = _csv(tmp_path / "a.csv", [sample])
    assert _run(database_url, tmp_path, "import", str(path), "--format", "abantecart")[0] == 0
    [before] = _customers(database_url, tmp_path)
    changed = {**sample, "email": "ABANTE@example.com", "lastname": "King", "telephone": "1"}
    path = _csv(tmp_path / "b.csv", [changed])
    for _ in range(2):
        code, out, _ = _run(database_url, tmp_path, "import", str(path), "--format", "abantecart")
        assert (code, out.strip()) == (0, "inserted 0, updated 1, skipped 0")
    [after] = _customers(database_url, tmp_path)
    assert after["uuid"] == before["uuid"]
    assert after["created_at"] == before["created_at"]
    assert (after["email"], after["full_name"], after["last_name"], after["telephone"]) == (
        "ABANTE@example.com",
        "Ada King",
        "King",
        "1",
    )


def test_a_row_without_a_hash_keeps_the_stored_password(database_url: str, tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "p.jsonl", [SAMPLES["patron"]])
    assert _run(database_url, tmp_path, "import", str(path))[0] == 0
    path = _jsonl(tmp_path / "q.jsonl", [{"email": "patron@example.com", "full_name": "New"}])
    assert _run(database_url, tmp_path, "import", str(path))[0] == 0
    assert _login(database_url, tmp_path, "patron@example.com", PASSWORD) == 200


def _export(database_url: str, tmp_path: Path, *args: str) -> str:
    code, out, err = _run(database_url, tmp_path, "export", *args)
    assert code == 0, err
    return out


def test_export_round_trips_through_import(database_url: str, tmp_path: Path) -> None:
    for platform in ("evershop", "abantecart", "patron"):
        writer = _csv if platform == "abantecart" else _jsonl
        path = writer(tmp_path / f"{platform}.in", [SAMPLES[platform]])
        assert _run(database_url, tmp_path, "import", str(path), "--format", platform)[0] == 0
    before = _customers(database_url, tmp_path)
    for kind in ("csv", "jsonl"):
        exported = tmp_path / f"export.{kind}"
        _export(database_url, tmp_path, "--format", kind, "--output", str(exported))
        code, out, err = _run(database_url, tmp_path, "import", str(exported))
        assert (code, out.strip()) == (0, "inserted 0, updated 3, skipped 0"), err
    assert _customers(database_url, tmp_path) == before


def test_export_leaves_hashes_out_unless_asked(database_url: str, tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "p.jsonl", [SAMPLES["patron"]])
    assert _run(database_url, tmp_path, "import", str(path))[0] == 0
    stored_hash = _customers(database_url, tmp_path)[0]["password_hash"]
    plain = _export(database_url, tmp_path)
    assert "password_hash" not in plain
    assert "$argon2id$" not in plain
    rows = list(csv.DictReader(io.StringIO(plain)))
    assert [(row["email"], row["country"], row["newsletter"]) for row in rows] == [
        ("patron@example.com", "GB", "True")
    ]
    lines = _export(database_url, tmp_path, "--format", "jsonl", "--with-password-hashes")
    [record] = [json.loads(line) for line in lines.splitlines()]
    assert record["password_hash"] == stored_hash
    assert record["newsletter"] is True


def _live_sessions(database_url: str, tmp_path: Path) -> int:
    async def count(services: Services) -> int:
        from sqlalchemy import text  # noqa: PLC0415

        async with services.engine.connect() as conn:
            result = await conn.execute(
                text("SELECT count(*) FROM customer_session WHERE revoked_at IS NULL")
            )
            return int(result.scalar_one())

    found: int = asyncio.run(_with_services(database_url, tmp_path, count))
    return found


@pytest.mark.parametrize(
    ("change", "ends"),
    [
        ({"status": 0}, True),
        ({"password_hash": _bcrypt("Another-pass-9917")}, True),
        ({"full_name": "Renamed"}, False),
    ],
)
def test_disabling_or_a_new_hash_ends_the_sessions(
    database_url: str, tmp_path: Path, change: dict[str, Any], ends: bool
) -> None:
    path = _jsonl(tmp_path / "p.jsonl", [SAMPLES["patron"]])
    assert _run(database_url, tmp_path, "import", str(path))[0] == 0
    assert _login(database_url, tmp_path, "patron@example.com", PASSWORD) == 200
    assert _live_sessions(database_url, tmp_path) == 1
    path = _jsonl(tmp_path / "q.jsonl", [{"email": "patron@example.com", **change}])
    assert _run(database_url, tmp_path, "import", str(path))[:2] == (
        0,
        "inserted 0, updated 1, skipped 0\n",
    )
    assert _live_sessions(database_url, tmp_path) == (0 if ends else 1)
