"""The ecosystem over time on ONE fixed layout: a year slider (and play button) over the periods.

Small multiples beat animation for comparing time steps, and a stable layout keeps the reader's
mental map (Archambault, Purchase & Pinaud, IEEE TVCG 2011): the union of the periods is laid out
once (:mod:`viz.layout`, physics off) and the slider only changes which organisations are in colour
and which ties are drawn.

**What is drawn** (the same rule as the change view, :mod:`viz.changes`). A real period has
~2,500 organisations and up to 50k ties, most of them among partners elsewhere; the view draws the
*home ecosystem's scope*:

* organisations: the home ecosystem's, plus the partners tied to them in the period; over all
  periods at most ``limit``, the home organisations first (by partners over all periods), then the
  partners with the most home partners over all periods;
* ties: those with a home end between drawn organisations, each organisation keeping its
  :data:`~viz.views.TIES_PER_NODE` strongest, :data:`~viz.views.EDGES_PER_NODE` per drawn
  organisation in all (:func:`viz.views.strongest_ties`).

Each period's text says its figures in all (they equal the timeline's: ``organisations``,
``ties``, ``home_organisations``, ``home_ties``) and what of it is drawn. A graph without any home
organisation makes everyone the scope (and says so). Pure functions of NetworkX graphs.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from innograph.queries.projection import COLLABORATION_WEIGHT, SHARED_PROJECTS
from innograph.text import plural
from innograph.viz.layout import cached_layout
from innograph.viz.render import LegendItem, View, ViewNode, kind_colour, render, script_json
from innograph.viz.views import (
    EDGE_WIDTH,
    EDGES_PER_NODE,
    LAYOUT_THRESHOLD,
    TIES_PER_NODE,
    Sizing,
    label_text,
    legend_rows,
    organisation_tip,
    scaled,
    strongest_ties,
)

TIMELINE_LIMIT = 2500
"""Organisations drawn at most (over all periods)."""
FADED = "#e6e6e6"
TIE_COLOUR = "#8a8a8a"
RING_BORDER = 3
NODE_SIZE = (6.0, 24.0)
"""Small views: a fixed layout cannot move nodes apart, so big circles would cover each other."""
LARGE_NODE_SIZE = (6.0, 80.0)
"""Views above LAYOUT_THRESHOLD open zoomed far out: the hubs (the home organisations) must stay big enough
for their names to be drawn (labels under 9 px on screen are not)."""
SMALL_SPREAD = 2.5
"""Positions of small views (≤ LAYOUT_THRESHOLD organisations) are spread by this much so that labels fit."""

Pair = frozenset[Hashable]


@dataclass(frozen=True)
class Slice:
    """One period as the views take it: its label and its cooperation graph."""

    label: str
    graph: nx.Graph


@dataclass(frozen=True)
class Scope:
    """The home ecosystem's organisations over some periods and which organisations are drawn.

    ``home`` is everyone when no organisation is home (``fallback``); ``partners[n]`` counts the
    distinct partners ``n`` had in any of the periods by ties in scope (a home organisation: all its
    partners; a partner elsewhere: its home partners); ``candidates`` is how many
    organisations were in scope in any period (``drawn`` is the first ``limit`` of them).
    """

    home: frozenset[Hashable]
    fallback: bool
    partners: dict[Hashable, int]
    drawn: list[Hashable]
    candidates: int
    ecosystem_name: str

    @property
    def where(self) -> str:
        """How a tie in scope is described: ``with an end in Thuringia``."""
        return "in all" if self.fallback else f"with an end in {self.ecosystem_name}"


def home_pairs(graph: nx.Graph, home: frozenset[Hashable]) -> set[Pair]:
    """The ties of ``graph`` with at least one end in ``home``."""
    return {frozenset((u, v)) for u in home if u in graph for v in graph.adj[u]}


def in_scope(graph: nx.Graph, home: frozenset[Hashable]) -> set[Hashable]:
    """The home organisations present in ``graph`` and their partners there."""
    present = {n for n in home if n in graph}
    return present | {m for n in present for m in graph.adj[n]}


def scope_of(graphs: Sequence[nx.Graph], ecosystem_name: str, limit: int) -> Scope:
    """Which organisations to draw for these periods (module docstring)."""
    home = frozenset(n for g in graphs for n, flag in g.nodes(data="home") if flag)
    fallback = not home
    if fallback:
        home = frozenset(n for g in graphs for n in g)
    linked: dict[Hashable, set[Hashable]] = {}
    for graph in graphs:
        for n in home:
            if n in graph:
                for m in graph.adj[n]:
                    linked.setdefault(m, set()).add(n)
                    linked.setdefault(n, set()).add(m)
    partners = {node: len(others) for node, others in linked.items()}
    candidates = {n for g in graphs for n in in_scope(g, home)}
    order = sorted(candidates, key=lambda n: (n not in home, -partners.get(n, 0), str(n)))
    return Scope(home, fallback, partners, order[: max(limit, 0)], len(candidates), ecosystem_name)


def drawn_ties(graph: nx.Graph, scope: Scope, index: dict[Hashable, int]) -> tuple[list[Pair], int]:
    """The ties of one graph to draw (capped as in the module docstring) and how many are in scope."""
    pairs = sorted(home_pairs(graph, scope.home), key=lambda p: sorted(map(str, p)))
    among = [p for p in pairs if all(n in index for n in p)]
    if not among:
        return [], len(pairs)
    ends = np.array([sorted(index[n] for n in p) for p in among], dtype=np.int64)
    strengths = np.array([graph.edges[tuple(p)][COLLABORATION_WEIGHT] for p in among], dtype=float)
    present = len({n for p in among for n in p})
    chosen = strongest_ties(ends[:, 0], ends[:, 1], strengths, len(index), EDGES_PER_NODE * present)
    return [among[k] for k in chosen.tolist()], len(pairs)


def fixed_positions(scope: Scope, pairs: Iterable[tuple[Pair, float]], layout_key: Hashable) -> np.ndarray:
    """One layout of the drawn organisations tied by ``pairs`` (pair, strength), remembered under ``layout_key``."""
    index = {node: i for i, node in enumerate(scope.drawn)}
    strength: dict[tuple[int, int], float] = {}
    for pair, value in pairs:
        i, j = sorted(index[n] for n in pair)
        strength[i, j] = strength.get((i, j), 0.0) + value
    keys = sorted(strength)
    sources = np.array([i for i, _ in keys], dtype=np.int64)
    targets = np.array([j for _, j in keys], dtype=np.int64)
    weights = np.maximum(np.array([strength[k] for k in keys], dtype=float), 1e-9)
    positions = cached_layout(layout_key, [str(n) for n in scope.drawn], sources, targets, weights)
    return positions * SMALL_SPREAD if len(scope.drawn) <= LAYOUT_THRESHOLD else positions


def organisation_nodes(
    scope: Scope,
    graphs: Sequence[nx.Graph],
    positions: np.ndarray,
    extra: Mapping[Hashable, list[tuple[str, str]]],
    rings: Collection[Hashable] | None = None,
) -> list[ViewNode]:
    """The drawn organisations at ``positions``: kind colour, size by partners, ``rings`` (default home) ringed."""
    rank = Sizing("partners over the periods shown", {n: scope.partners.get(n, 0) for n in scope.drawn})
    sizes = scaled(
        [float(scope.partners.get(n, 0)) for n in scope.drawn],
        *(NODE_SIZE if len(scope.drawn) <= LAYOUT_THRESHOLD else LARGE_NODE_SIZE),
    )
    ringed = rings if rings is not None else (() if scope.fallback else scope.home)
    nodes = []
    for i, node in enumerate(scope.drawn):
        data = node_data(node, graphs)
        name = str(data.get("name") or node)
        nodes.append(
            ViewNode(
                id=str(node),
                label=label_text(name),
                colour=kind_colour(data.get("kind")),
                size=sizes[i],
                heading=name,
                tip=[*organisation_tip(data, node, rank, {}), *extra.get(node, [])],
                value=float(scope.partners.get(node, 0)),
                x=float(positions[i, 0]),
                y=float(positions[i, 1]),
                border=RING_BORDER if node in ringed else 1,
            )
        )
    return nodes


def node_data(node: Hashable, graphs: Sequence[nx.Graph]) -> Mapping[str, Any]:
    """The node's attributes from the latest graph that has it."""
    return next(g.nodes[node] for g in reversed(graphs) if node in g)


def scope_legend(scope: Scope, graphs: Sequence[nx.Graph], extra: Iterable[LegendItem]) -> list[LegendItem]:
    """Kinds of the drawn organisations, the size rule, then the view's own rows."""
    size = LegendItem(f"Node size: partners over the periods shown, by ties {scope.where}", "#bbbbbb")
    return legend_rows((node_data(n, graphs).get("kind") for n in scope.drawn), [size, *extra])


def scope_note(scope: Scope, ties_capped: bool) -> str:
    """What the drawn organisations are, and the caps when they bite."""
    if scope.fallback:
        what = f"No organisation is in {scope.ecosystem_name}'s home ecosystem: drawing everyone"
    else:
        what = f"Drawn: {scope.ecosystem_name}'s organisations, their partners and the ties {scope.where}"
    if len(scope.drawn) < scope.candidates:
        what += (
            f"; showing {len(scope.drawn):,} of {scope.candidates:,} organisations ({scope.ecosystem_name}'s "
            f"first, then the partners with the most partners in {scope.ecosystem_name})"
        )
    if ties_capped:
        what += f"; at most {EDGES_PER_NODE} ties per organisation, each keeping its {TIES_PER_NODE} strongest"
    return what + "."


def _period_text(graph: nx.Graph, scope: Scope, shown: int, drawn: int, ties: int) -> tuple[str, str]:
    """The period's figures in all and in scope, and what of it is drawn."""
    total = f"In all: {plural(graph.number_of_nodes(), 'organisation')}, {plural(graph.number_of_edges(), 'tie')}."
    if scope.fallback:
        return total, f"Drawn: {shown:,} of these organisations, {drawn:,} of the ties."
    home = sum(1 for n in scope.home if n in graph)
    partners = len(in_scope(graph, scope.home)) - home
    return (
        f"{total} {scope.ecosystem_name}: {plural(home, 'organisation')}, {plural(partners, 'partner')} elsewhere, "
        f"{plural(ties, 'tie')} {scope.where}.",
        f"Drawn: {shown:,} of these {home + partners:,} organisations, {drawn:,} of the {ties:,} ties.",
    )


def busy_period(chosen: Sequence[tuple[list[Pair], int]]) -> int:
    """The latest period with at least half the most ties in scope of any period (not a dying last year)."""
    most = max((ties for _, ties in chosen), default=0)
    return max((k for k, (_, ties) in enumerate(chosen) if ties * 2 >= most), default=0)


def timeline_view(
    slices: Sequence[Slice],
    *,
    ecosystem_name: str,
    start: int | None = None,
    limit: int = TIMELINE_LIMIT,
    title: str | None = None,
    notes: Sequence[str] = (),
    layout_key: Hashable = None,
    assets_url: str | None = None,
) -> str:
    """The slider view over ``slices`` (oldest first), opening on period ``start`` (default :func:`busy_period`)."""
    graphs = [s.graph for s in slices]
    scope = scope_of(graphs, ecosystem_name, limit)
    index = {node: i for i, node in enumerate(scope.drawn)}
    chosen = [drawn_ties(graph, scope, index) for graph in graphs]
    tied = [(graph, pair) for graph, (pairs, _) in zip(graphs, chosen, strict=True) for pair in pairs]
    weights = [float(graph.edges[tuple(pair)][COLLABORATION_WEIGHT]) for graph, pair in tied]
    positions = fixed_positions(scope, ((pair, w) for (_, pair), w in zip(tied, weights, strict=True)), layout_key)
    widths = iter(scaled(weights, *EDGE_WIDTH))
    taking_part: dict[Hashable, list[str]] = {}
    periods = []
    for s, (pairs, ties) in zip(slices, chosen, strict=True):
        shown = sorted(index[n] for n in in_scope(s.graph, scope.home) if n in index)
        for i in shown:
            taking_part.setdefault(scope.drawn[i], []).append(s.label)
        edges = []
        for pair in pairs:
            u, v = sorted(pair, key=index.__getitem__)
            data = s.graph.edges[u, v]
            edges.append(
                [index[u], index[v], round(next(widths), 2), int(data[SHARED_PROJECTS]),
                 round(float(data[COLLABORATION_WEIGHT]), 4)]
            )  # fmt: skip
        counts, drawn = _period_text(s.graph, scope, len(shown), len(pairs), ties)
        periods.append({"label": s.label, "counts": counts, "drawn": drawn, "nodes": shown, "edges": edges})
    extra = {node: [("Taking part in", ", ".join(labels))] for node, labels in taking_part.items()}
    legend = [
        *([] if scope.fallback else [LegendItem(f"Black ring: in {ecosystem_name}", "#1a1a1a", "ring")]),
        LegendItem(f"Pale: not taking part in the period, or not tied to {ecosystem_name} in it", FADED),
        LegendItem("Line width: collaboration weight in the period", TIE_COLOUR, "line"),
    ]
    capped = any(len(pairs) < ties for pairs, ties in chosen)
    view = View(
        title=title or f"{ecosystem_name}'s ecosystem over time",
        nodes=organisation_nodes(scope, graphs, positions, extra),
        edges=[],
        legend=scope_legend(scope, graphs, legend),
        notes=[*notes, scope_note(scope, capped) if slices else "No period to show: no project in the graph is dated."],
        physics=False,
    )
    last = len(periods) - 1
    state = {"periods": periods, "start": busy_period(chosen) if start is None else min(max(start, 0), last)}
    return render(view, assets_url=assets_url, template="timeline.html", periods=script_json(state), faded=FADED)
