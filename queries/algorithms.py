"""NetworkX algorithms with NetworkX's signatures, computed by compiled libraries.

Each function here takes the same arguments as the NetworkX function of the
same name and returns the same shape (``{node: value}``, a list of sets, an
iterator of nodes). For the cases the suite needs — an undirected simple graph
and the default arguments — it runs a compiled implementation on the graph's
:class:`~queries.compiled.CompiledGraph`: rustworkx (Apache-2.0) for bridges;
networkit (MIT) for k-cores, articulation points and Louvain; SciPy sparse
matrices for PageRank (NetworkX's own power iteration) and eigenvector
centrality; our compiled loops (:mod:`queries.kernels`, Numba) for the triangle
pass behind clustering, effective size and Burt's constraint, and for per-source
shortest-path searches. Any other case (directed graphs, multigraphs, arguments the
compiled path does not cover) is handed to NetworkX unchanged, so a caller can
never get a silently different answer.

Exact results equal NetworkX's up to floating-point rounding (the tests compare
them). ``betweenness_centrality`` with ``k`` draws its sources exactly as
NetworkX does for an integer seed and scales like NetworkX 3.6, so it equals
NetworkX's estimate too. ``louvain_communities`` is networkit's PLM with
refinement — a Louvain variant seeded for reproducibility, compared with
NetworkX by modularity, not by identical partitions.

Exact betweenness and closeness come from one shared pass (:func:`path_sums`):
a breadth-first search from every node, run level-synchronously for a batch of
sources at once as sparse-times-dense matrix products (NumPy/SciPy, two threads),
on the twin quotient of the graph (:attr:`~queries.compiled.CompiledGraph.twins`)
with Brandes' recurrences weighted by class sizes. On co-participation graphs
the quotient is a fraction of the graph (real H2020 slice: 1,345 organisations,
419 classes), which makes the pass some 40x faster than per-source Brandes in
rustworkx or networkit while staying exact. Where deep graphs (long chains)
would make the level-synchronous pass dearer than per-source searches, the
per-source searches of :func:`queries.kernels.sampled_searches` run from every node.

Over 400 lines on purpose: one NetworkX-compatible function per algorithm, each short; the
module is the catalogue that the tests compare against NetworkX one to one.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import networkit as nk
import networkx as nx
import numpy as np
import rustworkx as rx
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from scipy.sparse.csgraph import connected_components, shortest_path

from innograph.queries import kernels
from innograph.queries.compiled import CompiledGraph, TwinQuotient, compiled, supports

_DENSE_EIGEN_LIMIT = 300
_BATCH_CELLS = 1 << 21  # sources x classes per batch of the level-synchronous pass: ~100 MB of work arrays
_THREADS = 2
# One batched cell operation costs well under 1/4 of a Brandes edge relaxation (measured ~1/15
# against networkit's Brandes on the real slice); below this the pass is used, above it per-source searches.
_BATCHED_ADVANTAGE = 4
_ALWAYS_BATCHED = 256  # classes up to which the pass is cheap whatever the depth (a 256-chain: ~0.1 s)


@dataclass(frozen=True)
class PathSums:
    """What a breadth-first search from every node yields, per node position (exact).

    ``dependency[v]`` is Brandes' Σ_s δ_s(v) over *ordered* sources (NetworkX halves it
    for undirected graphs), ``distance[v]`` the sum of hop distances from ``v`` to the
    nodes it reaches and ``reach[v]`` how many nodes it reaches, itself included.
    """

    dependency: np.ndarray
    distance: np.ndarray
    reach: np.ndarray

    def betweenness(self, normalized: bool) -> np.ndarray:
        """Betweenness as NetworkX scales it (undirected, endpoints excluded)."""
        n = len(self.dependency)
        if n < 3:  # no node can sit between two others
            return np.zeros(n)
        return self.dependency / ((n - 1) * (n - 2)) if normalized else self.dependency / 2

    def closeness(self) -> np.ndarray:
        """Closeness with the Wasserman-Faust scaling, as NetworkX's ``wf_improved=True``."""
        n = len(self.reach)
        others = self.reach - 1
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.distance > 0, others * others / (self.distance * (n - 1)), 0.0)


def betweenness_centrality(
    G: nx.Graph,
    k: int | None = None,
    normalized: bool = True,
    weight: str | None = None,
    endpoints: bool = False,
    seed: int | None = None,
) -> dict[Hashable, float]:
    """Shortest-path betweenness: exact by :func:`path_sums`, or from ``k`` sources sampled as NetworkX samples them.

    >>> path = nx.path_graph(3)
    >>> betweenness_centrality(path)
    {0: 0.0, 1: 1.0, 2: 0.0}
    """
    if not supports(G) or weight is not None or len(G) < 3 or not (seed is None or isinstance(seed, int)):
        return nx.betweenness_centrality(G, k=k, normalized=normalized, weight=weight, endpoints=endpoints, seed=seed)
    cg = compiled(G)
    if (k is None or k >= cg.n) and endpoints:
        scores = rx.graph_betweenness_centrality(cg.rustworkx, normalized=normalized, endpoints=True)
        return cg.by_node([scores[i] for i in range(cg.n)])
    if k is None or k >= cg.n:
        return cg.by_node(exact_betweenness(cg, normalized))
    if endpoints:
        return nx.betweenness_centrality(G, k=k, normalized=normalized, weight=weight, endpoints=endpoints, seed=seed)
    return cg.by_node(estimated_betweenness(sampled_paths(cg, k, seed), normalized))


def exact_betweenness(cg: CompiledGraph, normalized: bool = True) -> np.ndarray:
    """Per-position exact betweenness from :func:`path_sums`."""
    return path_sums(cg).betweenness(normalized)


@dataclass(frozen=True)
class SampledPaths:
    """Searches from sampled sources: what sampled betweenness and closeness both need, per node position.

    ``dependency[v]`` = Σ over the sources of Brandes' δ_s(v); ``distance[v]`` = Σ of
    ``d(s, v)`` over the sources reaching ``v``; ``reached[v]`` = how many do (a source
    reaches itself).
    """

    sources: np.ndarray
    dependency: np.ndarray
    distance: np.ndarray
    reached: np.ndarray


def sample_sources(cg: CompiledGraph, k: int, seed: int | None) -> np.ndarray:
    """The positions of ``k`` source nodes, drawn as NetworkX's ``betweenness_centrality(k=k, seed=seed)`` draws them.

    >>> sample_sources(CompiledGraph.from_arrays(list("abcde"), np.array([0]), np.array([1]), np.ones(1)), 2, 42)
    array([0, 4])
    """
    chosen = random.Random(seed).sample(range(cg.n), k)  # NetworkX: seed.sample(list(G), k), in node order
    return np.sort(np.array(chosen, dtype=np.int64))


def sampled_paths(cg: CompiledGraph, k: int, seed: int | None) -> SampledPaths:
    """Per-source searches from ``k`` sampled sources (memoised on ``cg`` for an integer seed)."""

    def search(graph: CompiledGraph) -> SampledPaths:
        sources = sample_sources(graph, k, seed)
        return SampledPaths(sources, *kernels.searches(graph.binary, sources))

    return search(cg) if seed is None else cg.memo(f"sampled_paths:{k}:{seed}", search)


def estimated_betweenness(paths: SampledPaths, normalized: bool) -> np.ndarray:
    """Per-position betweenness from sampled sources, scaled as NetworkX 3.6 scales ``k`` sources.

    Pairs ``(s, t)`` with ``s`` sampled and ``t != v``: a source node ``v`` can only sit on
    the paths of the ``k - 1`` other sources, so sources and the rest scale differently.
    """
    n, k = len(paths.dependency), len(paths.sources)
    pairs = n - 1  # NetworkX's N: targets other than v
    per_source = np.full(n, 1.0 / k)
    per_source[paths.sources] = 1.0 / (k - 1) if k > 1 else math.nan
    scale = per_source / (pairs - 1) if normalized else per_source * pairs / 2
    return paths.dependency * scale


def closeness_centrality(
    G: nx.Graph, u: Hashable | None = None, distance: str | None = None, wf_improved: bool = True
) -> dict[Hashable, float] | float:
    """Closeness (Wasserman-Faust scaled for disconnected graphs), exact, from the pass betweenness shares.

    >>> closeness_centrality(nx.path_graph(3))
    {0: 0.6666666666666666, 1: 1.0, 2: 0.6666666666666666}
    """
    if not supports(G) or u is not None or distance is not None or not wf_improved or len(G) < 2:
        return nx.closeness_centrality(G, u=u, distance=distance, wf_improved=wf_improved)
    cg = compiled(G)
    return cg.by_node(exact_closeness(cg))


def exact_closeness(cg: CompiledGraph) -> np.ndarray:
    """Per-position exact closeness from :func:`path_sums`."""
    return path_sums(cg).closeness()


def path_sums(cg: CompiledGraph) -> PathSums:
    """Exact betweenness dependencies and distance sums (memoised on ``cg``).

    One level-synchronous pass over the twin quotient where it pays
    (:func:`quotient_pays`), else a search from every node.

    >>> sums = path_sums(CompiledGraph.from_arrays(list("abc"), np.array([0, 1]), np.array([1, 2]), np.ones(2)))
    >>> sums.dependency.tolist(), sums.distance.tolist(), sums.reach.tolist()
    ([0.0, 2.0, 0.0], [3.0, 2.0, 3.0], [3.0, 3.0, 3.0])
    """
    return cg.memo("path_sums", _path_sums)


def quotient_pays(cg: CompiledGraph) -> bool:
    """Whether the level-synchronous pass over the twin quotient beats a search from every node.

    It does unless the quotient is large and so deep that its levels cost more (see ``_BATCHED_ADVANTAGE``).
    """
    quotient = cg.twins
    k, ties = quotient.n, quotient.adjacency.nnz
    cost = _depth_bound(quotient.adjacency) * (k * k + ties * k)
    return k <= _ALWAYS_BATCHED or cost <= _BATCHED_ADVANTAGE * cg.n * cg.binary.nnz


def _path_sums(cg: CompiledGraph) -> PathSums:
    if cg.n < 3 or not quotient_pays(cg):
        return PathSums(*kernels.searches(cg.binary, np.arange(cg.n)))
    quotient = cg.twins
    k = quotient.n
    batch = max(1, min(_BATCH_CELLS // k, -(-k // _THREADS)))
    starts = range(0, k, batch)
    with ThreadPoolExecutor(_THREADS) as pool:
        parts = list(pool.map(lambda start: _search_batch(quotient, np.arange(start, min(start + batch, k))), starts))
    dependency = np.sum([part[0] for part in parts], axis=0)
    distance = np.concatenate([part[1] for part in parts])
    reach = np.concatenate([part[2] for part in parts])
    labels = quotient.labels
    # A node's twins sit at distance 1 and are reached; no shortest path runs through a twin.
    return PathSums(dependency[labels], distance[labels] + quotient.sizes[labels] - 1, reach[labels])


def _depth_bound(adjacency: sp.csr_array) -> int:
    """An upper bound on how deep any breadth-first search goes: twice the largest eccentricity of a root.

    One root per component, all searched at once from a virtual hub tied to every root.
    """
    k = adjacency.shape[0]
    _, component = connected_components(adjacency, directed=False)
    roots = np.unique(component, return_index=True)[1]
    ties = sp.coo_array(adjacency)
    rows = np.concatenate([ties.row, np.full(len(roots), k)])
    cols = np.concatenate([ties.col, roots])
    with_hub = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(k + 1, k + 1))
    depth = shortest_path(with_hub, directed=True, unweighted=True, indices=k)
    return 2 * int(depth.max() - 1)


def _search_batch(quotient: TwinQuotient, sources: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Breadth-first searches from a batch of quotient classes, level by level as matrix products.

    Arrays are classes x sources. ``sigma`` counts shortest paths from the source
    class with every *interior* class counted as often as it has members (a path
    may pass through any one of them). Brandes' backward sweep becomes
    ``delta(x) = sigma(x) * sum over y after x of size(y) (1 + delta(y)) / sigma(y)`` per member of ``x``,
    and a source class contributes once per member. Returns the dependencies
    summed over the batch (per class member), and each source class's
    size-weighted distance sum and reach.
    """
    adjacency, sizes = quotient.adjacency, quotient.sizes.astype(float)
    k, columns = quotient.n, np.arange(len(sources))
    sigma = np.zeros((k, len(sources)))
    level = np.full((k, len(sources)), -1, dtype=np.int32)
    sigma[sources, columns] = 1.0
    level[sources, columns] = 0
    frontier = sigma.copy()  # paths to the current level, times the level's class sizes (the source counts once)
    depth = 0
    while True:
        paths = adjacency @ frontier
        new = (paths > 0) & (level < 0)
        if not new.any():
            break
        depth += 1
        level[new] = depth
        sigma[new] = paths[new]
        frontier = np.where(new, sigma * sizes[:, None], 0.0)
    delta = np.zeros_like(sigma)
    for d in range(depth, 1, -1):  # levels d-1 >= 1 from level d; the source itself gets nothing
        at = level == d
        share = np.where(at, sizes[:, None] * (1.0 + delta) / np.where(at, sigma, 1.0), 0.0)
        back = adjacency @ share
        before = level == d - 1
        delta[before] = sigma[before] * back[before]
    reached = level >= 0
    return delta @ sizes[sources], np.where(reached, level, 0).T @ sizes, reached.T.astype(float) @ sizes


def pagerank(
    G: nx.Graph,
    alpha: float = 0.85,
    personalization: dict[Hashable, float] | None = None,
    max_iter: int = 100,
    tol: float = 1.0e-6,
    nstart: dict[Hashable, float] | None = None,
    weight: str | None = "weight",
    dangling: dict[Hashable, float] | None = None,
) -> dict[Hashable, float]:
    """PageRank by NetworkX's own SciPy power iteration, on the cached sparse matrix.

    >>> ranks = pagerank(nx.star_graph(2))
    >>> round(ranks[0], 4), round(ranks[1], 4)
    (0.4865, 0.2568)
    """
    if not supports(G) or personalization or nstart or dangling or len(G) == 0:
        return nx.pagerank(G, alpha, personalization, max_iter, tol, nstart, weight, dangling)
    cg = compiled(G, weight)
    return cg.by_node(pagerank_array(cg, weight is not None, alpha, max_iter, tol))


def pagerank_array(
    cg: CompiledGraph, weighted: bool, alpha: float = 0.85, max_iter: int = 100, tol: float = 1.0e-6
) -> np.ndarray:
    """Per-position PageRank (uniform teleport, dangling mass spread uniformly), as :func:`pagerank`."""
    n = cg.n
    if n == 0:  # an empty graph (a period without projects) has no ranks
        return np.zeros(0)
    out = cg.strengths if weighted else cg.degrees.astype(float)
    inverse = np.divide(1.0, out, out=np.zeros(n), where=out != 0)
    transition = sp.diags_array(inverse) @ (cg.adjacency if weighted else cg.binary)
    is_dangling = np.flatnonzero(out == 0)
    uniform = np.full(n, 1.0 / n)
    x = uniform
    for _ in range(max_iter):
        last = x
        x = alpha * (x @ transition + x[is_dangling].sum() * uniform) + (1 - alpha) * uniform
        if np.absolute(x - last).sum() < n * tol:
            return x
    raise nx.PowerIterationFailedConvergence(max_iter)


def eigenvector_centrality(
    G: nx.Graph,
    max_iter: int = 100,
    tol: float = 1.0e-6,
    nstart: dict[Hashable, float] | None = None,
    weight: str | None = None,
) -> dict[Hashable, float]:
    """Eigenvector centrality as the Perron vector of the adjacency matrix (unit Euclidean norm).

    NetworkX's power iteration converges to the same vector (to its ``tol``);
    an eigen-solver gets there without the iteration limit.

    >>> scores = eigenvector_centrality(nx.path_graph(3))
    >>> [round(scores[v], 4) for v in range(3)]
    [0.5, 0.7071, 0.5]
    """
    if not supports(G) or nstart or len(G) == 0 or G.number_of_edges() == 0:
        return nx.eigenvector_centrality(G, max_iter, tol, nstart, weight)
    cg = compiled(G, weight)
    return cg.by_node(eigenvector_array(cg, weight is not None, tol))


def eigenvector_array(cg: CompiledGraph, weighted: bool, tol: float = 1.0e-6) -> np.ndarray:
    """Per-position Perron vector of the (weighted) adjacency matrix, unit norm (needs at least one tie)."""
    matrix = cg.adjacency if weighted else cg.binary
    if cg.n <= _DENSE_EIGEN_LIMIT:
        vector = np.linalg.eigh(matrix.toarray())[1][:, -1]
    else:
        vector = spla.eigsh(matrix, k=1, which="LA", tol=tol / 100)[1][:, 0]
    vector = np.abs(vector)
    return vector / np.linalg.norm(vector)


def core_number(G: nx.Graph) -> dict[Hashable, int]:
    """k-core number of every node (networkit).

    >>> core_number(nx.complete_graph(3))
    {0: 2, 1: 2, 2: 2}
    """
    if not supports(G) or nx.number_of_selfloops(G):
        return nx.core_number(G)
    cg = compiled(G)
    return cg.by_node(core_number_array(cg))


def core_number_array(cg: CompiledGraph) -> np.ndarray:
    """Per-position k-core number (networkit).

    networkit's graph is built straight from the arrays; building the rustworkx graph took ~35 s at 200k.
    """
    cores = nk.centrality.CoreDecomposition(cg.networkit)
    cores.run()
    return np.asarray(cores.scores()).astype(np.int64)


def clustering(G: nx.Graph, nodes: Any = None, weight: str | None = None) -> dict[Hashable, float]:
    """Local clustering coefficient (unweighted), from the triangle pass.

    >>> clustering(nx.complete_graph(3))
    {0: 1.0, 1: 1.0, 2: 1.0}
    """
    if not supports(G) or nodes is not None or weight is not None or len(G) == 0:
        return nx.clustering(G, nodes, weight)
    cg = compiled(G)
    return cg.by_node(clustering_array(cg))


def clustering_array(cg: CompiledGraph) -> np.ndarray:
    """Per-position local clustering coefficient, unweighted, from the triangle pass (:func:`triangle_ties`)."""
    triangles = triangle_ties(cg, weighted=True)[1]  # the counts do not depend on the weights
    wedges = cg.degrees * (cg.degrees - 1) / 2
    return np.divide(triangles, wedges, out=np.zeros(cg.n), where=wedges > 0)


def triangle_ties(cg: CompiledGraph, *, weighted: bool) -> tuple[np.ndarray, np.ndarray]:
    """:func:`queries.kernels.triangle_ties` on ``cg`` (memoised): two-step sums per adjacency position, triangles.

    With ``weighted=False`` every tie counts 1 and strengths are degrees.
    """

    def compute(graph: CompiledGraph) -> tuple[np.ndarray, np.ndarray]:
        matrix = graph.adjacency if weighted else graph.binary
        strengths = graph.strengths if weighted else graph.degrees.astype(np.float64)
        return kernels.triangle_ties(matrix, graph.degrees, strengths)

    return cg.memo(f"triangle_ties:{weighted}", compute)


def effective_size(G: nx.Graph, nodes: Any = None, weight: str | None = None) -> dict[Hashable, float]:
    """Burt's effective size, by the closed form ``degree - clustering · (degree - 1)`` (unweighted).

    NetworkX builds dense matrices for this; the closed form (Borgatti 1997)
    equals its unweighted undirected answer. Isolated nodes get ``nan`` as there.

    >>> effective_size(nx.star_graph(3))[0]
    3.0
    """
    if not supports(G) or nodes is not None or weight is not None:
        return nx.effective_size(G, nodes, weight)
    cg = compiled(G)
    local = clustering(G)
    return cg.by_node(effective_size_from(cg.degrees, np.array([local[v] for v in cg.nodes])))


def effective_size_from(degrees: np.ndarray, local_clustering: np.ndarray) -> np.ndarray:
    """The closed form of :func:`effective_size` on arrays (``nan`` where the degree is 0)."""
    sizes = degrees - local_clustering * (degrees - 1)
    return np.where(degrees == 0, np.nan, sizes)


def constraint(G: nx.Graph, nodes: Any = None, weight: str | None = None) -> dict[Hashable, float]:
    """Burt's constraint: ``Σ_j (p_ij + Σ_q p_iq p_qj)²`` by sparse products, in row chunks.

    ``p`` is the row-normalised (weighted) adjacency matrix, as NetworkX's
    normalised mutual weight is for undirected graphs; isolated nodes get ``nan``.

    >>> round(constraint(nx.star_graph(3))[0], 4)
    0.3333
    """
    if not supports(G) or nodes is not None:
        return nx.constraint(G, nodes, weight)
    cg = compiled(G, weight)
    return cg.by_node(constraint_array(cg, weighted=weight is not None))


def constraint_array(cg: CompiledGraph, *, weighted: bool) -> np.ndarray:
    """Per-position constraint of ``cg`` (see :func:`constraint`).

    The indirect shares ``Σ_q p_iq p_qj`` are needed on the ties ``(i, j)`` only: they are
    ``(Σ_q w_iq w_qj / s_q) / s_i`` over the triangles ``i, q, j``, which the triangle pass
    (:func:`triangle_ties`) sums without walking every two-step path.
    """
    matrix = cg.adjacency if weighted else cg.binary
    totals = cg.strengths if weighted else cg.degrees.astype(np.float64)
    through = triangle_ties(cg, weighted=weighted)[0]
    rows = np.repeat(np.arange(cg.n), np.diff(matrix.indptr))
    with np.errstate(divide="ignore", invalid="ignore"):
        local = (matrix.data + through) / totals[rows]
    result = np.bincount(rows, weights=local * local, minlength=cg.n)
    return np.where(cg.degrees == 0, np.nan, result)


def louvain_communities(
    G: nx.Graph,
    weight: str | None = "weight",
    resolution: float = 1,
    threshold: float = 1e-07,
    max_level: int | None = None,
    seed: int | None = None,
) -> list[set[Hashable]]:
    """Louvain communities (networkit PLM with refinement, sequential so a seed reproduces it).

    Communities come largest first; ties broken by their first node's position.

    >>> two_triangles = nx.Graph([(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)])
    >>> louvain_communities(two_triangles, seed=1)
    [{0, 1, 2}, {3, 4, 5}]
    """
    if not supports(G) or max_level is not None or not (seed is None or isinstance(seed, int)) or len(G) == 0:
        return nx.community.louvain_communities(G, weight, resolution, threshold, max_level, seed)
    cg = compiled(G, weight)
    labels = louvain_labels(cg, weight is not None, resolution, seed if seed is not None else 0)
    return [set(group) for group in communities_from_labels(cg, labels)]


def louvain_labels(cg: CompiledGraph, weighted: bool, resolution: float, seed: int) -> np.ndarray:
    """Per-position community label of networkit's PLM with refinement (sequential, so ``seed`` reproduces it)."""
    nk.setSeed(seed, False)
    graph = cg.networkit_weighted if weighted else cg.networkit
    algorithm = nk.community.PLM(graph, refine=True, gamma=resolution, par="none")
    algorithm.run()
    return np.asarray(algorithm.getPartition().getVector())


def label_groups(labels: np.ndarray) -> list[np.ndarray]:
    """Positions grouped by label: largest group first, then by first position."""
    if not len(labels):
        return []
    order = np.argsort(labels, kind="stable")
    groups = np.split(order, np.flatnonzero(np.diff(labels[order])) + 1)
    groups.sort(key=lambda group: (-len(group), group[0]))
    return groups


def communities_from_labels(cg: CompiledGraph, labels: np.ndarray) -> list[list[Hashable]]:
    """Communities as node lists, in :func:`label_groups` order."""
    return [[cg.nodes[i] for i in group.tolist()] for group in label_groups(labels)]


def community_numbers(labels: np.ndarray) -> np.ndarray:
    """Per position, its community's place in :func:`label_groups` order (0 = largest)."""
    numbers = np.empty(len(labels), dtype=np.int64)
    for number, group in enumerate(label_groups(labels)):
        numbers[group] = number
    return numbers


def articulation_points(G: nx.Graph) -> Iterator[Hashable]:
    """Nodes whose removal disconnects their component (networkit's biconnected components).

    >>> sorted(articulation_points(nx.path_graph(4)))
    [1, 2]
    """
    if not supports(G):
        return nx.articulation_points(G)
    cg = compiled(G)
    return iter([cg.nodes[i] for i in np.flatnonzero(articulation_array(cg)).tolist()])


def articulation_array(cg: CompiledGraph) -> np.ndarray:
    """Per-position articulation-point flag: the nodes in more than one biconnected component (networkit)."""
    blocks = nk.components.BiconnectedComponents(cg.networkit)
    blocks.run()
    members = [np.asarray(block, dtype=np.int64) for block in blocks.getComponents()]
    memberships = np.bincount(np.concatenate(members), minlength=cg.n) if members else np.zeros(cg.n)
    return memberships > 1


def bridges(G: nx.Graph, root: Hashable | None = None) -> Iterator[tuple[Hashable, Hashable]]:
    """Edges whose removal disconnects their component (rustworkx).

    >>> sorted(tuple(sorted(edge)) for edge in bridges(nx.path_graph(3)))
    [(0, 1), (1, 2)]
    """
    if not supports(G) or root is not None:
        return nx.bridges(G, root)
    cg = compiled(G)
    return iter([(cg.nodes[u], cg.nodes[v]) for u, v in sorted(rx.bridges(cg.rustworkx))])
