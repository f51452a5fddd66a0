"""Shared fixtures: one real Neo4j server per test session, emptied between tests.

With ``INNOGRAPH_NEO4J_URI`` set, the tests use that server (its database is
emptied!). Otherwise they start the local server from ``graph/launcher`` in
``INNOGRAPH_TEST_DATA_DIR`` (default ``.innograph-test`` in the repository) on
``INNOGRAPH_TEST_PORT`` (default 17688), and stop it at the end if they started it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from innograph.graph import local_server
from innograph.graph.store import Store
from innograph.settings import Settings

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"


def _test_settings() -> Settings:
    if os.environ.get("INNOGRAPH_NEO4J_URI"):
        return Settings()
    return Settings(
        data_dir=Path(os.environ.get("INNOGRAPH_TEST_DATA_DIR", REPO / ".innograph-test")),
        neo4j_port=int(os.environ.get("INNOGRAPH_TEST_PORT", "17688")),
        neo4j_heap_mb=2048,
    )


@pytest.fixture(scope="session")
def neo4j_settings() -> Iterator[Settings]:
    """Settings of the running test server (started once per session)."""
    settings = _test_settings()
    started = False
    if settings.uses_local_server:
        _, started = local_server.start(settings)
    yield settings
    if started:
        local_server.stop(settings)


@pytest.fixture(scope="session")
def session_store(neo4j_settings: Settings) -> Iterator[Store]:
    """One store (driver) for the whole session."""
    store = Store.connect(neo4j_settings)
    store.init_schema()
    yield store
    store.close()


@pytest.fixture
def store(session_store: Store) -> Store:
    """The store on an empty graph (emptied before each test that asks for it)."""
    session_store.clear()
    return session_store


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real public data beside the project (never copied into the repository)."""
    if not SHARED_DATA.is_dir():
        pytest.fail(f"real test data missing: {SHARED_DATA}")
    return SHARED_DATA


API_KEYS = {"viewer-key-0123456789": "viewer", "analyst-key-0123456789": "analyst", "admin-key-0123456789": "admin"}


class LiveServer:
    """The real app served by uvicorn on 127.0.0.1 in a background thread."""

    def __init__(self, settings: Settings) -> None:
        import socket
        import threading

        import uvicorn

        from innograph.api.app import create_app

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        import time

        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def api_settings(base: Settings) -> Settings:
    """The test server's settings plus one API key per role."""
    from innograph.settings import Role

    return base.model_copy(update={"api_keys": {key: Role(role) for key, role in API_KEYS.items()}})


@pytest.fixture(scope="session")
def live_api(neo4j_settings: Settings) -> Iterator[LiveServer]:
    """The real FastAPI app over HTTP on the session's Neo4j."""
    with LiveServer(api_settings(neo4j_settings)) as server:
        yield server
