"""Gap analyses for strategists: where the ecosystem is thin, lopsided or fragile, and which ties are missing.

Each function takes the cooperation graph (plus group memberships where it
needs them) and returns a table: a list of pydantic rows, each with a
plain-language ``explanation`` a strategist can paste into a report.

a. :func:`under_connected_pairs` — field x field or cluster x cluster ties against
   the configuration-model expectation (what the actors' degrees alone predict);
b. :func:`science_industry_linkage` — per field, the share of companies tied to
   any university or research institute;
c. :func:`regional_ties` and :func:`peripheral_organisations` — NUTS-3 regions by
   internal vs external ties; isolated and single-tie organisations;
d. :func:`fragility` — articulation points and bridges that split the graph or a
   cluster, with what splits off;
e. :func:`missing_links` — top predicted pairs (Adamic-Adar, resource
   allocation, community-aware resource allocation) with the shared partners
   that justify them.

Ties are counted unweighted here: a gap is about whether organisations meet at all.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterable, Mapping
from typing import Literal

import networkx as nx
import numpy as np
import scipy.sparse as sp
from pydantic import BaseModel

from innograph.queries.compiled import CompiledGraph, compiled
from innograph.queries.cuts import find_cuts
from innograph.queries.projection import COLLABORATION_WEIGHT

SCIENCE_KINDS = frozenset({"University", "ResearchInstitute"})
LinkMethod = Literal["resource_allocation", "adamic_adar", "community_resource_allocation"]
_CHUNK_ROWS = 1024
_LISTED = 5


def _name(graph: nx.Graph, node: Hashable) -> str:
    return str(graph.nodes[node].get("name") or node)


def _listing(names: list[str], total: int | None = None) -> str:
    """'A, B, C and 4 more' for explanations."""
    total = len(names) if total is None else total
    shown = ", ".join(names[:_LISTED])
    return shown + (f" and {total - _LISTED} more" if total > _LISTED else "")


def _membership_matrix(cg: CompiledGraph, groups: Mapping[Hashable, Iterable[str]]) -> tuple[sp.csr_array, list[str]]:
    """Organisations x groups 0/1 matrix and the group ids in column order."""
    ids = sorted({g for node in cg.nodes for g in groups.get(node, ())})
    column = {g: j for j, g in enumerate(ids)}
    rows, cols = [], []
    for i, node in enumerate(cg.nodes):
        for g in set(groups.get(node, ())):
            rows.append(i)
            cols.append(column[g])
    data = np.ones(len(rows))
    return sp.csr_array((data, (rows, cols)), shape=(cg.n, len(ids))), ids


# --- a. under-connected group pairs ---------------------------------------------


class GroupPairGap(BaseModel):
    """Two fields (or clusters) whose organisations cooperate less than their degrees predict."""

    kind: str
    group_a: str
    group_b: str
    name_a: str
    name_b: str
    observed: int
    expected: float
    ratio: float
    explanation: str


def under_connected_pairs(
    graph: nx.Graph,
    groups: Mapping[Hashable, Iterable[str]],
    names: Mapping[str, str] | None = None,
    *,
    kind: str = "field",
    top: int = 10,
    min_expected: float = 1.0,
) -> list[GroupPairGap]:
    """Group pairs with the fewest ties relative to the configuration-model expectation.

    Observed ties between groups A and B count (u in A, v in B) neighbour pairs;
    the expectation under the configuration model is Σ k_u k_v / 2m over the same
    pairs (u ≠ v). Pairs expecting fewer than ``min_expected`` ties are left out:
    a tiny expectation says nothing.

    >>> g = nx.Graph([("a1", "b1"), ("a2", "b2"), ("a1", "c1"), ("b1", "b2"), ("c1", "c2"), ("a2", "c2")])
    >>> fields = {"a1": ["A"], "a2": ["A"], "b1": ["B"], "b2": ["B"], "c1": ["C"], "c2": ["C"]}
    >>> gap = under_connected_pairs(g, fields, min_expected=0)[0]
    >>> gap.group_a, gap.group_b, gap.observed
    ('B', 'C', 0)
    """
    names = names or {}
    cg = compiled(graph, COLLABORATION_WEIGHT)
    membership, ids = _membership_matrix(cg, groups)
    degrees = cg.degrees.astype(float)
    two_m = degrees.sum()
    if not ids or two_m == 0:
        return []
    observed = (membership.T @ cg.binary @ membership).toarray()
    totals = membership.T @ degrees
    self_pairs = (membership.T @ sp.diags_array(degrees**2) @ membership).toarray()
    expected = (np.outer(totals, totals) - self_pairs) / two_m
    a, b = np.triu_indices(len(ids), k=1)
    keep = expected[a, b] >= max(min_expected, 1e-12)
    a, b = a[keep], b[keep]
    ratios = observed[a, b] / expected[a, b]
    order = np.lexsort((-expected[a, b], ratios))[:top]
    rows = []
    for i, j in zip(a[order].tolist(), b[order].tolist(), strict=True):
        ga, gb = ids[i], ids[j]
        obs, exp = int(observed[i, j]), float(expected[i, j])
        na, nb = names.get(ga, ga), names.get(gb, gb)
        rows.append(
            GroupPairGap(
                kind=kind,
                group_a=ga,
                group_b=gb,
                name_a=na,
                name_b=nb,
                observed=obs,
                expected=round(exp, 3),
                ratio=round(obs / exp, 4),
                explanation=(
                    f"{na} and {nb}: {obs} ties between their organisations, where their numbers of partners "
                    f"alone would predict {exp:.1f} ({obs / exp:.0%} of expected)."
                ),
            )
        )
    return rows


# --- b. science-industry linkage ---------------------------------------------------


class FieldLinkage(BaseModel):
    """How many of a field's companies are tied to science."""

    field: str
    name: str
    companies: int
    linked_companies: int
    share: float
    explanation: str


def science_industry_linkage(
    graph: nx.Graph, fields: Mapping[Hashable, Iterable[str]], names: Mapping[str, str] | None = None
) -> list[FieldLinkage]:
    """Per field, the share of its companies with a tie to any university or research institute; lowest first.

    >>> g = nx.Graph([("c1", "u"), ("c2", "c3")])
    >>> nx.set_node_attributes(g, {"c1": "Company", "c2": "Company", "c3": "Company", "u": "University"}, "kind")
    >>> [(row.field, row.linked_companies, row.companies) for row in
    ...  science_industry_linkage(g, {"c1": ["A"], "c2": ["B"], "c3": ["B"], "u": ["A"]})]
    [('B', 0, 2), ('A', 1, 1)]
    """
    names = names or {}
    cg = compiled(graph, COLLABORATION_WEIGHT)
    kinds = [graph.nodes[node].get("kind") for node in cg.nodes]
    science = np.array([kind in SCIENCE_KINDS for kind in kinds], dtype=float)
    linked = (cg.binary @ science) > 0
    per_field: dict[str, list[int]] = {}
    for i, node in enumerate(cg.nodes):
        if kinds[i] == "Company":
            for f in set(fields.get(node, ())):
                per_field.setdefault(f, []).append(i)
    rows = []
    for f, members in per_field.items():
        count, tied = len(members), int(linked[members].sum())
        name = names.get(f, f)
        rows.append(
            FieldLinkage(
                field=f,
                name=name,
                companies=count,
                linked_companies=tied,
                share=round(tied / count, 4),
                explanation=(
                    f"In {name}, {tied} of {count} companies ({tied / count:.0%}) cooperate with at least one "
                    "university or research institute."
                ),
            )
        )
    rows.sort(key=lambda row: (row.share, -row.companies, row.field))
    return rows


# --- c. regions, isolated and peripheral organisations -----------------------------------


class RegionTies(BaseModel):
    """A NUTS-3 region's ties inside and across its border."""

    region: str
    name: str
    organisations: int
    internal_ties: int
    external_ties: int
    ties_per_organisation: float
    internal_share: float
    explanation: str


def regional_ties(graph: nx.Graph, names: Mapping[str, str] | None = None) -> list[RegionTies]:
    """Regions (the ``region`` attribute) by internal vs external ties; least connected per organisation first.

    >>> g = nx.Graph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(g, {"a": "DEG03", "b": "DEG03", "c": "DEG01"}, "region")
    >>> [(r.region, r.internal_ties, r.external_ties) for r in regional_ties(g)]
    [('DEG01', 0, 1), ('DEG03', 1, 1)]
    """
    names = names or {}
    region_of = nx.get_node_attributes(graph, "region")
    counts: dict[str, list[int]] = {}
    for node in graph:
        if node in region_of:
            counts.setdefault(region_of[node], [0, 0, 0])[0] += 1
    for u, v in graph.edges():
        ru, rv = region_of.get(u), region_of.get(v)
        if ru is not None and ru == rv:
            counts[ru][1] += 1
            continue
        for r in (ru, rv):
            if r is not None:
                counts[r][2] += 1
    rows = []
    for region, (orgs, inside, outside) in counts.items():
        total = inside + outside
        share = inside / total if total else 0.0
        name = names.get(region, region)
        rows.append(
            RegionTies(
                region=region,
                name=name,
                organisations=orgs,
                internal_ties=inside,
                external_ties=outside,
                ties_per_organisation=round(total / orgs, 3),
                internal_share=round(share, 4),
                explanation=(
                    f"{name}: {orgs} organisations with {inside} ties inside the region and {outside} to "
                    f"organisations elsewhere ({total / orgs:.1f} ties per organisation, {share:.0%} internal)."
                ),
            )
        )
    rows.sort(key=lambda row: (row.ties_per_organisation, row.region))
    return rows


class PeripheralOrganisation(BaseModel):
    """An organisation with no tie, or only one."""

    id: str
    name: str
    degree: int
    only_partner: str | None
    explanation: str


def peripheral_organisations(graph: nx.Graph) -> list[PeripheralOrganisation]:
    """Isolated organisations (no tie) first, then those whose only tie is one partner.

    >>> [(row.id, row.degree, row.only_partner) for row in peripheral_organisations(nx.Graph([(1, 2), (2, 3)]))]
    [('1', 1, '2'), ('3', 1, '2')]
    """
    rows = []
    for node, degree in graph.degree():
        if degree > 1:
            continue
        name = _name(graph, node)
        if degree == 0:
            rows.append(
                PeripheralOrganisation(
                    id=str(node),
                    name=name,
                    degree=0,
                    only_partner=None,
                    explanation=f"{name} has no cooperation tie in the graph.",
                )
            )
            continue
        partner = next(iter(graph[node]))
        rows.append(
            PeripheralOrganisation(
                id=str(node),
                name=name,
                degree=1,
                only_partner=str(partner),
                explanation=f"{name}'s only cooperation tie is {_name(graph, partner)}.",
            )
        )
    rows.sort(key=lambda row: (row.degree, row.name, row.id))
    return rows


# --- d. fragility ---------------------------------------------------------------------


class FragilityRow(BaseModel):
    """An organisation or a tie whose loss splits the ecosystem or a cluster."""

    scope: str
    kind: Literal["organisation", "tie"]
    subject: list[str]
    subject_names: list[str]
    cut_off: int
    cut_off_ids: list[str]
    explanation: str


def _scope_rows(graph: nx.Graph, cg: CompiledGraph, scope: str, top: int) -> list[FragilityRow]:
    points, bridges = find_cuts(cg)
    cuts = sorted(points + bridges, key=lambda cut: (-cut.count, len(cut.subject), [str(s) for s in cut.subject]))
    rows = []
    for cut in cuts[:top]:
        members = cut.cut_off()
        member_names = _listing([_name(graph, v) for v in members])
        subject_names = [_name(graph, s) for s in cut.subject]
        lose = f"{cut.count} organisation{'s' if cut.count != 1 else ''} ({member_names})"
        if len(cut.subject) == 1:
            text = f"If {subject_names[0]} leaves, {lose} lose their only tie to the rest of {scope}."
        else:
            text = f"If the tie {subject_names[0]} - {subject_names[1]} ends, {lose} lose their only tie to {scope}."
        rows.append(
            FragilityRow(
                scope=scope,
                kind="organisation" if len(cut.subject) == 1 else "tie",
                subject=[str(s) for s in cut.subject],
                subject_names=subject_names,
                cut_off=cut.count,
                cut_off_ids=[str(v) for v in members],
                explanation=text,
            )
        )
    return rows


def fragility(
    graph: nx.Graph,
    clusters: Mapping[Hashable, Iterable[str]] | None = None,
    names: Mapping[str, str] | None = None,
    *,
    top: int = 20,
) -> list[FragilityRow]:
    """Articulation points and bridges of the whole graph and of each cluster's internal ties, biggest split first.

    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("a", "f"), ("c", "d"), ("d", "e")])
    >>> print(fragility(g, top=1)[0].explanation)
    If c leaves, 2 organisations (d, e) lose their only tie to the rest of the ecosystem.
    """
    names = names or {}
    cg = compiled(graph, COLLABORATION_WEIGHT)
    rows = _scope_rows(graph, cg, "the ecosystem", top)
    members: dict[str, list[int]] = {}
    for i, node in enumerate(cg.nodes):
        for cluster in set((clusters or {}).get(node, ())):
            members.setdefault(cluster, []).append(i)
    for cluster in sorted(members):
        name = names.get(cluster, cluster)
        rows.extend(_scope_rows(graph, cg.induced(np.array(members[cluster])), f"cluster {name}", top))
    return rows


# --- e. missing links ----------------------------------------------------------------


class PredictedLink(BaseModel):
    """Two organisations not yet tied, with the shared partners that suggest they should be."""

    a: str
    b: str
    name_a: str
    name_b: str
    method: str
    score: float
    shared: list[str]
    explanation: str


def _neighbour_weights(cg: CompiledGraph, method: LinkMethod) -> np.ndarray:
    degrees = cg.degrees.astype(float)
    with np.errstate(divide="ignore"):
        if method == "adamic_adar":
            return np.where(degrees > 1, 1.0 / np.log(np.maximum(degrees, 2)), 0.0)
        return np.where(degrees > 0, 1.0 / np.maximum(degrees, 1), 0.0)


def _top_pairs(cg: CompiledGraph, left: sp.csr_array, weights: np.ndarray, top: int) -> list[tuple[float, int, int]]:
    """The ``top`` unlinked pairs (i < j) by Σ_w left[i,w]·weights[w]·left[j,w], in row chunks."""
    best: list[tuple[float, int, int]] = []
    right = sp.csr_array(sp.diags_array(weights) @ left.T)
    for start in range(0, cg.n, _CHUNK_ROWS):
        scores = sp.coo_array(left[start : start + _CHUNK_ROWS] @ right)
        rows, cols = scores.row + start, scores.col
        upper = cols > rows
        rows, cols, data = rows[upper], cols[upper], scores.data[upper]
        linked = np.asarray(cg.binary[rows, cols]).ravel() > 0
        rows, cols, data = rows[~linked], cols[~linked], data[~linked]
        if len(data) > top:
            keep = np.argpartition(-data, top)[:top]
            rows, cols, data = rows[keep], cols[keep], data[keep]
        best = heapq.nsmallest(top, best + list(zip((-data).tolist(), rows.tolist(), cols.tolist(), strict=True)))
    return [(-score, i, j) for score, i, j in best]


def missing_links(
    graph: nx.Graph,
    *,
    method: LinkMethod = "resource_allocation",
    communities: Mapping[Hashable, int] | None = None,
    top: int = 20,
) -> list[PredictedLink]:
    """Top predicted new ties by shared partners, as NetworkX's link-prediction indices score them.

    ``resource_allocation`` and ``adamic_adar`` weigh each shared partner by
    1/degree and 1/log(degree) (a partner with few ties says more);
    ``community_resource_allocation`` (Soundarajan-Hopcroft) counts only shared
    partners in the same community as both, so it proposes ties inside communities.

    >>> g = nx.Graph([("a", "x"), ("b", "x"), ("a", "y"), ("b", "y"), ("x", "y"), ("y", "c")])
    >>> link = missing_links(g, top=1)[0]
    >>> link.a, link.b, round(link.score, 4), link.shared
    ('a', 'b', 0.5833, ['x', 'y'])
    """
    cg = compiled(graph, COLLABORATION_WEIGHT)
    weights = _neighbour_weights(cg, method)
    left = cg.binary
    if method == "community_resource_allocation":
        if communities is None:
            raise ValueError("community_resource_allocation needs communities")
        label = np.array([communities[node] for node in cg.nodes])
        coo = sp.coo_array(cg.binary)
        same = label[coo.row] == label[coo.col]
        left = sp.csr_array((coo.data[same], (coo.row[same], coo.col[same])), shape=coo.shape)
    rows = []
    for score, i, j in _top_pairs(cg, left, weights, top):
        shared = np.flatnonzero(left[[i]].toarray().ravel() * left[[j]].toarray().ravel())
        shared = shared[np.lexsort((shared, -weights[shared]))]
        u, v = cg.nodes[i], cg.nodes[j]
        shared_names = [_name(graph, cg.nodes[w]) for w in shared.tolist()]
        rows.append(
            PredictedLink(
                a=str(u),
                b=str(v),
                name_a=_name(graph, u),
                name_b=_name(graph, v),
                method=method,
                score=score,
                shared=[str(cg.nodes[w]) for w in shared.tolist()],
                explanation=(
                    f"{_name(graph, u)} and {_name(graph, v)} have not cooperated, but share {len(shared)} "
                    f"partner{'s' if len(shared) != 1 else ''} ({_listing(shared_names)}); "
                    f"{method.replace('_', ' ')} score {score:.3g}."
                ),
            )
        )
    return rows
