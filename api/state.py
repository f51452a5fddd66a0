"""What the service holds between requests: settings, the store and the projection cache.

The NetworkX projections live in memory and are rebuilt only when the graph
version moves (one cheap version read per request), so a path query never
rebuilds them.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from innograph.graph.store import Store
from innograph.queries.projection import ProjectionCache
from innograph.queries.tie_graph import TieGraph, build_tie_graph
from innograph.settings import Settings


@dataclass
class ServiceState:
    """Process-wide state of the API."""

    settings: Settings
    store: Store
    cache: ProjectionCache

    @classmethod
    def open(cls, settings: Settings) -> ServiceState:
        """Connect lazily: nothing is read until the first request (Neo4j may be down at start)."""
        timeout = settings.api_neo4j_timeout_s
        store = Store.connect(settings, timeout_s=timeout, retry_s=timeout / 3)
        return cls(settings=settings, store=store, cache=ProjectionCache(store))

    def ties(self) -> TieGraph:
        """The path graph (cooperation + cluster hops) of the current graph version, built once per version."""
        return self.cache.derived(
            "ties", lambda projection: build_tie_graph(projection.source, version=projection.version)
        )

    def close(self) -> None:
        """Close the driver."""
        self.store.close()


def get_state(request: Request) -> ServiceState:
    """FastAPI dependency: the service state."""
    return request.app.state.service
