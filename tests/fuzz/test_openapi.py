"""Schemathesis against the OpenAPI schema of a real ``patron serve``: no input gives a 5xx.

The server runs in its own process on a free port with a fresh SQLite database; requests carry
an admin cookie and a customer session so that the protected operations are reached too.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

ADMIN = ("fuzz-admin@example.com", "Fuzz-Admin-Pass-1")
CUSTOMER = ("fuzz@example.com", "Fuzz-Customer-Pass-1")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    workdir = tmp_path_factory.mktemp("fuzz")
    env = {
        **os.environ,
        "PATRON_DATABASE_URL": f"sqlite:///{workdir / 'fuzz.sqlite3'}",
        "PATRON_VAR_DIR": str(workdir / "var"),
        "PATRON_ARGON2__MEMORY_COST": "1024",
        "PATRON_ARGON2__TIME_COST": "1",
        "PATRON_LOG_FORMAT": "text",
    }
    patron = [sys.executable, "-m", "patron.cli"]
    subprocess.run([*patron, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run(
        [*patron, "admin", "create", ADMIN[0]],
        env=env,
        check=True,
        capture_output=True,
        input=f"{ADMIN[1]}\n".encode(),
    )
    port = _free_port()
    log = (workdir / "serve.log").open("wb")
    process = subprocess.Popen(
        [*patron, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{base}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        else:
            pytest.fail("patron serve did not become ready")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def credentials(server: str) -> dict[str, str]:
    asid = httpx.post(
        f"{server}/admin/user/login", json={"email": ADMIN[0], "password": ADMIN[1]}
    ).json()["data"]["sid"]
    httpx.post(
        f"{server}/api/customers",
        json={"email": CUSTOMER[0], "password": CUSTOMER[1], "full_name": "Fuzz Customer"},
    )
    sid = httpx.post(
        f"{server}/customer/login", json={"email": CUSTOMER[0], "password": CUSTOMER[1]}
    ).json()["data"]["sid"]
    return {"Cookie": f"asid={asid}", "X-Session-ID": sid}


@pytest.fixture(scope="module")
def api_schema(server: str) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{server}/openapi.json")


FUZZ = settings(
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def test_no_input_makes_a_server_error(
    api_schema: schemathesis.BaseSchema, credentials: dict[str, str]
) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 20
    # Operations that end the sessions we fuzz with go last, so the others run signed in.
    operations.sort(key=lambda op: "logout" in op.path or "sessions" in op.path)
    for operation in operations:

        @FUZZ
        @given(case=operation.as_strategy())
        def call(case: schemathesis.Case) -> None:
            response = case.call(headers=credentials)
            where = f"{case.method} {case.formatted_path}"
            assert response.status_code < 500, f"{where}: {response.text[:300]}"

        call()


def test_the_server_log_has_no_tracebacks(
    server: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    logs = list(Path(tmp_path_factory.getbasetemp()).glob("fuzz*/serve.log"))
    assert logs
    assert "Traceback" not in logs[0].read_text()
