"""API keys with roles: viewer < analyst < admin.

A key arrives as ``X-API-Key`` header, ``Authorization: Bearer <key>``, or the
``innograph_key`` cookie the web pages set at login. Keys are compared in
constant time against every configured key and never logged. No key → 401,
a key without the needed role → 403.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

from fastapi import Depends, HTTPException, Request
from fastapi.security import APIKeyHeader

from innograph.settings import Role, Settings

COOKIE_NAME = "innograph_key"
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="API key (viewer, analyst or admin)")


def role_of(key: str, settings: Settings) -> Role | None:
    """The role of ``key``, comparing against every configured key in constant time."""
    found: Role | None = None
    for candidate, role in settings.api_keys.items():
        if hmac.compare_digest(candidate.encode(), key.encode()):
            found = role
    return found


def presented_key(request: Request, header_key: str | None) -> str | None:
    """The key the request carries, from header, bearer token or cookie."""
    if header_key:
        return header_key
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.cookies.get(COOKIE_NAME)


def require(role: Role) -> Callable[..., Awaitable[Role]]:
    """A dependency that admits requests whose key has at least ``role`` (async: no thread hop per request)."""

    async def check(request: Request, header_key: str | None = Depends(_header)) -> Role:
        settings: Settings = request.app.state.settings
        key = presented_key(request, header_key)
        if not key:
            raise HTTPException(401, "an API key is required (X-API-Key header)", {"WWW-Authenticate": "ApiKey"})
        granted = role_of(key, settings)
        if granted is None:
            raise HTTPException(401, "unknown API key", {"WWW-Authenticate": "ApiKey"})
        if granted.rank < role.rank:
            raise HTTPException(403, f"this needs the {role.value} role; the key has {granted.value}")
        return granted

    return check


viewer = require(Role.VIEWER)
analyst = require(Role.ANALYST)
admin = require(Role.ADMIN)
