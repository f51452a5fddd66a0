"""The partner finder: candidates for a need ranked by fit and reachability, and new partners to meet."""

from __future__ import annotations

from fastapi import Depends, Query, Request
from fastapi.responses import HTMLResponse

from innograph.api.pages.common import KIND_CHOICES, form_kind, page_router, render, viewer_page
from innograph.api.services import partner_answer, partner_need, resolve_organisation
from innograph.api.state import ServiceState, get_state
from innograph.errors import InvalidRequestError, NotFoundError
from innograph.queries.partners import PartnerAnswer
from innograph.queries.paths import MAX_HOPS

router = page_router()


def _words(text: str) -> list[str]:
    return [word.strip() for word in text.split(",") if word.strip()]


@router.get("/partner-finder", dependencies=[Depends(viewer_page)])
def partners_page(
    request: Request,
    source: str = Query("", max_length=300),
    keywords: str = Query("", max_length=1000),
    fields: str = Query("", max_length=1000),
    kind: str = Query(""),
    region: str = Query("", max_length=20),
    max_hops: int = Query(4, ge=1, le=MAX_HOPS),
    limit: int = Query(20, ge=1, le=100),
    state: ServiceState = Depends(get_state),
) -> HTMLResponse:
    """Partner finder: candidates for a need ranked by fit and reachability, and new partners to meet."""
    form = {"source": source, "keywords": keywords, "fields": fields, "kind": kind, "region": region}
    answer: PartnerAnswer | None = None
    error, status = None, 200
    if source.strip():
        try:
            need = partner_need(_words(keywords), _words(fields), form_kind(kind), region.strip() or None)
            org = resolve_organisation(state, source, "Organisation")
            answer = partner_answer(state, org, need, limit=limit, max_hops=max_hops)
        except (InvalidRequestError, NotFoundError) as exc:
            error, status = str(exc), 404 if isinstance(exc, NotFoundError) else 422
    return render(
        request,
        "partners.html",
        "Find partners",
        status=status,
        form=form,
        limit=limit,
        hops=max_hops,
        max_hops=MAX_HOPS,
        kinds=KIND_CHOICES,
        answer=answer,
        error=error,
    )
