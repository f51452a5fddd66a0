"""The home page (search organisations by name, alias or topic) and one organisation's page."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Depends, Query, Request
from fastapi.responses import HTMLResponse

from innograph.api.pages.common import KIND_CHOICES, form_kind, page_router, render, viewer_page
from innograph.api.pages.view_models import Pager
from innograph.api.services import current_analysis, organisation_detail, organisation_search, scope_of
from innograph.api.state import ServiceState, get_state
from innograph.queries.metrics import METRICS
from innograph.queries.scope import Scope

router = page_router()

SEARCH_PAGE_SIZE = 20
PARTNERS_SHOWN = 50
SHOWN_ELSEWHERE = frozenset({"id", "name", "kind", "website", "lat", "lon"})
"""Profile properties the organisation page shows in its heading or in a row of their own."""
PROFILE_LABELS: dict[str, str] = {
    "aliases": "Also known as",
    "street": "Street",
    "postcode": "Postcode",
    "city": "City",
    "region": "Region (NUTS)",
    "country": "Country",
    "home": "Home ecosystem",
    "home_reason": "Why",
    "size_class": "Size",
    "founded": "Founded",
    "description": "Description",
    "sources": "Sources",
    "loaded_at": "Last loaded",
}
"""Profile properties in the order shown, with their labels; others follow under their own names."""


def profile_rows(profile: dict[str, Any]) -> list[tuple[str, Any]]:
    """The profile as (label, value) rows a person reads: known properties first, times to the minute.

    >>> profile_rows({"loaded_at": "2026-12-02T00:26:09.5875+00:00", "city": "Jena", "lat": 50.9, "lon": 11.6, "x": 1})
    [('City', 'Jena'), ('Location', '50.9, 11.6'), ('Last loaded', '2026-12-02 00:26 UTC'), ('X', 1)]
    """
    shown = {key: value for key, value in profile.items() if value not in (None, "", [])}
    rows = [(label, shown[key]) for key, label in PROFILE_LABELS.items() if key in shown and key != "loaded_at"]
    if shown.get("lat") is not None and shown.get("lon") is not None:
        rows.append(("Location", f"{shown['lat']}, {shown['lon']}"))
    if "loaded_at" in shown:
        rows.append(("Last loaded", str(shown["loaded_at"])[:16].replace("T", " ") + " UTC"))
    rest = sorted(set(shown) - set(PROFILE_LABELS) - SHOWN_ELSEWHERE)
    return rows + [(key.replace("_", " ").capitalize(), shown[key]) for key in rest]


@router.get("/", dependencies=[Depends(viewer_page)])
def home(
    request: Request,
    q: str = Query("", max_length=200),
    kind: str = Query(""),
    scope: Scope = Query("home"),
    page: int = Query(1, ge=1, le=100_000),
    state: ServiceState = Depends(get_state),
) -> HTMLResponse:
    """Search organisations by name, alias or topic (the home ecosystem's unless ``scope=all``); results link."""
    found = organisation_search(state, q, kind=form_kind(kind), page=page, page_size=SEARCH_PAGE_SIZE, scope=scope)
    total, hits = found.total, found.items
    return render(
        request,
        "home.html",
        "Search organisations",
        q=q,
        kind=kind,
        kinds=KIND_CHOICES,
        total=total,
        hits=hits,
        scope=scope_of(state, scope),
        paging=Pager.of(request, page, SEARCH_PAGE_SIZE, total),
    )


@router.get("/org/{org_id:path}", dependencies=[Depends(viewer_page)])
def organisation(request: Request, org_id: str, state: ServiceState = Depends(get_state)) -> HTMLResponse:
    """Profile, metrics of the current analysis, partners, and the ego network (iframe of ``/views/ego``)."""
    info = organisation_detail(state, org_id, PARTNERS_SHOWN)
    analysis = current_analysis(state)
    table = analysis.metrics
    position = {node: i for i, node in enumerate(table.nodes)}.get(org_id)
    metrics = table.row(position).model_dump(include=set(METRICS)) if position is not None else {}
    website = str(info.profile.get("website") or "")
    coop = state.cache.projection().cooperation
    return render(
        request,
        "organisation.html",
        info.name,
        org=info,
        partners=info.partners,
        profile=profile_rows(info.profile),
        website=website if website.startswith(("http://", "https://")) else None,
        website_text=website,
        metrics=metrics,
        graph_version=analysis.graph_version,
        ego_base=f"/views/ego/{quote(org_id, safe='')}" if org_id in coop else None,
    )
