"""The path graph ("tie graph"): who can vouch for whom, and why.

Built once per graph version from the store's projection
(:meth:`graph.store.Store.to_networkx`), it holds organisations tied by

* **cooperation** — shared projects, read from ``PARTICIPATES_IN`` (so the tie is
  the same whether or not ``COOPERATES_WITH`` was derived yet), plus partnerships a
  source declares (``COOPERATES_WITH {declared: true}``);
* **cluster membership** — a hop *through* the cluster's managing organisation (the
  one who can actually introduce): one ``member -- manager`` edge per member, not a
  clique of all members. A cluster without a manager becomes a node of its own
  (kind ``"Cluster"``) that its members hang from.

Tie strength (see ``docs/paths.md`` and ``docs/glossary.md``)::

    x = g(a)·g(b) · Σ_shared projects 2^(-age/half_life) / (n - 1)    n = consortium size, age in years
      + declared   (1.0 if a source declares the partnership)
      + manager    (0.5 per cluster in which one end manages and the other is a member)
    g(o) = min(1, sqrt(activity_reference / P_o))    P_o = projects o takes part in (activity)
    strength = 1 - exp(-x)  ∈ (0, 1),   cost = -log(strength)

``g`` keeps a shared project from saying as much about two organisations that take part in
hundreds of projects as about two that take part in five: up to ``activity_reference`` (10)
projects nothing changes; an organisation in 40 projects counts half, in 250 a fifth.

Routing prefers brokers the agency can call (:meth:`TieGraph.broker_costs`): an intermediary
outside the home ecosystem costs ``-log(foreign_factor)`` extra, an umbrella organisation (a
partner count far above the graph's typical one, e.g. a national research organisation's
headquarters PIC) ``-log(umbrella_factor)``; home organisations, cluster managers and cluster
nodes cost nothing extra. Penalised, never forbidden.

A member's half-edge to a manager-less cluster node gets ``sqrt(1 - exp(-1/(m - 1)))``
(``m`` members), so two members through the cluster node are exactly as close as two
partners of an ``m``-partner project. Undated projects count as one half-life old.

Besides the :class:`networkx.Graph` (evidence on every edge), a :class:`TieGraph`
keeps a compressed-sparse-row copy in NumPy arrays so that the searches in
:mod:`queries.paths` do their per-edge work in C.

Over 400 lines on purpose: the evidence models, the tie-strength formula, the broker costs and
the array form are one definition of "tie"; paths and partners read all of them together.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from itertools import combinations
from typing import Annotated, Any, Literal

import networkx as nx
import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from innograph.graph.records import OrganisationKind
from innograph.text import fold

CLUSTER_KIND = "Cluster"
NODE_KINDS: frozenset[str] = frozenset({*(kind.value for kind in OrganisationKind), CLUSTER_KIND})
ProfilePlace = Literal["technology", "field", "name", "description"]
UMBRELLA_KINDS = frozenset({OrganisationKind.RESEARCH_INSTITUTE.value, OrganisationKind.OTHER.value})
UNDATED = -1  # project year sentinel: an undated project never passes a ``since_year`` filter


class _Evidence(BaseModel):
    model_config = ConfigDict(frozen=True)


class ProjectEvidence(_Evidence):
    """A project both ends took part in."""

    kind: Literal["project"] = "project"
    id: str
    acronym: str | None = None
    title: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    consortium_size: int = Field(ge=2)

    @property
    def year(self) -> int | None:
        """The project's last known year (end, else start)."""
        return self.end_year if self.end_year is not None else self.start_year

    @property
    def label(self) -> str:
        """Acronym, else title, else id."""
        return self.acronym or self.title or self.id


class ClusterEvidence(_Evidence):
    """One end is a member of the cluster; the other manages it (or is the cluster itself)."""

    kind: Literal["cluster"] = "cluster"
    id: str
    name: str
    member_id: str
    since: int | None = None
    manager_id: str | None = None


class DeclaredEvidence(_Evidence):
    """A source (e.g. a profile) declares the partnership."""

    kind: Literal["declared"] = "declared"
    sources: list[str] = Field(default_factory=list)


Evidence = Annotated[ProjectEvidence | ClusterEvidence | DeclaredEvidence, Field(discriminator="kind")]


@dataclass(frozen=True)
class TieWeights:
    """The knobs of the tie-strength formula and of broker-aware routing (module docstring)."""

    half_life: float = 5.0
    declared: float = 1.0
    manager: float = 0.5
    reference_year: int | None = None  # None: the newest project year in the graph
    activity_reference: float = 10.0  # projects up to which a shared project counts in full
    foreign_factor: float = 0.1  # an intermediary outside the home ecosystem (when the graph has home organisations)
    umbrella_factor: float = 0.5  # an intermediary with far more partners than is typical
    umbrella_degree: int | None = None  # None: max(50, 10 times the median partner count of tied organisations)


def activity_factor(projects: int, reference: float) -> float:
    """``g(o) = min(1, sqrt(reference / projects))``: how much one shared project of ``o`` counts.

    >>> activity_factor(5, 10), activity_factor(40, 10), round(activity_factor(250, 10), 3)
    (1.0, 0.5, 0.2)
    """
    return 1.0 if projects <= reference else math.sqrt(reference / projects)


def strength_of(x: float) -> float:
    """Squash summed evidence ``x ≥ 0`` into (0, 1]; 0 means no tie.

    >>> round(strength_of(1.0), 4), strength_of(0.0)
    (0.6321, 0.0)
    """
    return -math.expm1(-x)


def tie_x(
    ties: nx.Graph, u: str, v: str, base_x: float, projects: Iterable[ProjectEvidence], weight: dict[str, float]
) -> float:
    """Summed evidence ``x`` of a tie: its base (declared, cluster) plus ``g(u)·g(v)`` times its projects' weights."""
    factor = ties.nodes[u].get("activity", 1.0) * ties.nodes[v].get("activity", 1.0)
    return base_x + factor * sum(weight[p.id] for p in projects)


def _x_of(strength: float) -> float:
    """Inverse of :func:`strength_of`."""
    return -math.log1p(-strength)


@dataclass
class _Edge:
    """Evidence gathered for one pair while building."""

    projects: list[ProjectEvidence]
    clusters: list[ClusterEvidence]
    declared: DeclaredEvidence | None = None
    base_x: float = 0.0  # the part of x that does not come from projects


class TieGraph:
    """The tie graph plus its array form; build it with :func:`build_tie_graph`.

    ``graph`` nodes carry ``name``, ``kind``, ``city``, ``region``, ``aliases``,
    ``description``, ``fields`` and ``technologies`` (names) and ``profile`` (those
    texts with their place, folded for search); edges carry
    ``projects`` (:class:`ProjectEvidence`, most recent first), ``clusters``,
    ``declared``, ``base_x``, ``strength`` and ``cost``.
    """

    def __init__(
        self,
        graph: nx.Graph,
        project_weight: dict[str, float],
        version: int | None = None,
        weights: TieWeights = TieWeights(),
    ) -> None:
        self.graph = graph
        self.version = version
        self.project_weight = project_weight
        self.weights = weights
        self.ids: list[str] = sorted(graph.nodes)
        self.index: dict[str, int] = {node: i for i, node in enumerate(self.ids)}
        self.kinds = np.array([graph.nodes[node]["kind"] for node in self.ids])
        self.activity = np.array([graph.nodes[node].get("activity", 1.0) for node in self.ids])
        self._build_arrays()
        self._costs: dict[tuple[int | None, bool], np.ndarray] = {}

    def _build_arrays(self) -> None:
        edges = sorted(
            (min(self.index[u], self.index[v]), max(self.index[u], self.index[v])) for u, v in self.graph.edges
        )
        ends = np.array(edges, dtype=np.int64).reshape(-1, 2)
        src = np.concatenate([ends[:, 0], ends[:, 1]])
        dst = np.concatenate([ends[:, 1], ends[:, 0]])
        order = np.lexsort((dst, src))
        self.indices = dst[order]
        self.entry_edge = np.concatenate([np.arange(len(edges))] * 2)[order]
        self.indptr = np.concatenate([[0], np.cumsum(np.bincount(src, minlength=len(self.ids)))])
        self.degree = np.diff(self.indptr)
        self.nonempty_rows = np.flatnonzero(self.degree)
        projects = sorted(self.project_weight)
        project_index = {pid: i for i, pid in enumerate(projects)}
        self.project_w = np.array([self.project_weight[pid] for pid in projects], dtype=float)
        self.project_year = np.full(len(projects), UNDATED, dtype=np.int64)
        self.base_x = np.zeros(len(edges))
        self.pair_factor = self.activity[ends[:, 0]] * self.activity[ends[:, 1]]
        incidence: list[tuple[int, int]] = []
        for e, (a, b) in enumerate(edges):
            data = self.graph.edges[self.ids[a], self.ids[b]]
            self.base_x[e] = data["base_x"]
            for project in data["projects"]:
                p = project_index[project.id]
                incidence.append((e, p))
                self.project_year[p] = UNDATED if project.year is None else project.year
        inc = np.array(incidence, dtype=np.int64).reshape(-1, 2)
        self.inc_edge, self.inc_project = inc[:, 0], inc[:, 1]

    def entry_costs(self, since_year: int | None = None, brokers: bool = True) -> np.ndarray:
        """Routing cost of every CSR entry (``inf`` = no tie left), only projects ending in or after ``since_year``.

        ``-log(tie strength)``, plus with ``brokers`` half the :meth:`broker_costs` of each end: an
        intermediary is entered and left once, so a path pays its intermediaries' broker costs in
        full and the same constant for its two ends whatever route it takes.
        """
        key = (since_year, brokers)
        if key not in self._costs:
            weights = self.project_w[self.inc_project]
            if since_year is not None:
                weights = weights * (self.project_year[self.inc_project] >= since_year)
            projects = np.bincount(self.inc_edge, weights=weights, minlength=len(self.base_x))
            x = self.base_x + self.pair_factor * projects
            with np.errstate(divide="ignore"):
                cost = -np.log(-np.expm1(-x))[self.entry_edge]
            if brokers:
                node = self.broker_costs
                cost = cost + (node[self.entry_row] + node[self.indices]) / 2
            self._costs[key] = cost
        return self._costs[key]

    @cached_property
    def entry_row(self) -> np.ndarray:
        """The row (node) of every CSR entry."""
        return np.repeat(np.arange(len(self.ids)), self.degree)

    @cached_property
    def umbrella_degree(self) -> int:
        """Partner count from which an organisation counts as an umbrella (see :class:`TieWeights`)."""
        if self.weights.umbrella_degree is not None:
            return self.weights.umbrella_degree
        tied = self.degree[(self.degree > 0) & (self.kinds != CLUSTER_KIND)]
        return max(50, int(10 * np.median(tied))) if tied.size else 50

    @cached_property
    def umbrella(self) -> np.ndarray:
        """Which nodes are umbrella organisations: research organisations with far more partners than typical.

        National research organisations take part through one headquarters id that stands for
        dozens of institutes (Fraunhofer, CNRS, CNR, CSIC …): knowing "Fraunhofer" is not knowing
        the institute next door. Universities and companies with many partners are busy, not
        umbrellas, and are not penalised.
        """
        research = np.isin(self.kinds, list(UMBRELLA_KINDS))
        return (self.degree >= self.umbrella_degree) & research

    @cached_property
    def home(self) -> np.ndarray:
        """Which nodes belong to the home ecosystem."""
        return np.array([bool(self.graph.nodes[node].get("home")) for node in self.ids], dtype=bool)

    @cached_property
    def managers(self) -> np.ndarray:
        """Which nodes manage a cluster (the ones who can make an introduction to its members)."""
        managing = {e.manager_id for _, _, clusters in self.graph.edges(data="clusters") for e in clusters or ()}
        return np.array([node in managing for node in self.ids], dtype=bool)

    @cached_property
    def broker_costs(self) -> np.ndarray:
        """Extra routing cost of each node as an intermediary (0 for home, cluster managers and clusters)."""
        cost = np.zeros(len(self.ids))
        exempt = self.home | self.managers | (self.kinds == CLUSTER_KIND)
        if self.home.any():
            cost[~exempt] -= math.log(self.weights.foreign_factor)
        cost[self.umbrella & ~exempt] -= math.log(self.weights.umbrella_factor)
        return cost

    def tie(self, u: str, v: str, since_year: int | None = None) -> tuple[float, list[Evidence]]:
        """Strength and evidence of the tie ``u -- v``: projects (most recent first), declaration, clusters."""
        data = self.graph.edges[u, v]
        projects = [p for p in data["projects"] if since_year is None or (p.year or UNDATED) >= since_year]
        x = tie_x(self.graph, u, v, data["base_x"], projects, self.project_weight)
        declared = [data["declared"]] if data["declared"] else []
        return strength_of(x), [*projects, *declared, *data["clusters"]]

    @cached_property
    def component(self) -> dict[str, int]:
        """Connected-component number of every node (to tell "not connected" from "too far")."""
        return {node: i for i, nodes in enumerate(nx.connected_components(self.graph)) for node in nodes}


# --- building -----------------------------------------------------------------


def _kind(data: dict[str, Any]) -> str:
    if data.get("kind") in NODE_KINDS:
        return data["kind"]
    return next((label for label in data.get("labels", ()) if label in NODE_KINDS), OrganisationKind.OTHER.value)


def _targets(graph: nx.MultiDiGraph, node: str, rel: str) -> Iterable[tuple[str, dict[str, Any]]]:
    for _, target, key, data in graph.out_edges(node, keys=True, data=True):
        if key == rel:
            yield target, data


def _names(graph: nx.MultiDiGraph, node: str, rel: str) -> tuple[str, ...]:
    return tuple(sorted(graph.nodes[t].get("name") or t for t, _ in _targets(graph, node, rel)))


def _profile(texts: Iterable[tuple[ProfilePlace, str]]) -> tuple[tuple[ProfilePlace, str, str], ...]:
    """``(place, text, folded text)`` for every searchable text, folded once per graph version."""
    return tuple((place, text, fold(text)) for place, text in texts if text)


def _add_organisations(ties: nx.Graph, graph: nx.MultiDiGraph) -> None:
    for node, data in graph.nodes(data=True):
        if "Organisation" in data.get("labels", ()):
            name, aliases = data.get("name") or node, tuple(data.get("aliases") or ())
            fields, technologies = _names(graph, node, "ACTIVE_IN"), _names(graph, node, "OFFERS")
            description = data.get("description")
            profile = [
                *(("technology", t) for t in technologies),
                *(("field", f) for f in fields),
                *(("name", n) for n in (name, *aliases)),
                ("description", description),
            ]
            ties.add_node(
                node,
                name=name,
                kind=_kind(data),
                city=data.get("city"),
                region=data.get("region"),
                country=data.get("country"),
                home=bool(data.get("home")),
                home_reason=data.get("home_reason"),
                aliases=aliases,
                description=description,
                fields=fields,
                technologies=technologies,
                profile=_profile(profile),
            )


def _add_activity(ties: nx.Graph, graph: nx.MultiDiGraph, weights: TieWeights) -> None:
    """``projects`` (how many projects each organisation takes part in) and its ``activity`` factor g."""
    projects: dict[str, set[str]] = defaultdict(set)
    for org, project, key in graph.edges(keys=True):
        if key == "PARTICIPATES_IN" and org in ties:
            projects[org].add(project)
    for org, found in projects.items():
        ties.nodes[org]["projects"] = len(found)
        ties.nodes[org]["activity"] = activity_factor(len(found), weights.activity_reference)


def _project_evidence(
    graph: nx.MultiDiGraph, weights: TieWeights
) -> tuple[dict[str, float], list[tuple[list[str], ProjectEvidence]]]:
    """Weight of every shared project and the (members, evidence) of each."""
    by_project: dict[str, list[str]] = defaultdict(list)
    for org, project, key in graph.edges(keys=True):
        if key == "PARTICIPATES_IN":
            by_project[project].append(org)
    shared = {pid: sorted(set(orgs)) for pid, orgs in by_project.items() if len(set(orgs)) >= 2}
    years = [y for pid in shared for y in (graph.nodes[pid].get("end_year"), graph.nodes[pid].get("start_year")) if y]
    reference = weights.reference_year or max(years, default=0)
    project_weight: dict[str, float] = {}
    found: list[tuple[list[str], ProjectEvidence]] = []
    for pid, members in shared.items():
        data = graph.nodes[pid]
        evidence = ProjectEvidence(
            id=pid,
            acronym=data.get("acronym"),
            title=data.get("title"),
            start_year=data.get("start_year"),
            end_year=data.get("end_year"),
            consortium_size=len(members),
        )
        age = weights.half_life if evidence.year is None else max(0, reference - evidence.year)
        project_weight[pid] = 2 ** (-age / weights.half_life) / (len(members) - 1)
        found.append((members, evidence))
    return project_weight, found


def _cluster_edges(graph: nx.MultiDiGraph, edges: dict[tuple[str, str], _Edge], weights: TieWeights) -> set[str]:
    """Member--manager edges; returns the manager-less clusters that need a node of their own."""
    orphan_clusters: set[str] = set()
    for cluster, data in graph.nodes(data=True):
        if "Cluster" not in data.get("labels", ()):
            continue
        members = {
            u: d.get("since") for u, _, k, d in graph.in_edges(cluster, keys=True, data=True) if k == "MEMBER_OF"
        }
        managers = sorted(u for u, _, k in graph.in_edges(cluster, keys=True) if k == "MANAGES")
        name = data.get("name") or cluster
        if not managers and len(members) >= 2:
            orphan_clusters.add(cluster)
            x = _x_of(math.sqrt(strength_of(1 / (len(members) - 1))))
            for member, since in members.items():
                edge = _edge(edges, member, cluster)
                edge.clusters.append(ClusterEvidence(id=cluster, name=name, member_id=member, since=since))
                edge.base_x += x
        for manager in managers:
            for member, since in members.items():
                if member != manager:
                    edge = _edge(edges, member, manager)
                    evidence = ClusterEvidence(id=cluster, name=name, member_id=member, since=since, manager_id=manager)
                    edge.clusters.append(evidence)
                    edge.base_x += weights.manager
    return orphan_clusters


def _edge(edges: dict[tuple[str, str], _Edge], u: str, v: str) -> _Edge:
    key = (u, v) if u < v else (v, u)
    if key not in edges:
        edges[key] = _Edge(projects=[], clusters=[])
    return edges[key]


def build_tie_graph(graph: nx.MultiDiGraph, weights: TieWeights = TieWeights(), version: int | None = None) -> TieGraph:
    """The tie graph of a store projection (see the module docstring for the formula).

    Every organisation becomes a node, tied or not, so that a query about an
    isolated organisation can say so instead of "not found".
    """
    ties = nx.Graph()
    _add_organisations(ties, graph)
    _add_activity(ties, graph, weights)
    edges: dict[tuple[str, str], _Edge] = {}
    project_weight, shared = _project_evidence(graph, weights)
    for members, evidence in shared:
        for u, v in combinations(members, 2):
            _edge(edges, u, v).projects.append(evidence)
    for u, v, key, data in graph.edges(keys=True, data=True):
        if key == "COOPERATES_WITH" and data.get("declared") and u != v:
            edge = _edge(edges, u, v)
            edge.declared = DeclaredEvidence(sources=list(data.get("sources") or ()))
            edge.base_x += weights.declared
    for cluster in _cluster_edges(graph, edges, weights):
        ties.add_node(cluster, name=graph.nodes[cluster].get("name") or cluster, kind=CLUSTER_KIND)
    for (u, v), edge in edges.items():
        if u not in ties or v not in ties:
            continue
        edge.projects.sort(key=lambda p: (-(p.year or UNDATED), p.label))
        strength = strength_of(tie_x(ties, u, v, edge.base_x, edge.projects, project_weight))
        ties.add_edge(
            u,
            v,
            projects=tuple(edge.projects),
            clusters=tuple(edge.clusters),
            declared=edge.declared,
            base_x=edge.base_x,
            strength=strength,
            cost=-math.log(strength),
        )
    return TieGraph(ties, project_weight, version, weights)
