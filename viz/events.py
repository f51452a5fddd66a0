"""The event view: invitees coloured by side, one column per side, proposed meetings dashed, ties already there grey.

A pure function of an :class:`queries.events.EventPlan` and the tie graph it was planned on (for the
existing ties between invitees); offline like every other view.
"""

from __future__ import annotations

import networkx as nx

from innograph.queries.events import EventPlan
from innograph.viz.render import LegendItem, View, ViewEdge, ViewNode, kind_label, render
from innograph.viz.views import label_text

SIDE_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")  # Okabe-Ito
TIE_COLOUR, MEETING_COLOUR = "#b0b0b0", "#222222"
COLUMN, ROW = 420.0, 60.0


def event_view(plan: EventPlan, graph: nx.Graph, *, assets_url: str | None = None) -> str:
    """The page of a plan: who comes from which side, who should meet whom, who knows each other already."""
    sides = list(dict.fromkeys(side.label for side in plan.brief.sides))
    colour = {side: SIDE_COLOURS[k % len(SIDE_COLOURS)] for k, side in enumerate(sides)}
    rows: dict[str, int] = {}
    nodes = []
    for invitee in plan.invitees:
        org, row = invitee.organisation, rows.get(invitee.side, 0)
        rows[invitee.side] = row + 1
        nodes.append(
            ViewNode(
                id=org.id, label=label_text(org.name), colour=colour[invitee.side], size=14, heading=org.name,
                tip=[("Side", invitee.side), ("Kind", kind_label(org.kind)), ("City", org.city or "not recorded"),
                     *(("Why", reason) for reason in invitee.reasons)],
                value=invitee.score, x=COLUMN * sides.index(invitee.side), y=ROW * row,
            )
        )  # fmt: skip
    invited = [i.organisation.id for i in plan.invitees]
    names = {i.organisation.id: i.organisation.name for i in plan.invitees}
    edges = [
        ViewEdge(
            source=u, target=v, width=1.0, heading=f"{names[u]} — {names[v]}", tip=[("Tie", "already partners")],
            strength=float(graph.edges[u, v].get("strength", 0.0)), colour=TIE_COLOUR,
        )
        for u, v in nx.subgraph(graph, invited).edges
    ]  # fmt: skip
    edges += [
        ViewEdge(
            source=m.a.id, target=m.b.id, width=2.5, heading=f"Meeting: {m.a.name} — {m.b.name}",
            tip=[("Reason", m.reason), ("Hops now", "not connected" if m.hops is None else str(m.hops))],
            strength=m.score, colour=MEETING_COLOUR, dashes=True,
        )
        for m in plan.meetings
    ]  # fmt: skip
    legend = [
        *(LegendItem(f"Side: {side}", colour[side]) for side in sides),
        LegendItem("Proposed meeting", MEETING_COLOUR, "dashed"),
        LegendItem("Already partners", TIE_COLOUR, "line"),
    ]
    notes = [f"{len(plan.invitees)} invitees, {len(plan.meetings)} proposed meetings.", *plan.notes]
    view = View(title=plan.brief.title, nodes=nodes, edges=edges, legend=legend, notes=notes, physics=False)
    return render(view, assets_url=assets_url)
