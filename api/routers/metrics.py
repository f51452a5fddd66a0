"""Network metrics: the table (viewer), downloads for analysts, analysis runs for admins."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from innograph.api.auth import admin, analyst, viewer
from innograph.api.services import analysis_of
from innograph.api.services import metrics_export as metrics_export_file
from innograph.api.state import ServiceState, get_state
from innograph.queries.analysis import AnalysisParameters, analyse_store, ranked_in_scope
from innograph.queries.export import ExportFormat
from innograph.queries.metrics import METRICS, OrganisationMetrics
from innograph.queries.scope import SCOPE_DESCRIPTION, HomeScope, Scope

router = APIRouter(tags=["metrics"])

MEDIA_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.JSON: "application/json",
    ExportFormat.GRAPHML: "application/graphml+xml",
    ExportFormat.GEXF: "application/gexf+xml",
}
SortKey = Literal[METRICS]  # type: ignore[valid-type]


class MetricsPage(BaseModel):
    """One page of the per-organisation metrics table, sorted by a metric (highest first)."""

    graph_version: int
    run: dict[str, Any]
    scope: HomeScope = Field(description="what is listed: the home ecosystem or everyone, with the head counts")
    total: int
    page: int
    page_size: int
    sort: str
    items: list[OrganisationMetrics]


class AnalysisRunSummary(BaseModel):
    """What an analysis run did."""

    run: dict[str, Any]
    headlines: list[str]


@router.get("/metrics", response_model=MetricsPage, dependencies=[Depends(viewer)], summary="Metrics table")
def metrics_table(
    sort: SortKey = Query("pagerank", description="metric to sort by, highest first"),
    scope: Scope = Query("home", description=SCOPE_DESCRIPTION),
    page: int = Query(1, ge=1, le=100_000),
    page_size: int = Query(50, ge=1, le=200),
    period: str | None = Query(None, description="a year (2015) or window (2014-2016): that period's metrics"),
    state: ServiceState = Depends(get_state),
) -> MetricsPage:
    """Degree, strength, betweenness, closeness, eigenvector, PageRank, k-core, clustering, constraint, ...

    Computed on the whole graph (or on one ``period``: the organisations and ties of its projects); listed and
    ranked within ``scope`` (default: the home ecosystem).
    """
    analysis, projection = analysis_of(state, period)
    info, ranked = ranked_in_scope(analysis, projection.cooperation, sort, scope)
    start = (page - 1) * page_size
    return MetricsPage(
        graph_version=analysis.graph_version,
        run=analysis.record(),
        scope=info,
        total=len(ranked),
        page=page,
        page_size=page_size,
        sort=sort,
        items=ranked[start : start + page_size],
    )


@router.get(
    "/metrics/export",
    dependencies=[Depends(analyst)],
    summary="Download the metrics",
    response_class=Response,
    responses={200: {"content": {m: {} for m in MEDIA_TYPES.values()}}},
)
def metrics_export(
    format: ExportFormat = Query(ExportFormat.CSV, description="csv, json, graphml or gexf"),
    scope: Scope = Query("home", description=SCOPE_DESCRIPTION),
    state: ServiceState = Depends(get_state),
) -> Response:
    """CSV/JSON (one row per organisation) or GraphML/GEXF (the cooperation graph with metrics) for Gephi.

    The organisations of ``scope`` (default: the home ecosystem); the JSON's ``meta.scope`` records it.
    """
    content, version = metrics_export_file(state, format, scope)
    headers = {
        "Content-Disposition": f'attachment; filename="innograph-metrics-v{version}.{format.value}"',
        "X-Graph-Version": str(version),
    }
    return Response(content, media_type=MEDIA_TYPES[format], headers=headers)


@router.post(
    "/analysis",
    response_model=AnalysisRunSummary,
    dependencies=[Depends(admin)],
    summary="Run the analysis and write the metrics back to Neo4j",
)
async def run_analysis(state: ServiceState = Depends(get_state)) -> AnalysisRunSummary:
    """Computes (or reuses, for an unchanged graph) the analysis and records an (:AnalysisRun)."""
    params = AnalysisParameters.from_settings(state.settings)
    analysis = await run_in_threadpool(analyse_store, state.store, state.cache, params)
    return AnalysisRunSummary(run=analysis.record(), headlines=analysis.gaps.headlines())
