"""The ecosystem year by year: one analysis per period and the figures a timeline draws.

Each period (:mod:`queries.periods`) gets its own projection of the snapshot cut to that
period and the same analysis as the whole graph (:func:`queries.analysis.analyse`: metrics,
communities, gaps), so a period's betweenness or gap table means exactly what the current one
means. :class:`PeriodSummary` holds the figures of the sparklines: organisations present, home
organisations, ties, density, connected components and the modularity of the period's
communities.

Pure functions on graphs; :func:`timeline_from_cache` memoises per graph version.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import networkx as nx
from pydantic import BaseModel, Field

from innograph.errors import InvalidRequestError
from innograph.queries.analysis import Analysis, AnalysisParameters, analyse
from innograph.queries.periods import Period, approximate_programmes, parse_period, period_source, year_span, yearly
from innograph.queries.projection import COLLABORATION_WEIGHT, Projection, ProjectionCache, build_projection


class PeriodSummary(BaseModel):
    """The figures of one period (one point of every sparkline)."""

    period: str = Field(description="the period's label: 2015, or 2014-2016 for a window")
    since: int
    until: int
    projects: int = Field(description="projects running in the period")
    organisations: int = Field(description="organisations taking part in a running project")
    home_organisations: int = Field(description="of them in the home ecosystem")
    ties: int = Field(description="pairs of organisations sharing a running project")
    home_ties: int = Field(description="ties with at least one home organisation")
    density: float = Field(description="ties / possible pairs of the period's organisations")
    components: int = Field(description="connected components of the period's cooperation graph")
    communities: int = Field(description="Louvain communities")
    modularity: float = Field(description="modularity of those communities, weighted by collaboration weight")


class Timeline(BaseModel):
    """Per-period figures of the ecosystem, oldest period first."""

    graph_version: int
    ecosystem_name: str
    periods: list[PeriodSummary]
    approximate: list[str] = Field(
        default_factory=list, description="programmes whose projects are dated by the programme's years only"
    )
    note: str | None = Field(default=None, description="what the reader should know about the dating")


@dataclass(frozen=True)
class PeriodResult:
    """One period: its projection, its analysis and its summary."""

    period: Period
    projection: Projection
    analysis: Analysis
    summary: PeriodSummary


MAX_PERIODS = 60  # periods one timeline may analyse


def community_members(analysis: Analysis) -> dict[int, set[Hashable]]:
    """The analysis's Louvain communities: community number -> its organisations."""
    groups: dict[int, set[Hashable]] = {}
    for node, community in analysis.metrics.column("community").items():
        groups.setdefault(int(community), set()).add(node)
    return groups


def summarise(period: Period, projection: Projection, analysis: Analysis) -> PeriodSummary:
    """The sparkline figures of one analysed period."""
    graph = projection.cooperation
    n = graph.number_of_nodes()
    home = {node for node, data in graph.nodes(data=True) if data.get("home")}
    communities = community_members(analysis)
    weighted = graph.number_of_edges() > 0
    modularity = nx.community.modularity(graph, communities.values(), weight=COLLABORATION_WEIGHT) if weighted else 0
    return PeriodSummary(
        period=period.label,
        since=period.since,
        until=period.until,
        projects=sum(1 for _, data in projection.source.nodes(data=True) if "Project" in data.get("labels", ())),
        organisations=n,
        home_organisations=len(home),
        ties=graph.number_of_edges(),
        home_ties=sum(1 for u, v in graph.edges() if u in home or v in home),
        density=round(nx.density(graph), 6) if n > 1 else 0.0,
        components=nx.number_connected_components(graph) if n else 0,
        communities=len(communities),
        modularity=round(float(modularity), 4),
    )


def analyse_period(
    source: nx.MultiDiGraph, period: Period, version: int, params: AnalysisParameters | None = None
) -> PeriodResult:
    """Cut the snapshot to ``period`` and analyse it like the whole graph."""
    projection = build_projection(period_source(source, period), version)
    analysis = analyse(projection, params)
    return PeriodResult(period, projection, analysis, summarise(period, projection, analysis))


def choose_periods(source: nx.MultiDiGraph, texts: Sequence[str], window: int, parameter: str) -> list[Period]:
    """The periods ``texts`` name (user input, errors naming ``parameter``), or by default every year (or window of
    ``window`` years) from the first to the last year a project ran; at most :data:`MAX_PERIODS`."""
    chosen = [parse_period(text, parameter) for text in texts]
    if not chosen:
        span = year_span(source)
        chosen = yearly(span, window) if span else []
    if len(chosen) > MAX_PERIODS:
        raise InvalidRequestError(
            f"{parameter}: {len(chosen)} periods asked for, at most {MAX_PERIODS}: widen the window"
        )
    return chosen


def _note(approximate: Sequence[str]) -> str | None:
    if not approximate:
        return None
    return (
        f"Projects of {', '.join(approximate)} carry no dates in the loaded data: they count as running in every "
        "year of their programme."
    )


def timeline(
    source: nx.MultiDiGraph,
    periods: Iterable[Period],
    version: int,
    params: AnalysisParameters | None = None,
) -> tuple[Timeline, list[PeriodResult]]:
    """The timeline of ``periods`` and each period's full result (for exports and change reports)."""
    params = params or AnalysisParameters()
    results = [analyse_period(source, period, version, params) for period in periods]
    return timeline_of(results, version, params, source), results


def period_from_cache(cache: ProjectionCache, period: Period, params: AnalysisParameters) -> PeriodResult:
    """:func:`analyse_period` of the current graph version, memoised per version, period and parameters."""
    key = f"period:{period.label}:{params.model_dump_json()}"
    return cache.derived(key, lambda projection: analyse_period(projection.source, period, projection.version, params))


def timeline_from_cache(
    cache: ProjectionCache, periods: Sequence[Period], params: AnalysisParameters
) -> tuple[Timeline, list[PeriodResult]]:
    """:func:`timeline` of the current graph version; each period memoised (shared with change reports)."""
    projection = cache.projection()
    results = [period_from_cache(cache, period, params) for period in periods]
    return timeline_of(results, projection.version, params, projection.source), results


def timeline_of(
    results: Sequence[PeriodResult], version: int, params: AnalysisParameters, source: nx.MultiDiGraph
) -> Timeline:
    """The :class:`Timeline` of analysed periods."""
    approximate = approximate_programmes(source)
    return Timeline(
        graph_version=version,
        ecosystem_name=params.ecosystem_name,
        periods=[result.summary for result in results],
        approximate=approximate,
        note=_note(approximate),
    )
