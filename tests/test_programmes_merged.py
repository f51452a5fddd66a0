"""Acceptance (#12 part 1): FP7 and H2020 in one real Neo4j graph, in both load orders.

FP7's slice names many organisations without a PIC (32-hex surrogate ids); H2020's names
them by PIC. Whichever arrives first, the Thuringian universities and institutes must be
one node each with the projects of both programmes, the CNRS written with and without its
acronym one node, and the two orders must give the same organisations and the same review
queue (a name-only node loaded first is merged into the PIC node when H2020 arrives).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from innograph.graph.store import Store
from innograph.loaders.cordis import load_cordis
from innograph.loaders.resolve import name_key
from innograph.loaders.review import STATUSES

ORDERS = {"fp7 first": ("fp7", "h2020"), "h2020 first": ("h2020", "fp7")}
HOME = {
    "pic:999868726": "friedrich schiller universitat jena",
    "pic:999575204": "technische universitat ilmenau",
    "pic:999619048": "photonische technologien",  # Leibniz-IPHT
}
CNRS = "pic:999997930"


@dataclass(frozen=True)
class Loaded:
    """What the graph holds after loading both slices in one order."""

    names: dict[str, str]
    programmes: dict[str, set[str]]
    aliases: dict[str, list[str]]
    reviews: dict[str, str]
    cooperations: int
    participations: int


def load_both(store: Store, shared_data: Path, order: tuple[str, str]) -> Loaded:
    store.clear()
    for programme in order:
        report = load_cordis(shared_data / f"cordis_{programme}_thuringia", store)
        assert report.written and not report.rejections
    graph = store.to_networkx()
    organisations = {n: d for n, d in graph.nodes(data=True) if "Organisation" in d["labels"]}
    programmes = {
        org: {graph.nodes[p]["programme"] for _, p, key in graph.out_edges(org, keys=True) if key == "PARTICIPATES_IN"}
        for org in organisations
    }
    reviews = {row["review"]["id"]: row["review"]["status"] for row in store.match_reviews(STATUSES)}
    counts = store.counts().relationships
    return Loaded(
        names={org: d["name"] for org, d in organisations.items()},
        programmes=programmes,
        aliases={org: d.get("aliases", []) for org, d in organisations.items()},
        reviews=reviews,
        cooperations=counts["COOPERATES_WITH"],
        participations=counts["PARTICIPATES_IN"],
    )


@pytest.fixture(scope="module")
def loaded(session_store: Store, shared_data: Path) -> dict[str, Loaded]:
    """Both slices loaded in each order (the graph is cleared before each)."""
    return {label: load_both(session_store, shared_data, order) for label, order in ORDERS.items()}


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("org_id", HOME)
def test_home_organisations_are_one_node_with_both_programmes(
    loaded: dict[str, Loaded], order: str, org_id: str
) -> None:
    graph = loaded[order]
    words = HOME[org_id]
    assert words in name_key(graph.names[org_id])
    assert graph.programmes[org_id] == {"FP7", "H2020"}
    same_name = [org for org, name in graph.names.items() if words in name_key(name)]
    assert same_name == [org_id], f"{words}: one node, under its PIC"


@pytest.mark.parametrize("order", ORDERS)
def test_the_cnrs_with_and_without_its_acronym_is_one_node(loaded: dict[str, Loaded], order: str) -> None:
    graph = loaded[order]
    cnrs = [org for org, name in graph.names.items() if "centre national de la recherche scientif" in name_key(name)]
    assert cnrs == [CNRS]
    assert graph.programmes[CNRS] == {"FP7", "H2020"}
    spellings = {name_key(name) for name in [graph.names[CNRS], *graph.aliases[CNRS]] if name != "CNRS"}
    assert len(spellings) == 1, "FP7's 'CENTRE NATIONAL ... SCIENTIFIQUE' and H2020's '... CNRS' are one key"


@pytest.mark.parametrize("order", ORDERS)
def test_aberdeen_and_st_andrews_stay_two_organisations(loaded: dict[str, Loaded], order: str) -> None:
    graph = loaded[order]
    assert "ST ANDREWS" in graph.names["pic:999984253"]
    aberdeen = [org for org, name in graph.names.items() if "aberdeen" in name_key(name)]
    assert aberdeen == ["pic:999929448"], "FP7's surrogate row joined H2020's PIC (its CORDIS short name)"
    assert graph.programmes["pic:999929448"] == {"FP7", "H2020"}


def test_both_orders_give_the_same_organisations_ties_and_review_queue(loaded: dict[str, Loaded]) -> None:
    first, second = loaded["fp7 first"], loaded["h2020 first"]
    assert set(first.names) == set(second.names)
    assert {org: sorted(p) for org, p in first.programmes.items()} == {
        org: sorted(p) for org, p in second.programmes.items()
    }
    assert (first.cooperations, first.participations) == (second.cooperations, second.participations)
    assert first.reviews == second.reviews and set(first.reviews.values()) == {"pending"}
    assert not [org for org in first.names if org.startswith("org:") and "CNRS" in first.names[org]]
