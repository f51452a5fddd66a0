"""The path view: an introduction-path answer drawn as a left-to-right map, best path highlighted.

Every path runs from the source on the left to the target on the right, one row
per path (the best on the middle row, drawn solid and dark; alternatives dashed in
their own colours). An organisation on several paths is drawn once, where it
first appears. Hops carry their evidence in the tooltip ("cooperated in 3
projects, latest 2023: …"), and an edge used by several paths says which.

When there is no path, the answer's *alternatives* are drawn instead — the
paths to organisations close to the target — with a dotted line from each to
the target saying how they are tied, and the page says why there is no path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import networkx as nx

from innograph.viz.render import LegendItem, View, ViewEdge, ViewNode, kind_colour, render
from innograph.viz.views import (
    EDGE_WIDTH,
    NODE_SIZE,
    Metrics,
    SizeBy,
    key_columns,
    label_text,
    legend_rows,
    organisation_tip,
    scaled,
    shown_value,
    sizing,
)

if TYPE_CHECKING:
    from innograph.queries.paths import IntroductionPath, PathAnswer

BEST_COLOUR = "#1a1a1a"
ALTERNATIVE_COLOURS = ("#7B3294", "#008837", "#A6611A", "#2166AC", "#B2182B", "#4D4D4D")
HOP_SPACING = 220.0  # pixels between the columns of a path
ROW_SPACING = 130.0  # pixels between the rows of different paths


@dataclass(frozen=True)
class _Route:
    """A path to draw: its nodes (id, name, kind), its hops' tooltips and strengths, and its legend text."""

    nodes: list[tuple[str, str, str]]
    hop_tips: list[tuple[str, list[tuple[str, str]], float]]
    label: str


def _route(path: IntroductionPath, rank: int) -> _Route:
    first = path.hops[0]
    nodes = [(first.from_id, first.from_name, "")] + [(hop.to_id, hop.to_name, hop.to_kind) for hop in path.hops]
    tips = [
        (
            f"{hop.from_name} — {hop.to_name}",
            [("Evidence", hop.explanation), ("Kind of tie", hop.kind), ("Hop strength", shown_value(hop.strength))],
            hop.strength,
        )
        for hop in path.hops
    ]
    label = f"Path {rank + 1}{' (best)' if rank == 0 else ''}: path strength {shown_value(path.strength)}"
    return _Route(nodes, tips, f"{label}, {len(path.hops)} hop{'s' if len(path.hops) > 1 else ''}")


@dataclass
class _Edge:
    """A hop being collected: drawn once, in the style of the first path that uses it."""

    source: str
    target: str
    heading: str
    tip: list[tuple[str, str]]
    strength: float
    colour: str = "#999999"
    dashed: bool = True
    paths: list[int] = field(default_factory=list)

    def drawn(self, width: float) -> ViewEdge:
        """The finished edge, saying which paths use it."""
        on = [("On path" + ("s" if len(self.paths) > 1 else ""), ", ".join(map(str, self.paths)))] if self.paths else []
        return ViewEdge(
            self.source, self.target, width, self.heading, [*self.tip, *on], self.strength, self.colour, self.dashed
        )


def _row(rank: int) -> float:
    """Row offsets 0, +1, -1, +2, -2, … so the best path runs through the middle."""
    return ROW_SPACING * ((rank + 1) // 2) * (1 if rank % 2 else -1)


def path_view(
    answer: PathAnswer,
    *,
    graph: nx.Graph | None = None,
    size_by: SizeBy = None,
    metrics: Metrics | None = None,
    metric_name: str | None = None,
    title: str | None = None,
    assets_url: str | None = None,
) -> str:
    """The page of a :class:`queries.paths.PathAnswer`.

    ``graph`` (the cooperation projection), if given, adds city and region to
    the tooltips and sizes nodes by ``size_by`` like the other views; without it
    all nodes have one size.
    """
    kinds: dict[str, str] = {answer.source.id: answer.source.kind, answer.target.id: answer.target.kind}
    routes = [_route(path, rank) for rank, path in enumerate(answer.paths)]
    notes = []
    if routes:
        notes.append(f"{len(routes)} path{'s' if len(routes) > 1 else ''}; the best is drawn solid and dark.")
    else:
        notes.append(answer.no_path_reason or "No path within the limits.")
        routes = [_route(alt.path, rank) for rank, alt in enumerate(answer.alternatives)]
        if routes:
            notes.append("Drawn instead: paths to organisations close to the target (dotted: how they are tied).")
    placed: dict[str, tuple[float, float]] = {answer.source.id: (0.0, 0.0)}
    names = {answer.source.id: answer.source.name, answer.target.id: answer.target.name}
    columns = max((len(route.nodes) - 1 for route in routes), default=1)
    placed[answer.target.id] = (HOP_SPACING * columns, 0.0)
    edges: dict[frozenset[str], _Edge] = {}
    legend_lines = []
    for rank, route in enumerate(routes):
        best = rank == 0 and bool(answer.paths)
        colour = BEST_COLOUR if best else ALTERNATIVE_COLOURS[rank % len(ALTERNATIVE_COLOURS)]
        legend_lines.append(LegendItem(route.label, colour, "line" if best else "dashed"))
        hops = len(route.nodes) - 1
        for step, (node, name, kind) in enumerate(route.nodes):
            names.setdefault(node, name)
            if kind:
                kinds.setdefault(node, kind)
            placed.setdefault(node, (HOP_SPACING * columns * step / hops, _row(rank)))
        ends = zip(route.nodes, route.nodes[1:], strict=False)
        for ((u, _, _), (v, _, _)), (heading, tip, strength) in zip(ends, route.hop_tips, strict=True):
            edge = edges.setdefault(frozenset((u, v)), _Edge(u, v, heading, tip, strength, colour, not best))
            edge.paths.append(rank + 1)  # the first (best) path to use a hop decides its style
    if not answer.paths:
        for alt in answer.alternatives:
            tip = [("Tie", alt.relation), ("Tie strength", shown_value(alt.tie_strength))]
            heading = f"{alt.organisation.name} — {answer.target.name}"
            key = frozenset((alt.organisation.id, answer.target.id))
            edges.setdefault(key, _Edge(alt.organisation.id, answer.target.id, heading, tip, alt.tie_strength))
    ordered = list(placed)
    rank_by = sizing(graph, size_by, metrics, metric_name)
    sizes = scaled([rank_by.of(node) for node in ordered], *NODE_SIZE)
    columns_of_metrics = key_columns(metrics)
    nodes, drawn_kinds = [], []
    for i, node in enumerate(ordered):
        data = {"kind": kinds.get(node), **(graph.nodes[node] if graph is not None and node in graph else {})}
        drawn_kinds.append(data["kind"])
        x, y = placed[node]
        nodes.append(
            ViewNode(
                id=node,
                label=label_text(names[node]),
                colour=kind_colour(data["kind"]),
                size=sizes[i],
                heading=names[node],
                tip=organisation_tip(data, node, rank_by, columns_of_metrics),
                value=rank_by.of(node),
                x=x,
                y=y,
                border=4 if node in (answer.source.id, answer.target.id) else 1,
            )
        )
    low, high = EDGE_WIDTH  # tie strengths are absolute (0, 1), so widths are too: comparable between answers
    view = View(
        title=title or f"From {answer.source.name} to {answer.target.name}",
        nodes=nodes,
        edges=[edge.drawn(low + (high - low) * edge.strength) for edge in edges.values()],
        legend=legend_rows(
            drawn_kinds,
            [
                LegendItem("Black ring: where the path starts and ends", BEST_COLOUR, "ring"),
                *legend_lines,
                LegendItem("Line width: tie strength", "#8a8a8a", "line"),
            ],
        ),
        notes=notes,
        physics=False,
    )
    return render(view, assets_url=assets_url)
