"""One analysis run: metrics plus gap tables for a projection, its record, and the write-back to Neo4j.

:func:`analyse` is pure (projection in, :class:`Analysis` out). :func:`analyse_store`
is what the CLI and the API call: it takes the projection from a
:class:`~queries.projection.ProjectionCache`, memoises the analysis for the graph
version, writes metrics back onto the organisations plus an ``(:AnalysisRun)``
node in one transaction, and tells the cache that this write was its own so the
metrics stay valid although the version moved.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field

from innograph.graph import steps
from innograph.graph.store import Store, WriteSummary
from innograph.queries import gaps
from innograph.queries.metrics import (
    METRICS,
    MetricsParameters,
    MetricsTable,
    OrganisationMetrics,
    Progress,
    compute_metrics,
)
from innograph.queries.projection import Projection, ProjectionCache
from innograph.queries.scope import HomeScope, Scope, home_scope
from innograph.settings import Settings

LINK_METHODS: tuple[gaps.LinkMethod, ...] = ("resource_allocation", "adamic_adar", "community_resource_allocation")


class AnalysisParameters(BaseModel):
    """Everything that changes an analysis's result (recorded with the run)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    metrics: MetricsParameters = Field(default_factory=MetricsParameters)
    top: int = Field(default=20, ge=1, description="rows per gap table")
    home_prefixes: tuple[str, ...] = Field(
        default=("DEG",), description="NUTS prefixes of the home ecosystem (Settings.home_prefixes): its districts"
    )
    ecosystem_name: str = Field(default="Thuringia", description="the home ecosystem's name (Settings.ecosystem_name)")
    min_region_organisations: int = Field(
        default=gaps.MIN_REGION_ORGANISATIONS, ge=1, description="smallest home district listed in the region table"
    )

    @classmethod
    def from_settings(cls, settings: Settings, **values: Any) -> AnalysisParameters:
        """Parameters with the home ecosystem of ``settings`` (its home prefixes and ecosystem name)."""
        return cls(home_prefixes=settings.home_prefixes, ecosystem_name=settings.ecosystem_name, **values)


class GapReport(BaseModel):
    """The five gap analyses (a-e) as tables, for the home ecosystem (partners elsewhere are context)."""

    home: HomeScope = Field(description="the home ecosystem the tables are about")
    min_region_organisations: int = Field(description="smallest home district listed in regions")
    field_pairs: list[gaps.GroupPairGap]
    cluster_pairs: list[gaps.GroupPairGap]
    science_industry: list[gaps.FieldLinkage] = Field(description="per specialisation field (needs fields)")
    home_science_industry: list[gaps.HomeLinkage] = Field(
        description="from organisation kinds alone: the home ecosystem overall, then per home district"
    )
    regions: list[gaps.RegionTies] = Field(description="home NUTS-3 districts with enough organisations")
    peripheral: list[gaps.PeripheralOrganisation]
    fragility: list[gaps.FragilityRow]
    missing_links: dict[str, list[gaps.PredictedLink]]
    empty: dict[str, str] = Field(
        default_factory=dict, description="why a table is empty, by table name (e.g. no fields loaded)"
    )

    def headlines(self) -> list[str]:
        """The first row's explanation of every non-empty table: the one-line summary per analysis."""
        tables: list[tuple[str, list[Any]]] = [
            ("under-connected fields", self.field_pairs),
            ("under-connected clusters", self.cluster_pairs),
            ("science-industry linkage", self.science_industry),
            ("science-industry linkage (kinds)", self.home_science_industry),
            ("least connected district", self.regions),
            ("fragility", self.fragility),
            *((f"missing link ({method.replace('_', ' ')})", rows) for method, rows in self.missing_links.items()),
        ]
        lines = [self.home.note]
        lines += [f"{title}: {rows[0].explanation}" for title, rows in tables if rows]
        isolated = sum(1 for row in self.peripheral if row.degree == 0)
        lines.append(
            f"periphery: {isolated} isolated organisations in {self.home.ecosystem_name}, "
            f"{len(self.peripheral) - isolated} with one tie."
        )
        return lines


@dataclass(frozen=True)
class Analysis:
    """A finished run: what was analysed, how, and the results."""

    run_id: str
    graph_version: int
    started_at: datetime
    duration_s: float
    parameters: AnalysisParameters
    metrics: MetricsTable
    gaps: GapReport

    def record(self) -> dict[str, Any]:
        """The run's metadata (also the export sidecar's core)."""
        return {
            "run_id": self.run_id,
            "graph_version": self.graph_version,
            "started_at": self.started_at.isoformat(),
            "duration_s": self.duration_s,
            "parameters": self.parameters.model_dump(),
            "algorithms": self.metrics.meta.algorithms,
            "sampled": [note.model_dump() for note in self.metrics.meta.sampled],
            "nodes": self.metrics.meta.nodes,
            "edges": self.metrics.meta.edges,
        }


def _why_empty(
    fields: Mapping[Hashable, Iterable[str]], clusters: Mapping[Hashable, Iterable[str]], ecosystem: str
) -> dict[str, str]:
    """Why the group tables are empty when no fields or clusters are loaded (e.g. only CORDIS)."""
    why: dict[str, str] = {}
    if not any(fields.values()):
        text = (
            "No organisation is assigned to a specialisation field: fields come from the agency's profile database "
            f"(innograph load profiles); CORDIS data carries none. See the science-industry linkage of {ecosystem} "
            "by organisation kind instead."
        )
        why["field_pairs"] = why["science_industry"] = text
    if not any(clusters.values()):
        why["cluster_pairs"] = (
            "No cluster memberships are loaded (innograph load clusters): there are no cluster pairs to compare."
        )
    return why


def gap_report(
    graph: nx.Graph,
    fields: Mapping[Hashable, Iterable[str]],
    clusters: Mapping[Hashable, Iterable[str]],
    names: Mapping[str, str],
    communities: Mapping[Hashable, int],
    top: int = 20,
    *,
    home_prefixes: Iterable[str] = ("DEG",),
    ecosystem_name: str = "Thuringia",
    min_region_organisations: int = gaps.MIN_REGION_ORGANISATIONS,
) -> GapReport:
    """All gap analyses of one cooperation graph, for the home ecosystem of ``home_prefixes`` / ``ecosystem_name``."""
    prefixes = tuple(home_prefixes)
    home, _ = home_scope(graph, "home", ecosystem_name)
    name = ecosystem_name
    report = GapReport(
        home=home,
        min_region_organisations=min_region_organisations,
        field_pairs=gaps.under_connected_pairs(graph, fields, names, kind="field", top=top),
        cluster_pairs=gaps.under_connected_pairs(graph, clusters, names, kind="cluster", top=top),
        science_industry=gaps.science_industry_linkage(graph, fields, names),
        home_science_industry=gaps.home_science_industry(graph, names, home_prefixes=prefixes, ecosystem_name=name),
        regions=gaps.regional_ties(
            graph, names, home_prefixes=prefixes, ecosystem_name=name, min_organisations=min_region_organisations
        ),
        peripheral=gaps.peripheral_organisations(graph, name),
        fragility=gaps.fragility(graph, clusters, names, top=top, ecosystem_name=name),
        missing_links={
            method: gaps.missing_links(graph, method=method, communities=communities, top=top, ecosystem_name=name)
            for method in LINK_METHODS
        },
        empty=_why_empty(fields, clusters, name),
    )
    if not report.fragility:
        report.empty["fragility"] = (
            f"No single organisation or tie, home or elsewhere, cuts a home organisation off the rest of {name}'s "
            "ecosystem."
        )
    if not report.regions:
        report.empty["regions"] = (
            f"No home district ({', '.join(prefixes) or 'no home prefix'}: NUTS-3 codes) of {name} has "
            f"{min_region_organisations} or more organisations with a known district."
        )
    return report


def analyse(
    projection: Projection, params: AnalysisParameters | None = None, progress: Progress | None = None
) -> Analysis:
    """Metrics and gaps of a projection (pure: nothing is written)."""
    params = params or AnalysisParameters()
    started_at, clock = datetime.now(UTC), time.perf_counter()
    metrics = compute_metrics(projection.cooperation, params.metrics, progress)
    if progress:
        progress("gap analyses")
    report = gap_report(
        projection.cooperation,
        projection.fields,
        projection.clusters,
        projection.names,
        metrics.column("community"),
        params.top,
        home_prefixes=params.home_prefixes,
        ecosystem_name=params.ecosystem_name,
        min_region_organisations=params.min_region_organisations,
    )
    return Analysis(
        run_id=uuid.uuid4().hex,
        graph_version=projection.version,
        started_at=started_at,
        duration_s=round(time.perf_counter() - clock, 3),
        parameters=params,
        metrics=metrics,
        gaps=report,
    )


def ranked_in_scope(
    analysis: Analysis, graph: nx.Graph, metric: str, scope: Scope
) -> tuple[HomeScope, list[OrganisationMetrics]]:
    """The scope's organisations (:mod:`queries.scope`) by ``metric``, highest first: ranks within the scope."""
    info, listed = home_scope(graph, scope, analysis.parameters.ecosystem_name)
    among = listed if info.applied == "home" else None
    return info, analysis.metrics.top(metric, len(analysis.metrics.nodes), among=among)


def write_back(store: Store, analysis: Analysis) -> WriteSummary:
    """Metric properties on every analysed organisation plus the ``(:AnalysisRun)`` node, in one transaction."""
    table = analysis.metrics
    rows = [
        {"id": node, "run_id": analysis.run_id, "metrics": {m: table.columns[m][i] for m in METRICS}}
        for i, node in enumerate(table.nodes)
    ]
    return store.apply([steps.organisation_metrics(rows), steps.analysis_runs([run_row(analysis)])], atomic=True)


def run_row(analysis: Analysis, **period: Any) -> dict[str, Any]:
    """The ``(:AnalysisRun)`` row of ``analysis``; ``period`` adds a period run's label, years and summary."""
    record = analysis.record()
    return {
        "id": analysis.run_id,
        "algorithms": [f"{name}: {how}" for name, how in record["algorithms"].items()],
        "parameters": json.dumps({"parameters": record["parameters"], "sampled": record["sampled"]}),
        "graph_version": analysis.graph_version,
        "started_at": record["started_at"],
        "duration_s": analysis.duration_s,
        "period": None,
        "period_since": None,
        "period_until": None,
        "summary": None,
        **period,
    }


def analyse_store(
    store: Store,
    cache: ProjectionCache,
    params: AnalysisParameters | None = None,
    progress: Progress | None = None,
    *,
    write: bool = True,
) -> Analysis:
    """The analysis of the store's current graph (memoised per version), optionally written back."""
    params = params or AnalysisParameters()
    analysis = cache.derived(f"analysis:{params.model_dump_json()}", lambda p: analyse(p, params, progress))
    if write:
        before = cache.projection().version
        summary = write_back(store, analysis)
        if summary.version is not None:
            cache.adopt_own_write(before, summary.version)
    return analysis
