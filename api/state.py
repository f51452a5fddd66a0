"""What the service holds between requests: settings, the store, the version watch, the projection cache and
the path snapshots.

No request asks Neo4j for the graph version: :class:`~innograph.graph.versions.VersionWatch` reads
the machine's version stamp and asks Neo4j only when it changed (a write on this machine) or every
half second (a write from elsewhere). The NetworkX projections live in memory and are rebuilt only
when the graph version moves; the path graph is a snapshot folder that every worker maps
(:mod:`innograph.queries.path_snapshot`), built by the write that moved its version.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from innograph.api.answer_cache import AnswerCache
from innograph.graph.store import GraphVersions, Store
from innograph.graph.versions import VersionWatch
from innograph.queries.path_snapshot import PathSnapshot, PathSnapshots, build_from_store, publish, snapshot_folder
from innograph.queries.projection import ProjectionCache
from innograph.queries.tie_graph import TieGraph, build_tie_graph
from innograph.settings import Settings

UNPUBLISHED = "first request after a write that did not build it (Store used directly, or Cypher from elsewhere)"


@dataclass(frozen=True)
class PathsView:
    """The path snapshot a request answers from, and the graph version it answers at."""

    snapshot: PathSnapshot
    graph_version: int


@dataclass
class ServiceState:
    """Process-wide state of the API."""

    settings: Settings
    store: Store
    versions: VersionWatch
    cache: ProjectionCache
    snapshots: PathSnapshots
    answers: AnswerCache

    @classmethod
    def open(cls, settings: Settings) -> ServiceState:
        """Connect lazily: nothing is read until the first request (Neo4j may be down at start)."""
        timeout = settings.api_neo4j_timeout_s
        store = Store.connect(settings, timeout_s=timeout, retry_s=timeout / 3)
        versions = VersionWatch(store)
        cache = ProjectionCache(store, version=lambda: versions.current().graph)
        snapshots = PathSnapshots(snapshot_folder(settings.data_dir))
        return cls(settings, store, versions, cache, snapshots, AnswerCache())

    def ties(self) -> TieGraph:
        """The tie graph (NetworkX, with evidence) of the current graph version, for the partner finder and events."""
        return self.cache.derived(
            "ties", lambda projection: build_tie_graph(projection.source, version=projection.version)
        )

    def paths(self) -> PathsView:
        """The path snapshot of the current paths version: mapped, or (only after a write that did not publish
        it) built now, once on this machine.

        While a write's own build runs (a load answers only after it), the answer comes from the
        version before, and says so in its ``graph_version``: nobody waits for somebody else's load.
        """
        versions = self.versions.current()
        older = self.snapshots.while_building(versions.paths)
        if older is not None:
            return PathsView(older, older.version)
        snapshot = self.snapshots.get(versions.paths, build_from_store(self.store, versions.paths), UNPUBLISHED)
        return PathsView(snapshot, versions.graph)

    def paths_now(self) -> PathsView | None:
        """:meth:`paths` if it needs neither Neo4j nor the disk (the usual case), else None: safe in the event loop."""
        versions = self.versions.fresh()
        snapshot = self.snapshots.ready(versions.paths) if versions else None
        return PathsView(snapshot, versions.graph) if versions and snapshot else None

    def publish_paths(self, reason: str) -> None:
        """After a write by this service: build the path snapshot of the new version before the write is answered."""
        publish(self.store, self.snapshots, reason)

    def close(self) -> None:
        """Close the driver."""
        self.store.close()


async def graph_versions(state: ServiceState) -> GraphVersions:
    """The current versions, from the event loop: from memory when they are fresh, else read in a worker thread."""
    return state.versions.fresh() or await run_in_threadpool(state.versions.current)


async def paths_view(state: ServiceState) -> PathsView:
    """The snapshot to answer from, from the event loop: mapped already, else opened (or built) in a worker thread."""
    return state.paths_now() or await run_in_threadpool(state.paths)


async def get_state(request: Request) -> ServiceState:
    """FastAPI dependency: the service state (async: a sync dependency would cost a thread hop per request)."""
    return request.app.state.service
