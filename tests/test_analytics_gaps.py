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
