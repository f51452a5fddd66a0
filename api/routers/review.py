"""The review queue of uncertain name matches (admin): list the pairs, record a decision the next load applies.

See :mod:`innograph.loaders.review` and docs/review.md.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from innograph.api.auth import admin
from innograph.api.state import ServiceState, get_state
from innograph.loaders.review import ReviewEntry, Verdict, decide, review_queue

router = APIRouter(tags=["review"])
ReviewId = Path(min_length=1, max_length=100, description="the pair's id, as GET /review lists it")


class ReviewDecision(BaseModel):
    """A person's decision on one pair."""

    decision: Verdict = Field(description="same: one organisation (merged by the next load); different: never merged")


class ReviewQueue(BaseModel):
    """The queue: pending pairs first (best score first), then, if asked for, the decided ones (newest first)."""

    pending: int = Field(description="pending pairs listed")
    decided: int = Field(description="decided pairs listed (none unless status is all or decided)")
    pairs: list[ReviewEntry]


@router.get("/review", response_model=ReviewQueue, dependencies=[Depends(admin)], summary="Uncertain name matches")
async def queue(
    status: Literal["pending", "decided", "all"] = Query("pending", description="which pairs to list"),
    state: ServiceState = Depends(get_state),
) -> ReviewQueue:
    """The pairs the loaders did not merge on their own, with the evidence of both sides."""
    entries = await run_in_threadpool(review_queue, state.store, include_decided=status != "pending")
    if status == "decided":
        entries = [entry for entry in entries if entry.status != "pending"]
    pending = sum(entry.status == "pending" for entry in entries)
    return ReviewQueue(pending=pending, decided=len(entries) - pending, pairs=entries)


@router.post("/review/{review_id}", response_model=ReviewEntry, dependencies=[Depends(admin)], summary="Decide a pair")
async def decide_pair(
    body: ReviewDecision, review_id: str = ReviewId, state: ServiceState = Depends(get_state)
) -> ReviewEntry:
    """Record same or different (unknown id: 404); the next load applies it, a reload keeps it."""
    return await run_in_threadpool(decide, state.store, review_id, body.decision, "api")
