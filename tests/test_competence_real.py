"""Partners and organisations found by what they work on: the real H2020 Thuringia slice in Neo4j, over HTTP.

FSU Jena (PIC 999868726) looks for photonics partners in Thuringia. CORDIS organisations have no
keywords, so before the competence search this answered nothing; their projects' titles do say
it (Leibniz-IPHT: NCLas "NanoCrystals in Fibre Lasers", PHAST "Photonics for Healthcare" …).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from innograph.graph.store import Store
from innograph.loaders.cordis import load_cordis
from tests.helpers import LiveServer, api_get

FSU_JENA, LEIBNIZ_IPHT, ADVA = "pic:999868726", "pic:999619048", "pic:999811787"


@pytest.fixture(scope="module")
def h2020_api(session_store: Store, live_api: LiveServer, shared_data: Path) -> LiveServer:
    session_store.clear()
    load_cordis(shared_data / "cordis_h2020_thuringia", session_store)
    return live_api


def candidates(server: LiveServer, *keywords: str, region: str | None = "DEG") -> list[dict]:
    params = {"for": FSU_JENA, "keywords": list(keywords), "limit": 50}
    if region:
        params["region"] = region
    response = api_get(server, "/partners", **params)
    assert response.status_code == 200, response.text
    return response.json()["candidates"]


def test_photonics_partners_in_thuringia_come_with_their_projects(h2020_api: LiveServer) -> None:
    found = candidates(h2020_api, "photonics")
    top = [c["organisation"]["id"] for c in found[:5]]
    assert LEIBNIZ_IPHT in top
    ipht = next(c for c in found if c["organisation"]["id"] == LEIBNIZ_IPHT)
    acronyms = {p["acronym"] for p in ipht["projects"]}
    assert {"NCLas", "PHAST"} <= acronyms and all(p["keywords"] == ["photonics"] for p in ipht["projects"])
    assert "projects on photonics: " in ipht["explanation"] and ipht["path"] is not None
    assert all(c["region"].startswith("DEG") for c in found) and len(found) >= 5


def test_german_and_english_words_for_one_need_give_the_same_partners(h2020_api: LiveServer) -> None:
    def ids(*keywords: str) -> list[str]:
        return [c["organisation"]["id"] for c in candidates(h2020_api, *keywords)]

    assert ids("Photonik") == ids("photonics") != []
    assert ids("Laser") == ids("laser") != [] and set(ids("laser")) <= set(ids("photonics"))
    assert ids("Halbleiter") == ids("semiconductor") != []


def test_organisation_search_by_topic_says_why(h2020_api: LiveServer) -> None:
    page = api_get(h2020_api, "/organisations", q="photonics", match="topic", page_size=200).json()
    by_id = {item["id"]: item for item in page["items"]}
    assert page["total"] == len(page["items"]) > 20 and {LEIBNIZ_IPHT, ADVA} <= set(by_id)
    ipht = by_id[LEIBNIZ_IPHT]
    assert ipht["matched"] == "topic" and "projects on photonics: " in ipht["why"]
    assert {"NCLas", "PHAST"} <= {p["acronym"] for p in ipht["projects"]}
    assert all(item["matched"] == "topic" and item["why"] for item in page["items"])


def test_organisation_search_auto_puts_names_first_then_topics(h2020_api: LiveServer) -> None:
    names = api_get(h2020_api, "/organisations", q="photonics", match="name", page_size=200).json()
    auto = api_get(h2020_api, "/organisations", q="photonics", page_size=200).json()
    name_ids = [item["id"] for item in names["items"]]
    assert all(item["matched"] == "name" and item["why"] is None for item in names["items"])
    assert [item["id"] for item in auto["items"][: len(name_ids)]] == name_ids
    assert LEIBNIZ_IPHT in {item["id"] for item in auto["items"][len(name_ids) :]}
    assert auto["total"] == len(auto["items"]) and len(set(item["id"] for item in auto["items"])) == auto["total"]
    jena = api_get(h2020_api, "/organisations", q="jena").json()  # a name: many name hits, no topic hits
    assert jena["total"] >= 5 and all(item["matched"] == "name" for item in jena["items"])
