"""The raw ceiling for GET one customer: Starlette + an asyncpg pool + orjson, nothing else.

It runs the same lookup as patron's ``GET /api/customers/{uuid}`` (the customer's columns joined
with its addresses, by uuid and store) and answers a JSON body of the same shape, without
sessions, middleware or validation, so patron's figure can be read as a share of it.
Run: ``BENCH_CEILING_DSN=postgresql://... uvicorn --app-dir bench/ceiling app:app``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

QUERY = """
SELECT c.customer_id, c.uuid, c.status, c.group_id, c.email, c.full_name, c.created_at,
       c.updated_at, c.version, a.customer_address_id, a.uuid AS a_uuid, a.full_name AS a_full_name,
       a.telephone, a.address_1, a.address_2, a.city, a.province, a.country, a.postcode,
       a.is_default
FROM customer c LEFT JOIN customer_address a ON a.customer_id = c.customer_id
WHERE c.uuid = $1 AND c.store_id = 1
ORDER BY a.customer_address_id
"""
ADDRESS_KEYS = [
    "a_uuid",
    "a_full_name",
    "telephone",
    "address_1",
    "address_2",
    "city",
    "province",
    "country",
    "postcode",
    "is_default",
]
pool: Any = None


def _json(value: Any) -> Any:
    return str(value) if isinstance(value, uuid.UUID) else value


async def get_customer(request: Request) -> Response:
    try:
        key = uuid.UUID(request.path_params["uuid"])
    except ValueError:
        return Response(b'{"error":{"status":404}}', 404, media_type="application/json")
    rows = await pool.fetch(QUERY, key)
    if not rows:
        return Response(b'{"error":{"status":404}}', 404, media_type="application/json")
    first = rows[0]
    body = {
        "uuid": str(first["uuid"]),
        "email": first["email"],
        "full_name": first["full_name"],
        "status": first["status"],
        "group_id": first["group_id"],
        "created_at": first["created_at"],
        "updated_at": first["updated_at"],
        "addresses": [
            {key.removeprefix("a_"): _json(row[key]) for key in ADDRESS_KEYS}
            for row in rows
            if row["customer_address_id"] is not None
        ],
    }
    return Response(orjson.dumps({"data": body}), media_type="application/json")


@asynccontextmanager
async def lifespan(_app: Starlette) -> AsyncIterator[None]:
    global pool  # noqa: PLW0603 - one pool per process
    pool = await asyncpg.create_pool(os.environ["BENCH_CEILING_DSN"], min_size=4, max_size=10)
    yield
    await pool.close()


app = Starlette(routes=[Route("/api/customers/{uuid}", get_customer)], lifespan=lifespan)
