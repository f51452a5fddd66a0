"""Introduction paths: the best ``k`` loopless paths from A to B on the tie graph.

A path is as strong as its hops together: ``strength = Π hop strengths``, ranked by
``cost = Σ -log(hop strength)`` plus, unless switched off, the broker cost of each
intermediary (:meth:`~innograph.queries.tie_graph.TieGraph.broker_costs`: organisations
outside the home ecosystem and umbrella organisations cost extra). When A and B are already
tied, that direct tie is path 1 and the answer says so first (``already_partners``).

The search is exact (same answers, in the same order, as Yen's k-shortest simple paths
restricted to ``max_hops``) but bounded:

1. **Hop-bounded lower bounds from B** — ``bounds[r][v]`` is the cheapest cost from
   ``v`` to B in at most ``r`` hops through allowed intermediaries (Bellman-Ford
   rounds, ``max_hops - 1`` of them whatever ``k``; the last only at A's neighbours).
2. **Best-first enumeration of simple paths from A** keyed by ``g + bounds[r][v]``
   (A* with an exact, hop-aware heuristic): a partial path is only extended while
   it can still reach B within the hop budget, children are generated lazily in
   key order (one heap entry per parent at a time, so hubs with a thousand
   partners cost one heapify, not a thousand pushes), and complete paths come off the
   heap in order of cost. All ``k`` paths share one search — nothing is redone
   between them.

The heuristic ignores loops, so it never overestimates: the first ``k`` complete
paths popped are the ``k`` best simple ones. Both steps run compiled
(:mod:`innograph.queries.path_search`); this module validates the query and explains the answer.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Literal
from urllib.parse import urlencode

import numpy as np
from pydantic import BaseModel, Field

from innograph.errors import InvalidRequestError, NotFoundError
from innograph.queries.path_search import cheapest_paths, hop_bounds, k_best_paths
from innograph.queries.path_snapshot import PathSnapshot, Tie
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
SHOWN_PROJECTS = 5  # projects named in a hop's explanation, at most
Searchable = TieGraph | PathSnapshot
"""Either form of the path graph: the search reads only their shared arrays (partners search the tie graph)."""
EVIDENCE = 3
"""Projects listed per hop by default: the strongest ones; the hop counts the rest and links to them all."""
MAX_EVIDENCE = 1000


class NodeRef(BaseModel):
    """An organisation (or a manager-less cluster) on a path, and where it is."""

    id: str
    name: str
    kind: str
    city: str | None = None
    region: str | None = Field(default=None, description="NUTS code")
    home: bool = Field(default=False, description="in the home ecosystem")

    @classmethod
    def of(cls, data: dict[str, Any]) -> NodeRef:
        """From a node's attributes (``id``, ``name``, ``kind``, ``city``, ``region``, ``home``)."""
        return cls(
            id=data["id"],
            name=data["name"],
            kind=data["kind"],
            city=data.get("city"),
            region=data.get("region"),
            home=bool(data.get("home")),
        )


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
    evidence: list[Evidence] = Field(
        description="the strongest projects (most recent first; how many is the query's `evidence`), "
        "then a declared partnership and the cluster memberships"
    )
    projects: int = Field(default=0, ge=0, description="projects both ends took part in, listed or not")
    more_projects: int = Field(default=0, ge=0, description="projects not listed in `evidence`")
    all_evidence: str | None = Field(
        default=None, description="where every project of this tie is listed (`GET /ties`), when some are not here"
    )
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
    graph_version: int | None = Field(default=None, description="the graph version the answer was computed on")


# --- the search on arrays ----------------------------------------------------------


def relax(ties: Searchable, costs: np.ndarray, layer: np.ndarray) -> np.ndarray:
    """``min over neighbours w of cost(v, w) + layer[w]`` for every node ``v`` (one pass in C)."""
    best = np.full(len(ties.ids), np.inf)
    rows = ties.nonempty_rows
    if rows.size:
        best[rows] = np.minimum.reduceat(costs + layer[ties.indices], ties.indptr[rows])
    return best


def intermediary_mask(ties: Searchable, avoid: Iterable[int] = (), kinds: Collection[str] | None = None) -> np.ndarray:
    """Which nodes may stand between the ends of a path."""
    allowed = np.ones(len(ties.ids), dtype=bool) if kinds is None else np.isin(ties.kinds, list(kinds))
    allowed[list(avoid)] = False
    return allowed


# --- turning index paths into explained answers ------------------------------------


def node_ref(ties: TieGraph, node: str) -> NodeRef:
    """Id, name, kind and place of a tie-graph node."""
    return NodeRef.of({"id": node, **ties.graph.nodes[node]})


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


def _projects_text(tie: Tie) -> str:
    n = tie.projects
    listed = [e for e in tie.evidence if isinstance(e, ProjectEvidence)][:SHOWN_PROJECTS]
    latest = f", latest {tie.latest_year}" if tie.latest_year is not None else ""
    named = ", ".join(f"{p.label} ({p.consortium_size} partners)" for p in listed)
    more = f" and {n - len(listed)} more" if n > len(listed) else ""
    return f"cooperated in {n} project{'s' if n > 1 else ''}{latest}: {named}{more}"


def _cluster_text(ties: PathSnapshot, evidence: ClusterEvidence) -> str:
    member = ties.name(ties.index[evidence.member_id])
    since = f" (since {evidence.since})" if evidence.since is not None else ""
    if evidence.manager_id is None:
        return f"{member} is a member of cluster {evidence.name}{since}, which has no managing organisation on record"
    manager = ties.name(ties.index[evidence.manager_id])
    return f"{member} is a member of cluster {evidence.name}{since}, managed by {manager}"


def explain(ties: PathSnapshot, tie: Tie) -> str:
    """One plain-language sentence per kind of evidence, joined by semicolons.

    The projects' sentence counts all of them and names the listed ones (at most
    :data:`SHOWN_PROJECTS`), so a capped hop says "and N more".
    """
    parts = [_projects_text(tie)] if tie.projects else []
    for item in tie.evidence:
        if isinstance(item, DeclaredEvidence):
            parts.append("a partnership declared by " + (", ".join(item.sources) or "a source"))
        elif isinstance(item, ClusterEvidence):
            parts.append(_cluster_text(ties, item))
    return "; ".join(parts)


_HOP_KIND = {"project": "cooperation", "declared": "declared", "cluster": "cluster"}


def ties_link(ties: PathSnapshot, u: int, v: int, since_year: int | None) -> str:
    """The request that lists every project of the tie ``u -- v`` (``GET /ties``)."""
    query = {"from": ties.ids[u], "to": ties.ids[v], **({"since": since_year} if since_year is not None else {})}
    return "/ties?" + urlencode(query)


def make_hop(ties: PathSnapshot, u: int, v: int, since_year: int | None = None, evidence: int | None = None) -> Hop:
    """The hop ``u -> v`` with its strength, evidence (the ``evidence`` strongest projects; ``None``: all),
    explanation, and where the organisation it reaches is (:func:`place_text`), so staff see whom they can call."""
    tie = ties.tie(u, v, since_year, evidence)
    to = ties.node(v)
    more = tie.projects - tie.listed_projects
    return Hop(
        from_id=ties.ids[u],
        from_name=ties.name(u),
        to_id=to["id"],
        to_name=to["name"],
        to_kind=to["kind"],
        to_city=to["city"],
        to_region=to["region"],
        to_home=to["home"],
        to_place=None if to["kind"] == CLUSTER_KIND else place_text(to),
        kind=_HOP_KIND[tie.evidence[0].kind] if tie.evidence else "cooperation",
        strength=tie.strength,
        evidence=tie.evidence,
        projects=tie.projects,
        more_projects=more,
        all_evidence=ties_link(ties, u, v, since_year) if more else None,
        explanation=explain(ties, tie),
    )


def make_path(
    ties: PathSnapshot,
    nodes: list[int],
    since_year: int | None = None,
    brokers: bool = True,
    evidence: int | None = EVIDENCE,
) -> IntroductionPath:
    """An :class:`IntroductionPath` through ``nodes`` (indices) with a :func:`make_hop` for every hop."""
    hops = [make_hop(ties, u, v, since_year, evidence) for u, v in pairwise(nodes)]
    tie_cost = sum(-math.log(hop.strength) for hop in hops)
    broker_cost = float(sum(ties.broker_costs[node] for node in nodes[1:-1])) if brokers else 0.0
    return IntroductionPath(strength=math.exp(-tie_cost), cost=tie_cost + broker_cost, hops=hops)


# --- the query -----------------------------------------------------------------------


def check_limit(name: str, value: int, high: int) -> None:
    """:class:`InvalidRequestError` naming the parameter unless ``1 <= value <= high``."""
    if not 1 <= value <= high:
        raise InvalidRequestError(f"{name} must be between 1 and {high}, got {value}")


def organisation_index(ties: PathSnapshot, org_id: str, name: str = "organisation") -> int:
    """Index of an organisation; :class:`NotFoundError` if there is none with this id."""
    i = ties.index.get(org_id)
    if i is None or ties.kinds[i] == CLUSTER_KIND:
        raise NotFoundError(f"{name}: no organisation with id {org_id!r}")
    return i


@dataclass(frozen=True)
class _Query:
    """A validated path query on arrays."""

    ties: PathSnapshot
    source: int
    target: int
    max_hops: int
    avoid: frozenset[int]
    kinds: frozenset[str] | None
    since_year: int | None
    brokers: bool = True
    evidence: int | None = EVIDENCE

    @property
    def costs(self) -> np.ndarray:
        return self.ties.entry_costs(self.since_year, self.brokers)

    def allowed(self, end: int) -> np.ndarray:
        """The intermediaries of paths that end at ``end`` (never one itself: paths are simple)."""
        return intermediary_mask(self.ties, self.avoid | {end}, self.kinds)

    def path(self, nodes: Iterable[int]) -> IntroductionPath:
        return make_path(self.ties, list(nodes), self.since_year, self.brokers, self.evidence)

    def direct_tie(self) -> bool:
        """Whether source and target are tied (with evidence left after ``since_year``)."""
        ties, lo, hi = self.ties, self.ties.indptr[self.source], self.ties.indptr[self.source + 1]
        at = lo + int(np.searchsorted(ties.indices[lo:hi], self.target))
        return at < hi and ties.indices[at] == self.target and bool(np.isfinite(self.costs[at]))


def _validated(
    ties: PathSnapshot,
    source: str,
    target: str,
    k: int,
    max_hops: int,
    avoid: Iterable[str],
    kinds: Iterable[str] | None,
    since_year: int | None,
    brokers: bool,
    evidence: int | None,
) -> _Query:
    check_limit("k", k, MAX_K)
    check_limit("max_hops", max_hops, MAX_HOPS)
    if evidence is not None and not 0 <= evidence <= MAX_EVIDENCE:
        raise InvalidRequestError(f"evidence must be between 0 and {MAX_EVIDENCE}, got {evidence}")
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
    return _Query(ties, s, t, max_hops, avoided, kind_set, since_year, brokers, evidence)


def find_paths(
    ties: PathSnapshot,
    source: str,
    target: str,
    *,
    k: int = 3,
    max_hops: int = 4,
    avoid: Iterable[str] = (),
    allowed_intermediary_kinds: Iterable[str] | None = None,
    since_year: int | None = None,
    prefer_brokers: bool = True,
    evidence: int | None = EVIDENCE,
) -> PathAnswer:
    """The best ``k`` (≤ 10) loopless paths of at most ``max_hops`` (≤ 6) hops from ``source`` to ``target``.

    Intermediaries avoid the organisations in ``avoid`` and, if given, are of one of
    ``allowed_intermediary_kinds`` (organisation kinds, or ``"Cluster"`` for a
    manager-less cluster); ``since_year`` keeps only projects that ran in or after
    that year; ``prefer_brokers`` adds the broker costs (home organisations and cluster
    managers preferred, umbrella organisations penalised) to the ranking. If source and target
    are already tied, that tie is path 1 and ``already_partners`` says so; the next paths are
    the best others. Every hop lists its ``evidence`` strongest projects (``None``: all of them) and
    counts the rest. With no path the answer says why and offers the nearest alternatives.
    Unknown ids raise :class:`NotFoundError`, bad limits or contradictory parameters :class:`InvalidRequestError`.
    """
    query = _validated(
        ties, source, target, k, max_hops, avoid, allowed_intermediary_kinds, since_year, prefer_brokers, evidence
    )
    allowed = query.allowed(query.source)
    best = k_best_paths(ties.indptr, ties.indices, query.costs, allowed, query.source, query.target, k, max_hops)
    found = [nodes for _, nodes in best]
    answer = PathAnswer(
        source=NodeRef.of(ties.node(query.source)),
        target=NodeRef.of(ties.node(query.target)),
        paths=[],
        graph_version=ties.version,
    )
    if query.direct_tie():
        direct = (query.source, query.target)
        found = [direct, *(nodes for nodes in found if nodes != direct)][:k]
        tie = ties.tie(query.source, query.target, since_year, evidence)
        answer.already_partners = f"already partners: {explain(ties, tie)}"
    if found:
        answer.paths = [query.path(nodes) for nodes in found]
    else:
        answer.no_path_reason = _no_path_reason(query)
        answer.alternatives = _alternatives(query, k)
    return answer


def _no_path_reason(query: _Query) -> str:
    ties = query.ties
    source, target = query.source, query.target
    names = {node: ties.name(node) for node in (source, target)}
    for node in (target, source):
        if ties.degree[node] == 0:
            return f"{names[node]} has no recorded cooperation or cluster membership"
    if ties.component_of(source) != ties.component_of(target):
        return f"no chain of cooperation or cluster membership connects {names[source]} and {names[target]}"
    limits = [f"of at most {query.max_hops} hop{'s' if query.max_hops > 1 else ''}"]
    if query.avoid:
        limits.append("avoiding " + ", ".join(sorted(ties.name(i) for i in query.avoid)))
    if query.kinds is not None:
        limits.append("through " + ", ".join(sorted(query.kinds)) + " only")
    if query.since_year is not None:
        limits.append(f"with ties since {query.since_year}")
    return f"no path {', '.join(limits)} connects {names[source]} and {names[target]}"


def _near_target(query: _Query) -> dict[int, tuple[float, str]]:
    """Organisations one tie (or one shared manager-less cluster) from the target: cost and relation."""
    ties, costs, t = query.ties, query.costs, query.target
    target_name = ties.name(t)
    near: dict[int, tuple[float, str]] = {}

    def offer(node: int, cost: float, relation: str) -> None:
        if node not in (t, query.source) and node not in query.avoid and cost < near.get(node, (math.inf, ""))[0]:
            near[node] = (cost, relation)

    for entry in range(ties.indptr[t], ties.indptr[t + 1]):
        w, cost = int(ties.indices[entry]), float(costs[entry])
        if not math.isfinite(cost):
            continue
        if ties.kinds[w] != CLUSTER_KIND:
            tie = ties.tie(w, t, query.since_year, query.evidence)
            offer(w, cost, f"tied to {target_name}: {explain(ties, tie)}")
            continue
        cluster = ties.name(w)
        for second in range(ties.indptr[w], ties.indptr[w + 1]):
            offer(int(ties.indices[second]), cost + costs[second], f"member of cluster {cluster}, like {target_name}")
    return near


def _alternatives(query: _Query, k: int) -> list[Alternative]:
    """Up to ``k`` organisations near the target that the source can reach, strongest chain first."""
    near = _near_target(query)
    if not near:
        return []
    ties, costs = query.ties, query.costs
    bounds = hop_bounds(ties.indptr, ties.indices, costs, query.allowed(query.target), query.source, query.max_hops)
    reach = relax(ties, costs, bounds[-1])
    ranked = sorted((reach[node] + tie_cost, node) for node, (tie_cost, _) in near.items() if np.isfinite(reach[node]))
    alternatives = []
    for _, node in ranked[:k]:
        [(_, nodes)] = cheapest_paths(ties.indptr, ties.indices, costs, bounds, node, query.source, 1)
        tie_cost, relation = near[node]
        alternatives.append(
            Alternative(
                organisation=NodeRef.of(query.ties.node(node)),
                relation=relation,
                tie_strength=math.exp(-tie_cost),
                path=query.path(reversed(nodes)),
            )
        )
    return alternatives
