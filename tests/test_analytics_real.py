"""The full analysis on the real H2020 Thuringia slice, built straight from the CORDIS participations CSV."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from innograph.queries.analysis import gap_report
from innograph.queries.metrics import compute_metrics
from innograph.queries.projection import cooperation_from_participations
from tests.helpers import CORDIS_KINDS, csv_rows


def h2020_cooperation(shared_data: Path) -> nx.Graph:
    """Co-participation by project rcn, strength 1/(n-1) per shared project, as the store derives it."""
    folder = shared_data / "cordis_h2020_thuringia"
    organisations = {
        row["organisationID"]: {
            "name": row["name"] or row["organisationID"],
            "kind": CORDIS_KINDS.get(row["activityType"], "OtherOrganisation"),
            "region": row["nutsCode"] or None,
            "country": row["country"] or None,
        }
        for row in csv_rows(folder / "organisations.csv")
    }
    participations = [(row["pic"], row["rcn"]) for row in csv_rows(folder / "participations.csv")]
    return cooperation_from_participations(participations, organisations)


@pytest.fixture(scope="module")
def h2020(shared_data: Path) -> nx.Graph:
    return h2020_cooperation(shared_data)


def test_the_slice_has_the_documented_shape(h2020: nx.Graph) -> None:
    ties = nx.Graph(h2020.edges())
    assert (ties.number_of_nodes(), ties.number_of_edges(), nx.number_connected_components(ties)) == (1343, 49302, 2)


def test_full_analysis_runs_and_every_flagged_cut_point_disconnects(h2020: nx.Graph) -> None:
    table = compute_metrics(h2020)
    assert table.meta.exact and len(table.nodes) == h2020.number_of_nodes()
    assert table.top("pagerank", 1)[0].name == "FRIEDRICH-SCHILLER-UNIVERSITAT JENA"
    flagged = [node for node, cut in table.column("articulation_point").items() if cut]
    assert flagged
    components = nx.number_connected_components(h2020)
    for node in flagged:
        without = nx.restricted_view(h2020, [node], [])
        assert nx.number_connected_components(without) > components - (h2020.degree(node) == 0), node
    report = gap_report(h2020, {}, {}, {}, table.column("community"), top=10)
    assert report.fragility and report.missing_links["resource_allocation"]
    fragile = {row.subject[0] for row in report.fragility if row.kind == "organisation"}
    assert fragile <= set(flagged)
