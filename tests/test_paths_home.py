"""Introduction paths staff can act on (issue #15): direct ties first, no detours through mega-hubs.

Two parts: a hand-made ecosystem where a mega-hub is tied to both ends by many large consortia and a
small regional organisation by a few small projects (pure functions on the tie graph), and the real
H2020 Thuringia slice over HTTP, where every pair of home organisations that already share a
project must get that direct tie as path 1.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import networkx as nx
import pytest

from innograph.graph.store import Store
from innograph.loaders.cordis import load_cordis
from innograph.queries.tie_graph import TieWeights, build_tie_graph
from tests.helpers import LiveServer, all_paths, api_get

HUB_CONSORTIA = 30  # large projects the hub shares with each end
HUB_OTHER = 100  # further projects of the hub (it takes part in 160)


def _organisation(graph: nx.MultiDiGraph, org: str, kind: str, *, home: bool) -> None:
    graph.add_node(org, labels=sorted(["Organisation", kind]), kind=kind, name=org, home=home)


def _project(graph: nx.MultiDiGraph, project: str, members: list[str], year: int = 2023) -> None:
    graph.add_node(project, labels=["Project"], acronym=project, start_year=year - 2, end_year=year)
    for org in members:
        if org not in graph:
            _organisation(graph, org, "Company", home=False)
        graph.add_edge(org, project, key="PARTICIPATES_IN", type="PARTICIPATES_IN")


def mega_hub_ecosystem(*, direct: bool = False) -> nx.MultiDiGraph:
    """A and B (home) reach each other through hub H (30 twenty-partner projects with each) or R (2 small each)."""
    graph = nx.MultiDiGraph()
    for org in "ABR":
        _organisation(graph, org, "Company", home=True)
    _organisation(graph, "H", "ResearchInstitute", home=False)
    for end in "AB":
        for i in range(HUB_CONSORTIA):
            _project(graph, f"{end}H{i}", [end, "H", *(f"f{end}{i}-{j}" for j in range(18))])
        for i in range(2):
            _project(graph, f"{end}R{i}", [end, "R", f"s{end}{i}-1", f"s{end}{i}-2"])
    for i in range(HUB_OTHER):
        _project(graph, f"H{i}", ["H", *(f"g{i}-{j}" for j in range(19))])
    if direct:
        _project(graph, "AB", ["A", "B", *(f"d{j}" for j in range(98))], year=2016)
    return graph


def route(path) -> str:
    return "-".join([path.hops[0].from_id, *(hop.to_id for hop in path.hops)])


def test_a_mega_hub_does_not_outrank_a_small_regional_broker() -> None:
    ties = build_tie_graph(mega_hub_ecosystem())
    answer = all_paths(ties, "A", "B", k=2)
    assert [route(p) for p in answer.paths] == ["A-R-B", "A-H-B"]
    assert answer.already_partners is None
    # The same ranking holds on tie strength alone: the activity discount does it, not only the broker cost.
    assert route(all_paths(ties, "A", "B", k=1, prefer_brokers=False).paths[0]) == "A-R-B"
    # Control: without the activity discount the hub's many shared projects would win.
    undiscounted = build_tie_graph(mega_hub_ecosystem(), TieWeights(activity_reference=1e9))
    assert route(all_paths(undiscounted, "A", "B", k=1, prefer_brokers=False).paths[0]) == "A-H-B"


def test_the_direct_tie_always_comes_first() -> None:
    ties = build_tie_graph(mega_hub_ecosystem(direct=True))
    answer = all_paths(ties, "A", "B", k=3)
    assert [route(p) for p in answer.paths] == ["A-B", "A-R-B", "A-H-B"]
    assert answer.paths[0].strength < answer.paths[1].strength  # first because it is direct, not because it is strong
    assert answer.already_partners == "already partners: cooperated in 1 project, latest 2016: AB (100 partners)"
    # A filter on intermediaries cannot remove a path that has none.
    assert [route(p) for p in all_paths(ties, "A", "B", k=1, allowed_intermediary_kinds=["University"]).paths] == [
        "A-B"
    ]


def test_intermediaries_say_where_they_are() -> None:
    ties = build_tie_graph(mega_hub_ecosystem())
    hub_path = all_paths(ties, "A", "B", k=2).paths[1]
    assert hub_path.hops[0].to_place == "location not recorded, outside the home ecosystem"
    assert hub_path.hops[0].to_home is False and all_paths(ties, "A", "B", k=1).paths[0].hops[0].to_home


@pytest.fixture(scope="module")
def h2020_api(session_store: Store, live_api: LiveServer, shared_data: Path) -> LiveServer:
    session_store.clear()
    load_cordis(shared_data / "cordis_h2020_thuringia", session_store)
    return live_api


def test_every_home_pair_that_shares_a_project_gets_its_direct_tie_first(
    h2020_api: LiveServer, session_store: Store
) -> None:
    ties = build_tie_graph(session_store.to_networkx())
    home = sorted(node for node in ties.ids if ties.graph.nodes[node].get("home"))
    pairs = [
        (a, b)
        for a, b in itertools.combinations(home, 2)
        if ties.graph.has_edge(a, b) and ties.graph.edges[a, b]["projects"]
    ]
    assert len(home) == 23 and len(pairs) >= 10
    for a, b in pairs:
        answer = api_get(h2020_api, "/paths", **{"from": a, "to": b, "k": 1}).json()
        [path] = answer["paths"]
        assert [hop["to_id"] for hop in path["hops"]] == [b], (a, b)
        assert answer["already_partners"].startswith("already partners: cooperated in"), (a, b)
        assert path["hops"][0]["to_place"].endswith("home ecosystem")
