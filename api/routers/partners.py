"""The partner finder: who fits a need, how reachable they are from A, and new partners to meet."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Response
from starlette.concurrency import run_in_threadpool

from innograph.api.auth import viewer
from innograph.api.responses import model_response
from innograph.api.services import partner_answer, partner_need
from innograph.api.state import ServiceState, get_state
from innograph.graph.records import OrganisationKind
from innograph.queries.partners import PartnerAnswer

router = APIRouter(tags=["partners"], dependencies=[Depends(viewer)])


@router.get("/partners", response_model=PartnerAnswer, summary="Partners for a need, ranked by fit and reach")
async def partners(
    source: str = Query(..., min_length=1, max_length=200, alias="for", description="organisation id of A"),
    keywords: list[str] = Query([], max_length=20, description="technology or field words, e.g. 'laser'"),
    fields: list[str] = Query([], max_length=20, description="specialisation field names"),
    kind: OrganisationKind | None = Query(None, description="only candidates of this kind"),
    region: str | None = Query(None, max_length=10, description="NUTS prefix, e.g. DEG (Thuringia)"),
    limit: int = Query(20, ge=1, le=200, description="candidates and suggestions to return"),
    max_hops: int = Query(4, ge=1, le=6, description="reachability horizon in hops"),
    state: ServiceState = Depends(get_state),
) -> Response:
    """Each candidate says which words matched where and the best introduction path; suggestions give reasons."""
    need = partner_need(keywords, fields, kind.value if kind else None, region)
    answer = await run_in_threadpool(lambda: partner_answer(state, source, need, limit=limit, max_hops=max_hops))
    return model_response(answer)
