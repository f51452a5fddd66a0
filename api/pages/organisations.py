"""The home page (search organisations by name, alias or topic) and one organisation's page."""

from __future__ import annotations

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
SHOWN_ELSEWHERE = frozenset({"id", "name", "kind"})
"""Profile properties the organisation page shows in its heading rather than in the profile list."""


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
    profile = {
        key: value for key, value in info.profile.items() if key not in SHOWN_ELSEWHERE and value not in (None, "", [])
    }
    website = str(profile.pop("website", ""))
    coop = state.cache.projection().cooperation
    # the detail's partner names come from the projection's group names; the graph's nodes carry the real ones
    partners = [p.model_copy(update={"name": coop.nodes[p.id].get("name") or p.name}) for p in info.partners]
    return render(
        request,
        "organisation.html",
        info.name,
        org=info,
        partners=partners,
        profile=profile,
        website=website if website.startswith(("http://", "https://")) else None,
        website_text=website,
        metrics=metrics,
        graph_version=analysis.graph_version,
        ego_base=f"/views/ego/{quote(org_id, safe='')}" if org_id in coop else None,
    )
