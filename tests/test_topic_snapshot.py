"""The topic search of ``GET /organisations?q=`` answers from the path snapshot (#14) as it did from the tie graph.

The snapshot keeps every node's profile texts; :func:`competence.candidates` looks only at the
nodes whose profile matches a term (one regular-expression pass over all folded texts) or that have
project evidence. These tests check that this gives the very assessments the tie graph gives — on a
hand-made graph with every profile place, accents, an alias, a text that folds to nothing and a
manager-less cluster, and on the real H2020 slice with its project evidence from Neo4j — and that a
search after a load through the API builds nothing. The strongest partners of ``GET /organisations/{id}``
come from the snapshot too; on the real slice they equal the tie graph's for every organisation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from innograph.graph.store import Store
from innograph.loaders.cordis import load_cordis
from innograph.queries.competence import (
    Evidence,
    candidates,
    competences,
    evidence_of,
    find_by_topic,
    read_evidence,
    terms_of,
)
from innograph.queries.path_snapshot import PathSnapshot, PathSnapshots, snapshot_folder
from innograph.queries.tie_graph import CLUSTER_KIND, TieGraph, build_tie_graph
from innograph.settings import Settings
from tests.helpers import LiveServer, api_get, upload_profiles

ORGS: dict[str, dict[str, Any]] = {
    "a": {"kind": "Company", "name": "Lasertechnik Jena GmbH", "aliases": ["LTJ"]},
    "b": {"kind": "ResearchInstitute", "name": "Institut für Photonik", "description": "Optische Sensoren für KI."},
    "c": {"kind": "Company", "name": "Gamma AG", "description": "—"},  # folds to nothing
    "d": {"kind": "University", "name": "Universität Delta", "description": "Künstliche Intelligenz " * 8},
    "e": {"kind": "Company", "name": "Epsilon"},
}
OFFERS = {"a": ["Laser micro-machining", "Optik"], "e": ["Halbleiter-Prüfung"]}
ACTIVE_IN = {"b": ["Photonics"], "d": ["Artificial Intelligence", "Optics"], "e": ["Mikroelektronik"]}
TOPICS = ["laser", "Photonik", "photonics", "KI", "micro-machining", "Halbleiter", "optics", "nothing-like-it", "ltj"]


def hand_made() -> TieGraph:
    graph = nx.MultiDiGraph()
    for org, data in ORGS.items():
        graph.add_node(org, labels=["Organisation", data["kind"]], **data)
    for rel, names in (("OFFERS", OFFERS), ("ACTIVE_IN", ACTIVE_IN)):
        for org, found in names.items():
            for name in found:
                graph.add_node(f"{rel}:{name}", labels=["Thing"], name=name)
                graph.add_edge(org, f"{rel}:{name}", key=rel)
    graph.add_node("cluster:x", labels=["Cluster"], name="Optonet")  # no manager: a node of its own
    for org in "abc":
        graph.add_edge(org, "cluster:x", key="MEMBER_OF")
    graph.add_node("p1", labels=["Project"], acronym="P1", end_year=2020)
    for org in "ce":
        graph.add_edge(org, "p1", key="PARTICIPATES_IN")
    return build_tie_graph(graph)


def same_assessments(ties: TieGraph, snapshot: PathSnapshot, evidence: Evidence, topic: str) -> None:
    """The assessments of ``topic`` from the snapshot's candidates equal those from every tie-graph node."""
    terms = terms_of([topic])

    def keep(_: str, data: Any) -> bool:
        return data["kind"] != CLUSTER_KIND

    expected = competences(ties.graph.nodes(data=True), evidence, terms, keep)
    assert competences(candidates(snapshot, terms, evidence), evidence, terms, keep) == expected, topic
    hits = find_by_topic(snapshot, evidence, topic)
    assert {hit.id for hit in hits} == set(expected), topic
    assert all(hit.name == ties.graph.nodes[hit.id]["name"] for hit in hits)


def test_the_mapped_snapshot_keeps_every_profile_and_assesses_as_the_tie_graph(tmp_path: Path) -> None:
    ties = hand_made()
    PathSnapshot.of(ties, version=1).write(tmp_path / "v1")
    snapshot = PathSnapshot.open(tmp_path / "v1")
    assert [snapshot.profile(snapshot.index[n]) for n in ties.ids] == [
        ties.graph.nodes[n].get("profile", ()) for n in ties.ids
    ]
    assert ("description", "—", "") in snapshot.profile(snapshot.index["c"])
    evidence = evidence_of(
        [{"term": "laser", "id": "p1", "acronym": "P1", "title": None, "start_year": None, "end_year": 2020,
          "score": 1.0, "organisations": ["c", "e"]}]
    )  # fmt: skip
    for topic in TOPICS:
        same_assessments(ties, snapshot, evidence if topic == "laser" else {}, topic)
    laser = find_by_topic(snapshot, evidence, "laser")
    assert [(h.id, round(h.fit, 2)) for h in laser] == [("a", 1.0), ("e", 0.39), ("c", 0.39)]
    assert laser[0].why == "technology 'Laser micro-machining' matches 'laser'"
    photonics = find_by_topic(snapshot, {}, "Photonik")  # photonics takes in optics: Optik, Optics
    assert [(h.id, h.matches[0].where) for h in photonics] == [("a", "technology"), ("b", "field"), ("d", "field")]
    ki = find_by_topic(snapshot, {}, "KI")
    assert [(h.id, h.matches[0].where) for h in ki] == [("d", "field"), ("b", "description")]
    assert find_by_topic(snapshot, {}, "nothing-like-it") == []


def tie_graph_partners(ties: TieGraph, node: str) -> list[tuple[str, float, int]]:
    """The organisation page's partners as the tie graph gave them before the snapshot: shared projects or a
    declared partnership (a cluster membership alone is a path hop), strongest first, then by id."""
    found = [
        (other, data["strength"], len(data["projects"]))
        for other, data in ties.graph[node].items()
        if data["projects"] or data["declared"]
    ]
    return sorted(found, key=lambda tie: (-tie[1], tie[0]))


def test_on_the_real_h2020_slice_the_snapshot_finds_what_the_tie_graph_finds(store: Store, shared_data: Path) -> None:
    load_cordis(shared_data / "cordis_h2020_thuringia", store)
    ties = build_tie_graph(store.to_networkx())
    snapshot = PathSnapshot.of(ties)
    for topic in ["photonics", "Photonik", "laser", "KI", "quantum", "Halbleiter", "jena", "medical technology"]:
        evidence = read_evidence(store, terms_of([topic]))
        same_assessments(ties, snapshot, evidence, topic)
    assert len(find_by_topic(snapshot, read_evidence(store, terms_of(["photonics"])), "photonics")) >= 10
    partners = {node: snapshot.strongest_partners(node, 10_000) for node in ties.ids}  # /organisations/{id}
    assert partners == {node: tie_graph_partners(ties, node) for node in ties.ids}
    assert max(len(found) for found in partners.values()) > 100 and snapshot.strongest_partners("nobody", 5) == []


def test_a_topic_search_after_a_load_through_the_api_answers_from_the_loads_snapshot(
    live_api: LiveServer, store: Store, neo4j_settings: Settings
) -> None:
    builds = PathSnapshots(snapshot_folder(neo4j_settings.data_dir)).builds
    upload_profiles(live_api, ["Zeta Sensorik GmbH;Unternehmen;Suhl;"])
    after_load = builds()
    assert after_load[-1]["reason"] == "load of profiles through the API"
    page = api_get(live_api, "/organisations", q="Sensoren", match="topic").json()
    assert [(item["name"], item["matched"]) for item in page["items"]] == [("Zeta Sensorik GmbH", "topic")]
    assert page["items"][0]["why"] == "name 'Zeta Sensorik GmbH' matches 'Sensoren'"
    assert builds() == after_load  # the request mapped the load's snapshot: it built nothing
    upload_profiles(live_api, ["Eta Sensoren AG;Unternehmen;Gera;"])
    names = [item["name"] for item in api_get(live_api, "/organisations", q="sensor", match="topic").json()["items"]]
    assert names == ["Eta Sensoren AG", "Zeta Sensorik GmbH"] and len(builds()) == len(after_load) + 1


@pytest.mark.parametrize("topic", ["laser", "KI"])
def test_without_terms_or_hits_no_candidate_is_missed(topic: str) -> None:
    ties = hand_made()
    snapshot = PathSnapshot.of(ties)
    every = {n for n, data in ties.graph.nodes(data=True) if data["kind"] != CLUSTER_KIND}
    assert {n for n, _ in candidates(snapshot, [], {})} == set(ties.ids) >= every
    found = {n for n, _ in candidates(snapshot, terms_of([topic]), {})}
    assert found == {h.id for h in find_by_topic(snapshot, {}, topic)}
