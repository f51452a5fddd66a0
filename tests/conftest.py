"""Shared fixtures: one real Neo4j server per test session, emptied between tests; markers; options.

With ``INNOGRAPH_NEO4J_URI`` set, the tests use that server (its database is
emptied!). Otherwise they start the local server from ``graph/launcher`` in
``INNOGRAPH_TEST_DATA_DIR`` (default ``.innograph-test`` in the repository) on
``INNOGRAPH_TEST_PORT`` (default 17688), and stop it at the end if they started it.

Markers are applied here, not by hand: ``neo4j`` goes on every test that needs the server (it
uses one of ``NEO4J_FIXTURES``, directly or through other fixtures), ``browser`` on the tests of
``tests/test_browser.py``. ``slow`` is set explicitly in the test modules. ``--screenshots`` (or
``INNOGRAPH_SCREENSHOTS=1``) lets the browser tests rewrite ``docs/screenshots/``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from innograph.graph import local_server
from innograph.graph.store import Store
from innograph.settings import Settings
from tests.helpers import REPO, LiveServer, api_ecosystem_steps, api_settings

NEO4J_FIXTURES = frozenset({"neo4j_settings", "session_store", "store", "live_api"})
SHARED_DATA = REPO.parent / "shared" / "data"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--screenshots",
        action="store_true",
        default=False,
        help="let the browser tests rewrite docs/screenshots/*.png (also INNOGRAPH_SCREENSHOTS=1)",
    )


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark ``neo4j`` every test whose fixture closure reaches the server, ``browser`` the browser tests."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & NEO4J_FIXTURES:
            item.add_marker(pytest.mark.neo4j)
        if item.path.name == "test_browser.py" or "browser" in names:
            item.add_marker(pytest.mark.browser)


def screenshots_wanted(config: pytest.Config) -> bool:
    """True with ``--screenshots`` or ``INNOGRAPH_SCREENSHOTS=1``."""
    return bool(config.getoption("--screenshots")) or os.environ.get("INNOGRAPH_SCREENSHOTS") == "1"


@pytest.fixture
def screenshot_dir(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Where screenshots go: ``docs/screenshots/`` when asked for, else the test's own temporary folder."""
    folder = REPO / "docs" / "screenshots" if screenshots_wanted(request.config) else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


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


@pytest.fixture(scope="session")
def live_api(neo4j_settings: Settings) -> Iterator[LiveServer]:
    """The real FastAPI app over HTTP on the session's Neo4j."""
    with LiveServer(api_settings(neo4j_settings)) as server:
        yield server


@pytest.fixture
def api_ecosystem(store: Store) -> Store:
    """The hand-made graph of the HTTP tests (``tests.helpers.api_ecosystem_steps``) on the emptied store."""
    store.apply(api_ecosystem_steps())
    return store
