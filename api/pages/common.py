"""What every page shares: the templates, who is asking (login cookie and roles), rendering, the error page, files.

Roles are the API's (:mod:`innograph.api.auth`): the login form checks an API key
and keeps it in the ``innograph_key`` cookie, which the JSON endpoints accept too.
Without a valid key a page redirects to ``/login?next=...``; a role that is too
low gets a 403 page. Every failure on a page is an HTML page, not the JSON error
shape, but follows the API's rule: what the user got wrong
(:class:`~innograph.errors.InvalidRequestError`) is a 422 page, anything else
unexpected a 500 page, logged with its traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from innograph.api.auth import presented_key, role_of
from innograph.api.pages.view_models import _cell
from innograph.errors import InvalidRequestError, NotFoundError, StoreUnavailableError
from innograph.graph.records import OrganisationKind
from innograph.settings import Role
from innograph.viz import KIND_LABELS
from innograph.viz.assets import FILES as VIS_FILES
from innograph.viz.views import metric_label

log = logging.getLogger("innograph.pages")

API_FOLDER = Path(__file__).resolve().parent.parent
"""``api/``: the templates and static files sit beside the pages package."""
STATIC_FILES: dict[str, Path] = {name: API_FOLDER / "static" / name for name in ("pages.css", "pages.js")}
ASSETS_URL = "/static/vis"
SIZE_BY = "pagerank"
KIND_CHOICES: dict[str, str] = {kind.value: KIND_LABELS[kind.value] for kind in OrganisationKind}

_PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'"
)
_VIEW_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'"
)
"""The views inline their data island and drawing code; still nothing may be fetched from elsewhere."""
_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "Cache-Control": "no-store"}


# --- templates --------------------------------------------------------------------

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(API_FOLDER / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["segment"] = lambda value: quote(str(value), safe="")
_env.filters["cell"] = _cell
_env.filters["sentence"] = lambda text: str(text)[:1].upper() + str(text)[1:]
_env.globals.update(metric_label=metric_label, kind_labels=KIND_LABELS)


# --- who is asking ----------------------------------------------------------------


class LoginRequired(Exception):
    """No valid key came with a page request: the browser is sent to the login form."""


def current_role(request: Request) -> Role | None:
    """The role of the key the request carries (cookie, header or bearer token), or None."""
    key = presented_key(request, request.headers.get("x-api-key"))
    return role_of(key, request.app.state.settings) if key else None


def page_access(role: Role) -> Callable[[Request], Role]:
    """A dependency for pages: no key -> login redirect, too low a role -> 403 page."""

    def check(request: Request) -> Role:
        granted = current_role(request)
        if granted is None:
            raise LoginRequired
        if granted.rank < role.rank:
            raise StarletteHTTPException(
                403, f"This page needs the {role.value} role; you are logged in as {granted.value}."
            )
        return granted

    return check


viewer_page = page_access(Role.VIEWER)


def safe_next(target: str | None) -> str:
    """A post-login destination on this site ("/..." but not "//host"), else the home page."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")) or any(c in target for c in "\r\n"):
        return "/"
    return target


def form_kind(text: str) -> str | None:
    """An organisation kind from a form's select ("" = any)."""
    if not text:
        return None
    if text not in KIND_CHOICES:
        raise InvalidRequestError(f"kind: unknown organisation kind {text!r}")
    return text


# --- rendering and failures --------------------------------------------------------


def render(request: Request, template: str, title: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    """One page from ``template`` (which extends ``base.html``) with the navigation for the caller's role."""
    ecosystem = request.app.state.settings.ecosystem_name
    html = _env.get_template(template).render(
        title=title, role=current_role(request), path=request.url.path, ecosystem=ecosystem, **context
    )
    return HTMLResponse(html, status_code=status, headers={**_HEADERS, "Content-Security-Policy": _PAGE_POLICY})


def view_response(html: str) -> HTMLResponse:
    """A full-screen network view (from :mod:`innograph.viz`)."""
    return HTMLResponse(html, headers={**_HEADERS, "Content-Security-Policy": _VIEW_POLICY})


def _failure(exc: Exception) -> tuple[int, str] | None:
    """HTTP status and message of a failure a page reports to the person, or None for unexpected ones."""
    if isinstance(exc, StarletteHTTPException):
        return exc.status_code, str(exc.detail)
    if isinstance(exc, RequestValidationError):
        parts = [
            f"{'.'.join(str(p) for p in err.get('loc', ()) if p not in ('query', 'path', 'body'))}: {err.get('msg')}"
            for err in exc.errors()
        ]
        return 422, "; ".join(parts)
    if isinstance(exc, NotFoundError):
        return 404, str(exc)
    if isinstance(exc, StoreUnavailableError):
        return 503, "The graph database (Neo4j) is not reachable; try again shortly."
    if isinstance(exc, InvalidRequestError):
        return 422, str(exc)
    return None


class PageRoute(APIRoute):
    """A route whose failures become HTML pages (login redirect, 403, 404, 422, 503, 500) instead of JSON."""

    def get_route_handler(self) -> Callable[[Request], Awaitable[Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except LoginRequired:
                here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse("/login?" + urlencode({"next": here}), status_code=303)
            except Exception as exc:
                failure = _failure(exc)
                if failure is None:
                    log.exception("page failed: %s", request.url.path)
                    failure = (500, "Internal error; see the server log.")
                status, message = failure
                return render(
                    request, "error.html", f"Error {status}", status=status, status_code=status, message=message
                )

        return handle


def page_router() -> APIRouter:
    """A router for pages: left out of the OpenAPI schema, failures as HTML pages."""
    return APIRouter(include_in_schema=False, route_class=PageRoute)


# --- static files ------------------------------------------------------------------

router = page_router()


def _static(path: Path | None) -> FileResponse:
    if path is None:
        raise StarletteHTTPException(404, "No such file.")
    return FileResponse(path, headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"})


@router.get("/static/vis/{name}")
def vis_asset(name: str) -> FileResponse:
    """vis-network's JavaScript and CSS from the installed pyvis package (public: no data in them)."""
    return _static(VIS_FILES.get(name))


@router.get("/static/{name}")
def page_asset(name: str) -> FileResponse:
    """The pages' stylesheet and search-as-you-type script."""
    return _static(STATIC_FILES.get(name))
