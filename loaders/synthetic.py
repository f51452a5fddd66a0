"""A synthetic innovation ecosystem: fictional organisations in a realistic shape, deterministic for a seed.

Why: the demo and the benchmarks need data of any size (1k to 1M organisations) that is neither personal
nor licensed. The shape mimics a regional ecosystem such as Thuringia's:

* a few universities and research institutes are the hubs (they join far more projects than anyone else),
  companies are the majority, and one cluster organisation manages each cluster;
* every cluster, institute topic and technology belongs to one specialisation field, and projects draw
  most partners from their field;
* consortium sizes are heavy-tailed: most projects have 2-6 partners, some 7-30, a rare few 100+;
* most organisations sit in a few NUTS-3 districts (the real Thuringian codes, so maps and region
  queries work), hubs even more so.

Names are invented from syllables and fictional towns, websites end in ``.example``; only the NUTS codes
and district names are real. Everything is drawn from one ``random.Random(seed)`` in a fixed order, so the
same seed gives identical records (on one Python version: ``random`` may change its
algorithms between versions). Memory and time are linear in the number of organisations (about ten
participations per organisation; consortia are drawn from cumulative-weight pools, never from pairs).

Over 400 lines on purpose: most of it is the generator's vocabulary (fields, names, districts),
which is data, kept next to the few functions that draw from it.
"""

from __future__ import annotations

from bisect import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from math import log
from random import Random
from typing import TypeVar

from innograph.graph import records
from innograph.graph import steps as st
from innograph.graph.records import OrganisationKind as Kind
from innograph.graph.store import Counts
from innograph.text import slug

T = TypeVar("T")
MIN_ORGS = 100
PARTICIPATIONS_PER_ORG = 10


def _words(text: str) -> tuple[str, ...]:
    """A vocabulary written as ``"a|b|c"`` (keeps the tables below one line per entry)."""
    return tuple(text.split("|"))


@dataclass(frozen=True)
class _FieldVocabulary:
    """One specialisation field: its share of organisations and its words for names, titles and technologies."""

    slug: str
    name: str
    weight: float
    company_words: tuple[str, ...]
    institute_topics: tuple[str, ...]
    cluster_stem: str
    applications: tuple[str, ...]
    technologies: tuple[str, ...]

    @classmethod
    def of(cls, slug: str, name: str, weight: float, *lists: str, stem: str) -> _FieldVocabulary:
        """Build from ``"|"``-separated word lists: company words, institute topics, applications, technologies."""
        company_words, topics, applications, technologies = (_words(text) for text in lists)
        return cls(slug, name, weight, company_words, topics, stem, applications, technologies)


FIELDS: tuple[_FieldVocabulary, ...] = (
    _FieldVocabulary.of(
        "optics-photonics", "Optics & Photonics", 0.20,
        "Photonics|Optik|Lasertechnik|Optronik|Präzisionsoptik",
        "Angewandte Optik|Photonische Systeme|Optische Messtechnik|Ultrapräzisionsoptik",
        "semiconductor lithography|space instruments|quality inspection",
        "laser micro-machining|optical coatings|fibre lasers|optical metrology|precision optics|imaging sensors|"
        "ultrashort pulse lasers|micro-optics|spectroscopy|photonic integrated circuits",
        stem="Photonik-Verbund",
    ),
    _FieldVocabulary.of(
        "medical-technology", "Medical Technology", 0.14,
        "Medizintechnik|MedTech|Diagnostics|Biosysteme",
        "Angewandte Mikrofluidik|Biomedizinische Technik|Medizinische Bildgebung|Diagnostische Systeme",
        "early cancer diagnosis|personalised implants|clinical laboratories",
        "microfluidics|medical imaging|in-vitro diagnostics|biosensors|implant technology|surgical instruments|"
        "biomaterials|telemedicine|lab automation|point-of-care testing",
        stem="MedTech-Netzwerk",
    ),
    _FieldVocabulary.of(
        "automotive", "Automotive & Mobility", 0.16,
        "Fahrzeugtechnik|Automotive|Antriebstechnik|Zuliefertechnik",
        "Fahrzeugsysteme|Elektrische Antriebe|Leichtbau|Fertigungstechnik",
        "electric vehicles|rail vehicles|commercial vehicles",
        "electric drives|lightweight construction|battery systems|driver assistance systems|powertrain testing|"
        "vehicle electronics|tool and die making|metal casting|surface treatment",
        stem="Mobilitäts-Cluster",
    ),
    _FieldVocabulary.of(
        "energy-greentech", "Energy & Greentech", 0.13,
        "Energietechnik|Solar|GreenTech|Umwelttechnik",
        "Erneuerbare Energien|Energiespeicher|Umwelttechnik|Wasserstofftechnologie",
        "rural energy supply|industrial decarbonisation|municipal utilities",
        "photovoltaics|energy storage|hydrogen technology|heat pumps|smart grids|recycling|water treatment|"
        "wind energy|energy efficiency",
        stem="GreenTech-Allianz",
    ),
    _FieldVocabulary.of(
        "it-software", "IT & Software", 0.19,
        "Software|Informatik|Data Systems|Digital",
        "Angewandte Informatik|Datenwissenschaft|Eingebettete Systeme|IT-Sicherheit",
        "smart manufacturing|public administration|logistics",
        "machine learning|embedded systems|cybersecurity|cloud computing|data analytics|digital twins|"
        "industrial iot|computer vision|erp software",
        stem="Software-Netzwerk",
    ),
    _FieldVocabulary.of(
        "plastics", "Plastics & Materials", 0.10,
        "Kunststofftechnik|Polymer|Formenbau|Compounds",
        "Polymerwerkstoffe|Kunststoffverarbeitung|Verbundwerkstoffe",
        "packaging|construction materials|consumer goods",
        "injection moulding|polymer compounding|fibre composites|additive manufacturing|extrusion|bioplastics|"
        "plastic recycling|adhesives",
        stem="Kunststoff-Verbund",
    ),
    _FieldVocabulary.of(
        "food", "Food & Nutrition", 0.08,
        "Feinkost|Lebensmitteltechnik|Backwaren|Nahrungsmittel",
        "Lebensmitteltechnologie|Ernährungsforschung|Agrarsysteme",
        "regional food chains|school catering|food retail",
        "food processing|food safety testing|packaging technology|fermentation|bakery technology|functional food|"
        "precision agriculture|brewing technology",
        stem="Ernährungs-Netzwerk",
    ),
)  # fmt: skip

# Real NUTS 2021 districts of Thuringia: (code, name, share of organisations, approximate centre lat/lon).
# The top three hold well over half of all organisations, as in the real ecosystem.
DISTRICTS: tuple[tuple[str, str, float, float, float], ...] = (
    ("DEG03", "Jena, Kreisfreie Stadt", 0.26, 50.93, 11.59),
    ("DEG01", "Erfurt, Kreisfreie Stadt", 0.20, 50.98, 11.03),
    ("DEG0F", "Ilm-Kreis", 0.13, 50.72, 10.95),
    ("DEG05", "Weimar, Kreisfreie Stadt", 0.05, 50.98, 11.33),
    ("DEG02", "Gera, Kreisfreie Stadt", 0.04, 50.88, 12.08),
    ("DEG0C", "Gotha", 0.03, 50.90, 10.70),
    ("DEG0I", "Saalfeld-Rudolstadt", 0.03, 50.65, 11.36),
    ("DEG0B", "Schmalkalden-Meiningen", 0.03, 50.65, 10.45),
    ("DEG0N", "Eisenach, Kreisfreie Stadt", 0.025, 50.97, 10.32),
    ("DEG0P", "Wartburgkreis", 0.02, 50.85, 10.15),
    ("DEG07", "Nordhausen", 0.02, 51.50, 10.79),
    ("DEG0J", "Saale-Holzland-Kreis", 0.02, 50.90, 11.80),
    ("DEG04", "Suhl, Kreisfreie Stadt", 0.015, 50.61, 10.69),
    ("DEG0L", "Greiz", 0.015, 50.75, 12.15),
    ("DEG06", "Eichsfeld", 0.015, 51.38, 10.20),
    ("DEG09", "Unstrut-Hainich-Kreis", 0.015, 51.20, 10.50),
    ("DEG0G", "Weimarer Land", 0.015, 50.95, 11.40),
    ("DEG0K", "Saale-Orla-Kreis", 0.01, 50.60, 11.70),
    ("DEG0M", "Altenburger Land", 0.01, 50.98, 12.43),
    ("DEG0D", "Sömmerda", 0.01, 51.15, 11.10),
    ("DEG0A", "Kyffhäuserkreis", 0.01, 51.35, 11.05),
    ("DEG0E", "Hildburghausen", 0.01, 50.43, 10.73),
    ("DEG0H", "Sonneberg", 0.01, 50.36, 11.17),
)
STATE = ("DEG", "Thüringen")
COUNTRY = ("DE", "Deutschland")

# Fictional towns: optional prefix + stem + ending ("Bad Lindenfeld", "Obereichenrode").
_TOWN_PREFIXES = ("", "Bad ", "Neu", "Ober", "Unter", "Alt")
_TOWN_STEMS = _words("Linden|Eichen|Birken|Tannen|Buchen|Erlen|Wald|Rosen|Falken|Kranich|Hasel|Ulmen|Weiden|Espen|"
                     "Ahorn|Lerchen|Otter|Biber|Finken|Hirsch|Dachs|Moos|Farn|Quell")  # fmt: skip
_TOWN_ENDINGS = _words("au|feld|bach|hagen|rode|stedt|leben|burg|thal|brück|hausen|dorf|grund|heim")
# Fictional brands: onset + middle + ending ("Nordwald", "Lumetron").
_BRAND_ONSETS = _words("Nord|Sued|Lum|Vel|Kor|Tri|Aqu|Sil|Fal|Lin|Ber|Sal|Wal|Hel|Mar|Ter|Vis|Al|Cor|Dur|Fer|Gal|"
                       "Hor|Kal|Mir")  # fmt: skip
_BRAND_MIDDLES = _words("||a|e|i|o|ri|la|ne")
_BRAND_ENDINGS = _words("wald|tek|lux|vis|tron|ion|ana|ix|ora|mark|stein|ent|ar|on|tec|is|quant|sys|med|form")
_BRANDS = tuple(
    onset + middle + ending for onset in _BRAND_ONSETS for middle in _BRAND_MIDDLES for ending in _BRAND_ENDINGS
)
_LEGAL_FORMS = _words("GmbH|GmbH & Co. KG|UG (haftungsbeschränkt)|AG|e.K.|KG|SE")
_LEGAL_FORM_WEIGHTS = list(accumulate((60, 12, 8, 5, 5, 5, 1)))
_SIZE_CLASSES = ("micro", "small", "medium", "large")
_SIZE_CLASS_WEIGHTS = list(accumulate((45, 30, 18, 7)))
_TEMPLATES = {
    Kind.UNIVERSITY: _words("Universität {town}|Technische Universität {town}|Hochschule {town}|"
                            "Fachhochschule {town}|Hochschule für Technik und Wirtschaft {town}"),
    Kind.RESEARCH_INSTITUTE: _words("Institut für {topic} {town}|{town}er Institut für {topic}|"
                                    "Zentrum für {topic} {town} e.V.|Forschungsinstitut für {topic} {town} gGmbH"),
    Kind.PUBLIC_BODY: _words("Stadtverwaltung {town}|Wirtschaftsförderung {town}|Handwerkskammer {town}|"
                             "Landesamt für Innovation {town}|Kreisverwaltung {town}"),
    Kind.OTHER: _words("Gründerzentrum {town}|Technologietransfer {town} e.V.|Stiftung {brand}|"
                       "Förderverein {brand} e.V.|Innovationswerkstatt {town} gGmbH"),
}  # fmt: skip
_TITLE_ADJECTIVES = _words(
    "Scalable|Intelligent|Sustainable|High-precision|Adaptive|Networked|Low-cost|Next-generation"
)
# (programme, first year, last year, weight for consortia up to 10 partners, weight for larger ones)
_PROGRAMMES = (
    ("FP7", 2008, 2013, 1, 3),
    ("Horizon 2020", 2014, 2020, 2, 6),
    ("Horizon Europe", 2021, 2025, 2, 5),
    ("ZIM", 2010, 2025, 5, 0),
    ("KMU-innovativ", 2008, 2025, 3, 0),
    ("EFRE Thüringen", 2008, 2025, 4, 1),
)
_PROGRAMME_WEIGHTS = {large: list(accumulate(p[4] if large else p[3] for p in _PROGRAMMES)) for large in (False, True)}
# Consortium sizes: (probability, smallest, largest), log-uniform inside a band: a heavy tail.
_SIZE_BANDS = ((0.88, 2, 6), (0.115, 7, 30), (0.004, 31, 99), (0.001, 100, 250))
_RESEARCH_SLOT_SHARE = 0.3  # chance that a consortium slot goes to a university or institute
_FIELD_SLOT_SHARE = 0.8  # chance that any other slot goes to an organisation of the project's field
_SHARES = {  # share of all organisations per kind (cluster organisations: one per cluster)
    Kind.UNIVERSITY: 0.004,
    Kind.RESEARCH_INSTITUTE: 0.015,
    Kind.PUBLIC_BODY: 0.03,
    Kind.OTHER: 0.03,
}
_MINIMUM = {Kind.UNIVERSITY: 2, Kind.RESEARCH_INSTITUTE: 3, Kind.PUBLIC_BODY: 1, Kind.OTHER: 1}
# Activity: how strongly an organisation attracts project slots (scale, lognormal sigma).
_ACTIVITY = {
    Kind.UNIVERSITY: (25.0, 0.4),
    Kind.RESEARCH_INSTITUTE: (10.0, 0.5),
    Kind.COMPANY: (1.0, 0.9),
    Kind.CLUSTER_ORGANISATION: (1.5, 0.0),
    Kind.PUBLIC_BODY: (0.4, 0.5),
    Kind.OTHER: (0.4, 0.5),
}
_MEMBERSHIP_CHANCE = {Kind.UNIVERSITY: 0.9, Kind.RESEARCH_INSTITUTE: 0.6, Kind.COMPANY: 0.25,
                      Kind.PUBLIC_BODY: 0.3, Kind.OTHER: 0.3}  # fmt: skip
_RESEARCH = (Kind.UNIVERSITY, Kind.RESEARCH_INSTITUTE)
_FIELD_WEIGHTS = list(accumulate(f.weight for f in FIELDS))
_DISTRICT_WEIGHTS = list(accumulate(d[2] for d in DISTRICTS))
_HUB_DISTRICT_WEIGHTS = list(accumulate(d[2] ** 2 for d in DISTRICTS))  # hubs cluster even more


def _pick(rng: Random, items: Sequence[T], cumulative: Sequence[float]) -> T:
    """One item drawn by cumulative weights (what ``rng.choices`` does for k=1, at a fraction of its cost)."""
    return items[min(len(items) - 1, bisect(cumulative, rng.random() * cumulative[-1]))]


@dataclass(frozen=True)
class SyntheticEcosystem:
    """The generated records, grouped by kind, ready for :func:`steps`."""

    seed: int
    regions: list[records.Region]
    region_parents: list[records.Link]
    fields: list[records.SpecialisationField]
    technologies: list[records.Technology]
    organisations: list[records.Organisation]
    clusters: list[records.Cluster]
    projects: list[records.Project]
    location_links: list[records.Link]
    field_links: list[records.Link]
    technology_links: list[records.Link]
    management: list[records.Management]
    memberships: list[records.Membership]
    participations: list[records.Participation]

    def expected_counts(self) -> Counts:
        """Node and relationship counts a load into an empty graph must read back.

        COOPERATES_WITH is left out: Neo4j derives it from the participations.
        """
        labels = {
            "Organisation": len(self.organisations),
            "Cluster": len(self.clusters),
            "Project": len(self.projects),
            "Field": len(self.fields),
            "Technology": len(self.technologies),
            "Region": len(self.regions),
        }
        for org in self.organisations:
            labels[org.kind.value] = labels.get(org.kind.value, 0) + 1
        relationships = {
            "MEMBER_OF": len(self.memberships),
            "MANAGES": len(self.management),
            "PARTICIPATES_IN": len(self.participations),
            "ACTIVE_IN": len(self.field_links),
            "OFFERS": len(self.technology_links),
            "LOCATED_IN": len(self.location_links),
            "PART_OF": len(self.region_parents),
        }
        return Counts(labels=dict(sorted(labels.items())), relationships=dict(sorted(relationships.items())))


def steps(ecosystem: SyntheticEcosystem) -> list[st.Step]:
    """The store steps in write order: nodes, then links, then cooperation derived over every project."""
    eco = ecosystem
    return [
        st.regions(eco.regions),
        st.fields(eco.fields),
        st.technologies(eco.technologies),
        st.organisations(eco.organisations),
        st.clusters(eco.clusters),
        st.projects(eco.projects),
        st.region_parents(eco.region_parents),
        st.location_links(eco.location_links),
        st.field_links(eco.field_links),
        st.technology_links(eco.technology_links),
        st.management(eco.management),
        st.memberships(eco.memberships),
        st.participations(eco.participations),
        st.derive_cooperation(project.id for project in eco.projects),
    ]


def generate(orgs: int, seed: int) -> SyntheticEcosystem:
    """A fictional ecosystem of ``orgs`` organisations (at least :data:`MIN_ORGS`), identical for a seed."""
    if orgs < MIN_ORGS:
        raise ValueError(f"a synthetic ecosystem needs at least {MIN_ORGS} organisations, got {orgs}")
    return _Generator(orgs, seed).run()


# --- the generator -----------------------------------------------------------


@dataclass(frozen=True)
class _Town:
    name: str
    district: str
    postcode: str
    lat: float
    lon: float


@dataclass(frozen=True)
class _ClusterHome:
    """Where a cluster belongs: its field, its manager's district, the year it was founded."""

    field_index: int
    district: str
    founded: int


@dataclass(slots=True)
class _Actor:
    """What the generator needs to know about an organisation while drawing its ties."""

    id: str
    kind: Kind
    town: _Town
    fields: tuple[int, ...]  # indices into FIELDS, main field first
    activity: float


class _Pool:
    """Organisations to draw from, in proportion to their activity (cumulative weights, O(log n) per draw)."""

    def __init__(self, actors: Sequence[int], weights: Sequence[float]) -> None:
        self.actors = list(actors)
        self.cumulative = list(accumulate(weights))

    def draw(self, rng: Random, k: int) -> list[int]:
        """``k`` actors drawn with replacement."""
        return [_pick(rng, self.actors, self.cumulative) for _ in range(k)]


class _Names:
    """Hands out unique names: retries a maker a few times, then numbers the name."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def unique(self, make: Callable[[], str], tries: int = 8) -> str:
        name = make()
        for _ in range(tries):
            if name not in self._seen:
                break
            name = make()
        base, n = name, 1
        while name in self._seen:
            n += 1
            name = f"{base} {n}"
        self._seen.add(name)
        return name


class _Generator:
    """Draws one ecosystem; the order of the draws is part of the determinism contract."""

    def __init__(self, orgs: int, seed: int) -> None:
        self.n = orgs
        self.seed = seed
        self.rng = Random(seed)
        self.sources = [f"synthetic:seed={seed}"]
        self.names = _Names()
        self.towns: dict[str, list[_Town]] = {}
        self.actors: list[_Actor] = []
        self.tech_ids: list[list[str]] = [[f"tech:{slug(t)}" for t in f.technologies] for f in FIELDS]
        self.cluster_homes: list[_ClusterHome] = []

    def run(self) -> SyntheticEcosystem:
        regions, region_parents = self._regions()
        organisations = self._organisations()
        clusters, management = self._clusters(organisations)
        field_links, technology_links, location_links = self._profiles()
        memberships = self._memberships(clusters)
        projects, participations = self._projects()
        return SyntheticEcosystem(
            seed=self.seed,
            regions=regions,
            region_parents=region_parents,
            fields=[
                records.SpecialisationField(id=f"field:{f.slug}", name=f.name, sources=self.sources) for f in FIELDS
            ],
            technologies=[
                records.Technology(id=tech_id, name=name, sources=self.sources)
                for f, ids in zip(FIELDS, self.tech_ids, strict=True)
                for tech_id, name in zip(ids, f.technologies, strict=True)
            ],
            organisations=organisations,
            clusters=clusters,
            projects=projects,
            location_links=location_links,
            field_links=field_links,
            technology_links=technology_links,
            management=management,
            memberships=memberships,
            participations=participations,
        )

    # -- geography --

    def _regions(self) -> tuple[list[records.Region], list[records.Link]]:
        """Country, state and districts (with PART_OF), and fictional towns in every district."""
        rng, src = self.rng, self.sources
        regions = [
            records.Region(id=COUNTRY[0], name=COUNTRY[1], level=0, sources=src),
            records.Region(id=STATE[0], name=STATE[1], level=1, sources=src),
        ]
        parents = [records.Link(from_id=STATE[0], to_id=COUNTRY[0], sources=src)]
        combos = [
            prefix + (stem if prefix in ("", "Bad ") else stem.lower()) + ending
            for prefix in _TOWN_PREFIXES
            for stem in _TOWN_STEMS
            for ending in _TOWN_ENDINGS
        ]
        per_district = min(3 + self.n // 20_000, len(combos) // len(DISTRICTS))
        names = iter(rng.sample(combos, per_district * len(DISTRICTS)))
        for code, name, _, lat, lon in DISTRICTS:
            regions.append(records.Region(id=code, name=name, level=3, sources=src))
            parents.append(records.Link(from_id=code, to_id=STATE[0], sources=src))
            self.towns[code] = [
                _Town(
                    name=next(names),
                    district=code,
                    postcode=f"{rng.randint(4000, 99999):05d}",
                    lat=round(lat + rng.uniform(-0.08, 0.08), 4),
                    lon=round(lon + rng.uniform(-0.1, 0.1), 4),
                )
                for _ in range(per_district)
            ]
        return regions, parents

    def _town(self, hub: bool) -> _Town:
        """A town, its district drawn by share (squared for hubs)."""
        weights = _HUB_DISTRICT_WEIGHTS if hub else _DISTRICT_WEIGHTS
        code = _pick(self.rng, DISTRICTS, weights)[0]
        return self.rng.choice(self.towns[code])

    # -- organisations --

    def _kind_counts(self) -> dict[Kind, int]:
        counts = {kind: max(_MINIMUM[kind], round(self.n * share)) for kind, share in _SHARES.items()}
        counts[Kind.CLUSTER_ORGANISATION] = self.cluster_count()
        counts[Kind.COMPANY] = self.n - sum(counts.values())
        return counts

    def cluster_count(self) -> int:
        """One cluster per field, plus one more per field for every 25k organisations."""
        return len(FIELDS) * (1 + self.n // 25_000)

    def _fields_of(self, kind: Kind) -> tuple[int, ...]:
        """Main field first; universities span several fields, institutes one or two, others mostly one."""
        rng = self.rng
        main = _pick(rng, range(len(FIELDS)), _FIELD_WEIGHTS)
        others = [i for i in range(len(FIELDS)) if i != main]
        if kind is Kind.UNIVERSITY:
            extra = rng.sample(others, rng.randint(2, 5))
        elif kind is Kind.RESEARCH_INSTITUTE or rng.random() < 0.2:
            extra = rng.sample(others, rng.randint(0, 1))
        else:
            extra = []
        return (main, *extra)

    def _organisations(self) -> list[records.Organisation]:
        """Every organisation except the cluster organisations (made with their clusters)."""
        result = []
        for kind, count in self._kind_counts().items():
            if kind is Kind.CLUSTER_ORGANISATION:
                continue
            for _ in range(count):
                fields = self._fields_of(kind)
                town = self._town(hub=kind in _RESEARCH)
                result.append(self._organisation(kind, town, fields, self._name(kind, town, fields[0])))
        return result

    def _organisation(self, kind: Kind, town: _Town, fields: tuple[int, ...], name: str) -> records.Organisation:
        """Registers an actor and returns its record."""
        rng = self.rng
        scale, sigma = _ACTIVITY[kind]
        actor = _Actor(f"syn:org:{len(self.actors) + 1}", kind, town, fields, scale * rng.lognormvariate(0, sigma))
        self.actors.append(actor)
        return records.Organisation(
            id=actor.id,
            kind=kind,
            name=name,
            city=town.name,
            postcode=town.postcode,
            country="DE",
            region=town.district,
            lat=round(town.lat + rng.uniform(-0.01, 0.01), 5),
            lon=round(town.lon + rng.uniform(-0.01, 0.01), 5),
            website=f"https://www.{slug(name)}.example",
            size_class=self._size_class(kind),
            founded=(1850 if kind is Kind.UNIVERSITY else 1990) + rng.randint(0, 34),
            sources=self.sources,
        )

    def _size_class(self, kind: Kind) -> str | None:
        if kind is Kind.COMPANY:
            return _pick(self.rng, _SIZE_CLASSES, _SIZE_CLASS_WEIGHTS)
        return "large" if kind in _RESEARCH else None

    def _name(self, kind: Kind, town: _Town, field_index: int) -> str:
        """A unique fictional name fitting the kind, the town and the main field."""
        rng, vocabulary = self.rng, FIELDS[field_index]

        def make() -> str:
            if kind is Kind.COMPANY:
                legal = _pick(rng, _LEGAL_FORMS, _LEGAL_FORM_WEIGHTS)
                stem = town.name if rng.random() < 0.25 else rng.choice(_BRANDS)
                return f"{stem} {rng.choice(vocabulary.company_words)} {legal}"
            return rng.choice(_TEMPLATES[kind]).format(
                town=town.name, topic=rng.choice(vocabulary.institute_topics), brand=rng.choice(_BRANDS)
            )

        return self.names.unique(make)

    # -- clusters --

    def _clusters(
        self, organisations: list[records.Organisation]
    ) -> tuple[list[records.Cluster], list[records.Management]]:
        """Clusters round-robin over the fields, each with the cluster organisation that manages it."""
        clusters, management = [], []
        cluster_names = _Names()
        for i in range(self.cluster_count()):
            field_index = i % len(FIELDS)
            vocabulary = FIELDS[field_index]
            town = self._town(hub=True)
            name = cluster_names.unique(lambda v=vocabulary, t=town: f"{v.cluster_stem} {t.name}")
            cluster_id = f"cluster:{slug(name)}"
            clusters.append(
                records.Cluster(
                    id=cluster_id,
                    name=name,
                    field=f"field:{vocabulary.slug}",
                    description=f"Fictional {vocabulary.name} network around {town.name}.",
                    sources=self.sources,
                )
            )
            manager_name = self.names.unique(lambda n=name: f"{n} e.V.")
            organisations.append(self._organisation(Kind.CLUSTER_ORGANISATION, town, (field_index,), manager_name))
            management.append(
                records.Management(org_id=self.actors[-1].id, cluster_id=cluster_id, sources=self.sources)
            )
            self.cluster_homes.append(_ClusterHome(field_index, town.district, self.rng.randint(2000, 2015)))
        return clusters, management

    def _memberships(self, clusters: list[records.Cluster]) -> list[records.Membership]:
        """Organisations join a cluster of their main field, preferring one in their own district."""
        rng = self.rng
        homes = self.cluster_homes
        by_field: dict[int, list[int]] = {}
        for i, home in enumerate(homes):
            by_field.setdefault(home.field_index, []).append(i)
        result = []
        for actor in self.actors:
            chance = _MEMBERSHIP_CHANCE.get(actor.kind, 0.0)
            if rng.random() >= chance:
                continue
            candidates = by_field[actor.fields[0]]
            local = [c for c in candidates if homes[c].district == actor.town.district]
            c = rng.choice(local if local and rng.random() < 0.7 else candidates)
            since = rng.randint(homes[c].founded, 2025)
            role = (
                "founding member"
                if since == homes[c].founded
                else ("board member" if rng.random() < 0.04 else "member")
            )
            result.append(
                records.Membership(
                    org_id=actor.id, cluster_id=clusters[c].id, since=since, role=role, sources=self.sources
                )
            )
        return result

    # -- profiles: fields, technologies, location --

    def _profiles(self) -> tuple[list[records.Link], list[records.Link], list[records.Link]]:
        """ACTIVE_IN every field of an actor, OFFERS technologies of its fields, LOCATED_IN its district."""
        rng, src = self.rng, self.sources
        field_links, technology_links, location_links = [], [], []
        for actor in self.actors:
            location_links.append(records.Link(from_id=actor.id, to_id=actor.town.district, sources=src))
            offered: dict[str, None] = {}
            for rank, field_index in enumerate(actor.fields):
                field_links.append(
                    records.Link(from_id=actor.id, to_id=f"field:{FIELDS[field_index].slug}", sources=src)
                )
                if actor.kind is Kind.CLUSTER_ORGANISATION:
                    continue
                vocabulary = self.tech_ids[field_index]
                many = actor.kind in _RESEARCH or rank == 0
                offered.update(dict.fromkeys(rng.sample(vocabulary, rng.randint(1, 4 if many else 1))))
            technology_links.extend(records.Link(from_id=actor.id, to_id=t, sources=src) for t in offered)
        return field_links, technology_links, location_links

    # -- projects --

    def _pools(self) -> tuple[list[_Pool], list[_Pool], _Pool]:
        """Per field: research pool and pool of everyone else; plus one pool of all organisations."""
        research: list[_Pool] = []
        others: list[_Pool] = []
        everyone = range(len(self.actors))
        for f in range(len(FIELDS)):
            members = [i for i in everyone if f in self.actors[i].fields]
            hubs = [i for i in members if self.actors[i].kind in _RESEARCH]
            hubs = hubs or [i for i in everyone if self.actors[i].kind in _RESEARCH]
            rest = [i for i in members if self.actors[i].kind not in _RESEARCH] or list(everyone)
            research.append(_Pool(hubs, [self.actors[i].activity for i in hubs]))
            others.append(_Pool(rest, [self.actors[i].activity for i in rest]))
        return research, others, _Pool(everyone, [a.activity for a in self.actors])

    def _size(self, cap: int) -> int:
        """A consortium size from the heavy-tailed bands, at most ``cap``."""
        rng = self.rng
        u, bands = rng.random(), iter(_SIZE_BANDS)
        probability, low, high = next(bands)
        for band in bands:
            if u < probability:
                break
            u -= probability
            probability, low, high = band
        return min(cap, int(low * ((high + 1) / low) ** rng.random()))

    def _consortium(self, size: int, research: _Pool, others: _Pool, everyone: _Pool) -> list[int]:
        """Distinct partners: research hubs first (most projects have one), then the field, then anyone."""
        rng = self.rng
        hubs = sum(rng.random() < _RESEARCH_SLOT_SHARE for _ in range(size))
        if hubs == 0 and rng.random() < 0.6:
            hubs = 1
        in_field = round((size - hubs) * _FIELD_SLOT_SHARE)
        chosen: dict[int, None] = {}
        for pool, want in ((research, min(hubs, len(research.actors))), (others, in_field)):
            target = len(chosen) + want
            for _ in range(4):  # a few rounds of redraws; a small pool leaves the rest to everyone
                chosen.update(dict.fromkeys(pool.draw(rng, target - len(chosen))))
                if len(chosen) >= target:
                    break
        while len(chosen) < size:
            chosen.update(dict.fromkeys(everyone.draw(rng, size - len(chosen))))
        return list(chosen)[:size]

    def _projects(self) -> tuple[list[records.Project], list[records.Participation]]:
        """Projects until every organisation has about ten participations on average."""
        rng, src = self.rng, self.sources
        research, others, everyone = self._pools()
        projects, participations = [], []
        ids = [actor.id for actor in self.actors]
        field_indices = range(len(FIELDS))
        target = self.n * PARTICIPATIONS_PER_ORG
        while len(participations) < target:
            f = _pick(rng, field_indices, _FIELD_WEIGHTS)
            size = self._size(cap=self.n // 4)
            partners = self._consortium(size, research[f], others[f], everyone)
            project = self._project(len(projects) + 1, FIELDS[f], size)
            projects.append(project)
            share = (project.funding or 0.0) / size
            participations.extend(
                records.Participation(
                    org_id=ids[partner],
                    project_id=project.id,
                    role="coordinator" if rank == 0 else "participant",
                    contribution=round(share * (0.5 + rng.random()), 2),
                    sources=src,
                )
                for rank, partner in enumerate(partners)
            )
        return projects, participations

    def _project(self, number: int, vocabulary: _FieldVocabulary, size: int) -> records.Project:
        rng = self.rng
        large = size > 10
        programme, first, last, _, _ = _pick(rng, _PROGRAMMES, _PROGRAMME_WEIGHTS[large])
        start = date(rng.randint(first, last), rng.randint(1, 12), 1)
        years = rng.randint(1, 5 if large else 3)
        technology = rng.choice(vocabulary.technologies)
        acronym = (rng.choice(_BRANDS) + rng.choice(("", "X", "4", "NET", "PRO"))).upper()
        return records.Project(
            id=f"syn:project:{number}",
            acronym=acronym,
            title=f"{rng.choice(_TITLE_ADJECTIVES)} {technology} for {rng.choice(vocabulary.applications)}",
            programme=programme,
            start=start,
            end=date(start.year + years, start.month, 1) - timedelta(days=1),
            funding=round(rng.lognormvariate(log(150_000 * size**0.8), 0.5), 2),
            sources=self.sources,
        )
