"""One JSON shape for every error the API returns, and the handlers that produce it.

Shape (pinned by a test)::

    {"error": {"status": 422, "code": "invalid_request", "message": "k: ...", "details": [...]}}

Messages name the parameter at fault; 5xx never leak internals beyond one line.
What the user got wrong is an :class:`~innograph.errors.InvalidRequestError` (422);
any other exception, a bare ``ValueError`` included, is a 500 logged with its traceback.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from innograph.errors import InnographError, InvalidRequestError, LoadError, NotFoundError, StoreUnavailableError

log = logging.getLogger("innograph.api")

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    422: "invalid_request",
    500: "internal_error",
    503: "service_unavailable",
}


class ErrorDetail(BaseModel):
    """The body of every error."""

    status: int
    code: str
    message: str
    details: list[dict[str, Any]] = []


class ErrorResponse(BaseModel):
    """``{"error": {...}}`` — the one error shape."""

    error: ErrorDetail


def error_response(
    status: int, message: str, details: list[dict[str, Any]] | None = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    """Build the JSON error response."""
    body = ErrorResponse(
        error=ErrorDetail(status=status, code=_CODES.get(status, "error"), message=message, details=details or [])
    )
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def _validation_message(errors: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    details = []
    parts = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "body", "path", "header", "cookie")]
        name = ".".join(loc) or "request"
        parts.append(f"{name}: {err.get('msg', 'invalid')}")
        details.append({"parameter": name, "message": err.get("msg", "invalid"), "type": err.get("type", "")})
    return "; ".join(parts), details


def install_error_handlers(app: FastAPI) -> None:
    """Route every exception to the one error shape."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error_response(exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        message, details = _validation_message(list(exc.errors()))
        return error_response(422, message, details)

    @app.exception_handler(NotFoundError)
    async def not_found(_: Request, exc: NotFoundError) -> JSONResponse:
        return error_response(404, str(exc))

    @app.exception_handler(StoreUnavailableError)
    async def unavailable(_: Request, exc: StoreUnavailableError) -> JSONResponse:
        log.warning("Neo4j unavailable: %s", exc)
        return error_response(
            503, "the graph database (Neo4j) is not reachable; try again shortly", headers={"Retry-After": "5"}
        )

    @app.exception_handler(LoadError)
    async def load_error(_: Request, exc: LoadError) -> JSONResponse:
        return error_response(422, str(exc))

    @app.exception_handler(InvalidRequestError)
    async def invalid_request(_: Request, exc: InvalidRequestError) -> JSONResponse:
        return error_response(422, str(exc))

    @app.exception_handler(InnographError)
    async def innograph_error(_: Request, exc: InnographError) -> JSONResponse:
        log.error("request failed: %s", exc)
        return error_response(500, f"{type(exc).__name__}: {exc}")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # a bare ValueError lands here too: only InvalidRequestError is the user's mistake
        log.exception("unexpected error: %s %s", request.method, request.url.path, exc_info=exc)
        return error_response(500, "internal error; see the server log")
