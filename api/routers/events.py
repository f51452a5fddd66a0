"""Cross-specialisation events: whom to invite and who should meet whom, with reasons (nothing is stored)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response
from starlette.concurrency import run_in_threadpool

from innograph.api.auth import viewer
from innograph.api.responses import model_response
from innograph.api.services import event_plan
from innograph.api.state import ServiceState, get_state
from innograph.queries.events import EventBrief, EventPlan

router = APIRouter(tags=["events"], dependencies=[Depends(viewer)])


@router.post("/events/plan", response_model=EventPlan, summary="Plan an event: invite lists and meetings")
async def plan(brief: EventBrief, state: ServiceState = Depends(get_state)) -> Response:
    """Invitees per side with the evidence for each, and meetings between untied invitees as a b-matching."""
    answer = await run_in_threadpool(lambda: event_plan(state, brief))
    return model_response(answer)
