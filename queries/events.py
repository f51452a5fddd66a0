"""Cross-specialisation events (issue #13): whom to invite, and who should meet whom, with reasons.

An :class:`EventBrief` names two or more sides to bridge (fields, clusters or free keywords of the
competence index), how many to invite, how many meetings one organisation may have, quotas per side
and exclusions. :func:`plan_event` turns it into an :class:`EventPlan`: a ranked invite list per side,
each invitee with the evidence that makes it worth inviting, and meetings between organisations of
different sides that are not yet tied, chosen as a maximum-weight b-matching under the meeting cap.

These models are the contract between the planner, the CLI, the API and the stored events.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from innograph.queries.paths import NodeRef

MAX_SIDES = 6
MAX_INVITEES = 500


class EventSide(BaseModel):
    """One side of the event: organisations with this competence (any of the given fields, clusters, keywords)."""

    label: str = Field(min_length=1, max_length=100, description='shown on lists, e.g. "Photonics"')
    fields: list[str] = Field(default_factory=list, max_length=20, description="specialisation field ids or names")
    clusters: list[str] = Field(default_factory=list, max_length=20, description="cluster ids or names")
    keywords: list[str] = Field(default_factory=list, max_length=20, description="competence words, English or German")
    quota: int | None = Field(default=None, ge=1, le=MAX_INVITEES, description="invitees of this side (None: share)")


class EventBrief(BaseModel):
    """What the agency wants from an event."""

    title: str = Field(min_length=1, max_length=200)
    date: dt.date | None = None
    sides: list[EventSide] = Field(min_length=2, max_length=MAX_SIDES)
    region: str | None = Field(default=None, max_length=10, description="NUTS prefix every invitee must be in")
    home_only: bool = Field(default=True, description="invite organisations of the home ecosystem only")
    size: int = Field(default=40, ge=2, le=MAX_INVITEES, description="invitees in all")
    meetings_per_organisation: int = Field(default=3, ge=1, le=20, description="the meeting cap")
    exclude: list[str] = Field(default_factory=list, max_length=500, description="organisation ids not to invite")


class Invitee(BaseModel):
    """An organisation on one side's invite list, with why it should come."""

    organisation: NodeRef
    side: str
    score: float = Field(ge=0)
    reasons: list[str] = Field(description="each a sentence naming evidence from the data")


class Meeting(BaseModel):
    """A proposed meeting between two invitees of different sides who are not tied yet."""

    a: NodeRef
    b: NodeRef
    side_a: str
    side_b: str
    score: float = Field(ge=0)
    hops: int | None = Field(description="shortest chain of ties between them now (None: not connected)")
    reason: str


class EventPlan(BaseModel):
    """The plan for a brief on one graph version."""

    brief: EventBrief
    graph_version: int | None
    invitees: list[Invitee]
    meetings: list[Meeting]
    notes: list[str] = Field(default_factory=list, description="what the planner could not do, in words")
