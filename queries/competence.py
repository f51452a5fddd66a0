"""Competence: what an organisation works on, in English and German, and the evidence for it.

An organisation's competence is its profile — technologies, fields, name and aliases,
description (the tie-graph node's ``profile``, kept in the path snapshot too) — **and** its
projects: acronym, title, objective and topics, searched through Neo4j's ``project_texts``
full-text index (Lucene's English analyzer, so "photonic", "photonics" and "Photonics" are one
word there). The partner finder (:mod:`queries.partners`), the event planner
(:mod:`queries.events`) and the topic search of ``GET /organisations`` all rank by
:func:`competences`: the first two on a :class:`TieGraph`'s nodes, the topic search on the
nodes of the :class:`PathSnapshot` every API worker maps (:func:`candidates`), so no worker
builds a tie graph for it.

**Terms.** Each keyword of a need becomes a :class:`Term`: the keyword folded
(:func:`innograph.text.fold`) plus, when it names a concept of :data:`CONCEPTS`, that
concept's words in both languages and the words of its narrower concepts ("Photonik" and
"photonics" both stand for photonics, optics and laser; "laser" only for laser). A phrase
matches as a word start when its last word has :data:`PREFIX_FROM` letters or more
("laser" finds "Lasertechnik", "halbleiter" finds "Halbleitertechnologie"), shorter ones only
as whole words ("KI" never finds "Kiel"). In project texts a phrase of several words
matches as a phrase.

**Fit of one term** = the best of

* the profile place it matched: technology 1.0, field 0.8, name or alias 0.6, description 0.4;
* its project evidence: ``1 - exp(-n / 2)`` for ``n`` projects matching it (one project 0.39,
  about a description; three 0.78, about a field; five 0.92 — never the 1.0 of a declared
  technology).

Fit of an organisation = the mean over the need's terms (1.0 when the need names none).
Requested *fields* are looked up among fields only and never in projects.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field

from innograph.queries.path_snapshot import PathSnapshot, Profile
from innograph.queries.tie_graph import CLUSTER_KIND, ProfilePlace
from innograph.text import fold

if TYPE_CHECKING:
    from innograph.graph.store import Store

PLACE_WEIGHT: dict[ProfilePlace, float] = {"technology": 1.0, "field": 0.8, "name": 0.6, "description": 0.4}
PREFIX_FROM = 4  # a phrase whose last word has this many letters also matches as a word start
SHOWN_PROJECTS = 3  # projects named in an explanation
MatchPlace = Literal["technology", "field", "name", "description", "project"]


@dataclass(frozen=True)
class Concept:
    """A competence in both languages: equivalent ``words``, and ``narrower`` concepts that count as evidence."""

    words: tuple[str, ...]
    narrower: tuple[str, ...] = ()


# The regional innovation strategy's fields and common competence words, English and German, in
# their natural spelling: profiles are compared folded (so "Künstliche Intelligenz" and "kuenstliche
# intelligenz" are one entry), project texts as written (Lucene's English analyzer stems them).
# Asking for a concept also asks for its narrower ones (photonics: optics and laser too), never
# the other way round. Keys are concept names; every key is also one of its own words. Words whose
# English stem is a common word stay out ("sensing" stems to "sens", "production" to "product").
CONCEPTS: dict[str, Concept] = {
    "photonics": Concept(
        ("photonic", "Photonik", "photonisch", "optoelectronics", "Optoelektronik"), narrower=("optics", "laser")
    ),
    "optics": Concept(("optical", "Optik", "optisch", "optische", "optischen")),
    "laser": Concept(("lasers",)),
    "semiconductor": Concept(
        ("semiconductors", "Halbleiter", "microelectronics", "microelectronic", "Mikroelektronik")
    ),
    "microfluidics": Concept(("microfluidic", "Mikrofluidik", "lab on a chip")),
    "microsystems": Concept(("Mikrosystemtechnik", "MEMS")),
    "hydrogen": Concept(("Wasserstoff",), narrower=("fuel cell",)),
    "fuel cell": Concept(("fuel cells", "Brennstoffzelle", "Brennstoffzellen")),
    "battery": Concept(("batteries", "Batterie", "Batterien", "Akku", "energy storage", "Energiespeicher")),
    "photovoltaics": Concept(("photovoltaic", "Photovoltaik", "solar cell", "solar cells", "Solarzelle")),
    "medical technology": Concept(
        ("medtech", "Medizintechnik", "medical device", "medical devices", "Medizinprodukt"), narrower=("diagnostics",)
    ),
    "diagnostics": Concept(("diagnostic", "diagnosis", "Diagnostik")),
    "sensor": Concept(("sensors", "Sensorik", "Sensoren")),
    "quantum": Concept(("Quanten", "Quantentechnologie", "Quantentechnologien")),
    "artificial intelligence": Concept(
        ("KI", "künstliche Intelligenz", "AI", "machine learning", "maschinelles Lernen", "deep learning")
    ),
    "materials": Concept(("material", "Werkstoffe", "Werkstoff", "Werkstofftechnik")),
    "biotechnology": Concept(("Biotechnologie", "biotech")),
    "plastics": Concept(("plastic", "Kunststoff", "Kunststoffe", "polymer", "polymers", "Polymere")),
    "mobility": Concept(("Mobilität", "automotive", "Fahrzeug", "Fahrzeuge", "Fahrzeugbau", "vehicle", "vehicles")),
    "logistics": Concept(("Logistik",)),
    "manufacturing": Concept(("Fertigung", "Produktionstechnik", "industry 4.0", "Industrie 4.0")),
    "energy": Concept(("Energie", "renewable energy", "erneuerbare Energien"), narrower=("battery",)),
}
_CONCEPT_OF: dict[str, str] = {fold(word): key for key, c in CONCEPTS.items() for word in (key, *c.words)}


def concept_of(keyword: str) -> str | None:
    """The concept a keyword names (as written, or as an English plural), if any.

    >>> concept_of("Photonik"), concept_of("kuenstliche Intelligenz"), concept_of("Lasers"), concept_of("foo")
    ('photonics', 'artificial intelligence', 'laser', None)
    """
    folded = fold(keyword)
    singular = folded[:-3] + "y" if folded.endswith("ies") else folded.removesuffix("s")
    return _CONCEPT_OF.get(folded) or _CONCEPT_OF.get(singular)


def _written(keyword: str) -> tuple[str, ...]:
    """``keyword`` and, when it names a concept, the words of that concept and of its narrower ones, as written."""
    key = concept_of(keyword)
    words, todo, seen = [keyword.strip()], [key] if key else [], set()
    while todo:
        concept = todo.pop(0)
        if concept not in seen:
            seen.add(concept)
            words.extend((concept, *CONCEPTS[concept].words))
            todo.extend(CONCEPTS[concept].narrower)
    return tuple(dict.fromkeys(w.lower() for w in words if fold(w)))


def expand(keyword: str) -> tuple[str, ...]:
    """The folded phrases that count as evidence for ``keyword``: itself, its concept's words, narrower concepts'.

    >>> expand("Photonik") == expand("photonics") and "laser" in expand("Photonik")
    True
    >>> expand("Halbleiter") == expand("semiconductor"), expand("Laser")
    (True, ('laser', 'lasers'))
    >>> expand("micro-machining")
    ('micro machining',)
    """
    return tuple(sorted({fold(w) for w in _written(keyword)}))


def _prefix(phrase: str) -> bool:
    return len(phrase.rsplit(" ", 1)[-1]) >= PREFIX_FROM


@dataclass(frozen=True)
class Term:
    """A word of the need, the phrases that stand for it, and where to look (``only``: fields for field terms).

    ``phrases`` are folded (profiles are compared folded); ``written`` are the same phrases lower-cased
    as written, for the project texts, which Lucene analyzes itself.
    """

    keyword: str
    phrases: tuple[str, ...]
    written: tuple[str, ...]
    pattern: re.Pattern[str]
    only: ProfilePlace | None = None

    @classmethod
    def of(cls, keyword: str, only: ProfilePlace | None = None) -> Term:
        """The term of ``keyword``, its folded phrases compiled into one pattern."""
        phrases = expand(keyword)
        alternatives = sorted(phrases, key=len, reverse=True)
        body = "|".join(re.escape(p) + ("" if _prefix(p) else r"(?!\w)") for p in alternatives)
        return cls(keyword, phrases, _written(keyword), re.compile(rf"(?<!\w)(?:{body})"), only)

    @property
    def lucene_phrases(self) -> tuple[str, ...]:
        """The phrases for :meth:`graph.store.Store.project_matches`; ``*`` marks a one-word phrase matched as a start.

        A word start that another one covers is left out ("photonic*" covers "photonics*"): Lucene
        expands every one of them over the index's terms.

        >>> Term.of("KI").lucene_phrases[:3], Term.of("Laser").lucene_phrases
        (('ki', 'artificial intelligence', 'künstliche intelligenz'), ('laser*', 'lasers'))
        """
        starts = [p for p in self.written if _prefix(p) and " " not in p.strip()]
        return tuple(
            p + "*" if p in starts and not any(p != q and p.startswith(q) for q in starts) else p for p in self.written
        )


def terms_of(keywords: Iterable[str], fields: Iterable[str] = ()) -> list[Term]:
    """Keywords (looked up anywhere) and fields (among fields only), compiled once per query."""
    return [Term.of(k) for k in keywords] + [Term.of(f, "field") for f in fields]


# --- project evidence ---------------------------------------------------------------


class ProjectMatch(BaseModel):
    """A project of the organisation whose texts match the need."""

    id: str
    acronym: str | None = None
    title: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    score: float = Field(description="full-text relevance of the project's texts (Lucene BM25; the best of its terms)")
    keywords: list[str] = Field(description="the need's words it matched")

    @property
    def label(self) -> str:
        """``ACRONYM (2017-2021)``: acronym (else title, else id) and its years."""
        name = self.acronym or self.title or self.id
        years = sorted({y for y in (self.start_year, self.end_year) if y is not None})
        return f"{name} ({'-'.join(map(str, years))})" if years else name


Evidence = Mapping[str, list[ProjectMatch]]
"""Organisation id -> its projects that match the need, best first."""


def evidence_of(rows: Iterable[Mapping[str, Any]]) -> dict[str, list[ProjectMatch]]:
    """The evidence map from :meth:`graph.store.Store.project_matches` rows (one row per term and project)."""
    projects: dict[str, ProjectMatch] = {}
    members: dict[str, list[str]] = {}
    for row in rows:
        found = projects.get(row["id"])
        if found is None:
            fields = ("id", "acronym", "title", "start_year", "end_year", "score")
            projects[row["id"]] = ProjectMatch(**{k: row[k] for k in fields}, keywords=[row["term"]])
            members[row["id"]] = list(row["organisations"])
        elif row["term"] not in found.keywords:
            found.keywords.append(row["term"])
            found.score = max(found.score, row["score"])
    evidence: dict[str, list[ProjectMatch]] = {}
    for pid, project in projects.items():
        for org in members[pid]:
            evidence.setdefault(org, []).append(project)
    for found in evidence.values():
        found.sort(key=lambda p: (-p.score, -(p.end_year or p.start_year or 0), p.label))
    return evidence


def read_evidence(store: Store, terms: list[Term]) -> dict[str, list[ProjectMatch]]:
    """The project evidence for ``terms`` from the store's full-text index (field terms are not looked up)."""
    wanted = {t.keyword: t.lucene_phrases for t in terms if t.only is None}
    return evidence_of(store.project_matches(wanted)) if wanted else {}


def project_fit(n: int) -> float:
    """Fit from ``n`` matching projects: ``1 - exp(-n/2)``.

    >>> [round(project_fit(n), 2) for n in (0, 1, 3, 5)]
    [0.0, 0.39, 0.78, 0.92]
    """
    return 1.0 - math.exp(-n / 2)


# --- assessing one organisation --------------------------------------------------------


class KeywordMatch(BaseModel):
    """A term of the need found in one place of a profile, or in projects (its best place)."""

    keyword: str
    where: MatchPlace
    matched: str = Field(description="the technology, field, name or description excerpt, or the projects that matched")


@dataclass(frozen=True)
class Assessment:
    """How well one organisation fits: the fit, each term's best place, the matching projects, the why."""

    fit: float
    matches: list[KeywordMatch]
    projects: list[ProjectMatch]
    why: list[str]


def _excerpt(text: str, folded: str, found: re.Match[str]) -> str:
    """Short texts whole; in a long one the folded words around the match."""
    if len(text) <= 80:
        return text
    start, end = max(0, found.start() - 30), min(len(folded), found.end() + 30)
    return ("…" if start else "") + folded[start:end] + ("…" if end < len(folded) else "")


def projects_text(keyword: str, projects: list[ProjectMatch]) -> str:
    """``4 projects on photonics: ACTPHAST 4.0 (2017-2021), PHAST (2020-2024), NCLas (2019-2022) and 1 more``."""
    names = ", ".join(p.label for p in projects[:SHOWN_PROJECTS])
    more = f" and {len(projects) - SHOWN_PROJECTS} more" if len(projects) > SHOWN_PROJECTS else ""
    return f"{len(projects)} project{'s' if len(projects) > 1 else ''} on {keyword}: {names}{more}"


def assess(profile: Profile, projects: list[ProjectMatch], terms: list[Term]) -> Assessment:
    """Fit of one organisation (module docstring), each term's best place, its projects and the reasons."""
    if not terms:
        return Assessment(1.0, [], [], [])
    total, matches, why = 0.0, [], []
    for term in terms:
        hits = [
            (PLACE_WEIGHT[place], place, text, folded, found)
            for place, text, folded in profile
            if term.only in (None, place) and (found := term.pattern.search(folded))
        ]
        on_term = [p for p in projects if term.keyword in p.keywords] if term.only is None else []
        weight = 0.0
        if hits:
            weight, place, text, folded, found = max(hits, key=lambda hit: hit[0])
            match = KeywordMatch.model_construct(
                keyword=term.keyword, where=place, matched=_excerpt(text, folded, found)
            )
            why.append(f"{place} '{match.matched}' matches '{term.keyword}'")
        if on_term:
            why.append(projects_text(term.keyword, on_term))
            if project_fit(len(on_term)) > weight:
                weight = project_fit(len(on_term))
                match = KeywordMatch.model_construct(keyword=term.keyword, where="project", matched=why[-1])
        if weight:
            total += weight
            matches.append(match)
    shown = [p for p in projects if any(t.keyword in p.keywords for t in terms if t.only is None)]
    return Assessment(total / len(terms), matches, shown, why)


NodeData = tuple[str, Mapping[str, Any]]
"""A node id and its attributes: ``profile`` (:data:`Profile`), ``kind``, ``name``, ``city``, ``region``, ``home``."""


def competences(
    nodes: Iterable[NodeData], evidence: Evidence, terms: list[Term], keep: Callable[[str, Mapping[str, Any]], bool]
) -> dict[str, Assessment]:
    """Every one of ``nodes`` that ``keep`` admits and that fits the terms (fit > 0).

    ``nodes``: a tie graph's ``graph.nodes(data=True)``, or :func:`candidates` of a path snapshot.
    """
    found = {}
    for node, data in nodes:
        if keep(node, data):
            assessment = assess(data["profile"], evidence.get(node, []), terms)
            if assessment.fit > 0:
                found[node] = assessment
    return found


class TopicHit(BaseModel):
    """An organisation found by what it works on."""

    id: str
    name: str
    kind: str | None
    city: str | None
    fit: float = Field(ge=0, le=1)
    matches: list[KeywordMatch]
    projects: list[ProjectMatch]
    why: str


def candidates(snapshot: PathSnapshot, terms: list[Term], evidence: Evidence) -> Iterable[NodeData]:
    """The snapshot's nodes that can fit ``terms`` with their attributes (:meth:`PathSnapshot.searchable`): those
    whose profile matches a term's pattern, and those with project evidence. Every other node would fit 0
    (without terms, every node fits 1.0, so all are listed)."""
    if terms:
        found = snapshot.profile_matches([term.pattern for term in terms])
        found.update(snapshot.index[node] for node in evidence if node in snapshot.index)
    else:
        found = set(range(len(snapshot.ids)))
    return ((snapshot.ids[i], snapshot.searchable(i)) for i in sorted(found))


def find_by_topic(snapshot: PathSnapshot, evidence: Evidence, topic: str, kind: str | None = None) -> list[TopicHit]:
    """Organisations whose competence matches ``topic`` (one term), best fit first, then more projects, then name."""
    terms = terms_of([topic])

    def keep(_: str, data: Mapping[str, Any]) -> bool:
        return data["kind"] != CLUSTER_KIND and (kind is None or data["kind"] == kind)

    nodes = dict(candidates(snapshot, terms, evidence))
    found = competences(nodes.items(), evidence, terms, keep)
    ranked = sorted(found, key=lambda n: (-found[n].fit, -len(found[n].projects), nodes[n]["name"], n))
    hits = []
    for node in ranked:
        data, a = nodes[node], found[node]
        hits.append(
            TopicHit(
                id=node,
                name=data["name"],
                kind=data["kind"],
                city=data.get("city"),
                fit=a.fit,
                matches=a.matches,
                projects=a.projects,
                why="; ".join(a.why),
            )
        )
    return hits


def topics_from_store(store: Store, snapshot: PathSnapshot, topic: str, kind: str | None = None) -> list[TopicHit]:
    """:func:`find_by_topic` with the project evidence read from the store's ``project_texts`` index."""
    return find_by_topic(snapshot, read_evidence(store, terms_of([topic])), topic, kind)
