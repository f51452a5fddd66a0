"""The event planner page: a brief with two sides, both invite lists with reasons, the meetings, and their view."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse

from innograph.api.pages.common import ASSETS_URL, page_router, render, view_response, viewer_page
from innograph.api.services import event_plan
from innograph.api.state import ServiceState, get_state
from innograph.errors import InvalidRequestError
from innograph.queries.events import EventPlan, brief_of
from innograph.viz.events import event_view

router = page_router()
SIDES = ("a", "b")


def _words(text: str) -> list[str]:
    return [word.strip() for word in text.split(",") if word.strip()]


def _form(request: Request) -> dict[str, str]:
    """The form's fields as typed (text inputs; a missing one is empty)."""
    names = [
        "title",
        "size",
        "cap",
        "home_only",
        *(f"{s}_{part}" for s in SIDES for part in ("label", "keywords", "fields")),
    ]
    return {name: request.query_params.get(name, "")[:1000] for name in names}


def _brief_data(form: dict[str, str]) -> dict[str, Any]:
    sides = [
        {
            "label": form[f"{s}_label"].strip(),
            "keywords": _words(form[f"{s}_keywords"]),
            "fields": _words(form[f"{s}_fields"]),
        }
        for s in SIDES
    ]
    data: dict[str, Any] = {
        "title": form["title"].strip() or "Event",
        "sides": sides,
        "home_only": form["home_only"] == "on",
    }
    for key, name in (("size", "size"), ("meetings_per_organisation", "cap")):
        if form[name].strip():
            data[key] = form[name].strip()
    return data


def _plan(state: ServiceState, form: dict[str, str]) -> EventPlan:
    return event_plan(state, brief_of(_brief_data(form)))


@router.get("/event-planner", dependencies=[Depends(viewer_page)])
def events_page(request: Request, state: ServiceState = Depends(get_state)) -> HTMLResponse:
    """Event planner: whom to invite from each side and who should meet whom, with the evidence."""
    form = _form(request)
    submitted = any(form[f"{s}_label"].strip() for s in SIDES)
    plan, error, status = None, None, 200
    if submitted:
        try:
            plan = _plan(state, form)
        except InvalidRequestError as exc:
            error, status = str(exc), 422
    else:
        form.update(size="40", cap="3", home_only="on")
    view_url = f"/views/event-plan?{urlencode(form)}" if plan else None
    return render(
        request, "events.html", "Plan an event", status=status, form=form, plan=plan, error=error, view_url=view_url
    )


@router.get("/views/event-plan", dependencies=[Depends(viewer_page)])
def event_view_page(request: Request, state: ServiceState = Depends(get_state)) -> HTMLResponse:
    """The plan's invitees by side, proposed meetings dashed and ties already there grey, full screen."""
    plan = _plan(state, _form(request))
    return view_response(event_view(plan, state.ties().graph, assets_url=ASSETS_URL))
