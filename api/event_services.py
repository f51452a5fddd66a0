"""Saved events for the JSON routes (issue #13, "afterwards"): save a plan, record attendance, read the outcome.

Plain functions of the service state, like :mod:`innograph.api.services`: they check the request against the
graph (unknown organisations, pairs that were not proposed → :class:`~innograph.errors.InvalidRequestError`,
the API's 422) and hand the writes to the store as steps. The rule for outcomes is in
:mod:`innograph.queries.event_outcome`.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from innograph.api.state import ServiceState
from innograph.errors import InvalidRequestError
from innograph.graph import steps
from innograph.queries.event_outcome import (
    EventOutcome,
    EventSummary,
    StoredEvent,
    event_outcome,
    event_rows,
    meeting_id,
    stored_event,
)
from innograph.queries.events import EventPlan

MAX_RECORDED = 5000  # attended organisations or held meetings in one attendance record


class EventSaved(BaseModel):
    """What saving a plan wrote."""

    id: str
    invitees: int
    meetings: int
    graph_version: int | None = Field(description="the graph version after the save")


class Attendance(BaseModel):
    """Who came (organisation ids) and which proposed meetings took place (pairs of organisation ids)."""

    attended: list[str] = Field(default_factory=list, max_length=MAX_RECORDED)
    meetings_held: list[tuple[str, str]] = Field(default_factory=list, max_length=MAX_RECORDED)


def _organisations(state: ServiceState) -> set[str]:
    graph = state.cache.projection().source
    return {node for node, data in graph.nodes(data=True) if "Organisation" in data.get("labels", ())}


def save_event(state: ServiceState, plan: EventPlan) -> EventSaved:
    """Store ``plan`` (idempotent: the same plan again changes nothing); every organisation must be in the graph."""
    known = _organisations(state)
    named = [i.organisation.id for i in plan.invitees] + [o.id for m in plan.meetings for o in (m.a, m.b)]
    unknown = sorted({org for org in named if org not in known})
    if unknown:
        raise InvalidRequestError(f"body: organisations not in the graph: {', '.join(unknown[:10])}")
    event, invitations, meetings = event_rows(plan)
    summary = state.store.apply(steps.event_plan(event, invitations, meetings))
    return EventSaved(id=event["id"], invitees=len(invitations), meetings=len(meetings), graph_version=summary.version)


def list_events(state: ServiceState) -> list[EventSummary]:
    """Every saved event, newest date first."""
    return [EventSummary.model_validate(row) for row in state.store.events()]


def get_event(state: ServiceState, event_id: str) -> StoredEvent:
    """The saved plan with attendance; :class:`~innograph.errors.NotFoundError` (404) if no such event."""
    return stored_event(state.store.event(event_id))


def record_attendance(state: ServiceState, event_id: str, attendance: Attendance) -> StoredEvent:
    """Record who came and which meetings took place (replacing the last record).

    Both organisations of a held meeting count as having come. An organisation that was not invited or a pair
    that was not proposed is a 422 naming it.
    """
    event = get_event(state, event_id)
    invited = {i.organisation.id for i in event.invitees}
    proposed = {m.id: m for m in event.meetings}
    not_invited = sorted({org for org in attendance.attended if org not in invited})
    if not_invited:
        raise InvalidRequestError(f"attended: not invited to {event_id}: {', '.join(not_invited[:10])}")
    held = []
    for a, b in attendance.meetings_held:
        mid = meeting_id(event_id, a, b)
        if mid not in proposed:
            raise InvalidRequestError(f"meetings_held: {a} and {b} were not proposed to meet at {event_id}")
        held.append(mid)
    came = dict.fromkeys(attendance.attended)
    for mid in held:
        came.update(dict.fromkeys((proposed[mid].a.id, proposed[mid].b.id)))
    state.store.apply([steps.event_attendance(event_id, came, dict.fromkeys(held))])
    return get_event(state, event_id)


def outcome(state: ServiceState, event_id: str) -> EventOutcome:
    """Which meetings of the event led to a joint project, on the current graph version."""
    event = get_event(state, event_id)
    return event_outcome(event, state.cache.projection().source)
