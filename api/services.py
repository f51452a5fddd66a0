"""What the JSON routers and the web pages both ask for, as plain functions of the service state.

A route (JSON or page) reads its parameters, calls one of these and shapes the
answer; no route handler calls another. The computations themselves live in
:mod:`innograph.queries`; this layer only picks the current graph version's
inputs (the store, the cached projection, the path graph) and turns bad user
input into :class:`~innograph.errors.InvalidRequestError` (the API's 422).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from innograph.api.state import PathsView, ServiceState
from innograph.errors import InvalidRequestError, NotFoundError
from innograph.queries.analysis import Analysis, AnalysisParameters, analyse_store
from innograph.queries.changes import ChangeReport, compare
from innograph.queries.competence import KeywordMatch, ProjectMatch, concept_of, topics_from_store
from innograph.queries.events import EventBrief, EventPlan, event_from_store
from innograph.queries.export import ExportFormat, export, export_timeline, timeline_format
from innograph.queries.metrics import METRICS
from innograph.queries.partners import PartnerAnswer, PartnerNeed, partners_from_store
from innograph.queries.path_snapshot import PathSnapshot
from innograph.queries.paths import EVIDENCE, Hop, PathAnswer, find_paths, make_hop, organisation_index, place_text
from innograph.queries.periods import parse_period
from innograph.queries.projection import Projection
from innograph.queries.scope import HomeScope, Scope, home_nodes, home_scope
from innograph.queries.timeline import PeriodResult, Timeline, choose_periods, period_from_cache, timeline_from_cache


class Neighbour(BaseModel):
    """A partner with the tie strength (docs/glossary.md) and the number of shared projects."""

    id: str
    name: str
    kind: str | None
    tie_strength: float = Field(gt=0, lt=1)
    shared_projects: int
    home: bool = Field(default=False, description="in the home ecosystem")
    place: str = Field(default="", description='where it is, in words: "Jena (DEG03), home ecosystem"')


class OrganisationDetail(BaseModel):
    """Profile, metrics (from the last analysis written back) and strongest partners."""

    id: str
    name: str
    kind: str
    labels: list[str]
    profile: dict[str, Any]
    metrics: dict[str, Any]
    clusters: list[str]
    fields: list[str]
    partners_total: int
    partners: list[Neighbour]


SearchMatch = Literal["name", "topic", "auto"]
AUTO_FEW = 5  # match=auto adds topic hits when a text has fewer name hits than this (or names a concept)
NAME_CAP = 1000  # name hits merged with topic hits in one list


class OrganisationHit(BaseModel):
    """One search result: found by its name, or by what it works on (then saying why)."""

    id: str
    name: str
    kind: str | None
    city: str | None
    home: bool | None = Field(default=None, description="in the home ecosystem (stored flag)")
    score: float | None = Field(
        description="name hits: full-text relevance (null when listing without a query); topic hits: competence fit"
    )
    matched: Literal["name", "topic"] = "name"
    why: str | None = Field(default=None, description="for a topic hit: the profile places and projects that matched")
    matches: list[KeywordMatch] = Field(default_factory=list)
    projects: list[ProjectMatch] = Field(default_factory=list, description="for a topic hit: its projects on it")


class OrganisationPage(BaseModel):
    """A page of search results."""

    total: int
    page: int
    page_size: int
    items: list[OrganisationHit]


def organisation_search(
    state: ServiceState,
    q: str | None,
    *,
    match: SearchMatch = "auto",
    kind: str | None,
    page: int,
    page_size: int,
    scope: Scope = "all",
) -> OrganisationPage:
    """Organisations by name (full text on names and aliases), by topic (their competence), or both.

    ``name``: the name search alone; ``topic``: ranked by competence (profile and projects,
    :func:`queries.competence.find_by_topic`); ``auto``: name hits first, then the topic hits
    not among them when there are fewer than :data:`AUTO_FEW` name hits or ``q`` names a concept
    of :data:`queries.competence.CONCEPTS`. No ``q`` lists all by name. ``scope=home`` keeps the home
    ecosystem's organisations (everyone when the graph has none, :mod:`queries.scope`).
    """
    text, offset = (q or "").strip(), (page - 1) * page_size
    home = home_nodes(state.cache.projection().cooperation) if scope == "home" else frozenset()

    def paged(total: int, items: list[OrganisationHit]) -> OrganisationPage:
        return OrganisationPage(total=total, page=page, page_size=page_size, items=items)

    def by_name(limit: int, skip: int) -> tuple[int, list[OrganisationHit]]:
        total, hits = state.store.search_organisations(
            text or None, limit=limit, offset=skip, kind=kind, home_only=bool(home)
        )
        return total, [OrganisationHit(**hit) for hit in hits]

    if match == "name" or not text:
        return paged(*by_name(page_size, offset))
    names: list[OrganisationHit] = []
    if match == "auto":
        total, names = by_name(NAME_CAP, 0)
        if total >= AUTO_FEW and concept_of(text) is None:
            return (
                paged(total, names[offset : offset + page_size])
                if total <= NAME_CAP
                else paged(*by_name(page_size, offset))
            )
    seen = {hit.id for hit in names}
    topics = [
        OrganisationHit(
            id=hit.id, name=hit.name, kind=hit.kind, city=hit.city, score=hit.fit,
            matched="topic", why=hit.why, matches=hit.matches, projects=hit.projects,
        )
        for hit in topics_from_store(state.store, state.paths().snapshot, text, kind)
        if hit.id not in seen and (not home or hit.id in home)
    ]  # fmt: skip
    found = names + topics
    return paged(len(found), found[offset : offset + page_size])


def scope_of(state: ServiceState, scope: Scope) -> HomeScope:
    """What ``scope`` lists on the current graph (:func:`queries.scope.home_scope`) with the settings' name."""
    return home_scope(state.cache.projection().cooperation, scope, state.settings.ecosystem_name)[0]


def current_analysis(state: ServiceState) -> Analysis:
    """The analysis of the current graph version (computed once per version, not written back).

    Its parameters carry the home ecosystem of the settings (:meth:`AnalysisParameters.from_settings`).
    """
    return analyse_store(state.store, state.cache, AnalysisParameters.from_settings(state.settings), write=False)


def organisation_detail(state: ServiceState, org_id: str, partners: int) -> OrganisationDetail:
    """One organisation's profile, written-back metrics, groups and ``partners`` strongest partners.

    :class:`NotFoundError` when the id is unknown.
    """
    props = state.store.organisation(org_id)
    projection = state.cache.projection()
    snapshot = state.paths().snapshot
    tied = snapshot.strongest_partners(org_id, len(snapshot.ids))
    neighbours = [
        Neighbour(
            id=other,
            name=data["name"],
            kind=data["kind"],
            tie_strength=strength,
            shared_projects=shared,
            home=data["home"],
            place=place_text(data),
        )
        for other, strength, shared in tied[:partners]
        for data in [snapshot.node(snapshot.index[other])]
    ]
    labels = props.pop("labels")
    metrics = {name: props.pop(name) for name in METRICS if name in props}
    return OrganisationDetail(
        id=org_id,
        name=props["name"],
        kind=props.get("kind", ""),
        labels=labels,
        profile=props,
        metrics=metrics,
        clusters=[projection.names.get(c, c) for c in projection.clusters.get(org_id, ())],
        fields=[projection.names.get(f, f) for f in projection.fields.get(org_id, ())],
        partners_total=len(tied),
        partners=neighbours,
    )


def resolve_organisation(state: ServiceState, text: str, what: str) -> str:
    """An id typed or picked in a form, or the best search hit for a name typed."""
    text = text.strip()
    if not text:
        raise InvalidRequestError(f"{what}: choose an organisation")
    if text in state.paths().snapshot.index:
        return text
    _, hits = state.store.search_organisations(text, limit=1)
    if not hits:
        raise NotFoundError(f"{what}: no organisation matches {text!r}")
    return str(hits[0]["id"])


def path_answer(
    view: PathsView,
    source: str,
    target: str,
    *,
    k: int,
    max_hops: int,
    avoid: Iterable[str],
    kinds: Iterable[str] | None,
    since: int | None,
    prefer_brokers: bool = True,
    evidence: int | None = EVIDENCE,
) -> PathAnswer:
    """The best ``k`` introduction paths from ``source`` to ``target`` (ids) on the snapshot, at its graph version."""
    answer = find_paths(
        view.snapshot,
        source,
        target,
        k=k,
        max_hops=max_hops,
        avoid=avoid,
        allowed_intermediary_kinds=kinds,
        since_year=since,
        prefer_brokers=prefer_brokers,
        evidence=evidence,
    )
    answer.graph_version = view.graph_version
    return answer


def tie_answer(view: PathsView, source: str, target: str, since: int | None) -> Hop:
    """The tie between two organisations (ids) with every project, as a hop of a path shows it."""
    snapshot = view.snapshot
    u = organisation_index(snapshot, source, "from")
    v = organisation_index(snapshot, target, "to")
    return make_hop(snapshot, u, v, since, evidence=None)


def partner_need(
    keywords: list[str], fields: list[str], kind: str | None = None, region: str | None = None
) -> PartnerNeed:
    """The need as the partner finder takes it; a value it refuses is the user's mistake, not an internal error.

    An empty or too long word, too many words or an unknown kind raise :class:`InvalidRequestError`
    naming the field (``keywords.0: ...``).
    """
    try:
        return PartnerNeed(keywords=keywords, fields=fields, kind=kind, region=region)  # type: ignore[arg-type]
    except ValidationError as e:
        parts = [f"{'.'.join(str(p) for p in err['loc']) or 'need'}: {err['msg']}" for err in e.errors()]
        raise InvalidRequestError("; ".join(parts)) from e


def partner_answer(state: ServiceState, source: str, need: PartnerNeed, *, limit: int, max_hops: int) -> PartnerAnswer:
    """Candidates for ``need`` ranked by fit and reach from ``source`` (an id), and new partners to meet.

    Fit counts the profile and the projects on the need (read from the store's full-text index).
    """
    ties = state.ties()
    snapshot = state.cache.derived("ties-snapshot", lambda _: PathSnapshot.of(ties))
    return partners_from_store(state.store, ties, source, need, limit=limit, max_hops=max_hops, snapshot=snapshot)


def metrics_export(state: ServiceState, fmt: ExportFormat, scope: Scope = "home") -> tuple[bytes, int]:
    """The current analysis's metrics of ``scope`` as a file of format ``fmt``, and the graph version it describes."""
    analysis = current_analysis(state)
    projection = state.cache.projection()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / f"innograph-metrics.{fmt.value}"
        export(analysis, projection.cooperation, fmt, out, scope=scope)
        return out.read_bytes(), analysis.graph_version


def event_plan(state: ServiceState, brief: EventBrief) -> EventPlan:
    """The invite lists and meetings for ``brief`` on the current graph (nothing is stored).

    Field and cluster ids or names both work; the sides' keywords are looked up in project texts too.
    """
    return event_from_store(state.store, state.ties(), brief, names=state.cache.projection().names)


def timeline_answer(
    state: ServiceState, *, window: int = 1, periods: Iterable[str] = ()
) -> tuple[Timeline, list[PeriodResult]]:
    """The timeline of the current graph: every year (or ``window`` years) the projects span, or the ``periods`` given.

    Each period is analysed once per graph version and shared with the change reports.
    """
    chosen = choose_periods(state.cache.projection().source, list(periods), window, "period")
    return timeline_from_cache(state.cache, chosen, AnalysisParameters.from_settings(state.settings))


def period_pair(state: ServiceState, start: str, end: str) -> tuple[PeriodResult, PeriodResult]:
    """Periods ``start`` and ``end`` (parameters ``from`` and ``to``) analysed, each once per graph version."""
    params = AnalysisParameters.from_settings(state.settings)
    a = period_from_cache(state.cache, parse_period(start, "from"), params)
    b = period_from_cache(state.cache, parse_period(end, "to"), params)
    return a, b


def change_answer(state: ServiceState, start: str, end: str, *, limit: int = 50) -> ChangeReport:
    """What changed from period ``start`` to period ``end`` (each a year or a window such as ``2014-2016``)."""
    return compare(*period_pair(state, start, end), limit=limit)


def timeline_export(
    state: ServiceState, fmt: ExportFormat, *, window: int = 1, periods: Iterable[str] = (), scope: Scope = "home"
) -> tuple[bytes, int]:
    """The timeline's per-period metrics (CSV, JSON) or dynamic graph (GEXF) of ``scope``, and its graph version."""
    timeline_format(fmt)  # refused before the periods are analysed
    timeline, results = timeline_answer(state, window=window, periods=periods)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / f"innograph-timeline.{fmt.value}"
        export_timeline(timeline, results, fmt, out, scope=scope)
        return out.read_bytes(), timeline.graph_version


def analysis_of(state: ServiceState, period: str | None) -> tuple[Analysis, Projection]:
    """The current analysis and projection, or those of ``period`` (a year or ``2014-2016``) when given."""
    if period is None:
        return current_analysis(state), state.cache.projection()
    result = period_from_cache(
        state.cache, parse_period(period, "period"), AnalysisParameters.from_settings(state.settings)
    )
    return result.analysis, result.projection
