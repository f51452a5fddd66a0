"""``innograph analyse --by-year``, ``innograph changes`` and ``innograph export --by-year`` on a real Neo4j.

The graph is the HTTP tests' hand-made ecosystem (tests/helpers.py): projects in 2015, 2022 and 2023.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from innograph.cli import app
from innograph.graph.store import Store
from innograph.settings import Settings
from tests.helpers import load_consortia


@pytest.fixture
def cli(neo4j_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A CLI runner whose commands use the test server."""
    monkeypatch.setattr("innograph.queries.timeline_commands.get_settings", lambda: neo4j_settings)
    monkeypatch.setattr("innograph.queries.commands.get_settings", lambda: neo4j_settings)
    return CliRunner()


def test_analyse_by_year_records_one_run_per_period(cli: CliRunner, api_ecosystem: Store) -> None:
    result = cli.invoke(app, ["analyse", "--window", "5"])
    assert result.exit_code == 0, result.output
    assert "2015-2019" in result.output and "2020-2023" in result.output
    assert "2 period runs recorded in Neo4j" in result.output
    runs = api_ecosystem._read(
        "MATCH (r:AnalysisRun) RETURN r.period AS period, r.period_since AS since, r.summary AS summary ORDER BY since"
    )
    assert [(run["period"], run["since"]) for run in runs] == [("2015-2019", 2015), ("2020-2023", 2020)]
    assert json.loads(runs[1]["summary"])["ties"] == 2  # b-d (2022) and a-b (2023)
    assert "degree" not in api_ecosystem.organisation("a")  # the whole-graph metrics are not overwritten


def test_changes_prints_sentences(cli: CliRunner, api_ecosystem: Store) -> None:
    result = cli.invoke(app, ["changes", "2022", "2023"])
    assert result.exit_code == 0, result.output
    assert "From 2022 to 2023: 1 new tie, 1 lost tie, 0 kept." in result.output
    assert "Alpha Optics GmbH and Universität Beta are tied in 2023" in result.output
    bad = cli.invoke(app, ["changes", "2022", "twenty"])
    assert bad.exit_code == 1 and "--period: 'twenty' is not a year" in bad.output


def test_export_by_year_dynamic_gexf(cli: CliRunner, api_ecosystem: Store, tmp_path: Path) -> None:
    out = tmp_path / "ecosystem.gexf"
    result = cli.invoke(app, ["export", "--by-year", "--format", "gexf", "--out", str(out), "--scope", "all"])
    assert result.exit_code == 0, result.output
    graph = nx.read_gexf(out)
    assert graph.graph["mode"] == "dynamic" and graph.nodes["d"]["spells"] == [
        ("2015-01-01", "2015-12-31"),
        ("2022-01-01", "2022-12-31"),
    ]
    meta = json.loads(out.with_name(out.name + ".meta.json").read_text(encoding="utf-8"))
    assert [p["period"] for p in meta["periods"]] == [str(year) for year in range(2015, 2024)]


def test_undated_graph_says_why_there_is_no_period(cli: CliRunner, store: Store) -> None:
    load_consortia(store)  # projects without dates or programme
    result = cli.invoke(app, ["analyse", "--by-year"])
    assert result.exit_code == 1 and "no project in the graph has a date or a known programme" in result.output
