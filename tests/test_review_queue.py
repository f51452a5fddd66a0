"""The review queue on the real Neo4j: decisions applied by the next load and kept by reloads; stored merges.

* On the real slices (H2020, then FP7): a pair is pending; "same" merges FP7's name-only node into
  the candidate's PIC node on the next load and the pair is no longer pending; "different" keeps two
  nodes and drops the pair from the pending list; loading again changes neither.
* Hand-made: an organisation the profile database named first (``org:`` node with fields, technologies,
  a cluster and a declared partner) becomes its PIC node when CORDIS brings it: every relationship moves,
  cooperation is derived for the PIC node, and loading the profiles again finds the PIC node.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from innograph.graph.store import Store
from innograph.loaders.cordis import load_cordis
from innograph.loaders.profiles import load_profiles
from innograph.loaders.resolve import review_id
from innograph.loaders.review import decide, review_entry, review_queue

WAGENINGEN = ("WAGENINGEN UNIVERSITEIT", "NL", "pic:999981634")
INRA = ("INRA TRANSFERT S A", "FR", "pic:999955541")
WAGENINGEN_FP7 = "org:wageningen-universiteit"
INRA_FP7 = "org:inra-transfert-sa"


def fp7_projects(store: Store, org_id: str) -> set[str]:
    graph = store.to_networkx([org_id, *store.all_project_ids()])
    return {p for _, p, key in graph.out_edges(org_id, keys=True) if key == "PARTICIPATES_IN" and "rcn" in p}


def node_ids(store: Store) -> set[str]:
    return {row["id"] for row in store.organisation_names()}


@pytest.mark.slow
def test_a_decision_is_applied_by_the_next_load_and_survives_reloads(store: Store, shared_data: Path) -> None:
    fp7 = shared_data / "cordis_fp7_thuringia"
    load_cordis(shared_data / "cordis_h2020_thuringia", store)
    first = load_cordis(fp7, store)
    same_id, different_id = review_id(*WAGENINGEN), review_id(*INRA)
    pending = {entry.id for entry in review_queue(store)}
    assert {same_id, different_id} <= pending and first.review_pairs == len(pending)
    assert {WAGENINGEN_FP7, INRA_FP7} <= node_ids(store)
    wageningen_fp7_projects = fp7_projects(store, WAGENINGEN_FP7)
    assert wageningen_fp7_projects

    assert decide(store, same_id, "same", "test").status == "same"
    assert decide(store, different_id, "different", "test").status == "different"
    second = load_cordis(fp7, store)
    assert second.merged == {WAGENINGEN_FP7: WAGENINGEN[2]}
    after = node_ids(store)
    assert WAGENINGEN_FP7 not in after and wageningen_fp7_projects <= fp7_projects(store, WAGENINGEN[2])
    assert {INRA_FP7, INRA[2]} <= after, "'different' keeps two nodes"
    assert {entry.id for entry in review_queue(store)} == pending - {same_id, different_id}
    decided = {entry.id: entry for entry in review_queue(store, include_decided=True) if entry.status != "pending"}
    assert {i: e.status for i, e in decided.items()} == {same_id: "same", different_id: "different"}
    assert decided[same_id].incoming is not None and decided[same_id].incoming.id == WAGENINGEN[2]

    third = load_cordis(fp7, store)
    assert not third.merged and third.nodes_created == 0 and third.relationships_created == 0
    assert node_ids(store) == after
    assert review_entry(store, same_id).status == "same" and review_entry(store, different_id).status == "different"
    assert {entry.id for entry in review_queue(store)} == pending - {same_id, different_id}


PROFILES = (
    "Name;Art;PLZ;Ort;Webseite;Technologiefelder;Technologien;Netzwerke;Partner\n"
    "Beispieloptik Jena GmbH;Unternehmen;07745;Jena;www.beispieloptik.de;"
    "Optik und Photonik;Laser;OptoNetz;Musterwerk AG\n"
    "Musterwerk AG;Unternehmen;07745;Jena;;;;;\n"
)
ORGANISATIONS = (
    "organisationID,name,shortName,activityType,city,country,nutsCode\n"
    "912345678,BEISPIELOPTIK JENA GMBH,BOJ,PRC,JENA,DE,DEG03\n"
    "923456789,PARTENAIRE OPTIQUE SA,PO,PRC,PARIS,FR,FR101\n"
)
PARTICIPATIONS = "rcn,pic,role,contribution\n100001,912345678,coordinator,1000\n100001,923456789,participant,500\n"
PROJECTS = "rcn,id,acronym,title,startDate,endDate\n100001,700001,LIGHT,Light for all,2019-01-01,2021-12-31\n"


def test_a_profile_node_becomes_the_pic_node_when_cordis_arrives(store: Store, tmp_path: Path) -> None:
    profiles = tmp_path / "profiles.csv"
    profiles.write_text(PROFILES, encoding="utf-8")
    folder = tmp_path / "h2020"
    folder.mkdir()
    for name, text in (
        ("organisations.csv", ORGANISATIONS),
        ("participations.csv", PARTICIPATIONS),
        ("projects.csv", PROJECTS),
    ):
        (folder / name).write_text(text, encoding="utf-8")
    load_profiles(profiles, store)
    assert "org:beispieloptik-jena-gmbh" in node_ids(store)

    report = load_cordis(folder, store)
    assert report.merged == {"org:beispieloptik-jena-gmbh": "pic:912345678"}
    assert "org:beispieloptik-jena-gmbh" not in node_ids(store)
    node = store.organisation("pic:912345678")
    assert node["name"] == "Beispieloptik Jena GmbH", "the well-spelled name wins over the SHOUTED one"
    assert "BEISPIELOPTIK JENA GMBH" in node["aliases"] and node["website"] == "www.beispieloptik.de"
    assert node["home"] and "Company" in node["labels"]
    graph = store.to_networkx()
    edges = {(v, key): data for _, v, key, data in graph.edges("pic:912345678", keys=True, data=True)}
    edges |= {(u, key): data for u, _, key, data in graph.in_edges("pic:912345678", keys=True, data=True)}
    assert {
        ("field:optik-und-photonik", "ACTIVE_IN"),
        ("tech:laser", "OFFERS"),
        ("cluster:optonetz", "MEMBER_OF"),
    } <= set(edges)
    assert edges[("org:musterwerk-ag", "COOPERATES_WITH")]["declared"] is True
    assert edges[("pic:923456789", "COOPERATES_WITH")]["shared_projects"] == 1
    assert [key for key in edges if key[1] == "LOCATED_IN"] == [("DEG03", "LOCATED_IN")]

    again = load_profiles(profiles, store)
    assert not again.merged and again.nodes_created == 0
    assert "org:beispieloptik-jena-gmbh" not in node_ids(store), "the profile row now finds the PIC node"
