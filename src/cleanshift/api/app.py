"""The FastAPI application factory."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response

from cleanshift import __version__
from cleanshift.api.errors import error_response, install_error_handlers
from cleanshift.api.hub import CommandHub
from cleanshift.api.ratelimit import RateLimits, rate_limit_middleware
from cleanshift.api.routes import api_router
from cleanshift.db.session import create_db_engine, make_session_factory, migrate
from cleanshift.services.security import load_jwt_secret
from cleanshift.settings import Settings, get_settings

logger = logging.getLogger(__name__)
access_logger = logging.getLogger("cleanshift.access")

MAX_BODY_BYTES = 16 * 1024 * 1024


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app: migrate the database, load keys, mount every route.

    Routes answer under ``/v1`` and, as the public reference's own examples
    call them, without the prefix too.
    """
    settings = settings or get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_db_engine(settings.resolved_database_url())
    migrate(engine)
    hub = CommandHub(settings.redis_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await hub.start()
        yield
        await hub.stop()

    app = FastAPI(
        title="CleanShift API",
        version=__version__,
        openapi_url="/v1/openapi.json",
        docs_url="/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    app.state.jwt_secret = load_jwt_secret(settings)
    app.state.hub = hub
    app.state.rate_limits = RateLimits(settings)

    install_error_handlers(app)
    # Starlette runs the last added middleware first: size, then log, then limit.
    app.middleware("http")(rate_limit_middleware)
    app.middleware("http")(_log_request)
    app.middleware("http")(_limit_body_size)
    app.include_router(api_router, prefix="/v1")
    app.include_router(api_router, include_in_schema=False)
    return app


async def _limit_body_size(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
        return error_response(
            413, f"Request body larger than {MAX_BODY_BYTES} bytes; send less at once"
        )
    return await call_next(request)


async def _log_request(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    # The path only: query strings can carry tokens, which must never be logged.
    started = time.perf_counter()
    response = await call_next(request)
    access_logger.debug(
        "%s %s %d %.1fms",
        request.method,
        request.url.path,
        response.status_code,
        (time.perf_counter() - started) * 1000,
    )
    return response
