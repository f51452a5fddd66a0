"""Entity resolution: one organisation from many spellings, one stable id, before the store.

* :func:`name_key` folds a name for comparison: umlauts and accents (``Universität`` =
  ``UNIVERSITAT`` = ``Universitaet``), ß, case, punctuation, and legal forms (GmbH, mbH,
  gGmbH, AG, SE, e.V., KG, GmbH & Co. KG, Ltd, SA, SRL, BV, ...), which sources add or
  drop at will.
* Stable ids: ``pic:<PIC>`` where CORDIS has one, else ``org:<slug>`` (:func:`org_slug`,
  the folded name *with* its legal form, so "Acme GmbH" and "Acme SA" stay two nodes).
* :class:`Resolver` matches a name against the organisations already in the store and
  those of the current load: an exact key match (same country) merges, and so does a
  *truncated* name (:data:`MIN_TRUNCATED` folded characters or more, a prefix of the other
  name cut inside a word, as fixed-width fields cut them); a rapidfuzz match merges only at
  or above ``merge_score``; pairs between ``review_score`` and ``merge_score`` — and
  ambiguous exact matches — become :class:`ReviewPair` s for a person (the review queue,
  :mod:`loaders.review`), not merged silently. A person's decisions (:class:`Decision`)
  are applied by every later load: "same" merges the name onto the candidate, "different"
  never merges the pair and no longer lists it. Two different PICs are never merged:
  CORDIS says they are two legal entities.
* Institutes of Fraunhofer, Max Planck, Leibniz and Helmholtz stay distinct from their
  society (:func:`society_of`); loaders link them with ``PART_OF``.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from innograph.graph.records import Organisation, OrganisationKind
from innograph.text import fold, fold_words, slug_of_words

# Legal forms as folded token sequences, with the canonical spelling used in slugs.
# Longest sequences are tried first, so "gmbh co kg" wins over "gmbh" and "kg".
_LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "gmbh-co-kg": ("gmbh co kg", "gmbh und co kg", "gmbh co kgaa"),
    "ag-co-kg": ("ag co kg", "ag und co kg"),
    "ggmbh": ("ggmbh", "g gmbh"),
    "gmbh": ("gmbh", "g m b h", "gesmbh"),
    "mbh": ("mbh", "m b h"),
    "ug": ("ug haftungsbeschrankt", "ug"),
    "kgaa": ("kgaa",),
    "kg": ("kg",),
    "ohg": ("ohg",),
    "gbr": ("gbr",),
    "eg": ("eg",),
    "ev": ("e v", "ev"),
    "ag": ("ag",),
    "se": ("se",),
    "ltd": ("ltd", "limited"),
    "plc": ("plc",),
    "inc": ("inc", "incorporated"),
    "llc": ("llc",),
    "sarl": ("sarl", "s a r l"),
    "sas": ("sas", "s a s"),
    "sa": ("sa", "s a"),
    "srl": ("srl", "s r l"),
    "spa": ("spa", "s p a"),
    "sl": ("sl", "s l"),
    "bv": ("bv", "b v"),
    "nv": ("nv", "n v"),
    "ab": ("ab",),
    "oy": ("oy", "oyj"),
    "as": ("a s", "as", "asa"),
    "aps": ("aps",),
    "sp-z-oo": ("sp z o o", "spzoo", "sp zoo"),
    "sro": ("s r o", "sro"),
    "kft": ("kft",),
}
_FORM_SEQUENCES: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _canonical, _spellings in _LEGAL_FORMS.items():
    for _spelling in _spellings:
        _words = tuple(_spelling.split())
        _FORM_SEQUENCES.setdefault(_words[0], []).append((_words, _canonical))
for _candidates in _FORM_SEQUENCES.values():
    _candidates.sort(key=lambda item: -len(item[0]))
_COUNTRY_ALIASES = {"GB": "UK", "GR": "EL"}


def split_legal_form(tokens: list[str]) -> tuple[list[str], list[str]]:
    """The tokens without legal forms, and the canonical legal forms found (anywhere in the name)."""
    rest: list[str] = []
    forms: list[str] = []
    i = 0
    while i < len(tokens):
        for sequence, canonical in _FORM_SEQUENCES.get(tokens[i], ()):
            if tuple(tokens[i : i + len(sequence)]) == sequence and (i > 0 or len(tokens) > len(sequence)):
                forms.append(canonical)
                i += len(sequence)
                break
        else:
            rest.append(tokens[i])
            i += 1
    return rest, forms


# Function words left out of an acronym: "Centre National de la Recherche Scientifique" is CNRS.
_ACRONYM_SKIP = frozenset(
    {"a", "and", "d", "da", "de", "degli", "del", "della", "der", "des", "di", "die", "do", "dos", "du", "e"}
    | {"el", "en", "et", "for", "fur", "i", "la", "le", "les", "of", "the", "und", "van", "y", "zum", "zur"}
)


def _without_acronym(words: list[str]) -> list[str]:
    """``words`` without a first or last word that is the initials of the others ("... SCIENTIFIQUE CNRS").

    Sources add or drop the acronym at will, so it must not count against a match; an
    acronym alone proves nothing (INRA and INSERM TRANSFERT both write "IT"), so it is
    only dropped where the full name stands beside it.
    """
    if len(words) < 4:
        return words
    for acronym, rest in ((words[0], words[1:]), (words[-1], words[:-1])):
        initials = "".join(w[0] for w in rest if w not in _ACRONYM_SKIP)
        if len(acronym) >= 3 and acronym == initials:
            return rest
    return words


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """The comparison key of a name: folded words without legal forms, a leading "the" and a spelled-out acronym.

    >>> cnrs = "Centre National de la Recherche Scientifique"
    >>> name_key(f"{cnrs} CNRS") == name_key(f"CNRS {cnrs}") == name_key(cnrs)
    True
    >>> name_key("The University of Sussex") == name_key("UNIVERSITY OF SUSSEX")
    True
    """
    rest, _ = split_legal_form(list(fold_words(name)))
    if len(rest) > 1 and rest[0] == "the":
        rest = rest[1:]
    return " ".join(_without_acronym(rest))


def org_slug(name: str) -> str:
    """``org:<slug>`` for an organisation without a PIC: its folded words, legal form canonical."""
    rest, forms = split_legal_form(list(fold_words(name)))
    return "org:" + slug_of_words([*rest, *forms])


def pic_id(pic: str) -> str:
    """The stable id of a CORDIS organisation."""
    return f"pic:{pic.strip()}"


def country_code(country: str | None) -> str | None:
    """ISO-2 country as CORDIS/NUTS write it (UK, EL)."""
    if not country:
        return None
    code = country.strip().upper()
    return _COUNTRY_ALIASES.get(code, code)


def preferred_name(current: str, incoming: str) -> str:
    """The name a node should show: the incoming spelling, unless it is SHOUTED and the current is not."""
    if incoming.isupper() and not current.isupper():
        return current
    return incoming


def merge_organisations(first: Organisation, second: Organisation) -> Organisation:
    """Two records of one organisation as one: preferred name, all spellings as aliases, first known values."""
    name = preferred_name(first.name, second.name)
    spellings = [*first.aliases, first.name, *second.aliases, second.name]
    aliases = list(dict.fromkeys(s for s in spellings if s != name))
    values = {
        key: value if value is not None else getattr(second, key)
        for key, value in first.model_dump(exclude={"id", "name", "aliases", "kind", "sources"}).items()
    }
    kind = second.kind if first.kind is OrganisationKind.OTHER else first.kind
    sources = list(dict.fromkeys([*first.sources, *second.sources]))
    return Organisation(id=first.id, name=name, aliases=aliases, kind=kind, sources=sources, **values)


# --- research societies ------------------------------------------------------------


@dataclass(frozen=True)
class Society:
    """A German research society whose institutes are linked to it with PART_OF."""

    marker: str
    id: str
    name: str
    kind: OrganisationKind


SOCIETIES: tuple[Society, ...] = (
    Society(
        "fraunhofer",
        "pic:999984059",
        "Fraunhofer-Gesellschaft zur Förderung der angewandten Forschung e.V.",
        OrganisationKind.RESEARCH_INSTITUTE,
    ),
    Society(
        "max planck",
        "pic:999990267",
        "Max-Planck-Gesellschaft zur Förderung der Wissenschaften e.V.",
        OrganisationKind.RESEARCH_INSTITUTE,
    ),
    Society("leibniz", "org:leibniz-gemeinschaft", "Leibniz-Gemeinschaft", OrganisationKind.OTHER),
    Society(
        "helmholtz",
        "org:helmholtz-gemeinschaft",
        "Helmholtz-Gemeinschaft Deutscher Forschungszentren e.V.",
        OrganisationKind.OTHER,
    ),
)
_SOCIETY_WORDS = ("gesellschaft", "gemeinschaft", "society", "association")
_INSTITUTE_WORDS = ("institut", "zentrum", "center", "centre", "museum", "forschungszentrum", "laboratorium")
_NOT_INSTITUTE = ("universitat", "university", "universitet", "hochschule", "klinikum", "schule", "gymnasium")


@dataclass(frozen=True)
class SocietyMatch:
    """How a name relates to a society: the society itself, or one of its institutes."""

    society: Society
    is_society: bool


@lru_cache(maxsize=1 << 16)
def society_of(name: str) -> SocietyMatch | None:
    """Whether ``name`` is a research society or one of its institutes (None: neither)."""
    tokens = list(fold_words(name))
    text = " ".join(tokens)
    for society in SOCIETIES:
        marker = society.marker
        if not (f" {marker} " in f" {text} " or any(t.startswith(marker) and t != marker for t in tokens)):
            continue
        if any(word in t for t in tokens for word in _NOT_INSTITUTE):
            return None
        institute = any(word in t for t in tokens for word in _INSTITUTE_WORDS)
        if not institute and any(word in t for t in tokens for word in _SOCIETY_WORDS):
            return SocietyMatch(society, is_society=True)
        rest, _ = split_legal_form(tokens)
        short_name = marker == "fraunhofer" and len(rest) == 2  # "Fraunhofer IOF"
        return SocietyMatch(society, is_society=False) if institute or short_name else None
    return None


# --- the resolver ------------------------------------------------------------------


@dataclass(frozen=True)
class KnownOrganisation:
    """An organisation names can resolve to: from the store or from earlier in this load."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    kind: str | None = None


MIN_TRUNCATED = 30
"""Folded characters a cut-off name needs before it counts as the name it starts (see :meth:`Resolver.resolve`)."""


def review_id(name: str, country: str | None, candidate_id: str) -> str:
    """The stable id of a review pair: the folded incoming name, its country and the candidate id.

    The same pair found by another load, in another order or from another row gets the same id,
    so a person decides it once.
    """
    text = f"{fold(name)}|{country_code(country) or ''}|{candidate_id}"
    return "review-" + hashlib.sha1(text.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class ReviewPair:
    """A possible match the resolver did not merge: a person should look at it.

    ``incoming_id`` is the node the name went to (its own ``org:`` node, or the id an
    ambiguous exact match chose); ``country`` is the incoming row's.
    """

    where: str
    name: str
    country: str | None
    incoming_id: str
    candidate_id: str
    candidate_name: str
    score: float
    reason: str

    @property
    def id(self) -> str:
        """See :func:`review_id`."""
        return review_id(self.name, self.country, self.candidate_id)


@dataclass(frozen=True)
class Decision:
    """A person's verdict on a review pair: the incoming name (and country) is, or is not, the candidate."""

    name: str
    country: str | None
    candidate_id: str
    same: bool


@dataclass
class Resolver:
    """Matches names to known organisations; see the module docstring for the rules."""

    merge_score: float = 95.0
    review_score: float = 85.0
    min_alias_chars: int = 6
    review: list[ReviewPair] = field(default_factory=list)
    _by_id: dict[str, KnownOrganisation] = field(default_factory=dict)
    _by_key: dict[str, list[str]] = field(default_factory=dict)
    _by_start: dict[str, list[str]] = field(default_factory=dict)
    _keys: list[str] = field(default_factory=list)
    _key_ids: list[str] = field(default_factory=list)
    _same: dict[tuple[str, str | None], str] = field(default_factory=dict)
    _different: set[tuple[str, str | None, str]] = field(default_factory=set)

    def add(self, org: KnownOrganisation) -> None:
        """Make an organisation resolvable by its name and (long enough) aliases."""
        self._by_id[org.id] = org
        for i, spelling in enumerate((org.name, *org.aliases)):
            key = name_key(spelling)
            if not key or (i > 0 and len(key) < self.min_alias_chars):
                continue
            ids = self._by_key.setdefault(key, [])
            if not ids and len(key) >= MIN_TRUNCATED:
                self._by_start.setdefault(key[:MIN_TRUNCATED], []).append(key)
            if org.id not in ids:
                ids.append(org.id)
                self._keys.append(key)
                self._key_ids.append(org.id)

    def add_all(self, orgs: Iterable[KnownOrganisation]) -> None:
        """:meth:`add` for many."""
        for org in orgs:
            self.add(org)

    def decide(self, decisions: Iterable[Decision]) -> None:
        """Apply people's decisions to every later :meth:`resolve` (the last decision on a pair wins)."""
        for d in decisions:
            pair = (fold(d.name), country_code(d.country))
            if d.same:
                self._same[pair] = d.candidate_id
                self._different.discard((*pair, d.candidate_id))
            else:
                self._different.add((*pair, d.candidate_id))
                if self._same.get(pair) == d.candidate_id:
                    del self._same[pair]

    def known(self, org_id: str) -> KnownOrganisation | None:
        """The known organisation with this id, if any."""
        return self._by_id.get(org_id)

    def organisations(self) -> list[KnownOrganisation]:
        """Every known organisation."""
        return list(self._by_id.values())

    def resolve(
        self, name: str, *, country: str | None = None, where: str = "", incoming: str | None = None
    ) -> str | None:
        """The id ``name`` is the same organisation as, or None (then the caller makes a new node).

        A "same" decision wins; then an exact key match, then a truncated name, then a fuzzy
        match (:meth:`_fuzzy`); candidates decided "different" are never considered.
        ``incoming`` is the id the name stands on when nothing matches (default its ``org:`` slug),
        for the review pairs.
        """
        key = name_key(name)
        if not key:
            return None
        country = country_code(country)
        folded = fold(name)
        decided = self._same.get((folded, country))
        if decided in self._by_id:
            return decided
        exact = [i for i in self._by_key.get(key, []) if self._candidate(i, folded, country)]
        exact = exact or [i for i in self._truncations(key) if self._candidate(i, folded, country)]
        if exact:
            chosen, *others = sorted(dict.fromkeys(exact), key=lambda i: (not i.startswith("pic:"), i))
            # A name-only node beside a PIC is that PIC's earlier stand-in (the load merges it), not a doubt.
            for other in (o for o in others if o.startswith("pic:") or not chosen.startswith("pic:")):
                self._note(where, name, country, chosen, other, 100.0, f"ambiguous exact match; merged into {chosen}")
            return chosen
        return self._fuzzy(name, key, country, where, incoming or org_slug(name))

    def _candidate(self, org_id: str, folded: str, country: str | None) -> bool:
        """Whether ``org_id`` may match: same country (or unknown) and not decided "different"."""
        theirs = country_code(self._by_id[org_id].country)
        same_country = not country or not theirs or theirs == country
        return same_country and (folded, country, org_id) not in self._different

    def _truncations(self, key: str) -> list[str]:
        """Ids whose key and ``key`` are one name and the same name cut inside a word (either way round)."""
        if len(key) < MIN_TRUNCATED:
            return []
        found: list[str] = []
        for other in self._by_start.get(key[:MIN_TRUNCATED], ()):
            short, long = sorted((key, other), key=len)
            if len(short) < len(long) and long.startswith(short) and long[len(short)] != " ":
                found.extend(self._by_key[other])
        return found

    def _fuzzy(self, name: str, key: str, country: str | None, where: str, incoming: str) -> str | None:
        hits = process.extract(key, self._keys, scorer=fuzz.token_sort_ratio, score_cutoff=self.review_score, limit=5)
        folded = fold(name)
        candidates = [
            (self._key_ids[i], score) for _, score, i in hits if self._candidate(self._key_ids[i], folded, country)
        ]
        if not candidates:
            return None
        best_id, best = candidates[0]
        if best >= self.merge_score and self._may_merge(name, best_id, key):
            return best_id
        for org_id, score in dict(reversed(candidates)).items():
            reason = "not merged: below the merge threshold or a guard"
            self._note(where, name, country, incoming, org_id, score, reason)
        return None

    def _may_merge(self, name: str, org_id: str, key: str) -> bool:
        """Guards against fuzzy merges that are likely wrong: different numbers, societies vs institutes."""
        other = self._by_id[org_id].name
        if re.findall(r"\d+", key) != re.findall(r"\d+", name_key(other)):
            return False
        return society_of(name) is None and society_of(other) is None

    def _note(
        self, where: str, name: str, country: str | None, incoming: str, org_id: str, score: float, reason: str
    ) -> None:
        candidate = self._by_id[org_id].name
        self.review.append(ReviewPair(where, name, country, incoming, org_id, candidate, round(score, 1), reason))

    def write_review(self, path: Path) -> Path | None:
        """Write the review pairs as CSV (UTF-8, ','); None and no file when there are none."""
        if not self.review:
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "where", "name", "country", "candidate_id", "candidate_name", "score", "reason"])
            for p in self.review:
                writer.writerow([p.id, p.where, p.name, p.country, p.candidate_id, p.candidate_name, p.score, p.reason])
        return path
