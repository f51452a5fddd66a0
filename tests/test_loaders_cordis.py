"""CORDIS loads on the real Neo4j: counts computed from the files themselves, idempotence, FP7+H2020 merge.

Deriving cooperation for the H2020 slice (49k pairs) is the slow part of a load, so the
H2020 tests share ONE load (module fixture, tests run in file order): counts, regions,
a second load that must change nothing, then FP7 on top.
"""

from __future__ import annotations

import csv
import itertools
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from innograph.graph.store import Store
from innograph.loaders.base import LoadReport
from innograph.loaders.cordis import load_cordis
from innograph.loaders.resolve import SOCIETIES, name_key

SOCIETY_IDS = {society.id for society in SOCIETIES}
KINDS = {
    "PRC": "Company",
    "HES": "University",
    "REC": "ResearchInstitute",
    "PUB": "PublicBody",
    "OTH": "OtherOrganisation",
}


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def co_participation_pairs(members_by_project: dict[str, set[str]]) -> set[tuple[str, str]]:
    return {pair for members in members_by_project.values() for pair in itertools.combinations(sorted(members), 2)}


def snapshot(store: Store) -> tuple[dict[str, Any], list[Any]]:
    """Every node and relationship with its properties, except the load time."""
    graph = store.to_networkx()
    nodes = {n: {k: v for k, v in d.items() if k != "loaded_at"} for n, d in graph.nodes(data=True)}
    edges = sorted(
        (u, v, key, sorted((k, repr(x)) for k, x in d.items() if k != "loaded_at"))
        for u, v, key, d in graph.edges(keys=True, data=True)
    )
    return nodes, edges


@pytest.fixture(scope="module")
def h2020(session_store: Store, shared_data: Path) -> tuple[Store, LoadReport]:
    """The graph after loading the H2020 slice into an empty store (once for this module)."""
    session_store.clear()
    return session_store, load_cordis(shared_data / "cordis_h2020_thuringia", session_store)


def test_h2020_slice_counts_match_the_files(h2020: tuple[Store, LoadReport], shared_data: Path) -> None:
    store, report = h2020
    folder = shared_data / "cordis_h2020_thuringia"
    orgs = rows(folder / "organisations.csv")
    parts = rows(folder / "participations.csv")
    pics = {r["organisationID"] for r in orgs}
    members: dict[str, set[str]] = defaultdict(set)
    for r in parts:
        members[r["rcn"]].add(r["pic"])

    assert report.written and not report.rejections
    counts = store.counts()
    graph = store.to_networkx()
    org_ids = {n for n, d in graph.nodes(data=True) if "Organisation" in d["labels"]}
    assert {f"pic:{p}" for p in pics} <= org_ids
    extra = org_ids - {f"pic:{p}" for p in pics}
    assert extra <= SOCIETY_IDS, "only research societies of loaded institutes may be added"
    assert counts.labels["Organisation"] == len(pics) + len(extra)
    assert counts.labels["Project"] == len(members)
    assert counts.relationships["PARTICIPATES_IN"] == len({(r["pic"], r["rcn"]) for r in parts})
    assert counts.relationships["COOPERATES_WITH"] == len(co_participation_pairs(members))
    for code, label in KINDS.items():
        expected = sum(r["activityType"] == code for r in orgs)
        societies = sum(1 for s in SOCIETIES if s.id in extra and s.kind.value == label)
        assert counts.labels.get(label, 0) == expected + societies, label
    assert counts.relationships["LOCATED_IN"] == len(org_ids)
    regions = {n for n, d in graph.nodes(data=True) if "Region" in d["labels"]}
    countries = {"EL" if r["country"] == "GR" else r["country"] for r in orgs}  # NUTS writes Greece as EL
    assert countries | {r["nutsCode"] for r in orgs if r["nutsCode"]} <= regions


def test_thuringian_organisations_carry_their_region(h2020: tuple[Store, LoadReport], shared_data: Path) -> None:
    store, _ = h2020
    folder = shared_data / "cordis_h2020_thuringia"
    thuringian = [r for r in rows(folder / "organisations.csv") if r["x_region"] == "TH"]
    assert len(thuringian) == 23
    for r in thuringian:
        node = store.organisation(f"pic:{r['organisationID']}")
        assert node["region"].startswith("DEG"), node
        if r["nutsCode"]:
            assert node["region"] == r["nutsCode"]
    assert store.organisation("pic:999868726")["region"] == "DEG03"  # FSU Jena
    graph = store.to_networkx(["pic:999575204", "DEG0F", "DEG0", "DEG", "DE"])  # TU Ilmenau
    assert graph.has_edge("pic:999575204", "DEG0F", key="LOCATED_IN")
    assert all(graph.has_edge(a, b, key="PART_OF") for a, b in [("DEG0F", "DEG0"), ("DEG0", "DEG"), ("DEG", "DE")])


@pytest.mark.slow
def test_loading_twice_changes_nothing(h2020: tuple[Store, LoadReport], shared_data: Path) -> None:
    store, _ = h2020
    folder = shared_data / "cordis_h2020_thuringia"
    before = store.counts(), snapshot(store)
    second = load_cordis(folder, store)
    assert second.nodes_created == 0 and second.relationships_created == 0
    assert (store.counts(), snapshot(store)) == before


def test_fp7_after_h2020_merges_shared_organisations(h2020: tuple[Store, LoadReport], shared_data: Path) -> None:
    store, _ = h2020
    h2020_folder, fp7 = shared_data / "cordis_h2020_thuringia", shared_data / "cordis_fp7_thuringia"
    report = load_cordis(fp7, store)
    assert report.written and not report.rejections
    graph = store.to_networkx()
    organisations = [d for _, d in graph.nodes(data=True) if "Organisation" in d["labels"]]
    for words in (["friedrich schiller", "jena"], ["technische universitat ilmenau"], ["photonische technologien"]):
        same = [d["id"] for d in organisations if all(w in name_key(d["name"]) for w in words)]
        assert len(same) == 1, (words, same)
    fsu = store.organisation("pic:999868726")
    assert "University" in fsu["labels"], "an FP7 row without activity type keeps the known kind"
    # FSU's projects: its H2020 ones plus the FP7 ones under its PIC or any id mapped to it.
    fp7_ids = {
        r["new_org_id"] for r in rows(fp7 / "organisations.csv") if "999868726" in (r["new_org_id"], r["x_pic_by_name"])
    }
    expected = {r["rcn"] for r in rows(h2020_folder / "participations.csv") if r["pic"] == "999868726"}
    expected |= {f"fp7:{r['projectRcn']}" for r in rows(fp7 / "participations.csv") if r["new_org_id"] in fp7_ids}
    projects = [v for _, v, k in graph.out_edges("pic:999868726", keys=True) if k == "PARTICIPATES_IN"]
    assert len(projects) == len(expected)
    assert len(fp7_ids) > 1, "the FP7 slice has FSU under a surrogate id too"


def write_official(folder: Path, table: list[dict[str, str]], name: str) -> None:
    """A table as CORDIS publishes it: ';'-separated, every field quoted, decimal commas, BOM."""
    folder.mkdir(exist_ok=True)
    money = ("ecContribution", "netEcContribution", "totalCost", "ecMaxContribution")
    with (folder / name).open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(table[0]), delimiter=";", quoting=csv.QUOTE_ALL)
        writer.writeheader()
        for row in table:
            writer.writerow({k: v.replace(".", ",") if k in money else v for k, v in row.items()})


def test_official_format_both_dialects_read_the_same(shared_data: Path, tmp_path: Path) -> None:
    folder = shared_data / "cordis_format_sample"
    write_official(tmp_path, rows(folder / "organization.csv"), "organization.csv")
    write_official(tmp_path, rows(folder / "project.csv"), "project.csv")
    comma = load_cordis(folder, None, dry_run=True)
    semicolon = load_cordis(tmp_path, None, dry_run=True)
    assert not comma.rejections and not semicolon.rejections and not comma.written
    assert (comma.nodes, comma.relationships) == (semicolon.nodes, semicolon.relationships)
    participations = rows(folder / "organization.csv")
    assert comma.relationships["PARTICIPATES_IN"] == len(
        {(r["organisationID"], r["projectID"]) for r in participations}
    )
    project_ids = {r["projectID"] for r in participations} | {r["id"] for r in rows(folder / "project.csv") if r["id"]}
    assert comma.nodes["Project"] == len(project_ids)


def test_official_format_thuringian_projects(store: Store, shared_data: Path, tmp_path: Path) -> None:
    folder = shared_data / "cordis_format_sample"
    participations = rows(folder / "organization.csv")
    thuringian = {r["projectID"] for r in participations if r["postCode"].startswith(("7", "98", "99"))}
    subset = [r for r in participations if r["projectID"] in thuringian]
    write_official(tmp_path, subset, "organization.csv")
    write_official(tmp_path, [r for r in rows(folder / "project.csv") if r["id"] in thuringian], "project.csv")

    report = load_cordis(tmp_path, store)

    assert report.written and not report.rejections
    counts = store.counts()
    assert counts.labels["Project"] == len(thuringian)
    assert counts.relationships["PARTICIPATES_IN"] == len({(r["organisationID"], r["projectID"]) for r in subset})
    members: dict[str, set[str]] = defaultdict(set)
    for r in subset:
        members[r["projectID"]].add(r["organisationID"])
    assert counts.relationships["COOPERATES_WITH"] == len(co_participation_pairs(members))
    fsu = store.organisation("pic:999868726")
    assert fsu["region"] == "DEG03" and fsu["postcode"] == "07743" and "University" in fsu["labels"]
    row = next(r for r in subset if r["organisationID"] == "999868726")
    edge = store.to_networkx(["pic:999868726", f"cordis:{row['projectID']}"])
    contribution = edge.edges["pic:999868726", f"cordis:{row['projectID']}", "PARTICIPATES_IN"]["contribution"]
    assert contribution == pytest.approx(float(row["ecContribution"]))
    # objective and topics are stored for the competence search (the projection leaves the long objective out)
    by_objective = store.project_matches({"container": ["container"], "topic": ["GV-8-2015"]})
    assert {(r["term"], r["id"], r["acronym"]) for r in by_objective} >= {
        ("container", "cordis:713771", "EVERLASTING"),  # "Batteries are not yet the ideal energy container ..."
        ("topic", "cordis:713771", "EVERLASTING"),
    }
    assert "objective" not in store.to_networkx(["cordis:713771"]).nodes["cordis:713771"]
