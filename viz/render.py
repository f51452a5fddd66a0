"""One page template for every view: a :class:`View` (plain data) in, a self-contained HTML document out.

Safety of text from the data, by where it lands:

* the page title, notes, legend and link list are rendered by Jinja2 with
  autoescaping, so ``<script>`` in a name is shown as text;
* nodes and edges travel as JSON in a ``<script type="application/json">`` data
  island in which ``<``, ``>`` and ``&`` are written as ``\\u003c`` etc., so no
  string can close the element or open another;
* in the browser, labels are drawn on the canvas as text, and tooltips are DOM
  elements whose text is set with ``textContent`` — vis-network never receives a
  ``title`` string it could parse as HTML (some versions do).

The page exposes the vis-network object as ``window.network`` and sets
``window.innographReady = true`` (and ``data-ready`` on ``<html>``) after the
first drawing once the layout is final, for browser tests and screenshots.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

import jinja2

from innograph.viz.assets import asset_tags

KIND_COLOURS: dict[str, str] = {  # Okabe-Ito: distinguishable with the common colour-vision deficiencies
    "Company": "#0072B2",
    "University": "#D55E00",
    "ResearchInstitute": "#009E73",
    "ClusterOrganisation": "#CC79A7",
    "PublicBody": "#E69F00",
    "OtherOrganisation": "#999999",
    "Cluster": "#56B4E9",
}
KIND_LABELS: dict[str, str] = {
    "Company": "Company",
    "University": "University",
    "ResearchInstitute": "Research institute",
    "ClusterOrganisation": "Cluster organisation",
    "PublicBody": "Public body",
    "OtherOrganisation": "Other organisation",
    "Cluster": "Cluster without a managing organisation",
}
LABEL_SIZE = 10  # px; a node's label grows with its size, so the big ones are named first when zooming in
UNKNOWN_COLOUR = "#F0E442"
UNKNOWN_LABEL = "Kind not recorded"

_SCRIPT_SAFE = tuple((char, f"\\u{ord(char):04x}") for char in "<>&\u2028\u2029")
"""JSON escapes for the characters that could end a ``<script>`` element or a JavaScript string."""

Tip = list[tuple[str, str]]
"""Tooltip lines: (label, value) pairs shown under the heading, as text."""


def kind_colour(kind: str | None) -> str:
    """The colour of an organisation kind (yellow when unknown)."""
    return KIND_COLOURS.get(kind or "", UNKNOWN_COLOUR)


def kind_label(kind: str | None) -> str:
    """A kind as people say it ("Research institute")."""
    return KIND_LABELS.get(kind or "", kind or UNKNOWN_LABEL)


@dataclass(frozen=True)
class ViewNode:
    """One drawn node. ``value`` is the raw metric behind ``size`` (kept for readers and tests)."""

    id: str
    label: str
    colour: str
    size: float
    heading: str
    tip: Tip
    value: float | None = None
    x: float | None = None
    y: float | None = None
    border: int = 1
    url: str | None = None


@dataclass(frozen=True)
class ViewEdge:
    """One drawn edge. ``strength`` is the raw weight behind ``width``."""

    source: str
    target: str
    width: float
    heading: str
    tip: Tip
    strength: float
    colour: str = "#8a8a8a"
    dashes: bool = False


@dataclass(frozen=True)
class LegendItem:
    """A legend row: a colour swatch (``shape`` "dot" or "line"/"dashed") and its meaning."""

    label: str
    colour: str
    shape: str = "dot"


@dataclass(frozen=True)
class Link:
    """An entry of the page's list of links (e.g. drill-down targets), for keyboards and screen readers."""

    label: str
    url: str


@dataclass(frozen=True)
class View:
    """Everything one page shows. ``physics`` False means every node has x/y and nothing moves."""

    title: str
    nodes: list[ViewNode]
    edges: list[ViewEdge]
    legend: list[LegendItem]
    notes: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    physics: bool = True


def _node_json(node: ViewNode) -> dict[str, Any]:
    ringed = node.border > 1
    data: dict[str, Any] = {
        "id": node.id,
        "label": node.label,
        "size": round(node.size, 1),
        "font": {"size": round(LABEL_SIZE + node.size / 2)},
        "color": {"background": node.colour, "border": "#1a1a1a"} if ringed else node.colour,
        "borderWidth": node.border,
        "metric": node.value,
    }
    if node.x is not None and node.y is not None:
        data["x"], data["y"] = round(node.x, 1), round(node.y, 1)
    if node.url is not None:
        data["url"] = node.url
    return data


def _edge_json(position: int, edge: ViewEdge) -> dict[str, Any]:
    return {
        "id": position,
        "from": edge.source,
        "to": edge.target,
        "width": round(edge.width, 2),
        "color": edge.colour,
        "dashes": edge.dashes,
        "strength": edge.strength,
    }


def data_json(view: View) -> str:
    """The view's nodes, edges and options as JSON that is safe inside a ``<script>`` element.

    Tooltips travel beside the items (``nodeTips[id]``, ``edgeTips[edge id]``, each
    ``[heading, lines]``), not in them: vis-network deep-copies every item's
    fields, and nested tooltip lists made that the largest cost of opening a big view.
    """
    payload = {
        "nodes": [_node_json(node) for node in view.nodes],
        "edges": [_edge_json(k, edge) for k, edge in enumerate(view.edges)],
        "nodeTips": {node.id: [node.heading, node.tip] for node in view.nodes},
        "edgeTips": [[edge.heading, edge.tip] for edge in view.edges],
        "physics": view.physics,
    }
    return script_json(payload)


def script_json(payload: Any) -> str:
    """``payload`` as compact JSON that is safe inside a ``<script>`` element (no ``<``, ``>``, ``&``)."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in _SCRIPT_SAFE:  # str.replace is C-fast; str.translate with a dict is not
        text = text.replace(char, escaped)
    return text


@cache
def _template(name: str) -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("innograph.viz", "templates"), autoescape=True, undefined=jinja2.StrictUndefined
    )
    return environment.get_template(name)


def render(view: View, *, assets_url: str | None = None, template: str = "view.html", **extra: Any) -> str:
    """The HTML document of ``view``; vis-network inlined, or loaded from ``assets_url`` on this server.

    ``template`` may name a template that extends ``view.html`` (its ``controls`` and ``script``
    blocks, e.g. the timeline's slider); ``extra`` is passed to it.
    """
    return _template(template).render(
        **extra,
        title=view.title,
        notes=view.notes,
        legend=[asdict(item) for item in view.legend],
        links=view.links,
        count=len(view.nodes),
        assets=asset_tags(assets_url),
        data=data_json(view),
    )
