"""Per-organisation network metrics of the cooperation graph, computed as one suite.

:func:`compute_metrics` takes a NetworkX graph (the cooperation projection, or
any undirected graph whose ``collaboration_weight`` edge attribute weighs its ties) and returns a
:class:`MetricsTable`: one row per organisation with degree, weighted degree
(Σ collaboration weight), betweenness, closeness, eigenvector, PageRank, k-core number,
clustering, Burt's constraint and effective size, Louvain community and the
articulation-point flag, plus metadata saying how each was computed.

Which weight where: a tie's strength is a *similarity* (more shared, smaller
projects = closer), so it weights PageRank, eigenvector, constraint (Burt's
tie proportions) and Louvain. Path-based metrics (betweenness, closeness),
clustering, k-core and effective size count hops and ties unweighted — NetworkX
would read a weight there as a *distance*.

Exact where affordable: when nodes x edges exceeds ``exact_limit``,
betweenness and closeness are estimated from ``samples`` source nodes drawn with
a fixed seed, and ``meta.sampled`` names them (the bench reports their error).
Everything is computed by :mod:`queries.algorithms` behind NetworkX signatures.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Hashable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from scipy.sparse.csgraph import connected_components

from innograph.queries import algorithms, kernels
from innograph.queries.compiled import CompiledGraph, compiled
from innograph.queries.projection import COLLABORATION_WEIGHT

Progress = Callable[[str], None]

METRICS: tuple[str, ...] = (
    "degree",
    "weighted_degree",
    "betweenness",
    "closeness",
    "eigenvector",
    "pagerank",
    "core_number",
    "clustering",
    "constraint",
    "effective_size",
    "community",
    "articulation_point",
)
ATTRIBUTES: tuple[str, ...] = ("name", "kind", "region", "home")
STEPS: tuple[str, ...] = (
    "degrees",
    "k-cores",
    "clustering and effective size",
    "constraint",
    "PageRank",
    "eigenvector",
    "communities",
    "articulation points",
    "betweenness",
    "closeness",
)

EXACT_LIMIT = 1e10
"""Default nodes x ties above which betweenness and closeness are sampled: exact searches from every node
cost ~2 x nodes x ties tie visits (5k synthetic graph, 1.7e9: 12 s on 2 cores), so up to about a minute."""


class MetricsParameters(BaseModel):
    """Knobs of the suite; recorded with every run."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    seed: int = Field(default=42, description="seed of Louvain and of source sampling")
    exact_limit: float = Field(default=EXACT_LIMIT, gt=0, description="nodes x edges above which paths are sampled")
    samples: int = Field(default=256, ge=2, description="source nodes when betweenness/closeness are sampled")
    resolution: float = Field(default=1.0, gt=0, description="Louvain resolution")


class SamplingNote(BaseModel):
    """Says that a metric is an estimate, and how it was made."""

    metric: str
    method: str
    sources: int
    seed: int
    reason: str


class MetricsMeta(BaseModel):
    """How a :class:`MetricsTable` was computed."""

    nodes: int
    edges: int
    parameters: MetricsParameters
    algorithms: dict[str, str]
    sampled: list[SamplingNote]
    seconds: dict[str, float]

    @property
    def exact(self) -> bool:
        """True when no metric is an estimate."""
        return not self.sampled


class OrganisationMetrics(BaseModel):
    """One organisation's metrics (``constraint``/``effective_size`` are None for isolated ones)."""

    id: str
    name: str | None = None
    kind: str | None = None
    region: str | None = None
    home: bool | None = Field(default=None, description="in the home ecosystem (stored flag; None: not recorded)")
    degree: int
    weighted_degree: float
    betweenness: float
    closeness: float
    eigenvector: float
    pagerank: float
    core_number: int
    clustering: float
    constraint: float | None
    effective_size: float | None
    community: int
    articulation_point: bool


ALGORITHMS: dict[str, str] = {
    "degree": "number of cooperation partners",
    "weighted_degree": "sum of collaboration weights (Σ 1/(n-1) over shared projects)",
    "betweenness": "Brandes, unweighted, normalised (twin-quotient pass or per-source searches; sampled sources)",
    "closeness": "Wasserman-Faust, unweighted (same pass as betweenness; Eppstein-Wang from its sources when sampled)",
    "eigenvector": "Perron vector of the strength-weighted adjacency (SciPy)",
    "pagerank": "alpha 0.85, strength-weighted, NetworkX's power iteration (SciPy)",
    "core_number": "k-core number (networkit)",
    "clustering": "local clustering coefficient, unweighted (triangle pass, Numba)",
    "constraint": "Burt's constraint, strength-weighted (triangle pass, Numba)",
    "effective_size": "Burt's effective size, closed form degree - clustering * (degree - 1)",
    "community": "Louvain, strength-weighted (networkit PLM with refinement, sequential, seeded)",
    "articulation_point": "articulation points: nodes in two or more biconnected components (networkit)",
}


@dataclass(frozen=True)
class MetricsTable:
    """Metrics by column (``columns[metric][i]`` belongs to ``nodes[i]``) plus metadata."""

    nodes: list[Hashable]
    columns: dict[str, list[Any]]
    attributes: dict[str, list[Any]]
    meta: MetricsMeta

    def row(self, position: int) -> OrganisationMetrics:
        """The organisation at ``position`` as a model."""
        values = {key: column[position] for key, column in (self.attributes | self.columns).items()}
        return OrganisationMetrics(id=str(self.nodes[position]), **values)

    def rows(self) -> list[OrganisationMetrics]:
        """Every organisation, in node order."""
        return [self.row(i) for i in range(len(self.nodes))]

    def column(self, metric: str) -> dict[Hashable, Any]:
        """One metric as ``{organisation id: value}``."""
        return dict(zip(self.nodes, self.columns[metric], strict=True))

    def top(self, metric: str, n: int = 10, among: Collection[Hashable] | None = None) -> list[OrganisationMetrics]:
        """The ``n`` organisations with the highest value of ``metric`` (ties by id; None last).

        ``among`` ranks only those organisations (a scope such as the home ecosystem); default everyone.
        """
        values = self.columns[metric]
        positions = range(len(self.nodes)) if among is None else [i for i, v in enumerate(self.nodes) if v in among]
        order = sorted(positions, key=lambda i: (values[i] is None, -(values[i] or 0), self.nodes[i]))
        return [self.row(i) for i in order[:n]]


def _plain(values: np.ndarray) -> list[Any]:
    """Floats with NaN as None (JSON, Neo4j and the exports all want that)."""
    return [None if v != v else v for v in values.tolist()]


def estimated_closeness(cg: CompiledGraph, paths: algorithms.SampledPaths) -> np.ndarray:
    """Closeness from the searches out of sampled sources (Eppstein-Wang), per position.

    A node's distance sum to its component is extrapolated from the sampled
    sources in that component; components holding fewer than two sources are
    small and computed exactly instead, by a search from each of their nodes.
    """
    _, labels = connected_components(cg.binary, directed=False)
    sizes = np.bincount(labels)[labels]
    counts = paths.reached.copy()
    counts[paths.sources] -= 1  # a source does not sample its own distance
    sources_per_component = np.bincount(labels[paths.sources], minlength=labels.max() + 1)[labels]
    sampled = sources_per_component >= 2
    with np.errstate(divide="ignore", invalid="ignore"):
        estimated_sum = paths.distance * (sizes - 1) / counts
        result = np.where(sampled & (estimated_sum > 0), (sizes - 1) ** 2 / estimated_sum / (cg.n - 1), 0.0)
    exact_positions = np.flatnonzero(~sampled)
    if len(exact_positions):
        # a search from every node of those components: exact there, scaled to the whole graph
        exact = algorithms.PathSums(*kernels.searches(cg.binary, exact_positions)).closeness()
        result[exact_positions] = exact[exact_positions]
    return result


def compute_metrics(
    graph: nx.Graph, params: MetricsParameters | None = None, progress: Progress | None = None
) -> MetricsTable:
    """The full metric suite for every node of an undirected cooperation graph (see :func:`compute_compiled`).

    >>> star = nx.star_graph(3)
    >>> table = compute_metrics(star)
    >>> row = table.row(0)
    >>> row.degree, row.betweenness, row.articulation_point, round(row.constraint, 4)
    (3, 1.0, True, 0.3333)
    >>> table.meta.exact
    True
    """
    cg = compiled(graph, COLLABORATION_WEIGHT)
    attributes = {key: [graph.nodes[node].get(key) for node in cg.nodes] for key in ATTRIBUTES}
    return compute_compiled(cg, attributes, params, progress)


def compute_compiled(
    cg: CompiledGraph,
    attributes: dict[str, list[Any]],
    params: MetricsParameters | None = None,
    progress: Progress | None = None,
) -> MetricsTable:
    """The full metric suite on a compiled graph (``weights`` = tie strengths), ``attributes`` by position.

    Works on arrays only, so a very large graph (the 200k-organisation benchmark)
    never needs a NetworkX graph; :func:`compute_metrics` is this on a NetworkX graph.
    """
    params = params or MetricsParameters()
    nodes = list(cg.nodes)
    seconds: dict[str, float] = {}
    columns: dict[str, np.ndarray] = {}
    sampled: list[SamplingNote] = []
    sample_paths = float(cg.n) * cg.m > params.exact_limit and cg.n > params.samples
    reason = f"nodes x edges = {float(cg.n) * cg.m:.3g} > exact_limit {params.exact_limit:.3g}"

    def note(metric: str, method: str) -> SamplingNote:
        return SamplingNote(metric=metric, method=method, sources=params.samples, seed=params.seed, reason=reason)

    def step(name: str, work: Callable[[], None]) -> None:
        if progress:
            progress(name)
        started = time.perf_counter()
        work()
        seconds[name] = round(time.perf_counter() - started, 4)

    def degrees() -> None:
        columns["degree"], columns["weighted_degree"] = cg.degrees, cg.strengths

    def cores() -> None:
        columns["core_number"] = algorithms.core_number_array(cg)

    def local_structure() -> None:
        columns["clustering"] = algorithms.clustering_array(cg)
        columns["effective_size"] = algorithms.effective_size_from(cg.degrees, columns["clustering"])

    def burt_constraint() -> None:
        columns["constraint"] = algorithms.constraint_array(cg, weighted=True)

    def rank() -> None:
        columns["pagerank"] = algorithms.pagerank_array(cg, weighted=True)

    def eigenvector() -> None:
        columns["eigenvector"] = algorithms.eigenvector_array(cg, weighted=True) if cg.m else np.zeros(cg.n)

    def communities() -> None:
        labels = algorithms.louvain_labels(cg, weighted=True, resolution=params.resolution, seed=params.seed)
        columns["community"] = algorithms.community_numbers(labels)

    def cut_points() -> None:
        columns["articulation_point"] = algorithms.articulation_array(cg)

    def betweenness() -> None:
        if sample_paths:
            paths = algorithms.sampled_paths(cg, params.samples, params.seed)
            columns["betweenness"] = algorithms.estimated_betweenness(paths, normalized=True)
            sampled.append(note("betweenness", "source sampling (Brandes from sampled sources, as NetworkX's k)"))
        else:
            columns["betweenness"] = algorithms.exact_betweenness(cg)

    def closeness() -> None:
        if sample_paths:
            paths = algorithms.sampled_paths(cg, params.samples, params.seed)  # the pass betweenness made
            columns["closeness"] = estimated_closeness(cg, paths)
            sampled.append(note("closeness", "source sampling (Eppstein-Wang, the sources betweenness used)"))
        else:
            columns["closeness"] = algorithms.exact_closeness(cg)  # shares the pass betweenness made

    work = (degrees, cores, local_structure, burt_constraint, rank, eigenvector, communities, cut_points)
    for name, fn in zip(STEPS, (*work, betweenness, closeness), strict=True):
        step(name, fn)
    meta = MetricsMeta(
        nodes=cg.n, edges=cg.m, parameters=params, algorithms=ALGORITHMS, sampled=sampled, seconds=seconds
    )
    return MetricsTable(
        nodes=nodes,
        columns={metric: _plain(columns[metric]) for metric in METRICS},
        attributes=attributes,
        meta=meta,
    )
