"""The competence search without a database: the bilingual concept table, terms, project evidence, topic ranking."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from innograph.queries.competence import (
    CONCEPTS,
    Term,
    assess,
    concept_of,
    evidence_of,
    expand,
    find_by_topic,
    terms_of,
)
from innograph.queries.path_snapshot import PathSnapshot
from innograph.queries.tie_graph import build_tie_graph
from innograph.text import fold

PAIRS = [
    ("Photonik", "photonics"),
    ("Halbleiter", "semiconductor"),
    ("Mikroelektronik", "microelectronics"),
    ("Wasserstoff", "hydrogen"),
    ("Brennstoffzelle", "fuel cell"),
    ("Batterie", "battery"),
    ("Energiespeicher", "energy storage"),
    ("Medizintechnik", "medical technology"),
    ("Sensorik", "sensor"),
    ("Quanten", "quantum"),
    ("Künstliche Intelligenz", "artificial intelligence"),
    ("KI", "machine learning"),
    ("Werkstoffe", "materials"),
    ("Biotechnologie", "biotechnology"),
    ("Kunststoff", "plastics"),
    ("Fahrzeug", "automotive"),
    ("Laser", "lasers"),
]


@pytest.mark.parametrize(("german", "english"), PAIRS)
def test_german_and_english_words_expand_alike(german: str, english: str) -> None:
    assert set(expand(german)) == set(expand(english))
    assert concept_of(german) == concept_of(english) is not None


def test_broader_concepts_include_narrower_ones_never_the_reverse() -> None:
    photonics = set(expand("Photonik"))
    assert {"laser", "optik", "optics", "photonik", "photonics"} <= photonics
    assert set(expand("laser")) == {"laser", "lasers"} and "photonics" not in expand("Optik")
    assert set(expand("Brennstoffzelle")) < set(expand("Wasserstoff"))
    assert set(expand("Diagnostik")) < set(expand("Medizintechnik"))
    for key, concept in CONCEPTS.items():  # the table stays consistent
        assert all(n in CONCEPTS for n in concept.narrower), key
        assert fold(key) in expand(key)


def test_unknown_words_stay_themselves_folded_and_plurals_find_their_concept() -> None:
    assert expand("Mikro-Bearbeitung") == ("mikro bearbeitung",) and expand("  ") == ()
    assert concept_of("Batteries") == "battery" and concept_of("Sensors") == "sensor"
    assert concept_of("Thüringen") is None


def test_long_words_match_as_word_starts_short_ones_only_whole() -> None:
    laser, ki = Term.of("laser"), Term.of("KI")
    assert laser.pattern.search(fold("Lasertechnik und Optik")) and not laser.pattern.search("bilaser")
    assert ki.pattern.search(fold("KI-gestützte Bildverarbeitung")) and not ki.pattern.search(fold("Kiel"))
    assert ki.pattern.search(fold("Künstliche Intelligenz für die Fertigung"))
    assert Term.of("Laser").lucene_phrases == ("laser*", "lasers")  # laser* already covers lasers
    assert "künstliche intelligenz" in ki.lucene_phrases and "ki" in ki.lucene_phrases  # as written, for Lucene
    assert Term.of("fuel cell").lucene_phrases[0] == "fuel cell"  # not folded to "ful cell"


def rows(term: str, *projects: tuple[str, float, list[str]]) -> list[dict]:
    return [
        {"term": term, "id": pid, "acronym": pid.upper(), "title": None, "start_year": 2018, "end_year": 2021,
         "score": score, "organisations": orgs}
        for pid, score, orgs in projects
    ]  # fmt: skip


def test_evidence_map_groups_projects_by_organisation_best_first() -> None:
    found = evidence_of(
        rows("laser", ("p1", 1.0, ["a", "b"]), ("p2", 2.0, ["a"])) + rows("optics", ("p1", 3.0, ["a", "b"]))
    )
    assert [p.id for p in found["a"]] == ["p1", "p2"] and [p.id for p in found["b"]] == ["p1"]
    p1 = found["a"][0]
    assert p1.keywords == ["laser", "optics"] and p1.score == 3.0 and p1.label == "P1 (2018-2021)"
    assert found["a"][0] is found["b"][0]


def test_fit_is_the_best_of_profile_place_and_project_count_per_term() -> None:
    profile = (("description", "Wir bauen Lasersysteme.", fold("Wir bauen Lasersysteme.")),)
    evidence = evidence_of(rows("laser", *((f"p{i}", 1.0, ["x"]) for i in range(3))))["x"]
    [term] = terms_of(["laser"])
    assert assess(profile, [], [term]).fit == pytest.approx(0.4)
    three = assess(profile, evidence, [term])
    assert three.fit == pytest.approx(1 - math.exp(-1.5)) and three.matches[0].where == "project"
    assert three.why == [
        "description 'Wir bauen Lasersysteme.' matches 'laser'",
        "3 projects on laser: P0 (2018-2021), P1 (2018-2021), P2 (2018-2021)",
    ]
    fields_only = assess(profile, evidence, terms_of([], ["laser"]))
    assert (fields_only.fit, fields_only.projects) == (0.0, [])  # fields are never looked up in projects


def test_topic_search_ranks_by_fit_then_projects_and_says_why() -> None:
    graph = nx.MultiDiGraph()
    for org, name, kind in [("a", "Lasertechnik Jena GmbH", "Company"), ("b", "Beta Institut", "ResearchInstitute"),
                            ("c", "Gamma AG", "Company"), ("d", "Delta", "Company")]:  # fmt: skip
        graph.add_node(org, labels=["Organisation", kind], kind=kind, name=name)
    snapshot = PathSnapshot.of(build_tie_graph(graph))
    evidence = evidence_of(rows("laser", ("p1", 1.0, ["b", "c"]), ("p2", 1.0, ["b"]), ("p3", 1.0, ["b"])))
    hits = find_by_topic(snapshot, evidence, "laser")
    assert [(h.id, round(h.fit, 2)) for h in hits] == [("b", 0.78), ("a", 0.6), ("c", 0.39)]
    assert hits[0].why.startswith("3 projects on laser: ") and hits[1].why.startswith("name 'Lasertechnik")
    assert [h.id for h in find_by_topic(snapshot, evidence, "laser", kind="Company")] == ["a", "c"]
