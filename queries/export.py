"""Exports of an analysis for reports, spreadsheets and Gephi: CSV, JSON, GraphML, GEXF; and of a timeline.

Every export writes ``<out>`` and a sidecar ``<out>.meta.json`` with the graph
version, the run's parameters, algorithms, sampling notes and times, so a
figure in a report can always be traced to the graph and settings it came from.

``scope`` (``home`` by default, see :mod:`queries.scope`) picks the organisations written:
the home ecosystem, or everyone (``all``). Metrics are those of the whole graph either way;
GraphML/GEXF of the home scope hold the ties among home organisations. The sidecar records
the scope asked for, the one applied and the organisations written.

GraphML and GEXF hold only scalar attributes: lists become ``"; "``-joined text
and missing values (``None``, e.g. constraint of an isolated organisation) are
left out of that node's attributes, which both formats define as "no value".

A timeline (:mod:`queries.timeline`) exports its per-period metrics as CSV/JSON (one row per
period and organisation) or as a **dynamic GEXF**: node and edge spells from the periods they
are present in, per-period metrics as dynamic attributes, which Gephi's timeline plays.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Collection, Hashable, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import networkx as nx

from innograph.errors import InnographError, InvalidRequestError
from innograph.queries.analysis import Analysis
from innograph.queries.metrics import ATTRIBUTES, METRICS
from innograph.queries.periods import Period
from innograph.queries.projection import COLLABORATION_WEIGHT
from innograph.queries.scope import Scope, home_scope
from innograph.queries.timeline import PeriodResult, Timeline


class ExportFormat(StrEnum):
    """The export formats ``innograph export --format`` accepts."""

    CSV = "csv"
    JSON = "json"
    GRAPHML = "graphml"
    GEXF = "gexf"


class ExportError(InnographError):
    """An export could not be written."""


def sidecar_path(out: Path) -> Path:
    """Where the metadata of ``out`` goes."""
    return out.with_name(out.name + ".meta.json")


def _records(analysis: Analysis, listed: Collection[Hashable] | None = None) -> list[dict[str, Any]]:
    table = analysis.metrics
    keys = (*ATTRIBUTES, *METRICS)
    merged = table.attributes | table.columns
    return [
        {"id": node, **{key: merged[key][i] for key in keys}}
        for i, node in enumerate(table.nodes)
        if listed is None or node in listed
    ]


def _scalar(value: Any) -> Any:
    """A value GraphML/GEXF can hold (None stays None and is dropped by the caller)."""
    if isinstance(value, list | tuple | set):
        return "; ".join(str(v) for v in value)
    return value


def attributed_graph(graph: nx.Graph, analysis: Analysis, listed: Collection[Hashable] | None = None) -> nx.Graph:
    """A copy of the cooperation graph (or of its part induced by ``listed``) with every metric as a node attribute."""
    result = nx.Graph()
    for record in _records(analysis, listed):
        node = record.pop("id")
        attributes = {key: _scalar(value) for key, value in {**graph.nodes[node], **record}.items()}
        result.add_node(node, **{key: value for key, value in attributes.items() if value is not None})
    for u, v, data in graph.edges(data=True):
        if u in result and v in result:
            result.add_edge(u, v, **{key: _scalar(value) for key, value in data.items() if value is not None})
    return result


def _write_csv(records: list[dict[str, Any]], out: Path) -> None:
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", *ATTRIBUTES, *METRICS])
        writer.writeheader()
        writer.writerows(records)


def _write_json(analysis: Analysis, records: list[dict[str, Any]], scope: dict[str, Any], out: Path) -> None:
    payload = {"meta": {**analysis.record(), "scope": scope}, "organisations": records}
    out.write_text(json.dumps(payload, ensure_ascii=False, default=str), encoding="utf-8")


def export(
    analysis: Analysis,
    graph: nx.Graph,
    fmt: ExportFormat | str,
    out: Path,
    *,
    scope: Scope = "home",
    ecosystem_name: str | None = None,
) -> Path:
    """Write ``analysis`` of ``graph`` as ``fmt`` to ``out`` plus its sidecar; returns the sidecar path.

    ``scope`` picks the organisations (home ecosystem or all); ``ecosystem_name`` defaults to the analysis's.
    """
    fmt = ExportFormat(fmt)
    info, listed = home_scope(graph, scope, ecosystem_name or analysis.parameters.ecosystem_name)
    scope_record = info.model_dump()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if fmt is ExportFormat.CSV:
            _write_csv(_records(analysis, listed), out)
        elif fmt is ExportFormat.JSON:
            _write_json(analysis, _records(analysis, listed), scope_record, out)
        elif fmt is ExportFormat.GRAPHML:
            nx.write_graphml(attributed_graph(graph, analysis, listed), out)
        else:
            nx.write_gexf(attributed_graph(graph, analysis, listed), out)
        meta = {
            "format": fmt.value,
            "file": out.name,
            "written_at": datetime.now(UTC).isoformat(),
            **analysis.record(),
            "scope": scope_record,
        }
        sidecar = sidecar_path(out)
        sidecar.write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
    except OSError as e:
        raise ExportError(f"cannot write {fmt.value} export to {out}: {e}") from e
    return sidecar


# --- the ecosystem over time (queries.timeline) ----------------------------------------

DYNAMIC_METRICS = ("degree", "weighted_degree", "betweenness", "pagerank", "constraint", "community")


def _day(year: int, last: bool) -> str:
    return f"{year}-12-31" if last else f"{year}-01-01"


def _spells(present: list[Period]) -> list[tuple[str, str]]:
    """Consecutive periods merged into GEXF spells (first day of the first year, last day of the last)."""
    spells: list[list[int]] = []
    for period in sorted(present, key=lambda p: p.since):
        if spells and period.since <= spells[-1][1] + 1:
            spells[-1][1] = max(spells[-1][1], period.until)
        else:
            spells.append([period.since, period.until])
    return [(_day(first, False), _day(last, True)) for first, last in spells]


def dynamic_graph(results: Sequence[PeriodResult], listed: Collection[Hashable] | None = None) -> nx.Graph:
    """One graph over all periods: node and edge spells (when present / tied) and per-period metrics as GEXF
    dynamic attributes (value, start, end), so Gephi's timeline plays it. ``listed`` keeps those organisations."""
    result = nx.Graph(mode="dynamic")
    presence: dict[Hashable, list[Period]] = {}
    tied: dict[tuple[Hashable, Hashable], list[tuple[Period, float]]] = {}
    values: dict[Hashable, dict[str, list[tuple[Any, str, str]]]] = {}
    for item in results:
        graph, table = item.projection.cooperation, item.analysis.metrics
        start, end = _day(item.period.since, False), _day(item.period.until, True)
        for position, node in enumerate(table.nodes):
            if listed is not None and node not in listed:
                continue
            presence.setdefault(node, []).append(item.period)
            if node not in result:
                data = graph.nodes[node]
                static = {key: _scalar(data.get(key)) for key in ("name", "kind", "city", "region", "country", "home")}
                static["label"] = static.get("name") or str(node)  # what Gephi shows on the node
                result.add_node(node, **{key: value for key, value in static.items() if value is not None})
            for metric in DYNAMIC_METRICS:
                value = table.columns[metric][position]
                if value is not None:
                    values.setdefault(node, {}).setdefault(metric, []).append((value, start, end))
        for u, v, data in graph.edges(data=True):
            if listed is None or (u in listed and v in listed):
                pair = (u, v) if str(u) <= str(v) else (v, u)
                tied.setdefault(pair, []).append((item.period, float(data[COLLABORATION_WEIGHT])))
    for node, periods in presence.items():
        result.nodes[node]["spells"] = _spells(periods)
        result.nodes[node].update(values.get(node, {}))
    for (u, v), periods in tied.items():
        weights = [(w, _day(p.since, False), _day(p.until, True)) for p, w in periods]
        result.add_edge(u, v, spells=_spells([p for p, _ in periods]), collaboration_weight=weights)
    return result


def timeline_format(fmt: ExportFormat | str) -> ExportFormat:
    """``fmt`` if a timeline can be written in it; GraphML has no time (the user's mistake, naming ``format``)."""
    fmt = ExportFormat(fmt)
    if fmt is ExportFormat.GRAPHML:
        raise InvalidRequestError("format: a timeline exports as csv, json or gexf (GraphML has no time: use gexf)")
    return fmt


def export_timeline(
    timeline: Timeline,
    results: Sequence[PeriodResult],
    fmt: ExportFormat | str,
    out: Path,
    *,
    scope: Scope = "home",
) -> Path:
    """Per-period metrics (CSV: one row per period and organisation; JSON: the timeline plus those rows) or the
    dynamic graph (GEXF); ``out`` plus its sidecar, as :func:`export`. GraphML has no time: refused."""
    fmt = timeline_format(fmt)
    whole = nx.compose_all([item.projection.cooperation for item in results]) if results else nx.Graph()
    info, listed = home_scope(whole, scope, timeline.ecosystem_name)
    rows = [
        {"period": item.period.label, "since": item.period.since, "until": item.period.until, **record}
        for item in results
        for record in _records(item.analysis, listed)
    ]
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if fmt is ExportFormat.CSV:
            with out.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=["period", "since", "until", "id", *ATTRIBUTES, *METRICS])
                writer.writeheader()
                writer.writerows(rows)
        elif fmt is ExportFormat.JSON:
            payload = {"timeline": timeline.model_dump(), "scope": info.model_dump(), "organisations": rows}
            out.write_text(json.dumps(payload, ensure_ascii=False, default=str), encoding="utf-8")
        else:
            nx.write_gexf(dynamic_graph(results, listed), out)
        meta = {
            "format": fmt.value,
            "file": out.name,
            "written_at": datetime.now(UTC).isoformat(),
            "graph_version": timeline.graph_version,
            "periods": [period.model_dump() for period in timeline.periods],
            "note": timeline.note,
            "parameters": results[0].analysis.parameters.model_dump() if results else None,
            "scope": info.model_dump(),
        }
        sidecar = sidecar_path(out)
        sidecar.write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
    except OSError as e:
        raise ExportError(f"cannot write {fmt.value} timeline export to {out}: {e}") from e
    return sidecar
