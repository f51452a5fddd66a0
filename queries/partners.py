"""The partner finder: who fits a need, how well A can reach them, and who A should meet next.

*Fit* — what the candidate works on (:mod:`queries.competence`): each keyword, in English or
German, is looked up after folding case and accents in the organisation's profile —
technologies (1.0), fields (0.8), name and aliases (0.6), description (0.4), as a word or
word start ("laser" finds "Lasertechnik") — and in its projects' acronym, title, objective and
topics (``1 - exp(-n/2)`` for ``n`` matching projects); a term scores its best place, fit is the
mean over terms (1.0 when the need names no terms). Requested fields are only looked up among
fields. ``kind`` and ``region`` (a NUTS prefix) are hard filters.

*Reachability* — the best path strength from A within ``max_hops``, for every
candidate at once (one hop-bounded pass, see :mod:`queries.paths`), and the path
itself for the candidates shown. ``score = 0.7 · fit + 0.3 · reach``.

*New partners* — link prediction by the resource-allocation index on the tie graph
(``Σ 1/degree`` over the partners A and the candidate share), among organisations
A is not tied to yet that pass the filters and fit the need, each with the shared
partners named and the fields it brings that A is not active in.

:func:`find_partners` is pure: the project evidence comes in as an argument;
:func:`partners_from_store` reads it from the store's full-text index first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
from pydantic import BaseModel, Field, StringConstraints

from innograph.graph.records import OrganisationKind
from innograph.queries.competence import (
    Assessment,
    Evidence,
    KeywordMatch,
    ProjectMatch,
    Term,
    competences,
    read_evidence,
    terms_of,
)
from innograph.queries.path_search import cheapest_paths, hop_bounds
from innograph.queries.path_snapshot import PathSnapshot
from innograph.queries.paths import (
    MAX_HOPS,
    IntroductionPath,
    NodeRef,
    check_limit,
    intermediary_mask,
    make_path,
    node_ref,
    organisation_index,
    relax,
)
from innograph.queries.tie_graph import CLUSTER_KIND, TieGraph

if TYPE_CHECKING:
    from innograph.graph.store import Store

MAX_LIMIT = 200
FIT_WEIGHT, REACH_WEIGHT = 0.7, 0.3
SHOWN_SHARED = 5  # shared partners named in a suggestion

Words = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class PartnerNeed(BaseModel):
    """What A is looking for."""

    keywords: list[Words] = Field(default_factory=list, max_length=20, description="technology or field words")
    fields: list[Words] = Field(default_factory=list, max_length=20, description="specialisation field names")
    kind: OrganisationKind | None = None
    region: str | None = Field(default=None, description="NUTS code prefix, e.g. DEG (Thuringia) or DEG03 (Jena)")


class Candidate(BaseModel):
    """An organisation that fits the need, with how A gets there."""

    organisation: NodeRef
    city: str | None = None
    region: str | None = None
    score: float
    fit: float = Field(ge=0, le=1)
    reach_strength: float = Field(ge=0, le=1, description="best path strength from A; 0 = out of reach")
    matches: list[KeywordMatch]
    projects: list[ProjectMatch] = Field(default_factory=list, description="its projects on the need, best first")
    explanation: str
    path: IntroductionPath | None = None


class Suggestion(BaseModel):
    """An organisation A is not tied to yet but probably should be."""

    organisation: NodeRef
    score: float = Field(description="resource-allocation index times fit")
    shared_partners: list[NodeRef]
    complementary_fields: list[str]
    matches: list[KeywordMatch]
    projects: list[ProjectMatch] = Field(default_factory=list, description="its projects on the need, best first")
    reason: str


class PartnerAnswer(BaseModel):
    """Ranked candidates and new-partner suggestions for one source and need."""

    source: NodeRef
    need: PartnerNeed
    candidates: list[Candidate]
    suggestions: list[Suggestion]


# --- fit ------------------------------------------------------------------------------


def need_terms(need: PartnerNeed) -> list[Term]:
    """The need's keywords (looked up anywhere) and fields (among fields only), compiled once per query."""
    return terms_of(need.keywords, need.fields)


def _passes(data: Mapping[str, Any], need: PartnerNeed) -> bool:
    if data["kind"] == CLUSTER_KIND or (need.kind is not None and data["kind"] != need.kind):
        return False
    return need.region is None or (data.get("region") or "").upper().startswith(need.region.upper())


# --- the query ------------------------------------------------------------------------


def _reach_text(reach: float, hops: int | None, max_hops: int) -> str:
    if hops is None:
        return f"not reachable from the source within {max_hops} hops"
    return f"reachable in {hops} hop{'s' if hops > 1 else ''} (strength {reach:.3g})"


def find_partners(
    ties: TieGraph,
    source: str,
    need: PartnerNeed,
    *,
    evidence: Evidence | None = None,
    limit: int = 20,
    max_hops: int = 4,
    snapshot: PathSnapshot | None = None,
) -> PartnerAnswer:
    """Candidates for ``need`` ranked by fit and reachability from ``source``, plus new-partner suggestions.

    ``evidence`` maps organisation ids to their projects on the need's keywords
    (:func:`queries.competence.read_evidence`); without it only profiles count. ``limit`` (≤ 200)
    caps both lists; unknown ``source`` raises :class:`NotFoundError`. The candidates' paths are
    explained from ``snapshot`` (``ties`` as arrays, :class:`PathSnapshot`; made from ``ties`` when not given).
    """
    check_limit("limit", limit, MAX_LIMIT)
    check_limit("max_hops", max_hops, MAX_HOPS)
    s = organisation_index(ties, source, "source")
    costs = ties.entry_costs()
    bounds = hop_bounds(ties.indptr, ties.indices, costs, intermediary_mask(ties, [s]), s, max_hops)
    reach = np.exp(-relax(ties, costs, bounds[-1]))
    terms = need_terms(need)
    fits = competences(
        ties.graph.nodes(data=True), evidence or {}, terms, lambda node, data: node != source and _passes(data, need)
    )
    ranked = sorted(
        fits,
        key=lambda n: (-(FIT_WEIGHT * fits[n].fit + REACH_WEIGHT * reach[ties.index[n]]), ties.graph.nodes[n]["name"]),
    )
    candidates = []
    snapshot = snapshot or PathSnapshot.of(ties)
    for node in ranked[:limit]:
        fit = fits[node]
        i = ties.index[node]
        path = None
        if reach[i] > 0:
            [(_, nodes)] = cheapest_paths(ties.indptr, ties.indices, costs, bounds, i, s, 1)
            path = make_path(snapshot, [snapshot.index[ties.ids[j]] for j in reversed(nodes)])
        data = ties.graph.nodes[node]
        hops = len(path.hops) if path else None
        candidates.append(
            Candidate(
                organisation=node_ref(ties, node),
                city=data.get("city"),
                region=data.get("region"),
                score=FIT_WEIGHT * fit.fit + REACH_WEIGHT * float(reach[i]),
                fit=fit.fit,
                reach_strength=float(reach[i]),
                matches=fit.matches,
                projects=fit.projects,
                explanation="; ".join([*fit.why, _reach_text(reach[i], hops, max_hops)]),
                path=path,
            )
        )
    return PartnerAnswer(
        source=node_ref(ties, source), need=need, candidates=candidates, suggestions=_suggestions(ties, s, fits, limit)
    )


def partners_from_store(
    store: Store,
    ties: TieGraph,
    source: str,
    need: PartnerNeed,
    *,
    limit: int = 20,
    max_hops: int = 4,
    snapshot: PathSnapshot | None = None,
) -> PartnerAnswer:
    """:func:`find_partners` with the project evidence read from the store's ``project_texts`` index."""
    evidence = read_evidence(store, need_terms(need))
    return find_partners(ties, source, need, evidence=evidence, limit=limit, max_hops=max_hops, snapshot=snapshot)


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


def _suggestions(ties: TieGraph, s: int, fits: dict[str, Assessment], limit: int) -> list[Suggestion]:
    """Not-yet-tied organisations that fit, ranked by resource allocation times fit, with their reasons."""
    source = ties.ids[s]
    ra = _resource_allocation(ties, s)
    scored = [
        (ra[ties.index[node]] * fit.fit, node)
        for node, fit in fits.items()
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
        if fits[node].why:
            reason += "; " + "; ".join(fits[node].why)
        suggestions.append(
            Suggestion(
                organisation=node_ref(ties, node),
                score=score,
                shared_partners=[node_ref(ties, z) for z in shared[:SHOWN_SHARED]],
                complementary_fields=new_fields,
                matches=fits[node].matches,
                projects=fits[node].projects,
                reason=reason,
            )
        )
    return suggestions
