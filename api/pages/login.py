"""Logging in and out: the form checks an API key and keeps it in an HttpOnly, SameSite=Strict cookie."""

from __future__ import annotations

from fastapi import Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from innograph.api.auth import COOKIE_NAME, role_of
from innograph.api.pages.common import page_router, render, safe_next

router = page_router()


@router.get("/login")
def login_form(request: Request, next: str = Query("/", max_length=2000)) -> HTMLResponse:
    """The login form: one field for an API key."""
    return render(request, "login.html", "Log in", next=safe_next(next), message=None)


@router.post("/login")
def login(request: Request, key: str = Form("", max_length=500), next: str = Form("/", max_length=2000)) -> Response:
    """Check the key; on success keep it in an HttpOnly, SameSite=Strict cookie and go on to ``next``."""
    target = safe_next(next)
    if not key or role_of(key, request.app.state.settings) is None:
        message = "That API key is not valid. Check it and try again." if key else "Enter your API key."
        return render(request, "login.html", "Log in", status=401, next=target, message=message)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        COOKIE_NAME, key, httponly=True, samesite="strict", secure=request.url.scheme == "https", path="/"
    )
    return response


@router.get("/logout")
def logout() -> Response:
    """Forget the key (delete the cookie) and show the login form."""
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE_NAME, path="/", httponly=True, samesite="strict")
    return response
