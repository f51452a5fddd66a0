"""Introduction paths: the best ``k`` loopless paths from A to B on the tie graph.

A path is as strong as its hops together: ``strength = Π hop strengths``, ranked by
``cost = Σ -log(hop strength)`` plus, unless switched off, the broker cost of each
intermediary (:meth:`~innograph.queries.tie_graph.TieGraph.broker_costs`: organisations
outside the home ecosystem and umbrella organisations cost extra). When A and B are already
tied, that direct tie is path 1 and the answer says so first (``already_partners``).

The search is exact (same answers, in the same order, as Yen's k-shortest simple paths
restricted to ``max_hops``) but bounded:

1. **Hop-bounded lower bounds from B** — ``layers[r][v]`` is the cheapest cost from
   ``v`` to B in at most ``r`` hops through allowed intermediaries (Bellman-Ford
   rounds, one vectorised pass over the edge arrays per hop, so ``max_hops - 1``
   passes in C, whatever ``k``).
2. **Best-first enumeration of simple paths from A** keyed by ``g + layers[r][v]``
   (A* with an exact, hop-aware heuristic): a partial path is only extended while
   it can still reach B within the hop budget, children are generated lazily in
   key order (one heap entry per parent at a time, so hubs with a thousand
   partners cost one sort, not a thousand pushes), and complete paths come off the
   heap in order of cost. All ``k`` paths share one search — nothing is redone
   between them.

The heuristic ignores loops, so it never overestimates: the first ``k`` complete
paths popped are the ``k`` best simple ones.

Over 400 lines on purpose: the search on arrays, the explained answer models and the query rules
(limits, direct tie first, no-path reasons, alternatives) are used together and only together.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from itertools import count, pairwise
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from innograph.errors import InvalidRequestError, NotFoundError
from innograph.queries.tie_graph import (
    CLUSTER_KIND,
    NODE_KINDS,
    ClusterEvidence,
    DeclaredEvidence,
    Evidence,
    ProjectEvidence,
    TieGraph,
)

MAX_K = 10
MAX_HOPS = 6
SHOWN_PROJECTS = 5  # projects named in a hop's explanation; the evidence lists all of them


class NodeRef(BaseModel):
    """An organisation (or a manager-less cluster) on a path, and where it is."""

    id: str
    name: str
    kind: str
    city: str | None = None
    region: str | None = Field(default=None, description="NUTS code")
    home: bool = Field(default=False, description="in the home ecosystem")


class Hop(BaseModel):
    """One step of a path, with the evidence that makes it credible."""

    from_id: str
    from_name: str
    to_id: str
    to_name: str
    to_kind: str
    to_city: str | None = None
    to_region: str | None = Field(default=None, description="NUTS code of the organisation reached")
    to_home: bool = Field(default=False, description="the organisation reached is in the home ecosystem")
    to_place: str | None = Field(default=None, description='where it is, in words: "Jena (DEG03), home ecosystem"')
    kind: Literal["cooperation", "declared", "cluster"] = Field(description="the strongest kind of evidence")
    strength: float = Field(gt=0, le=1)
    evidence: list[Evidence]
    explanation: str


class IntroductionPath(BaseModel):
    """A chain of hops from the source to its end."""

    strength: float = Field(gt=0, le=1, description="product of the hop strengths")
    cost: float = Field(ge=0, description="the ranking key: -log(strength) plus the intermediaries' broker costs")
    hops: list[Hop]


class Alternative(BaseModel):
    """When B is out of reach: someone close to B that A can reach."""

    organisation: NodeRef
    relation: str = Field(description="how this organisation is tied to the target")
    tie_strength: float = Field(gt=0, le=1)
    path: IntroductionPath


class PathAnswer(BaseModel):
    """The best paths from source to target, or why there is none and what is nearest."""

    source: NodeRef
    target: NodeRef
    already_partners: str | None = Field(
        default=None, description="set when source and target are already tied: that tie, in words (it is path 1)"
    )
    paths: list[IntroductionPath]
    no_path_reason: str | None = None
    alternatives: list[Alternative] = Field(default_factory=list)


# --- the search on arrays ----------------------------------------------------------


def relax(ties: TieGraph, costs: np.ndarray, layer: np.ndarray) -> np.ndarray:
    """``min over neighbours w of cost(v, w) + layer[w]`` for every node ``v`` (one pass in C)."""
    best = np.full(len(ties.ids), np.inf)
    rows = ties.nonempty_rows
    if rows.size:
        best[rows] = np.minimum.reduceat(costs + layer[ties.indices], ties.indptr[rows])
    return best


def _entries(ties: TieGraph, rows: np.ndarray) -> np.ndarray:
    """The CSR entry numbers of ``rows``, concatenated (no Python loop)."""
    lengths = ties.degree[rows]
    firsts = ties.indptr[rows] - (np.cumsum(lengths) - lengths)
    return np.repeat(firsts, lengths) + np.arange(lengths.sum())


def hop_layers(
    ties: TieGraph,
    costs: np.ndarray,
    allowed: np.ndarray,
    start: int,
    rounds: int,
    last_only: np.ndarray | None = None,
) -> list[np.ndarray]:
    """``layers[r][v]``: cheapest cost between ``v`` and ``start`` in ≤ r hops, intermediaries ``allowed``.

    Returns ``rounds + 1`` arrays; a node that may not be an intermediary is ``inf``
    everywhere except as ``start`` itself. Each round only relaxes the edges of the
    nodes the previous round improved, so the first rounds touch a few rows only.

    ``last_only`` (node indices): compute the last round for these nodes only, by
    pulling over their own rows; it is exact there and ``inf`` elsewhere. A search
    from A to ``start`` reads the last layer only at A's neighbours, and on a dense
    graph the full last round is a pass over nearly every edge, so this is where
    most of a query's time went (25 of 31 ms on the 5k synthetic graph).
    """
    layer = np.full(len(ties.ids), np.inf)
    layer[start] = 0.0
    layers, changed = [layer], np.array([start])
    for done in range(rounds):
        if last_only is not None and done == rounds - 1:
            layers.append(_pull(ties, costs, allowed, layer, last_only, start))
            break
        entries = _entries(ties, changed)
        nodes = ties.indices[entries]
        offers = np.repeat(layer[changed], ties.degree[changed]) + costs[entries]
        keep = allowed[nodes]
        nxt = layer.copy()
        np.minimum.at(nxt, nodes[keep], offers[keep])
        changed = np.flatnonzero(nxt < layer)
        layers.append(nxt)
        layer = nxt
    return layers


def _pull(
    ties: TieGraph, costs: np.ndarray, allowed: np.ndarray, layer: np.ndarray, rows: np.ndarray, start: int
) -> np.ndarray:
    """One more round of :func:`hop_layers` for ``rows`` only (``inf`` elsewhere, 0 at ``start``)."""
    nxt = np.full(len(ties.ids), np.inf)
    rows = rows[allowed[rows] & (ties.degree[rows] > 0)]
    if rows.size:
        entries = _entries(ties, rows)
        firsts = np.cumsum(ties.degree[rows]) - ties.degree[rows]
        nxt[rows] = np.minimum(layer[rows], np.minimum.reduceat(costs[entries] + layer[ties.indices[entries]], firsts))
    nxt[start] = 0.0
    return nxt


@dataclass(frozen=True)
class _Children:
    """The feasible extensions of one partial path, cheapest key first."""

    path: tuple[int, ...]
    g: float
    nodes: np.ndarray
    costs: np.ndarray
    keys: np.ndarray


def best_paths(
    ties: TieGraph, costs: np.ndarray, layers: list[np.ndarray], source: int, target: int, k: int
) -> list[tuple[float, tuple[int, ...]]]:
    """The ``k`` cheapest simple paths ``source -> target`` of at most ``len(layers)`` hops.

    ``layers`` come from :func:`hop_layers` started at ``target``; the source itself
    may be of any kind (it is an end, not an intermediary).
    """
    max_hops = len(layers)
    heap: list[tuple[float, int, _Children, int]] = []
    tiebreak = count()

    def expand(path: tuple[int, ...], g: float) -> None:
        budget = max_hops - len(path)  # hops left after the next one
        lo, hi = ties.indptr[path[-1]], ties.indptr[path[-1] + 1]
        if budget < 0 or lo == hi:
            return
        nodes, edge_costs = ties.indices[lo:hi], costs[lo:hi]
        keys = edge_costs + layers[budget][nodes]
        visited = np.array(path)  # rows are sorted: look the path's nodes up among the neighbours
        at = np.minimum(np.searchsorted(nodes, visited), nodes.size - 1)
        keys[at[nodes[at] == visited]] = np.inf
        feasible = np.flatnonzero(np.isfinite(keys))
        if feasible.size:
            order = feasible[np.argsort(keys[feasible], kind="stable")]
            push(_Children(path, g, nodes[order], edge_costs[order], keys[order]), 0)

    def push(children: _Children, pos: int) -> None:
        heapq.heappush(heap, (children.g + float(children.keys[pos]), next(tiebreak), children, pos))

    found: list[tuple[float, tuple[int, ...]]] = []
    expand((source,), 0.0)
    while heap and len(found) < k:
        _, _, children, pos = heapq.heappop(heap)
        if pos + 1 < len(children.nodes):
            push(children, pos + 1)
        node, g = int(children.nodes[pos]), children.g + float(children.costs[pos])
        path = (*children.path, node)
        if node == target:
            found.append((g, path))
        else:
            expand(path, g)
    return found


def intermediary_mask(ties: TieGraph, avoid: Iterable[int] = (), kinds: Collection[str] | None = None) -> np.ndarray:
    """Which nodes may stand between the ends of a path."""
    allowed = np.ones(len(ties.ids), dtype=bool) if kinds is None else np.isin(ties.kinds, list(kinds))
    allowed[list(avoid)] = False
    return allowed


# --- turning index paths into explained answers ------------------------------------


def node_ref(ties: TieGraph, node: str) -> NodeRef:
    """Id, name, kind and place of a tie-graph node."""
    data = ties.graph.nodes[node]
    return NodeRef(
        id=node,
        name=data["name"],
        kind=data["kind"],
        city=data.get("city"),
        region=data.get("region"),
        home=bool(data.get("home")),
    )


def place_text(data: dict) -> str:
    """Where an organisation is, for staff deciding whom to call: "Jena (DEG03), home ecosystem".

    >>> place_text({"city": "JENA", "region": "DEG03", "home": True})
    'Jena (DEG03), home ecosystem'
    >>> place_text({"country": "FR"})
    'FR, outside the home ecosystem'
    """
    city = data.get("city")
    where = city.title() if city and city.isupper() else city
    code = data.get("region") or data.get("country")
    place = f"{where} ({code})" if where and code else (where or code or "location not recorded")
    return f"{place}, {'home ecosystem' if data.get('home') else 'outside the home ecosystem'}"


def _projects_text(projects: list[ProjectEvidence]) -> str:
    n = len(projects)
    latest = f", latest {projects[0].year}" if projects[0].year is not None else ""
    named = ", ".join(f"{p.label} ({p.consortium_size} partners)" for p in projects[:SHOWN_PROJECTS])
    more = f" and {n - SHOWN_PROJECTS} more" if n > SHOWN_PROJECTS else ""
    return f"cooperated in {n} project{'s' if n > 1 else ''}{latest}: {named}{more}"


def _cluster_text(ties: TieGraph, evidence: ClusterEvidence) -> str:
    member = ties.graph.nodes[evidence.member_id]["name"]
    since = f" (since {evidence.since})" if evidence.since is not None else ""
    if evidence.manager_id is None:
        return f"{member} is a member of cluster {evidence.name}{since}, which has no managing organisation on record"
    manager = ties.graph.nodes[evidence.manager_id]["name"]
    return f"{member} is a member of cluster {evidence.name}{since}, managed by {manager}"


def explain(ties: TieGraph, evidence: list[Evidence]) -> str:
    """One plain-language sentence per kind of evidence, joined by semicolons."""
    projects = [e for e in evidence if isinstance(e, ProjectEvidence)]
    parts = [_projects_text(projects)] if projects else []
    for item in evidence:
        if isinstance(item, DeclaredEvidence):
            parts.append("a partnership declared by " + (", ".join(item.sources) or "a source"))
        elif isinstance(item, ClusterEvidence):
            parts.append(_cluster_text(ties, item))
    return "; ".join(parts)


_HOP_KIND = {"project": "cooperation", "declared": "declared", "cluster": "cluster"}


def make_path(
    ties: TieGraph, nodes: list[str], since_year: int | None = None, brokers: bool = True
) -> IntroductionPath:
    """An :class:`IntroductionPath` through ``nodes`` with strength, evidence and explanation on every hop.

    Every hop also says where the organisation it reaches is (:func:`place_text`), so staff see
    whom they can call.
    """
    hops = []
    for u, v in pairwise(nodes):
        strength, evidence = ties.tie(u, v, since_year)
        to = ties.graph.nodes[v]
        hops.append(
            Hop(
                from_id=u,
                from_name=ties.graph.nodes[u]["name"],
                to_id=v,
                to_name=to["name"],
                to_kind=to["kind"],
                to_city=to.get("city"),
                to_region=to.get("region"),
                to_home=bool(to.get("home")),
                to_place=None if to["kind"] == CLUSTER_KIND else place_text(to),
                kind=_HOP_KIND[evidence[0].kind],
                strength=strength,
                evidence=evidence,
                explanation=explain(ties, evidence),
            )
        )
    tie_cost = sum(-math.log(hop.strength) for hop in hops)
    broker_cost = float(sum(ties.broker_costs[ties.index[node]] for node in nodes[1:-1])) if brokers else 0.0
    return IntroductionPath(strength=math.exp(-tie_cost), cost=tie_cost + broker_cost, hops=hops)


# --- the query -----------------------------------------------------------------------


def check_limit(name: str, value: int, high: int) -> None:
    """:class:`InvalidRequestError` naming the parameter unless ``1 <= value <= high``."""
    if not 1 <= value <= high:
        raise InvalidRequestError(f"{name} must be between 1 and {high}, got {value}")


def organisation_index(ties: TieGraph, org_id: str, name: str = "organisation") -> int:
    """Index of an organisation; :class:`NotFoundError` if there is none with this id."""
    i = ties.index.get(org_id)
    if i is None or ties.kinds[i] == CLUSTER_KIND:
        raise NotFoundError(f"{name}: no organisation with id {org_id!r}")
    return i


@dataclass(frozen=True)
class _Query:
    """A validated path query on arrays."""

    ties: TieGraph
    source: int
    target: int
    max_hops: int
    avoid: frozenset[int]
    kinds: frozenset[str] | None
    since_year: int | None
    brokers: bool = True

    @property
    def costs(self) -> np.ndarray:
        return self.ties.entry_costs(self.since_year, self.brokers)

    def layers_from(self, start: int, end: int, *, searched_from_end: bool = False) -> list[np.ndarray]:
        """Hop layers from ``start`` for paths that end at ``end`` (never an intermediary: paths are simple).

        ``searched_from_end``: the layers only serve a search that starts at ``end``,
        so the last one is needed at ``end``'s neighbours only (see :func:`hop_layers`).
        """
        allowed = intermediary_mask(self.ties, self.avoid | {end}, self.kinds)
        ties = self.ties
        near_end = ties.indices[ties.indptr[end] : ties.indptr[end + 1]] if searched_from_end else None
        return hop_layers(ties, self.costs, allowed, start, self.max_hops - 1, near_end)

    def path(self, nodes: Iterable[int]) -> IntroductionPath:
        return make_path(self.ties, [self.ties.ids[i] for i in nodes], self.since_year, self.brokers)

    def direct_tie(self) -> bool:
        """Whether source and target are tied (with evidence left after ``since_year``)."""
        ties, lo, hi = self.ties, self.ties.indptr[self.source], self.ties.indptr[self.source + 1]
        at = lo + int(np.searchsorted(ties.indices[lo:hi], self.target))
        return at < hi and ties.indices[at] == self.target and bool(np.isfinite(self.costs[at]))


def _validated(
    ties: TieGraph,
    source: str,
    target: str,
    k: int,
    max_hops: int,
    avoid: Iterable[str],
    kinds: Iterable[str] | None,
    since_year: int | None,
    brokers: bool,
) -> _Query:
    check_limit("k", k, MAX_K)
    check_limit("max_hops", max_hops, MAX_HOPS)
    s, t = organisation_index(ties, source, "source"), organisation_index(ties, target, "target")
    if s == t:
        raise InvalidRequestError("target must differ from source")
    avoided = frozenset(organisation_index(ties, org, "avoid") for org in avoid)
    if avoided & {s, t}:
        raise InvalidRequestError("avoid must not contain the source or the target")
    kind_set = None if kinds is None else frozenset(kinds)
    if kind_set is not None and kind_set - NODE_KINDS:
        raise InvalidRequestError(
            f"allowed_intermediary_kinds: unknown kind(s) {sorted(kind_set - NODE_KINDS)}; known: {sorted(NODE_KINDS)}"
        )
    return _Query(ties, s, t, max_hops, avoided, kind_set, since_year, brokers)


def find_paths(
    ties: TieGraph,
    source: str,
    target: str,
    *,
    k: int = 3,
    max_hops: int = 4,
    avoid: Iterable[str] = (),
    allowed_intermediary_kinds: Iterable[str] | None = None,
    since_year: int | None = None,
    prefer_brokers: bool = True,
) -> PathAnswer:
    """The best ``k`` (≤ 10) loopless paths of at most ``max_hops`` (≤ 6) hops from ``source`` to ``target``.

    Intermediaries avoid the organisations in ``avoid`` and, if given, are of one of
    ``allowed_intermediary_kinds`` (organisation kinds, or ``"Cluster"`` for a
    manager-less cluster); ``since_year`` keeps only projects that ran in or after
    that year; ``prefer_brokers`` adds the broker costs (home organisations and cluster
    managers preferred, umbrella organisations penalised) to the ranking. If source and target
    are already tied, that tie is path 1 and ``already_partners`` says so; the next paths are
    the best others. With no path the answer says why and offers the nearest alternatives.
    Unknown ids raise :class:`NotFoundError`, bad limits or contradictory parameters :class:`InvalidRequestError`.
    """
    query = _validated(ties, source, target, k, max_hops, avoid, allowed_intermediary_kinds, since_year, prefer_brokers)
    layers = query.layers_from(query.target, query.source, searched_from_end=True)
    found = [nodes for _, nodes in best_paths(ties, query.costs, layers, query.source, query.target, k)]
    answer = PathAnswer(source=node_ref(ties, source), target=node_ref(ties, target), paths=[])
    if query.direct_tie():
        direct = (query.source, query.target)
        found = [direct, *(nodes for nodes in found if nodes != direct)][:k]
        _, evidence = ties.tie(source, target, since_year)
        answer.already_partners = f"already partners: {explain(ties, evidence)}"
    if found:
        answer.paths = [query.path(nodes) for nodes in found]
    else:
        answer.no_path_reason = _no_path_reason(query)
        answer.alternatives = _alternatives(query, k)
    return answer


def _no_path_reason(query: _Query) -> str:
    ties = query.ties
    source, target = ties.ids[query.source], ties.ids[query.target]
    names = {node: ties.graph.nodes[node]["name"] for node in (source, target)}
    for node in (target, source):
        if ties.degree[ties.index[node]] == 0:
            return f"{names[node]} has no recorded cooperation or cluster membership"
    if ties.component[source] != ties.component[target]:
        return f"no chain of cooperation or cluster membership connects {names[source]} and {names[target]}"
    limits = [f"of at most {query.max_hops} hop{'s' if query.max_hops > 1 else ''}"]
    if query.avoid:
        limits.append("avoiding " + ", ".join(sorted(ties.graph.nodes[ties.ids[i]]["name"] for i in query.avoid)))
    if query.kinds is not None:
        limits.append("through " + ", ".join(sorted(query.kinds)) + " only")
    if query.since_year is not None:
        limits.append(f"with ties since {query.since_year}")
    return f"no path {', '.join(limits)} connects {names[source]} and {names[target]}"


def _near_target(query: _Query) -> dict[int, tuple[float, str]]:
    """Organisations one tie (or one shared manager-less cluster) from the target: cost and relation."""
    ties, costs, t = query.ties, query.costs, query.target
    target_name = ties.graph.nodes[ties.ids[t]]["name"]
    near: dict[int, tuple[float, str]] = {}

    def offer(node: int, cost: float, relation: str) -> None:
        if node not in (t, query.source) and node not in query.avoid and cost < near.get(node, (math.inf, ""))[0]:
            near[node] = (cost, relation)

    for entry in range(ties.indptr[t], ties.indptr[t + 1]):
        w, cost = int(ties.indices[entry]), float(costs[entry])
        if not math.isfinite(cost):
            continue
        if ties.kinds[w] != CLUSTER_KIND:
            _, evidence = ties.tie(ties.ids[w], ties.ids[t], query.since_year)
            offer(w, cost, f"tied to {target_name}: {explain(ties, evidence)}")
            continue
        cluster = ties.graph.nodes[ties.ids[w]]["name"]
        for second in range(ties.indptr[w], ties.indptr[w + 1]):
            offer(int(ties.indices[second]), cost + costs[second], f"member of cluster {cluster}, like {target_name}")
    return near


def _alternatives(query: _Query, k: int) -> list[Alternative]:
    """Up to ``k`` organisations near the target that the source can reach, strongest chain first."""
    near = _near_target(query)
    if not near:
        return []
    layers = query.layers_from(query.source, query.target)
    reach = relax(query.ties, query.costs, layers[-1])
    ranked = sorted((reach[node] + tie_cost, node) for node, (tie_cost, _) in near.items() if np.isfinite(reach[node]))
    alternatives = []
    for _, node in ranked[:k]:
        [(_, nodes)] = best_paths(query.ties, query.costs, layers, node, query.source, 1)
        tie_cost, relation = near[node]
        alternatives.append(
            Alternative(
                organisation=node_ref(query.ties, query.ties.ids[node]),
                relation=relation,
                tie_strength=math.exp(-tie_cost),
                path=query.path(reversed(nodes)),
            )
        )
    return alternatives
