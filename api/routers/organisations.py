"""Organisations: full-text search with pagination, and one organisation's detail."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from innograph.api.auth import viewer
from innograph.api.services import OrganisationDetail, organisation_detail
from innograph.api.state import ServiceState, get_state
from innograph.graph.records import OrganisationKind

router = APIRouter(prefix="/organisations", tags=["organisations"], dependencies=[Depends(viewer)])

MAX_PAGE_SIZE = 200


class OrganisationHit(BaseModel):
    """One search result."""

    id: str
    name: str
    kind: str | None
    city: str | None
    score: float | None = Field(description="full-text relevance; null when listing without a query")


class OrganisationPage(BaseModel):
    """A page of search results."""

    total: int
    page: int
    page_size: int
    items: list[OrganisationHit]


@router.get("", response_model=OrganisationPage, summary="Search organisations by name or alias")
def search(
    q: str | None = Query(None, max_length=200, description="words of a name or alias; empty lists all by name"),
    kind: OrganisationKind | None = Query(None, description="only this kind"),
    page: int = Query(1, ge=1, le=100_000),
    page_size: int = Query(20, ge=1, le=MAX_PAGE_SIZE),
    state: ServiceState = Depends(get_state),
) -> OrganisationPage:
    """Full-text search (prefix and fuzzy per word, all words must match), best first."""
    total, hits = state.store.search_organisations(
        q, limit=page_size, offset=(page - 1) * page_size, kind=kind.value if kind else None
    )
    return OrganisationPage(total=total, page=page, page_size=page_size, items=[OrganisationHit(**hit) for hit in hits])


@router.get("/{org_id}", response_model=OrganisationDetail, summary="One organisation with metrics and partners")
def detail(
    org_id: str,
    partners: int = Query(20, ge=0, le=MAX_PAGE_SIZE, description="how many strongest partners to list"),
    state: ServiceState = Depends(get_state),
) -> OrganisationDetail:
    """404 (error shape) when the id is unknown."""
    return organisation_detail(state, org_id, partners)
