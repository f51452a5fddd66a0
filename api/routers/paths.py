"""Introduction paths: who can introduce A to B, through whom, and why each hop is credible.

Both routes are ``async`` and answer in the event loop when the path snapshot of the current
version is already mapped (:meth:`ServiceState.paths_now`: no Neo4j, no disk), which is nearly
always: the search and the answer take well under a millisecond of CPU, less than a hop to the
thread pool would. Otherwise (the version moved; once per version and worker) the request waits in
a worker thread for the snapshot.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Response

from innograph.api.auth import viewer
from innograph.api.responses import model_response
from innograph.api.services import path_answer, tie_answer
from innograph.api.state import ServiceState, get_state, paths_view
from innograph.graph.records import OrganisationKind
from innograph.queries.paths import EVIDENCE, MAX_EVIDENCE, MAX_HOPS, MAX_K, Hop, PathAnswer

router = APIRouter(tags=["paths"], dependencies=[Depends(viewer)])
SINCE = Query(None, ge=1950, le=2100, description="only projects that ran in or after this year")


@router.get("/paths", response_model=PathAnswer, summary="The best introduction paths from A to B")
async def paths(
    source: str = Query(..., min_length=1, max_length=200, alias="from", description="organisation id of A"),
    target: str = Query(..., min_length=1, max_length=200, alias="to", description="organisation id of B"),
    k: int = Query(3, ge=1, le=MAX_K, description="how many alternative paths (at most 10)"),
    max_hops: int = Query(4, ge=1, le=MAX_HOPS, description="longest path in hops (at most 6)"),
    avoid: list[str] = Query([], max_length=100, description="organisation ids no path may pass through"),
    via: list[OrganisationKind] = Query([], description="only these kinds as intermediaries (empty = any)"),
    since: int | None = SINCE,
    prefer_brokers: bool = Query(
        True,
        description="rank intermediaries in the home ecosystem and cluster managers first; "
        "penalise umbrella research organisations (false: tie strength alone)",
    ),
    evidence: int = Query(
        EVIDENCE,
        ge=0,
        le=MAX_EVIDENCE,
        description="projects listed per hop, the strongest (recent, small consortia) first; the hop counts "
        "the others in `more_projects` and `all_evidence` is the request that lists them all",
    ),
    state: ServiceState = Depends(get_state),
) -> Response:
    """Paths ranked by cost: tie strengths (product of hop strengths) and, by default, broker costs.

    If A and B are already tied, ``already_partners`` says so and that tie is path 1. Every hop
    carries its evidence and where the organisation it reaches is. With no path within the limits
    the answer says why and offers the nearest alternatives (organisations tied to B that A can reach).
    ``graph_version`` is the graph version the answer was computed on.
    """
    answer = path_answer(
        await paths_view(state),
        source,
        target,
        k=k,
        max_hops=max_hops,
        avoid=avoid,
        kinds=[kind.value for kind in via] or None,
        since=since,
        prefer_brokers=prefer_brokers,
        evidence=evidence,
    )
    return model_response(answer)


@router.get("/ties", response_model=Hop, summary="One tie between two organisations with all its evidence")
async def ties(
    source: str = Query(..., min_length=1, max_length=200, alias="from", description="organisation id"),
    target: str = Query(..., min_length=1, max_length=200, alias="to", description="organisation id"),
    since: int | None = SINCE,
    state: ServiceState = Depends(get_state),
) -> Response:
    """The tie as a hop of a path shows it, with every shared project (a path hop lists the strongest few).

    404 when either id is unknown or the two are not tied.
    """
    return model_response(tie_answer(await paths_view(state), source, target, since))
