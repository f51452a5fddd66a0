"""Where a graph falls apart: articulation points and bridges, with the pieces each one cuts off.

One iterative depth-first search (Hopcroft-Tarjan) over the compiled CSR arrays
records each node's discovery index, low-link and DFS-subtree size. A child
``c`` of ``x`` whose subtree cannot reach above ``x`` (``low[c] >= disc[x]``) is
a piece that only ``x`` holds to the rest; its nodes are a contiguous slice of
the preorder. So every articulation point's and bridge's split sizes come out of
the same pass, in linear time, without re-running connectivity per candidate.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import partial

from innograph.queries.compiled import CompiledGraph


@dataclass(frozen=True)
class Cut:
    """Removing ``subject`` (one node, or the two ends of a tie) cuts ``count`` nodes off their component.

    The nodes themselves are listed on demand (:meth:`cut_off`): listing the
    pieces of every cut in a large graph would cost nodes x cuts.
    """

    subject: tuple[Hashable, ...]
    count: int
    component_size: int
    _members: Callable[[], list[Hashable]] = field(repr=False, compare=False)

    def cut_off(self) -> list[Hashable]:
        """The nodes that lose their only connection to the rest (every piece but the largest)."""
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


def _depth_first(cg: CompiledGraph) -> _Search:
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
    return _Search(order, disc, low, parent, size, component_start, component_size)


def _subtree(search: _Search, child: int) -> list[int]:
    return search.order[search.disc[child] : search.disc[child] + search.size[child]]


def _rest(search: _Search, without: set[int], x: int) -> list[int]:
    start = search.component_start[x]
    return [v for v in search.order[start : start + search.component_size[x]] if v not in without]


def _names(cg: CompiledGraph, positions: list[int]) -> list[Hashable]:
    return [cg.nodes[v] for v in positions]


def _bridge_side(cg: CompiledGraph, search: _Search, child: int, inside: bool) -> list[Hashable]:
    """The subtree below the bridge (``inside``) or the rest of the component."""
    subtree = _subtree(search, child)
    return _names(cg, subtree if inside else _rest(search, set(subtree), child))


def find_cuts(cg: CompiledGraph) -> tuple[list[Cut], list[Cut]]:
    """Articulation points and bridges of ``cg``, each with what it cuts off (all but the largest piece).

    >>> import numpy as np
    >>> path = CompiledGraph.from_arrays(list("abcd"), np.array([0, 1, 2]), np.array([1, 2, 3]), np.ones(3))
    >>> points, bridges = find_cuts(path)
    >>> [(cut.subject, cut.cut_off()) for cut in points]
    [(('b',), ['a']), (('c',), ['d'])]
    >>> [(cut.subject, cut.count) for cut in bridges]
    [(('a', 'b'), 1), (('b', 'c'), 2), (('c', 'd'), 1)]
    """
    search = _depth_first(cg)
    separated: dict[int, list[int]] = {}
    bridges: list[Cut] = []
    for child in search.order:
        p = search.parent[child]
        if p < 0:
            continue
        if search.parent[p] < 0 or search.low[child] >= search.disc[p]:
            separated.setdefault(p, []).append(child)
        if search.low[child] > search.disc[p]:
            inside, total = search.size[child], search.component_size[child]
            members = partial(_bridge_side, cg, search, child, inside <= total - inside)
            bridges.append(Cut((cg.nodes[p], cg.nodes[child]), min(inside, total - inside), total, members))
    points = [_point_cut(cg, search, x, children) for x, children in separated.items()]
    kept = [cut for cut in points if cut is not None]
    kept.sort(key=lambda cut: search.disc[cg.index[cut.subject[0]]])
    return kept, bridges


def _point_cut(cg: CompiledGraph, search: _Search, x: int, children: list[int]) -> Cut | None:
    """The cut at ``x`` given its separated DFS children (None for a DFS root with one subtree)."""
    is_root = search.parent[x] < 0
    if is_root and len(children) < 2:
        return None
    total = search.component_size[x]
    sizes = [search.size[c] for c in children]
    rest = 0 if is_root else total - 1 - sum(sizes)
    largest = max([*sizes, rest])

    def members() -> list[int]:
        pieces = [_subtree(search, c) for c in children]
        if not is_root:
            pieces.append(_rest(search, {v for piece in pieces for v in piece} | {x}, x))
        pieces.sort(key=len, reverse=True)
        return [v for piece in pieces[1:] for v in piece]

    return Cut((cg.nodes[x],), sum(sizes) + rest - largest, total, lambda: _names(cg, members()))
