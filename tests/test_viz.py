"""The views as pure functions: escaping, offline pages, caps, colours, layout, group aggregation, no mutation.

Every page is parsed with the standard library's HTML parser; the nodes and
edges are read back from the page's JSON data island, i.e. exactly what the
browser's script receives.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import networkx as nx
import numpy as np
import pytest

from innograph.errors import NotFoundError
from innograph.queries.paths import Alternative, Hop, IntroductionPath, NodeRef, PathAnswer
from innograph.queries.tie_graph import ProjectEvidence
from innograph.viz import (
    KIND_COLOURS,
    LAYOUT_THRESHOLD,
    clear_layout_cache,
    ego_view,
    group_overview,
    group_view,
    members_by_group,
    overview,
    path_view,
)
from innograph.viz import layout as viz_layout
from innograph.viz.assets import JS_NAME, check_local_url
from innograph.viz.paths import BEST_COLOUR
from innograph.viz.views import strongest_ties

EVIL = "<script>alert(1)</script>"
KINDS = ("Company", "University", "ResearchInstitute", "ClusterOrganisation", "PublicBody", "OtherOrganisation")


class Page(HTMLParser):
    """A parsed view: its scripts, visible text, attributes and the JSON data the browser script reads."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict[str, str | None], list[str]]] = []
        self.texts: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self._script: list[str] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes.extend(attrs)
        if tag == "script":
            self._script = []
            self.scripts.append((dict(attrs), self._script))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        (self._script if self._script is not None else self.texts).append(data)

    @property
    def text(self) -> str:
        """The visible text (title, notes, legend, links), entities decoded."""
        return " ".join(" ".join(self.texts).split())

    @property
    def data(self) -> dict[str, Any]:
        """The data island (nodes, edges, physics) with each item's tooltip merged in as ``heading`` and ``tip``."""
        (island,) = ["".join(text) for attrs, text in self.scripts if attrs.get("id") == "innograph-data"]
        data = json.loads(island)
        for node in data["nodes"]:
            node["heading"], node["tip"] = data["nodeTips"][node["id"]]
        for edge in data["edges"]:
            edge["heading"], edge["tip"] = data["edgeTips"][edge["id"]]
        return data

    def node(self, node_id: str) -> dict[str, Any]:
        return next(node for node in self.data["nodes"] if node["id"] == node_id)


# --- fixtures ------------------------------------------------------------------------


def ecosystem(n: int = 20, seed: int = 1) -> nx.Graph:
    """A small sparse cooperation graph with every kind, a city each and an evil name on node o0."""
    rng = np.random.default_rng(seed)
    graph = nx.Graph()
    for i in range(n):
        name = EVIL if i == 0 else f"Org {i}"
        graph.add_node(f"o{i}", name=name, kind=KINDS[i % len(KINDS)], city=EVIL if i == 0 else "Jena", region="DEG03")
    for i in range(1, n):
        for j in rng.choice(i, size=min(i, 2), replace=False):
            graph.add_edge(
                f"o{i}",
                f"o{j}",
                collaboration_weight=float(rng.uniform(0.1, 2.0)),
                shared_projects=int(rng.integers(1, 5)),
            )
    return graph


def metrics_of(graph: nx.Graph) -> dict[str, dict[str, Any]]:
    """A metrics mapping like MetricsTable's columns: pagerank o0 > o1 > ... (strictly decreasing)."""
    nodes = sorted(graph, key=lambda node: int(node[1:]))
    return {
        "pagerank": {node: 1.0 / (i + 1) for i, node in enumerate(nodes)},
        "degree": dict(graph.degree()),
        "community": {node: int(node[1:]) % 3 for node in nodes},
    }


def path_answer() -> PathAnswer:
    """Two paths s -> m -> t (best) and s -> x -> m -> t sharing the hop m -> t; evil text in names and evidence."""
    refs = {
        "s": NodeRef(id="s", name="Source AG", kind="Company"),
        "m": NodeRef(id="m", name=EVIL, kind="University"),
        "x": NodeRef(id="x", name="Ex Institut", kind="ResearchInstitute"),
        "t": NodeRef(id="t", name="Target GmbH", kind="Company"),
    }

    def hop(u: str, v: str, strength: float) -> Hop:
        evidence = ProjectEvidence(id=f"p-{u}{v}", acronym=EVIL, consortium_size=4, end_year=2023)
        return Hop(
            from_id=u,
            from_name=refs[u].name,
            to_id=v,
            to_name=refs[v].name,
            to_kind=refs[v].kind,
            kind="cooperation",
            strength=strength,
            evidence=[evidence],
            explanation=f"cooperated in 1 project, latest 2023: {EVIL} (4 partners)",
        )

    def path(*hops: Hop) -> IntroductionPath:
        strength = float(np.prod([h.strength for h in hops]))
        return IntroductionPath(strength=strength, cost=-np.log(strength), hops=list(hops))

    best = path(hop("s", "m", 0.8), hop("m", "t", 0.5))
    second = path(hop("s", "x", 0.6), hop("x", "m", 0.5), hop("m", "t", 0.5))
    return PathAnswer(source=refs["s"], target=refs["t"], paths=[best, second])


def every_view(graph: nx.Graph) -> dict[str, str]:
    """One page of each view over ``graph`` (node o0 carries the evil name)."""
    metrics = metrics_of(graph)
    groups = {EVIL: ["o0", "o1", "o2"], "g2": ["o3", "o4", "o5", "o6"]}
    return {
        "ego": ego_view(graph, "o0", hops=2, metrics=metrics, size_by="pagerank"),
        "group": group_view(graph, ["o0", "o1", "o2", "o3"], EVIL, metrics=metrics),
        "overview": overview(graph, metrics=metrics, size_by="pagerank", title=EVIL),
        "groups": group_overview(graph, groups, names={"g2": EVIL}, link="/views/field/{id}", noun="field"),
        "path": path_view(path_answer(), graph=graph),
    }


# --- escaping ------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["ego", "group", "overview", "groups", "path"])
def test_script_name_is_text_in_every_view(view: str) -> None:
    html = every_view(ecosystem())[view]
    page = Page(html)
    assert EVIL not in html and "<script>alert" not in html
    # Only our own three scripts: vis-network, the data island and the page script.
    assert len(page.scripts) == 3
    assert [attrs.get("type") for attrs, _ in page.scripts].count("application/json") == 1
    for attrs, text in page.scripts:
        if attrs.get("id") != "innograph-data":
            assert "alert(1)" not in "".join(text)
    # The data keeps the literal text; the browser shows it with textContent or on the canvas.
    shown = json.dumps(page.data, ensure_ascii=False)
    assert EVIL in shown
    if view in ("group", "overview"):
        assert EVIL in page.text  # the title, as text
    if view != "groups":
        assert any(node["label"] == EVIL for node in page.data["nodes"])


def test_evil_text_lands_where_expected() -> None:
    graph = ecosystem()
    ego = Page(every_view(graph)["ego"])
    evil = ego.node("o0")
    assert evil["heading"] == EVIL and ["Place", f"{EVIL}, DEG03"] in evil["tip"]
    assert f"Black ring: {EVIL}" in ego.text  # legend
    assert f"{EVIL}: partners within 2 hops" in ego.text  # page title and heading
    groups = Page(every_view(graph)["groups"])
    assert {node["heading"] for node in groups.data["nodes"]} == {f"Field {EVIL}", EVIL}  # by id, and by names
    assert f"{EVIL} (4 members)" in groups.text  # link list
    path = Page(every_view(graph)["path"])
    assert any(EVIL in value for edge in path.data["edges"] for _, value in edge["tip"])  # hop evidence


def test_tooltips_are_built_as_dom_text_not_html() -> None:
    """vis-network parses ``title`` strings as HTML in some versions: the page must never hand it one."""
    html = overview(ecosystem())
    script = "".join(next(text for attrs, text in Page(html).scripts if not attrs and "vis.Network" in "".join(text)))
    assert "title: tooltip(tips[id][0], tips[id][1])" in script and "textContent" in script
    assert "innerHTML" not in script and "innerText" not in script
    assert all("title" not in node for node in Page(html).data["nodes"])


# --- offline -------------------------------------------------------------------------

REFERENCE = re.compile(
    r"""(?:\b(?:src|href|action|poster|data|srcset)\s*=\s*["']?(?P<attr>[^"'\s>]+))"""
    r"""|(?:url\(\s*["']?(?P<url>[^"')]+))"""
    r"""|(?:@import\s+(?:url\()?\s*["']?(?P<imp>[^"');\s]+))""",
    re.IGNORECASE,
)


def remote_references(html: str) -> list[str]:
    """Every src/href/url()/@import target that would leave the machine (scheme://, //host or http(s):)."""
    found = (next(v for v in m.groups() if v) for m in REFERENCE.finditer(html))
    return [ref for ref in found if re.match(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", ref, re.IGNORECASE)]


@pytest.mark.parametrize("view", ["ego", "group", "overview", "groups", "path"])
def test_every_view_is_fully_offline(view: str) -> None:
    html = every_view(ecosystem())[view]
    assert remote_references(html) == []
    for cdn in ("cdnjs", "jsdelivr", "unpkg", "bootstrapcdn", "googleapis", "sourceMappingURL"):
        assert cdn not in html
    assert "vis.Network" in html and "new vis.DataSet" in html  # vis-network inlined, not fetched
    assert "window.network = network" in html and "window.innographReady = true" in html


def test_the_offline_scan_catches_what_pyvis_emits() -> None:
    pyvis_like = (
        '<link href="https://cdn.jsdelivr.net/npm/bootstrap.min.css" rel="stylesheet">'
        '<script src="//cdnjs.cloudflare.com/vis.js"></script><style>@import "http://x.example/a.css";'
        ".a{background:url(https://x.example/i.png)}.b{background:url(data:image/png;base64,AAAA)}</style>"
        '<script src="lib/local.js"></script>'
    )
    assert len(remote_references(pyvis_like)) == 4


def test_assets_can_be_served_locally_instead_of_inlined() -> None:
    html = overview(ecosystem(), assets_url="/static/vis/")
    assert f'src="/static/vis/{JS_NAME}"' in html and "vis-network.css" in html
    assert len(html) < 100_000 and remote_references(html) == []
    for remote in ("https://cdn.example/vis", "//cdn.example/vis", "javascript:alert(1)", " data:text/html,x"):
        with pytest.raises(ValueError, match="not a local URL"):
            check_local_url(remote)
    with pytest.raises(ValueError):
        overview(ecosystem(), assets_url="https://cdn.example/vis")


# --- caps, sizes, colours, legend --------------------------------------------------------


def test_overview_cap_keeps_the_top_by_metric_and_says_so() -> None:
    graph = ecosystem(20)
    page = Page(overview(graph, metrics=metrics_of(graph), size_by="pagerank", limit=5))
    assert sorted(node["id"] for node in page.data["nodes"]) == ["o0", "o1", "o2", "o3", "o4"]
    assert "Showing the top 5 by PageRank, out of 20 organisations." in page.text
    sizes = [page.node(f"o{i}")["size"] for i in range(5)]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] > sizes[-1]
    assert "Node size: PageRank" in page.text
    uncapped = Page(overview(graph))
    assert len(uncapped.data["nodes"]) == 20 and "Showing the top" not in uncapped.text


def test_ego_cap_is_nearest_first_and_says_so() -> None:
    graph = nx.star_graph(6)  # 0 is the hub; leaf i gets value i
    nx.set_node_attributes(graph, "Company", "kind")
    graph.add_edge(6, 7)  # a second-hop node
    values = {node: float(node) for node in graph}
    page = Page(ego_view(graph, 0, hops=2, size_by=values, metric_name="made-up score", limit=4))
    assert [node["id"] for node in page.data["nodes"]] == ["0", "6", "5", "4"]
    assert "Showing the top 4 by made-up score, out of 8 organisations in reach, nearest first." in page.text
    assert page.node("0")["borderWidth"] == 4  # the centre is ringed


def test_group_view_shows_members_only_and_reports_unknown_ones() -> None:
    graph = ecosystem()
    page = Page(group_view(graph, ["o1", "o2", "o3", "nobody"], "Cluster X", limit=2))
    assert len(page.data["nodes"]) == 2
    assert "Showing the top 2 by collaboration weight (sum), out of 3 members." in page.text
    assert "1 members are not in the cooperation graph" in page.text


def test_kind_colours_and_legend() -> None:
    graph = ecosystem(12)
    graph.add_node("x", name="No kind")
    page = Page(overview(graph))
    for node in page.data["nodes"]:
        kind = graph.nodes[node["id"]].get("kind")
        assert node["color"] == KIND_COLOURS.get(kind, "#F0E442")
    for label in ("Company", "University", "Research institute", "Cluster organisation", "Public body"):
        assert label in page.text
    assert "Kind not recorded" in page.text and "Line width: collaboration weight" in page.text
    only_companies = Page(group_view(graph, ["o0", "o6"], "Companies"))
    assert "University" not in only_companies.text  # the legend lists the kinds present


def test_edges_are_as_wide_as_their_strength_with_the_evidence_in_the_tooltip() -> None:
    graph = nx.Graph()
    graph.add_edge("a", "b", collaboration_weight=0.1, shared_projects=1)
    graph.add_edge("b", "c", collaboration_weight=2.0, shared_projects=7)
    page = Page(overview(graph))
    edges = {frozenset((edge["from"], edge["to"])): edge for edge in page.data["edges"]}
    weak, strong = edges[frozenset("ab")], edges[frozenset("bc")]
    assert weak["width"] < strong["width"]
    assert ["Shared projects", "7"] in strong["tip"] and ["Collaboration weight", "2"] in strong["tip"]


def test_node_tooltip_has_name_kind_city_and_key_metrics() -> None:
    graph = ecosystem()
    page = Page(overview(graph, metrics=metrics_of(graph), size_by="pagerank"))
    node = page.node("o1")
    assert node["heading"] == "Org 1"
    tip = dict(map(tuple, node["tip"]))
    assert tip["Kind"] == "University" and tip["Place"] == "Jena, DEG03"
    assert tip["PageRank"] == "0.5" and tip["Partners"] == str(graph.degree("o1")) and tip["Community"] == "1"


def test_strongest_ties_keep_every_nodes_best_then_the_strongest_others() -> None:
    # a star 0-1..0-5 (strengths 1..5) plus a weak tie 4-5: each node's single best, then the strongest rest
    sources = np.array([0, 0, 0, 0, 0, 4])
    targets = np.array([1, 2, 3, 4, 5, 5])
    strengths = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 0.5])
    kept = strongest_ties(sources, targets, strengths, 6, limit=5, per_node=1)
    assert sorted(kept.tolist()) == [0, 1, 2, 3, 4]  # node 1's only tie is its best; 4-5 is the weakest


def test_ties_are_capped_per_node_count_and_noted() -> None:
    graph = nx.complete_graph(30)
    nx.set_edge_attributes(graph, 1.0, "weight")
    page = Page(overview(graph))
    assert len(page.data["edges"]) == 4 * 30
    assert "Showing the 120 strongest of 435 ties (each organisation keeps its 3 strongest)." in page.text


# --- large graphs: layout in Python, physics off, cached ------------------------------------


def test_small_views_use_physics_large_ones_a_precomputed_layout() -> None:
    small = Page(overview(ecosystem(LAYOUT_THRESHOLD)))
    assert small.data["physics"] is True and all("x" not in node for node in small.data["nodes"])
    large = Page(overview(ecosystem(LAYOUT_THRESHOLD + 1)))
    assert large.data["physics"] is False
    assert all(isinstance(node["x"], float) and isinstance(node["y"], float) for node in large.data["nodes"])
    xs = np.array([[node["x"], node["y"]] for node in large.data["nodes"]])
    assert len(np.unique(xs.round(), axis=0)) > 0.9 * len(xs)  # spread out, not piled up


def test_layout_pulls_tied_nodes_together() -> None:
    two_cliques = nx.disjoint_union(nx.complete_graph(40), nx.complete_graph(40))
    two_cliques.add_edge(0, 40)
    index = {node: i for i, node in enumerate(two_cliques)}
    u, v = (np.array([index[a] for a, _ in two_cliques.edges]), np.array([index[b] for _, b in two_cliques.edges]))
    pos = viz_layout.force_layout(80, u, v, np.ones(len(u)))
    inside = np.linalg.norm(pos[:40].mean(axis=0) - pos[:40], axis=1).mean()
    between = np.linalg.norm(pos[:40].mean(axis=0) - pos[40:].mean(axis=0))
    assert between > 2 * inside


def test_layout_is_cached_per_key(monkeypatch: pytest.MonkeyPatch) -> None:
    clear_layout_cache()
    calls: list[int] = []
    original: Callable[..., np.ndarray] = viz_layout.force_layout

    def counting(n: int, *args: Any, **kwargs: Any) -> np.ndarray:
        calls.append(n)
        return original(n, *args, **kwargs)

    monkeypatch.setattr(viz_layout, "force_layout", counting)
    graph = ecosystem(LAYOUT_THRESHOLD + 10)
    first = overview(graph, layout_key=("graph", 1))
    assert overview(graph, layout_key=("graph", 1)) == first and len(calls) == 1
    overview(graph, layout_key=("graph", 2))  # a new graph version is laid out anew
    overview(graph, layout_key=("graph", 1), limit=LAYOUT_THRESHOLD + 5)  # so is another node set
    overview(graph)  # no key: no caching
    assert len(calls) == 4


# --- group overview ------------------------------------------------------------------------


def hand_graph() -> tuple[nx.Graph, dict[str, list[str]]]:
    """Six organisations, three fields with overlaps (numbers worked out in the test)."""
    graph = nx.Graph()
    for node, kind in zip(
        "abcdef", ["Company", "Company", "University", "Company", "PublicBody", "University"], strict=True
    ):
        graph.add_node(node, name=node.upper(), kind=kind)
    for u, v, w in [
        ("a", "b", 1.0),
        ("a", "c", 0.5),
        ("b", "c", 2.0),
        ("c", "d", 0.25),
        ("d", "e", 4.0),
        ("a", "e", 0.125),
        ("b", "f", 8.0),
    ]:
        graph.add_edge(u, v, collaboration_weight=w, shared_projects=1)
    fields = {"a": ("F1",), "b": ("F1", "F2"), "c": ("F2",), "d": ("F2",), "e": ("F3",), "f": ("F1", "F2"), "z": "F3"}
    return graph, members_by_group(fields)


def test_group_overview_aggregates_members_and_ties_by_hand() -> None:
    # F1 = {a, b, f}, F2 = {b, c, d, f}, F3 = {e} (z is not in the graph)
    # a-b: F1 inner;           F1-F2 (b is in F2)        +1.0
    # a-c: F1-F2 +0.5          b-c: F1-F2 +2.0, F2 inner  c-d: F2 inner
    # d-e: F2-F3 +4.0          a-e: F1-F3 +0.125
    # b-f: both ends in F1 and F2: F1 inner, F2 inner, F1-F2 once (+8.0), not twice
    graph, groups = hand_graph()
    page = Page(group_overview(graph, groups, names={"F1": "Optics"}, link="/views/field/{id}", noun="field"))
    nodes = {node["id"]: node for node in page.data["nodes"]}
    assert {g: node["metric"] for g, node in nodes.items()} == {"F1": 3, "F2": 4, "F3": 1}
    assert nodes["F2"]["size"] > nodes["F1"]["size"] > nodes["F3"]["size"]
    edges = {frozenset((e["from"], e["to"])): e for e in page.data["edges"]}
    assert set(edges) == {frozenset(("F1", "F2")), frozenset(("F2", "F3")), frozenset(("F1", "F3"))}
    f1f2 = edges[frozenset(("F1", "F2"))]
    assert f1f2["strength"] == pytest.approx(1.0 + 0.5 + 2.0 + 8.0)
    assert ["Ties between members", "4"] in f1f2["tip"]
    assert edges[frozenset(("F2", "F3"))]["strength"] == pytest.approx(4.0)
    assert edges[frozenset(("F1", "F3"))]["strength"] == pytest.approx(0.125)
    assert ["Ties inside", "2"] in nodes["F1"]["tip"] and ["Ties inside", "3"] in nodes["F2"]["tip"]
    assert ["Kinds", "Company 2, University 1"] in nodes["F1"]["tip"]
    assert nodes["F1"]["color"] == KIND_COLOURS["Company"]  # most common kind
    assert nodes["F1"]["label"] == "Optics (3)" and nodes["F3"]["label"] == "Field F3 (1)"
    assert nodes["F1"]["url"] == "/views/field/F1"
    assert "Organisations in several fields count in each of them." in page.text
    assert "Optics (3 members)" in page.text  # the accessible link list


def test_group_overview_caps_groups_and_checks_links() -> None:
    graph, groups = hand_graph()
    page = Page(group_overview(graph, groups, noun="community", limit=2, link=lambda g: f"/c?id={g}"))
    assert {node["id"] for node in page.data["nodes"]} == {"F1", "F2"}
    assert "Showing the top 2 by members, out of 3 communities." in page.text
    assert page.node("F1")["url"] == "/c?id=F1"
    quoted = Page(group_overview(graph, {"a/b c": ["a"]}, link="/views/field/{id}"))
    assert quoted.data["nodes"][0]["url"] == "/views/field/a%2Fb%20c"
    with pytest.raises(ValueError, match="not a local URL"):
        group_overview(graph, groups, link=lambda g: "javascript:alert(1)")


def test_communities_from_a_metrics_column() -> None:
    graph = ecosystem()
    groups = members_by_group(metrics_of(graph)["community"])
    page = Page(group_overview(graph, groups, noun="community"))
    assert sum(node["metric"] for node in page.data["nodes"]) == graph.number_of_nodes()
    assert page.data["physics"] is True and "Communitys" not in page.text


# --- path view -----------------------------------------------------------------------------


def test_path_view_highlights_the_best_path_and_styles_alternatives() -> None:
    page = Page(path_view(path_answer()))
    edges = {(e["from"], e["to"]): e for e in page.data["edges"]}
    assert set(edges) == {("s", "m"), ("m", "t"), ("s", "x"), ("x", "m")}
    best, alternative = edges["s", "m"], edges["s", "x"]
    assert best["color"] == BEST_COLOUR and best["dashes"] is False
    assert alternative["color"] != BEST_COLOUR and alternative["dashes"] is True
    assert ["On paths", "1, 2"] in edges["m", "t"]["tip"]  # a hop shared by both paths, drawn once
    assert ["Hop strength", "0.8"] in best["tip"] and best["width"] > edges["x", "m"]["width"]
    assert page.node("s")["borderWidth"] == 4 and page.node("t")["borderWidth"] == 4
    assert page.data["physics"] is False and page.node("s")["x"] < page.node("m")["x"] < page.node("t")["x"]
    assert "Path 1 (best): path strength 0.4, 2 hops" in page.text and "Path 2: path strength 0.15, 3 hops" in page.text
    assert "2 paths; the best is drawn solid and dark." in page.text


def test_path_view_without_a_path_draws_the_alternatives_and_says_why() -> None:
    found = path_answer()
    answer = PathAnswer(
        source=found.source,
        target=found.target,
        paths=[],
        no_path_reason="Target GmbH has no ties at all.",
        alternatives=[
            Alternative(
                organisation=NodeRef(id="x", name="Ex Institut", kind="ResearchInstitute"),
                relation="both members of cluster Optics",
                tie_strength=0.3,
                path=found.paths[1].model_copy(update={"hops": found.paths[1].hops[:1]}),
            )
        ],
    )
    page = Page(path_view(answer, graph=ecosystem()))
    assert "Target GmbH has no ties at all." in page.text
    edges = {(e["from"], e["to"]): e for e in page.data["edges"]}
    assert ["Tie", "both members of cluster Optics"] in edges["x", "t"]["tip"] and edges["x", "t"]["dashes"]
    assert {node["id"] for node in page.data["nodes"]} == {"s", "x", "t"}


# --- errors and purity ---------------------------------------------------------------------


def test_bad_arguments() -> None:
    graph = ecosystem()
    with pytest.raises(NotFoundError):
        ego_view(graph, "nobody")
    with pytest.raises(ValueError, match="hops"):
        ego_view(graph, "o1", hops=4)
    with pytest.raises(ValueError, match="no such metric"):
        overview(graph, size_by="betweenness")


def snapshot(graph: nx.Graph) -> tuple[Any, ...]:
    return (
        copy.deepcopy(dict(graph.graph)),
        [(node, copy.deepcopy(data)) for node, data in graph.nodes(data=True)],
        [(u, v, copy.deepcopy(data)) for u, v, data in graph.edges(data=True)],
    )


def test_views_never_change_their_input_and_accept_frozen_graphs() -> None:
    graph = ecosystem(LAYOUT_THRESHOLD + 20)
    before = snapshot(graph)
    every_view(graph)
    assert snapshot(graph) == before
    frozen = nx.freeze(graph)
    assert set(every_view(frozen)) == {"ego", "group", "overview", "groups", "path"}
