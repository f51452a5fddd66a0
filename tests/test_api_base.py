"""The service's frame over real HTTP on the real Neo4j: error shape, auth, limits, health, recovery."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from innograph.graph import local_server
from innograph.graph import records as r
from innograph.graph import steps as st
from innograph.graph.store import Store
from innograph.settings import Settings
from tests.helpers import KEY, LiveServer, api_get, api_settings, free_port

SRC = ["test"]


def get(server: LiveServer, path: str, role: str | None = "viewer", **params: object) -> httpx.Response:
    return api_get(server, path, role, timeout=10, **params)


def assert_error_shape(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "details"}
    assert body["error"]["status"] == status and body["error"]["message"]
    return body["error"]


@pytest.fixture
def orgs(store: Store) -> Store:
    store.apply(
        [
            st.organisations(
                [
                    r.Organisation(id="j", kind="University", name="Friedrich-Schiller-Universität Jena", sources=SRC),
                    r.Organisation(id="o", kind="Company", name="Optics Jena GmbH", city="Jena", sources=SRC),
                    r.Organisation(id="w", kind="Company", name="Weimar Werkzeug AG", sources=SRC),
                ]
            )
        ]
    )
    return store


def test_health_is_public_and_reports_the_version(live_api: LiveServer, orgs: Store) -> None:
    response = get(live_api, "/health", role=None)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "neo4j": "reachable", "graph_version": orgs.version()}


def test_error_shape_is_pinned(live_api: LiveServer, orgs: Store) -> None:
    unauthorised = assert_error_shape(get(live_api, "/organisations", role=None), 401)
    assert unauthorised["code"] == "unauthorized"
    missing = assert_error_shape(get(live_api, "/organisations/nope"), 404)
    assert missing == {"status": 404, "code": "not_found", "message": "no organisation with id 'nope'", "details": []}
    invalid = assert_error_shape(get(live_api, "/organisations", page_size=201), 422)
    assert invalid["code"] == "invalid_request"
    assert invalid["message"].startswith("page_size:")
    assert invalid["details"][0]["parameter"] == "page_size"
    assert_error_shape(httpx.get(live_api.url + "/no/such/route", timeout=5), 404)


def test_keys_and_roles(live_api: LiveServer, orgs: Store) -> None:
    assert get(live_api, "/organisations", role=None).status_code == 401
    wrong = httpx.get(live_api.url + "/organisations", headers={"X-API-Key": "viewer-key-012345678X"}, timeout=5)
    assert_error_shape(wrong, 401)
    bearer = httpx.get(live_api.url + "/organisations", headers={"Authorization": f"Bearer {KEY['viewer']}"}, timeout=5)
    assert bearer.status_code == 200
    for role in ("viewer", "analyst", "admin"):
        assert get(live_api, "/organisations", role=role).status_code == 200


def test_search_pagination_and_detail(live_api: LiveServer, orgs: Store) -> None:
    page = get(live_api, "/organisations", q="jena").json()
    assert page["total"] == 2 and {item["id"] for item in page["items"]} == {"j", "o"}
    listing = get(live_api, "/organisations", page=2, page_size=2).json()
    assert listing["total"] == 3 and [item["id"] for item in listing["items"]] == ["w"]
    detail = get(live_api, "/organisations/o").json()
    assert detail["name"] == "Optics Jena GmbH" and detail["kind"] == "Company"
    assert detail["profile"]["city"] == "Jena" and detail["partners"] == []


def test_body_size_is_capped(live_api: LiveServer) -> None:
    too_big = b"x" * (live_api.server.config.app.state.settings.api_max_body_bytes + 1)
    response = httpx.post(
        live_api.url + "/organisations", content=too_big, headers={"X-API-Key": KEY["viewer"]}, timeout=30
    )
    assert_error_shape(response, 413)


@pytest.mark.slow
def test_neo4j_down_gives_503_fast_and_the_service_recovers(tmp_path: Path, neo4j_settings: Settings) -> None:
    """A private Neo4j is stopped under the running service and started again."""
    if not neo4j_settings.uses_local_server:
        pytest.skip("needs the local server to stop and start")
    own = Settings(data_dir=tmp_path / "data", neo4j_port=free_port(), neo4j_heap_mb=512, neo4j_page_cache_mb=32)
    own.data_dir.mkdir()
    (own.data_dir / "launcher").symlink_to(neo4j_settings.data_dir.resolve() / "launcher")
    local_server.start(own)
    try:
        with Store.connect(own) as store:
            store.apply([st.organisations([r.Organisation(id="a", kind="Company", name="A", sources=SRC)])])
        with LiveServer(api_settings(own)) as server:
            assert get(server, "/organisations/a").status_code == 200
            local_server.stop(own)
            started = time.monotonic()
            down = get(server, "/organisations/a")
            elapsed = time.monotonic() - started
            error = assert_error_shape(down, 503)
            assert "Neo4j" in error["message"] and elapsed < 2.0, elapsed
            assert_error_shape(get(server, "/health", role=None), 503)
            local_server.start(own)
            assert get(server, "/health", role=None).status_code == 200
            assert get(server, "/organisations/a").json()["name"] == "A"
    finally:
        local_server.stop(own)
