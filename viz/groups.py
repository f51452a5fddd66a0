"""Groups as nodes: communities, clusters or fields sized by members, with the ties between them summed.

Beyond a few thousand organisations an all-nodes picture helps nobody; this view
shows one node per group and one edge per pair of groups whose members cooperate,
and each group node links to a drill-down page (usually a :func:`viz.views.group_view`).

Aggregation rule (pinned by a hand-worked test): a tie ``u -- v`` counts once
for every unordered pair of *different* groups ``{A, B}`` with ``u`` in one and
``v`` in the other — once, even when both ends belong to both groups — and once
as an inner tie of every group that holds both ends. An edge's ``strength`` is the
sum of those ties' strengths, its ``ties`` their number.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote

import networkx as nx
import numpy as np

from innograph.viz.assets import check_local_url
from innograph.viz.render import LegendItem, Link, View, ViewEdge, ViewNode, kind_colour, kind_label, render
from innograph.viz.views import (
    EDGE_WIDTH,
    NODE_SIZE,
    Sizing,
    cap_note,
    induced_ties,
    legend_rows,
    positions_for,
    scaled,
    shown_value,
)

GROUPS_LIMIT = 300
GroupLink = str | Callable[[Hashable], str]
"""A drill-down URL per group: a template with ``{id}`` (URL-quoted for you) or a function of the group id."""


def members_by_group(assignment: Mapping[Hashable, Hashable | Iterable[Hashable]]) -> dict[Hashable, list[Hashable]]:
    """Invert organisation -> group(s) into group -> members, for :func:`group_overview`.

    Takes ``Projection.fields``/``.clusters`` (org -> tuple of ids) and
    ``MetricsTable.column("community")`` (org -> one id) alike.

    >>> members_by_group({"a": ("f1", "f2"), "b": "f1", "c": 3})
    {'f1': ['a', 'b'], 'f2': ['a'], 3: ['c']}
    """
    groups: dict[Hashable, list[Hashable]] = {}
    for member, value in assignment.items():
        many = isinstance(value, Iterable) and not isinstance(value, str | bytes)
        for group in value if many else (value,):  # type: ignore[union-attr]
            groups.setdefault(group, []).append(member)
    return groups


@dataclass(frozen=True)
class GroupTies:
    """Ties aggregated between groups: ``pairs[k] = (a, b)`` group positions with ``a < b``."""

    pairs: np.ndarray
    strengths: np.ndarray
    ties: np.ndarray
    inner_strengths: np.ndarray
    inner_ties: np.ndarray


def aggregate_ties(graph: nx.Graph, groups: list[list[Hashable]]) -> GroupTies:
    """Sum the ties of ``graph`` between and inside ``groups`` (lists of members in the graph), vectorised.

    Every tie ``u -- v`` expands into the pairs (group of u, group of v); pairs
    are made unordered and de-duplicated per tie, so the rule of the module
    docstring holds however the memberships overlap.
    """
    nodes = list(dict.fromkeys(member for members in groups for member in members))
    position = {node: i for i, node in enumerate(nodes)}
    sources, targets, strengths = induced_ties(graph, nodes)
    membership = sorted((position[m], g) for g, members in enumerate(groups) for m in members)
    owner = np.array([node for node, _ in membership], dtype=np.int64)
    group_of = np.array([g for _, g in membership], dtype=np.int64)
    start = np.searchsorted(owner, np.arange(len(nodes)))
    count = np.bincount(owner, minlength=len(nodes))
    per_tie = count[sources] * count[targets]
    tie = np.repeat(np.arange(len(sources)), per_tie)
    offset = np.arange(len(tie)) - np.repeat(np.cumsum(per_tie) - per_tie, per_tie)
    a = group_of[start[sources][tie] + offset // count[targets][tie]]
    b = group_of[start[targets][tie] + offset % count[targets][tie]]
    n = len(groups)
    low, high = np.minimum(a, b), np.maximum(a, b)
    keys = np.unique((tie * n + low) * n + high)
    tie, pair = keys // (n * n), keys % (n * n)
    low, high = pair // n, pair % n
    inner = low == high
    between, pair_index = np.unique(pair[~inner], return_inverse=True)
    return GroupTies(
        pairs=np.column_stack([between // n, between % n]),
        strengths=np.bincount(pair_index, strengths[tie[~inner]], minlength=len(between)),
        ties=np.bincount(pair_index, minlength=len(between)),
        inner_strengths=np.bincount(low[inner], strengths[tie[inner]], minlength=n),
        inner_ties=np.bincount(low[inner], minlength=n),
    )


def plural(noun: str) -> str:
    """English plural of a group noun.

    >>> plural("community"), plural("cluster"), plural("key")
    ('communities', 'clusters', 'keys')
    """
    return noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"


def _url(link: GroupLink | None, group: Hashable) -> str | None:
    if link is None:
        return None
    url = link.format(id=quote(str(group), safe="")) if isinstance(link, str) else link(group)
    return check_local_url(url)


def group_overview(
    graph: nx.Graph,
    groups: Mapping[Hashable, Iterable[Hashable]],
    *,
    names: Mapping[Hashable, str] | None = None,
    link: GroupLink | None = None,
    noun: str = "group",
    title: str | None = None,
    limit: int = GROUPS_LIMIT,
    layout_key: Hashable = None,
    assets_url: str | None = None,
) -> str:
    """One node per group (sized by members in ``graph``, coloured by their most common kind), ties summed.

    ``groups`` maps group id -> member ids (see :func:`members_by_group`);
    ``names`` gives display names (default "<noun> <id>"); ``link`` the drill-down
    URL of each group, which must be local (``/views/field/{id}``). The
    ``limit`` largest groups are shown.
    """
    members = {group: [m for m in dict.fromkeys(ids) if m in graph] for group, ids in groups.items()}
    rank = Sizing("members", {group: len(ids) for group, ids in members.items()})
    shown = sorted(members, key=rank.rank)[: max(limit, 0)]
    aggregated = aggregate_ties(graph, [members[group] for group in shown])
    sources, targets = aggregated.pairs[:, 0], aggregated.pairs[:, 1]
    positions = positions_for([str(g) for g in shown], sources, targets, aggregated.strengths, layout_key)
    sizes = scaled([float(len(members[group])) for group in shown], *NODE_SIZE)
    nodes, links, dominant_kinds = [], [], []
    for i, group in enumerate(shown):
        name = str((names or {}).get(group) or f"{noun.capitalize()} {group}")
        kinds = Counter(graph.nodes[m].get("kind") for m in members[group])
        dominant = kinds.most_common(1)[0][0] if kinds else None
        dominant_kinds.append(dominant)
        url = _url(link, group)
        tip = [
            ("Members", shown_value(len(members[group]))),
            ("Kinds", ", ".join(f"{kind_label(kind)} {n}" for kind, n in kinds.most_common()) or "none"),
            ("Ties inside", shown_value(int(aggregated.inner_ties[i]))),
            ("Id", str(group)),
        ]
        nodes.append(
            ViewNode(
                id=str(group),
                label=f"{name} ({len(members[group]):,})",
                colour=kind_colour(dominant),
                size=sizes[i],
                heading=name,
                tip=tip,
                value=float(len(members[group])),
                x=None if positions is None else float(positions[i, 0]),
                y=None if positions is None else float(positions[i, 1]),
                url=url,
            )
        )
        if url is not None:
            count = len(members[group])
            links.append(Link(f"{name} ({count:,} member{'' if count == 1 else 's'})", url))
    widths = scaled(aggregated.strengths.tolist(), *EDGE_WIDTH)
    edges = [
        ViewEdge(
            source=nodes[a].id,
            target=nodes[b].id,
            width=widths[k],
            heading=f"{nodes[a].heading} — {nodes[b].heading}",
            tip=[
                ("Ties between members", shown_value(int(aggregated.ties[k]))),
                ("Summed collaboration weight", shown_value(float(aggregated.strengths[k]))),
            ],
            strength=float(aggregated.strengths[k]),
        )
        for k, (a, b) in enumerate(aggregated.pairs.tolist())
    ]
    nouns = plural(noun)
    notes = cap_note(len(shown), len(members), rank, nouns)
    notes.append(f"Colour: the most common kind of organisation among a {noun}'s members.")
    if sum(len(ids) for ids in members.values()) > len({m for ids in members.values() for m in ids}):
        notes.append(f"Organisations in several {nouns} count in each of them.")
    if link is not None:
        notes.append(f"Click a {noun} (or use the list beside the picture) to open it.")
    legend = legend_rows(
        dominant_kinds,
        [
            LegendItem(f"Node size: members of the {noun}", "#bbbbbb"),
            LegendItem("Line width: summed collaboration weight between members", "#8a8a8a", "line"),
        ],
    )
    view = View(
        title=title or f"{nouns.capitalize()} and the ties between them",
        nodes=nodes,
        edges=edges,
        legend=legend,
        notes=notes,
        links=links,
        physics=positions is None,
    )
    return render(view, assets_url=assets_url)
