"""The partner finder: who fits a need, how well A can reach them, and who A should meet next.

*Fit* — each keyword (and each requested field) is looked up, as a word or word
start after folding case and accents ("laser" finds "Lasertechnik", "thuringen"
finds "Thüringen"), in the organisation's technologies (weight 1.0), fields (0.8),
name and aliases (0.6) and description (0.4); a term scores its best place, fit is
the mean over terms (1.0 when the need names no terms). Requested fields are only
looked up among fields. ``kind`` and ``region`` (a NUTS prefix) are hard filters.

*Reachability* — the best path strength from A within ``max_hops``, for every
candidate at once (one hop-bounded pass, see :mod:`queries.paths`), and the path
itself for the candidates shown. ``score = 0.7 · fit + 0.3 · reach``.

*New partners* — link prediction by the resource-allocation index on the tie graph
(``Σ 1/degree`` over the partners A and the candidate share), among organisations
A is not tied to yet that pass the filters and fit the need, each with the shared
partners named and the fields it brings that A is not active in.
"""

from __future__ import annotations

import re
from typing import Annotated

import numpy as np
from pydantic import BaseModel, Field, StringConstraints

from innograph.graph.records import OrganisationKind
from innograph.queries.paths import (
    MAX_HOPS,
    IntroductionPath,
    NodeRef,
    best_paths,
    check_limit,
    hop_layers,
    intermediary_mask,
    make_path,
    node_ref,
    organisation_index,
    relax,
)
from innograph.queries.tie_graph import CLUSTER_KIND, ProfilePlace, TieGraph
from innograph.text import fold

MAX_LIMIT = 200
FIT_WEIGHT, REACH_WEIGHT = 0.7, 0.3
PLACE_WEIGHT: dict[ProfilePlace, float] = {"technology": 1.0, "field": 0.8, "name": 0.6, "description": 0.4}
SHOWN_SHARED = 5  # shared partners named in a suggestion

Words = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class PartnerNeed(BaseModel):
    """What A is looking for."""

    keywords: list[Words] = Field(default_factory=list, max_length=20, description="technology or field words")
    fields: list[Words] = Field(default_factory=list, max_length=20, description="specialisation field names")
    kind: OrganisationKind | None = None
    region: str | None = Field(default=None, description="NUTS code prefix, e.g. DEG (Thuringia) or DEG03 (Jena)")


class KeywordMatch(BaseModel):
    """A term of the need found in one place of a profile."""

    keyword: str
    where: ProfilePlace
    matched: str = Field(description="the technology, field, name or description excerpt that matched")


class Candidate(BaseModel):
    """An organisation that fits the need, with how A gets there."""

    organisation: NodeRef
    city: str | None = None
    region: str | None = None
    score: float
    fit: float = Field(ge=0, le=1)
    reach_strength: float = Field(ge=0, le=1, description="best path strength from A; 0 = out of reach")
    matches: list[KeywordMatch]
    explanation: str
    path: IntroductionPath | None = None


class Suggestion(BaseModel):
    """An organisation A is not tied to yet but probably should be."""

    organisation: NodeRef
    score: float = Field(description="resource-allocation index times fit")
    shared_partners: list[NodeRef]
    complementary_fields: list[str]
    matches: list[KeywordMatch]
    reason: str


class PartnerAnswer(BaseModel):
    """Ranked candidates and new-partner suggestions for one source and need."""

    source: NodeRef
    need: PartnerNeed
    candidates: list[Candidate]
    suggestions: list[Suggestion]


# --- fit ------------------------------------------------------------------------------


Term = tuple[str, re.Pattern[str], ProfilePlace | None]  # the words, their pattern, the only place to look


def need_terms(need: PartnerNeed) -> list[Term]:
    """The need's keywords (looked up anywhere) and fields (among fields only), compiled once per query."""

    def pattern(term: str) -> re.Pattern[str]:
        return re.compile(r"(?<!\w)" + re.escape(fold(term)))

    return [(k, pattern(k), None) for k in need.keywords] + [(f, pattern(f), "field") for f in need.fields]


def _excerpt(text: str, folded: str, found: re.Match[str]) -> str:
    """Short texts whole; in a long one the folded words around the match."""
    if len(text) <= 80:
        return text
    start, end = max(0, found.start() - 30), min(len(folded), found.end() + 30)
    return ("…" if start else "") + folded[start:end] + ("…" if end < len(folded) else "")


def match_need(
    profile: tuple[tuple[ProfilePlace, str, str], ...], terms: list[Term]
) -> tuple[float, list[KeywordMatch]]:
    """Fit of one profile (a tie-graph node's ``profile``) and where each term matched (best place per term)."""
    if not terms:
        return 1.0, []
    total, matches = 0.0, []
    for term, pattern, only in terms:
        hits = [
            (PLACE_WEIGHT[place], place, text, folded, found)
            for place, text, folded in profile
            if only in (None, place) and (found := pattern.search(folded))
        ]
        if hits:
            weight, place, text, folded, found = max(hits, key=lambda hit: hit[0])
            total += weight
            excerpt = _excerpt(text, folded, found)
            matches.append(KeywordMatch.model_construct(keyword=term, where=place, matched=excerpt))
    return total / len(terms), matches


def _passes(data: dict, need: PartnerNeed) -> bool:
    if data["kind"] == CLUSTER_KIND or (need.kind is not None and data["kind"] != need.kind):
        return False
    return need.region is None or (data.get("region") or "").upper().startswith(need.region.upper())


# --- the query ------------------------------------------------------------------------


def _matches_text(matches: list[KeywordMatch]) -> str:
    return "; ".join(f"{m.where} '{m.matched}' matches '{m.keyword}'" for m in matches)


def _reach_text(reach: float, hops: int | None, max_hops: int) -> str:
    if hops is None:
        return f"not reachable from the source within {max_hops} hops"
    return f"reachable in {hops} hop{'s' if hops > 1 else ''} (strength {reach:.3g})"


def find_partners(
    ties: TieGraph, source: str, need: PartnerNeed, *, limit: int = 20, max_hops: int = 4
) -> PartnerAnswer:
    """Candidates for ``need`` ranked by fit and reachability from ``source``, plus new-partner suggestions.

    ``limit`` (≤ 200) caps both lists; unknown ``source`` raises :class:`NotFoundError`.
    """
    check_limit("limit", limit, MAX_LIMIT)
    check_limit("max_hops", max_hops, MAX_HOPS)
    s = organisation_index(ties, source, "source")
    costs = ties.entry_costs()
    layers = hop_layers(ties, costs, intermediary_mask(ties, [s]), s, max_hops - 1)
    reach = np.exp(-relax(ties, costs, layers[-1]))
    fits, terms = {}, need_terms(need)
    for node, data in ties.graph.nodes(data=True):
        if node != source and _passes(data, need):
            fit, matches = match_need(data["profile"], terms)
            if fit > 0:
                fits[node] = (fit, matches)
    ranked = sorted(
        fits,
        key=lambda n: (-(FIT_WEIGHT * fits[n][0] + REACH_WEIGHT * reach[ties.index[n]]), ties.graph.nodes[n]["name"]),
    )
    candidates = []
    for node in ranked[:limit]:
        fit, matches = fits[node]
        i = ties.index[node]
        path = None
        if reach[i] > 0:
            [(_, nodes)] = best_paths(ties, costs, layers, i, s, 1)
            path = make_path(ties, [ties.ids[j] for j in reversed(nodes)])
        data = ties.graph.nodes[node]
        hops = len(path.hops) if path else None
        candidates.append(
            Candidate(
                organisation=node_ref(ties, node),
                city=data.get("city"),
                region=data.get("region"),
                score=FIT_WEIGHT * fit + REACH_WEIGHT * float(reach[i]),
                fit=fit,
                reach_strength=float(reach[i]),
                matches=matches,
                explanation="; ".join(filter(None, [_matches_text(matches), _reach_text(reach[i], hops, max_hops)])),
                path=path,
            )
        )
    return PartnerAnswer(
        source=node_ref(ties, source), need=need, candidates=candidates, suggestions=_suggestions(ties, s, fits, limit)
    )


def _resource_allocation(ties: TieGraph, s: int) -> np.ndarray:
    """``Σ_{z ∈ N(s) ∩ N(v)} 1/deg(z)`` for every node ``v`` (one pass over the edge arrays)."""
    share = np.zeros(len(ties.ids))
    neighbours = ties.indices[ties.indptr[s] : ties.indptr[s + 1]]
    share[neighbours] = 1.0 / ties.degree[neighbours]
    scores = np.zeros(len(ties.ids))
    rows = ties.nonempty_rows
    if rows.size:
        scores[rows] = np.add.reduceat(share[ties.indices], ties.indptr[rows])
    return scores


def _suggestions(
    ties: TieGraph, s: int, fits: dict[str, tuple[float, list[KeywordMatch]]], limit: int
) -> list[Suggestion]:
    """Not-yet-tied organisations that fit, ranked by resource allocation times fit, with their reasons."""
    source = ties.ids[s]
    ra = _resource_allocation(ties, s)
    scored = [
        (ra[ties.index[node]] * fit, node)
        for node, (fit, _) in fits.items()
        if ra[ties.index[node]] > 0 and not ties.graph.has_edge(source, node)
    ]
    scored.sort(key=lambda item: (-item[0], ties.graph.nodes[item[1]]["name"]))
    own_fields = set(ties.graph.nodes[source].get("fields", ()))
    suggestions = []
    for score, node in scored[:limit]:
        shared = sorted(set(ties.graph[source]) & set(ties.graph[node]), key=lambda z: (ties.graph.degree(z), z))
        new_fields = sorted(set(ties.graph.nodes[node].get("fields", ())) - own_fields)
        names = ", ".join(ties.graph.nodes[z]["name"] for z in shared[:SHOWN_SHARED])
        more = f" and {len(shared) - SHOWN_SHARED} more" if len(shared) > SHOWN_SHARED else ""
        reason = f"{len(shared)} shared partner{'s' if len(shared) > 1 else ''}: {names}{more}"
        if new_fields:
            reason += "; brings fields the source is not active in: " + ", ".join(new_fields)
        matches = fits[node][1]
        if matches:
            reason += "; " + _matches_text(matches)
        suggestions.append(
            Suggestion(
                organisation=node_ref(ties, node),
                score=score,
                shared_partners=[node_ref(ties, z) for z in shared[:SHOWN_SHARED]],
                complementary_fields=new_fields,
                matches=matches,
                reason=reason,
            )
        )
    return suggestions
