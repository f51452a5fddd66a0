"""Write steps: what the loaders hand to :meth:`innograph.graph.store.Store.apply`.

A :class:`Step` is one Cypher statement from :mod:`innograph.graph.cypher` plus the parameter rows
built from validated records; the functions here build one step per kind of record. They only
describe writes: the store runs them (in batches, in managed transactions, bumping the graph
version), so loaders never speak Cypher and the store never knows about record types.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, LiteralString

from neo4j import ManagedTransaction

from innograph.graph import cypher, records

Row = dict[str, Any]


@dataclass(frozen=True)
class Step:
    """One write: a statement and its rows (``kinds`` is passed to every batch).

    ``prepare``, when set, turns a batch of the step's rows into the rows the
    statement writes, reading inside the same transaction (cooperation derivation).
    """

    name: str
    query: LiteralString
    rows: list[Row]
    prepare: Callable[[ManagedTransaction, list[Row]], list[Row]] | None = None
    lanes: tuple[str, str] | None = None
    """Allows parallel writers in ``apply(atomic=False)``: ``(spread, order)`` row keys.

    Rows with the same ``spread`` value go to the same writer, so no two writers
    touch the same node on that side (a project and all its participations), and
    every writer sorts its rows by ``order``, so writers lock the nodes on the
    other side (organisations) in the same order and cannot wait on each other in
    a cycle. ``None``: one writer.
    """
    paths: bool = True
    """Whether the step changes what the path graph is built from (organisations, projects, ties, clusters).

    ``False`` for the agency's own records and results (metrics, analysis runs, events, review
    decisions): a write of only such steps leaves the graph's ``paths_version`` where it was, so the
    path graph built for it is served on (:mod:`innograph.queries.path_snapshot`) instead of rebuilt.
    """


def organisations(items: Iterable[records.Organisation]) -> Step:
    """Upsert organisations (with their kind label)."""
    return Step("organisations", cypher.UPSERT_ORGANISATIONS, [r.row() for r in items], lanes=("id", "id"))


def clusters(items: Iterable[records.Cluster]) -> Step:
    """Upsert clusters and networks."""
    return Step("clusters", cypher.UPSERT_CLUSTERS, [r.row() for r in items])


def projects(items: Iterable[records.Project]) -> Step:
    """Upsert projects."""
    return Step("projects", cypher.UPSERT_PROJECTS, [r.row() for r in items], lanes=("id", "id"))


def fields(items: Iterable[records.SpecialisationField]) -> Step:
    """Upsert specialisation fields."""
    return Step("fields", cypher.UPSERT_FIELDS, [r.row() for r in items])


def technologies(items: Iterable[records.Technology]) -> Step:
    """Upsert technology keywords."""
    return Step("technologies", cypher.UPSERT_TECHNOLOGIES, [r.row() for r in items])


def regions(items: Iterable[records.Region]) -> Step:
    """Upsert NUTS regions."""
    return Step("regions", cypher.UPSERT_REGIONS, [r.row() for r in items])


def memberships(items: Iterable[records.Membership]) -> Step:
    """Link organisations to clusters (MEMBER_OF)."""
    return Step("memberships", cypher.LINK_MEMBERSHIPS, [r.row() for r in items], lanes=("cluster_id", "org_id"))


def management(items: Iterable[records.Management]) -> Step:
    """Link clusters to the organisation that manages them (MANAGES)."""
    return Step("management", cypher.LINK_MANAGEMENT, [r.row() for r in items])


def participations(items: Iterable[records.Participation]) -> Step:
    """Link organisations to projects (PARTICIPATES_IN)."""
    return Step(
        "participations",
        cypher.LINK_PARTICIPATIONS,
        [r.row() for r in items],
        lanes=("project_id", "org_id"),
    )


def declared_cooperations(items: Iterable[records.DeclaredCooperation]) -> Step:
    """Cooperations a source declares (COOPERATES_WITH, declared=true), lower id first."""
    rows = []
    for item in items:
        row = item.row()
        if row["org_id"] > row["partner_id"]:
            row["org_id"], row["partner_id"] = row["partner_id"], row["org_id"]
        rows.append(row)
    return Step("declared_cooperations", cypher.LINK_DECLARED_COOPERATIONS, rows)


def field_links(items: Iterable[records.Link]) -> Step:
    """Organisation ACTIVE_IN Field."""
    return Step("field_links", cypher.LINK_FIELDS, [r.row() for r in items], lanes=("to_id", "from_id"))


def technology_links(items: Iterable[records.Link]) -> Step:
    """Organisation OFFERS Technology."""
    return Step("technology_links", cypher.LINK_TECHNOLOGIES, [r.row() for r in items], lanes=("to_id", "from_id"))


def location_links(items: Iterable[records.Link]) -> Step:
    """Organisation LOCATED_IN Region."""
    return Step("location_links", cypher.LINK_LOCATIONS, [r.row() for r in items], lanes=("to_id", "from_id"))


def region_parents(items: Iterable[records.Link]) -> Step:
    """Region PART_OF Region."""
    return Step("region_parents", cypher.LINK_REGION_PARENTS, [r.row() for r in items])


def organisation_parents(items: Iterable[records.Link]) -> Step:
    """Organisation PART_OF Organisation (an institute of its society)."""
    return Step("organisation_parents", cypher.LINK_ORGANISATION_PARENTS, [r.row() for r in items])


def derive_cooperation(project_ids: Iterable[str]) -> Step:
    """Recompute COOPERATES_WITH for every pair sharing one of these projects."""
    return Step("cooperation", cypher.WRITE_COOPERATION, [{"id": pid} for pid in project_ids], _read_cooperation)


def cooperation_rows(participations: Iterable[Row], affected: set[str]) -> list[Row]:
    """Pairs of organisations sharing at least one ``affected`` project, with all their shared projects.

    ``participations`` are rows ``{org, project, size, first_year, last_year}`` covering
    every project of every organisation involved. collaboration_weight = sum over shared projects
    of 1/(n-1), n = consortium size (Newman 2001): partners of a 4-partner project get
    1/3, of a 180-partner project 1/179.

    >>> rows = [{"org": o, "project": p, "size": n, "first_year": 2020, "last_year": 2021}
    ...         for o, p, n in [("a", "p1", 2), ("b", "p1", 2), ("a", "p2", 3), ("b", "p2", 3), ("c", "p2", 3)]]
    >>> [(r["a"], r["b"], r["projects"], r["collaboration_weight"]) for r in cooperation_rows(rows, {"p1"})]
    [('a', 'b', ['p1', 'p2'], 1.5)]
    """
    members: dict[str, set[str]] = {}
    projects: dict[str, Row] = {}
    for row in participations:
        members.setdefault(row["project"], set()).add(row["org"])
        projects[row["project"]] = row
    shared: dict[tuple[str, str], list[str]] = {}
    for project in sorted(members):
        ordered = sorted(members[project])
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                shared.setdefault((a, b), []).append(project)
    rows = []
    for (a, b), ids in shared.items():
        if affected.isdisjoint(ids):
            continue
        first = [projects[p]["first_year"] for p in ids if projects[p]["first_year"] is not None]
        last = [projects[p]["last_year"] for p in ids if projects[p]["last_year"] is not None]
        rows.append(
            {
                "a": a,
                "b": b,
                "projects": ids,
                "collaboration_weight": sum(1.0 / (projects[p]["size"] - 1) for p in ids),
                "first_year": min(first) if first else None,
                "last_year": max(last) if last else None,
            }
        )
    return rows


def _read_cooperation(tx: ManagedTransaction, batch: list[Row]) -> list[Row]:
    """The cooperation rows for a batch of project ids, read inside the writing transaction."""
    participations = [dict(record.items()) for record in tx.run(cypher.COOPERATION_INPUT, rows=batch)]
    return cooperation_rows(participations, {row["id"] for row in batch})


def organisation_metrics(rows: Iterable[Row]) -> Step:
    """Analysis metrics onto organisations: rows ``{"id", "run_id", "metrics": {name: value or None}}``."""
    return Step("organisation_metrics", cypher.WRITE_ORGANISATION_METRICS, list(rows), paths=False)


def analysis_runs(rows: Iterable[Row]) -> Step:
    """Record :AnalysisRun nodes (id, algorithms, parameters as JSON, graph_version, started_at, duration_s).

    A run of one period (``innograph analyse --by-year``) also has ``period`` (its label), ``period_since``,
    ``period_until`` and ``summary`` (the period's figures as JSON); a whole-graph run has none of them.
    """
    return Step("analysis_run", cypher.RECORD_ANALYSIS_RUN, list(rows), paths=False)


def home_flags(prefixes: Iterable[str]) -> Step:
    """Recompute every organisation's ``home`` flag and ``home_reason`` for these NUTS prefixes."""
    return Step("home_flags", cypher.MARK_HOME, [{"prefixes": list(prefixes)}])


def event_plan(event: Row, invitations: list[Row], meetings: list[Row]) -> list[Step]:
    """Save an event plan (one transaction with ``Store.apply``): the event, then its invitees and meetings.

    ``event``: ``{id, title, date (ISO or None), brief (JSON), notes, graph_version}``; ``invitations``:
    ``{event_id, org_id, side, score, reasons, rank}``; ``meetings``: ``{id, event_id, a, b, side_a, side_b,
    score, hops, reason, rank}``. Invitees and meetings the event had but this plan lacks are removed; those
    it keeps keep their attendance.
    """
    prune = {"id": event["id"], "invitees": [r["org_id"] for r in invitations], "meetings": [r["id"] for r in meetings]}
    return [
        Step("event", cypher.SAVE_EVENTS, [event], paths=False),
        Step("event_prune", cypher.PRUNE_EVENT, [prune], paths=False),
        Step("event_invitations", cypher.SAVE_INVITATIONS, invitations, paths=False),
        Step("event_meetings", cypher.SAVE_MEETINGS, meetings, paths=False),
    ]


def event_attendance(event_id: str, attended: Iterable[str], held: Iterable[str]) -> Step:
    """Record who came (organisation ids) and which meetings (meeting ids) took place; replaces the last record."""
    return Step(
        "event_attendance",
        cypher.RECORD_ATTENDANCE,
        [{"id": event_id, "attended": list(attended), "held": list(held)}],
        paths=False,
    )


def match_reviews(rows: Iterable[Row]) -> Step:
    """Upsert review pairs ``{id, name, country, incoming_id, candidate_id, candidate_name, score, where, source,
    reason}``: a new pair is pending, a known one keeps its status (a decided pair stays decided)."""
    return Step("match_reviews", cypher.UPSERT_MATCH_REVIEWS, list(rows), paths=False)


def match_decision(review_id: str, status: str, decided_by: str) -> Step:
    """Record a decision (``same`` or ``different``) on one review pair."""
    return Step(
        "match_decision",
        cypher.DECIDE_MATCH_REVIEW,
        [{"id": review_id, "status": status, "decided_by": decided_by}],
        paths=False,
    )


def merge_organisation_nodes(into: dict[str, str]) -> list[Step]:
    """Merge each stored node ``old`` into ``into[old]`` (see cypher.MERGE_ORGANISATION_NODES), then re-derive
    COOPERATES_WITH for every project of the merged nodes. Runs after the load's own steps, in its transaction."""
    if not into:
        return []
    rows = [{"old": old, "new": new} for old, new in into.items()]
    targets = [{"id": new} for new in dict.fromkeys(into.values())]
    return [
        Step("merge_organisations", cypher.MERGE_ORGANISATION_NODES, rows),
        Step("merged_cooperation", cypher.WRITE_COOPERATION, targets, _read_merged_cooperation),
    ]


def _read_merged_cooperation(tx: ManagedTransaction, batch: list[Row]) -> list[Row]:
    """The cooperation rows of every project the merged nodes take part in, read inside the writing transaction."""
    projects = [{"id": record["id"]} for record in tx.run(cypher.MERGED_PROJECTS, rows=batch)]
    return _read_cooperation(tx, projects) if projects else []
