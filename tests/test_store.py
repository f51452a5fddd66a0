"""The store against a real Neo4j: schema, idempotent upserts, atomic batches, derivation, reads."""

from __future__ import annotations

from datetime import date
from typing import Any

import networkx as nx
import pytest
from neo4j import GraphDatabase

from innograph.errors import NotFoundError, StoreError
from innograph.graph import records as r
from innograph.graph import steps as st
from innograph.graph import store as store_module
from innograph.graph.schema import NODE_LABELS
from innograph.graph.store import Store
from innograph.settings import Settings

SRC = ["test:fixture"]


def org(org_id: str, kind: str = "Company", name: str | None = None, **extra: Any) -> r.Organisation:
    return r.Organisation(id=org_id, kind=kind, name=name or f"Org {org_id}", sources=SRC, **extra)


def project(pid: str, start: int, end: int | None) -> r.Project:
    return r.Project(
        id=pid, acronym=pid.upper(), start=date(start, 1, 1), end=date(end, 12, 31) if end else None, sources=SRC
    )


def snapshot(store: Store) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str, str], dict[str, Any]]]:
    """Every node's and relationship's properties except the load time stamp."""
    graph = store.to_networkx()
    nodes = {n: {k: v for k, v in d.items() if k != "loaded_at"} for n, d in graph.nodes(data=True)}
    edges = {
        (u, v, k): {a: b for a, b in d.items() if a != "loaded_at"} for u, v, k, d in graph.edges(keys=True, data=True)
    }
    return nodes, edges


# Hand-made cooperation fixture; the expected answers below are worked out by hand.
#   p1 (2015-2017): a b c d   -> n=4, each pair 1/3
#   p2 (2019-2020): a b       -> n=2, 1
#   p3 (2021-2023): a b e     -> n=3, each pair 1/2
#   p4 (2022-    ): a x1..x9  -> n=10, each pair 1/9 (a big consortium counts little)
FIXTURE_ORGS = [org(i) for i in ("a", "b", "c", "d", "e")] + [org(f"x{i}") for i in range(1, 10)]
FIXTURE_PROJECTS = [
    project("p1", 2015, 2017),
    project("p2", 2019, 2020),
    project("p3", 2021, 2023),
    project("p4", 2022, None),
]
FIXTURE_MEMBERS = {
    "p1": ["a", "b", "c", "d"],
    "p2": ["a", "b"],
    "p3": ["a", "b", "e"],
    "p4": ["a"] + [f"x{i}" for i in range(1, 10)],
}


def fixture_steps() -> list[st.Step]:
    parts = [
        r.Participation(org_id=o, project_id=p, sources=SRC) for p, members in FIXTURE_MEMBERS.items() for o in members
    ]
    return [
        st.organisations(FIXTURE_ORGS),
        st.projects(FIXTURE_PROJECTS),
        st.participations(parts),
        st.derive_cooperation(FIXTURE_MEMBERS),
    ]


def test_schema_creation_twice_is_harmless(store: Store, neo4j_settings: Settings) -> None:
    store.init_schema()
    with GraphDatabase.driver(
        neo4j_settings.effective_uri,
        auth=(neo4j_settings.neo4j_user, neo4j_settings.neo4j_password.get_secret_value()),
    ) as driver:
        first = driver.execute_query("SHOW CONSTRAINTS YIELD labelsOrTypes, properties").records
        store.init_schema()
        second = driver.execute_query("SHOW CONSTRAINTS YIELD labelsOrTypes, properties").records
        indexes = driver.execute_query("SHOW INDEXES YIELD name, type, state").records
    assert first == second
    constrained = {rec["labelsOrTypes"][0] for rec in second if rec["properties"] == ["id"]}
    assert set(NODE_LABELS) <= constrained
    fulltext = [rec for rec in indexes if rec["name"] == "organisation_names"]
    assert fulltext and fulltext[0]["type"] == "FULLTEXT" and fulltext[0]["state"] == "ONLINE"


def test_upserting_the_same_rows_twice_changes_nothing(store: Store) -> None:
    store.apply(fixture_steps())
    counts, snap = store.counts(), snapshot(store)
    summary = store.apply(fixture_steps())
    assert summary.nodes_created == 0 and summary.relationships_created == 0
    assert store.counts() == counts
    assert snapshot(store) == snap


def test_cooperation_derivation_matches_hand_computed_answers(store: Store) -> None:
    store.apply(fixture_steps())
    graph = store.to_networkx()
    coop = {tuple(sorted((u, v))): d for u, v, k, d in graph.edges(keys=True, data=True) if k == "COOPERATES_WITH"}
    # p1 gives 6 pairs, p3 adds a-e and b-e, p4 adds 9 pairs a-xi and 36 pairs xi-xj; a-b is counted once.
    assert len(coop) == 6 + 2 + 9 + 36
    ab = coop[("a", "b")]
    assert ab["projects"] == ["p1", "p2", "p3"]
    assert ab["shared_projects"] == 3
    assert ab["collaboration_weight"] == pytest.approx(1 / 3 + 1 + 1 / 2)
    assert (ab["first_year"], ab["last_year"]) == (2015, 2023)
    cd = coop[("c", "d")]
    assert (cd["shared_projects"], cd["collaboration_weight"]) == (1, pytest.approx(1 / 3))
    assert (cd["first_year"], cd["last_year"]) == (2015, 2017)
    ae = coop[("a", "e")]
    assert (ae["projects"], ae["collaboration_weight"]) == (["p3"], pytest.approx(0.5))
    ax = coop[("a", "x1")]
    assert (ax["collaboration_weight"], ax["first_year"], ax["last_year"]) == (pytest.approx(1 / 9), 2022, 2022)
    assert ("c", "e") not in coop
    assert all(d["sources"] == ["derived:shared-projects"] for d in coop.values())
    # direction is stored lower id -> higher id
    assert all(u < v for u, v, k in graph.edges(keys=True) if k == "COOPERATES_WITH")


def test_a_failing_batch_leaves_nothing_of_itself(neo4j_settings: Settings, store: Store) -> None:
    # one writer: parallel writers regroup and sort rows (see test_lanes_...), which would change the batches
    small = Store.connect(neo4j_settings.model_copy(update={"batch_size": 2, "write_workers": 1}))
    try:
        rows = [org("ok1"), org("ok2"), org("ok3"), org("ok4")]
        small.apply([st.organisations(rows)])
        links = [
            r.Participation(org_id="ok1", project_id="p", sources=SRC),
            r.Participation(org_id="ok2", project_id="p", sources=SRC),
            r.Participation(org_id="ok3", project_id="p", sources=SRC),
            r.Participation(org_id="missing", project_id="p", sources=SRC),
        ]
        small.apply([st.projects([project("p", 2020, 2021)])])
        with pytest.raises(StoreError, match="participations: 1 of 2 rows"):
            small.apply([st.participations(links)], atomic=False)
        # batch 1 (ok1, ok2) committed on its own; batch 2 (ok3, missing) left nothing behind
        assert store.counts().relationships == {"PARTICIPATES_IN": 2}
        before = snapshot(store)
        with pytest.raises(StoreError):
            small.apply([st.participations(links)], atomic=True)
        assert snapshot(store) == before
        # a batch that Neo4j itself rejects part-way (a map is not a valid property value)
        bad = st.Step(
            "organisations",
            st.organisations([org("ok5")]).query,
            [org("ok5").row(), {**org("ok6").row(), "city": {"not": "a string"}}],
        )
        with pytest.raises(StoreError, match="Neo4j failed"):
            small.apply([bad], atomic=False)
        assert "ok5" not in store.to_networkx()
    finally:
        small.close()


def test_to_networkx_keeps_ids_labels_and_properties(store: Store) -> None:
    store.apply(
        [
            st.organisations(
                [
                    org(
                        "u1",
                        "University",
                        "Universität Jena",
                        aliases=["FSU Jena"],
                        city="Jena",
                        lat=50.93,
                        lon=11.59,
                        region="DEG03",
                    ),
                    org("c1", "Company", "Optik GmbH", founded=1990),
                ]
            ),
            st.clusters([r.Cluster(id="cluster:optics", name="Optics Network", sources=SRC)]),
            st.memberships(
                [r.Membership(org_id="c1", cluster_id="cluster:optics", since=2010, role="member", sources=SRC)]
            ),
        ]
    )
    graph = store.to_networkx()
    assert isinstance(graph, nx.MultiDiGraph)
    assert set(graph.nodes) == {"u1", "c1", "cluster:optics"}
    u1 = graph.nodes["u1"]
    assert u1["labels"] == ["Organisation", "University"]
    assert (u1["name"], u1["aliases"], u1["city"], u1["lat"], u1["region"]) == (
        "Universität Jena",
        ["FSU Jena"],
        "Jena",
        50.93,
        "DEG03",
    )
    assert graph.nodes["c1"]["founded"] == 1990
    assert graph.nodes["cluster:optics"]["labels"] == ["Cluster"]
    edge = graph.edges["c1", "cluster:optics", "MEMBER_OF"]
    assert (edge["since"], edge["role"], edge["sources"]) == (2010, "member", SRC)
    sub = store.to_networkx(["u1", "c1"])
    assert set(sub.nodes) == {"u1", "c1"} and sub.number_of_edges() == 0


def test_reads_version_search_and_not_found(store: Store) -> None:
    before = store.version()
    assert before > 0  # clearing moved it on
    store.apply(
        [
            st.organisations(
                [org("j", "University", "Friedrich-Schiller-Universität Jena", aliases=["University of Jena"])]
            )
        ]
    )
    assert store.version() == before + 1
    store.clear()
    assert store.version() == before + 2  # a cleared graph never reuses an old version

    store.apply(
        [
            st.organisations(
                [org("j", "University", "Friedrich-Schiller-Universität Jena", aliases=["University of Jena"])]
            )
        ]
    )

    def ids(text: str | None, **kw: Any) -> list[str]:
        return [hit["id"] for hit in store.search_organisations(text, **kw)[1]]

    assert ids("schiller jena") == ["j"]
    assert ids("University of") == ["j"]
    # user text never becomes Lucene syntax: quotes, operators and wildcards are plain words
    assert ids('jena"') == ["j"]
    assert ids('jena" OR *:*') in ([], ["j"])
    assert ids("*:*") == ["j"]  # no words at all: the plain listing
    store.apply([st.organisations([org("z", name="Zeta Jena GmbH"), org("y", name="Ypsilon AG")])])
    assert store.search_organisations(None, limit=2) == (3, store.search_organisations("", limit=2)[1])
    assert ids(None, limit=2, offset=1) == ["y", "z"]
    assert ids("jena", kind="Company") == ["z"]
    assert store.organisation("j")["labels"] == ["Organisation", "University"]
    with pytest.raises(NotFoundError):
        store.organisation("nope")


def test_kind_change_moves_the_label_and_names_become_aliases(store: Store) -> None:
    store.apply([st.organisations([org("k", "OtherOrganisation", "KUTEC")])])
    store.apply([st.organisations([org("k", "ResearchInstitute", "K-UTEC AG Salt Technologies")])])
    node = store.organisation("k")
    assert node["labels"] == ["Organisation", "ResearchInstitute"]
    assert node["aliases"] == ["KUTEC"]
    assert store.counts().labels.get("OtherOrganisation") is None


def test_lanes_keep_a_spread_value_on_one_writer_and_sort_each_writer() -> None:
    given = [("p1", "o3", "a"), ("p2", "o1", "b"), ("p1", "o1", "c"), ("p3", "o2", "d"), ("p1", "o3", "e")]
    rows = [{"project_id": p, "org_id": o, "role": role} for p, o, role in given]
    step = st.Step("participations", "RETURN 1", rows, lanes=("project_id", "org_id"))
    lanes = store_module._lanes(step, writers=2, batch_size=1)
    # p1 (3 rows) fills one lane; p2 and p3 go to the other
    assert [[(row["project_id"], row["org_id"], row["role"]) for row in lane] for lane in lanes] == [
        [("p1", "o1", "c"), ("p1", "o3", "a"), ("p1", "o3", "e")],  # sorted by org, duplicates keep their order
        [("p2", "o1", "b"), ("p3", "o2", "d")],
    ]
    assert store_module._lanes(step, writers=1, batch_size=1) == [rows]
    assert store_module._lanes(step, writers=2, batch_size=len(rows)) == [rows]  # one batch: nothing to share
    assert store_module._lanes(st.Step("x", "RETURN 1", rows), writers=2, batch_size=1) == [rows]  # no lanes declared


@pytest.mark.slow
def test_parallel_writers_write_the_same_graph_as_one(neo4j_settings: Settings, store: Store) -> None:
    from innograph.loaders.synthetic import generate, steps

    ecosystem = generate(300, seed=3)  # the driver is the session's: these stores are not closed
    one = Store(store._driver, neo4j_settings.neo4j_database, batch_size=50, writers=1)
    one.apply(steps(ecosystem), atomic=False)
    alone = snapshot(one)
    store.clear()
    parallel = Store(store._driver, neo4j_settings.neo4j_database, batch_size=50, writers=2)
    before = parallel.version()
    summary = parallel.apply(steps(ecosystem), atomic=False)
    assert snapshot(parallel) == alone
    assert summary.rows["participations"] == len(ecosystem.participations)
    assert summary.version == parallel.version()
    # every write transaction of every writer moved the version by one
    lanes = [lane for step in steps(ecosystem) for lane in store_module._lanes(step, writers=2, batch_size=50)]
    assert summary.version - before == sum(-(-len(lane) // 50) for lane in lanes)
    assert max(len(lane) for lane in lanes) < len(ecosystem.participations)  # participations really were split
    parallel.apply(steps(ecosystem), atomic=False)  # twice changes nothing, in parallel too
    assert snapshot(parallel) == alone
