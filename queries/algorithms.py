"""NetworkX algorithms with NetworkX's signatures, computed by compiled libraries.

Each function here takes the same arguments as the NetworkX function of the
same name and returns the same shape (``{node: value}``, a list of sets, an
iterator of nodes). For the cases the suite needs — an undirected simple graph
and the default arguments — it runs a compiled implementation on the graph's
:class:`~queries.compiled.CompiledGraph`: rustworkx (Apache-2.0) for k-cores,
articulation points and bridges; networkit (MIT) for clustering, sampled
betweenness, Louvain and the exact path metrics of graphs where the pass below
does not pay; SciPy sparse matrices for PageRank (NetworkX's own power
iteration), eigenvector centrality and Burt's constraint. Any other case (directed graphs, multigraphs, arguments the
compiled path does not cover) is handed to NetworkX unchanged, so a caller can
never get a silently different answer.

Exact results equal NetworkX's up to floating-point rounding (the tests compare
them). Two are estimates by nature and say so: ``betweenness_centrality`` with
``k`` samples sources like NetworkX does, but networkit draws them, and
``louvain_communities`` is networkit's PLM with refinement — a Louvain variant
seeded for reproducibility, compared with NetworkX by modularity, not by
identical partitions.

Exact betweenness and closeness come from one shared pass (:func:`path_sums`):
a breadth-first search from every node, run level-synchronously for a batch of
sources at once as sparse-times-dense matrix products (NumPy/SciPy, two threads),
on the twin quotient of the graph (:attr:`~queries.compiled.CompiledGraph.twins`)
with Brandes' recurrences weighted by class sizes. On co-participation graphs
the quotient is a fraction of the graph (real H2020 slice: 1,345 organisations,
419 classes), which makes the pass some 40x faster than per-source Brandes in
rustworkx or networkit while staying exact. Where deep graphs (long chains)
would make the level-synchronous pass dearer than per-source searches, networkit's
exact parallel algorithms run instead.
"""

from __future__ import annotations

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

from queries.compiled import CompiledGraph, TwinQuotient, compiled, supports

_DENSE_EIGEN_LIMIT = 300
_CONSTRAINT_CELLS = 1 << 24  # two-step paths per sparse product / hub cells per dense block
_BATCH_CELLS = 1 << 21  # sources x classes per batch of the level-synchronous pass: ~100 MB of work arrays
_THREADS = 2
# One batched cell operation costs well under 1/4 of a Brandes edge relaxation in networkit
# (measured ~1/15 on the real slice); below this the pass is used, above it networkit.
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
    """Shortest-path betweenness: exact by :func:`path_sums`, or from ``k`` sampled sources with networkit.

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
    return cg.by_node(estimated_betweenness(cg, k, normalized, seed if seed is not None else 0))


def exact_betweenness(cg: CompiledGraph, normalized: bool = True) -> np.ndarray:
    """Per-position exact betweenness: :func:`path_sums` where it pays, else networkit's parallel Brandes."""
    sums = path_sums(cg)
    if sums is None:
        brandes = nk.centrality.Betweenness(cg.networkit, False)  # ordered pairs, like PathSums.dependency
        brandes.run()
        dependency = np.asarray(brandes.scores())
        sums = PathSums(dependency, dependency, dependency)
    return sums.betweenness(normalized)


def estimated_betweenness(cg: CompiledGraph, samples: int, normalized: bool, seed: int) -> np.ndarray:
    """Per-position betweenness from ``samples`` seeded source nodes (networkit ``EstimateBetweenness``)."""
    nk.setSeed(seed, False)
    estimate = nk.centrality.EstimateBetweenness(cg.networkit, samples, normalized, False)
    estimate.run()
    return np.asarray(estimate.scores())


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
    """Per-position exact closeness: from :func:`path_sums` where it pays, else networkit in parallel."""
    sums = path_sums(cg)
    return sums.closeness() if sums is not None else generalised_closeness(cg, cg.n)


def path_sums(cg: CompiledGraph) -> PathSums | None:
    """Exact betweenness dependencies and distance sums from one pass over the twin quotient (memoised on ``cg``).

    None when the quotient is large and so deep that the level-synchronous pass
    would cost more than per-source searches (see ``_BATCHED_ADVANTAGE``); callers
    then use networkit.

    >>> sums = path_sums(CompiledGraph.from_arrays(list("abc"), np.array([0, 1]), np.array([1, 2]), np.ones(2)))
    >>> sums.dependency.tolist(), sums.distance.tolist(), sums.reach.tolist()
    ([0.0, 2.0, 0.0], [3.0, 2.0, 3.0], [3.0, 3.0, 3.0])
    """
    return cg.memo("path_sums", _path_sums)


def _path_sums(cg: CompiledGraph) -> PathSums | None:
    quotient = cg.twins
    k, ties = quotient.n, quotient.adjacency.nnz
    if cg.n < 3:
        return None
    cost = _depth_bound(quotient.adjacency) * (k * k + ties * k)
    if k > _ALWAYS_BATCHED and cost > _BATCHED_ADVANTAGE * cg.n * cg.binary.nnz:
        return None
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


def generalised_closeness(cg: CompiledGraph, n_total: int) -> np.ndarray:
    """Per-position closeness of ``cg`` scaled as if it were part of a graph of ``n_total`` nodes.

    networkit's generalised variant is ``(r-1)/(n-1) · (r-1)/Σd`` for the ``n`` nodes of
    ``cg``; rescaling by ``(n-1)/(n_total-1)`` gives NetworkX's value inside a larger graph.
    """
    if cg.n < 2:
        return np.zeros(cg.n)
    algorithm = nk.centrality.Closeness(cg.networkit, True, nk.centrality.ClosenessVariant.GENERALIZED)
    algorithm.run()
    return np.asarray(algorithm.scores()) * (cg.n - 1) / (n_total - 1)


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
    """k-core number of every node (rustworkx).

    >>> core_number(nx.complete_graph(3))
    {0: 2, 1: 2, 2: 2}
    """
    if not supports(G) or nx.number_of_selfloops(G):
        return nx.core_number(G)
    cg = compiled(G)
    return cg.by_node(core_number_array(cg))


def core_number_array(cg: CompiledGraph) -> np.ndarray:
    """Per-position k-core number (rustworkx)."""
    cores = rx.core_number(cg.rustworkx)
    return np.array([cores[i] for i in range(cg.n)], dtype=np.int64)


def clustering(G: nx.Graph, nodes: Any = None, weight: str | None = None) -> dict[Hashable, float]:
    """Local clustering coefficient (unweighted), networkit in parallel.

    >>> clustering(nx.complete_graph(3))
    {0: 1.0, 1: 1.0, 2: 1.0}
    """
    if not supports(G) or nodes is not None or weight is not None or len(G) == 0:
        return nx.clustering(G, nodes, weight)
    cg = compiled(G)
    return cg.by_node(clustering_array(cg))


def clustering_array(cg: CompiledGraph) -> np.ndarray:
    """Per-position local clustering coefficient, unweighted (networkit, parallel)."""
    algorithm = nk.centrality.LocalClusteringCoefficient(cg.networkit, turbo=True)
    algorithm.run()
    return np.asarray(algorithm.scores())


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

    The indirect shares ``Σ_q p_iq p_qj`` are needed on the ties ``(i, j)`` only, but a
    sparse product walks every two-step path, ``Σ_q degree(q)²`` of them: hubs tied to
    thousands of organisations would dominate (hours at 200k). So paths through the
    ordinary nodes go through sparse products in row chunks of bounded work, and
    paths through the hubs (degree above ``sqrt(ties)``: each would cost more than one
    pass over all ties) are summed per tie from dense hub columns instead.
    """
    matrix = cg.adjacency if weighted else cg.binary
    totals = np.asarray(matrix.sum(axis=1)).ravel()
    inverse = np.divide(1.0, totals, out=np.zeros(cg.n), where=totals != 0)
    shares = sp.csr_array(sp.diags_array(inverse) @ matrix)
    binary = cg.binary
    hubs = np.argsort(-cg.degrees, kind="stable")[: max(1, _CONSTRAINT_CELLS // max(cg.n, 1))]
    hubs = hubs[cg.degrees[hubs] ** 2 > binary.nnz]
    ordinary = np.ones(cg.n)
    ordinary[hubs] = 0.0
    through_ordinary = sp.csr_array(sp.diags_array(ordinary) @ shares)
    through_ordinary.eliminate_zeros()  # the hubs' rows must really be gone, not stored zeros
    work = np.cumsum(binary @ (cg.degrees * ordinary))
    bounds = np.unique(np.searchsorted(work, np.arange(0, work[-1] if cg.n else 0, _CONSTRAINT_CELLS), "right"))
    pieces = []
    for start, stop in zip([0, *bounds[1:].tolist()], [*bounds[1:].tolist(), cg.n], strict=True):
        pieces.append(sp.csr_array((shares[start:stop] @ through_ordinary).multiply(binary[start:stop])))
    indirect = sp.csr_array(sp.vstack(pieces)) if pieces else sp.csr_array((cg.n, cg.n))
    if len(hubs):
        tie_rows = np.repeat(np.arange(cg.n), np.diff(binary.indptr))
        to_hub = shares[:, hubs].toarray()  # p_iq for every node i and hub q
        from_hub = shares[hubs].T.toarray()  # p_qj, indexed [j, q]
        via_hubs = np.empty(binary.nnz)
        step = max(1, _CONSTRAINT_CELLS // len(hubs))
        for start in range(0, binary.nnz, step):
            i, j = tie_rows[start : start + step], binary.indices[start : start + step]
            via_hubs[start : start + step] = np.einsum("tq,tq->t", to_hub[i], from_hub[j])
        indirect = indirect + sp.csr_array((via_hubs, binary.indices, binary.indptr), shape=binary.shape)
    local = sp.csr_array(shares + indirect)
    result = np.asarray(local.power(2).sum(axis=1)).ravel()
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
    """Nodes whose removal disconnects their component (rustworkx).

    >>> sorted(articulation_points(nx.path_graph(4)))
    [1, 2]
    """
    if not supports(G):
        return nx.articulation_points(G)
    cg = compiled(G)
    return iter([cg.nodes[i] for i in np.flatnonzero(articulation_array(cg)).tolist()])


def articulation_array(cg: CompiledGraph) -> np.ndarray:
    """Per-position articulation-point flag (rustworkx)."""
    flags = np.zeros(cg.n, dtype=bool)
    flags[list(rx.articulation_points(cg.rustworkx))] = True
    return flags


def bridges(G: nx.Graph, root: Hashable | None = None) -> Iterator[tuple[Hashable, Hashable]]:
    """Edges whose removal disconnects their component (rustworkx).

    >>> sorted(tuple(sorted(edge)) for edge in bridges(nx.path_graph(3)))
    [(0, 1), (1, 2)]
    """
    if not supports(G) or root is not None:
        return nx.bridges(G, root)
    cg = compiled(G)
    return iter([(cg.nodes[u], cg.nodes[v]) for u, v in sorted(rx.bridges(cg.rustworkx))])
