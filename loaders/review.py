"""The review queue: uncertain name matches a person decides once, applied by every later load.

The resolver (:mod:`loaders.resolve`) does not merge a pair it is unsure of (a fuzzy score
between ``review_score`` and ``merge_score``, an ambiguous exact match); it lists it. Every
load stores its pairs as ``(:MatchReview)`` nodes keyed by :func:`loaders.resolve.review_id`
(folded incoming name, country, candidate id), so loading twice changes nothing and the same
pair found from another file or in another load order is one entry. A new pair is
``pending``; a person records ``same`` or ``different`` (:func:`decide`, from ``innograph
review decide``, ``POST /review/{id}`` or the ``/review/view`` page), and the NEXT load hands
the decisions to its resolver (:func:`decisions`): "same" merges the name onto the candidate
(an ``org:`` node the name made earlier is merged into the candidate in the same
transaction), "different" never merges them and the pair is not listed again. Decided pairs
stay decided. See docs/review.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from innograph.errors import NotFoundError
from innograph.graph import steps as st
from innograph.graph.steps import Step
from innograph.graph.store import Store
from innograph.loaders.resolve import Decision, ReviewPair

Verdict = Literal["same", "different"]
Status = Literal["pending", "same", "different"]
STATUSES: tuple[Status, ...] = ("pending", "same", "different")


class ReviewSide(BaseModel):
    """One organisation of a pair as the graph holds it now."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str | None = None
    city: str | None = None
    country: str | None = None
    projects: int = Field(0, description="projects the node takes part in")


class ReviewEntry(BaseModel):
    """One pair of the review queue with its evidence."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="stable id: folded incoming name, country, candidate id")
    name: str = Field(description="the incoming name as the source spells it")
    country: str | None = Field(None, description="the incoming row's country")
    where: str = Field(description="where the name came from: file:row, or the graph node a later load re-checked")
    source: str = Field(description="the load that found the pair")
    score: float = Field(description="name similarity 0-100 (100: an ambiguous exact match)")
    reason: str
    status: Status
    incoming: ReviewSide | None = Field(None, description="the node the incoming name is on now (None: gone)")
    candidate: ReviewSide
    first_seen: str | None = None
    last_seen: str | None = None
    decided_at: str | None = None
    decided_by: str | None = None


def short_where(where: str) -> str:
    """``where`` for people: a file row as ``folder/file:row`` (the load's own path can be long); a stored node
    a later load re-checked as "stored by an earlier load"."""
    if where.startswith("graph node"):
        return "stored by an earlier load"
    path, _, row = where.rpartition(":")
    if not path or not row.isdigit():
        return where
    file = Path(path)
    return f"{file.parent.name}/{file.name}:{row}" if file.parent.name else f"{file.name}:{row}"


def decisions(store: Store) -> list[Decision]:
    """The decided pairs, for a load's resolver (oldest first, so the last decision on a pair wins)."""
    return [
        Decision(row["name"], row["country"], row["candidate_id"], bool(row["same"])) for row in store.match_decisions()
    ]


def queue_step(pairs: Iterable[ReviewPair], source: str) -> Step:
    """The store step that upserts a load's review pairs (one row per pair id, the first sighting's evidence)."""
    rows: dict[str, dict[str, object]] = {}
    for pair in pairs:
        rows.setdefault(
            pair.id,
            {
                "id": pair.id,
                "name": pair.name,
                "country": pair.country,
                "incoming_id": pair.incoming_id,
                "candidate_id": pair.candidate_id,
                "candidate_name": pair.candidate_name,
                "score": pair.score,
                "where": pair.where,
                "source": source,
                "reason": pair.reason,
            },
        )
    return st.match_reviews(rows.values())


def _entry(row: dict[str, object]) -> ReviewEntry:
    review = dict(row["review"])  # type: ignore[call-overload]
    candidate = row["candidate"] or {"id": review["candidate_id"], "name": review["candidate_name"]}
    return ReviewEntry(
        **{key: review.get(key) for key in ReviewEntry.model_fields if key not in ("incoming", "candidate")},
        incoming=row["incoming"],
        candidate=candidate,
    )


def review_queue(store: Store, *, include_decided: bool = False) -> list[ReviewEntry]:
    """The pending pairs (and, with ``include_decided``, the decided ones after them), best score first."""
    statuses = STATUSES if include_decided else ("pending",)
    return [_entry(row) for row in store.match_reviews(statuses)]


def review_entry(store: Store, review_id: str) -> ReviewEntry:
    """One pair; :class:`NotFoundError` if there is none with this id."""
    rows = store.match_reviews(STATUSES, review_id)
    if not rows:
        raise NotFoundError(f"no review pair with id {review_id!r} (innograph review --all lists them)")
    return _entry(rows[0])


def decide(store: Store, review_id: str, verdict: Verdict, decided_by: str) -> ReviewEntry:
    """Record a decision on a pair (the next load applies it) and return the pair as stored now.

    ``decided_by`` says through what the decision came (``cli``, ``api``, ``page``), never who:
    the queue holds no personal data.
    """
    review_entry(store, review_id)
    store.apply([st.match_decision(review_id, verdict, decided_by)])
    return review_entry(store, review_id)
