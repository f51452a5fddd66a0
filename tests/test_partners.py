"""The partner finder on a small hand-made ecosystem whose ranking is worked out here.

Source A (Company, field Photonics). Ties (reference year 2024, so ``x = 1/(n-1)``)::

    P1 {A, T1} -> A-T1 x=1     P2 {A, H} -> A-H x=1     P3 {H, T2, Q} -> x=1/2     P4 {T1, Q} -> x=1

    T1 Laser Works (Company)              offers "Laser micro-machining", field Photonics  reach s(1)      = .632
    T2 Micro Lab (ResearchInstitute, DEG03) offers "Laser micro-machining", field Optics   reach s(1)s(.5) = .249
    T3 Far Laser (Company)                offers "Laser cutting"                           unreachable
    T4 Beam Inc (Company)                 description "... laser micro-machining services" unreachable
    H  Hub University, fields Optics and Materials;  Q Quartz GmbH, field Materials

Need "laser" + "micro-machining": fit T1 = T2 = 1 (technology), T3 = .5, T4 = .4 (description);
score = .7 fit + .3 reach -> T1 .890, T2 .775, T3 .350, T4 .280.
Resource allocation from A: Q shares H (degree 3) and T1 (degree 2) -> 1/3 + 1/2; T2 shares H -> 1/3.
"""

from __future__ import annotations

import math

import networkx as nx
import pytest

from innograph.errors import NotFoundError
from innograph.queries.partners import PartnerNeed, ProjectMatch, find_partners
from innograph.queries.tie_graph import TieWeights, build_tie_graph
from innograph.text import fold

ORGS = {
    "A": ("Company", "Alpha Optics", None),
    "T1": ("Company", "Laser Works", None),
    "T2": ("ResearchInstitute", "Micro Lab", None),
    "T3": ("Company", "Far Laser", None),
    "T4": (
        "Company",
        "Beam Inc",
        "We sell laser micro-machining services to the automotive industry in Europe and beyond.",
    ),
    "H": ("University", "Hub University", None),
    "Q": ("Company", "Quartz GmbH", None),
}
OFFERS = {"T1": "Laser micro-machining", "T2": "Laser micro-machining", "T3": "Laser cutting"}
ACTIVE_IN = {
    "A": ["Photonics"],
    "T1": ["Photonics"],
    "T2": ["Optics"],
    "H": ["Optics", "Materials"],
    "Q": ["Materials"],
}
PROJECTS = {"P1": ["A", "T1"], "P2": ["A", "H"], "P3": ["H", "T2", "Q"], "P4": ["T1", "Q"]}


def s(x: float) -> float:
    return 1 - math.exp(-x)


@pytest.fixture(scope="module")
def ties():
    graph = nx.MultiDiGraph()
    for org, (kind, name, description) in ORGS.items():
        graph.add_node(org, labels=["Organisation", kind], kind=kind, name=name, description=description,
                       region="DEG03" if org == "T2" else "DE300")  # fmt: skip
    for org, technology in OFFERS.items():
        graph.add_node(f"tech:{technology}", labels=["Technology"], name=technology)
        graph.add_edge(org, f"tech:{technology}", key="OFFERS", type="OFFERS")
    for org, fields in ACTIVE_IN.items():
        for name in fields:
            graph.add_node(f"field:{name}", labels=["Field"], name=name)
            graph.add_edge(org, f"field:{name}", key="ACTIVE_IN", type="ACTIVE_IN")
    for project, members in PROJECTS.items():
        graph.add_node(project, labels=["Project"], acronym=project, start_year=2023, end_year=2024)
        for org in members:
            graph.add_edge(org, project, key="PARTICIPATES_IN", type="PARTICIPATES_IN")
    return build_tie_graph(graph, TieWeights(reference_year=2024))


NEED = PartnerNeed(keywords=["laser", "micro-machining"])


def test_candidates_ranked_by_fit_and_reachability(ties) -> None:
    answer = find_partners(ties, "A", NEED)
    assert [c.organisation.id for c in answer.candidates] == ["T1", "T2", "T3", "T4"]
    assert [c.fit for c in answer.candidates] == pytest.approx([1, 1, 0.5, 0.4])
    assert [c.reach_strength for c in answer.candidates] == pytest.approx([s(1), s(1) * s(0.5), 0, 0])
    assert [c.score for c in answer.candidates] == pytest.approx(
        [0.7 + 0.3 * s(1), 0.7 + 0.3 * s(1) * s(0.5), 0.35, 0.28]
    )


def test_candidates_explain_matches_and_paths(ties) -> None:
    t1, t2, t3, t4 = find_partners(ties, "A", NEED).candidates
    assert [(m.keyword, m.where, m.matched) for m in t1.matches] == [
        ("laser", "technology", "Laser micro-machining"),
        ("micro-machining", "technology", "Laser micro-machining"),
    ]
    assert t1.explanation.endswith("reachable in 1 hop (strength 0.632)")
    assert [h.to_id for h in t2.path.hops] == ["H", "T2"] and t2.path.hops[1].evidence[0].id == "P3"
    assert (t3.path, t3.explanation) == (
        None,
        "technology 'Laser cutting' matches 'laser'; not reachable from the source within 4 hops",
    )
    assert t4.matches[0].where == "description" and "laser micro machining services" in t4.matches[0].matched


def test_filters_and_fields(ties) -> None:
    def found(need: PartnerNeed) -> list[str]:
        return [c.organisation.id for c in find_partners(ties, "A", need).candidates]

    assert found(PartnerNeed(keywords=NEED.keywords, kind="Company")) == ["T1", "T3", "T4"]
    assert found(PartnerNeed(keywords=NEED.keywords, region="deg")) == ["T2"]
    optics = find_partners(ties, "A", PartnerNeed(fields=["optics"])).candidates
    assert [(c.organisation.id, c.matches[0].where) for c in optics] == [("H", "field"), ("T2", "field")]
    assert found(PartnerNeed(keywords=["hub"])) == ["H"]
    assert find_partners(ties, "A", NEED, limit=1).candidates[0].organisation.id == "T1"


def test_new_partner_suggestions_with_reasons(ties) -> None:
    anyone = find_partners(ties, "A", PartnerNeed()).suggestions
    assert [(x.organisation.id, round(x.score, 6)) for x in anyone] == [
        ("Q", round(1 / 3 + 1 / 2, 6)),
        ("T2", round(1 / 3, 6)),
    ]
    quartz = anyone[0]
    assert [p.id for p in quartz.shared_partners] == ["T1", "H"] and quartz.complementary_fields == ["Materials"]
    assert (
        quartz.reason
        == "2 shared partners: Laser Works, Hub University; brings fields the source is not active in: Materials"
    )
    lasers = find_partners(ties, "A", NEED).suggestions
    assert [x.organisation.id for x in lasers] == ["T2"]
    assert lasers[0].reason.startswith(
        "1 shared partner: Hub University; brings fields the source is not active in: Optics"
    )


def test_no_terms_ranks_by_reach_and_limits_are_checked(ties) -> None:
    assert [c.organisation.id for c in find_partners(ties, "A", PartnerNeed()).candidates][:2] == ["H", "T1"]
    with pytest.raises(ValueError, match="limit must be between 1 and 200"):
        find_partners(ties, "A", NEED, limit=201)
    with pytest.raises(ValueError, match="max_hops"):
        find_partners(ties, "A", NEED, max_hops=7)
    with pytest.raises(NotFoundError):
        find_partners(ties, "nobody", NEED)


def test_fold_ignores_case_accents_and_punctuation() -> None:
    assert fold("Thüringer Straße, Laser-Mikro") == "thuringer strasse laser mikro"


def test_project_evidence_counts_towards_fit_and_is_explained(ties) -> None:
    """Q has nothing on lasers in its profile but three laser projects: 1 - exp(-3/2) for that term."""
    laser = [ProjectMatch(id=f"L{i}", acronym=f"LAS{i}", end_year=2020 + i, score=2.0 - i / 10, keywords=["laser"])
             for i in range(3)]  # fmt: skip
    answer = find_partners(ties, "A", PartnerNeed(keywords=["laser"]), evidence={"Q": laser, "T1": laser[:1]})
    by_id = {c.organisation.id: c for c in answer.candidates}
    q, t1 = by_id["Q"], by_id["T1"]
    assert q.fit == pytest.approx(1 - math.exp(-1.5))
    assert [m.where for m in q.matches] == ["project"] and [p.id for p in q.projects] == ["L0", "L1", "L2"]
    assert q.explanation.startswith("3 projects on laser: LAS0 (2020), LAS1 (2021), LAS2 (2022); reachable in")
    assert t1.fit == 1.0 and t1.matches[0].where == "technology"  # a declared technology beats one project
    assert "technology 'Laser micro-machining' matches 'laser'; 1 project on laser: LAS0 (2020)" in t1.explanation
    assert "Q" not in {c.organisation.id for c in find_partners(ties, "A", PartnerNeed(keywords=["laser"])).candidates}


def test_german_and_english_words_find_the_same_profiles(ties) -> None:
    def found(word: str) -> list[str]:
        return [c.organisation.id for c in find_partners(ties, "A", PartnerNeed(keywords=[word])).candidates]

    assert found("Photonik") == found("photonics") == found("Photonics") and {"T1", "T2", "H"} <= set(found("Photonik"))
    assert found("Optik") == found("optics") == ["H", "T2"]  # optics does not widen to photonics
    assert found("Laser") == found("lasers") == ["T1", "T2", "T3", "T4"]
