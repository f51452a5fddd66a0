"""The FastAPI application: JSON endpoints and the HTML pages people use, over the graph.

No business logic lives here: routers validate input, call :mod:`queries` and
:mod:`graph`, and return pydantic models. ``create_app`` is what ``innograph
serve`` and the tests run.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.concurrency import run_in_threadpool

from innograph import __version__
from innograph.api import pages
from innograph.api.errors import ErrorResponse, install_error_handlers
from innograph.api.limits import BodySizeLimit
from innograph.api.routers import (
    event_records,
    events,
    gaps,
    groups,
    health,
    loads,
    metrics,
    organisations,
    partners,
    paths,
    review,
    timeline,
)
from innograph.api.state import ServiceState
from innograph.queries import path_search
from innograph.settings import Settings, get_settings

ERROR_RESPONSES = {status: {"model": ErrorResponse} for status in (401, 403, 404, 413, 422, 500, 503)}


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for the given settings (default: from the environment)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.service = ServiceState.open(settings)
        await run_in_threadpool(path_search.warm_up)  # compiled once per machine, loaded once per worker
        try:
            yield
        finally:
            app.state.service.close()

    app = FastAPI(
        title="innograph",
        version=__version__,
        summary="Knowledge graph of a regional innovation ecosystem: who is central, where the gaps are, "
        "who can introduce whom.",
        lifespan=lifespan,
        responses=ERROR_RESPONSES,
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.api_max_body_bytes)
    if settings.api_cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.api_cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["X-API-Key", "Authorization", "Content-Type"],
        )
    routers = (health, organisations, paths, partners, events, metrics, gaps, groups, timeline, loads, review, pages)
    for module in routers:
        app.include_router(module.router)
    app.include_router(event_records.router)
    return app
