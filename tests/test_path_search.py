"""The compiled path search (queries/path_search.py) gives exactly what the NumPy search gave.

Reference: the NumPy search the app ran before (``hop_layers``, ``best_paths`` and ``_pull`` below, kept here
only: ``find_paths`` and the partner finder now run the compiled search). Same
paths, same costs, same order — equal costs included, so the random costs are drawn from a few
quarter values to make many exact ties, and some entries are ``inf`` (no tie left).
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import numpy as np
import pytest

from innograph.queries.path_search import cheapest_paths, hop_bounds, k_best_paths, warm_up
from innograph.queries.paths import MAX_HOPS, MAX_K, intermediary_mask
from innograph.queries.tie_graph import TieGraph, TieWeights, build_tie_graph
from tests.test_paths import cordis_graph, ecosystem

Found = list[tuple[float, tuple[int, ...]]]


@dataclass(frozen=True)
class Csr:
    """The attributes of a tie graph that the NumPy search reads."""

    ids: range
    indptr: np.ndarray
    indices: np.ndarray

    @property
    def degree(self) -> np.ndarray:
        return np.diff(self.indptr)

    @property
    def nonempty_rows(self) -> np.ndarray:
        return np.flatnonzero(self.degree)


Ties = Csr | TieGraph


def _entries(ties: Ties, rows: np.ndarray) -> np.ndarray:
    """The CSR entry numbers of ``rows``, concatenated (no Python loop)."""
    lengths = ties.degree[rows]
    firsts = ties.indptr[rows] - (np.cumsum(lengths) - lengths)
    return np.repeat(firsts, lengths) + np.arange(lengths.sum())


def hop_layers(
    ties: Ties,
    costs: np.ndarray,
    allowed: np.ndarray,
    start: int,
    rounds: int,
) -> list[np.ndarray]:
    """``layers[r][v]``: cheapest cost between ``v`` and ``start`` in ≤ r hops, intermediaries ``allowed``.

    Returns ``rounds + 1`` arrays; a node that may not be an intermediary is ``inf``
    everywhere except as ``start`` itself. Each round only relaxes the edges of the
    nodes the previous round improved, so the first rounds touch a few rows only.
    ``find_paths`` runs the compiled form (:func:`innograph.queries.path_search.hop_bounds`).
    """
    layer = np.full(len(ties.ids), np.inf)
    layer[start] = 0.0
    layers, changed = [layer], np.array([start])
    for _ in range(rounds):
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


@dataclass(frozen=True)
class _Children:
    """The feasible extensions of one partial path, cheapest key first."""

    path: tuple[int, ...]
    g: float
    nodes: np.ndarray
    costs: np.ndarray
    keys: np.ndarray


def best_paths(
    ties: Ties, costs: np.ndarray, layers: list[np.ndarray], source: int, target: int, k: int
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


def _pull(
    ties: Ties, costs: np.ndarray, allowed: np.ndarray, layer: np.ndarray, rows: np.ndarray, start: int
) -> np.ndarray:
    """The NumPy search's last round for ``rows`` only (``inf`` elsewhere, 0 at ``start``), as it was."""
    nxt = np.full(len(ties.ids), np.inf)
    rows = rows[allowed[rows] & (ties.degree[rows] > 0)]
    if rows.size:
        lengths = ties.degree[rows]
        entries = np.repeat(ties.indptr[rows] - (np.cumsum(lengths) - lengths), lengths) + np.arange(lengths.sum())
        firsts = np.cumsum(lengths) - lengths
        nxt[rows] = np.minimum(layer[rows], np.minimum.reduceat(costs[entries] + layer[ties.indices[entries]], firsts))
    nxt[start] = 0.0
    return nxt


def reference_layers(
    ties: Ties, costs: np.ndarray, allowed: np.ndarray, source: int, target: int, max_hops: int
) -> list[np.ndarray]:
    """The NumPy ``find_paths`` layers: ``max_hops - 1`` rounds from ``target``, the last only at ``source``'s side."""
    if max_hops == 1:
        return hop_layers(ties, costs, allowed, target, 0)
    layers = hop_layers(ties, costs, allowed, target, max_hops - 2)
    near = ties.indices[ties.indptr[source] : ties.indptr[source + 1]]
    return [*layers, _pull(ties, costs, allowed, layers[-1], near, target)]


def reference(ties: Ties, costs: np.ndarray, allowed: np.ndarray, source: int, target: int, k: int, hops: int) -> Found:
    """The NumPy ``find_paths`` search."""
    return best_paths(ties, costs, reference_layers(ties, costs, allowed, source, target, hops), source, target, k)


def random_csr(rng: random.Random, n: int, density: float) -> tuple[Csr, np.ndarray]:
    """A random symmetric graph on ``n`` nodes and symmetric entry costs (quarters, some 0, some ``inf``)."""
    pairs = [(u, v) for u in range(n) for v in range(u + 1, n) if rng.random() < density]
    choices = [0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, np.inf]
    cost = {pair: rng.choice(choices) for pair in pairs}
    rows: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for (u, v), c in cost.items():
        rows[u].append((v, c))
        rows[v].append((u, c))
    for row in rows:
        row.sort()
    indptr = np.concatenate([[0], np.cumsum([len(row) for row in rows])]).astype(np.int64)
    indices = np.array([v for row in rows for v, _ in row], dtype=np.int64)
    costs = np.array([c for row in rows for _, c in row], dtype=float)
    return Csr(range(n), indptr, indices), costs


def compiled(ties: Ties, costs: np.ndarray, allowed: np.ndarray, s: int, t: int, k: int, hops: int) -> Found:
    """The compiled search, called as ``find_paths`` calls it."""
    return k_best_paths(ties.indptr, ties.indices, costs, allowed, s, t, k, hops)


def test_the_search_compiles_and_answers_on_a_tiny_graph() -> None:
    warm_up()
    indptr, indices = np.array([0, 1, 3, 4]), np.array([1, 0, 2, 1])
    found = k_best_paths(indptr, indices, np.array([0.5, 0.5, 1.0, 1.0]), np.ones(3, dtype=bool), 0, 2, 3, 2)
    assert found == [(1.5, (0, 1, 2))]
    assert k_best_paths(indptr, indices, np.ones(4), np.ones(3, dtype=bool), 0, 2, 3, 1) == []
    indptr.flags.writeable = indices.flags.writeable = False  # as a path snapshot mapped from disk
    assert k_best_paths(indptr, indices, np.array([0.5, 0.5, 1.0, 1.0]), np.ones(3, dtype=bool), 0, 2, 3, 2) == found


@pytest.mark.parametrize("seed", range(8))
def test_same_paths_costs_and_order_as_numpy_on_random_graphs(seed: int) -> None:
    rng = random.Random(seed)
    compared = 0
    for _ in range(40):
        n = rng.randint(2, 30)
        ties, costs = random_csr(rng, n, rng.choice([0.05, 0.15, 0.3, 0.6]))
        for _ in range(8):
            s, t = rng.sample(range(n), 2)
            if rng.random() < 0.3 and ties.degree[t]:  # the source a neighbour of the target
                s = int(rng.choice(ties.indices[ties.indptr[t] : ties.indptr[t + 1]]))
            allowed = np.array([rng.random() < 0.8 for _ in range(n)])
            allowed[s] = False  # as the caller passes it: the source is an end, never an intermediary
            k, hops = rng.randint(1, MAX_K), rng.randint(1, MAX_HOPS)
            expected = reference(ties, costs, allowed, s, t, k, hops)
            assert compiled(ties, costs, allowed, s, t, k, hops) == expected, (seed, n, s, t, k, hops)
            compared += bool(expected)
    assert compared > 100  # most draws have paths; the rest check empty answers (disconnected, hop limit)


def test_bounds_equal_the_numpy_layers() -> None:
    rng = random.Random(99)
    for _ in range(60):
        n = rng.randint(2, 40)
        ties, costs = random_csr(rng, n, rng.choice([0.1, 0.3]))
        s, t = rng.sample(range(n), 2)
        allowed = np.array([rng.random() < 0.8 for _ in range(n)])
        hops = rng.randint(1, MAX_HOPS)
        full = hop_bounds(ties.indptr, ties.indices, costs, allowed, t, hops)
        np.testing.assert_array_equal(full, np.array(hop_layers(ties, costs, allowed, t, hops - 1)))
        near = ties.indices[ties.indptr[s] : ties.indptr[s + 1]]
        pulled = hop_bounds(ties.indptr, ties.indices, costs, allowed, t, hops, near)
        np.testing.assert_array_equal(pulled, np.array(reference_layers(ties, costs, allowed, s, t, hops)))


def test_disconnected_and_isolated_ends_have_no_paths() -> None:
    two_edges = Csr(range(5), np.array([0, 1, 2, 3, 4, 4]), np.array([1, 0, 3, 2]))  # 0-1, 2-3, 4 alone
    allowed, costs = np.ones(5, dtype=bool), np.ones(4)
    assert compiled(two_edges, costs, allowed, 0, 3, 5, 6) == reference(two_edges, costs, allowed, 0, 3, 5, 6) == []
    assert compiled(two_edges, costs, allowed, 4, 0, 5, 6) == compiled(two_edges, costs, allowed, 0, 4, 5, 6) == []
    assert compiled(two_edges, costs, allowed, 0, 1, 5, 6) == [(1.0, (0, 1))]


def tie_graph_cases(
    ties: TieGraph, sources: list[int], targets: list[int]
) -> Iterator[tuple[np.ndarray, np.ndarray, int, int]]:
    """Queries as ``find_paths`` poses them: every broker/since setting, kinds filters and an avoided node."""
    kinds = sorted(set(ties.kinds.tolist()))
    for costs in (ties.entry_costs(), ties.entry_costs(brokers=False), ties.entry_costs(since_year=2022)):
        for s in sources:
            for t in targets:
                if s != t:
                    for kind_set in (None, kinds[: len(kinds) // 2 + 1]):
                        yield costs, intermediary_mask(ties, {s}, kind_set), s, t


def test_same_answers_as_numpy_on_the_hand_made_ecosystem() -> None:
    ties = build_tie_graph(ecosystem(), TieWeights(reference_year=2024))
    nodes = list(range(len(ties.ids)))
    for costs, allowed, s, t in tie_graph_cases(ties, nodes, nodes):
        for k, hops in ((1, 1), (3, 4), (10, 6), (10, 2)):
            assert compiled(ties, costs, allowed, s, t, k, hops) == reference(ties, costs, allowed, s, t, k, hops)


def test_same_answers_as_numpy_on_the_real_h2020_slice(shared_data: Path) -> None:
    ties = build_tie_graph(cordis_graph(shared_data / "cordis_h2020_thuringia"))
    rng = random.Random(5)
    tied = [int(i) for i in ties.nonempty_rows]
    sources, targets = rng.sample(tied, 6), [*rng.sample(tied, 5), int(np.argmax(ties.degree))]
    compared = 0
    for costs, allowed, s, t in tie_graph_cases(ties, sources, targets):
        k, hops = rng.randint(1, MAX_K), rng.randint(1, MAX_HOPS)
        expected = reference(ties, costs, allowed, s, t, k, hops)
        assert compiled(ties, costs, allowed, s, t, k, hops) == expected
        compared += len(expected)
    assert compared > 200


def test_one_path_back_from_a_node_near_the_target_as_the_alternatives_need() -> None:
    """Full bounds from the source, then the best path from another node back to it (``_alternatives``)."""
    ties = build_tie_graph(ecosystem(), TieWeights(reference_year=2024))
    costs, a, b = ties.entry_costs(), ties.index["A"], ties.index["B"]
    allowed = intermediary_mask(ties, {b})
    bounds = hop_bounds(ties.indptr, ties.indices, costs, allowed, a, 3)
    for node in range(len(ties.ids)):
        if node not in (a, b):
            expected = best_paths(ties, costs, hop_layers(ties, costs, allowed, a, 2), node, a, 1)
            assert cheapest_paths(ties.indptr, ties.indices, costs, bounds, node, a, 1) == expected
    assert cheapest_paths(ties.indptr, ties.indices, costs, bounds, ties.index["U"], a, 1)[0][1] == (
        ties.index["U"],
        a,
    )
