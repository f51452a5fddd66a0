"""What the JSON routers and the web pages both ask for, as plain functions of the service state.

A route (JSON or page) reads its parameters, calls one of these and shapes the
answer; no route handler calls another. The computations themselves live in
:mod:`innograph.queries`; this layer only picks the current graph version's
inputs (the store, the cached projection, the path graph) and turns bad user
input into :class:`~innograph.errors.InvalidRequestError` (the API's 422).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from innograph.api.state import ServiceState
from innograph.errors import InvalidRequestError, NotFoundError
from innograph.queries.analysis import Analysis, analyse_store
from innograph.queries.export import ExportFormat, export
from innograph.queries.metrics import METRICS
from innograph.queries.partners import PartnerAnswer, PartnerNeed, find_partners
from innograph.queries.paths import PathAnswer, find_paths


class Neighbour(BaseModel):
    """A partner with the tie strength (docs/glossary.md) and the number of shared projects."""

    id: str
    name: str
    kind: str | None
    tie_strength: float = Field(gt=0, lt=1)
    shared_projects: int
    home: bool = Field(default=False, description="in the home ecosystem")


class OrganisationDetail(BaseModel):
    """Profile, metrics (from the last analysis written back) and strongest partners."""

    id: str
    name: str
    kind: str
    labels: list[str]
    profile: dict[str, Any]
    metrics: dict[str, Any]
    clusters: list[str]
    fields: list[str]
    partners_total: int
    partners: list[Neighbour]


def current_analysis(state: ServiceState) -> Analysis:
    """The analysis of the current graph version (computed once per version, not written back)."""
    return analyse_store(state.store, state.cache, write=False)


def organisation_detail(state: ServiceState, org_id: str, partners: int) -> OrganisationDetail:
    """One organisation's profile, written-back metrics, groups and ``partners`` strongest partners.

    :class:`NotFoundError` when the id is unknown.
    """
    props = state.store.organisation(org_id)
    projection = state.cache.projection()
    ties = state.ties()
    tied = ties.strongest_partners(org_id, len(ties.ids))
    neighbours = [
        Neighbour(
            id=other,
            name=ties.graph.nodes[other]["name"],
            kind=ties.graph.nodes[other]["kind"],
            tie_strength=strength,
            shared_projects=shared,
            home=bool(ties.graph.nodes[other].get("home")),
        )
        for other, strength, shared in tied[:partners]
    ]
    labels = props.pop("labels")
    metrics = {name: props.pop(name) for name in METRICS if name in props}
    return OrganisationDetail(
        id=org_id,
        name=props["name"],
        kind=props.get("kind", ""),
        labels=labels,
        profile=props,
        metrics=metrics,
        clusters=[projection.names.get(c, c) for c in projection.clusters.get(org_id, ())],
        fields=[projection.names.get(f, f) for f in projection.fields.get(org_id, ())],
        partners_total=len(tied),
        partners=neighbours,
    )


def resolve_organisation(state: ServiceState, text: str, what: str) -> str:
    """An id typed or picked in a form, or the best search hit for a name typed."""
    text = text.strip()
    if not text:
        raise InvalidRequestError(f"{what}: choose an organisation")
    if text in state.ties().index:
        return text
    _, hits = state.store.search_organisations(text, limit=1)
    if not hits:
        raise NotFoundError(f"{what}: no organisation matches {text!r}")
    return str(hits[0]["id"])


def path_answer(
    state: ServiceState,
    source: str,
    target: str,
    *,
    k: int,
    max_hops: int,
    avoid: Iterable[str],
    kinds: Iterable[str] | None,
    since: int | None,
    prefer_brokers: bool = True,
) -> PathAnswer:
    """The best ``k`` introduction paths from ``source`` to ``target`` (ids) on the current path graph."""
    return find_paths(
        state.ties(),
        source,
        target,
        k=k,
        max_hops=max_hops,
        avoid=avoid,
        allowed_intermediary_kinds=kinds,
        since_year=since,
        prefer_brokers=prefer_brokers,
    )


def partner_need(
    keywords: list[str], fields: list[str], kind: str | None = None, region: str | None = None
) -> PartnerNeed:
    """The need as the partner finder takes it; a value it refuses is the user's mistake, not an internal error.

    An empty or too long word, too many words or an unknown kind raise :class:`InvalidRequestError`
    naming the field (``keywords.0: ...``).
    """
    try:
        return PartnerNeed(keywords=keywords, fields=fields, kind=kind, region=region)  # type: ignore[arg-type]
    except ValidationError as e:
        parts = [f"{'.'.join(str(p) for p in err['loc']) or 'need'}: {err['msg']}" for err in e.errors()]
        raise InvalidRequestError("; ".join(parts)) from e


def partner_answer(state: ServiceState, source: str, need: PartnerNeed, *, limit: int, max_hops: int) -> PartnerAnswer:
    """Candidates for ``need`` ranked by fit and reach from ``source`` (an id), and new partners to meet."""
    return find_partners(state.ties(), source, need, limit=limit, max_hops=max_hops)


def metrics_export(state: ServiceState, fmt: ExportFormat) -> tuple[bytes, int]:
    """The current analysis's metrics as a file of format ``fmt``, and the graph version it describes."""
    analysis = current_analysis(state)
    projection = state.cache.projection()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / f"innograph-metrics.{fmt.value}"
        export(analysis, projection.cooperation, fmt, out)
        return out.read_bytes(), analysis.graph_version
