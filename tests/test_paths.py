"""Introduction paths on hand-made graphs whose answers are worked out below, on Neo4j, and on real CORDIS data.

The hand-made ecosystem (every project ends in the reference year 2024 unless said
otherwise, so a project of ``n`` partners adds ``x = 1/(n-1)``; ``s(x) = 1 - e^-x``)::

    P1 {A, U}           2024  A-U  x = 1             P4 {R, B, E, F}     2024  R-B x = 1/3
    P2 {U, B}           2019  U-B  x = 1 * 2^-1      P5 {C, B, G, H, I}  2024  C-B x = 1/4
    P3 {A, C, R}        2024  A-C, A-R, C-R x = 1/2  P6 {C, R} 2020, P7 {C, R} 2022: C-R += 2^-0.8 + 2^-0.4
    cluster K "Photonics Thuringia", managed by M, members A (since 2018), B, D  -> A-M, B-M, D-M x = 0.5
    cluster L "Quantum Circle", no manager, members Y, Z, W -> each to node L, sqrt(s(1/2)); Z-W declared x = 1

Best paths A -> B (≤ 4 hops): A-U-B s(1)s(.5) ≈ .249, A-M-B s(.5)² ≈ .155, A-R-B s(.5)s(1/3) ≈ .112,
A-C-R-B s(.5)s(CR)s(1/3) ≈ .094, A-C-B s(.5)s(.25) ≈ .087, then A-R-C-B ≈ .073.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import networkx as nx
import pytest

from innograph.errors import NotFoundError
from innograph.graph import records, steps
from innograph.graph.store import Store
from innograph.queries.paths import PathAnswer
from innograph.queries.tie_graph import ClusterEvidence, DeclaredEvidence, ProjectEvidence, TieWeights, build_tie_graph
from tests.helpers import CORDIS_KINDS, all_paths, csv_rows


def s(x: float) -> float:
    """Tie strength of summed evidence ``x``."""
    return 1 - math.exp(-x)


CR = 0.5 + 2**-0.8 + 2**-0.4
ORGS = {
    "A": ("Company", "Alpha Optics GmbH"),
    "B": ("Company", "Beta Lasers GmbH"),
    "U": ("University", "University of Jena"),
    "R": ("ResearchInstitute", "Photonics Institute"),
    "C": ("Company", "Gamma Coatings"),
    "M": ("ClusterOrganisation", "OptoNet e.V."),
    "D": ("Company", "Delta Mechanics"),
    **{x: ("OtherOrganisation", f"Partner {x}") for x in "EFGHI"},
    **{x: ("Company", f"Quantum {x}") for x in "YZW"},
    "X": ("Company", "Lonely Ltd"),
}
PROJECTS = {
    "P1": (2024, "AU"),
    "P2": (2019, "UB"),
    "P3": (2024, "ACR"),
    "P4": (2024, "RBEF"),
    "P5": (2024, "CBGHI"),
    "P6": (2020, "CR"),
    "P7": (2022, "CR"),
}


def ecosystem() -> nx.MultiDiGraph:
    """The store-shaped projection of the ecosystem in the module docstring."""
    graph = nx.MultiDiGraph()
    for org, (kind, name) in ORGS.items():
        graph.add_node(org, labels=sorted(["Organisation", kind]), kind=kind, name=name)
    for project, (year, members) in PROJECTS.items():
        graph.add_node(project, labels=["Project"], acronym=f"ACR-{project}", title=f"Project {project}",
                       start_year=year - 2, end_year=year)  # fmt: skip
        for org in members:
            graph.add_edge(org, project, key="PARTICIPATES_IN", type="PARTICIPATES_IN")
    graph.add_node("K", labels=["Cluster"], name="Photonics Thuringia")
    graph.add_node("L", labels=["Cluster"], name="Quantum Circle")
    graph.add_edge("M", "K", key="MANAGES", type="MANAGES")
    for org, cluster, since in [("A", "K", 2018), ("B", "K", None), ("D", "K", 2020)] + [(o, "L", None) for o in "YZW"]:
        graph.add_edge(org, cluster, key="MEMBER_OF", type="MEMBER_OF", since=since)
    graph.add_edge("W", "Z", key="COOPERATES_WITH", type="COOPERATES_WITH", declared=True, sources=["profile:Z"])
    return graph


@pytest.fixture(scope="module")
def ties():
    return build_tie_graph(ecosystem(), TieWeights(reference_year=2024))


def route(answer: PathAnswer) -> list[str]:
    return ["-".join([p.hops[0].from_id, *(h.to_id for h in p.hops)]) for p in answer.paths]


def test_best_paths_in_order_with_strengths(ties) -> None:
    answer = all_paths(ties, "A", "B", k=5)
    assert route(answer) == ["A-U-B", "A-M-B", "A-R-B", "A-C-R-B", "A-C-B"]
    expected = [s(1) * s(0.5), s(0.5) ** 2, s(0.5) * s(1 / 3), s(0.5) * s(CR) * s(1 / 3), s(0.5) * s(0.25)]
    assert [p.strength for p in answer.paths] == pytest.approx(expected)
    assert [p.cost for p in answer.paths] == pytest.approx([-math.log(x) for x in expected])
    assert answer.no_path_reason is None and answer.alternatives == []
    assert (answer.source.name, answer.target.kind) == ("Alpha Optics GmbH", "Company")


def test_default_k_is_three_and_more_paths_come_in_order(ties) -> None:
    assert route(all_paths(ties, "A", "B")) == ["A-U-B", "A-M-B", "A-R-B"]
    assert route(all_paths(ties, "A", "B", k=6))[-1] == "A-R-C-B"


def test_every_hop_carries_evidence_and_explanation(ties) -> None:
    best, via_cluster = all_paths(ties, "A", "B", k=2).paths
    first, second = best.hops
    assert (first.from_name, first.to_name, first.to_kind, first.kind) == (
        "Alpha Optics GmbH", "University of Jena", "University", "cooperation")  # fmt: skip
    assert first.evidence == [
        ProjectEvidence(
            id="P1", acronym="ACR-P1", title="Project P1", start_year=2022, end_year=2024, consortium_size=2
        )
    ]
    assert first.explanation == "cooperated in 1 project, latest 2024: ACR-P1 (2 partners)"
    assert second.strength == pytest.approx(s(0.5))
    assert [h.kind for h in via_cluster.hops] == ["cluster", "cluster"]
    assert via_cluster.hops[0].evidence == [
        ClusterEvidence(id="K", name="Photonics Thuringia", member_id="A", since=2018, manager_id="M")
    ]
    assert via_cluster.hops[0].explanation == (
        "Alpha Optics GmbH is a member of cluster Photonics Thuringia (since 2018), managed by OptoNet e.V."
    )
    assert via_cluster.hops[1].explanation == (
        "Beta Lasers GmbH is a member of cluster Photonics Thuringia, managed by OptoNet e.V."
    )


def test_several_projects_are_listed_most_recent_first(ties) -> None:
    hop = all_paths(ties, "C", "R", k=1, max_hops=1).paths[0].hops[0]
    assert [e.id for e in hop.evidence] == ["P3", "P7", "P6"]
    assert hop.explanation == (
        "cooperated in 3 projects, latest 2024: ACR-P3 (3 partners), ACR-P7 (2 partners), ACR-P6 (2 partners)"
    )
    assert hop.strength == pytest.approx(s(CR))


def test_cluster_is_a_hop_through_its_manager_not_a_clique(ties) -> None:
    assert not ties.graph.has_edge("A", "D")
    assert route(all_paths(ties, "A", "D", k=1)) == ["A-M-D"]


def test_cluster_without_manager_is_a_node_of_its_own(ties) -> None:
    answer = all_paths(ties, "Y", "W", k=2)
    assert route(answer) == ["Y-L-W", "Y-L-Z-W"]
    assert answer.paths[0].strength == pytest.approx(s(0.5))
    assert answer.paths[0].hops[0].to_kind == "Cluster"
    declared = answer.paths[1].hops[-1]
    assert (declared.kind, declared.evidence) == ("declared", [DeclaredEvidence(sources=["profile:Z"])])
    assert declared.strength == pytest.approx(s(1))


def test_avoid_and_allowed_kinds_are_honoured(ties) -> None:
    assert route(all_paths(ties, "A", "B", avoid=["U", "M"])) == ["A-R-B", "A-C-R-B", "A-C-B"]
    kinds = all_paths(ties, "A", "B", allowed_intermediary_kinds=["ResearchInstitute", "Company"])
    assert route(kinds) == ["A-R-B", "A-C-R-B", "A-C-B"]
    assert route(all_paths(ties, "A", "B", k=2, allowed_intermediary_kinds=["Company"])) == ["A-C-B"]


def test_max_hops_is_honoured(ties) -> None:
    assert route(all_paths(ties, "A", "B", k=10, max_hops=2)) == ["A-U-B", "A-M-B", "A-R-B", "A-C-B"]
    three = all_paths(ties, "A", "B", k=10, max_hops=3).paths
    assert max(len(p.hops) for p in three) == 3 and len(three) > 4


def test_since_year_drops_older_projects(ties) -> None:
    answer = all_paths(ties, "A", "B", since_year=2020)
    assert route(answer) == ["A-M-B", "A-R-B", "A-C-R-B"]
    cr = all_paths(ties, "C", "R", max_hops=1, since_year=2021).paths[0].hops[0]
    assert [e.id for e in cr.evidence] == ["P3", "P7"]
    assert cr.strength == pytest.approx(s(0.5 + 2**-0.4))


def test_no_path_within_the_hop_limit_offers_nearest_alternatives(ties) -> None:
    answer = all_paths(ties, "A", "B", max_hops=1)
    assert answer.paths == []
    assert answer.no_path_reason == "no path of at most 1 hop connects Alpha Optics GmbH and Beta Lasers GmbH"
    assert [a.organisation.id for a in answer.alternatives] == ["U", "M", "R"]
    nearest = answer.alternatives[0]
    assert nearest.tie_strength == pytest.approx(s(0.5))
    assert nearest.relation == "tied to Beta Lasers GmbH: cooperated in 1 project, latest 2019: ACR-P2 (2 partners)"
    assert nearest.path.strength == pytest.approx(s(1)) and nearest.path.hops[0].evidence[0].id == "P1"


def test_no_path_reasons(ties) -> None:
    lonely = all_paths(ties, "A", "X")
    assert (lonely.paths, lonely.alternatives) == ([], [])
    assert lonely.no_path_reason == "Lonely Ltd has no recorded cooperation or cluster membership"
    apart = all_paths(ties, "A", "Y")
    assert (
        apart.no_path_reason == "no chain of cooperation or cluster membership connects Alpha Optics GmbH and Quantum Y"
    )
    assert apart.alternatives == []
    kinds = all_paths(ties, "A", "B", avoid=["U"], allowed_intermediary_kinds=["PublicBody"])
    assert kinds.no_path_reason == (
        "no path of at most 4 hops, avoiding University of Jena, through PublicBody only "
        "connects Alpha Optics GmbH and Beta Lasers GmbH"
    )


def test_alternatives_include_members_of_the_targets_manager_less_cluster(ties) -> None:
    graph = ecosystem()
    graph.add_edge("Y", "P1", key="PARTICIPATES_IN", type="PARTICIPATES_IN")  # Y joins A and U in P1
    answer = all_paths(build_tie_graph(graph, TieWeights(reference_year=2024)), "A", "Z", max_hops=1)
    assert answer.paths == []
    assert [(a.organisation.id, a.relation) for a in answer.alternatives] == [
        ("Y", "member of cluster Quantum Circle, like Quantum Z")
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"k": 0}, "k must be between 1 and 10"),
        ({"k": 11}, "k must be between 1 and 10"),
        ({"max_hops": 0}, "max_hops must be between 1 and 6"),
        ({"max_hops": 7}, "max_hops must be between 1 and 6"),
        ({"allowed_intermediary_kinds": ["Unicorn"]}, "allowed_intermediary_kinds: unknown kind"),
        ({"avoid": ["B"]}, "avoid must not contain the source or the target"),
    ],
)
def test_invalid_parameters_are_named(ties, kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        all_paths(ties, "A", "B", **kwargs)


def test_unknown_ids_raise_not_found(ties) -> None:
    with pytest.raises(NotFoundError, match="target: no organisation with id 'nope'"):
        all_paths(ties, "A", "nope")
    with pytest.raises(NotFoundError, match="avoid"):
        all_paths(ties, "A", "B", avoid=["nope"])
    with pytest.raises(NotFoundError, match="source"):
        all_paths(ties, "L", "B")  # a cluster node is no organisation
    with pytest.raises(ValueError, match="target must differ"):
        all_paths(ties, "A", "A")


# --- through the real Neo4j ---------------------------------------------------------


def test_path_through_the_store(store: Store) -> None:
    src = ["test"]
    orgs = [records.Organisation(id=o, kind=ORGS[o][0], name=ORGS[o][1], sources=src) for o in "ABUMD"]
    projects = [
        records.Project(id=p, acronym=f"ACR-{p}", start=date(y - 2, 1, 1), end=date(y, 12, 31), sources=src)
        for p, y in [("P1", 2024), ("P2", 2019)]
    ]
    participations = [
        records.Participation(org_id=o, project_id=p, sources=src) for p in ("P1", "P2") for o in PROJECTS[p][1]
    ]
    members = [records.Membership(org_id=o, cluster_id="K", since=2018, sources=src) for o in "ABD"]
    store.apply(
        [
            steps.organisations(orgs),
            steps.clusters([records.Cluster(id="K", name="Photonics Thuringia", sources=src)]),
            steps.projects(projects),
            steps.participations(participations),
            steps.memberships(members),
            steps.management([records.Management(org_id="M", cluster_id="K", sources=src)]),
            steps.derive_cooperation(["P1", "P2"]),
        ]
    )
    ties = build_tie_graph(store.to_networkx(), TieWeights(reference_year=2024), version=store.version())
    answer = all_paths(ties, "A", "B")
    assert route(answer) == ["A-U-B", "A-M-B"]
    assert answer.paths[0].strength == pytest.approx(s(1) * s(0.5))
    assert [e.id for h in answer.paths[0].hops for e in h.evidence] == ["P1", "P2"]
    assert answer.paths[1].hops[0].evidence[0].name == "Photonics Thuringia"
    assert all_paths(ties, "A", "D", k=1).paths[0].hops[1].explanation == (
        "Delta Mechanics is a member of cluster Photonics Thuringia (since 2018), managed by OptoNet e.V."
    )


# --- real data: CORDIS H2020 around Thuringia --------------------------------------


def _year(value: str) -> int | None:
    return int(value[:4]) if value else None


def cordis_graph(folder: Path) -> nx.MultiDiGraph:
    """A store-shaped projection of the H2020 slice: orgs ``pic:<PIC>``, projects ``h2020:rcn:<rcn>``."""
    graph = nx.MultiDiGraph()
    for row in csv_rows(folder / "organisations.csv"):
        kind = CORDIS_KINDS.get(row["activityType"], "OtherOrganisation")
        graph.add_node(f"pic:{row['organisationID']}", labels=sorted(["Organisation", kind]), kind=kind,
                       name=row["name"] or row["organisationID"], country=row["country"] or None)  # fmt: skip
    for row in csv_rows(folder / "projects.csv"):
        graph.add_node(f"h2020:rcn:{row['rcn']}", labels=["Project"], acronym=row["acronym"] or None,
                       title=row["title"] or None, start_year=_year(row["startDate"]),
                       end_year=_year(row["endDate"]))  # fmt: skip
    for row in csv_rows(folder / "participations.csv"):
        graph.add_edge(f"pic:{row['pic']}", f"h2020:rcn:{row['rcn']}", key="PARTICIPATES_IN", type="PARTICIPATES_IN")
    return graph


def test_real_path_from_a_thuringian_company_to_a_distant_partner(shared_data: Path) -> None:
    folder = shared_data / "cordis_h2020_thuringia"
    ties = build_tie_graph(cordis_graph(folder))
    chipshop, lithops = "pic:999691895", "pic:920912375"  # microfluidic ChipShop (Jena) -> LITHOPS SRL (Italy)
    assert not ties.graph.has_edge(chipshop, lithops)
    answer = all_paths(ties, chipshop, lithops, k=3)
    assert answer.source.name == "MICROFLUIDIC CHIPSHOP GMBH" and len(answer.paths) == 3
    acronyms = {row["acronym"] for row in csv_rows(folder / "projects.csv") if row["acronym"]}
    chipshop_projects = {
        f"h2020:rcn:{r['rcn']}" for r in csv_rows(folder / "participations.csv") if r["pic"] == "999691895"
    }
    for path in answer.paths:
        assert path.hops[-1].to_id == lithops and path.hops[0].evidence[0].id in chipshop_projects
        assert all(h.evidence and h.kind == "cooperation" for h in path.hops)
    best = answer.paths[0]
    named = [e.acronym for h in best.hops for e in h.evidence if e.acronym]
    assert named and set(named) <= acronyms
    assert all(e.acronym in h.explanation for h in best.hops for e in h.evidence[:5] if e.acronym)
