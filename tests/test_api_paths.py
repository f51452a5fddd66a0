"""Paths, partners, metrics, gaps, groups and uploads through real HTTP on the real Neo4j.

The ``api_ecosystem`` fixture (``tests.helpers.api_ecosystem_steps``); its answers are worked out by hand:

* a-b and b-d share two-partner projects in 2022/2023 (strongest ties);
* a-c and c-d share only ten-partner projects from 2015 (weak ties);
* a and d are both members of the optics cluster, which m manages (a hop through m).

So the best path from a to d is a→b→d; a→m→d and a→c→d are the alternatives.
"""

from __future__ import annotations

import httpx
import pytest

from innograph.graph.store import Store
from innograph.loaders.resolve import ReviewPair
from innograph.loaders.review import queue_step
from innograph.queries.event_outcome import event_id
from innograph.queries.events import EventBrief
from tests.helpers import KEY, LiveServer, upload_profiles
from tests.helpers import api_get as get


def route(path: dict) -> list[str]:
    return [path["hops"][0]["from_id"]] + [hop["to_id"] for hop in path["hops"]]


def test_best_path_alternatives_and_evidence(live_api: LiveServer, api_ecosystem: Store) -> None:
    answer = get(live_api, "/paths", **{"from": "a", "to": "d", "k": 3}).json()
    routes = [route(p) for p in answer["paths"]]
    assert routes[0] == ["a", "b", "d"]
    assert sorted(routes[1:]) == [["a", "c", "d"], ["a", "m", "d"]]
    strengths = [p["strength"] for p in answer["paths"]]
    assert strengths == sorted(strengths, reverse=True) and strengths[0] > strengths[1]
    best = answer["paths"][0]
    assert best["strength"] == pytest.approx(best["hops"][0]["strength"] * best["hops"][1]["strength"])
    assert "P-AB" in best["hops"][0]["explanation"] and "P-BD" in best["hops"][1]["explanation"]
    for path in answer["paths"]:
        for hop in path["hops"]:
            assert hop["evidence"] and hop["explanation"]
    via_cluster = next(p for p in answer["paths"] if route(p) == ["a", "m", "d"])
    assert all("OptoNet Thüringen" in hop["explanation"] for hop in via_cluster["hops"])


def test_avoid_max_hops_kinds_and_since(live_api: LiveServer, api_ecosystem: Store) -> None:
    avoided = get(live_api, "/paths", **{"from": "a", "to": "d", "k": 5, "avoid": ["b", "m"]}).json()
    routes = [route(p) for p in avoided["paths"]]
    assert routes[0] == ["a", "c", "d"]  # the rest detour through the consortium fillers
    assert len(routes) == 5 and not any({"b", "m"} & set(r) for r in routes)
    universities = get(live_api, "/paths", **{"from": "a", "to": "d", "k": 5, "via": ["University"]}).json()
    assert [route(p) for p in universities["paths"]] == [["a", "b", "d"]]
    recent = get(live_api, "/paths", **{"from": "a", "to": "d", "k": 5, "since": 2020}).json()
    assert ["a", "c", "d"] not in [route(p) for p in recent["paths"]]
    one_hop = get(live_api, "/paths", **{"from": "a", "to": "d", "max_hops": 1}).json()
    assert one_hop["paths"] == [] and one_hop["no_path_reason"]
    assert {alt["organisation"]["id"] for alt in one_hop["alternatives"]} & {"b", "m", "c"}


@pytest.mark.parametrize(("param", "value"), [("k", 11), ("max_hops", 7), ("k", 0)])
def test_limits_give_422_naming_the_parameter(
    live_api: LiveServer, api_ecosystem: Store, param: str, value: int
) -> None:
    response = get(live_api, "/paths", **{"from": "a", "to": "d", param: value})
    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith(f"{param}:")


def test_unknown_organisation_is_404(live_api: LiveServer, api_ecosystem: Store) -> None:
    response = get(live_api, "/paths", **{"from": "a", "to": "nobody"})
    assert response.status_code == 404 and "nobody" in response.json()["error"]["message"]


def test_partner_finder_ranks_by_fit_and_reach(live_api: LiveServer, api_ecosystem: Store) -> None:
    answer = get(live_api, "/partners", **{"for": "a", "keywords": ["photonik"]}).json()
    assert answer["candidates"][0]["organisation"]["id"] == "d"  # "Delta Institut für Photonik"
    assert answer["candidates"][0]["path"] is not None


def test_metrics_gaps_groups(live_api: LiveServer, api_ecosystem: Store) -> None:
    table = get(live_api, "/metrics", sort="degree", page_size=5).json()
    assert table["total"] == 21 and table["items"][0]["id"] == "c"  # c ties to a, d and 16 fillers
    gaps = get(live_api, "/gaps").json()
    assert gaps["fragility"] == []  # a-b-d bridges the two consortia: nobody is a cut point
    assert [(p["id"], p["degree"]) for p in gaps["peripheral"]] == [("m", 0)]  # the manager has no projects
    clusters = get(live_api, "/clusters").json()
    assert clusters == [
        {
            "id": "cluster:optics",
            "name": "OptoNet Thüringen",
            "members": 2,
            "managers": [
                {
                    "id": "m",
                    "name": "OptoNet Clustermanagement e.V.",
                    "kind": "ClusterOrganisation",
                    "role": "management",
                }
            ],
        }
    ]
    detail = get(live_api, "/clusters/cluster:optics").json()
    assert [m["id"] for m in detail["member_list"]] == ["a", "d"]
    csv = get(live_api, "/metrics/export", role="analyst", format="csv")
    assert csv.status_code == 200 and csv.text.splitlines()[0].startswith("id,")
    assert len(csv.text.strip().splitlines()) == 22
    run = httpx.post(live_api.url + "/analysis", headers={"X-API-Key": KEY["admin"]}, timeout=60).json()
    assert run["run"]["nodes"] == 21
    assert api_ecosystem.organisation("c")["degree"] == 18


def test_upload_runs_the_loader_and_returns_its_report(live_api: LiveServer, api_ecosystem: Store) -> None:
    report = upload_profiles(live_api, ["Neue Photonik GmbH;Unternehmen;Jena;"])
    assert report["written"] and report["rows_read"] == {"profiles.csv": 1} and report["rejected_rows"] == 0
    assert api_ecosystem.search_organisations("Neue Photonik")[0] == 1
    bad = httpx.post(
        live_api.url + "/loads/profiles",
        headers={"X-API-Key": KEY["admin"]},
        files={"file": ("evil.exe", b"MZ", "application/octet-stream")},
        timeout=60,
    )
    assert bad.status_code == 422 and "evil.exe" in bad.json()["error"]["message"]


# Events: a plan the hand-made graph can serve (the optics cluster against the laser company), and a stored one.
PLAN_BRIEF = {
    "title": "Matrix",
    "sides": [{"label": "Cluster", "clusters": ["cluster:optics"]}, {"label": "Laser", "keywords": ["laser"]}],
    "size": 2,
    "home_only": False,
}
SAVED_BRIEF = {**PLAN_BRIEF, "title": "Matrix saved", "date": "2023-05-01"}
SAVED_PLAN = {"brief": SAVED_BRIEF, "graph_version": None, "invitees": [], "meetings": []}
SAVED_ID = event_id(EventBrief.model_validate(SAVED_BRIEF))

REVIEW_PAIR = ReviewPair(
    "test.csv:2", "Alpha Optik GmbH", "DE", "org:alpha-optik-gmbh", "a", "Alpha Optics GmbH", 90.0, "-"
)

# Every endpoint, the least role it needs, and a request that is valid for it ("json": the body).
ENDPOINTS: list[tuple[str, str, str | None, dict]] = [
    ("GET", "/health", None, {}),
    ("GET", "/organisations", "viewer", {"q": "alpha"}),
    ("GET", "/organisations/a", "viewer", {}),
    ("GET", "/paths", "viewer", {"from": "a", "to": "d"}),
    ("GET", "/ties", "viewer", {"from": "a", "to": "b"}),
    ("GET", "/partners", "viewer", {"for": "a", "keywords": ["photonik"]}),
    ("GET", "/metrics", "viewer", {}),
    ("GET", "/gaps", "viewer", {}),
    ("GET", "/clusters", "viewer", {}),
    ("GET", "/clusters/cluster:optics", "viewer", {}),
    ("GET", "/fields", "viewer", {}),
    ("GET", "/metrics/export", "analyst", {"format": "json"}),
    ("POST", "/analysis", "admin", {}),
    ("POST", "/events/plan", "viewer", {"json": PLAN_BRIEF}),
    ("POST", "/events", "admin", {"json": SAVED_PLAN}),
    ("GET", "/events", "viewer", {}),
    ("GET", f"/events/{SAVED_ID}", "viewer", {}),
    ("POST", f"/events/{SAVED_ID}/attendance", "admin", {"json": {"attended": [], "meetings_held": []}}),
    ("GET", f"/events/{SAVED_ID}/outcome", "viewer", {}),
    ("GET", "/timeline", "viewer", {}),
    ("GET", "/changes", "viewer", {"from": "2019", "to": "2022"}),
    ("GET", "/timeline/export", "analyst", {"format": "csv"}),
    ("GET", "/review", "admin", {}),
    ("POST", f"/review/{REVIEW_PAIR.id}", "admin", {"json": {"decision": "same"}}),
]
RANK = {None: 0, "viewer": 1, "analyst": 2, "admin": 3}


def test_auth_matrix_every_role_on_every_endpoint(live_api: LiveServer, api_ecosystem: Store) -> None:
    documented = {
        (m.upper(), p) for p, ops in httpx.get(live_api.url + "/openapi.json").json()["paths"].items() for m in ops
    }
    matrix_paths = {(m, p) for m, p, _, _ in ENDPOINTS} | {("POST", "/loads/{source}")}
    concrete = {("GET", "/organisations/{org_id}"), ("GET", "/clusters/{cluster_id}"), ("GET", "/fields/{field_id}")}
    concrete |= {("GET", "/events/{event_id}"), ("POST", "/events/{event_id}/attendance")}
    concrete |= {("GET", "/events/{event_id}/outcome"), ("POST", "/review/{review_id}")}
    assert documented - concrete <= matrix_paths | {("GET", "/clusters/cluster:optics")}
    saved = httpx.post(live_api.url + "/events", json=SAVED_PLAN, headers={"X-API-Key": KEY["admin"]}, timeout=60)
    api_ecosystem.apply([queue_step([REVIEW_PAIR], "test")])
    assert saved.status_code == 200 and saved.json()["id"] == SAVED_ID, saved.text
    for method, path, needed, request in ENDPOINTS:
        params = {key: value for key, value in request.items() if key != "json"}
        for role in (None, "viewer", "analyst", "admin"):
            headers = {"X-API-Key": KEY[role]} if role else {}
            response = httpx.request(
                method, live_api.url + path, params=params, json=request.get("json"), headers=headers, timeout=60
            )
            if RANK[role] >= RANK[needed]:
                assert response.status_code == 200, (method, path, role, response.text)
            else:
                assert response.status_code == (401 if role is None else 403), (method, path, role)
    for role, status in ((None, 401), ("viewer", 403), ("analyst", 403)):
        headers = {"X-API-Key": KEY[role]} if role else {}
        response = httpx.post(
            live_api.url + "/loads/profiles",
            headers=headers,
            timeout=30,
            files={"file": ("p.csv", b"Name;Art\nX GmbH;Unternehmen\n", "text/csv")},
        )
        assert response.status_code == status
