"""Exports of an analysis for reports, spreadsheets and Gephi: CSV, JSON, GraphML, GEXF.

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
"""

from __future__ import annotations

import csv
import json
from collections.abc import Collection, Hashable
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import networkx as nx

from innograph.errors import InnographError
from innograph.queries.analysis import Analysis
from innograph.queries.metrics import ATTRIBUTES, METRICS
from innograph.queries.scope import Scope, home_scope


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
