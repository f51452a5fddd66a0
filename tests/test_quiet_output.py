"""The command-line tool prints our messages, not the Neo4j driver's notifications (issue #11).

On a fresh graph the server sends notifications such as "property key does not exist" for the
first queries of a load; the store turns them off (``notifications_min_severity="OFF"``), so a
person loading data sees the load report and nothing else.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from typer.testing import CliRunner

from innograph.cli import app
from innograph.graph.store import Store
from innograph.settings import Settings


def test_loading_the_real_slice_into_an_empty_graph_prints_no_driver_notification(
    store: Store, neo4j_settings: Settings, shared_data: Path, monkeypatch: pytest.MonkeyPatch, caplog
) -> None:
    monkeypatch.setattr("innograph.loaders.commands.get_settings", lambda: neo4j_settings)
    store.clear()
    with caplog.at_level(logging.DEBUG, logger="neo4j"):
        result = CliRunner().invoke(app, ["load", "cordis", str(shared_data / "cordis_h2020_thuringia")])
    assert result.exit_code == 0, result.output
    assert "organisations" in result.output.lower()
    notifications = [r for r in caplog.records if r.name.startswith("neo4j.notifications")]
    assert notifications == []
    assert "GqlStatusObject" not in result.output and "Received notification" not in result.output
