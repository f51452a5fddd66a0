"""Saved events (issue #13, "afterwards"): an admin saves a plan and records who came; viewers read the outcome."""

from __future__ import annotations

from fastapi import APIRouter, Body, Depends, Path
from starlette.concurrency import run_in_threadpool

from innograph.api.auth import admin, viewer
from innograph.api.event_services import (
    Attendance,
    EventSaved,
    get_event,
    list_events,
    outcome,
    record_attendance,
    save_event,
)
from innograph.api.state import ServiceState, get_state
from innograph.queries.event_outcome import EventOutcome, EventSummary, StoredEvent
from innograph.queries.events import EventPlan

router = APIRouter(tags=["events"])
EventId = Path(min_length=1, max_length=300, description="the saved event's id (POST /events answers it)")


@router.post("/events", response_model=EventSaved, dependencies=[Depends(admin)], summary="Save an event plan")
async def save(plan: EventPlan = Body(...), state: ServiceState = Depends(get_state)) -> EventSaved:
    """Store the plan (brief, invitees, meetings) under a stable id; saving it again changes nothing."""
    return await run_in_threadpool(save_event, state, plan)


@router.get("/events", response_model=list[EventSummary], dependencies=[Depends(viewer)], summary="Saved events")
async def events(state: ServiceState = Depends(get_state)) -> list[EventSummary]:
    """Every saved event with its invitee, attendance and meeting counts, newest date first."""
    return await run_in_threadpool(list_events, state)


@router.get("/events/{event_id}", response_model=StoredEvent, dependencies=[Depends(viewer)], summary="A saved event")
async def event(event_id: str = EventId, state: ServiceState = Depends(get_state)) -> StoredEvent:
    """The stored plan with who came and which meetings took place."""
    return await run_in_threadpool(get_event, state, event_id)


@router.post(
    "/events/{event_id}/attendance",
    response_model=StoredEvent,
    dependencies=[Depends(admin)],
    summary="Record who came and which meetings took place",
)
async def attendance(
    body: Attendance, event_id: str = EventId, state: ServiceState = Depends(get_state)
) -> StoredEvent:
    """Replace the attendance record; an organisation not invited or a pair not proposed is a 422 naming it."""
    return await run_in_threadpool(record_attendance, state, event_id, body)


@router.get(
    "/events/{event_id}/outcome",
    response_model=EventOutcome,
    dependencies=[Depends(viewer)],
    summary="Which meetings led to a joint project",
)
async def event_outcome(event_id: str = EventId, state: ServiceState = Depends(get_state)) -> EventOutcome:
    """Meetings whose organisations share a project started after the event, and attendance per side."""
    return await run_in_threadpool(outcome, state, event_id)
