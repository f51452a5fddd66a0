"""Health: is Neo4j reachable, which graph version is served. Public (for load balancers)."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from innograph.api.state import ServiceState, get_state, graph_versions

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """Service health."""

    status: str
    neo4j: str
    graph_version: int


@router.get("/health", response_model=Health, summary="Neo4j reachable and the graph version")
async def health(state: ServiceState = Depends(get_state)) -> Health:
    """200 with the graph version when Neo4j answers; 503 (error shape) when it does not.

    The version comes from the version watch: Neo4j was asked within the last half second, or the
    machine's version stamp has not changed since it was.
    """
    versions = await graph_versions(state)
    return Health(status="ok", neo4j="reachable", graph_version=versions.graph)
