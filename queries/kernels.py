"""Compiled loops (Numba) for the two passes no library offers in the shape the suite needs.

Both run on a symmetric CSR adjacency (``indptr``, ``indices``, ``weights``) and use the
two cores in parallel, with the work split into a fixed number of chunks so that the
sums (and so the results) do not depend on how threads are scheduled.

* :func:`triangle_ties`: for every tie ``(i, j)`` the weighted two-step paths
  ``Σ_q w_iq w_qj / s_q`` over the common neighbours ``q``, and per node the number of
  triangles. Burt's constraint, the clustering coefficient and effective size all
  follow from it. Ties are oriented from lower to higher degree and each triangle is
  visited once, so hubs cost little: on the 50k synthetic graph a walk over all
  ``Σ_q degree(q)²`` two-step paths took 36 s and a sparse product 73 s.
* :func:`sampled_searches`: Brandes' breadth-first search and dependency sweep from a
  set of sources, summing dependencies (betweenness) and distances and reach
  (closeness) in the same pass, so sampled betweenness and closeness share the work.

The first call in a process compiles them (a few seconds; ``cache=True`` keeps the
machine code on disk next to this module when it is writable). Callers go through
:func:`triangle_ties` and :func:`searches`, which run one parallel loop at a time:
Numba's fallback thread pool (when no OpenMP runtime is installed) must not be
entered from two threads at once, and two loops would only share the same two cores.
"""

from __future__ import annotations

import threading

import numpy as np
import scipy.sparse as sp
from numba import njit, prange

CHUNKS = 32
"""Pieces of work per search pass: enough to keep two threads busy to the end, fixed for reproducible sums."""
TRIANGLE_CHUNKS = 4
"""Pieces of the triangle pass: each holds a sum per tie (112 MB at 14M ties), so fewer, balanced by work."""
_ONE_LOOP_AT_A_TIME = threading.Lock()


def balanced_bounds(work: np.ndarray, chunks: int = CHUNKS) -> np.ndarray:
    """Start positions of ``chunks`` consecutive pieces of ``work`` (per item) with about equal sums, plus the end.

    >>> balanced_bounds(np.array([5, 1, 1, 1, 1, 1]), chunks=2).tolist()
    [0, 1, 6]
    """
    total = np.cumsum(work, dtype=np.float64)
    targets = np.arange(1, chunks) * (total[-1] / chunks) if len(total) else np.zeros(0)
    inner = np.searchsorted(total, targets, side="left") + 1
    return np.unique(np.concatenate([[0], np.minimum(inner, len(work)), [len(work)]])).astype(np.int64)


@njit(parallel=True, cache=True, nogil=True)
def triangle_sums(
    indptr: np.ndarray, indices: np.ndarray, weights: np.ndarray, strengths: np.ndarray, bounds: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Every triangle once, over an *oriented* graph: two-step sums per tie through third nodes, triangles per node.

    The CSR arrays hold each tie once, from its lower-ranked end to its higher-ranked one
    (ranked by degree), so a hub's row is short and every triangle ``u < v < w`` is found
    once, from ``u``. Tie ``e`` is arc position ``e``; for tie ``(i, j)`` the result is
    ``Σ_q w_iq w_qj / s_q`` over the third nodes ``q`` of its triangles. ``bounds`` splits
    the rows into chunks; each chunk adds into its own arrays (a triangle touches ties of
    three rows), summed in chunk order at the end.
    """
    n = len(indptr) - 1
    chunks = len(bounds) - 1
    through = np.zeros((chunks, len(indices)))
    triangles = np.zeros((chunks, n))
    for chunk in prange(chunks):
        arc_to = np.full(n, -1, dtype=np.int64)  # arc_to[w]: position of the arc (u, w), or -1
        for u in range(bounds[chunk], bounds[chunk + 1]):
            for e in range(indptr[u], indptr[u + 1]):
                arc_to[indices[e]] = e
            for uv in range(indptr[u], indptr[u + 1]):
                v = indices[uv]
                for vw in range(indptr[v], indptr[v + 1]):
                    uw = arc_to[indices[vw]]
                    if uw >= 0:
                        w = indices[vw]
                        through[chunk, uv] += weights[uw] * weights[vw] / strengths[w]
                        through[chunk, uw] += weights[uv] * weights[vw] / strengths[v]
                        through[chunk, vw] += weights[uv] * weights[uw] / strengths[u]
                        triangles[chunk, u] += 1.0
                        triangles[chunk, v] += 1.0
                        triangles[chunk, w] += 1.0
            for e in range(indptr[u], indptr[u + 1]):
                arc_to[indices[e]] = -1
    return through.sum(axis=0), triangles.sum(axis=0)


@njit(parallel=True, cache=True, nogil=True)
def sampled_searches(
    indptr: np.ndarray, indices: np.ndarray, sources: np.ndarray, chunks: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Brandes from each source (unweighted): dependency, distance and reach sums per node.

    Returns ``dependency[v] = Σ_s δ_s(v)``, ``distance[v] = Σ_s d(s, v)`` over the sources
    reaching ``v``, and ``reached[v]`` = how many sources reach ``v`` (a source reaches
    itself at distance 0). Sources are dealt to ``chunks`` pieces, each with its own
    work arrays and sums, added up in chunk order at the end.
    """
    n = len(indptr) - 1
    chunks = max(1, min(chunks, len(sources)))
    dependency = np.zeros((chunks, n))
    distance = np.zeros((chunks, n))
    reached = np.zeros((chunks, n))
    for chunk in prange(chunks):
        level = np.full(n, -1, dtype=np.int64)
        sigma = np.zeros(n)
        delta = np.zeros(n)
        order = np.empty(n, dtype=np.int64)
        for k in range(chunk, len(sources), chunks):
            s = sources[k]
            level[s] = 0
            sigma[s] = 1.0
            order[0] = s
            head, tail = 0, 1
            while head < tail:
                v = order[head]
                head += 1
                for e in range(indptr[v], indptr[v + 1]):
                    w = indices[e]
                    if level[w] < 0:
                        level[w] = level[v] + 1
                        order[tail] = w
                        tail += 1
                    if level[w] == level[v] + 1:
                        sigma[w] += sigma[v]
            for t in range(tail - 1, -1, -1):
                w = order[t]
                coefficient = (1.0 + delta[w]) / sigma[w]
                for e in range(indptr[w], indptr[w + 1]):
                    v = indices[e]
                    if level[v] == level[w] - 1:
                        delta[v] += sigma[v] * coefficient
                if w != s:
                    dependency[chunk, w] += delta[w]
                distance[chunk, w] += level[w]
                reached[chunk, w] += 1.0
            for t in range(tail):
                w = order[t]
                level[w] = -1
                sigma[w] = 0.0
                delta[w] = 0.0
    return dependency.sum(axis=0), distance.sum(axis=0), reached.sum(axis=0)


def triangle_ties(adjacency: sp.csr_array, degrees: np.ndarray, strengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two-step sums per position of ``adjacency`` (symmetric, sorted indices) and triangles per node.

    Orients every tie towards its higher-ranked end (degree, then position), runs
    :func:`triangle_sums` and maps the per-tie sums back onto both directions.

    >>> triangle = sp.csr_array(np.array([[0, 1, 2], [1, 0, 1], [2, 1, 0]], dtype=float))
    >>> through, triangles = triangle_ties(triangle, np.array([2, 2, 2]), np.array([3.0, 2.0, 3.0]))
    >>> through.round(4).tolist(), triangles.tolist()
    ([0.6667, 0.5, 0.6667, 0.6667, 0.5, 0.6667], [1.0, 1.0, 1.0])
    """
    n, indptr, indices = adjacency.shape[0], adjacency.indptr, adjacency.indices
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((np.arange(n), degrees))] = np.arange(n)
    rows = np.repeat(np.arange(n), np.diff(indptr))
    forward = rank[indices] > rank[rows]
    out_rows = rows[forward]
    out_indptr = np.concatenate([[0], np.cumsum(np.bincount(out_rows, minlength=n))]).astype(np.int64)
    out_indices = indices[forward].astype(np.int64)
    out_degrees = np.diff(out_indptr)
    work = np.bincount(out_rows, weights=out_degrees[out_indices], minlength=n)
    bounds = balanced_bounds(work, TRIANGLE_CHUNKS)
    with _ONE_LOOP_AT_A_TIME:
        through, triangles = triangle_sums(out_indptr, out_indices, adjacency.data[forward], strengths, bounds)
    # Each position's tie: its own arc if it points forward, else the arc of the reverse position.
    arc = np.cumsum(forward) - 1
    positions = sp.csr_array((np.arange(len(indices), dtype=np.float64), indices, indptr), shape=adjacency.shape)
    reverse = sp.csr_array(positions.T)
    reverse.sort_indices()
    tie = np.where(forward, arc, arc[reverse.data.astype(np.int64)])
    return through[tie], triangles


def searches(binary: sp.csr_array, sources: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`sampled_searches` over a symmetric CSR adjacency: dependency, distance and reached per node.

    >>> path = sp.csr_array(np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]], dtype=float))
    >>> [values.tolist() for values in searches(path, np.arange(3))]
    [[0.0, 2.0, 0.0], [3.0, 2.0, 3.0], [3.0, 3.0, 3.0]]
    """
    indptr, indices = binary.indptr.astype(np.int64), binary.indices.astype(np.int64)
    with _ONE_LOOP_AT_A_TIME:
        return sampled_searches(indptr, indices, np.asarray(sources, dtype=np.int64), CHUNKS)
