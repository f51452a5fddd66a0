"""Where a graph falls apart: articulation points and bridges, with the pieces each one cuts off.

One iterative depth-first search (Hopcroft-Tarjan) over the compiled CSR arrays
records each node's discovery index, low-link and DFS-subtree size. A child
``c`` of ``x`` whose subtree cannot reach above ``x`` (``low[c] >= disc[x]``) is
a piece that only ``x`` holds to the rest; its nodes are a contiguous slice of
the preorder. So every articulation point's and bridge's split sizes come out of
the same pass, in linear time, without re-running connectivity per candidate.

``counted`` (a 0/1 mask, e.g. the home ecosystem) decides what a split costs: the
piece holding the most counted nodes stays "the rest", and a cut cuts off the
counted nodes of every other piece. Counting every node is the plain rule (the
largest piece stays).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

import numpy as np

from innograph.queries.compiled import CompiledGraph


@dataclass(frozen=True)
class Cut:
    """Removing ``subject`` (one node, or the two ends of a tie) cuts ``count`` counted nodes off their component.

    The nodes themselves are listed on demand (:meth:`cut_off`): listing the
    pieces of every cut in a large graph would cost nodes x cuts.
    """

    subject: tuple[Hashable, ...]
    count: int
    component_size: int
    _members: Callable[[], list[Hashable]] = field(repr=False, compare=False)

    def cut_off(self) -> list[Hashable]:
        """The counted nodes that lose their only connection to the rest (every piece but the one kept)."""
        return self._members()


@dataclass(frozen=True)
class _Search:
    order: list[int]
    disc: list[int]
    low: list[int]
    parent: list[int]
    size: list[int]
    component_start: list[int]
    component_size: list[int]
    counted: list[bool]
    prefix: list[int]  # prefix[k] = counted nodes among order[:k]

    def count(self, start: int, stop: int) -> int:
        """Counted nodes among ``order[start:stop]``."""
        return self.prefix[stop] - self.prefix[start]

    def subtree_count(self, child: int) -> int:
        """Counted nodes in the DFS subtree of ``child``."""
        return self.count(self.disc[child], self.disc[child] + self.size[child])

    def component_count(self, v: int) -> int:
        """Counted nodes in the component of ``v``."""
        return self.count(self.component_start[v], self.component_start[v] + self.component_size[v])


def _depth_first(cg: CompiledGraph, counted: np.ndarray | None) -> _Search:
    indptr, indices = cg.binary.indptr.tolist(), cg.binary.indices.tolist()
    n = cg.n
    disc, low, parent, size = [-1] * n, [0] * n, [-1] * n, [1] * n
    component_start, component_size = [0] * n, [0] * n
    order: list[int] = []
    for root in range(n):
        if disc[root] >= 0:
            continue
        first = len(order)
        disc[root] = low[root] = first
        order.append(root)
        stack = [(root, indptr[root])]
        while stack:
            v, i = stack[-1]
            if i < indptr[v + 1]:
                stack[-1] = (v, i + 1)
                w = indices[i]
                if disc[w] < 0:
                    parent[w], disc[w], low[w] = v, len(order), len(order)
                    order.append(w)
                    stack.append((w, indptr[w]))
                elif w != parent[v] and disc[w] < low[v]:
                    low[v] = disc[w]
            else:
                stack.pop()
                p = parent[v]
                if p >= 0:
                    low[p] = min(low[p], low[v])
                    size[p] += size[v]
        for v in order[first:]:
            component_start[v], component_size[v] = first, len(order) - first
    mask = [True] * n if counted is None else [bool(c) for c in counted.tolist()]
    prefix = [0]
    for v in order:
        prefix.append(prefix[-1] + mask[v])
    return _Search(order, disc, low, parent, size, component_start, component_size, mask, prefix)


def _subtree(search: _Search, child: int) -> list[int]:
    return search.order[search.disc[child] : search.disc[child] + search.size[child]]


def _rest(search: _Search, without: set[int], x: int) -> list[int]:
    start = search.component_start[x]
    return [v for v in search.order[start : start + search.component_size[x]] if v not in without]


def _names(cg: CompiledGraph, search: _Search, positions: list[int]) -> list[Hashable]:
    return [cg.nodes[v] for v in positions if search.counted[v]]


def _bridge_cut(cg: CompiledGraph, search: _Search, p: int, child: int) -> Cut:
    """The cut of the bridge ``p - child``: the side with fewer counted nodes (then fewer nodes) is cut off."""
    total = search.component_size[child]
    inside, outside = search.size[child], total - search.size[child]
    counted_in = search.subtree_count(child)
    counted_out = search.component_count(child) - counted_in
    lose_inside = (counted_in, inside) <= (counted_out, outside)

    def members() -> list[Hashable]:
        subtree = _subtree(search, child)
        return _names(cg, search, subtree if lose_inside else _rest(search, set(subtree), child))

    return Cut((cg.nodes[p], cg.nodes[child]), counted_in if lose_inside else counted_out, total, members)


def find_cuts(cg: CompiledGraph, counted: np.ndarray | None = None) -> tuple[list[Cut], list[Cut]]:
    """Articulation points and bridges of ``cg``, each with what it cuts off (all but the piece kept).

    ``counted`` (a mask by position; default every node) picks the nodes a cut is measured in:
    the piece with the most of them (then the most nodes) is kept, and ``count``/``cut_off``
    are the counted nodes of the other pieces. Cuts that cut off no counted node are left out.

    >>> import numpy as np
    >>> path = CompiledGraph.from_arrays(list("abcd"), np.array([0, 1, 2]), np.array([1, 2, 3]), np.ones(3))
    >>> points, bridges = find_cuts(path)
    >>> [(cut.subject, cut.cut_off()) for cut in points]
    [(('b',), ['a']), (('c',), ['d'])]
    >>> [(cut.subject, cut.count) for cut in bridges]
    [(('a', 'b'), 1), (('b', 'c'), 2), (('c', 'd'), 1)]
    >>> points, bridges = find_cuts(path, counted=np.array([0, 0, 1, 1]))  # only c and d count
    >>> points, [(cut.subject, cut.cut_off()) for cut in bridges]
    ([], [(('c', 'd'), ['d'])])
    """
    search = _depth_first(cg, counted)
    separated: dict[int, list[int]] = {}
    bridges: list[Cut] = []
    for child in search.order:
        p = search.parent[child]
        if p < 0:
            continue
        if search.parent[p] < 0 or search.low[child] >= search.disc[p]:
            separated.setdefault(p, []).append(child)
        if search.low[child] > search.disc[p]:
            bridge = _bridge_cut(cg, search, p, child)
            if bridge.count:
                bridges.append(bridge)
    points = [_point_cut(cg, search, x, children) for x, children in separated.items()]
    kept = [cut for cut in points if cut is not None and cut.count]
    kept.sort(key=lambda cut: search.disc[cg.index[cut.subject[0]]])
    return kept, bridges


def _point_cut(cg: CompiledGraph, search: _Search, x: int, children: list[int]) -> Cut | None:
    """The cut at ``x`` given its separated DFS children (None for a DFS root with one subtree)."""
    is_root = search.parent[x] < 0
    if is_root and len(children) < 2:
        return None
    total = search.component_size[x]
    # (counted nodes, nodes) per piece: the subtrees, then the rest of the component above x
    pieces = [(search.subtree_count(c), search.size[c]) for c in children]
    if not is_root:
        below = sum(counted for counted, _ in pieces) + search.counted[x]
        pieces.append((search.component_count(x) - below, total - 1 - sum(size for _, size in pieces)))
    order = sorted(range(len(pieces)), key=lambda i: pieces[i], reverse=True)  # stable: first of equals kept

    def members() -> list[int]:
        parts = [_subtree(search, c) for c in children]
        if not is_root:
            parts.append(_rest(search, {v for part in parts for v in part} | {x}, x))
        return [v for i in order[1:] for v in parts[i]]

    count = sum(counted for counted, _ in pieces) - pieces[order[0]][0]
    return Cut((cg.nodes[x],), count, total, lambda: _names(cg, search, members()))
