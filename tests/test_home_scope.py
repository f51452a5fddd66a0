"""The home ecosystem first (issue #15) on the real H2020 Thuringia slice, over HTTP on the real Neo4j.

Home = ``DEG`` (the default ``INNOGRAPH_HOME_REGIONS``): 23 of the slice's organisations; the rest
(1,324 in the graph) are European partners, listed only with ``scope=all``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from innograph.graph.store import Store
from innograph.loaders.cordis import load_cordis
from innograph.loaders.regions import NAMES
from tests.helpers import LiveServer, api_get

HOME_ORGANISATIONS, ELSEWHERE = 23, 1324
ORGANISATIONS = HOME_ORGANISATIONS + ELSEWHERE


@pytest.fixture(scope="module")
def h2020(session_store: Store, shared_data: Path) -> Iterator[Store]:
    """The real slice, loaded once for this module (the store is emptied again by the next test that asks)."""
    session_store.clear()
    load_cordis(shared_data / "cordis_h2020_thuringia", session_store)
    yield session_store
    session_store.clear()


def get(server: LiveServer, path: str, role: str = "viewer", **params: object) -> dict:
    response = api_get(server, path, role, timeout=120, **params)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module")
def home_ids(live_api: LiveServer, h2020: Store) -> set[str]:
    page = get(live_api, "/metrics", scope="home", page_size=200)
    return {item["id"] for item in page["items"]}


def test_metrics_scope_home_lists_only_home_organisations_and_all_everyone(
    live_api: LiveServer, h2020: Store, home_ids: set[str]
) -> None:
    home = get(live_api, "/metrics", page_size=200)  # home is the default
    assert home["total"] == HOME_ORGANISATIONS == len(home_ids) == h2020.count_home()
    assert all(item["home"] is True for item in home["items"])
    assert home["scope"]["applied"] == "home" and home["scope"]["partners_elsewhere"] == ELSEWHERE
    everyone = get(live_api, "/metrics", scope="all", page_size=200)
    assert everyone["total"] == ORGANISATIONS and any(item["home"] is False for item in everyone["items"])
    # ranks are within the scope: the first home organisation by PageRank is the first of the home list
    ranked_home = [item["id"] for item in get(live_api, "/metrics", scope="all", page_size=200)["items"]]
    assert home["items"][0]["id"] == next(i for i in ranked_home if i in home_ids)


def test_export_with_scope(live_api: LiveServer, h2020: Store, home_ids: set[str]) -> None:
    csv_home = api_get(live_api, "/metrics/export", "analyst", timeout=120, format="csv")
    assert csv_home.status_code == 200 and len(csv_home.text.strip().splitlines()) == HOME_ORGANISATIONS + 1
    payload = get(live_api, "/metrics/export", "analyst", format="json", scope="home")
    assert {row["id"] for row in payload["organisations"]} == home_ids
    assert payload["meta"]["scope"]["requested"] == "home" and payload["meta"]["scope"]["listed"] == 23
    everyone = get(live_api, "/metrics/export", "analyst", format="json", scope="all")
    assert len(everyone["organisations"]) == ORGANISATIONS and everyone["meta"]["scope"]["applied"] == "all"


def test_search_scope(live_api: LiveServer, h2020: Store, home_ids: set[str]) -> None:
    home = get(live_api, "/organisations", q="jena", scope="home", page_size=200)
    assert home["items"] and {item["id"] for item in home["items"]} <= home_ids
    assert all(item["home"] for item in home["items"])
    everyone = get(live_api, "/organisations", q="jena", page_size=200)  # the JSON search defaults to all
    assert everyone["total"] > home["total"] and any(item["home"] is False for item in everyone["items"])
    assert get(live_api, "/organisations", scope="home", page_size=1)["total"] == HOME_ORGANISATIONS
    assert get(live_api, "/organisations", page_size=1)["total"] == ORGANISATIONS
    page = api_get(live_api, "/", timeout=120, q="jena")  # the search page defaults to home
    assert page.status_code == 200 and f"{home['total']} organisations" in page.text


def test_gaps_are_about_the_home_ecosystem(live_api: LiveServer, h2020: Store, home_ids: set[str]) -> None:
    gaps = get(live_api, "/gaps")
    assert gaps["home"]["ecosystem_name"] == "Thuringia" and gaps["home"]["home_organisations"] == 23
    # regions: home districts (5-character NUTS codes under DEG, in the region table) of >= 3 organisations
    assert gaps["regions"], gaps["empty"]
    for row in gaps["regions"]:
        assert row["region"].startswith("DEG") and len(row["region"]) == 5 and row["region"] in NAMES
        assert row["organisations"] >= gaps["min_region_organisations"] == 3
        assert "Thuringia" in row["explanation"]
    # fragility: only home organisations are cut off; an empty table says why
    for row in gaps["fragility"]:
        assert set(row["cut_off_ids"]) <= home_ids and "Thuringia" in row["explanation"]
    if not gaps["fragility"]:
        assert "Thuringia" in gaps["empty"]["fragility"]
    # missing links: at least one home side, and each row says whether the other is home
    links = [link for rows in gaps["missing_links"].values() for link in rows]
    assert links
    for link in links:
        assert link["a"] in home_ids and link["home_a"]
        assert link["home_b"] == (link["b"] in home_ids)
        assert ("both in Thuringia" if link["home_b"] else "partner outside Thuringia") in link["explanation"]
    assert all(row["id"] in home_ids and "Thuringia" in row["explanation"] for row in gaps["peripheral"])
    linkage = gaps["home_science_industry"]
    assert linkage[0]["region"] == "" and linkage[0]["name"] == "Thuringia overall"
    assert all("Thuringia" in row["explanation"] for row in linkage)
    # only CORDIS is loaded: no fields, no clusters, and the report says why
    assert gaps["field_pairs"] == [] and "field" in gaps["empty"]["field_pairs"]
    assert gaps["cluster_pairs"] == [] and "cluster" in gaps["empty"]["cluster_pairs"]


def test_pages_name_the_ecosystem_and_count_home_and_elsewhere(live_api: LiveServer, h2020: Store) -> None:
    for path in ("/", "/gaps/view", "/metrics/view", "/overview"):
        response = api_get(live_api, path, timeout=120)
        assert response.status_code == 200, path
        assert "Thuringia's innovation ecosystem" in response.text, path
    overview = api_get(live_api, "/overview", timeout=120).text
    assert "Home: 23 organisations, 1,324 partners elsewhere" in overview
    gaps = api_get(live_api, "/gaps/view", timeout=120).text
    assert "No organisation is assigned to a specialisation field" in gaps
