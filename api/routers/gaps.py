"""Gap analysis for strategists: under-connected fields and clusters, linkage, regions, fragility, missing links."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from innograph.api.auth import viewer
from innograph.api.services import analysis_of
from innograph.api.state import ServiceState, get_state
from innograph.queries.analysis import GapReport

router = APIRouter(tags=["gaps"], dependencies=[Depends(viewer)])


@router.get("/gaps", response_model=GapReport, summary="All gap tables, each row with a plain-language explanation")
def gaps(
    period: str | None = Query(None, description="a year (2015) or window (2014-2016): the gaps of that period"),
    state: ServiceState = Depends(get_state),
) -> GapReport:
    """The five gap analyses of the current graph version, or of one period (see ``/timeline``)."""
    analysis, _ = analysis_of(state, period)
    return analysis.gaps
