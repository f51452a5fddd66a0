"""The metrics table of the current analysis, sortable and paged, with downloads for analysts."""

from __future__ import annotations

from typing import Literal

from fastapi import Depends, Query, Request
from fastapi.responses import HTMLResponse

from innograph.api.pages.common import page_router, render, viewer_page
from innograph.api.pages.view_models import Pager
from innograph.api.services import current_analysis
from innograph.api.state import ServiceState, get_state
from innograph.queries.analysis import ranked_in_scope
from innograph.queries.metrics import METRICS
from innograph.queries.scope import Scope
from innograph.settings import Role

router = page_router()

PAGE_SIZE = 50
DOWNLOADS: tuple[tuple[str, str], ...] = (("csv", "CSV"), ("json", "JSON"), ("graphml", "GraphML"), ("gexf", "GEXF"))
MetricName = Literal[METRICS]  # type: ignore[valid-type]


@router.get("/metrics/view")
def metrics_page(
    request: Request,
    sort: MetricName = Query("pagerank"),
    scope: Scope = Query("home"),
    page: int = Query(1, ge=1, le=100_000),
    role: Role = Depends(viewer_page),
    state: ServiceState = Depends(get_state),
) -> HTMLResponse:
    """The metrics table of the current analysis, sortable, with downloads for analysts; ranks within ``scope``."""
    analysis = current_analysis(state)
    info, ranked = ranked_in_scope(analysis, state.cache.projection().cooperation, sort, scope)
    total = len(ranked)
    start = (page - 1) * PAGE_SIZE
    rows = ranked[start : start + PAGE_SIZE]
    return render(
        request,
        "metrics.html",
        "Network metrics",
        rows=rows,
        start=start,
        sort=sort,
        metrics=METRICS,
        total=total,
        scope=info,
        paging=Pager.of(request, page, PAGE_SIZE, total),
        downloads=DOWNLOADS if role.rank >= Role.ANALYST.rank else (),
        graph_version=analysis.graph_version,
        algorithms=analysis.metrics.meta.algorithms,
    )
