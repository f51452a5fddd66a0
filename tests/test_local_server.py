"""The local Neo4j launcher: start/stop/status and every failure a user can meet, on real JVMs."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from innograph.errors import LocalServerError
from innograph.graph import local_server
from innograph.graph import records as r
from innograph.graph import steps as st
from innograph.graph.store import Store
from innograph.settings import Settings
from tests.helpers import REPO, free_port


@pytest.fixture
def own_settings(tmp_path: Path, neo4j_settings: Settings) -> Iterator[Settings]:
    """Settings for a second, private server; reuses the session's launcher build when there is one."""
    settings = Settings(data_dir=tmp_path / "data", neo4j_port=free_port(), neo4j_heap_mb=512, neo4j_page_cache_mb=32)
    settings.data_dir.mkdir()
    built = neo4j_settings.data_dir.resolve() / "launcher"
    if built.is_dir():
        (settings.data_dir / "launcher").symlink_to(built)
    yield settings
    local_server.stop(settings)


def bin_dir_with(tmp_path: Path, **scripts: str) -> str:
    """A PATH with only the given tools (name -> shell script body, or '' to link the real one)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name, body in scripts.items():
        target = bin_dir / name
        if body:
            target.write_text(f"#!/bin/sh\n{body}\n")
            target.chmod(0o755)
        else:
            target.symlink_to(shutil.which(name) or pytest.fail(f"{name} missing"))
    return str(bin_dir)


@pytest.mark.slow
def test_start_status_stop_and_data_survives(own_settings: Settings) -> None:
    assert not local_server.status(own_settings).running
    state, started = local_server.start(own_settings)
    assert started and state.running and state.reachable
    again, started_again = local_server.start(own_settings)
    assert not started_again and again.pid == state.pid
    with Store.connect(own_settings) as store:
        store.apply([st.organisations([r.Organisation(id="keep", kind="Company", name="Keep GmbH", sources=["t"])])])
    assert local_server.stop(own_settings)
    assert not local_server.port_in_use(own_settings.neo4j_port)
    assert not local_server.status(own_settings).running
    assert not local_server.stop(own_settings)
    local_server.start(own_settings)
    with Store.connect(own_settings) as store:
        assert store.organisation("keep")["name"] == "Keep GmbH"


def test_port_in_use_is_one_clear_line_and_nonzero_exit(own_settings: Settings) -> None:
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", own_settings.neo4j_port))
        blocker.listen()
        with pytest.raises(LocalServerError, match=f"port {own_settings.neo4j_port} is already in use"):
            local_server.start(own_settings)
        env = {
            **os.environ,
            "INNOGRAPH_DATA_DIR": str(own_settings.data_dir),
            "INNOGRAPH_NEO4J_PORT": str(own_settings.neo4j_port),
        }
        env.pop("INNOGRAPH_NEO4J_URI", None)
        proc = subprocess.run(
            [sys.executable, "-m", "innograph", "neo4j", "start"],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
            check=False,
        )
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        f"error: port {own_settings.neo4j_port} is already in use (set INNOGRAPH_NEO4J_PORT to another port)"
    ]


@pytest.mark.slow
def test_data_folder_locked_by_another_server(
    own_settings: Settings, neo4j_settings: Settings, session_store: Store
) -> None:
    if not neo4j_settings.uses_local_server:
        pytest.skip("the session uses an external server; no local data folder to lock")
    (own_settings.data_dir / "neo4j").symlink_to(neo4j_settings.data_dir.resolve() / "neo4j")
    with pytest.raises(LocalServerError, match="is locked by another Neo4j server"):
        local_server.start(own_settings)
    session_store.verify()  # the running server is unharmed


def test_java_missing(own_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", bin_dir_with(tmp_path))
    with pytest.raises(LocalServerError, match="Java not found: install Java 17 or newer"):
        local_server.start(own_settings)


def test_java_too_old(own_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old_java = "echo 'openjdk version \"11.0.22\" 2024-01-16' >&2"
    monkeypatch.setenv("PATH", bin_dir_with(tmp_path, java=old_java))
    with pytest.raises(LocalServerError, match=r"Java 11 found, Neo4j 5\.26 needs Java 17 or newer"):
        local_server.start(own_settings)


def test_maven_missing_when_the_launcher_is_not_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(data_dir=tmp_path / "fresh", neo4j_port=free_port())
    monkeypatch.setenv("PATH", bin_dir_with(tmp_path, java=""))
    with pytest.raises(LocalServerError, match="Maven not found"):
        local_server.start(settings)
