"""``create_app(settings)``: the ASGI application with every enabled face mounted."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import swagger_ui_bundle
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from sqlalchemy import text
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles

from patron.faces._shared.middleware import (
    AccessLogMiddleware,
    BodyLimitMiddleware,
    ErrorFormats,
    RequestIdMiddleware,
    TrustedProxyMiddleware,
)
from patron.faces._shared.responses import JSONResponse
from patron.faces._shared.services import Services
from patron.faces.abantecart import errors as abantecart_errors
from patron.faces.abantecart.routes import router as abantecart_router
from patron.faces.admin import routes as admin_routes
from patron.faces.admin.routes import router as admin_router
from patron.faces.evershop import errors as evershop_errors
from patron.faces.evershop.orders import router as evershop_orders_router
from patron.faces.evershop.routes import router as evershop_router
from patron.faces.jsonapi import errors as jsonapi_errors
from patron.faces.jsonapi.routes import router as jsonapi_router
from patron.settings import Settings
from patron.storage.counters import RedisCounters
from patron.storage.db import is_unavailable

log = logging.getLogger("patron")
UNAVAILABLE = "The service is briefly unavailable; try again in a few seconds"


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    """Build the app for ``settings`` (read from the environment when not given)."""
    settings = settings or Settings()
    services = services or Services.build(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # What start-up built (modules, routes, compiled statements) lives as long as the
        # process: keep it out of the collector's full passes, which otherwise walk it all.
        gc.freeze()
        yield
        await services.mailer.drain()
        if isinstance(services.throttle.store, RedisCounters):
            await services.throttle.store.close()
        await services.close()

    app = FastAPI(
        title="patron",
        summary="Customer accounts behind the customer APIs of EverShop, Aimeos and AbanteCart.",
        version="0.1.0",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.services = services
    formats = ErrorFormats(default=evershop_errors.error_response)
    formats.register("/index.php", abantecart_errors.error_response)
    formats.register("/jsonapi", jsonapi_errors.error_response)
    app.state.error_formats = formats

    app.include_router(evershop_router)
    app.include_router(evershop_orders_router)
    app.include_router(abantecart_router)
    app.include_router(jsonapi_router)
    app.include_router(admin_router)
    app.mount(
        "/admin/static",
        StaticFiles(directory=Path(admin_routes.__file__).parent / "static"),
        name="admin-assets",
    )
    _add_operations_routes(app, services)
    _add_docs(app)
    _add_error_handlers(app, formats)

    # Added innermost first: request id, access log, proxy fix, body cap.
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_body_bytes, formats=formats)
    app.add_middleware(TrustedProxyMiddleware, trusted=settings.trusted_proxies)
    app.add_middleware(AccessLogMiddleware)
    app.add_middleware(RequestIdMiddleware)
    return app


def _add_operations_routes(app: FastAPI, services: Services) -> None:
    @app.get("/healthz", tags=["operations"])
    async def healthz() -> Response:
        """The process answers."""
        return JSONResponse({"status": "ok"})

    @app.get("/readyz", tags=["operations"])
    async def readyz() -> Response:
        """The database answers."""
        try:
            async with services.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception:
            log.exception("readiness check failed")
            return JSONResponse({"status": "unavailable"}, 503)
        return JSONResponse({"status": "ok"})


def _add_docs(app: FastAPI) -> None:
    app.mount(
        "/static/docs",
        StaticFiles(directory=swagger_ui_bundle.swagger_ui_path),
        name="docs-assets",
    )

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="patron API",
            swagger_js_url="/static/docs/swagger-ui-bundle.js",
            swagger_css_url="/static/docs/swagger-ui.css",
            swagger_favicon_url="/static/docs/favicon-32x32.png",
        )


def _add_error_handlers(app: FastAPI, formats: ErrorFormats) -> None:
    async def http_error(request: Request, exc: Exception) -> Response:
        if not isinstance(exc, StarletteHTTPException):  # pragma: no cover - registered for it
            raise exc
        messages = {404: "Not Found", 405: "Method Not Allowed"}
        message = messages.get(exc.status_code, str(exc.detail))
        response = formats.for_path(request.url.path)(exc.status_code, message)
        # A face may answer with another status (Aimeos: 403 for 405); then the headers of the
        # original status (such as 405's Allow) do not belong to the answer.
        if exc.headers and response.status_code == exc.status_code:
            response.headers.update(exc.headers)
        return response

    async def server_error(request: Request, exc: Exception) -> Response:
        request_id = request.scope.get("state", {}).get("request_id", "-")
        if is_unavailable(exc):
            log.warning("database unavailable: %s (request id %s)", type(exc).__name__, request_id)
            response = formats.for_path(request.url.path)(503, UNAVAILABLE)
            response.headers["retry-after"] = "5"
            response.headers["x-request-id"] = request_id
            return response
        log.error("unhandled error (request id %s)", request_id, exc_info=exc)
        message = f"Internal server error (request id {request_id})"
        response = formats.for_path(request.url.path)(500, message)
        # This answer is sent from outside the request-id middleware, so add the header here.
        response.headers["x-request-id"] = request_id
        return response

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, server_error)


def app_from_env() -> FastAPI:
    """App factory for ``uvicorn --factory``: settings from the environment."""
    return create_app(Settings())
