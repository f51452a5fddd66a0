"""Cross-specialisation events (issue #13): whom to invite, and who should meet whom, with reasons.

An :class:`EventBrief` names two or more sides to bridge (fields, clusters or free keywords of the
competence index), how many to invite, how many meetings one organisation may have, quotas per side
and exclusions. :func:`plan_event` turns it into an :class:`EventPlan`: a ranked invite list per side,
each invitee with the evidence that makes it worth inviting, and meetings between organisations of
different sides that are not yet tied, chosen as a maximum-weight b-matching under the meeting cap.

These models are the contract between the planner, the CLI, the API and the stored events.
Scoring, quotas and the b-matching are described in ``docs/events.md``.

Over 400 lines on purpose: the brief, its validation against the graph, the invitee and meeting
scores and the b-matching are one definition of "a plan"; the stored events read the same models.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, Field, ValidationError
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csgraph

from innograph.errors import InvalidRequestError
from innograph.queries.competence import Evidence, Term, assess, competences, read_evidence, terms_of
from innograph.queries.paths import NodeRef, node_ref
from innograph.queries.tie_graph import CLUSTER_KIND, TieGraph
from innograph.text import fold

if TYPE_CHECKING:
    from innograph.graph.store import Store

MAX_SIDES = 6
MAX_INVITEES = 500


class EventSide(BaseModel):
    """One side of the event: organisations with this competence (any of the given fields, clusters, keywords)."""

    label: str = Field(min_length=1, max_length=100, description='shown on lists, e.g. "Photonics"')
    fields: list[str] = Field(default_factory=list, max_length=20, description="specialisation field ids or names")
    clusters: list[str] = Field(default_factory=list, max_length=20, description="cluster ids or names")
    keywords: list[str] = Field(default_factory=list, max_length=20, description="competence words, English or German")
    quota: int | None = Field(default=None, ge=1, le=MAX_INVITEES, description="invitees of this side (None: share)")


class EventBrief(BaseModel):
    """What the agency wants from an event."""

    title: str = Field(min_length=1, max_length=200)
    date: dt.date | None = None
    sides: list[EventSide] = Field(min_length=2, max_length=MAX_SIDES)
    region: str | None = Field(default=None, max_length=10, description="NUTS prefix every invitee must be in")
    home_only: bool = Field(default=True, description="invite organisations of the home ecosystem only")
    size: int = Field(default=40, ge=2, le=MAX_INVITEES, description="invitees in all")
    meetings_per_organisation: int = Field(default=3, ge=1, le=20, description="the meeting cap")
    exclude: list[str] = Field(default_factory=list, max_length=500, description="organisation ids not to invite")


class Invitee(BaseModel):
    """An organisation on one side's invite list, with why it should come."""

    organisation: NodeRef
    side: str
    score: float = Field(ge=0)
    reasons: list[str] = Field(description="each a sentence naming evidence from the data")


class Meeting(BaseModel):
    """A proposed meeting between two invitees of different sides who are not tied yet."""

    a: NodeRef
    b: NodeRef
    side_a: str
    side_b: str
    score: float = Field(ge=0)
    hops: int | None = Field(description="shortest chain of ties between them now (None: not connected)")
    reason: str


class EventPlan(BaseModel):
    """The plan for a brief on one graph version."""

    brief: EventBrief
    graph_version: int | None
    invitees: list[Invitee]
    meetings: list[Meeting]
    notes: list[str] = Field(default_factory=list, description="what the planner could not do, in words")


def brief_of(data: Mapping[str, Any]) -> EventBrief:
    """The brief in ``data`` (JSON, a form); what the model refuses is the user's mistake, named by its parameter."""
    try:
        return EventBrief.model_validate(data)
    except ValidationError as e:
        parts = [f"{'.'.join(str(p) for p in err['loc']) or 'brief'}: {err['msg']}" for err in e.errors()]
        raise InvalidRequestError("; ".join(parts)) from e


# --- the planner ----------------------------------------------------------------------

SHOWN_NAMES = 3  # organisations named in a reason
PAIRS_PER_INVITEE = 12  # candidate meetings kept per invitee before the b-matching
CLUSTER_FIT = 0.8  # competence of a cluster member on a side asking for that cluster (as a declared field)
BROKER_WEIGHT, LONELY_WEIGHT, COMPLEMENT_WEIGHT = 0.3, 0.2, 0.2
FIT_WEIGHT, MEETING_COMPLEMENT_WEIGHT, STRUCTURE_WEIGHT = 0.4, 0.3, 0.3
STRUCTURE = {2: 1.0, 3: 0.8}  # meeting value by hops now; farther or not connected: 0.5


@dataclass
class _Side:
    """One side resolved on the tie graph: its terms, cluster members and candidates with their fit."""

    number: int
    spec: EventSide
    terms: list[Term]
    clusters: dict[str, str]  # cluster id -> name
    fits: dict[str, float]
    why: dict[str, list[str]]


def _cluster_members(ties: TieGraph) -> dict[str, tuple[str, set[str]]]:
    """Cluster id -> (name, organisations): members and managers, from the tie graph's cluster evidence."""
    found: dict[str, tuple[str, set[str]]] = {}
    for _, _, clusters in ties.graph.edges(data="clusters"):
        for e in clusters or ():
            _, members = found.setdefault(e.id, (e.name, set()))
            members.update(m for m in (e.member_id, e.manager_id) if m and m in ties.graph)
    return found


def _resolve(
    ties: TieGraph, brief: EventBrief, names: Mapping[str, str]
) -> tuple[list[tuple[EventSide, list[Term], dict[str, str]]], dict[str, tuple[str, set[str]]]]:
    """Each side's terms and clusters; unknown fields or clusters and empty sides are the user's mistake."""
    clusters = _cluster_members(ties)
    by_name = {fold(name): cid for cid, (name, _) in clusters.items()}
    field_texts = [
        folded for _, data in ties.graph.nodes(data=True) for p, _, folded in data.get("profile", ()) if p == "field"
    ]
    resolved = []
    for i, side in enumerate(brief.sides):
        if not (side.fields or side.clusters or side.keywords):
            raise InvalidRequestError(f"sides.{i}: give fields, clusters or keywords for side {side.label!r}")
        fields = [names.get(f.strip(), f.strip()) for f in side.fields]
        for j, f in enumerate(fields):
            term = Term.of(f, "field")
            if not f or not any(term.pattern.search(text) for text in field_texts):
                raise InvalidRequestError(f"sides.{i}.fields.{j}: unknown field {side.fields[j]!r}")
        chosen = {}
        for j, c in enumerate(side.clusters):
            cid = c.strip() if c.strip() in clusters else by_name.get(fold(names.get(c.strip(), c)))
            if cid is None:
                raise InvalidRequestError(f"sides.{i}.clusters.{j}: unknown cluster {c!r}")
            chosen[cid] = clusters[cid][0]
        keywords = [k.strip() for k in side.keywords if k.strip()]
        resolved.append((side, terms_of(keywords, fields), chosen))
    return resolved, clusters


def _eligible(ties: TieGraph, brief: EventBrief, notes: list[str]) -> Callable[[str, Mapping[str, Any]], bool]:
    excluded = set(brief.exclude)
    any_home = any(data.get("home") for _, data in ties.graph.nodes(data=True))
    if brief.home_only and not any_home:
        notes.append("the graph marks no organisation as home ecosystem, so home_only invites from everyone")
    region = (brief.region or "").upper()

    def keep(node: str, data: Mapping[str, Any]) -> bool:
        return (
            data["kind"] != CLUSTER_KIND
            and node not in excluded
            and (not brief.home_only or not any_home or bool(data.get("home")))
            and (data.get("region") or "").upper().startswith(region)
        )

    return keep


def _sides(
    ties: TieGraph, brief: EventBrief, evidence: Evidence, names: Mapping[str, str], notes: list[str]
) -> list[_Side]:
    """Every side's candidates (fit > 0 or member of a named cluster); each organisation on its best side."""
    resolved, clusters = _resolve(ties, brief, names)
    keep = _eligible(ties, brief, notes)
    sides = []
    for i, (spec, terms, chosen) in enumerate(resolved):
        found = competences(ties.graph.nodes(data=True), evidence, terms, keep) if terms else {}
        fits = {node: a.fit for node, a in found.items()}
        why = {node: list(a.why) for node, a in found.items()}
        for cid, name in chosen.items():
            for node in sorted(clusters[cid][1]):
                if keep(node, ties.graph.nodes[node]):
                    fits[node] = max(fits.get(node, 0.0), CLUSTER_FIT)
                    why.setdefault(node, []).append(f"member of the cluster {name}")
        sides.append(_Side(i, spec, terms, chosen, fits, why))
    for node in {n for side in sides for n in side.fits}:
        on = [side for side in sides if node in side.fits]
        best = max(on, key=lambda side: side.fits[node])  # the first of equal ones
        for side in on:
            if side is not best:
                del side.fits[node]
                best.why[node].append(f"also on {side.spec.label}: " + "; ".join(side.why.pop(node)))
    for side in sides:
        if not side.fits:
            raise InvalidRequestError(f"sides.{side.number}: no organisation matches side {side.spec.label!r}")
    total = sum(len(side.fits) for side in sides)
    if brief.size > total:
        raise InvalidRequestError(f"size: {brief.size} invitees asked for, only {total} organisations match the sides")
    return sides


def _quotas(brief: EventBrief, sides: list[_Side], notes: list[str]) -> list[int]:
    """Invitees per side: the side's quota, else an even share of what is left; short sides pass on their slots."""
    fixed = sum(side.spec.quota or 0 for side in sides)
    if fixed > brief.size:
        raise InvalidRequestError(f"sides: the quotas add up to {fixed}, more than size {brief.size}")
    free = [side for side in sides if side.spec.quota is None]
    rest = brief.size - fixed
    wanted = [side.spec.quota or 0 for side in sides]
    for k, side in enumerate(free):
        wanted[side.number] = rest // len(free) + (1 if k < rest % len(free) else 0)
    if not free and fixed < brief.size:
        notes.append(f"the quotas add up to {fixed} invitees, fewer than size {brief.size}")
    quotas = [min(w, len(side.fits)) for w, side in zip(wanted, sides, strict=True)]
    spare = sum(wanted) - sum(quotas)
    for side, w, q in zip(sides, wanted, quotas, strict=True):
        if q < w:
            notes.append(f"only {q} organisations match {side.spec.label}; the quota of {w} is not reached")
    for side in sorted(free, key=lambda s: -len(s.fits)):
        extra = min(spare, len(side.fits) - quotas[side.number])
        quotas[side.number] += extra
        spare -= extra
    return quotas


def _names_of(ties: TieGraph, nodes: Iterable[str]) -> str:
    nodes = list(nodes)
    shown = ", ".join(ties.graph.nodes[n]["name"] for n in nodes[:SHOWN_NAMES])
    return shown + (f" and {len(nodes) - SHOWN_NAMES} more" if len(nodes) > SHOWN_NAMES else "")


@dataclass
class _Structure:
    """Hop distances from every candidate and the sparse adjacency, for the structural reasons."""

    rows: dict[str, int]
    hops: np.ndarray  # candidates x nodes, inf when not connected
    adjacency: sparse.csr_matrix


def _structure(ties: TieGraph, candidates: list[str]) -> _Structure:
    n = len(ties.ids)
    adjacency = sparse.csr_matrix((np.ones(len(ties.indices)), ties.indices, ties.indptr), shape=(n, n))
    rows = [ties.index[c] for c in candidates]
    hops = csgraph.shortest_path(adjacency, unweighted=True, directed=False, indices=rows) if rows else np.zeros((0, n))
    return _Structure({c: k for k, c in enumerate(candidates)}, np.atleast_2d(hops), adjacency)


def _invitee_scores(ties: TieGraph, sides: list[_Side], structure: _Structure) -> dict[str, tuple[float, list[str]]]:
    """Score and reasons of every candidate: its fit, closeness to the other sides, ties missing, complementarity."""
    scored = {}
    for side in sides:
        others = [o for o in sides if o is not side]
        other_nodes = [n for o in others for n in o.fits]
        other_label = " and ".join(o.spec.label for o in others)
        columns = np.array([ties.index[n] for n in other_nodes])
        for node, fit in side.fits.items():
            i = ties.index[node]
            distance = structure.hops[structure.rows[node], columns]
            tied = [n for n, d in zip(other_nodes, distance, strict=True) if d == 1]
            near = int(np.sum(distance == 2))
            reasons = list(side.why[node])
            partners = {z for z in ties.graph[node] if ties.graph.edges[node, z]["projects"]}
            own_partners = sum(1 for z in partners if z in side.fits)
            if near:
                neighbours = ties.indices[ties.indptr[i] : ties.indptr[i + 1]]
                # per neighbour: how many of the other side's candidates 2 hops away it is tied to
                through = np.asarray(structure.adjacency[neighbours][:, columns[distance == 2]].sum(axis=1)).ravel()
                via = neighbours[np.argmax(through)]
                reasons.append(
                    f"2 hops from {near} of the {len(other_nodes)} {other_label} candidates, "
                    f"{int(through.max())} of them via {ties.graph.nodes[ties.ids[via]]['name']}"
                )
            if tied:
                reasons.append(f"already tied to {len(tied)} {other_label} candidates: {_names_of(ties, tied)}")
            lonely = own_partners > 0 and not tied
            if lonely:
                reasons.append(f"{own_partners} partners on {side.spec.label}, 0 ties to {other_label}")
            complement = sum(1 for line in side.why[node] if line.startswith("also on "))
            score = (
                fit
                + BROKER_WEIGHT * near / len(other_nodes)
                + LONELY_WEIGHT * (min(own_partners, 5) / 5 if lonely else 0.0)
                + COMPLEMENT_WEIGHT * min(complement, 1)
            )
            scored[node] = (score, reasons)
    return scored


def _meeting_candidates(
    ties: TieGraph, sides: list[_Side], invited: dict[str, int], structure: _Structure, evidence: Evidence
) -> list[tuple[float, str, str, int | None, str]]:
    """Pairs of invitees of different sides not tied yet, with score, hops and reason; the best N per invitee."""
    cross = {
        (node, other.number): assess(ties.graph.nodes[node]["profile"], evidence.get(node, []), other.terms).fit
        if other.terms
        else 0.0
        for node, s in invited.items()
        for other in sides
        if other.number != s
    }
    pairs = []
    nodes = sorted(invited)
    for x, a in enumerate(nodes):
        for b in nodes[x + 1 :]:
            sa, sb = invited[a], invited[b]
            if sa == sb or ties.graph.has_edge(a, b):
                continue
            d = structure.hops[structure.rows[a], ties.index[b]]
            hops = None if np.isinf(d) else int(d)
            complement = (cross[a, sb] + cross[b, sa]) / 2
            fit = sides[sa].fits[a] * sides[sb].fits[b]
            structural = STRUCTURE.get(hops or 0, 0.5)
            score = FIT_WEIGHT * fit + MEETING_COMPLEMENT_WEIGHT * complement + STRUCTURE_WEIGHT * structural
            pairs.append((score, a, b, hops))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    kept, count = [], dict.fromkeys(nodes, 0)
    for pair in pairs:
        if count[pair[1]] < PAIRS_PER_INVITEE or count[pair[2]] < PAIRS_PER_INVITEE:
            kept.append((*pair, _meeting_reason(ties, sides, pair[1], pair[2], pair[3], cross)))
            count[pair[1]] += 1
            count[pair[2]] += 1
    return kept


def _meeting_reason(
    ties: TieGraph, sides: list[_Side], a: str, b: str, hops: int | None, cross: dict[tuple[str, int], float]
) -> str:
    sa, sb = (next(s for s in sides if n in s.fits) for n in (a, b))
    name = ties.graph.nodes

    def first_why(side: _Side, node: str) -> str:
        return side.why[node][0] if side.why[node] else f"fits {side.spec.label}"

    parts = [
        f"{name[a]['name']} brings {sa.spec.label} ({first_why(sa, a)}), "
        f"{name[b]['name']} brings {sb.spec.label} ({first_why(sb, b)})"
    ]
    if hops == 2:
        via = sorted(set(ties.graph[a]) & set(ties.graph[b]), key=lambda z: (-ties.graph.degree(z), z))
        parts.append(f"not tied yet, 2 hops apart via {_names_of(ties, via)}")
    elif hops is None:
        parts.append("not connected by any chain of ties yet")
    else:
        parts.append(f"not tied yet, {hops} hops apart")
    for node, other in ((a, sb), (b, sa)):
        if cross[node, other.number] > 0:
            parts.append(f"{name[node]['name']} also fits {other.spec.label}")
    return "; ".join(parts)


def _b_matching(pairs: list[tuple[float, str, str, int | None, str]], cap: int) -> list[int]:
    """The pairs of a maximum-weight b-matching (each organisation in at most ``cap``), by HiGHS through milp."""
    if not pairs:
        return []
    nodes = sorted({n for p in pairs for n in p[1:3]})
    row = {n: k for k, n in enumerate(nodes)}
    cols = np.repeat(np.arange(len(pairs)), 2)
    rows = np.array([row[n] for p in pairs for n in p[1:3]])
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(nodes), len(pairs)))
    result = milp(
        c=-np.array([p[0] for p in pairs]),
        constraints=LinearConstraint(matrix, -np.inf, cap),
        integrality=np.ones(len(pairs)),
        bounds=Bounds(0, 1),
    )
    if result.x is None:  # pragma: no cover - the all-zero choice is always feasible
        raise RuntimeError(f"b-matching failed: {result.message}")
    return [k for k in range(len(pairs)) if result.x[k] > 0.5]


def plan_event(
    ties: TieGraph, brief: EventBrief, *, evidence: Evidence | None = None, names: Mapping[str, str] | None = None
) -> EventPlan:
    """The invite lists and meetings for ``brief`` (module docstring and ``docs/events.md``).

    ``evidence`` maps organisation ids to their projects on the sides' keywords
    (:func:`queries.competence.read_evidence`); ``names`` maps field and cluster ids to names, so a
    brief may give either. A brief the graph cannot serve raises :class:`InvalidRequestError` naming
    the parameter.
    """
    evidence, notes = evidence or {}, []
    sides = _sides(ties, brief, evidence, names or {}, notes)
    quotas = _quotas(brief, sides, notes)
    candidates = sorted(n for side in sides for n in side.fits)
    structure = _structure(ties, candidates)
    scored = _invitee_scores(ties, sides, structure)
    invitees, invited = [], {}
    for side, quota in zip(sides, quotas, strict=True):
        ranked = sorted(side.fits, key=lambda n: (-scored[n][0], ties.graph.nodes[n]["name"], n))[:quota]
        for node in ranked:
            invited[node] = side.number
            score, reasons = scored[node]
            invitees.append(
                Invitee(organisation=node_ref(ties, node), side=side.spec.label, score=score, reasons=reasons)
            )
    pairs = _meeting_candidates(ties, sides, invited, structure, evidence)
    chosen = _b_matching(pairs, brief.meetings_per_organisation)
    meetings = [
        Meeting(
            a=node_ref(ties, a), b=node_ref(ties, b), side_a=sides[invited[a]].spec.label,
            side_b=sides[invited[b]].spec.label, score=score, hops=hops, reason=reason,
        )
        for score, a, b, hops, reason in (pairs[k] for k in chosen)
    ]  # fmt: skip
    meetings.sort(key=lambda m: (-m.score, m.a.name, m.b.name))
    unmet = [i for i in invitees if not any(i.organisation.id in (m.a.id, m.b.id) for m in meetings)]
    if unmet:
        notes.append(
            f"{len(unmet)} invitee{' gets' if len(unmet) == 1 else 's get'} no meeting (all their cross-side "
            f"partners are tied to them already or at their cap): {_names_of(ties, [i.organisation.id for i in unmet])}"
        )
    return EventPlan(brief=brief, graph_version=ties.version, invitees=invitees, meetings=meetings, notes=notes)


def event_from_store(
    store: Store, ties: TieGraph, brief: EventBrief, names: Mapping[str, str] | None = None
) -> EventPlan:
    """:func:`plan_event` with the project evidence for every side's keywords read from the ``project_texts`` index."""
    terms = [t for side in brief.sides for t in terms_of([k for k in side.keywords if k.strip()])]
    return plan_event(ties, brief, evidence=read_evidence(store, terms), names=names)
