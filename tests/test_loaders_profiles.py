"""Profiles and cluster lists on the real Neo4j: the documented examples, XLSX, German headers,
resolution against organisations an earlier load created."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

from innograph.graph import records, steps
from innograph.graph.store import Store
from innograph.loaders.clusters import load_clusters
from innograph.loaders.profiles import load_profiles

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
FSU = "pic:999868726"


def seed_cordis_fsu(store: Store) -> None:
    """FSU Jena as CORDIS writes it (what a CORDIS load leaves in the graph)."""
    fsu = records.Organisation(
        id=FSU,
        kind=records.OrganisationKind.UNIVERSITY,
        name="FRIEDRICH-SCHILLER-UNIVERSITAT JENA",
        aliases=["UNIVERSITY OF JENA"],
        country="DE",
        sources=["cordis:h2020"],
    )
    store.apply([steps.organisations([fsu])])


def test_example_profiles_resolve_to_the_cordis_node(store: Store, tmp_path: Path) -> None:
    seed_cordis_fsu(store)
    report = load_profiles(EXAMPLES / "profiles.csv", store, review_file=tmp_path / "review.csv")
    assert report.written and not report.rejections, [str(r) for r in report.rejections]

    fsu = store.organisation(FSU)
    assert fsu["name"] == "Friedrich-Schiller-Universität Jena"  # the better-cased spelling wins
    assert "FRIEDRICH-SCHILLER-UNIVERSITAT JENA" in fsu["aliases"]
    assert fsu["postcode"] == "07743" and fsu["region"] == "DEG03"
    graph = store.to_networkx()
    assert not [n for n, d in graph.nodes(data=True) if "Schiller" in d.get("name", "") and n != FSU]
    assert graph.has_edge(FSU, "tech:mikroskopie", key="OFFERS")
    assert graph.has_edge(FSU, "field:optik-und-photonik", key="ACTIVE_IN")
    assert graph.has_edge(FSU, "cluster:photonik-netzwerk-musterland-fiktiv", key="MEMBER_OF")
    iof = "org:fraunhofer-institut-fur-angewandte-optik-und-feinmechanik-iof"
    assert graph.has_edge(iof, "pic:999984059", key="PART_OF"), "institute PART_OF its society"
    assert "ResearchInstitute" in graph.nodes[iof]["labels"]
    declared = {tuple(sorted((u, v))) for u, v, k in graph.edges(keys=True) if k == "COOPERATES_WITH"}
    assert tuple(sorted((FSU, "org:beispieloptik-fiktiv-gmbh"))) in declared
    assert graph.nodes["DEG03"]["name"] == "Jena"


def test_loading_profiles_twice_changes_nothing(store: Store, tmp_path: Path) -> None:
    load_profiles(EXAMPLES / "profiles.csv", store)
    before = store.counts(), store.organisation("org:beispieloptik-fiktiv-gmbh")
    second = load_profiles(EXAMPLES / "profiles.csv", store)
    assert second.nodes_created == 0 and second.relationships_created == 0
    after = store.counts(), store.organisation("org:beispieloptik-fiktiv-gmbh")
    assert before[0] == after[0]
    assert {k: v for k, v in before[1].items() if k != "loaded_at"} == {
        k: v for k, v in after[1].items() if k != "loaded_at"
    }


def test_xlsx_with_english_headers_and_a_bad_row(store: Store, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Kind", "Postcode", "City", "Technologies", "Partners"])
    sheet.append(
        ["Musterfirma Photonik GmbH (fiktiv)", "Company", 7745, "Jena", "Lasertechnik; Optik", "Zweite AG (fiktiv)"]
    )
    sheet.append(["Zweite AG (fiktiv)", "Raumschiff", None, "Erfurt", None, None])
    path = tmp_path / "profile.xlsx"
    book.save(path)

    report = load_profiles(path, store, strict=True)
    assert [str(r) for r in report.rejections] == [
        f"{path}:3:kind: Value error, unknown kind 'Raumschiff'; "
        + (
            "use one of Company/Unternehmen, University/Hochschule, ResearchInstitute/Forschungseinrichtung, "
            "ClusterOrganisation/Netzwerk, PublicBody/Behörde, Other/Sonstige"
        )
    ]
    assert not report.written and store.counts().labels == {}

    report = load_profiles(path, store)
    assert report.written and report.rejected_rows == 1
    company = store.organisation("org:musterfirma-photonik-fiktiv-gmbh")
    assert company["postcode"] == "07745" and company["region"] == "DEG03"
    partner = store.organisation("org:zweite-fiktiv-ag")  # not profiled (its row was bad): a minimal node
    assert partner["kind"] == "OtherOrganisation"


def test_cluster_members_with_management(store: Store) -> None:
    load_profiles(EXAMPLES / "profiles.csv", store)
    report = load_clusters(EXAMPLES / "cluster_members.csv", store, strict=True)
    assert report.written and not report.rejections

    graph = store.to_networkx()
    agency = "org:netzwerkagentur-musterland-fiktiv-ev"
    photonics = "cluster:photonik-netzwerk-musterland-fiktiv"
    assert graph.has_edge(agency, photonics, key="MANAGES")
    assert graph.edges[agency, photonics, "MEMBER_OF"]["role"] == "management"
    assert graph.edges["org:beispieloptik-fiktiv-gmbh", photonics, "MEMBER_OF"]["since"] == 2015
    with (EXAMPLES / "cluster_members.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert store.counts().relationships["MANAGES"] == sum(r["Rolle"] == "Clustermanagement" for r in rows)
    assert "ClusterOrganisation" in graph.nodes[agency]["labels"], "the profile said Clusterorganisation"
