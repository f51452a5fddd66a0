"""The one loader shape: read rows, validate each with pydantic, resolve, write once.

Every loader (CORDIS, profiles, cluster lists) follows the same steps:

1. read its files with :func:`loaders.tables.read_table` (file-level problems are a
   :class:`LoadError`: nothing is written);
2. validate each row into a :class:`RowModel`; a row that fails becomes a
   :class:`Rejection` (``file:row:field: reason``) instead of stopping the load;
3. resolve entities (:mod:`loaders.resolve`) and collect records in a
   :class:`loaders.batch.GraphBatch`;
4. :func:`finish` writes the whole batch in ONE transaction (``Store.apply(atomic=True)``),
   so a load lands completely or not at all — unless it is a dry run, or it is strict
   and some row was rejected: then nothing is written and the report says why.

A file with more than ``max_rejections`` bad rows is almost certainly the wrong file;
the load stops with a :class:`LoadError` instead of collecting a million rejections.

Over 400 lines on purpose: the load context, its rejections, progress bars and the shared
row models are the one contract every loader follows; split up, a loader author would have to read
four modules to learn one shape.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints, ValidationError, model_validator
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from innograph.console import errors
from innograph.errors import LoadError
from innograph.graph import steps as st
from innograph.graph.records import Organisation, OrganisationKind
from innograph.graph.store import Store, WriteSummary
from innograph.loaders.batch import GraphBatch
from innograph.loaders.resolve import (
    SOCIETIES,
    Decision,
    KnownOrganisation,
    Resolver,
    Society,
    org_slug,
    preferred_name,
    society_of,
)
from innograph.loaders.review import decisions, queue_step
from innograph.loaders.tables import Column, ProgressCallback, TableRow, header_key, read_table

M = TypeVar("M", bound="RowModel")

MAX_REJECTIONS = 1000
PROGRESS_MIN_BYTES = 5 << 20
"""Files smaller than this load too fast for a progress bar to help."""


@dataclass(frozen=True)
class Rejection:
    """Why one row was not loaded: ``file:row:field: reason``."""

    file: str
    row: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.field}: {self.reason}"


@dataclass
class LoadReport:
    """What a load read, wrote and rejected.

    ``nodes``/``relationships`` are the records the load resolved (per label / type);
    ``nodes_created`` and ``relationships_created`` are Neo4j's own counters of the write;
    ``nodes_updated`` are node records that already existed. ``written`` is False for a
    dry run and for a strict load with rejections.
    """

    source: str
    dry_run: bool = False
    strict: bool = False
    rows_read: dict[str, int] = field(default_factory=dict)
    rejections: list[Rejection] = field(default_factory=list)
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    nodes_created: int = 0
    nodes_updated: int = 0
    relationships_created: int = 0
    properties_set: int = 0
    written: bool = False
    review_file: Path | None = None
    review_pairs: int = 0
    merged: dict[str, str] = field(default_factory=dict)
    """Name-only nodes already in the graph that this load found to be another node: old id -> the id kept."""
    seconds: float = 0.0

    @property
    def rejected_rows(self) -> int:
        """Distinct rows with at least one rejection."""
        return len({(r.file, r.row) for r in self.rejections})

    @property
    def failed(self) -> bool:
        """True when a strict load rejected rows (the CLI then exits non-zero)."""
        return self.strict and bool(self.rejections)

    def summary(self) -> str:
        """One line for logs."""
        mode = "dry run" if self.dry_run else ("written" if self.written else "NOT written")
        return (
            f"{self.source}: {sum(self.rows_read.values()):,} rows read, {self.rejected_rows:,} rejected, "
            f"{sum(self.nodes.values()):,} nodes / {sum(self.relationships.values()):,} relationships resolved, "
            f"{self.nodes_created:,} nodes and {self.relationships_created:,} relationships created, "
            f"{self.seconds:.1f}s ({mode})"
        )


class Rejections:
    """Collects rejections for a report, and stops a load that is clearly reading the wrong file."""

    def __init__(self, report: LoadReport, limit: int = MAX_REJECTIONS) -> None:
        self.report = report
        self.limit = limit
        self._rows: set[tuple[str, int]] = set()

    def add(self, file: str, row: int, column: str, reason: str) -> None:
        """Record one rejection; raise :class:`LoadError` once more than ``limit`` rows are bad."""
        self.report.rejections.append(Rejection(file, row, column, reason))
        self._rows.add((file, row))
        if len(self._rows) > self.limit:
            first = "; ".join(str(r) for r in self.report.rejections[:3])
            raise LoadError(
                f"{file}: more than {self.limit:,} rejected rows — is this the right file? Nothing was written. "
                f"First: {first}"
            )

    def validate(self, model: type[M], row: TableRow) -> M | None:
        """The row as ``model``, or None after recording every field error as a rejection."""
        self.report.rows_read[row.file] = self.report.rows_read.get(row.file, 0) + 1
        if row.problem:
            self.add(row.file, row.line, "*", row.problem)
            return None
        try:
            return model.model_validate(row.values)
        except ValidationError as e:
            for error in e.errors(include_input=False, include_url=False):
                column = ".".join(str(part) for part in error["loc"]) or "*"
                self.add(row.file, row.line, column, error["msg"])
            return None


# --- row models: what a cell may hold ------------------------------------------


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def parse_number(value: Any) -> Any:
    """'1427101,25', '1.427.101,25', '1,427,101.25', '1427101.25' -> float; '', 'NA' -> None."""
    if not isinstance(value, str):
        return value
    text = value.strip().replace(" ", "").replace("\u00a0", "")
    if text.upper() in {"", "NA", "N/A", "NAN", "NULL", "-"}:
        return None
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".") if text.rfind(",") > text.rfind(".") else text.replace(",", "")
    elif "," in text:
        text = text.replace(",", ".") if text.count(",") == 1 else text.replace(",", "")
    return text


def parse_date(value: Any) -> Any:
    """ISO dates (with or without time), 'DD.MM.YYYY' and 'DD/MM/YYYY' -> date."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text or text.upper() == "NA":
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text[:10], pattern).date()
        except ValueError:
            continue
    return text  # pydantic then reports it as an invalid date


def parse_year(value: Any) -> Any:
    """'2015', '2015-03-01', '01.03.2015' -> 2015."""
    if not isinstance(value, str):
        return value
    parsed = parse_date(value)
    if isinstance(parsed, date):
        return parsed.year
    match = re.fullmatch(r"\s*(\d{4})(\.0)?\s*", value)
    return int(match.group(1)) if match else value


def upper(value: Any) -> Any:
    """Codes (country, NUTS) in upper case."""
    return value.strip().upper() if isinstance(value, str) else value


_KIND_WORDS: dict[str, OrganisationKind] = {
    **{header_key(kind.value): kind for kind in OrganisationKind},
    **dict.fromkeys(("company", "unternehmen", "firma", "kmu", "sme", "startup"), OrganisationKind.COMPANY),
    **dict.fromkeys(
        ("university", "universitat", "hochschule", "fachhochschule", "universityofappliedsciences"),
        OrganisationKind.UNIVERSITY,
    ),
    **dict.fromkeys(
        ("researchinstitute", "institute", "institut", "forschungseinrichtung", "forschungsinstitut"),
        OrganisationKind.RESEARCH_INSTITUTE,
    ),
    **dict.fromkeys(
        ("clusterorganisation", "clusterorganization", "clustermanagement", "netzwerk", "network", "cluster"),
        OrganisationKind.CLUSTER_ORGANISATION,
    ),
    **dict.fromkeys(
        ("publicbody", "offentlicheeinrichtung", "behorde", "verwaltung", "kommune", "ministerium"),
        OrganisationKind.PUBLIC_BODY,
    ),
    **dict.fromkeys(("other", "sonstige", "sonstiges", "verband", "verein", "association"), OrganisationKind.OTHER),
}


def parse_kind(value: Any) -> Any:
    """An organisation kind in English or German ('Hochschule', 'Unternehmen', 'ResearchInstitute', ...)."""
    if not isinstance(value, str):
        return value
    kind = _KIND_WORDS.get(header_key(value))
    if kind is None:
        raise ValueError(
            f"unknown kind {value[:40]!r}; use one of Company/Unternehmen, University/Hochschule, "
            "ResearchInstitute/Forschungseinrichtung, ClusterOrganisation/Netzwerk, PublicBody/Behörde, Other/Sonstige"
        )
    return kind


Pic = Annotated[str, StringConstraints(pattern=r"^\d{5,12}$")]
Country = Annotated[Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None, BeforeValidator(upper)]
Kind = Annotated[OrganisationKind | None, BeforeValidator(parse_kind)]
Number = Annotated[float | None, BeforeValidator(parse_number)]
Day = Annotated[date | None, BeforeValidator(parse_date)]
Year = Annotated[int | None, BeforeValidator(parse_year)]


def split_list(cell: str | None) -> list[str]:
    """A list cell (items separated by ';' or line breaks) as clean, distinct items."""
    if not cell:
        return []
    items = (item.strip() for item in re.split(r"[;\n]", cell))
    return list(dict.fromkeys(item for item in items if item))


class RowModel(BaseModel):
    """Base of every row model: blank cells are None, unknown columns are ignored.

    The model's fields are the file's columns: a field without a default is a required
    column, and ``HEADERS`` lists further header spellings a column accepts (German ones).
    """

    model_config = ConfigDict(frozen=True, extra="ignore", str_strip_whitespace=True)
    HEADERS: ClassVar[dict[str, tuple[str, ...]]] = {}

    @classmethod
    def columns(cls) -> list[Column]:
        """The columns this model reads."""
        return [
            Column(name, cls.HEADERS.get(name, ()), required=info.is_required())
            for name, info in cls.model_fields.items()
        ]

    @model_validator(mode="before")
    @classmethod
    def _blanks(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {key: _blank_to_none(value) for key, value in data.items()}
        return data


# --- progress and the single write ----------------------------------------------


@contextmanager
def progress_bar(label: str, total: int, *, enabled: bool) -> Iterator[ProgressCallback | None]:
    """A rich progress bar on stderr for long reads (``total`` in bytes), or None when not useful."""
    if not enabled or total < PROGRESS_MIN_BYTES or not errors.is_terminal:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with Progress(*columns, console=errors, transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


@dataclass
class LoadContext:
    """One load in progress: its report, rejections, resolver and batch (shared by every loader)."""

    report: LoadReport
    batch: GraphBatch
    resolver: Resolver
    rejections: Rejections
    store: Store | None
    progress: bool = False
    started: float = field(default_factory=time.perf_counter)
    _from_store: set[str] = field(default_factory=set)
    _societies: dict[str, Society] = field(default_factory=dict)
    _decisions: list[Decision] = field(default_factory=list)

    @classmethod
    def start(
        cls,
        source: str,
        sources: list[str],
        store: Store | None,
        *,
        dry_run: bool = False,
        strict: bool = False,
        progress: bool = False,
        resolver: Resolver | None = None,
    ) -> LoadContext:
        """A context whose resolver knows every organisation already in the store and people's review decisions."""
        resolver = resolver or Resolver()
        known = store.organisation_names() if store is not None else []
        decided = decisions(store) if store is not None else []
        resolver.decide(decided)
        resolver.add_all(
            KnownOrganisation(row["id"], row["name"] or row["id"], tuple(row["aliases"]), row["country"], row["kind"])
            for row in known
        )
        report = LoadReport(source=source, dry_run=dry_run, strict=strict)
        context = cls(report, GraphBatch(sources), resolver, Rejections(report), store, progress)
        context._from_store = {row["id"] for row in known}
        context._decisions = decided
        return context

    def rows(self, path: Path, model: type[M]) -> Iterator[tuple[TableRow, M]]:
        """The valid rows of a file as ``model`` (invalid ones become rejections), with a progress bar."""
        size = path.stat().st_size if path.is_file() else 0
        with progress_bar(f"reading {path.name}", size, enabled=self.progress) as advance:
            for row in read_table(path, model.columns(), progress=advance).rows:
                parsed = self.rejections.validate(model, row)
                if parsed is not None:
                    yield row, parsed

    def reject(self, row: TableRow, column: str, reason: str) -> None:
        """Reject a row that validated but cannot be resolved (e.g. it names an unknown id)."""
        self.rejections.add(row.file, row.line, column, reason)

    def known_name(self, org_id: str) -> str | None:
        """The name the store or this load already has for an organisation."""
        known = self.resolver.known(org_id)
        return known.name if known else None

    def add_organisation(self, org: Organisation) -> None:
        """Add an organisation to the batch, make it resolvable, and link an institute to its society.

        The first time a load touches a node the store already has, the stored name is
        weighed against the new one (:func:`preferred_name`), so a re-load never flips a
        well-spelled name back to a SHOUTED one, and an OtherOrganisation record (a source
        that does not know the kind) keeps the stored kind.
        """
        stored = self.resolver.known(org.id) if org.id in self._from_store else None
        if stored and org.id not in self.batch.organisations:
            update: dict[str, object] = {}
            if preferred_name(stored.name, org.name) == stored.name != org.name:
                update = {"name": stored.name, "aliases": list(dict.fromkeys([*org.aliases, org.name]))}
            if org.kind is OrganisationKind.OTHER and stored.kind in OrganisationKind.__members__.values():
                update["kind"] = OrganisationKind(stored.kind)
            org = org.model_copy(update=update) if update else org
        self.batch.add_organisation(org)
        merged = self.batch.organisations[org.id]
        self.resolver.add(
            KnownOrganisation(merged.id, merged.name, tuple(merged.aliases), merged.country, merged.kind.value)
        )
        match = society_of(merged.name)
        if match and not match.is_society and merged.id != match.society.id:
            self.batch.link("PART_OF (organisation)", merged.id, match.society.id)
            self._societies[match.society.id] = match.society

    def match_id(self, name: str, *, country: str | None, where: str) -> str | None:
        """The id of a known organisation (or research society) ``name`` stands for, if any."""
        match = society_of(name)
        if match and match.is_society:
            return match.society.id
        return self.resolver.resolve(name, country=country, where=where)

    def organisation_id(
        self,
        name: str,
        *,
        country: str | None,
        where: str,
        kind: OrganisationKind = OrganisationKind.OTHER,
        city: str | None = None,
    ) -> str:
        """The id a name resolves to; an unknown name becomes a new minimal organisation node."""
        org_id = self.match_id(name, country=country, where=where) or org_slug(name)
        if self.resolver.known(org_id) is None:
            stub = Organisation(id=org_id, kind=kind, name=name, country=country, city=city, sources=self.batch.sources)
            self.add_organisation(stub)
        return org_id

    def finish(self, review_file: Path | None = None) -> LoadReport:
        """Add missing society nodes, write the review file, then write the batch (or not) and report."""
        for society in self._societies.values():
            if self.resolver.known(society.id) is None:
                self.add_organisation(
                    Organisation(
                        id=society.id, kind=society.kind, name=society.name, country="DE", sources=self.batch.sources
                    )
                )
        report = self.report
        report.merged = self._merge_stored()
        if review_file is not None:
            report.review_file = self.resolver.write_review(review_file)
        report.review_pairs = len({pair.id for pair in self.resolver.review})
        report.nodes = self.batch.node_counts()
        report.relationships = self.batch.relationship_counts()
        if not report.dry_run and not report.failed:
            if self.store is None:
                raise LoadError(f"{report.source}: no store to write to (use dry_run=True to only validate)")
            _count(report, self._write())
            report.written = True
        report.seconds = time.perf_counter() - self.started
        return report

    def _merge_stored(self) -> dict[str, str]:
        """Name-only nodes already in the graph that are an organisation of this load: old id -> the id kept.

        Loads arrive in any order: FP7's name-only rows may be stored before the H2020 load brings
        the same organisations under their PICs. After the rows are resolved, every stored ``org:``
        node this load did not touch is resolved against the organisations of this load, by the
        same rules and decisions as a row (so both orders give one node, and the same review pairs);
        a match is merged into that node in the load's transaction (:func:`graph.steps.merge_organisation_nodes`).
        PIC nodes are never merged away, nor research societies.
        """
        societies = {society.id for society in SOCIETIES}
        stored = [
            org
            for org in self.resolver.organisations()
            if org.id.startswith("org:")
            and org.id in self._from_store
            and org.id not in self.batch.organisations
            and org.id not in societies
        ]
        if not stored or not self.batch.organisations:
            return {}
        pool = Resolver(self.resolver.merge_score, self.resolver.review_score, self.resolver.min_alias_chars)
        pool.decide(self._decisions)
        pool.add_all(org for i in self.batch.organisations if (org := self.resolver.known(i)) is not None)
        merged: dict[str, str] = {}
        for org in stored:
            target = pool.resolve(org.name, country=org.country, where=f"graph node {org.id}", incoming=org.id)
            if target is not None:
                merged[org.id] = target
        self.resolver.review.extend(pool.review)
        return merged

    def _write(self) -> WriteSummary:
        """The batch, the merges of stored nodes, the review pairs and the home flags, in one transaction."""
        assert self.store is not None
        steps = [
            *self.batch.steps(),
            *st.merge_organisation_nodes(self.report.merged),
            queue_step(self.resolver.review, ", ".join(self.batch.sources)),
            st.home_flags(self.store.home_regions),
        ]
        if not (self.progress and errors.is_terminal):
            return self.store.apply(steps, atomic=True)
        with errors.status(f"writing {sum(self.report.nodes.values()):,} nodes in one transaction…"):
            return self.store.apply(steps, atomic=True)


def _count(report: LoadReport, summary: WriteSummary) -> None:
    report.nodes_created = summary.nodes_created
    report.nodes_updated = max(0, sum(report.nodes.values()) - summary.nodes_created)
    report.relationships_created = summary.relationships_created
    report.properties_set = summary.properties_set
