"""Period A against period B on one layout: new ties green, lost ties grey dashed, kept ties light.

Organisations that entered in B (present in B, not in A) get a black ring; those that left
(present in A, not in B) are pale. What is drawn follows the timeline view's rule
(:mod:`viz.timeline`): the home ecosystem's organisations of either period and their partners,
ties with a home end, capped with a note. The notes count every kind of change in all (these
equal the change report's counts, :class:`queries.changes.ChangeCounts`), in scope and drawn.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import replace

import numpy as np

from innograph.queries.projection import COLLABORATION_WEIGHT, SHARED_PROJECTS
from innograph.text import plural
from innograph.viz.render import LegendItem, View, ViewEdge, render
from innograph.viz.timeline import (
    FADED,
    TIMELINE_LIMIT,
    Pair,
    Slice,
    fixed_positions,
    home_pairs,
    organisation_nodes,
    scope_legend,
    scope_note,
    scope_of,
)
from innograph.viz.views import EDGE_WIDTH, EDGES_PER_NODE, scaled, strongest_ties

NEW_COLOUR, LOST_COLOUR, KEPT_COLOUR = "#4daf4a", "#7a7a7a", "#d0d0d0"
"""New ties a yellowish green (ColorBrewer Set1), unlike the research institutes' bluish green."""


def _edge_sets(a: Slice, b: Slice) -> dict[str, set[Pair]]:
    ties_a = {frozenset(e) for e in a.graph.edges()}
    ties_b = {frozenset(e) for e in b.graph.edges()}
    return {"new": ties_b - ties_a, "lost": ties_a - ties_b, "kept": ties_a & ties_b}


def change_view(
    a: Slice,
    b: Slice,
    *,
    ecosystem_name: str,
    limit: int = TIMELINE_LIMIT,
    layout_key: Hashable = None,
    assets_url: str | None = None,
) -> str:
    """The view of what changed from period ``a`` to period ``b`` (module docstring)."""
    scope = scope_of([a.graph, b.graph], ecosystem_name, limit)
    index = {node: i for i, node in enumerate(scope.drawn)}
    everyone = _edge_sets(a, b)
    in_scope = home_pairs(a.graph, scope.home) | home_pairs(b.graph, scope.home)
    kinds = {kind: pairs & in_scope for kind, pairs in everyone.items()}
    among = sorted(
        ((kind, pair) for kind, pairs in kinds.items() for pair in pairs if all(n in index for n in pair)),
        key=lambda item: (item[0], sorted(index[n] for n in item[1])),
    )

    def weight(pair: Pair) -> float:
        """The tie's collaboration weight in B, else in A."""
        graph = b.graph if tuple(pair) in b.graph.edges else a.graph
        return float(graph.edges[tuple(pair)][COLLABORATION_WEIGHT])

    strengths = np.array([weight(pair) for _, pair in among], dtype=float)
    ends = np.array([sorted(index[n] for n in pair) for _, pair in among], dtype=np.int64).reshape(-1, 2)
    present = len({n for _, pair in among for n in pair})
    chosen = strongest_ties(ends[:, 0], ends[:, 1], strengths, len(index), EDGES_PER_NODE * present).tolist()
    positions = fixed_positions(scope, ((among[k][1], strengths[k]) for k in chosen), layout_key)
    widths = scaled([float(strengths[k]) for k in chosen], *EDGE_WIDTH)
    nodes_a, nodes_b = set(a.graph), set(b.graph)
    entering, leaving = nodes_b - nodes_a, nodes_a - nodes_b
    status = {
        node: [("In the periods", "entered in " + b.label if node in entering else
                "left after " + a.label if node in leaving else f"in {a.label} and {b.label}")]
        for node in scope.drawn
    }  # fmt: skip
    nodes = [
        replace(node, colour=FADED) if was in leaving else node
        for was, node in zip(
            scope.drawn, organisation_nodes(scope, [a.graph, b.graph], positions, status, rings=entering), strict=True
        )
    ]
    names = {node.id: node.heading for node in nodes}
    style = {
        "new": (NEW_COLOUR, False, f"new: tied in {b.label}, not in {a.label}"),
        "lost": (LOST_COLOUR, True, f"lost: tied in {a.label}, not in {b.label}"),
        "kept": (KEPT_COLOUR, False, f"kept: tied in {a.label} and {b.label}"),
    }
    edges = []
    drawn = {kind: 0 for kind in style}
    for width, k in zip(widths, chosen, strict=True):
        kind, pair = among[k]
        u, v = (str(n) for n in sorted(pair, key=index.__getitem__))
        colour, dashed, meaning = style[kind]
        drawn[kind] += 1
        shared = [
            (f"Shared projects in {s.label}", str(s.graph.edges[tuple(pair)][SHARED_PROJECTS]))
            for s in (a, b)
            if tuple(pair) in s.graph.edges
        ]
        edges.append(
            ViewEdge(
                source=u, target=v, width=width, heading=f"{names[u]} — {names[v]}",
                tip=[("Tie", meaning), *shared], strength=float(strengths[k]), colour=colour, dashes=dashed,
            )
        )  # fmt: skip
    where = scope.where
    notes = [
        *(
            f"{label}: {plural(len(everyone[kind]), 'tie')} in all, {len(kinds[kind]):,} {where}, "
            f"{drawn[kind]:,} drawn."
            for kind, label in (("new", "New ties"), ("lost", "Lost ties"), ("kept", "Kept ties"))
        ),
        f"Organisations: {len(entering):,} entered, {len(leaving):,} left, {len(nodes_a & nodes_b):,} in both "
        f"(in all); drawn: {sum(n in entering for n in scope.drawn):,} entering, "
        f"{sum(n in leaving for n in scope.drawn):,} leaving, "
        f"{sum(n in nodes_a and n in nodes_b for n in scope.drawn):,} in both.",
        scope_note(scope, len(chosen) < len(among)),
    ]
    legend = [
        LegendItem(f"New tie (in {b.label}, not in {a.label})", NEW_COLOUR, "line"),
        LegendItem(f"Lost tie (in {a.label}, not in {b.label})", LOST_COLOUR, "dashed"),
        LegendItem("Kept tie (in both)", KEPT_COLOUR, "line"),
        LegendItem(f"Black ring: entered in {b.label}", "#1a1a1a", "ring"),
        LegendItem(f"Pale: left after {a.label}", FADED),
        LegendItem("Line width: collaboration weight", NEW_COLOUR, "line"),
    ]
    view = View(
        title=f"{ecosystem_name}'s ecosystem: {a.label} against {b.label}",
        nodes=nodes,
        edges=edges,
        legend=scope_legend(scope, [a.graph, b.graph], legend),
        notes=notes,
        physics=False,
    )
    return render(view, assets_url=assets_url)
