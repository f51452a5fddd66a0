"""Gap analyses, brokers and exports on small hand-made graphs whose answers are worked out by hand.

The ecosystem below: three fields, each a clique of three organisations
(optics p1-p3, medtech q1-q3, software r1-r3). Broker ``b`` ties p1, q1 and r1,
which know nobody in each other's fields; p2-q2 and p3-r2 tie optics to medtech
and software, while medtech and software never meet. A tail r3 - t1 - t2 hangs
off software.

* broker: b's three contacts are unconnected, constraint 3 x (1/3)^2 = 1/3, the lowest;
* fragility: r3 is an articulation point cutting off {t1, t2}; r3-t1 a bridge;
* under-connected pair: medtech x software, 0 ties;
* predicted link (separate graph): a and b share x, y, z; resource allocation
  1/3 + 1/2 + 1/3 = 7/6, above every other unlinked pair.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest

from innograph.queries import gaps
from innograph.queries.analysis import Analysis, analyse
from innograph.queries.export import ExportFormat, export, sidecar_path
from innograph.queries.metrics import METRICS, compute_metrics
from innograph.queries.projection import build_projection

FIELDS = {"optics": ["p1", "p2", "p3"], "medtech": ["q1", "q2", "q3"], "software": ["r1", "r2", "r3", "t1", "t2"]}
KINDS = {"p1": "Company", "p2": "Company", "p3": "University", "q1": "Company", "q2": "ResearchInstitute"}


def ecosystem() -> nx.Graph:
    graph = nx.Graph()
    for prefix in "pqr":
        graph.add_edges_from([(f"{prefix}1", f"{prefix}2"), (f"{prefix}2", f"{prefix}3"), (f"{prefix}1", f"{prefix}3")])
    graph.add_edges_from(
        [("b", "p1"), ("b", "q1"), ("b", "r1"), ("p2", "q2"), ("p3", "r2"), ("r3", "t1"), ("t1", "t2")]
    )
    return graph


def field_of() -> dict[str, list[str]]:
    return {org: [field] for field, orgs in FIELDS.items() for org in orgs}


def store_shaped(graph: nx.Graph) -> nx.MultiDiGraph:
    """The ecosystem as Store.to_networkx returns it: labelled nodes, ACTIVE_IN fields, COOPERATES_WITH ties."""
    result = nx.MultiDiGraph()
    for node in graph:
        kind = KINDS.get(node, "Company")
        result.add_node(node, labels=sorted([kind, "Organisation"]), kind=kind, name=node.upper(), region="DEG03")
    for field in FIELDS:
        result.add_node(field, labels=["Field"], name=field.title())
    for org, fields in field_of().items():
        result.add_edge(org, fields[0], key="ACTIVE_IN", type="ACTIVE_IN")
    for u, v in graph.edges():
        result.add_edge(
            u,
            v,
            key="COOPERATES_WITH",
            type="COOPERATES_WITH",
            shared_projects=1,
            collaboration_weight=0.5,
            projects=["x"],
        )
    return result


def test_broker_has_the_lowest_constraint_and_highest_betweenness() -> None:
    table = compute_metrics(ecosystem())
    broker = table.row(table.nodes.index("b"))
    assert broker.constraint == pytest.approx(1 / 3)
    assert table.top("constraint", len(table.nodes))[-1].id == "b"
    assert broker.effective_size == pytest.approx(3.0)


def test_fragility_names_the_cut_point_the_bridge_and_what_splits_off() -> None:
    graph = ecosystem()
    table = compute_metrics(graph)
    flagged = {node for node, cut in table.column("articulation_point").items() if cut}
    assert flagged == {"r3", "t1"}
    rows = gaps.fragility(graph)
    assert rows[0].subject == ["r3"] and sorted(rows[0].cut_off_ids) == ["t1", "t2"]
    assert "If r3 leaves, 2 organisations (t1, t2) lose their only tie" in rows[0].explanation
    assert ["r3", "t1"] in [sorted(row.subject) for row in rows if row.kind == "tie"]


def test_fragility_inside_a_cluster() -> None:
    rows = gaps.fragility(ecosystem(), {"p1": ["c"], "b": ["c"], "q1": ["c"]}, {"c": "Photonics"})
    inside = [row for row in rows if row.scope == "cluster Photonics"]
    assert inside[0].subject == ["b"] and inside[0].cut_off == 1


def test_under_connected_field_pair() -> None:
    rows = gaps.under_connected_pairs(ecosystem(), field_of(), min_expected=0)
    assert {rows[0].group_a, rows[0].group_b} == {"medtech", "software"}
    assert rows[0].observed == 0 and rows[0].expected > 0
    assert "0 ties between their organisations" in rows[0].explanation


def test_top_predicted_link_and_its_reason() -> None:
    graph = nx.Graph([("a", "x"), ("a", "y"), ("a", "z"), ("b", "x"), ("b", "y"), ("b", "z"), ("c", "z"), ("x", "w")])
    link = gaps.missing_links(graph, top=3)[0]
    assert (link.a, link.b) == ("a", "b")
    assert link.score == pytest.approx(7 / 6)
    assert link.shared == ["y", "x", "z"]
    for method, reference in (
        ("adamic_adar", nx.adamic_adar_index),
        ("resource_allocation", nx.resource_allocation_index),
    ):
        for row in gaps.missing_links(graph, method=method, top=10):
            assert row.score == pytest.approx(next(reference(graph, [(row.a, row.b)]))[2])
    communities = {"a": 0, "b": 0, "x": 0, "y": 1, "z": 0, "c": 1, "w": 1}
    aware = gaps.missing_links(graph, method="community_resource_allocation", communities=communities, top=1)[0]
    nx.set_node_attributes(graph, communities, "community")
    reference = next(nx.ra_index_soundarajan_hopcroft(graph, [("a", "b")]))[2]
    assert (aware.a, aware.b, aware.score) == ("a", "b", pytest.approx(reference))


def test_science_linkage_and_regions() -> None:
    graph = ecosystem()
    nx.set_node_attributes(graph, {node: KINDS.get(node, "Company") for node in graph}, "kind")
    rows = {row.field: row for row in gaps.science_industry_linkage(graph, field_of())}
    assert (rows["optics"].companies, rows["optics"].linked_companies) == (2, 2)
    assert (rows["software"].linked_companies, rows["software"].companies) == (1, 5)  # only r2 meets p3
    nx.set_node_attributes(graph, {"t1": "DEG01", "t2": "DEG01"}, "region")
    regions = {row.region: row for row in gaps.regional_ties(graph)}
    assert (regions["DEG01"].internal_ties, regions["DEG01"].external_ties) == (1, 1)


def _analysis() -> tuple[Analysis, nx.Graph]:
    projection = build_projection(store_shaped(ecosystem()), version=7)
    return analyse(projection), projection.cooperation


def test_analysis_of_a_projection_reports_gaps() -> None:
    analysis, _ = _analysis()
    assert analysis.graph_version == 7
    assert {analysis.gaps.field_pairs[0].group_a, analysis.gaps.field_pairs[0].group_b} == {"medtech", "software"}
    assert analysis.gaps.field_pairs[0].name_a in {"Medtech", "Software"}
    assert any("r3" in line.lower() for line in analysis.gaps.headlines())


@pytest.mark.parametrize("fmt", [ExportFormat.GRAPHML, ExportFormat.GEXF])
def test_graph_exports_read_back_with_all_metrics(fmt: ExportFormat, tmp_path: Path) -> None:
    analysis, graph = _analysis()
    out = tmp_path / f"metrics.{fmt.value}"
    export(analysis, graph, fmt, out)
    back = nx.read_graphml(out) if fmt is ExportFormat.GRAPHML else nx.read_gexf(out)
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    for i, node in enumerate(analysis.metrics.nodes):
        for metric in METRICS:
            assert back.nodes[node][metric] == pytest.approx(analysis.metrics.columns[metric][i])
        assert back.nodes[node]["name"] == node.upper()
    assert sidecar_path(out).exists()


@pytest.mark.parametrize("fmt", [ExportFormat.CSV, ExportFormat.JSON])
def test_table_exports_have_one_row_per_organisation_and_a_sidecar(fmt: ExportFormat, tmp_path: Path) -> None:
    analysis, graph = _analysis()
    out = tmp_path / f"metrics.{fmt.value}"
    export(analysis, graph, fmt, out)
    if fmt is ExportFormat.CSV:
        rows = list(csv.DictReader(out.open(encoding="utf-8")))
    else:
        rows = json.loads(out.read_text(encoding="utf-8"))["organisations"]
    assert len(rows) == graph.number_of_nodes() and set(METRICS) <= set(rows[0])
    meta = json.loads(sidecar_path(out).read_text(encoding="utf-8"))
    assert meta["graph_version"] == 7 and meta["parameters"]["metrics"]["seed"] == 42 and meta["format"] == fmt.value


# --- the home ecosystem first (issue #15): a home triangle h1-h2-h3 in Jena, h4 reaching it only
# through the foreign university f1, h5 tied only to h1, foreign leaves f2 (on h4) and f3 (on h2).

HOME = {"h1": "DEG03", "h2": "DEG03", "h3": "DEG03", "h4": "DEG01", "h5": "DEG01"}
ABROAD = {"f1": "FR101", "f2": "FR101", "f3": "ITC48"}
HOME_KINDS = {"h1": "University", "h5": "ResearchInstitute", "f1": "University", "f3": "ResearchInstitute"}


def home_ecosystem() -> nx.Graph:
    graph = nx.Graph(
        [("h1", "h2"), ("h2", "h3"), ("h1", "h3"), ("h3", "f1"), ("f1", "h4"), ("h4", "f2"), ("h5", "h1"), ("f3", "h2")]
    )
    for node in graph:
        region = HOME.get(node) or ABROAD[node]
        graph.nodes[node].update(
            name=node.upper(),
            kind=HOME_KINDS.get(node, "Company"),
            region=region,
            country=region[:2],
            home=node in HOME,
        )
    return graph


def test_fragility_counts_home_organisations_losing_their_last_tie_to_the_home_ecosystem() -> None:
    rows = [row for row in gaps.fragility(home_ecosystem(), ecosystem_name="Thuringia") if row.kind == "organisation"]
    cut = {row.subject[0]: row.cut_off_ids for row in rows}
    # the foreign f1 is h4's only way to the rest; h1 is h5's; h3 holds f1's side; leaves abroad do not count
    assert cut == {"f1": ["h4"], "h1": ["h5"], "h3": ["h4"]}
    f1 = next(row for row in rows if row.subject == ["f1"])
    assert f1.explanation == (
        "If F1 (in FR (FR101)) leaves, 1 organisation in Thuringia (H4) loses its last tie to the rest of "
        "Thuringia's ecosystem."
    )
    ties = [row for row in gaps.fragility(home_ecosystem(), ecosystem_name="Thuringia") if row.kind == "tie"]
    assert sorted(sorted(row.subject) for row in ties) == [["f1", "h3"], ["f1", "h4"], ["h1", "h5"]]
    for row in ties + rows:
        assert set(row.cut_off_ids) <= set(HOME) and "Thuringia" in row.explanation


def test_science_industry_linkage_from_kinds_overall_and_per_home_district() -> None:
    rows = gaps.home_science_industry(
        home_ecosystem(), {"DEG03": "Jena", "DEG01": "Erfurt"}, home_prefixes=["DEG"], ecosystem_name="Thuringia"
    )
    got = [(r.region, r.companies, r.linked_home, r.linked_any, r.science_industry_ties, r.home_ties) for r in rows]
    # home companies h2, h3 (tied to the university h1) and h4 (only to the foreign f1); home ties h1-h2, h1-h3
    # (company-university), h2-h3 and h1-h5
    assert got == [("", 3, 2, 3, 2, 4), ("DEG01", 1, 0, 1, 0, 1), ("DEG03", 2, 2, 2, 2, 4)]
    assert rows[0].explanation.startswith("Thuringia overall: 2 of 3 companies in Thuringia's ecosystem (67%)")
    assert rows[1].name == "Erfurt (DEG01)" and "Thuringia" in rows[1].explanation


def test_home_regions_periphery_and_missing_links() -> None:
    graph = home_ecosystem()
    regions = gaps.regional_ties(graph, home_prefixes=["DEG"], ecosystem_name="Thuringia", min_organisations=2)
    assert [(r.region, r.internal_ties, r.home_ties, r.outside_ties) for r in regions] == [
        ("DEG01", 0, 1, 2),  # h4-f1, h4-f2 abroad; h5-h1 to Jena
        ("DEG03", 3, 1, 2),
    ]
    assert all("Thuringia" in r.explanation for r in regions)
    minimum = gaps.regional_ties(graph, home_prefixes=["DEG"], ecosystem_name="Thuringia", min_organisations=3)
    assert [r.region for r in minimum] == ["DEG03"]
    assert [row.id for row in gaps.peripheral_organisations(graph, "Thuringia")] == ["h5"]  # f2, f3 are context
    links = gaps.missing_links(graph, top=50, ecosystem_name="Thuringia")
    assert links and all(link.home_a for link in links)
    for link in links:
        assert ("both in Thuringia" in link.explanation) == link.home_b
        assert ("partner outside Thuringia" in link.explanation) == (not link.home_b)


@pytest.mark.parametrize("scope", ["home", "all"])
def test_exports_list_the_scope_and_record_it(scope: str, tmp_path: Path) -> None:
    shaped = store_shaped(ecosystem())
    for node in ("p1", "p2", "p3"):
        shaped.nodes[node]["home"] = True
    projection = build_projection(shaped, version=3)
    analysis = analyse(projection)
    out = tmp_path / "metrics.csv"
    export(analysis, projection.cooperation, ExportFormat.CSV, out, scope=scope)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    expected = {"p1", "p2", "p3"} if scope == "home" else set(projection.cooperation)
    assert {row["id"] for row in rows} == expected
    meta = json.loads(sidecar_path(out).read_text(encoding="utf-8"))
    assert meta["scope"]["requested"] == scope and meta["scope"]["applied"] == scope
    assert meta["scope"]["listed"] == len(expected)
    graph_out = tmp_path / "metrics.graphml"
    export(analysis, projection.cooperation, ExportFormat.GRAPHML, graph_out, scope=scope)
    assert set(nx.read_graphml(graph_out)) == expected
