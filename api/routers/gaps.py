"""Gap analysis for strategists: under-connected fields and clusters, linkage, regions, fragility, missing links."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from innograph.api.auth import viewer
from innograph.api.services import current_analysis
from innograph.api.state import ServiceState, get_state
from innograph.queries.analysis import GapReport

router = APIRouter(tags=["gaps"], dependencies=[Depends(viewer)])


@router.get("/gaps", response_model=GapReport, summary="All gap tables, each row with a plain-language explanation")
def gaps(state: ServiceState = Depends(get_state)) -> GapReport:
    """The five gap analyses of the current graph version."""
    return current_analysis(state).gaps
