"""Organisations: search by name or topic with pagination, and one organisation's detail."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Response
from starlette.concurrency import run_in_threadpool

from innograph.api.auth import viewer
from innograph.api.services import (
    OrganisationDetail,
    OrganisationPage,
    SearchMatch,
    organisation_detail,
    organisation_search,
)
from innograph.api.state import ServiceState, get_state, graph_versions
from innograph.graph.records import OrganisationKind
from innograph.queries.scope import Scope

router = APIRouter(prefix="/organisations", tags=["organisations"], dependencies=[Depends(viewer)])

MAX_PAGE_SIZE = 200


@router.get("", response_model=OrganisationPage, summary="Search organisations by name, alias or topic")
async def search(
    q: str | None = Query(None, max_length=200, description="words of a name or alias, or a topic; empty lists all"),
    match: SearchMatch = Query(
        "auto",
        description="name: names and aliases only; topic: what they work on (profile and projects, English or "
        "German); auto: name hits first, then topic hits when the names are few or q names a known topic",
    ),
    kind: OrganisationKind | None = Query(None, description="only this kind"),
    scope: Scope = Query(
        "all",
        description="all (default here: the forms' name completion and partner search reach everyone): every "
        "organisation; home: only the home ecosystem's (the search page's default)",
    ),
    page: int = Query(1, ge=1, le=100_000),
    page_size: int = Query(20, ge=1, le=MAX_PAGE_SIZE),
    state: ServiceState = Depends(get_state),
) -> OrganisationPage:
    """Name hits: full-text (prefix and fuzzy per word, all words must match), best first; topic hits say why.

    The same search at the same graph version is answered from the process's answer cache
    (:mod:`innograph.api.answer_cache`): typing a name repeats the same prefixes over and over.
    """
    versions = await graph_versions(state)
    kind_value = kind.value if kind else None
    key = (q, match, kind_value, scope, page, page_size)
    body = state.answers.get(versions.graph, key)
    if body is None:
        found = await run_in_threadpool(
            lambda: organisation_search(
                state, q, match=match, kind=kind_value, page=page, page_size=page_size, scope=scope
            )
        )
        body = found.model_dump_json().encode()
        state.answers.put(versions.graph, key, body)
    return Response(content=body, media_type="application/json")


@router.get("/{org_id}", response_model=OrganisationDetail, summary="One organisation with metrics and partners")
def detail(
    org_id: str,
    partners: int = Query(20, ge=0, le=MAX_PAGE_SIZE, description="how many strongest partners to list"),
    state: ServiceState = Depends(get_state),
) -> OrganisationDetail:
    """404 (error shape) when the id is unknown."""
    return organisation_detail(state, org_id, partners)
