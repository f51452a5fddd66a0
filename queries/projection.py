"""Projections of the store's graph for analysis, and a cache that rebuilds them only when the graph changes.

From the store's ``nx.MultiDiGraph`` (:meth:`graph.store.Store.to_networkx`):

* the **cooperation graph** — organisations tied by ``COOPERATES_WITH``; each edge has
  ``collaboration_weight`` (Σ 1/(n-1) over shared projects, so a 4-partner project counts
  far more than a 180-partner one; what the metrics weight by) and ``shared_projects`` (a
  count). A tie a source declared without shared projects gets collaboration weight
  :data:`DECLARED_WEIGHT` (as much as one two-partner project) and 0 shared projects.
  See the glossary in ``docs/glossary.md``;
* the **membership graph** — organisations and clusters (``MEMBER_OF``/``MANAGES``);
* which fields (``ACTIVE_IN``) and clusters each organisation belongs to, and
  display names of fields, clusters, projects and regions.

The graphs are frozen: analyses share them, and the compiled twin of the
cooperation graph (:mod:`queries.compiled`) is built from the same edge arrays
once per graph version.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, TypeVar

import networkx as nx
import numpy as np
import scipy.sparse as sp

from innograph.queries.compiled import CompiledGraph, remember

T = TypeVar("T")
COLLABORATION_WEIGHT = "collaboration_weight"  # edge attribute: Σ 1/(n-1) over shared projects
SHARED_PROJECTS = "shared_projects"  # edge attribute: how many projects both ends took part in
DECLARED_WEIGHT = 1.0  # collaboration weight of a declared tie without shared projects
ORGANISATION_ATTRIBUTES = ("name", "kind", "city", "region", "country", "home", "home_reason")


class GraphSource(Protocol):
    """What the cache needs from a store (``graph.store.Store`` has it)."""

    def version(self) -> int: ...

    def to_networkx(self) -> nx.MultiDiGraph: ...


@dataclass(frozen=True)
class Projection:
    """Everything the analyses read, for one graph version."""

    version: int
    source: nx.MultiDiGraph = field(repr=False)  # the store snapshot everything here was built from
    cooperation: nx.Graph
    membership: nx.Graph
    fields: dict[str, tuple[str, ...]]
    clusters: dict[str, tuple[str, ...]]
    names: dict[str, str]


def _is_organisation(data: dict[str, Any]) -> bool:
    return "Organisation" in data.get("labels", ())


def _display_name(node: str, data: dict[str, Any]) -> str:
    return str(data.get("name") or data.get("acronym") or data.get("title") or node)


def cooperation_graph(graph: nx.MultiDiGraph) -> nx.Graph:
    """The organisation-organisation cooperation graph (frozen, with its compiled twin registered).

    >>> store_graph = nx.MultiDiGraph()
    >>> store_graph.add_node("a", labels=["Company", "Organisation"], name="A", kind="Company")
    >>> store_graph.add_node("b", labels=["Organisation", "University"], name="B", kind="University")
    >>> tie = {"shared_projects": 2, "collaboration_weight": 0.75}
    >>> store_graph.add_edge("a", "b", key="COOPERATES_WITH", type="COOPERATES_WITH", **tie)
    'COOPERATES_WITH'
    >>> coop = cooperation_graph(store_graph)
    >>> coop.edges["a", "b"]["collaboration_weight"], coop.edges["a", "b"]["shared_projects"]
    (0.75, 2)
    """
    organisations = [node for node, data in graph.nodes(data=True) if _is_organisation(data)]
    position = {node: i for i, node in enumerate(organisations)}
    ties: dict[tuple[int, int], tuple[float, int]] = {}
    for u, v, key, data in graph.edges(keys=True, data=True):
        if key != "COOPERATES_WITH" or u not in position or v not in position or u == v:
            continue
        pair = (min(position[u], position[v]), max(position[u], position[v]))
        weight = data.get(COLLABORATION_WEIGHT)
        tie = (float(weight) if weight is not None else DECLARED_WEIGHT, int(data.get(SHARED_PROJECTS) or 0))
        ties[pair] = max(tie, ties.get(pair, tie))
    pairs = np.array(list(ties), dtype=np.int64).reshape(-1, 2)
    weights = np.array([weight for weight, _ in ties.values()], dtype=float)
    counts = np.array([count for _, count in ties.values()], dtype=np.int64)
    attributes = {node: graph.nodes[node] for node in organisations}
    return _frozen_cooperation(organisations, attributes, pairs, weights, counts)


def _frozen_cooperation(
    organisations: list[str],
    attributes: Mapping[str, Mapping[str, Any]],
    pairs: np.ndarray,
    weights: np.ndarray,
    counts: np.ndarray,
) -> nx.Graph:
    """Build the frozen cooperation graph and register its compiled twin from the same arrays."""
    result = nx.Graph()
    for node in organisations:
        data = attributes.get(node, {})
        result.add_node(node, **{key: data[key] for key in ORGANISATION_ATTRIBUTES if data.get(key) is not None})
    ends = [(organisations[a], organisations[b]) for a, b in pairs.tolist()]
    result.add_edges_from(
        (u, v, {COLLABORATION_WEIGHT: weight, SHARED_PROJECTS: count})
        for (u, v), weight, count in zip(ends, weights.tolist(), counts.tolist(), strict=True)
    )
    nx.freeze(result)
    twin = CompiledGraph.from_arrays(organisations, pairs[:, 0], pairs[:, 1], weights)
    remember(result, COLLABORATION_WEIGHT, twin)
    return result


def cooperation_from_participations(
    participations: Iterable[tuple[str, str]], attributes: Mapping[str, Mapping[str, Any]] | None = None
) -> nx.Graph:
    """The cooperation graph derived from (organisation, project) pairs exactly as the store derives it.

    For data not (yet) in Neo4j — the benchmarks and the real-data tests. Every
    organisation in ``attributes`` or ``participations`` becomes a node; two
    organisations sharing projects get ``shared_projects`` (a count) and ``collaboration_weight``
    = Σ 1/(n-1) over them (n = consortium size), by two sparse products.

    >>> coop = cooperation_from_participations([("a", "p"), ("b", "p"), ("c", "p"), ("a", "q"), ("b", "q")])
    >>> ab, ac = coop.edges["a", "b"], coop.edges["a", "c"]
    >>> ab["shared_projects"], ab["collaboration_weight"], ac["collaboration_weight"]
    (2, 1.5, 0.5)
    """
    attributes = attributes or {}
    unique = sorted(set(participations))
    organisations = list(dict.fromkeys([*attributes, *(org for org, _ in unique)]))
    org_position = {org: i for i, org in enumerate(organisations)}
    projects = {project: j for j, project in enumerate(dict.fromkeys(project for _, project in unique))}
    rows = np.array([org_position[org] for org, _ in unique], dtype=np.int64)
    cols = np.array([projects[project] for _, project in unique], dtype=np.int64)
    incidence = sp.csr_array((np.ones(len(unique)), (rows, cols)), shape=(len(organisations), len(projects)))
    sizes = np.asarray(incidence.sum(axis=0)).ravel()
    share = np.divide(1.0, sizes - 1, out=np.zeros(len(projects)), where=sizes > 1)
    counts = sp.coo_array(sp.triu(incidence @ incidence.T, k=1))
    weighted = sp.csr_array(sp.triu(incidence @ sp.diags_array(share) @ incidence.T, k=1))
    pairs = np.column_stack([counts.row, counts.col]).astype(np.int64)
    # (indexing with two empty arrays does not give an empty result: no pair, no lookup)
    weights = np.asarray(weighted[counts.row, counts.col]).ravel() if counts.nnz else np.zeros(0)
    return _frozen_cooperation(organisations, attributes, pairs, weights, counts.data.astype(np.int64))


def _bipartite(graph: nx.MultiDiGraph, other_label: str, rel_types: tuple[str, ...]) -> nx.Graph:
    """Organisations (``bipartite=0``) and nodes labelled ``other_label`` (``bipartite=1``) joined by ``rel_types``."""
    result = nx.Graph()
    for node, data in graph.nodes(data=True):
        if _is_organisation(data):
            result.add_node(node, bipartite=0, name=_display_name(node, data), kind=data.get("kind"))
        elif other_label in data.get("labels", ()):
            result.add_node(node, bipartite=1, name=_display_name(node, data))
    for u, v, key in graph.edges(keys=True):
        if key in rel_types and u in result and v in result:
            result.add_edge(u, v, type=key)
    return nx.freeze(result)


def membership_graph(graph: nx.MultiDiGraph) -> nx.Graph:
    """The organisation-cluster graph (``MEMBER_OF``, and ``MANAGES`` for the managing organisation)."""
    return _bipartite(graph, "Cluster", ("MEMBER_OF", "MANAGES"))


def groups_of(graph: nx.MultiDiGraph, rel_type: str) -> dict[str, tuple[str, ...]]:
    """Organisation id → sorted ids of the nodes it points to with ``rel_type`` (e.g. ``ACTIVE_IN`` fields)."""
    found: dict[str, set[str]] = {}
    for u, v, key in graph.edges(keys=True):
        if key == rel_type:
            found.setdefault(u, set()).add(v)
    return {org: tuple(sorted(targets)) for org, targets in found.items()}


def build_projection(graph: nx.MultiDiGraph, version: int) -> Projection:
    """All projections of one snapshot of the store's graph."""
    names = {
        node: _display_name(node, data)
        for node, data in graph.nodes(data=True)
        if {"Field", "Cluster", "Project", "Region"} & set(data.get("labels", ()))
    }
    return Projection(
        version=version,
        source=graph,
        cooperation=cooperation_graph(graph),
        membership=membership_graph(graph),
        fields=groups_of(graph, "ACTIVE_IN"),
        clusters=groups_of(graph, "MEMBER_OF"),
        names=names,
    )


class _Once:
    """One value built at most once, by whichever thread asks first; the others wait for that build.

    Each slot has its own lock, so a slow build (a full analysis) blocks only the callers that need
    that very value, never the cache as a whole. A failed build leaves the slot empty for a retry.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._built = False
        self._value: Any = None

    def get(self, build: Callable[[], T]) -> T:
        """The value, building it first if nobody has."""
        with self._lock:
            if not self._built:
                self._value = build()
                self._built = True
            return self._value

    def replaced(self, change: Callable[[Any], Any]) -> _Once:
        """A new slot holding ``change(value)`` if this one is built, else an empty one."""
        other = _Once()
        with self._lock:
            if self._built:
                other._value, other._built = change(self._value), True
        return other


@dataclass
class _Entry:
    """What the cache holds for one graph version: the projection slot and one slot per derived key."""

    version: int
    projection: _Once = field(default_factory=_Once)
    derived: dict[str, _Once] = field(default_factory=dict)


class ProjectionCache:
    """Holds the projection (and results derived from it) until ``store.version()`` changes.

    Thread-safe without serialising work: the shared lock is held only to find (or create) the
    slot of the current version and key, never while anything is read or computed. Two requests for
    the same version and key still build once (the second waits on that slot's own lock); a request
    for another key, e.g. ``/paths`` while an analysis runs, goes ahead at once.
    """

    def __init__(self, store: GraphSource, version: Callable[[], int] | None = None) -> None:
        """``version``: how to read the graph version (default ``store.version``; the API passes its version watch)."""
        self._store = store
        self._version = version or store.version
        self._entry: _Entry | None = None
        self._lock = threading.Lock()

    def _current(self) -> _Entry:
        # The version is read before the graph: a write in between only makes the next call
        # rebuild again, never keeps stale data under a newer version.
        version = self._version()
        with self._lock:
            if self._entry is None or self._entry.version != version:
                self._entry = _Entry(version)
            return self._entry

    def projection(self) -> Projection:
        """The projection of the current graph version (rebuilt only if the version moved)."""
        entry = self._current()
        return entry.projection.get(lambda: build_projection(self._store.to_networkx(), entry.version))

    def derived(self, key: str, compute: Callable[[Projection], T]) -> T:
        """A result computed from the current projection, memoised until the version changes."""
        entry = self._current()
        projection = entry.projection.get(lambda: build_projection(self._store.to_networkx(), entry.version))
        with self._lock:
            slot = entry.derived.setdefault(key, _Once())
        return slot.get(lambda: compute(projection))

    def adopt_own_write(self, before: int, after: int) -> bool:
        """After our own write-back moved the version ``before`` → ``after``, keep the cache valid.

        Only when nobody else wrote in between (``after == before + 1``: one
        transaction, one bump); otherwise the next read rebuilds as usual.
        """
        with self._lock:
            entry = self._entry
            if entry is None or entry.version != before or after != before + 1:
                return False
            projection = entry.projection.replaced(lambda p: replace(p, version=after))
            self._entry = _Entry(after, projection, entry.derived)
            return True
