"""Afterwards (issue #13): saved events, who came, which meetings took place, and what came of them.

An admin saves an :class:`~innograph.queries.events.EventPlan` (the planner's answer is not stored unless
someone saves it). :func:`event_rows` turns it into the rows ``graph.steps.event_plan`` writes, with stable
ids (:func:`event_id`, :func:`meeting_id`), so saving the same plan twice changes nothing.
:func:`stored_event` turns the store's rows back into a :class:`StoredEvent`.

:func:`event_outcome` is the pure part: given a stored event and the store's graph (projects and
``PARTICIPATES_IN``), which meetings turned into cooperation. **Rule:** a meeting led to a joint project when
both organisations take part in a project that started after the event — its start date after the event's
date, or, for a project known only by its start year, a start year after the event's year. Projects that
started on or before the event (including the same year, when only the year is known) do not count.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

import networkx as nx
from pydantic import BaseModel, Field

from innograph.queries.events import EventBrief, EventPlan, Invitee, Meeting
from innograph.queries.paths import NodeRef
from innograph.text import slug

Row = dict[str, Any]


def event_id(brief: EventBrief) -> str:
    """The stable id of an event: ``event:`` + the slug of its title and date.

    >>> event_id(EventBrief(title="Photonik trifft Medizin", date=dt.date(2019, 5, 14),
    ...                     sides=[{"label": "A"}, {"label": "B"}]))
    'event:photonik-trifft-medizin-2019-05-14'
    """
    return "event:" + slug(f"{brief.title} {brief.date.isoformat() if brief.date else 'undated'}")


def meeting_id(event: str, a: str, b: str) -> str:
    """The stable id of a meeting: the event id and the sorted pair of organisation ids.

    >>> meeting_id("event:x", "org:b", "org:a")
    'event:x|org:a|org:b'
    """
    first, second = sorted((a, b))
    return f"{event}|{first}|{second}"


def event_rows(plan: EventPlan) -> tuple[Row, list[Row], list[Row]]:
    """The event, invitation and meeting rows for ``graph.steps.event_plan``."""
    eid = event_id(plan.brief)
    event = {
        "id": eid,
        "title": plan.brief.title,
        "date": plan.brief.date.isoformat() if plan.brief.date else None,
        "brief": plan.brief.model_dump_json(),
        "notes": list(plan.notes),
        "graph_version": plan.graph_version,
    }
    invitations = {}
    for rank, invitee in enumerate(plan.invitees):
        org = invitee.organisation.id
        row = {"event_id": eid, "org_id": org, "side": invitee.side, "score": invitee.score}
        invitations.setdefault(org, {**row, "reasons": list(invitee.reasons), "rank": rank})
    meetings = {}
    for rank, meeting in enumerate(plan.meetings):
        mid = meeting_id(eid, meeting.a.id, meeting.b.id)
        meetings.setdefault(
            mid,
            {
                "id": mid,
                "event_id": eid,
                "a": meeting.a.id,
                "b": meeting.b.id,
                "side_a": meeting.side_a,
                "side_b": meeting.side_b,
                "score": meeting.score,
                "hops": meeting.hops,
                "reason": meeting.reason,
                "rank": rank,
            },
        )
    return event, list(invitations.values()), list(meetings.values())


class SavedInvitee(Invitee):
    """An invitee of a saved event and whether it came (false until attendance is recorded)."""

    attended: bool = False


class SavedMeeting(Meeting):
    """A proposed meeting of a saved event and whether it took place (false until recorded)."""

    id: str
    took_place: bool = False


class StoredEvent(BaseModel):
    """A saved event: its brief, its plan as saved, and attendance."""

    id: str
    title: str
    date: dt.date | None
    saved_at: str | None = Field(description="when it was first saved (ISO)")
    graph_version: int | None = Field(description="the graph version the plan was made on")
    attendance_recorded_at: str | None = Field(description="when attendance was last recorded (None: not yet)")
    brief: EventBrief
    invitees: list[SavedInvitee]
    meetings: list[SavedMeeting]
    notes: list[str] = Field(default_factory=list)


class EventSummary(BaseModel):
    """One line of the list of saved events."""

    id: str
    title: str
    date: dt.date | None
    saved_at: str | None
    graph_version: int | None
    attendance_recorded_at: str | None
    invitees: int
    attended: int
    meetings: int
    meetings_held: int


def _ref(row: Row) -> NodeRef:
    return NodeRef(
        id=row["id"],
        name=row.get("name") or row["id"],
        kind=row.get("kind") or "Organisation",
        city=row.get("city"),
        region=row.get("region"),
        home=bool(row.get("home")),
    )


def stored_event(row: Row) -> StoredEvent:
    """A :class:`StoredEvent` from ``Store.event``'s row (organisations as they are in the graph now)."""
    event = row["event"]
    refs = {r["id"]: _ref(r) for r in row["invitees"]}
    invitees = [
        SavedInvitee(
            organisation=refs[r["id"]],
            side=r["side"],
            score=r["score"],
            reasons=list(r.get("reasons") or []),
            attended=bool(r.get("attended")),
        )
        for r in row["invitees"]
    ]
    meetings = [
        SavedMeeting(
            id=m["id"],
            a=refs.get(m["a"]) or _ref({"id": m["a"]}),
            b=refs.get(m["b"]) or _ref({"id": m["b"]}),
            side_a=m["side_a"],
            side_b=m["side_b"],
            score=m["score"],
            hops=m.get("hops"),
            reason=m["reason"],
            took_place=bool(m.get("took_place")),
        )
        for m in row["meetings"]
    ]
    return StoredEvent(
        id=event["id"],
        title=event["title"],
        date=event.get("date"),
        saved_at=event.get("saved_at"),
        graph_version=event.get("graph_version"),
        attendance_recorded_at=event.get("attendance_recorded_at"),
        brief=EventBrief.model_validate(json.loads(event["brief"])),
        invitees=invitees,
        meetings=meetings,
        notes=list(event.get("notes") or []),
    )


# --- the outcome ----------------------------------------------------------------------


class JointProject(BaseModel):
    """A project both organisations of a meeting take part in, started after the event."""

    id: str
    acronym: str | None
    title: str | None
    start_year: int | None


class FollowUp(BaseModel):
    """A meeting whose two organisations share a project started after the event."""

    meeting_id: str
    a: NodeRef
    b: NodeRef
    took_place: bool
    projects: list[JointProject]


class SideAttendance(BaseModel):
    """Invited and attended organisations of one side."""

    side: str
    invited: int
    attended: int


class EventOutcome(BaseModel):
    """What came of an event: meetings that turned into joint projects, and who came."""

    event_id: str
    title: str
    date: dt.date | None
    attendance_recorded: bool = Field(description="false: nobody recorded who came; held counts are then 0")
    data_until: int | None = Field(description="the newest project start year in the graph")
    meetings_proposed: int
    meetings_held: int
    held_led_to_project: int = Field(description="meetings that took place and led to a joint project")
    proposed_led_to_project: int = Field(description="proposed meetings (held or not) that led to a joint project")
    follow_ups: list[FollowUp] = Field(description="every proposed meeting that led to a joint project")
    attendance: list[SideAttendance]
    invited: int
    attended: int
    sentence: str


def _started_after(data: Row, date: dt.date) -> bool:
    start = data.get("start")
    if isinstance(start, str) and len(start) >= 10:
        try:
            return dt.date.fromisoformat(start[:10]) > date
        except ValueError:
            pass
    year = data.get("start_year")
    return year is not None and int(year) > date.year


def _projects_of(graph: nx.MultiDiGraph, org: str) -> set[str]:
    if org not in graph:
        return set()
    return {target for _, target, key in graph.out_edges(org, keys=True) if key == "PARTICIPATES_IN"}


def _joint(graph: nx.MultiDiGraph, a: str, b: str, date: dt.date) -> list[JointProject]:
    shared = _projects_of(graph, a) & _projects_of(graph, b)
    found = [
        JointProject(
            id=p,
            acronym=graph.nodes[p].get("acronym"),
            title=graph.nodes[p].get("title"),
            start_year=graph.nodes[p].get("start_year"),
        )
        for p in shared
        if _started_after(graph.nodes[p], date)
    ]
    return sorted(found, key=lambda j: (j.start_year or 0, j.id))


def _listing(follow_ups: Iterable[FollowUp]) -> str:
    parts = []
    for f in follow_ups:
        first = f.projects[0]
        label = first.acronym or first.title or first.id
        year = f", {first.start_year}" if first.start_year else ""
        more = f" and {len(f.projects) - 1} more" if len(f.projects) > 1 else ""
        parts.append(f"{f.a.name} & {f.b.name} ({label}{year}{more})")
    return ", ".join(parts)


def _meetings_word(n: int) -> str:
    return "meeting" if n == 1 else "meetings"


def event_outcome(event: StoredEvent, graph: nx.MultiDiGraph) -> EventOutcome:
    """The outcome of ``event`` on the store's graph (``Store.to_networkx``; see the module docstring for the rule).

    The headline counts the meetings that took place once attendance is recorded, else all proposed meetings
    (and says so); proposed meetings that did not take place but led to a project anyway are named apart.
    """
    years = [d.get("start_year") for _, d in graph.nodes(data=True) if "Project" in d.get("labels", ())]
    data_until = max((int(y) for y in years if y is not None), default=None)
    recorded = event.attendance_recorded_at is not None
    held = [m for m in event.meetings if m.took_place]
    follow_ups: list[FollowUp] = []
    if event.date is not None:
        for m in event.meetings:
            projects = _joint(graph, m.a.id, m.b.id, event.date)
            if projects:
                follow_ups.append(FollowUp(meeting_id=m.id, a=m.a, b=m.b, took_place=m.took_place, projects=projects))
    held_led = [f for f in follow_ups if f.took_place]
    sides: dict[str, list[SavedInvitee]] = {}
    for invitee in event.invitees:
        sides.setdefault(invitee.side, []).append(invitee)
    attendance = [
        SideAttendance(side=side, invited=len(members), attended=sum(i.attended for i in members))
        for side, members in sides.items()
    ]
    return EventOutcome(
        event_id=event.id,
        title=event.title,
        date=event.date,
        attendance_recorded=recorded,
        data_until=data_until,
        meetings_proposed=len(event.meetings),
        meetings_held=len(held),
        held_led_to_project=len(held_led),
        proposed_led_to_project=len(follow_ups),
        follow_ups=follow_ups,
        attendance=attendance,
        invited=len(event.invitees),
        attended=sum(i.attended for i in event.invitees),
        sentence=_sentence(event, recorded, held, held_led, follow_ups, data_until),
    )


def _sentence(
    event: StoredEvent,
    recorded: bool,
    held: list[SavedMeeting],
    held_led: list[FollowUp],
    follow_ups: list[FollowUp],
    data_until: int | None,
) -> str:
    if event.date is None:
        return f"The event {event.title!r} has no date, so no project can be said to have followed it."
    by = f" by {data_until}" if data_until is not None else ""
    of_event = f"of the {event.date.year} event"
    if not recorded:
        n = len(event.meetings)
        led = len(follow_ups)
        text = (
            f"Attendance is not recorded yet; of all proposed: {led} of {n} {_meetings_word(n)} {of_event} "
            f"led to a joint project{by}"
        )
        return text + (f": {_listing(follow_ups)}." if follow_ups else ".")
    n = len(held)
    text = f"{len(held_led)} of {n} {_meetings_word(n)} {of_event} led to a joint project{by}"
    text += f": {_listing(held_led)}." if held_led else "."
    others = [f for f in follow_ups if not f.took_place]
    if others:
        text += f" Proposed but not held, yet partners since: {_listing(others)}."
    return text
