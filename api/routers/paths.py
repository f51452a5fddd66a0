"""Introduction paths: who can introduce A to B, through whom, and why each hop is credible."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Response
from starlette.concurrency import run_in_threadpool

from innograph.api.auth import viewer
from innograph.api.responses import model_response
from innograph.api.services import path_answer
from innograph.api.state import ServiceState, get_state
from innograph.graph.records import OrganisationKind
from innograph.queries.paths import MAX_HOPS, MAX_K, PathAnswer

router = APIRouter(tags=["paths"], dependencies=[Depends(viewer)])


@router.get("/paths", response_model=PathAnswer, summary="The best introduction paths from A to B")
async def paths(
    source: str = Query(..., min_length=1, max_length=200, alias="from", description="organisation id of A"),
    target: str = Query(..., min_length=1, max_length=200, alias="to", description="organisation id of B"),
    k: int = Query(3, ge=1, le=MAX_K, description="how many alternative paths (at most 10)"),
    max_hops: int = Query(4, ge=1, le=MAX_HOPS, description="longest path in hops (at most 6)"),
    avoid: list[str] = Query([], max_length=100, description="organisation ids no path may pass through"),
    via: list[OrganisationKind] = Query([], description="only these kinds as intermediaries (empty = any)"),
    since: int | None = Query(None, ge=1950, le=2100, description="only projects that ran in or after this year"),
    prefer_brokers: bool = Query(
        True,
        description="rank intermediaries in the home ecosystem and cluster managers first; "
        "penalise umbrella research organisations (false: tie strength alone)",
    ),
    state: ServiceState = Depends(get_state),
) -> Response:
    """Paths ranked by cost: tie strengths (product of hop strengths) and, by default, broker costs.

    If A and B are already tied, ``already_partners`` says so and that tie is path 1. Every hop
    carries its evidence and where the organisation it reaches is. With no path within the limits
    the answer says why and offers the nearest alternatives (organisations tied to B that A can reach).
    """
    answer = await run_in_threadpool(
        lambda: path_answer(
            state,
            source,
            target,
            k=k,
            max_hops=max_hops,
            avoid=avoid,
            kinds=[kind.value for kind in via] or None,
            since=since,
            prefer_brokers=prefer_brokers,
        )
    )
    return model_response(answer)
