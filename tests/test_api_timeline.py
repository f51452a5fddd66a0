"""The timeline, the change report and the timeline exports over HTTP (real app, real Neo4j).

The HTTP tests' hand-made graph (tests/helpers.py) has projects in 2015 (two big consortia), 2022
(b-d) and 2023 (a-b); the years between have no project, and the timeline says so with zeros.
"""

from __future__ import annotations

import io

import httpx
import networkx as nx

from innograph.graph.store import Store
from tests.helpers import KEY, LiveServer


def get(live_api: LiveServer, path: str, role: str = "viewer", **params: object) -> httpx.Response:
    return httpx.get(live_api.url + path, params=params, headers={"X-API-Key": KEY[role]}, timeout=120)


def test_timeline_every_year_with_empty_years(live_api: LiveServer, api_ecosystem: Store) -> None:
    response = get(live_api, "/timeline")
    assert response.status_code == 200, response.text
    body = response.json()
    periods = {p["period"]: p for p in body["periods"]}
    assert list(periods) == [str(year) for year in range(2015, 2024)]
    assert (periods["2015"]["projects"], periods["2015"]["organisations"]) == (2, 19)
    assert periods["2015"]["ties"] == 45 + 45  # two 10-partner cliques sharing only c: no pair is in both
    assert (periods["2018"]["organisations"], periods["2018"]["ties"], periods["2018"]["components"]) == (0, 0, 0)
    assert (periods["2022"]["organisations"], periods["2022"]["ties"]) == (2, 1)
    assert body["note"] is None
    windows = get(live_api, "/timeline", window=5).json()["periods"]
    assert [p["period"] for p in windows] == ["2015-2019", "2020-2023"]


def test_changes_over_http(live_api: LiveServer, api_ecosystem: Store) -> None:
    response = get(live_api, "/changes", **{"from": "2022", "to": "2023"})
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["counts"]["new_ties"] == 1 and report["counts"]["lost_ties"] == 1
    assert report["new_ties"][0]["sentence"].startswith("Alpha Optics GmbH and Universität Beta are tied in 2023")
    assert [o["organisation"]["id"] for o in report["entering"]] == ["a"]
    assert [o["organisation"]["id"] for o in report["leaving"]] == ["d"]
    empty = get(live_api, "/changes", **{"from": "2018", "to": "2019"})
    assert empty.status_code == 200 and empty.json()["counts"]["staying"] == 0
    bad = get(live_api, "/changes", **{"from": "2023-2015", "to": "2023"})
    assert bad.status_code == 422 and bad.json()["error"]["message"].startswith("from: ")
    assert "before since" in bad.json()["error"]["message"]
    assert get(live_api, "/changes", **{"from": "2022"}).status_code == 422  # 'to' missing


def test_timeline_exports(live_api: LiveServer, api_ecosystem: Store) -> None:
    gexf = get(live_api, "/timeline/export", "analyst", format="gexf", scope="all")
    assert gexf.status_code == 200 and gexf.headers["content-type"].startswith("application/gexf+xml")
    graph = nx.read_gexf(io.BytesIO(gexf.content))
    assert graph.nodes["b"]["spells"] == [("2022-01-01", "2023-12-31")]
    assert graph.nodes["a"]["spells"] == [("2015-01-01", "2015-12-31"), ("2023-01-01", "2023-12-31")]
    assert graph.edges["a", "b"]["spells"] == [("2023-01-01", "2023-12-31")]
    csv = get(live_api, "/timeline/export", "analyst", format="csv", scope="all", period=["2015", "2022-2023"])
    lines = csv.text.splitlines()
    assert lines[0].startswith("period,since,until,id,") and len(lines) == 1 + 19 + 3
    assert get(live_api, "/timeline/export", "viewer", format="csv").status_code == 403
    refused = get(live_api, "/timeline/export", "analyst", format="graphml")
    assert refused.status_code == 422 and "GraphML has no time" in refused.text


def test_metrics_and_gaps_of_one_period(live_api: LiveServer, api_ecosystem: Store) -> None:
    metrics = get(live_api, "/metrics", period="2022-2023", scope="all", sort="degree")
    assert metrics.status_code == 200, metrics.text
    items = {row["id"]: row["degree"] for row in metrics.json()["items"]}
    assert items == {"b": 2, "a": 1, "d": 1}  # only a-b (2023) and b-d (2022) in that window
    whole = get(live_api, "/metrics", scope="all", sort="degree").json()
    assert whole["total"] > 3
    gaps = get(live_api, "/gaps", period="2015")
    assert gaps.status_code == 200 and gaps.json()["home"]["ecosystem_name"]
    bad = get(live_api, "/gaps", period="soon")
    assert bad.status_code == 422 and bad.json()["error"]["message"].startswith("period: ")
