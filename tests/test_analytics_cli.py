"""``innograph analyse`` and ``innograph export`` end to end: real Neo4j in, metrics written back, files read back."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from innograph.cli import app
from innograph.graph.store import Store
from innograph.queries.metrics import METRICS
from innograph.settings import Settings
from tests.helpers import CONSORTIA_ORGANISATIONS as ORGANISATIONS
from tests.helpers import load_consortia

# The CONSORTIA ecosystem of tests/helpers.py: two consortia sharing "d", a chain to "g" and one
# organisation without projects: "d" and "e" are articulation points, "h" is isolated (no constraint,
# no effective size).


@pytest.fixture
def cli(store: Store, neo4j_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A CLI runner whose commands use the test server, with the small graph loaded."""
    load_consortia(store)
    monkeypatch.setattr("innograph.queries.commands.get_settings", lambda: neo4j_settings)
    return CliRunner()


def _invoke(cli: CliRunner, *args: str) -> str:
    result = cli.invoke(app, list(args))
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def test_analyse_prints_a_summary_and_writes_metrics_back(cli: CliRunner, store: Store) -> None:
    output = _invoke(cli, "analyse", "--top", "3")
    assert "8 organisations, 10 ties" in output and "metrics written to Neo4j" in output

    d = store.organisation("d")
    assert d["articulation_point"] is True and d["degree"] == 4 and d["betweenness"] > 0
    assert {metric for metric in METRICS if metric in d} == set(METRICS)
    assert d["analysis_run"] in output
    h = store.organisation("h")
    assert h["degree"] == 0 and "constraint" not in h
    assert store.counts().labels["AnalysisRun"] == 1


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_exports_read_back_with_every_metric(cli: CliRunner, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"ecosystem.{fmt}"
    _invoke(cli, "export", "--format", fmt, "--out", str(out))

    graph = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    assert graph.number_of_nodes() == len(ORGANISATIONS) and graph.number_of_edges() == 10
    assert set(METRICS) <= set(graph.nodes["d"])
    assert float(graph.nodes["d"]["betweenness"]) > 0
    assert str(graph.nodes["d"]["articulation_point"]).lower() == "true"
    assert "constraint" not in graph.nodes["h"]  # None is left out, as both formats define "no value"
    meta = json.loads((tmp_path / f"ecosystem.{fmt}.meta.json").read_text(encoding="utf-8"))
    assert meta["format"] == fmt and meta["nodes"] == len(ORGANISATIONS) and meta["sampled"] == []


def test_table_exports_hold_one_row_per_organisation(cli: CliRunner, tmp_path: Path) -> None:
    _invoke(cli, "export", "--format", "csv", "--out", str(tmp_path / "metrics.csv"))
    _invoke(cli, "export", "--format", "json", "--out", str(tmp_path / "metrics.json"))

    with (tmp_path / "metrics.csv").open(encoding="utf-8") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle)}
    assert set(rows) == set(ORGANISATIONS) and set(METRICS) <= set(rows["d"])
    payload = json.loads((tmp_path / "metrics.json").read_text(encoding="utf-8"))
    by_id = {row["id"]: row for row in payload["organisations"]}
    assert set(by_id) == set(ORGANISATIONS)
    assert by_id["d"]["betweenness"] == pytest.approx(float(rows["d"]["betweenness"]))
    assert by_id["h"]["constraint"] is None and payload["meta"]["nodes"] == len(ORGANISATIONS)
