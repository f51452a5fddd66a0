"""What changed between two periods: ties, organisations, brokers, communities, fields and clusters.

Compares two analysed periods (:class:`queries.timeline.PeriodResult`, A the earlier, B the
later) and explains every row in a sentence:

* **ties** — new (tied in B, not in A) and lost (tied in A, not in B), with the projects behind them;
* **organisations** — entering (present in B, not in A) and leaving (present in A, not in B);
* **brokers** — organisations present in both whose betweenness rank rose or fell by at least
  :data:`MIN_RANK_CHANGE` places (rank 1 = highest betweenness in that period; equal values
  share a rank), with Burt's constraint beside it (lower constraint = more brokerage);
* **communities** — each community of A (at least :data:`MIN_COMMUNITY` organisations) matched to
  the community of B that overlaps it most (Jaccard of the member sets): *continues* (≥ 0.5),
  *drifted* (≥ 0.2: a good part of its members now sit elsewhere), *dissolved* (< 0.2); communities
  of B that match none are *new*. Louvain numbers communities arbitrarily, so a community is named
  by its member with the most partners;
* **fields and clusters** — density of the ties among each group's present members in A and B.

Counts cover everyone; the lists hold the rows that touch the home ecosystem (a tie with a home
end, a home organisation, a home broker) when the graph has home organisations, else every row,
strongest first, ``limit`` rows each.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Literal

import networkx as nx
from pydantic import BaseModel, Field

from innograph.queries.projection import COLLABORATION_WEIGHT
from innograph.queries.timeline import PeriodResult, community_members
from innograph.text import plural

MIN_RANK_CHANGE = 3
MIN_COMMUNITY = 3
CONTINUES, DRIFTED = 0.5, 0.2
SHOWN_PROJECTS = 3


class OrganisationRef(BaseModel):
    """An organisation as a change row names it."""

    id: str
    name: str
    home: bool = False


class TieChange(BaseModel):
    """A tie that appeared or disappeared."""

    a: OrganisationRef
    b: OrganisationRef
    shared_projects: int = Field(description="shared projects in the period where the tie exists")
    collaboration_weight: float
    projects: list[str] = Field(description="the strongest few of those projects (acronym or title)")
    sentence: str


class OrganisationChange(BaseModel):
    """An organisation that entered or left the ecosystem's project activity."""

    organisation: OrganisationRef
    kind: str | None = None
    partners: int = Field(description="cooperation partners in the period where it is present")
    sentence: str


class BrokerChange(BaseModel):
    """An organisation whose betweenness rank moved."""

    organisation: OrganisationRef
    rank_from: int
    rank_to: int
    betweenness_from: float
    betweenness_to: float
    constraint_from: float | None
    constraint_to: float | None
    sentence: str


class CommunityChange(BaseModel):
    """A community of A followed into B (or a new community of B)."""

    status: Literal["continues", "drifted", "dissolved", "new"]
    name: str = Field(description="named by its member with the most partners")
    community_from: int | None
    community_to: int | None
    size_from: int
    size_to: int
    stayed: int = Field(description="organisations present in both periods that are in both matched communities")
    left: int = Field(description="members of A's community present in B but in another community")
    joined: int = Field(description="members of B's community present in A but in another community then")
    overlap: float = Field(description="Jaccard overlap of the two communities' organisations present in both periods")
    sentence: str


class GroupChange(BaseModel):
    """Tie density among a field's or cluster's members in both periods."""

    kind: Literal["field", "cluster"]
    id: str
    name: str
    members_from: int
    members_to: int
    ties_from: int
    ties_to: int
    density_from: float
    density_to: float
    sentence: str


class ChangeCounts(BaseModel):
    """Totals: ties and organisations over everyone; brokers within the report's scope."""

    new_ties: int
    lost_ties: int
    kept_ties: int
    entering: int
    leaving: int
    staying: int
    rising_brokers: int
    declining_brokers: int


class ChangeReport(BaseModel):
    """What changed from period A to period B, row by row, each row with its sentence."""

    from_period: str
    to_period: str
    graph_version: int
    scope: Literal["home", "all"] = Field(description="home: the lists hold rows touching the home ecosystem")
    counts: ChangeCounts
    headlines: list[str]
    new_ties: list[TieChange]
    lost_ties: list[TieChange]
    entering: list[OrganisationChange]
    leaving: list[OrganisationChange]
    rising_brokers: list[BrokerChange]
    declining_brokers: list[BrokerChange]
    communities: list[CommunityChange]
    fields: list[GroupChange]
    clusters: list[GroupChange]
    empty: dict[str, str] = Field(default_factory=dict, description="why a list is empty")


def _ref(graph: nx.Graph, node: Hashable) -> OrganisationRef:
    data = graph.nodes[node]
    return OrganisationRef(id=str(node), name=str(data.get("name") or node), home=bool(data.get("home")))


def _project_labels(result: PeriodResult, u: Hashable, v: Hashable) -> list[str]:
    """Labels of the projects behind the tie of u and v in a period, smallest consortium first."""
    source = result.projection.source
    data = source.get_edge_data(u, v, "COOPERATES_WITH") or source.get_edge_data(v, u, "COOPERATES_WITH") or {}
    projects = list(data.get("projects", ()))
    size = {p: source.in_degree(p) for p in projects}
    projects.sort(key=lambda p: (size[p], p))
    return [project_label(source, p) for p in projects]


def project_label(source: nx.MultiDiGraph, project: Hashable) -> str:
    """Acronym, else title, else ``FP7 project 86707`` (programme and CORDIS record number) instead of a raw id."""
    data = source.nodes[project]
    if data.get("acronym") or data.get("title"):
        return str(data.get("acronym") or data.get("title"))
    number = str(project).rsplit(":", 1)[-1]
    return f"{data.get('programme') or 'a'} project {number}"


def _tie(result: PeriodResult, u: Hashable, v: Hashable, other: str, new: bool) -> TieChange:
    graph = result.projection.cooperation
    data = graph.edges[u, v]
    labels = _project_labels(result, u, v)
    a, b = _ref(graph, u), _ref(graph, v)
    listing = ", ".join(labels[:SHOWN_PROJECTS]) + (" …" if len(labels) > SHOWN_PROJECTS else "")
    count = plural(int(data["shared_projects"]), "shared project")
    if new:
        sentence = f"{a.name} and {b.name} are tied in {result.period.label}, not in {other}: {count} ({listing})."
    else:
        sentence = f"{a.name} and {b.name} were tied in {result.period.label} ({count}: {listing}), not in {other}."
    return TieChange(
        a=a,
        b=b,
        shared_projects=int(data["shared_projects"]),
        collaboration_weight=round(float(data[COLLABORATION_WEIGHT]), 4),
        projects=labels[:SHOWN_PROJECTS],
        sentence=sentence,
    )


def _edge_set(graph: nx.Graph) -> set[frozenset[Hashable]]:
    return {frozenset((u, v)) for u, v in graph.edges()}


def _ranks(values: Mapping[Hashable, float]) -> dict[Hashable, int]:
    """1 + how many have a strictly higher value (equal values share a rank)."""
    ordered = sorted(values.values(), reverse=True)
    first: dict[float, int] = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return {node: first[value] for node, value in values.items()}


def _brokers(a: PeriodResult, b: PeriodResult, among: set[Hashable]) -> tuple[list[BrokerChange], list[BrokerChange]]:
    """Rank movers among the organisations of ``among`` present in both periods (ranks within them)."""
    both = sorted(set(a.projection.cooperation) & set(b.projection.cooperation) & among, key=str)
    bet_a, bet_b = a.analysis.metrics.column("betweenness"), b.analysis.metrics.column("betweenness")
    con_a, con_b = a.analysis.metrics.column("constraint"), b.analysis.metrics.column("constraint")
    rank_a, rank_b = _ranks({n: bet_a[n] for n in both}), _ranks({n: bet_b[n] for n in both})
    graph = b.projection.cooperation
    rising, declining = [], []
    for node in both:
        moved = rank_a[node] - rank_b[node]
        # a rank change among equal (e.g. zero) betweenness values is no change of brokerage
        if abs(moved) < MIN_RANK_CHANGE or (moved > 0) != (bet_b[node] > bet_a[node]):
            continue
        ref = _ref(graph, node)
        constraint = ""
        if con_a[node] is not None and con_b[node] is not None:
            constraint = f"; constraint {con_a[node]:.2f} → {con_b[node]:.2f} (lower: more brokerage)"
        direction = "rose" if moved > 0 else "fell"
        sentence = (
            f"{ref.name} {direction} from #{rank_a[node]} in {a.period.label} to #{rank_b[node]} in "
            f"{b.period.label} by betweenness among {len(both)} organisations present in both "
            f"({bet_a[node]:.3g} → {bet_b[node]:.3g}){constraint}."
        )
        change = BrokerChange(
            organisation=ref,
            rank_from=rank_a[node],
            rank_to=rank_b[node],
            betweenness_from=round(float(bet_a[node]), 6),
            betweenness_to=round(float(bet_b[node]), 6),
            constraint_from=None if con_a[node] is None else round(float(con_a[node]), 4),
            constraint_to=None if con_b[node] is None else round(float(con_b[node]), 4),
            sentence=sentence,
        )
        (rising if moved > 0 else declining).append(change)
    rising.sort(key=lambda c: (c.rank_to - c.rank_from, c.rank_to))
    declining.sort(key=lambda c: (c.rank_from - c.rank_to, c.rank_from))
    return rising, declining


def _leader(graph: nx.Graph, members: Iterable[Hashable]) -> str:
    best = max(members, key=lambda n: (graph.degree(n), str(n)))
    return str(graph.nodes[best].get("name") or best)


def _community_row(
    status: Literal["continues", "drifted", "dissolved", "new"],
    name: str,
    ids: tuple[int | None, int | None],
    sizes: tuple[int, int],
    moves: tuple[int, int, int],
    overlap: float,
    sentence: str,
) -> CommunityChange:
    return CommunityChange(
        status=status,
        name=name,
        community_from=ids[0],
        community_to=ids[1],
        size_from=sizes[0],
        size_to=sizes[1],
        stayed=moves[0],
        left=moves[1],
        joined=moves[2],
        overlap=round(overlap, 3),
        sentence=sentence[0].upper() + sentence[1:],
    )


def _communities(a: PeriodResult, b: PeriodResult) -> list[CommunityChange]:
    """Communities of A followed into B by the overlap of their organisations present in both periods."""
    groups_a, groups_b = community_members(a.analysis), community_members(b.analysis)
    graph_a, graph_b = a.projection.cooperation, b.projection.cooperation
    both = set(graph_a) & set(graph_b)
    core_b = {cb: mb & both for cb, mb in groups_b.items()}
    la, lb = a.period.label, b.period.label
    rows: list[CommunityChange] = []
    matched: set[int] = set()
    for ca, members in sorted(groups_a.items(), key=lambda item: (-len(item[1]), item[0])):
        if len(members) < MIN_COMMUNITY:
            continue
        core = members & both
        overlaps = [(len(core & mb) / len(core | mb), cb) for cb, mb in core_b.items() if core & mb]
        overlap, cb = max(overlaps, key=lambda item: (item[0], -item[1]), default=(0.0, None))
        name = f"the community of {_leader(graph_a, members)}"
        size = plural(len(members), "organisation")
        if cb is None or overlap < DRIFTED:
            why = (
                f"none of its organisations takes part in {lb}"
                if not core
                else f"its {len(core)} organisations present in {lb} are spread over other communities"
            )
            sentence = f"{name} ({size} in {la}) dissolved: {why} (best overlap {overlap:.0%})."
            rows.append(
                _community_row("dissolved", name, (ca, None), (len(members), 0), (0, len(core), 0), overlap, sentence)
            )
            continue
        matched.add(cb)
        mb = groups_b[cb]
        stayed, left, joined = len(core & core_b[cb]), len(core - core_b[cb]), len(core_b[cb] - core)
        status: Literal["continues", "drifted"] = "continues" if overlap >= CONTINUES else "drifted"
        sentence = (
            f"{name} ({size} in {la}) {'continues' if status == 'continues' else 'drifted'} into the community of "
            f"{_leader(graph_b, mb)} in {lb} (overlap {overlap:.0%} of the organisations present in both periods): "
            f"{stayed} stayed together, {left} moved to other communities, {joined} joined from other communities."
        )
        rows.append(
            _community_row(status, name, (ca, cb), (len(members), len(mb)), (stayed, left, joined), overlap, sentence)
        )
    for cb, mb in sorted(groups_b.items(), key=lambda item: (-len(item[1]), item[0])):
        if cb in matched or len(mb) < MIN_COMMUNITY:
            continue
        name = f"the community of {_leader(graph_b, mb)}"
        sentence = (
            f"{name} is new in {lb} ({plural(len(mb), 'organisation')}; {len(core_b[cb])} of them took part in "
            f"{la} in other communities)."
        )
        rows.append(_community_row("new", name, (None, cb), (0, len(mb)), (0, 0, len(core_b[cb])), 0.0, sentence))
    return rows


def _groups(
    kind: Literal["field", "cluster"],
    a: PeriodResult,
    b: PeriodResult,
    assignment: Mapping[Hashable, Iterable[str]],
    names: Mapping[str, str],
) -> list[GroupChange]:
    members: dict[str, set[Hashable]] = {}
    for org, groups in assignment.items():
        for group in groups:
            members.setdefault(group, set()).add(org)
    rows = []
    for group, orgs in sorted(members.items()):
        figures = []
        for result in (a, b):
            graph = result.projection.cooperation
            present = [org for org in orgs if org in graph]
            ties = graph.subgraph(present).number_of_edges()
            possible = len(present) * (len(present) - 1) / 2
            figures.append((len(present), ties, ties / possible if possible else 0.0))
        (m_a, t_a, d_a), (m_b, t_b, d_b) = figures
        if not (m_a or m_b):
            continue
        name = names.get(group, group)
        trend = "denser" if d_b > d_a else "sparser" if d_b < d_a else "as dense"
        rows.append(
            GroupChange(
                kind=kind,
                id=group,
                name=name,
                members_from=m_a,
                members_to=m_b,
                ties_from=t_a,
                ties_to=t_b,
                density_from=round(d_a, 4),
                density_to=round(d_b, 4),
                sentence=(
                    f"{name}: {m_a} → {m_b} organisations present, {t_a} → {t_b} ties among them, density "
                    f"{d_a:.2f} → {d_b:.2f} ({trend} in {b.period.label} than in {a.period.label})."
                ),
            )
        )
    rows.sort(key=lambda r: (-abs(r.density_to - r.density_from), r.name))
    return rows


def _organisation(result: PeriodResult, node: Hashable, other: str, entering: bool) -> OrganisationChange:
    graph = result.projection.cooperation
    ref = _ref(graph, node)
    source = result.projection.source
    projects = [p for _, p, key in source.out_edges(node, keys=True) if key == "PARTICIPATES_IN"]
    labels = sorted(project_label(source, p) for p in projects)
    listing = ", ".join(labels[:SHOWN_PROJECTS]) + (" …" if len(labels) > SHOWN_PROJECTS else "")
    took = f"{plural(len(projects), 'project')} ({listing})"
    if entering:
        sentence = f"{ref.name} entered: {took} in {result.period.label}, none in {other}."
    else:
        sentence = f"{ref.name} left: {took} in {result.period.label}, none in {other}."
    return OrganisationChange(
        organisation=ref, kind=graph.nodes[node].get("kind"), partners=graph.degree(node), sentence=sentence
    )


def compare(a: PeriodResult, b: PeriodResult, *, limit: int = 50) -> ChangeReport:
    """The change report from period ``a`` to period ``b`` (module docstring)."""
    graph_a, graph_b = a.projection.cooperation, b.projection.cooperation
    home = {n for g in (graph_a, graph_b) for n, data in g.nodes(data=True) if data.get("home")}
    scope: Literal["home", "all"] = "home" if home else "all"
    listed = home or set(graph_a) | set(graph_b)
    ties_a, ties_b = _edge_set(graph_a), _edge_set(graph_b)

    def tie_rows(result: PeriodResult, pairs: set[frozenset[Hashable]], other: str, new: bool) -> list[TieChange]:
        graph = result.projection.cooperation
        chosen = sorted(
            (tuple(sorted(pair, key=str)) for pair in pairs if pair & listed),
            key=lambda uv: (-graph.edges[uv][COLLABORATION_WEIGHT], str(uv[0]), str(uv[1])),
        )
        return [_tie(result, u, v, other, new) for u, v in chosen[:limit]]

    def org_rows(result: PeriodResult, nodes: set[Hashable], other: str, entering: bool) -> list[OrganisationChange]:
        graph = result.projection.cooperation
        chosen = sorted((n for n in nodes if n in listed), key=lambda n: (-graph.degree(n), str(n)))
        return [_organisation(result, n, other, entering) for n in chosen[:limit]]

    new, lost = ties_b - ties_a, ties_a - ties_b
    entering, leaving = set(graph_b) - set(graph_a), set(graph_a) - set(graph_b)
    rising, declining = _brokers(a, b, listed)
    counts = ChangeCounts(
        new_ties=len(new),
        lost_ties=len(lost),
        kept_ties=len(ties_a & ties_b),
        entering=len(entering),
        leaving=len(leaving),
        staying=len(set(graph_a) & set(graph_b)),
        rising_brokers=len(rising),
        declining_brokers=len(declining),
    )
    fields = b.projection.fields or a.projection.fields
    clusters = b.projection.clusters or a.projection.clusters
    names = {**a.projection.names, **b.projection.names}
    report = ChangeReport(
        from_period=a.period.label,
        to_period=b.period.label,
        graph_version=b.projection.version,
        scope=scope,
        counts=counts,
        headlines=[],
        new_ties=tie_rows(b, new, a.period.label, True),
        lost_ties=tie_rows(a, lost, b.period.label, False),
        entering=org_rows(b, entering, a.period.label, True),
        leaving=org_rows(a, leaving, b.period.label, False),
        rising_brokers=rising[:limit],
        declining_brokers=declining[:limit],
        communities=_communities(a, b)[:limit],
        fields=_groups("field", a, b, fields, names)[:limit],
        clusters=_groups("cluster", a, b, clusters, names)[:limit],
    )
    report.headlines = _headlines(report)
    report.empty = _why_empty(report)
    return report


def _headlines(report: ChangeReport) -> list[str]:
    c, a, b = report.counts, report.from_period, report.to_period
    lines = [
        f"From {a} to {b}: {plural(c.new_ties, 'new tie')}, {plural(c.lost_ties, 'lost tie')}, {c.kept_ties:,} kept.",
        f"{plural(c.entering, 'organisation')} entered, {c.leaving:,} left, {c.staying:,} present in both.",
    ]
    if report.rising_brokers:
        lines.append("Rising broker: " + report.rising_brokers[0].sentence)
    drifted = [row for row in report.communities if row.status == "drifted"]
    if drifted:
        sentence = drifted[0].sentence  # "The community of ...": lower case after the colon
        lines.append("Drifted: " + sentence[0].lower() + sentence[1:])
    return lines


def _why_empty(report: ChangeReport) -> dict[str, str]:
    where = "touching the home ecosystem " if report.scope == "home" else ""
    why = {}
    for name in ("new_ties", "lost_ties", "entering", "leaving", "rising_brokers", "declining_brokers"):
        if not getattr(report, name):
            why[name] = f"No {name.replace('_', ' ')} {where}from {report.from_period} to {report.to_period}."
    if not report.fields:
        why["fields"] = "No organisation is assigned to a specialisation field (fields come from the profile database)."
    if not report.clusters:
        why["clusters"] = "No cluster memberships are loaded."
    if not report.communities:
        why["communities"] = f"No community of {MIN_COMMUNITY} or more organisations in either period."
    return why
