"""The views: pure functions from NetworkX graphs (and path answers) to self-contained offline HTML pages.

All views share one builder: organisations become nodes coloured by kind and
sized by a chosen metric, ties become edges as wide as their strength, and every
node and edge gets a tooltip (name, kind, city, key metrics; evidence on ties).
Views above :data:`LAYOUT_THRESHOLD` nodes are laid out in Python
(:mod:`viz.layout`) and drawn with physics off; smaller ones settle in the
browser. Capped views say what they show ("Showing the top 300 by PageRank…").

The input graph is only read: these functions never add, change or remove
nodes, edges or attributes (unlike pyvis's ``Network.from_nx``).

Arguments shared by the organisation views:

* ``size_by`` — a metric name looked up in ``metrics`` (``"degree"`` and
  ``"weighted_degree"`` also work without), or a mapping node -> value (named by
  ``metric_name``), or None for the sum of collaboration weights;
* ``metrics`` — a :class:`queries.metrics.MetricsTable` (or a mapping metric ->
  node -> value) whose :data:`KEY_METRICS` appear in the tooltips;
* ``layout_key`` — something that changes when the graph does (the projection's
  version); with it the layout of a large view is computed once and remembered;
* ``assets_url`` — serve vis-network from this local path instead of inlining it.

Over 400 lines on purpose: the ego, overview and group views share one node/edge/tooltip
builder and its sizing rules; keeping them beside it keeps one way to draw an organisation.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import networkx as nx
import numpy as np
import scipy.sparse as sp

from innograph.errors import NotFoundError
from innograph.queries.compiled import compiled
from innograph.queries.projection import COLLABORATION_WEIGHT, SHARED_PROJECTS
from innograph.viz.layout import cached_layout
from innograph.viz.render import (
    KIND_COLOURS,
    LegendItem,
    Tip,
    View,
    ViewEdge,
    ViewNode,
    kind_colour,
    kind_label,
    render,
)

LAYOUT_THRESHOLD = 150
"""Views with more nodes than this get a Python layout and no physics."""
EGO_LIMIT = 300
GROUP_LIMIT = 1000
OVERVIEW_LIMIT = 2000
TIES_PER_NODE = 3
"""When ties are capped, every organisation keeps at least its strongest few, so nobody is drawn alone."""
EDGES_PER_NODE = 4
"""Ties drawn per node at most (on average): dense regions become unreadable and slow beyond that."""
KEY_METRICS: tuple[str, ...] = ("degree", "weighted_degree", "betweenness", "pagerank", "community")
METRIC_LABELS: dict[str, str] = {
    "degree": "partners",
    "weighted_degree": "collaboration weight (sum)",
    "betweenness": "betweenness",
    "closeness": "closeness",
    "eigenvector": "eigenvector centrality",
    "pagerank": "PageRank",
    "core_number": "k-core",
    "clustering": "clustering",
    "constraint": "Burt's constraint",
    "effective_size": "effective size",
    "community": "community",
    "articulation_point": "single point of failure",
}
NODE_SIZE = (8.0, 40.0)
EDGE_WIDTH = (1.0, 8.0)
LABEL_CHARS = 40


class MetricSource(Protocol):
    """Anything with per-metric columns, such as :class:`queries.metrics.MetricsTable`."""

    def column(self, metric: str) -> Mapping[Hashable, Any]: ...


Metrics = MetricSource | Mapping[str, Mapping[Hashable, Any]]
SizeBy = str | Mapping[Hashable, Any] | None


# --- numbers and text ---------------------------------------------------------------


def metric_label(metric: str) -> str:
    """A metric as people say it ("pagerank" -> "PageRank")."""
    return METRIC_LABELS.get(metric, metric.replace("_", " "))


def _number(value: Any) -> float | None:
    """A metric value as a finite float (booleans count 0/1), or None."""
    if value is None or isinstance(value, str):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def shown_value(value: Any) -> str:
    """A value for a tooltip: integers as such, other numbers with 4 significant digits."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.4g}"
    return str(value)


def label_text(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"


def scaled(values: Sequence[float | None], low: float, high: float) -> list[float]:
    """Map values onto [low, high] by square root of their share of the range (areas grow linearly); None -> low."""
    known = [v for v in values if v is not None]
    if not known:
        return [(low + high) / 2] * len(values)
    bottom, top = min(known), max(known)
    span = top - bottom
    if span <= 0:
        return [(low + high) / 2 if v is not None else low for v in values]
    return [low if v is None else low + (high - low) * math.sqrt((v - bottom) / span) for v in values]


def metric_column(metrics: Metrics | None, metric: str) -> Mapping[Hashable, Any] | None:
    """One metric's values from ``metrics``, or None if it has no such metric."""
    if metrics is None:
        return None
    try:
        return metrics.column(metric) if hasattr(metrics, "column") else metrics[metric]  # type: ignore[index,union-attr]
    except KeyError:
        return None


def key_columns(metrics: Metrics | None) -> dict[str, Mapping[Hashable, Any]]:
    """The :data:`KEY_METRICS` that ``metrics`` has, for tooltips."""
    return {metric: column for metric in KEY_METRICS if (column := metric_column(metrics, metric)) is not None}


@dataclass(frozen=True)
class Sizing:
    """What node size means in a view: a metric's name and its values."""

    name: str
    values: Mapping[Hashable, Any]

    def of(self, node: Hashable) -> float | None:
        """The node's value (None when unknown)."""
        return _number(self.values.get(node))

    def rank(self, node: Hashable) -> tuple[bool, float, str]:
        """Sort key: highest value first, unknown last, ties by id (so caps are deterministic)."""
        value = self.of(node)
        return (value is None, -(value or 0.0), str(node))


def sizing(graph: nx.Graph | None, size_by: SizeBy, metrics: Metrics | None, metric_name: str | None) -> Sizing:
    """Resolve the ``size_by``/``metrics``/``metric_name`` arguments (module docstring) into a :class:`Sizing`."""
    if isinstance(size_by, Mapping):
        return Sizing(metric_name or "the chosen metric", size_by)
    metric = size_by or "weighted_degree"
    column = metric_column(metrics, metric)
    if column is None and graph is not None and metric in ("degree", "weighted_degree"):
        twin = compiled(graph, COLLABORATION_WEIGHT)
        column = twin.by_node(twin.strengths if metric == "weighted_degree" else twin.degrees)
    if column is None:
        if size_by is not None:
            raise ValueError(f"size_by={size_by!r}: no such metric (pass metrics=... that has it, or a mapping)")
        column = {}
    return Sizing(metric_name or metric_label(metric), column)


def cap_note(shown: int, total: int, rank: Sizing, noun: str, extra: str = "") -> list[str]:
    if shown >= total:
        return []
    return [f"Showing the top {shown:,} by {rank.name}, out of {total:,} {noun}{extra}."]


# --- the shared organisation-view builder ----------------------------------------


def induced_ties(graph: nx.Graph, shown: Sequence[Hashable]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ties among ``shown`` as position arrays (each tie once, ``sources < targets``) and their strengths.

    Read from the graph's compiled twin (cached for the frozen projection, so this is a sparse slice in C).
    """
    twin = compiled(graph, COLLABORATION_WEIGHT)
    index = np.fromiter((twin.index[node] for node in shown), dtype=np.int64, count=len(shown))
    ties = sp.triu(twin.adjacency[index][:, index], k=1).tocoo()
    return ties.row.astype(np.int64), ties.col.astype(np.int64), ties.data.astype(float)


def strongest_ties(
    sources: np.ndarray, targets: np.ndarray, strengths: np.ndarray, n: int, limit: int, per_node: int = TIES_PER_NODE
) -> np.ndarray:
    """Indices of the ties to draw: every node's ``per_node`` strongest, then the strongest others, ``limit`` in all.

    >>> strongest_ties(np.array([0, 0, 1]), np.array([1, 2, 2]), np.array([3.0, 1.0, 2.0]), 3, 2, per_node=1)
    array([0, 2])
    """
    m = len(strengths)
    if m <= limit:
        return np.arange(m)
    ends = np.concatenate([sources, targets])
    tie = np.concatenate([np.arange(m), np.arange(m)])
    order = np.lexsort((tie, -np.concatenate([strengths, strengths]), ends))
    sorted_ends = ends[order]
    group_start = np.flatnonzero(np.r_[True, sorted_ends[1:] != sorted_ends[:-1]])
    rank = np.arange(2 * m) - np.repeat(group_start, np.diff(np.r_[group_start, 2 * m]))
    keep = np.zeros(m, dtype=bool)
    keep[tie[order[rank < per_node]]] = True
    by_strength = np.lexsort((np.arange(m), -strengths))
    room = max(limit - int(keep.sum()), 0)
    keep[by_strength[~keep[by_strength]][:room]] = True
    return np.flatnonzero(keep)


def positions_for(
    shown: Sequence[Hashable], sources: np.ndarray, targets: np.ndarray, strengths: np.ndarray, layout_key: Hashable
) -> np.ndarray | None:
    """Python layout for views above the threshold; None lets the browser's physics place the nodes."""
    if len(shown) <= LAYOUT_THRESHOLD and len(shown) > 1:
        return None
    return cached_layout(layout_key, [str(node) for node in shown], sources, targets, np.maximum(strengths, 1e-9))


def organisation_tip(data: Mapping[str, Any], node: Hashable, rank: Sizing, columns: Mapping[str, Mapping]) -> Tip:
    """Kind, place and metrics of one organisation as tooltip lines."""
    tip: Tip = [("Kind", kind_label(data.get("kind")))]
    place = ", ".join(str(data[key]) for key in ("city", "region") if data.get(key))
    if place:
        tip.append(("Place", place))
    value = rank.values.get(node)
    if value is not None:
        tip.append((rank.name[:1].upper() + rank.name[1:], shown_value(value)))
    for metric, column in columns.items():
        if metric_label(metric) != rank.name and column.get(node) is not None:
            tip.append((metric_label(metric).capitalize(), shown_value(column[node])))
    tip.append(("Id", str(node)))
    return tip


def _tie_tip(data: Mapping[str, Any]) -> Tip:
    """The evidence of one cooperation tie: shared projects, strength, and an explanation if the graph has one."""
    tip: Tip = []
    if data.get(SHARED_PROJECTS) is not None:
        tip.append(("Shared projects", shown_value(data[SHARED_PROJECTS])))
    if data.get(COLLABORATION_WEIGHT) is not None:
        tip.append(("Collaboration weight", shown_value(float(data[COLLABORATION_WEIGHT]))))
    if isinstance(data.get("explanation"), str):
        tip.append(("Evidence", data["explanation"]))
    return tip


def legend_rows(kinds: Iterable[str | None], extra: Iterable[LegendItem] = ()) -> list[LegendItem]:
    """One row per organisation kind present (in a fixed order), then the view's own rows."""
    present = set(kinds)
    rows = [LegendItem(kind_label(kind), colour) for kind, colour in KIND_COLOURS.items() if kind in present]
    if present - set(KIND_COLOURS):
        rows.append(LegendItem(kind_label(None), kind_colour(None)))
    return [*rows, *extra]


def size_legend(rank: Sizing, ties: str = "collaboration weight") -> list[LegendItem]:
    return [
        LegendItem(f"Node size: {rank.name}", "#bbbbbb"),
        LegendItem(f"Line width: {ties}", "#8a8a8a", "line"),
    ]


def _organisation_view(
    graph: nx.Graph,
    shown: Sequence[Hashable],
    *,
    title: str,
    notes: list[str],
    rank: Sizing,
    metrics: Metrics | None,
    layout_key: Hashable,
    assets_url: str | None,
    ringed: Collection[Hashable] = (),
    legend: Iterable[LegendItem] = (),
) -> str:
    """The page for ``shown`` organisations of ``graph`` and the ties among them (capped per :func:`strongest_ties`)."""
    sources, targets, strengths = induced_ties(graph, shown)
    drawn = strongest_ties(sources, targets, strengths, len(shown), EDGES_PER_NODE * len(shown))
    if len(drawn) < len(strengths):
        notes = [
            *notes,
            f"Showing the {len(drawn):,} strongest of {len(strengths):,} ties "
            f"(each organisation keeps its {TIES_PER_NODE} strongest).",
        ]
    sources, targets, strengths = sources[drawn], targets[drawn], strengths[drawn]
    positions = positions_for(shown, sources, targets, strengths, layout_key)
    columns = key_columns(metrics)
    sizes = scaled([rank.of(node) for node in shown], *NODE_SIZE)
    nodes = []
    for i, node in enumerate(shown):
        data = graph.nodes[node]
        name = str(data.get("name") or node)
        nodes.append(
            ViewNode(
                id=str(node),
                label=label_text(name),
                colour=kind_colour(data.get("kind")),
                size=sizes[i],
                heading=name,
                tip=organisation_tip(data, node, rank, columns),
                value=rank.of(node),
                x=None if positions is None else float(positions[i, 0]),
                y=None if positions is None else float(positions[i, 1]),
                border=4 if node in ringed else 1,
            )
        )
    widths = scaled(strengths.tolist(), *EDGE_WIDTH)
    edges = []
    for k, (i, j) in enumerate(zip(sources.tolist(), targets.tolist(), strict=True)):
        u, v = shown[i], shown[j]
        edges.append(
            ViewEdge(
                source=str(u),
                target=str(v),
                width=widths[k],
                heading=f"{nodes[i].heading} — {nodes[j].heading}",
                tip=_tie_tip(graph.edges[u, v]),
                strength=float(strengths[k]),
            )
        )
    view = View(
        title=title,
        nodes=nodes,
        edges=edges,
        legend=legend_rows((graph.nodes[node].get("kind") for node in shown), [*legend, *size_legend(rank)]),
        notes=notes,
        physics=positions is None,
    )
    return render(view, assets_url=assets_url)


# --- the organisation views -------------------------------------------------------


def ego_view(
    graph: nx.Graph,
    center: Hashable,
    *,
    hops: int = 1,
    size_by: SizeBy = None,
    metrics: Metrics | None = None,
    metric_name: str | None = None,
    limit: int = EGO_LIMIT,
    title: str | None = None,
    layout_key: Hashable = None,
    assets_url: str | None = None,
) -> str:
    """An organisation and everyone within ``hops`` (1-3) ties of it.

    Capped at ``limit`` nodes, nearest first and by ``size_by`` within a hop, so
    the drawn part stays connected to the centre. Raises :class:`NotFoundError`
    when ``center`` is not in ``graph``.
    """
    if not 1 <= hops <= 3:
        raise ValueError(f"hops must be 1, 2 or 3, got {hops}")
    if center not in graph:
        raise NotFoundError(f"organisation {center!r} is not in the graph")
    rank = sizing(graph, size_by, metrics, metric_name)
    distance = nx.single_source_shortest_path_length(graph, center, cutoff=hops)
    reached = sorted(distance, key=lambda node: (distance[node], rank.rank(node)))
    shown = reached[: max(limit, 1)]
    name = str(graph.nodes[center].get("name") or center)
    return _organisation_view(
        graph,
        shown,
        title=title or f"{name}: partners within {hops} hop{'s' if hops > 1 else ''}",
        notes=cap_note(len(shown), len(reached), rank, "organisations in reach", ", nearest first"),
        rank=rank,
        metrics=metrics,
        layout_key=layout_key,
        assets_url=assets_url,
        ringed={center},
        legend=[LegendItem(f"Black ring: {name}", "#1a1a1a", "ring")],
    )


def group_view(
    graph: nx.Graph,
    members: Iterable[Hashable],
    title: str,
    *,
    size_by: SizeBy = None,
    metrics: Metrics | None = None,
    metric_name: str | None = None,
    limit: int = GROUP_LIMIT,
    layout_key: Hashable = None,
    assets_url: str | None = None,
) -> str:
    """The members of one cluster, community or field and the ties among them (top ``limit`` by ``size_by``)."""
    wanted = list(dict.fromkeys(members))
    present = [node for node in wanted if node in graph]
    rank = sizing(graph, size_by, metrics, metric_name)
    shown = sorted(present, key=rank.rank)[: max(limit, 0)]
    notes = cap_note(len(shown), len(present), rank, "members")
    if len(present) < len(wanted):
        notes.append(f"{len(wanted) - len(present):,} members are not in the cooperation graph and are not shown.")
    return _organisation_view(
        graph,
        shown,
        title=title,
        notes=notes,
        rank=rank,
        metrics=metrics,
        layout_key=layout_key,
        assets_url=assets_url,
    )


def overview(
    graph: nx.Graph,
    *,
    size_by: SizeBy = None,
    metrics: Metrics | None = None,
    metric_name: str | None = None,
    limit: int = OVERVIEW_LIMIT,
    title: str = "Ecosystem overview",
    layout_key: Hashable = None,
    assets_url: str | None = None,
    among: Collection[Hashable] | None = None,
    among_note: str | None = None,
) -> str:
    """The whole ecosystem: the top ``limit`` organisations by ``size_by`` and the strongest ties among them.

    ``among`` ranks and draws only those organisations (a scope such as the home ecosystem), and
    ``among_note`` says so on the view; default every organisation of ``graph``.
    """
    rank = sizing(graph, size_by, metrics, metric_name)
    candidates = list(graph) if among is None else [node for node in graph if node in among]
    shown = sorted(candidates, key=rank.rank)[: max(limit, 0)]
    notes = cap_note(len(shown), len(candidates), rank, "organisations")
    return _organisation_view(
        graph,
        shown,
        title=title,
        notes=[among_note, *notes] if among_note else notes,
        rank=rank,
        metrics=metrics,
        layout_key=layout_key,
        assets_url=assets_url,
    )
