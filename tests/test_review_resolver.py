"""Resolver tuning and review decisions without a database: acronyms, truncated names, pairs that must never merge."""

from __future__ import annotations

import pytest

from innograph.loaders.resolve import Decision, KnownOrganisation, Resolver, name_key, review_id

CNRS = KnownOrganisation("pic:999997930", "CENTRE NATIONAL DE LA RECHERCHE SCIENTIFIQUE CNRS", ("CNRS",), "FR")
ST_ANDREWS = KnownOrganisation("pic:999984253", "THE UNIVERSITY COURT OF THE UNIVERSITY OF ST ANDREWS", (), "UK")
INSERM = KnownOrganisation("pic:999955541", "INSERM  TRANSFERT SA", ("IT",), "FR")
WAGENINGEN = KnownOrganisation("pic:999981634", "WAGENINGEN UNIVERSITY", ("WU",), "NL")
TITK = KnownOrganisation("pic:1", "THURINGISCHES INSTITUT FUR TEXTIL UND KUNSTSTOFF FORSCHUNG EV", (), "DE")


def resolver(*orgs: KnownOrganisation, merge_score: float = 95.0) -> Resolver:
    found = Resolver(merge_score=merge_score)
    found.add_all(orgs)
    return found


@pytest.mark.parametrize(
    "spelling",
    [
        "CENTRE NATIONAL DE LA RECHERCHE SCIENTIFIQUE",  # FP7: no acronym
        "Centre national de la recherche scientifique (CNRS)",
        "CNRS - Centre National de la Recherche Scientifique",
    ],
)
def test_the_cnrs_pair_merges_whether_or_not_the_acronym_is_written(spelling: str) -> None:
    found = resolver(CNRS)
    assert found.resolve(spelling, country="FR") == "pic:999997930"
    assert not found.review


def test_an_acronym_is_dropped_only_beside_the_name_it_spells() -> None:
    assert name_key("UNITED NATIONS EDUCATIONAL, SCIENTIFIC AND CULTURAL ORGANIZATION UNESCO") == name_key(
        "UNITED NATIONS EDUCATIONAL SCIENTIFIC AND CULTURAL ORGANIZATION"
    )
    assert name_key("INRA TRANSFERT S A") != name_key("INSERM  TRANSFERT SA")
    assert name_key("ACME BETA GAMMA XYZ") == "acme beta gamma xyz", "a last word that is not the initials stays"
    assert name_key("The University of Sussex") == name_key("UNIVERSITY OF SUSSEX")


@pytest.mark.parametrize(
    ("name", "country", "candidate"),
    [
        ("THE UNIVERSITY COURT OF THE UNIVERSITY OF ABERDEEN", "UK", ST_ANDREWS),
        ("INRA TRANSFERT S A", "FR", INSERM),
    ],
)
def test_similar_names_of_two_organisations_never_merge_but_are_listed(
    name: str, country: str, candidate: KnownOrganisation
) -> None:
    found = resolver(candidate)
    assert found.resolve(name, country=country, where="fp7.csv:9") is None
    [pair] = found.review
    assert (pair.name, pair.candidate_id, pair.where, pair.country) == (name, candidate.id, "fp7.csv:9", country)
    assert 85 <= pair.score < 95
    assert pair.incoming_id.startswith("org:"), "the name stays on its own node"


@pytest.mark.parametrize(
    "cut",
    [
        "THURINGISCHES INSTITUT FUR TEXTIL UND KUNSTSTOFF FORSCH",  # cut inside the last word
        "Thüringisches Institut für Textil- und Kunststoff-Fo",  # cut earlier, spelled otherwise
    ],
)
def test_a_name_cut_inside_a_word_matches_the_full_name_both_ways(cut: str) -> None:
    no_fuzzy = 100.5  # only the truncation rule can match
    assert resolver(TITK, merge_score=no_fuzzy).resolve(cut, country="DE") == "pic:1"
    stored_cut = KnownOrganisation("org:cut", cut, (), "DE")
    assert resolver(stored_cut, merge_score=no_fuzzy).resolve(TITK.name, country="DE") == "org:cut"


def test_a_cut_at_a_word_boundary_or_a_short_prefix_is_not_a_truncation() -> None:
    found = resolver(TITK)
    assert found.resolve("THURINGISCHES INSTITUT FUR TEXTIL UND", country="DE") is None, "word boundary: maybe another"
    assert (
        resolver(KnownOrganisation("pic:2", "UNIVERSITY OF STUTTGART", (), "DE")).resolve("UNIVERSITY OF STU") is None
    )


def test_decisions_merge_or_separate_a_pair_and_stop_listing_it() -> None:
    found = resolver(WAGENINGEN, INSERM)
    assert found.resolve("WAGENINGEN UNIVERSITEIT", country="NL") is None
    assert found.resolve("INRA TRANSFERT S A", country="FR") is None
    assert len(found.review) == 2
    decided = resolver(WAGENINGEN, INSERM)
    decided.decide(
        [
            Decision("Wageningen Universiteit", "NL", WAGENINGEN.id, same=True),  # another case: the same pair
            Decision("INRA TRANSFERT S A", "FR", INSERM.id, same=False),
        ]
    )
    assert decided.resolve("WAGENINGEN UNIVERSITEIT", country="NL") == WAGENINGEN.id
    assert decided.resolve("INRA TRANSFERT S A", country="FR") is None
    assert decided.review == [], "a decided pair is not listed again"
    assert decided.resolve("WAGENINGEN UNIVERSITEIT", country="BE") is None, "the decision is for that country"


def test_the_last_decision_on_a_pair_wins() -> None:
    found = resolver(WAGENINGEN)
    found.decide(
        [
            Decision("WAGENINGEN UNIVERSITEIT", "NL", WAGENINGEN.id, same=True),
            Decision("WAGENINGEN UNIVERSITEIT", "NL", WAGENINGEN.id, same=False),
        ]
    )
    assert found.resolve("WAGENINGEN UNIVERSITEIT", country="NL") is None and not found.review


def test_review_ids_are_stable_across_spellings_of_one_pair() -> None:
    assert review_id("Wageningen Universiteit", "NL", "pic:1") == review_id("WAGENINGEN  UNIVERSITEIT", "nl", "pic:1")
    assert review_id("Wageningen Universiteit", "NL", "pic:1") != review_id("Wageningen Universiteit", "NL", "pic:2")
    assert review_id("X GmbH", "GB", "pic:1") == review_id("X GmbH", "UK", "pic:1")


def test_a_name_only_node_beside_its_pic_is_not_a_doubt_but_two_pics_are() -> None:
    found = resolver(CNRS, KnownOrganisation("org:cnrs", "CENTRE NATIONAL DE LA RECHERCHE SCIENTIFIQUE", (), "FR"))
    assert found.resolve("Centre National de la Recherche Scientifique", country="FR") == CNRS.id
    assert not found.review
    found.add(KnownOrganisation("pic:2", "CNRS CENTRE NATIONAL DE LA RECHERCHE SCIENTIFIQUE", (), "FR"))
    assert found.resolve("Centre National de la Recherche Scientifique", country="FR") == "pic:2"
    assert [(p.candidate_id, p.score) for p in found.review] == [(CNRS.id, 100.0)]
