"""Compiled twins of an undirected NetworkX graph: index arrays, SciPy CSR, rustworkx and networkit graphs.

Converting an ``nx.Graph`` to another library costs seconds at 100k nodes, so a
:class:`CompiledGraph` is built once per graph version straight from edge arrays
(the projection collects them while it reads the store) and each library's graph
is made lazily from those arrays, only when an algorithm asks for it.

Frozen graphs (``nx.freeze``, as the projections are) get their compiled twin
cached: :func:`compiled` returns the same object for the same frozen graph, so
the expensive algorithms of :mod:`queries.algorithms` pay the conversion once.
Unfrozen graphs may still change, so they are converted on every call.

Co-participation graphs are full of *twins*: every partner of a consortium that
has no other project is tied to exactly the same organisations (and to each
other). :attr:`CompiledGraph.twins` merges nodes with identical closed
neighbourhoods into one weighted class, so shortest-path algorithms can run on
the much smaller quotient graph and expand the result exactly afterwards.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

import networkit as nk
import networkx as nx
import numpy as np
import rustworkx as rx
import scipy.sparse as sp

T = TypeVar("T")


@dataclass(frozen=True)
class TwinQuotient:
    """Nodes merged into classes of *adjacent twins*: identical closed neighbourhoods (neighbours plus the node).

    ``labels[i]`` is node ``i``'s class, ``sizes[c]`` how many nodes class ``c``
    holds and ``adjacency`` the 0/1 adjacency of the classes (two classes are tied
    when their members are, which then holds for all of them). Twins are tied to
    each other, so a shortest path between two nodes never passes through two
    members of one class: path counts and distances of the original graph follow
    from the quotient with each class counted ``sizes[c]`` times.

    >>> triangle_and_tail = CompiledGraph.from_arrays(
    ...     list("abcd"), np.array([0, 0, 1, 2]), np.array([1, 2, 2, 3]), np.ones(4)
    ... )
    >>> quotient = triangle_and_tail.twins
    >>> quotient.labels.tolist(), quotient.sizes.tolist(), quotient.adjacency.nnz
    ([0, 0, 1, 2], [2, 1, 1], 4)
    """

    labels: np.ndarray
    sizes: np.ndarray
    adjacency: sp.csr_array

    @property
    def n(self) -> int:
        """Number of classes."""
        return len(self.sizes)


@dataclass(frozen=True, eq=False)
class CompiledGraph:
    """An undirected simple graph as arrays: ``nodes[i]`` is node ``i``; each edge appears once.

    >>> cg = CompiledGraph.from_arrays(["a", "b", "c"], np.array([0, 1]), np.array([1, 2]), np.array([2.0, 1.0]))
    >>> cg.degrees.tolist(), cg.strengths.tolist()
    ([1, 2, 1], [2.0, 3.0, 1.0])
    """

    nodes: Sequence[Hashable]
    sources: np.ndarray
    targets: np.ndarray
    weights: np.ndarray

    @classmethod
    def from_arrays(
        cls, nodes: Sequence[Hashable], sources: np.ndarray, targets: np.ndarray, weights: np.ndarray
    ) -> CompiledGraph:
        """Wrap edge arrays (positions into ``nodes``); self-loops are dropped."""
        keep = sources != targets
        return cls(
            list(nodes),
            np.asarray(sources, dtype=np.int64)[keep],
            np.asarray(targets, dtype=np.int64)[keep],
            np.asarray(weights, dtype=np.float64)[keep],
        )

    @classmethod
    def from_networkx(cls, graph: nx.Graph, weight: str | None = "weight") -> CompiledGraph:
        """Convert an undirected simple graph; a missing ``weight`` attribute counts as 1."""
        nodes = list(graph)
        index = {node: i for i, node in enumerate(nodes)}
        m = graph.number_of_edges()
        sources = np.fromiter((index[u] for u, _ in graph.edges()), dtype=np.int64, count=m)
        targets = np.fromiter((index[v] for _, v in graph.edges()), dtype=np.int64, count=m)
        if weight is None:
            weights = np.ones(m)
        else:
            weights = np.fromiter((d.get(weight, 1.0) for _, _, d in graph.edges(data=True)), dtype=float, count=m)
        return cls.from_arrays(nodes, sources, targets, weights)

    @property
    def n(self) -> int:
        """Number of nodes."""
        return len(self.nodes)

    @property
    def m(self) -> int:
        """Number of edges."""
        return len(self.sources)

    @cached_property
    def index(self) -> dict[Hashable, int]:
        """Node → position."""
        return {node: i for i, node in enumerate(self.nodes)}

    @cached_property
    def adjacency(self) -> sp.csr_array:
        """Symmetric weighted adjacency matrix, indices sorted within rows (the compiled loops rely on it)."""
        rows = np.concatenate([self.sources, self.targets])
        cols = np.concatenate([self.targets, self.sources])
        data = np.concatenate([self.weights, self.weights])
        matrix = sp.csr_array((data, (rows, cols)), shape=(self.n, self.n))
        matrix.sort_indices()
        return matrix

    @cached_property
    def binary(self) -> sp.csr_array:
        """Symmetric 0/1 adjacency matrix (same sparsity as :attr:`adjacency`)."""
        matrix = self.adjacency.copy()
        matrix.data[:] = 1.0
        return matrix

    @cached_property
    def degrees(self) -> np.ndarray:
        """Number of neighbours per node."""
        return np.diff(self.binary.indptr)

    @cached_property
    def strengths(self) -> np.ndarray:
        """Sum of edge weights per node (weighted degree)."""
        return np.asarray(self.adjacency.sum(axis=1)).ravel()

    @cached_property
    def rustworkx(self) -> rx.PyGraph:
        """rustworkx graph, node ``i`` = position ``i``, no edge payloads (hop-count algorithms).

        Declared a multigraph although every edge is unique here: a simple PyGraph looks
        for an existing edge on every insertion, which costs Σ degree² (minutes at 50k).
        """
        graph = rx.PyGraph(multigraph=True)
        graph.add_nodes_from(range(self.n))
        graph.add_edges_from_no_data(list(zip(self.sources.tolist(), self.targets.tolist(), strict=True)))
        return graph

    @cached_property
    def networkit(self) -> nk.Graph:
        """Unweighted networkit graph (BFS-based algorithms)."""
        return nk.GraphFromCoo((self.sources, self.targets), n=self.n, weighted=False, directed=False)

    @cached_property
    def networkit_weighted(self) -> nk.Graph:
        """Weighted networkit graph (Louvain)."""
        return nk.GraphFromCoo((self.weights, (self.sources, self.targets)), n=self.n, weighted=True, directed=False)

    @cached_property
    def twins(self) -> TwinQuotient:
        """The adjacent-twin classes and their quotient graph (see :class:`TwinQuotient`)."""
        closed = sp.csr_array(self.binary + sp.eye_array(self.n, format="csr"))
        closed.sort_indices()
        classes: dict[bytes, int] = {}
        indptr, indices = closed.indptr, closed.indices
        labels = np.fromiter(
            (classes.setdefault(indices[indptr[i] : indptr[i + 1]].tobytes(), len(classes)) for i in range(self.n)),
            dtype=np.int64,
            count=self.n,
        )
        k = len(classes)
        members = sp.csr_array((np.ones(self.n), (np.arange(self.n), labels)), shape=(self.n, k))
        tied = sp.coo_array(members.T @ self.binary @ members)
        off_diagonal = tied.row != tied.col
        rows, cols = tied.row[off_diagonal], tied.col[off_diagonal]
        between = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(k, k))
        return TwinQuotient(labels, np.bincount(labels, minlength=k), between)

    @cached_property
    def _derived(self) -> dict[str, Any]:
        return {}

    def memo(self, key: str, compute: Callable[[CompiledGraph], T]) -> T:
        """A result derived from this (immutable) graph, computed once: metrics share expensive passes this way."""
        if key not in self._derived:
            self._derived[key] = compute(self)
        return self._derived[key]

    def by_node(self, values: Sequence[float] | np.ndarray) -> dict[Hashable, float]:
        """Per-position values as a NetworkX-style ``{node: value}`` dict."""
        return dict(zip(self.nodes, np.asarray(values).tolist(), strict=True))

    def induced(self, positions: np.ndarray) -> CompiledGraph:
        """The subgraph induced by the given node positions (renumbered in that order)."""
        remap = np.full(self.n, -1, dtype=np.int64)
        remap[positions] = np.arange(len(positions))
        keep = (remap[self.sources] >= 0) & (remap[self.targets] >= 0)
        return CompiledGraph(
            [self.nodes[i] for i in positions.tolist()],
            remap[self.sources[keep]],
            remap[self.targets[keep]],
            self.weights[keep],
        )


_CACHE: weakref.WeakKeyDictionary[nx.Graph, dict[str | None, CompiledGraph]] = weakref.WeakKeyDictionary()


def supports(graph: nx.Graph) -> bool:
    """Whether the compiled path applies: undirected, no parallel edges."""
    return not graph.is_directed() and not graph.is_multigraph()


def remember(graph: nx.Graph, weight: str | None, twin: CompiledGraph) -> None:
    """Register a compiled twin built from arrays for a frozen graph (the projection does this)."""
    if not nx.is_frozen(graph):
        raise ValueError("only frozen graphs can have a cached compiled twin")
    _CACHE.setdefault(graph, {})[weight] = twin


def compiled(graph: nx.Graph, weight: str | None = "weight") -> CompiledGraph:
    """The compiled twin of ``graph`` (cached for frozen graphs, converted afresh otherwise)."""
    if not nx.is_frozen(graph):
        return CompiledGraph.from_networkx(graph, weight)
    twins = _CACHE.setdefault(graph, {})
    if weight not in twins:
        twins[weight] = CompiledGraph.from_networkx(graph, weight)
    return twins[weight]
