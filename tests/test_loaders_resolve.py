"""Entity resolution without a database: legal forms, umlauts, FSU Jena's spellings, societies, fuzzy review."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from innograph.graph.records import Organisation, OrganisationKind
from innograph.loaders.regions import organisation_region
from innograph.loaders.resolve import KnownOrganisation, Resolver, merge_organisations, name_key, org_slug, society_of


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Beispiel GmbH", "BEISPIEL G.m.b.H."),
        ("Beispiel GmbH & Co. KG", "Beispiel GmbH und Co KG"),
        ("Beispiel gGmbH", "Beispiel GmbH"),
        ("Verein für Optik e.V.", "VEREIN FUR OPTIK EV"),
        ("ADVA Optical Networking SE", "ADVA AG OPTICAL NETWORKING"),
        ("Acme Ltd", "ACME LIMITED"),
        ("Acme S.A.", "ACME SA"),
        ("Acme S.R.L.", "Acme SRL"),
        ("Musterbau Gesellschaft mbH", "Musterbau Gesellschaft"),
        ("Straßenbau Müller", "STRASSENBAU MUELLER"),
    ],
)
def test_legal_forms_umlauts_case_and_punctuation_fold_away(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_slugs_keep_the_legal_form_so_two_entities_stay_two() -> None:
    assert org_slug("Acme GmbH") == "org:acme-gmbh"
    assert org_slug("Acme SA") == "org:acme-sa"
    assert org_slug("Friedrich-Schiller-Universität Jena") == "org:friedrich-schiller-universitat-jena"
    assert len(org_slug("x" * 1000)) < 200 and org_slug("x" * 1000) == org_slug("x" * 1000)


@pytest.mark.parametrize(
    "spelling",
    [
        "Friedrich-Schiller-Universität Jena",
        "FRIEDRICH-SCHILLER-UNIVERSITAT JENA",
        "FRIEDRICH SCHILLER UNIVERSITAET JENA",
        "Friedrich Schiller Universitat Jena",
        "University of Jena",
    ],
)
def test_fsu_jena_spellings_resolve_to_the_pic(spelling: str) -> None:
    resolver = Resolver()
    resolver.add(
        KnownOrganisation("pic:999868726", "FRIEDRICH-SCHILLER-UNIVERSITAT JENA", ("UNIVERSITY OF JENA",), "DE")
    )
    resolver.add(KnownOrganisation("pic:999575204", "TECHNISCHE UNIVERSITAET ILMENAU", (), "DE"))
    assert resolver.resolve(spelling, country="DE") == "pic:999868726"
    assert resolver.resolve(spelling, country="FR") is None, "another country is another organisation"


def test_institutes_stay_distinct_from_their_society() -> None:
    fraunhofer = society_of("FRAUNHOFER GESELLSCHAFT ZUR FOERDERUNG DER ANGEWANDTEN FORSCHUNG E.V.")
    assert fraunhofer and fraunhofer.is_society and fraunhofer.society.id == "pic:999984059"
    iof = society_of("Fraunhofer-Institut für Angewandte Optik und Feinmechanik IOF")
    assert iof and not iof.is_society and iof.society is fraunhofer.society
    assert society_of("Fraunhofer IOF") == iof
    ipht = society_of("LEIBNIZ-INSTITUT FUER PHOTONISCHE TECHNOLOGIEN E.V.")
    assert ipht and not ipht.is_society and ipht.society.id == "org:leibniz-gemeinschaft"
    assert society_of("Max-Planck-Institut für Biogeochemie").society.marker == "max planck"  # type: ignore[union-attr]
    assert society_of("GSI Helmholtzzentrum für Schwerionenforschung GmbH").society.marker == "helmholtz"  # type: ignore[union-attr]
    assert society_of("Gottfried Wilhelm Leibniz Universität Hannover") is None
    assert society_of("Fraunhofer Austria Research GmbH") is None

    resolver = Resolver()
    resolver.add(
        KnownOrganisation("pic:999984059", "FRAUNHOFER GESELLSCHAFT ZUR FORDERUNG DER ANGEWANDTEN FORSCHUNG EV")
    )
    assert resolver.resolve("Fraunhofer-Institut für Angewandte Optik und Feinmechanik") is None


def test_fuzzy_matches_merge_only_above_the_threshold_and_go_to_review(tmp_path: Path) -> None:
    resolver = Resolver(merge_score=95, review_score=85)
    resolver.add(KnownOrganisation("pic:1", "Thüringer Institut für Textil- und Kunststoff-Forschung", (), "DE"))
    resolver.add(KnownOrganisation("pic:2", "Wageningen University", (), "NL"))
    # a typo: merged
    assert resolver.resolve("Thuringer Institut fur Textil und Kunststoff Forschung", country="DE") == "pic:1"
    assert resolver.resolve("Thüringer Institut für Textil- und Kunstoff-Forschung", country="DE") == "pic:1"
    # similar but not the same: not merged, written for review
    assert resolver.resolve("Wageningen Universiteit", country="NL", where="fp7.csv:7") is None
    assert resolver.resolve("Completely Different Name") is None
    path = resolver.write_review(tmp_path / "review" / "pairs.csv")
    assert path is not None
    with path.open(encoding="utf-8") as handle:
        pairs = list(csv.DictReader(handle))
    assert [(p["where"], p["name"], p["candidate_id"]) for p in pairs] == [
        ("fp7.csv:7", "Wageningen Universiteit", "pic:2")
    ]
    assert 85 <= float(pairs[0]["score"]) < 95


def test_fuzzy_never_merges_different_numbers() -> None:
    resolver = Resolver(merge_score=90)
    resolver.add(KnownOrganisation("org:a", "Technologiepark Musterstadt 1 GmbH"))
    assert resolver.resolve("Technologiepark Musterstadt 2 GmbH") is None


def test_merging_records_keeps_every_spelling() -> None:
    upper = Organisation(id="pic:1", kind=OrganisationKind.OTHER, name="BEISPIEL GMBH", city="JENA", sources=["a"])
    nice = Organisation(
        id="pic:1", kind=OrganisationKind.COMPANY, name="Beispiel GmbH", website="www.x.de", sources=["b"]
    )
    merged = merge_organisations(upper, nice)
    assert (merged.name, merged.aliases, merged.kind) == ("Beispiel GmbH", ["BEISPIEL GMBH"], OrganisationKind.COMPANY)
    assert (merged.city, merged.website, merged.sources) == ("JENA", "www.x.de", ["a", "b"])


def test_thuringian_regions() -> None:
    assert organisation_region(country="DE", nuts=None, city="Jena", postcode="07745") == "DEG03"
    assert organisation_region(country="DE", nuts=None, city="ILMENAU", postcode=None, state="DEG") == "DEG0F"
    assert organisation_region(country="DE", nuts=None, city=None, postcode=None, state="DEG") == "DEG"
    assert organisation_region(country="DE", nuts=None, city="Plauen", postcode="08523") is None
    assert organisation_region(country="DK", nuts="DK050", city="Aalborg", postcode="9220") == "DK050"
