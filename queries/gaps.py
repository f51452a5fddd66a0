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

The home ecosystem comes first (``home`` node attribute, see :mod:`queries.scope`): regions
are the home NUTS-3 districts, fragility counts home organisations cut off from the rest of
the home ecosystem, missing links have at least one home side, the periphery is home
organisations, and :func:`home_science_industry` measures science-industry linkage from the
organisations' kinds alone (no fields needed). Partners elsewhere are context: they carry
ties and paths, but are not listed. A graph without home organisations counts everyone as home.
The callers pass ``ecosystem_name`` (the explanations name it) and ``home_prefixes``.

Over 400 lines on purpose: every gap table (field and cluster pairs, linkage, districts, periphery,
fragility, missing links) shares the home-ecosystem rules and the explanation helpers at the top.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterable, Mapping
from typing import Literal

import networkx as nx
import numpy as np
import scipy.sparse as sp
from pydantic import BaseModel, Field

from innograph.queries.compiled import CompiledGraph, compiled
from innograph.queries.cuts import find_cuts
from innograph.queries.projection import COLLABORATION_WEIGHT
from innograph.queries.scope import home_nodes, home_or_everyone

SCIENCE_KINDS = frozenset({"University", "ResearchInstitute"})
DISTRICT_LENGTH = 5  # a NUTS-3 code: DEG03
MIN_REGION_ORGANISATIONS = 3
LinkMethod = Literal["resource_allocation", "adamic_adar", "community_resource_allocation"]
_CHUNK_ROWS = 1024
_LISTED = 5


def _name(graph: nx.Graph, node: Hashable) -> str:
    return str(graph.nodes[node].get("name") or node)


def _home_mask(graph: nx.Graph, cg: CompiledGraph) -> np.ndarray:
    """Home organisations by position (everyone when the graph has none)."""
    home = home_or_everyone(graph)
    return np.array([node in home for node in cg.nodes], dtype=bool)


def district_of(region: str | None, home_prefixes: Iterable[str]) -> str | None:
    """The home NUTS-3 district of a region code (its first 5 characters under a home prefix), else None.

    >>> district_of("DEG03", ["DEG"]), district_of("DEG", ["DEG"]), district_of("AT314", ["DEG"])
    ('DEG03', None, None)
    """
    if not region or len(region) < DISTRICT_LENGTH:
        return None
    district = region[:DISTRICT_LENGTH]
    return district if any(district.startswith(p) for p in home_prefixes) else None


def _where(graph: nx.Graph, node: Hashable, ecosystem_name: str) -> str:
    """'in Thuringia' for a home organisation, else where it is ('in FR', 'in DE212', 'location unknown')."""
    data = graph.nodes[node]
    if data.get("home"):
        return f"in {ecosystem_name}"
    region, country = data.get("region"), data.get("country")
    if region and country and region != country:
        return f"in {country} ({region})"
    return f"in {region or country}" if region or country else "location unknown"


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


class HomeLinkage(BaseModel):
    """Science-industry linkage of the home ecosystem (overall or one home district), from organisation kinds."""

    region: str = Field(description="a home NUTS-3 district, or '' for the whole home ecosystem")
    name: str
    companies: int = Field(description="home companies (in the district)")
    linked_home: int = Field(description="of them, tied to a home university or research institute")
    linked_any: int = Field(description="of them, tied to any university or research institute")
    share_home: float = Field(description="linked_home / companies")
    home_ties: int = Field(description="ties between two home organisations (one end in the district)")
    science_industry_ties: int = Field(description="of them, ties between a company and a research organisation")
    tie_share: float = Field(description="science_industry_ties / home_ties")
    explanation: str


def home_science_industry(
    graph: nx.Graph, names: Mapping[str, str] | None = None, *, home_prefixes: Iterable[str], ecosystem_name: str
) -> list[HomeLinkage]:
    """Science-industry linkage without fields: the home ecosystem overall, then per home district, lowest first.

    Companies are kind ``Company``, research organisations ``University`` / ``ResearchInstitute``;
    home as in :mod:`queries.scope` (everyone when the graph has no home organisation).

    >>> g = nx.Graph([("c1", "u"), ("c2", "x"), ("c1", "c2")])
    >>> nx.set_node_attributes(g, {"c1": "Company", "c2": "Company", "u": "University", "x": "University"}, "kind")
    >>> nx.set_node_attributes(g, {"c1": True, "c2": True, "u": True}, "home")
    >>> nx.set_node_attributes(g, {"c1": "DEG03", "c2": "DEG01", "u": "DEG03", "x": "FR101"}, "region")
    >>> [(r.region, r.companies, r.linked_home, r.linked_any, r.science_industry_ties, r.home_ties)
    ...  for r in home_science_industry(g, home_prefixes=["DEG"], ecosystem_name="TH")]
    [('', 2, 1, 2, 1, 2), ('DEG01', 1, 0, 1, 0, 1), ('DEG03', 1, 1, 1, 1, 2)]
    """
    names = names or {}
    prefixes = tuple(home_prefixes)
    cg = compiled(graph, COLLABORATION_WEIGHT)
    home = _home_mask(graph, cg)
    kinds = [graph.nodes[node].get("kind") for node in cg.nodes]
    science = np.array([kind in SCIENCE_KINDS for kind in kinds], dtype=bool)
    company = np.array([kind == "Company" for kind in kinds], dtype=bool)
    tied_home = (cg.binary @ (science & home).astype(float)) > 0
    tied_any = (cg.binary @ science.astype(float)) > 0
    district = [
        district_of(graph.nodes[node].get("region"), prefixes) if home[i] else None for i, node in enumerate(cg.nodes)
    ]
    ties = sp.triu(cg.binary, k=1).tocoo()
    u, v = ties.row, ties.col
    both_home = home[u] & home[v]
    mixed = (company[u] & science[v]) | (science[u] & company[v])
    u, v, mixed = u[both_home], v[both_home], mixed[both_home]

    def row(region: str, members: np.ndarray, tie_mask: np.ndarray) -> HomeLinkage:
        companies = members & company & home
        count, local, anywhere = (
            int(companies.sum()),
            int((companies & tied_home).sum()),
            int((companies & tied_any).sum()),
        )
        total, joined = int(tie_mask.sum()), int((tie_mask & mixed).sum())
        name = f"{names.get(region, region)} ({region})" if region else f"{ecosystem_name} overall"
        share, tie_share = (local / count if count else 0.0), (joined / total if total else 0.0)
        return HomeLinkage(
            region=region,
            name=name,
            companies=count,
            linked_home=local,
            linked_any=anywhere,
            share_home=round(share, 4),
            home_ties=total,
            science_industry_ties=joined,
            tie_share=round(tie_share, 4),
            explanation=(
                f"{name}: {local} of {count} companies in {ecosystem_name}'s ecosystem ({share:.0%}) cooperate with "
                f"a university or research institute in {ecosystem_name}, {anywhere} with one anywhere; "
                + (
                    f"{joined} of {total} ties within {ecosystem_name} ({tie_share:.0%}) join a company and a "
                    "research organisation."
                    if total
                    else f"none of its organisations is tied to another in {ecosystem_name}."
                )
            ),
        )

    rows = [row("", home, np.ones(len(u), dtype=bool))]
    labels = np.array([d or "" for d in district], dtype=object)
    districts = sorted({d for d, c in zip(district, company & home, strict=True) if d and c})
    per_district = [row(d, labels == d, (labels[u] == d) | (labels[v] == d)) for d in districts]
    per_district.sort(key=lambda r: (r.share_home, -r.companies, r.region))
    return rows + per_district


# --- c. regions, isolated and peripheral organisations -----------------------------------


class RegionTies(BaseModel):
    """A NUTS-3 region's ties inside and across its border."""

    region: str
    name: str
    organisations: int
    internal_ties: int
    external_ties: int = Field(description="ties to organisations outside the region (home or not)")
    home_ties: int = Field(description="of the external ties, those to home organisations elsewhere")
    outside_ties: int = Field(description="of the external ties, those to partners outside the home ecosystem")
    ties_per_organisation: float
    internal_share: float
    explanation: str


def regional_ties(
    graph: nx.Graph,
    names: Mapping[str, str] | None = None,
    *,
    home_prefixes: Iterable[str] | None = None,
    ecosystem_name: str | None = None,
    min_organisations: int = 1,
) -> list[RegionTies]:
    """Regions (the ``region`` attribute) by internal vs external ties; least connected per organisation first.

    With ``home_prefixes`` only the home NUTS-3 districts (:func:`district_of`) with at least
    ``min_organisations`` organisations are listed (never a country or the bare state code), and
    each row names ``ecosystem_name``; without, every region code is a row.

    >>> g = nx.Graph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(g, {"a": "DEG03", "b": "DEG03", "c": "DEG01"}, "region")
    >>> [(r.region, r.internal_ties, r.external_ties) for r in regional_ties(g)]
    [('DEG01', 0, 1), ('DEG03', 1, 1)]
    >>> g.add_edge("c", "x"); g.nodes["x"]["region"] = "FR101"
    >>> [r.region for r in regional_ties(g, home_prefixes=["DEG"], ecosystem_name="Thuringia", min_organisations=2)]
    ['DEG03']
    """
    names = names or {}
    prefixes = None if home_prefixes is None else tuple(home_prefixes)
    raw = nx.get_node_attributes(graph, "region")
    region_of = raw if prefixes is None else {n: district_of(r, prefixes) for n, r in raw.items()}
    home = home_nodes(graph)
    counts: dict[str, list[int]] = {}  # organisations, inside, beyond, of which to home organisations elsewhere
    for node in graph:
        if region_of.get(node) is not None:
            counts.setdefault(region_of[node], [0, 0, 0, 0])[0] += 1
    for u, v in graph.edges():
        ru, rv = region_of.get(u), region_of.get(v)
        if ru is not None and ru == rv:
            counts[ru][1] += 1
            continue
        for r, other in ((ru, v), (rv, u)):
            if r is not None:
                counts[r][2] += 1
                counts[r][3] += other in home
    rows = []
    for region, (orgs, inside, outside, to_home) in counts.items():
        if orgs < min_organisations:
            continue
        total = inside + outside
        share = inside / total if total else 0.0
        name = names.get(region, region)
        if ecosystem_name is None:
            text = (
                f"{name}: {orgs} organisations with {inside} ties inside the region and {outside} to "
                f"organisations elsewhere ({total / orgs:.1f} ties per organisation, {share:.0%} internal)."
            )
        else:
            text = (
                f"{name} ({region}), {ecosystem_name}: {orgs} organisations with {inside} "
                f"tie{'' if inside == 1 else 's'} inside the district, "
                f"{to_home} to elsewhere in {ecosystem_name} and {outside - to_home} to partners outside "
                f"{ecosystem_name} ({total / orgs:.1f} ties per organisation, {share:.0%} internal)."
            )
        rows.append(
            RegionTies(
                region=region,
                name=name,
                organisations=orgs,
                internal_ties=inside,
                external_ties=outside,
                home_ties=to_home,
                outside_ties=outside - to_home,
                ties_per_organisation=round(total / orgs, 3),
                internal_share=round(share, 4),
                explanation=text,
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
    only_partner_name: str | None = None
    explanation: str


def peripheral_organisations(graph: nx.Graph, ecosystem_name: str | None = None) -> list[PeripheralOrganisation]:
    """Home organisations (everyone without home flags) with no tie first, then those whose only tie is one partner.

    >>> [(row.id, row.degree, row.only_partner) for row in peripheral_organisations(nx.Graph([(1, 2), (2, 3)]))]
    [('1', 1, '2'), ('3', 1, '2')]
    """
    listed = home_or_everyone(graph)
    rows = []
    for node, degree in graph.degree():
        if degree > 1 or node not in listed:
            continue
        name = _name(graph, node)
        who = name if ecosystem_name is None else f"{name} ({ecosystem_name})"
        if degree == 0:
            rows.append(
                PeripheralOrganisation(
                    id=str(node),
                    name=name,
                    degree=0,
                    only_partner=None,
                    explanation=f"{who} has no cooperation tie in the graph.",
                )
            )
            continue
        partner = next(iter(graph[node]))
        where = "" if ecosystem_name is None else f", {_where(graph, partner, ecosystem_name)}"
        rows.append(
            PeripheralOrganisation(
                id=str(node),
                name=name,
                degree=1,
                only_partner=str(partner),
                only_partner_name=_name(graph, partner),
                explanation=f"{who}'s only cooperation tie is {_name(graph, partner)}{where}.",
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


def _scope_rows(
    graph: nx.Graph, cg: CompiledGraph, scope: str, top: int, counted: np.ndarray, ecosystem_name: str | None
) -> list[FragilityRow]:
    points, bridges = find_cuts(cg, counted)
    cuts = sorted(points + bridges, key=lambda cut: (-cut.count, len(cut.subject), [str(s) for s in cut.subject]))
    rows = []
    for cut in cuts[:top]:
        members = cut.cut_off()
        member_names = _listing([_name(graph, v) for v in members])
        subject_names = [_name(graph, s) for s in cut.subject]
        plural = "s" if cut.count != 1 else ""
        verb = "lose their" if plural else "loses its"
        if ecosystem_name is None:
            lose, tie = f"{cut.count} organisation{plural} ({member_names})", f"{verb} only tie"
            rest = f"the rest of {scope}"
        else:
            lose, tie = f"{cut.count} organisation{plural} in {ecosystem_name} ({member_names})", f"{verb} last tie"
            rest = f"the rest of {ecosystem_name}'s ecosystem" + ("" if scope == "the ecosystem" else f" in {scope}")
        if len(cut.subject) == 1:
            where = "" if ecosystem_name is None else f" ({_where(graph, cut.subject[0], ecosystem_name)})"
            text = f"If {subject_names[0]}{where} leaves, {lose} {tie} to {rest}."
        else:
            text = f"If the tie {subject_names[0]} - {subject_names[1]} ends, {lose} {tie} to {rest}."
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
    ecosystem_name: str | None = None,
) -> list[FragilityRow]:
    """Articulation points and bridges of the whole graph and of each cluster's internal ties, biggest split first.

    What a cut costs is counted in home organisations (every organisation when the graph has
    none): when X leaves, the piece holding most of the home ecosystem stays, and the home
    organisations of every other piece lose their last tie to it — X may be home or not (a
    foreign coordinator can be a home company's only way to the rest). Cuts that cut off no home
    organisation are left out. ``ecosystem_name`` names the home ecosystem in the explanations.

    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("a", "f"), ("c", "d"), ("d", "e")])
    >>> print(fragility(g, top=1)[0].explanation)
    If c leaves, 2 organisations (d, e) lose their only tie to the rest of the ecosystem.
    >>> nx.set_node_attributes(g, {"a": True, "b": True, "e": True}, "home")
    >>> print(fragility(g, top=1, ecosystem_name="TH")[0].explanation)
    If c (location unknown) leaves, 1 organisation in TH (e) loses its last tie to the rest of TH's ecosystem.
    """
    names = names or {}
    cg = compiled(graph, COLLABORATION_WEIGHT)
    counted = _home_mask(graph, cg)
    name = ecosystem_name if home_nodes(graph) else None
    rows = _scope_rows(graph, cg, "the ecosystem", top, counted, name)
    members: dict[str, list[int]] = {}
    for i, node in enumerate(cg.nodes):
        for cluster in set((clusters or {}).get(node, ())):
            members.setdefault(cluster, []).append(i)
    for cluster in sorted(members):
        inside = np.array(members[cluster])
        label = f"cluster {names.get(cluster, cluster)}"
        rows.extend(_scope_rows(graph, cg.induced(inside), label, top, counted[inside], name))
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
    home_a: bool = Field(description="a is in the home ecosystem (a is the home side when only one is)")
    home_b: bool
    explanation: str

    @property
    def shared_count(self) -> int:
        """How many shared partners (the explanation names the most telling ones)."""
        return len(self.shared)


def _neighbour_weights(cg: CompiledGraph, method: LinkMethod) -> np.ndarray:
    degrees = cg.degrees.astype(float)
    with np.errstate(divide="ignore"):
        if method == "adamic_adar":
            return np.where(degrees > 1, 1.0 / np.log(np.maximum(degrees, 2)), 0.0)
        return np.where(degrees > 0, 1.0 / np.maximum(degrees, 1), 0.0)


def _top_pairs(
    cg: CompiledGraph, left: sp.csr_array, weights: np.ndarray, top: int, home: np.ndarray
) -> list[tuple[float, int, int]]:
    """The ``top`` unlinked pairs by Σ_w left[i,w]·weights[w]·left[j,w] with i home, in chunks of home rows.

    A pair of two home organisations is taken once (i < j); a home-other pair with the home side first.
    """
    best: list[tuple[float, int, int]] = []
    right = sp.csr_array(sp.diags_array(weights) @ left.T)
    positions = np.flatnonzero(home)
    for start in range(0, len(positions), _CHUNK_ROWS):
        chunk = positions[start : start + _CHUNK_ROWS]
        scores = sp.coo_array(left[chunk] @ right)
        rows, cols = chunk[scores.row], scores.col
        keep = (cols != rows) & ((cols > rows) | ~home[cols])
        rows, cols, data = rows[keep], cols[keep], scores.data[keep]
        if not len(data):  # (indexing a sparse array with two empty arrays does not give an empty result)
            continue
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
    ecosystem_name: str | None = None,
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
    home = _home_mask(graph, cg)
    name = ecosystem_name if home_nodes(graph) else None
    rows = []
    for score, i, j in _top_pairs(cg, left, weights, top, home):
        shared = np.flatnonzero(left[[i]].toarray().ravel() * left[[j]].toarray().ravel())
        shared = shared[np.lexsort((shared, -weights[shared]))]
        u, v = cg.nodes[i], cg.nodes[j]
        shared_names = [_name(graph, cg.nodes[w]) for w in shared.tolist()]
        if name is None:
            side = ""
        elif home[j]:
            side = f"both in {name}; "
        else:
            side = f"partner outside {name}: {_name(graph, v)}, {_where(graph, v, name)}; "
        rows.append(
            PredictedLink(
                a=str(u),
                b=str(v),
                name_a=_name(graph, u),
                name_b=_name(graph, v),
                method=method,
                score=score,
                shared=[str(cg.nodes[w]) for w in shared.tolist()],
                home_a=bool(home[i]) and name is not None,
                home_b=bool(home[j]) and name is not None,
                explanation=(
                    f"{_name(graph, u)} and {_name(graph, v)} have not cooperated, but share {len(shared)} "
                    f"partner{'s' if len(shared) != 1 else ''} ({_listing(shared_names)}); "
                    f"{side}{method.replace('_', ' ')} score {score:.3g}."
                ),
            )
        )
    return rows
