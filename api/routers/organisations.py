"""Organisations: full-text search with pagination, and one organisation's detail."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from innograph.api.auth import viewer
from innograph.api.state import ServiceState, get_state
from innograph.graph.records import OrganisationKind
from innograph.queries.metrics import METRICS

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


class Neighbour(BaseModel):
    """A partner with the tie strength (docs/glossary.md) and the number of shared projects."""

    id: str
    name: str
    kind: str | None
    tie_strength: float = Field(gt=0, lt=1)
    shared_projects: int
    home: bool = Field(default=False, description="in the home ecosystem")


class OrganisationDetail(BaseModel):
    """Profile, metrics (from the last analysis written back) and strongest partners."""

    id: str
    name: str
    kind: str
    labels: list[str]
    profile: dict[str, Any]
    metrics: dict[str, Any]
    clusters: list[str]
    fields: list[str]
    partners_total: int
    partners: list[Neighbour]


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
    props = state.store.organisation(org_id)
    projection = state.cache.projection()
    ties = state.ties()
    tied = ties.strongest_partners(org_id, len(ties.ids))
    neighbours = [
        Neighbour(
            id=other,
            name=ties.graph.nodes[other]["name"],
            kind=ties.graph.nodes[other]["kind"],
            tie_strength=strength,
            shared_projects=shared,
            home=bool(ties.graph.nodes[other].get("home")),
        )
        for other, strength, shared in tied[:partners]
    ]
    labels = props.pop("labels")
    metrics = {name: props.pop(name) for name in METRICS if name in props}
    return OrganisationDetail(
        id=org_id,
        name=props["name"],
        kind=props.get("kind", ""),
        labels=labels,
        profile=props,
        metrics=metrics,
        clusters=[projection.names.get(c, c) for c in projection.clusters.get(org_id, ())],
        fields=[projection.names.get(f, f) for f in projection.fields.get(org_id, ())],
        partners_total=len(tied),
        partners=neighbours,
    )
