"""The store: the only place that writes to Neo4j.

Writes are *steps* (:mod:`innograph.graph.steps`: a Cypher constant from
:mod:`innograph.graph.cypher` plus parameter rows built from validated records).
:meth:`Store.apply` runs steps in batches of
``UNWIND $rows`` through the driver's managed transactions, so a transient
failure is retried safely (every statement MERGEs on a stable id):

* ``atomic=False``: one transaction per batch — a batch that fails leaves
  nothing of itself behind, earlier batches stay;
* ``atomic=True``: every batch of every step in one transaction — a load either
  lands completely or not at all (the loaders use this).

Every write transaction also bumps the graph version (``(:GraphMeta)``), which
readers compare to invalidate their caches, and then rewrites the machine's *version stamp* (a
small file in the data folder, :data:`STAMP_NAME`): processes on the same machine (the API's
workers) read that file instead of asking Neo4j before every request, and ask Neo4j only when it
changed (:class:`innograph.graph.versions.VersionWatch`). Driver errors are wrapped in
:class:`StoreError` with ``from e``.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, LiteralString, TypeVar

import networkx as nx
from neo4j import READ_ACCESS, Driver, GraphDatabase, ManagedTransaction
from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable, SessionExpired
from neo4j.time import Date, DateTime, Duration, Time

from innograph.errors import NotFoundError, StoreError, StoreUnavailableError
from innograph.graph import cypher, records
from innograph.graph.schema import SCHEMA_STATEMENTS
from innograph.graph.steps import Row, Step, home_flags
from innograph.settings import Settings

T = TypeVar("T")
STAMP_NAME = "graph-version.stamp"
"""File in the data folder that every write rewrites: the cue for other processes to read the version."""


@dataclass(frozen=True)
class GraphVersions:
    """The graph version and ``paths`` (the version of the last write that changed the path graph's input)."""

    graph: int
    paths: int


@dataclass
class WriteSummary:
    """What a write did, summed over its batches (from Neo4j's own counters)."""

    rows: dict[str, int] = field(default_factory=dict)
    nodes_created: int = 0
    relationships_created: int = 0
    properties_set: int = 0
    labels_added: int = 0
    version: int | None = None

    def add(self, other: WriteSummary) -> None:
        """Fold another summary into this one."""
        for name, n in other.rows.items():
            self.rows[name] = self.rows.get(name, 0) + n
        self.nodes_created += other.nodes_created
        self.relationships_created += other.relationships_created
        self.properties_set += other.properties_set
        self.labels_added += other.labels_added
        if other.version is not None:  # parallel writers finish in any order: keep the newest
            self.version = other.version if self.version is None else max(self.version, other.version)


@dataclass(frozen=True)
class Counts:
    """Node counts per label and relationship counts per type."""

    labels: dict[str, int]
    relationships: dict[str, int]


# --- step builders: typed records in, parameter rows out ----------------------


# --- the store ---------------------------------------------------------------

_KINDS = [kind.value for kind in records.OrganisationKind]
_TEMPORAL = (Date, DateTime, Time, Duration)
_SEARCH_WORD = re.compile(r"\w+")
PROJECT_MATCH_LIMIT = 1000  # projects per term of a competence search


def _lanes(step: Step, writers: int, batch_size: int) -> list[list[Row]]:
    """The step's rows split for parallel writers (see :attr:`Step.lanes`), or all in one lane.

    Groups of the same ``spread`` value go whole to the lane with the fewest rows so
    far, largest groups first; each lane is then sorted by ``order`` (stable, so rows
    for the same node keep their order and the last one still wins). On 2 cores,
    participations: ~9,800 -> ~11,100 rows/s in bench/load.py, where the server's
    CPU per row is the limit (profile in bench/README.md, "load").
    """
    if step.lanes is None or step.prepare is not None or writers < 2 or len(step.rows) <= batch_size:
        return [step.rows]
    spread, order = step.lanes
    groups: dict[Any, list[Row]] = {}
    for row in step.rows:
        groups.setdefault(row[spread], []).append(row)
    lanes: list[list[Row]] = [[] for _ in range(writers)]
    for group in sorted(groups.values(), key=len, reverse=True):
        min(lanes, key=len).extend(group)
    return [sorted(lane, key=lambda row: row[order]) for lane in lanes if lane]


def _batches(rows: Sequence[Row], size: int) -> Iterator[list[Row]]:
    for start in range(0, len(rows), size):
        yield list(rows[start : start + size])


def _plain(value: Any) -> Any:
    """Neo4j temporal values as ISO strings, so graphs export anywhere.

    Neo4j lists are homogeneous, so a list holds temporals only if its first item is one.
    """
    if isinstance(value, list):
        return [v.iso_format() for v in value] if value and isinstance(value[0], _TEMPORAL) else value
    return value.iso_format() if isinstance(value, _TEMPORAL) else value


class Store:
    """Typed access to the graph in Neo4j; see the module docstring for write semantics."""

    def __init__(
        self,
        driver: Driver,
        database: str = "neo4j",
        batch_size: int = 5000,
        writers: int = 2,
        home_regions: tuple[str, ...] = ("DEG",),
        stamp: Path | None = None,
    ) -> None:
        self._driver = driver
        self.stamp = stamp
        self._database = database
        self._batch_size = batch_size
        self._writers = writers
        self.home_regions = home_regions
        self._schema_ready = False

    @classmethod
    def connect(cls, settings: Settings, *, timeout_s: float = 5.0, retry_s: float = 15.0) -> Store:
        """Open a store on the configured server (the caller ensures the local one runs).

        ``timeout_s`` bounds connecting, ``retry_s`` the retries of a managed
        transaction; the API uses small values so a dead Neo4j is a fast 503.
        """
        driver = GraphDatabase.driver(
            settings.effective_uri,
            auth=(settings.neo4j_user, settings.neo4j_password.get_secret_value()),
            connection_timeout=timeout_s,
            connection_acquisition_timeout=timeout_s,
            max_transaction_retry_time=retry_s,
            # The server's notifications (e.g. "property key does not exist" on a fresh graph) are
            # advice for query authors, not for the people running a load: our own messages say what matters.
            notifications_min_severity="OFF",
        )
        return cls(
            driver,
            settings.neo4j_database,
            settings.batch_size,
            settings.write_workers,
            settings.home_prefixes,
            stamp=settings.data_dir / STAMP_NAME,
        )

    def close(self) -> None:
        """Close the driver."""
        self._driver.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing --

    def _call(self, what: str, fn: Callable[[], T]) -> T:
        """Run ``fn``, turning driver errors into the project's error tree."""
        try:
            return fn()
        except (ServiceUnavailable, SessionExpired) as e:
            raise StoreUnavailableError(f"Neo4j is unreachable while {what}: {e}") from e
        except (Neo4jError, DriverError) as e:
            raise StoreError(f"Neo4j failed while {what}: {e}") from e

    def _read(self, statement: LiteralString, **params: Any) -> list[Row]:
        def work(tx: ManagedTransaction) -> list[Row]:
            # Our statements return values and maps, never nodes, so ``dict(record.items())`` is
            # enough: ``record.data()`` walks every nested value (50 s of reading the 5k graph).
            return [dict(record.items()) for record in tx.run(statement, params)]

        def run() -> list[Row]:
            with self._driver.session(database=self._database) as session:
                return session.execute_read(work)

        return self._call("reading", run)

    def verify(self) -> None:
        """Raise :class:`StoreUnavailableError` unless Neo4j answers."""
        self._call("connecting", self._driver.verify_connectivity)

    def init_schema(self) -> None:
        """Create constraints and indexes (idempotent) and wait until they are online."""

        def run() -> None:
            with self._driver.session(database=self._database) as session:
                for statement in SCHEMA_STATEMENTS:
                    session.run(statement).consume()
                session.run("CALL db.awaitIndexes(300)").consume()

        self._call("creating the schema", run)
        self._schema_ready = True

    # -- writes --

    def mark_home(self) -> WriteSummary:
        """Recompute every organisation's home flag for :attr:`home_regions` (the loaders do it in their write)."""
        return self.apply([home_flags(self.home_regions)])

    def apply(self, steps: Sequence[Step], *, atomic: bool = True) -> WriteSummary:
        """Run write steps; ``atomic`` puts all of them in one transaction."""
        if not self._schema_ready:
            self.init_schema()
        summary = WriteSummary()
        if atomic:
            work = [(step, batch) for step in steps for batch in _batches(step.rows, self._batch_size)]
            if work:
                summary.add(self._call(f"writing {work[0][0].name}", lambda: self._write_unit(work)))
            return summary
        for step in steps:
            lanes = _lanes(step, self._writers, self._batch_size)
            if len(lanes) == 1:
                summary.add(self._write_lane(step, lanes[0]))
                continue
            with ThreadPoolExecutor(len(lanes), thread_name_prefix="innograph-writer") as pool:
                for lane_summary in pool.map(lambda rows, s=step: self._write_lane(s, rows), lanes):
                    summary.add(lane_summary)
        return summary

    def _write_lane(self, step: Step, rows: list[Row]) -> WriteSummary:
        """One writer's rows of a step, one transaction per batch."""
        summary = WriteSummary()
        for batch in _batches(rows, self._batch_size):
            summary.add(self._call(f"writing {step.name}", lambda b=batch: self._write_unit([(step, b)])))
        return summary

    def _write_unit(self, unit: list[tuple[Step, list[Row]]]) -> WriteSummary:
        """One managed transaction over the given batches, plus the version bump."""

        def work(tx: ManagedTransaction) -> WriteSummary:
            summary, now = WriteSummary(), datetime.now(UTC)
            for step, batch in unit:
                summary.rows[step.name] = summary.rows.get(step.name, 0) + len(batch)
                rows = step.prepare(tx, batch) if step.prepare else batch
                for part in _batches(rows, self._batch_size):
                    result = tx.run(step.query, rows=part, kinds=_KINDS, now=now)
                    written = result.single(strict=True)["written"]
                    if written != len(part):
                        raise StoreError(
                            f"{step.name}: {len(part) - written} of {len(part)} rows name a node "
                            "that is not in the graph (or an unknown kind); nothing of this write was kept"
                        )
                    counters = result.consume().counters
                    summary.nodes_created += counters.nodes_created
                    summary.relationships_created += counters.relationships_created
                    summary.properties_set += counters.properties_set
                    summary.labels_added += counters.labels_added
            paths = any(step.paths for step, _ in unit)
            summary.version = tx.run(cypher.BUMP_VERSION, paths=paths).single(strict=True)["version"]
            return summary

        with self._driver.session(database=self._database) as session:
            summary = session.execute_write(work)
        self._touch_stamp()
        return summary

    def _touch_stamp(self) -> None:
        """Rewrite the version stamp after a committed write (new content every time, replaced atomically).

        Best effort: a data folder that cannot be written only delays other processes' view of
        the write to their next poll of Neo4j, it never fails the write.
        """
        if self.stamp is None:
            return
        try:
            self.stamp.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.stamp.with_name(f".{self.stamp.name}.{os.getpid()}.{secrets.token_hex(4)}")
            temporary.write_text(f"{datetime.now(UTC).isoformat()} {secrets.token_hex(8)}\n")
            os.replace(temporary, self.stamp)
        except OSError:
            pass

    def all_project_ids(self) -> list[str]:
        """Every project id (for a full cooperation re-derivation)."""
        return [row["id"] for row in self._read(cypher.ALL_PROJECT_IDS)]

    def clear(self) -> None:
        """Delete every node and relationship (tests and ``innograph reset``); schema stays, the version moves on."""

        def run() -> None:
            with self._driver.session(database=self._database) as session:
                session.run(cypher.DELETE_ALL).consume()
                session.execute_write(lambda tx: tx.run(cypher.BUMP_VERSION, paths=True).consume())

        self._call("clearing the graph", run)
        self._touch_stamp()

    # -- reads --

    def version(self) -> int:
        """The graph version: bumped by every write transaction, 0 for an empty store."""
        return self.versions().graph

    def versions(self) -> GraphVersions:
        """The graph version and the paths version (see :data:`cypher.BUMP_VERSION`); both 0 for an empty store.

        One auto-commit read (RUN and PULL in one round trip) rather than a managed
        transaction (BEGIN, RUN, PULL, COMMIT): 1.1 instead of 2.5 ms. A single-row read
        needs no retry wrapper.
        """

        def run() -> GraphVersions:
            with self._driver.session(database=self._database, default_access_mode=READ_ACCESS) as session:
                record = session.run(cypher.READ_VERSION).single()
            return GraphVersions(int(record["version"]), int(record["paths"])) if record else GraphVersions(0, 0)

        return self._call("reading the graph version", run)

    def organisation(self, org_id: str) -> dict[str, Any]:
        """One organisation's properties plus ``labels``; :class:`NotFoundError` if absent."""
        rows = self._read(cypher.GET_ORGANISATION, id=org_id)
        if not rows:
            raise NotFoundError(f"no organisation with id {org_id!r}")
        props = {key: _plain(value) for key, value in rows[0]["props"].items()}
        return {**props, "labels": sorted(rows[0]["labels"])}

    def organisation_names(self) -> list[dict[str, Any]]:
        """Id, name, aliases, country and kind of every organisation: what loaders resolve names against."""
        return self._read(cypher.ORGANISATION_NAMES)

    def search_organisations(
        self, text: str | None, limit: int = 20, offset: int = 0, kind: str | None = None, home_only: bool = False
    ) -> tuple[int, list[dict[str, Any]]]:
        """(total, one page) of organisations matching ``text`` in names and aliases, best first.

        ``home_only`` keeps the organisations whose ``home`` flag is set (the home ecosystem).

        Every word must match as a prefix or fuzzily. Only word characters of the
        input reach Lucene, lower-cased, so user text can never form query syntax
        (operators, fields, wildcards). No text (or no words) lists all by name.
        """
        words = _SEARCH_WORD.findall((text or "").lower())
        params = {"limit": limit, "offset": offset, "kind": kind, "home_only": home_only}
        if not words:
            row = self._read(cypher.LIST_ORGANISATIONS, **params)[0]
        else:
            query = " AND ".join(f"({w}* OR {w}~)" for w in words)
            row = self._read(cypher.SEARCH_ORGANISATIONS, query=query, **params)[0]
        return int(row["total"]), list(row["page"])

    def project_matches(
        self, terms: Mapping[str, Sequence[str]], limit: int = PROJECT_MATCH_LIMIT
    ) -> list[dict[str, Any]]:
        """For each term, the projects whose acronym, title, objective or topics match it, best first.

        ``terms`` maps a term (as the caller names it) to its alternative phrases; a project matches
        when its texts contain any of them (Lucene's English analyzer stems both sides, so "photonic"
        finds "Photonics"; a phrase of several words matches as a phrase; a one-word phrase ending in
        ``*`` also matches as a word start: "laser*" finds "lasertechnik"). Only word characters reach
        Lucene, lower-cased, so the terms can never form query syntax. Rows: ``term``, ``id``,
        ``acronym``, ``title``, ``start_year``, ``end_year``, ``score`` (Lucene BM25 relevance) and
        ``organisations`` (the ids of its participants); at most ``limit`` projects per term.
        """
        queries = []
        for term, phrases in terms.items():
            parts = []
            for phrase in phrases:
                words = _SEARCH_WORD.findall(phrase.lower())
                if len(words) > 1:
                    parts.append('"' + " ".join(words) + '"')
                elif words:
                    parts.append(f"{words[0]} OR {words[0]}*" if phrase.endswith("*") else words[0])
            if parts:
                queries.append({"term": term, "query": " OR ".join(parts)})
        if not queries:
            return []
        return self._read(cypher.PROJECT_TEXT_MATCHES, queries=queries, limit=limit)

    def count_home(self) -> int:
        """How many organisations are flagged home."""
        return int(self._read(cypher.COUNT_HOME)[0]["n"])

    def counts(self) -> Counts:
        """Nodes per label and relationships per type, read back from Neo4j."""
        labels = {row["label"]: row["n"] for row in self._read(cypher.COUNT_LABELS)}
        rels = {row["type"]: row["n"] for row in self._read(cypher.COUNT_RELATIONSHIPS)}
        return Counts(labels=labels, relationships=rels)

    def to_networkx(self, node_ids: Iterable[str] | None = None) -> nx.MultiDiGraph:
        """The whole graph, or the subgraph induced by ``node_ids``, with labels and properties.

        Nodes are keyed by ``id`` and carry ``labels`` (sorted) plus every property;
        edges are keyed by relationship type and carry ``type`` plus every property.
        """
        if node_ids is None:
            nodes, rels = self._read(cypher.ALL_NODES), self._read(cypher.ALL_RELATIONSHIPS)
        else:
            ids = list(dict.fromkeys(node_ids))
            nodes = self._read(cypher.SOME_NODES, ids=ids)
            rels = self._read(cypher.SOME_RELATIONSHIPS, ids=ids)
        graph = nx.MultiDiGraph()
        for row in nodes:
            props = {key: _plain(value) for key, value in row["props"].items() if value is not None}
            graph.add_node(row["id"], **props, labels=sorted(row["labels"]))
        for row in rels:
            for target, rel_type, rel_props in row["out"]:
                props = {key: _plain(value) for key, value in rel_props.items() if value is not None}
                graph.add_edge(row["source"], target, key=rel_type, **props, type=rel_type)
        return graph

    def match_decisions(self) -> list[dict[str, Any]]:
        """The decided review pairs, oldest decision first: ``name``, ``country``, ``candidate_id``, ``same``."""
        return self._read(cypher.MATCH_DECISIONS)

    def match_reviews(self, statuses: Sequence[str], review_id: str | None = None) -> list[dict[str, Any]]:
        """Review pairs with these statuses (pending first, then newest decision): ``review`` (the pair's
        properties), ``incoming`` and ``candidate`` (each organisation's id, name, city, country and number of
        projects, or None when the node is gone); one pair when ``review_id`` is given."""
        return self._read(cypher.MATCH_REVIEWS, statuses=list(statuses), id=review_id)

    def events(self) -> list[dict[str, Any]]:
        """Every saved event, newest date first: id, title, date, saved_at, graph_version and counts."""
        return self._read(cypher.LIST_EVENTS)

    def event(self, event_id: str) -> dict[str, Any]:
        """One saved event: ``event`` (its properties), ``invitees`` and ``meetings`` rows; :class:`NotFoundError`."""
        rows = self._read(cypher.GET_EVENT, id=event_id)
        if not rows:
            raise NotFoundError(f"no saved event with id {event_id!r}")
        return rows[0]
