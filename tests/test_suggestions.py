"""New-partner suggestions rank by resource allocation, the index the back-test kept (bench/suggestions.py).

On the FP7 -> H2020 Thuringia split the served ranking (resource allocation on the tie graph) had the
best pooled precision@50; common neighbours and Adamic-Adar were slightly ahead per source, within
noise, and weighting by tie strength won one split and lost the other (bench/README.md, "suggestions").
This pins the served order on a hand-made graph where those indices disagree, so that a change of
index is a decision with a new back-test, not an accident::

    A -- p -- X          p has 2 partners: X gets 1/2 (resource allocation), 1/ln 2 = 1.44 (Adamic-Adar), 1 shared
    A -- h1, h2, h3 -- Y each hub has 7 partners (A, Y, 5 of its own): Y gets 3/7, 3/ln 7 = 1.54, 3 shared

Every tie is a two-partner project; A's tie to p is old (2000, so weak), every other one recent (2024).
"""

from __future__ import annotations

import math

import networkx as nx
import pytest

from innograph.queries.partners import PartnerNeed, find_partners
from innograph.queries.tie_graph import TieGraph, TieWeights, build_tie_graph

HUBS = ("h1", "h2", "h3")
OWN_PARTNERS = 5


@pytest.fixture(scope="module")
def ties() -> TieGraph:
    pairs = [("A", "p", 2000), ("p", "X", 2024)]
    for hub in HUBS:
        pairs += [("A", hub, 2024), (hub, "Y", 2024)]
        pairs += [(hub, f"{hub}-{i}", 2024) for i in range(OWN_PARTNERS)]
    graph = nx.MultiDiGraph()
    for number, (u, v, year) in enumerate(pairs):
        for org in (u, v):
            graph.add_node(org, labels=["Organisation", "Company"], kind="Company", name=f"Org {org}")
        project = f"P{number}"
        graph.add_node(project, labels=["Project"], acronym=project, start_year=year, end_year=year)
        graph.add_edge(u, project, key="PARTICIPATES_IN", type="PARTICIPATES_IN")
        graph.add_edge(v, project, key="PARTICIPATES_IN", type="PARTICIPATES_IN")
    return build_tie_graph(graph, TieWeights(reference_year=2024))


def test_suggestions_rank_by_resource_allocation_where_other_indices_disagree(ties: TieGraph) -> None:
    plain = nx.Graph(ties.graph.edges)
    adamic_adar = {v: score for _, v, score in nx.adamic_adar_index(plain, [("A", "X"), ("A", "Y")])}
    shared = {v: len(list(nx.common_neighbors(plain, "A", v))) for v in ("X", "Y")}
    assert adamic_adar == pytest.approx({"X": 1 / math.log(2), "Y": 3 / math.log(7)})
    assert shared == {"X": 1, "Y": 3}, "Adamic-Adar and common neighbours put Y first"
    assert ties.tie("A", "p")[0] < ties.tie("A", "h1")[0], "A's tie through p is the weaker one"

    suggestions = find_partners(ties, "A", PartnerNeed()).suggestions
    top = [(x.organisation.id, x.score) for x in suggestions[:2]]
    assert top == [("X", pytest.approx(1 / 2)), ("Y", pytest.approx(3 / 7))]
    assert suggestions[1].reason == "3 shared partners: Org h1, Org h2, Org h3"
    rest = suggestions[2:]
    assert [x.score for x in rest] == pytest.approx([1 / 7] * len(HUBS) * OWN_PARTNERS)
