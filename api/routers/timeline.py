"""The ecosystem over time: per-period figures, what changed between two periods, per-period exports."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from innograph.api.auth import analyst, viewer
from innograph.api.routers.metrics import MEDIA_TYPES
from innograph.api.services import change_answer, timeline_answer, timeline_export
from innograph.api.state import ServiceState, get_state
from innograph.queries.changes import ChangeReport
from innograph.queries.export import ExportFormat
from innograph.queries.scope import SCOPE_DESCRIPTION, Scope
from innograph.queries.timeline import Timeline

router = APIRouter(tags=["timeline"])

PERIOD_HELP = "a year (2015) or a window of years (2014-2016)"


@router.get(
    "/timeline",
    response_model=Timeline,
    dependencies=[Depends(viewer)],
    summary="Per-period figures: organisations, ties, density, components, modularity",
)
def get_timeline(
    window: int = Query(1, ge=1, le=20, description="years per period when no period is given"),
    period: list[str] = Query([], description=f"periods to analyse, each {PERIOD_HELP}; default every year"),
    state: ServiceState = Depends(get_state),
) -> Timeline:
    """One point per period for the sparklines; each period is analysed like the whole graph (cached per version)."""
    timeline, _ = timeline_answer(state, window=window, periods=period)
    return timeline


@router.get(
    "/changes",
    response_model=ChangeReport,
    dependencies=[Depends(viewer)],
    summary="What changed between two periods, each row explained in a sentence",
)
def get_changes(
    start: str = Query(..., alias="from", description=f"the earlier period, {PERIOD_HELP}"),
    end: str = Query(..., alias="to", description=f"the later period, {PERIOD_HELP}"),
    limit: int = Query(50, ge=1, le=500, description="rows per list"),
    state: ServiceState = Depends(get_state),
) -> ChangeReport:
    """New and lost ties, organisations entering and leaving, rising and declining brokers, community drift, groups."""
    return change_answer(state, start, end, limit=limit)


@router.get(
    "/timeline/export",
    dependencies=[Depends(analyst)],
    summary="Per-period metrics (CSV, JSON) or the dynamic graph (GEXF, which Gephi's timeline plays)",
    response_class=Response,
)
def export_timeline(
    format: ExportFormat = Query(ExportFormat.GEXF, description="csv, json or gexf (graphml has no time)"),
    window: int = Query(1, ge=1, le=20, description="years per period when no period is given"),
    period: list[str] = Query([], description=f"periods, each {PERIOD_HELP}; default every year"),
    scope: Scope = Query("home", description=SCOPE_DESCRIPTION),
    state: ServiceState = Depends(get_state),
) -> Response:
    """A download; the ``X-Graph-Version`` header names the graph version it describes."""
    content, version = timeline_export(state, format, window=window, periods=period, scope=scope)
    return Response(
        content,
        media_type=MEDIA_TYPES[format],
        headers={
            "Content-Disposition": f'attachment; filename="innograph-timeline.{format.value}"',
            "X-Graph-Version": str(version),
        },
    )
