"""Saved events (issue #13, "afterwards") on the real Neo4j and the real app over HTTP.

The ``api_ecosystem`` (tests.helpers): a-b share P-AB (2023), b-d P-BD (2022), c-d only the ten-partner
P-BIG2 (2015). The hand-made plan of a 2019 event proposes a-d, c-d and c-b. After the event P-NEW (2021)
brings a and d together and P-NEW2 (2022) c and b; c-d's only shared project is from before the event.
"""

from __future__ import annotations

import datetime as dt

import httpx
import networkx as nx

from innograph.graph import records as r
from innograph.graph import steps as st
from innograph.graph.store import Store
from innograph.queries.event_outcome import event_id, event_outcome, event_rows, stored_event
from innograph.queries.events import EventBrief, EventPlan, EventSide, Invitee, Meeting
from innograph.queries.paths import NodeRef
from tests.helpers import API_SOURCE, KEY, LiveServer
from tests.helpers import api_get as get

NAMES = {"a": "Alpha Optics GmbH", "b": "Universität Beta", "c": "Gamma Laser AG", "d": "Delta Institut für Photonik"}
SIDES = {"a": "Optics", "c": "Optics", "b": "Photonics research", "d": "Photonics research"}


def ref(org: str) -> NodeRef:
    return NodeRef(id=org, name=NAMES.get(org, org), kind="Company")


def plan(**brief: object) -> EventPlan:
    sides = [EventSide(label="Optics", keywords=["optics"]), EventSide(label="Photonics research", fields=["ph"])]
    return EventPlan(
        brief=EventBrief(title="Optik trifft Photonik", date=dt.date(2019, 5, 14), sides=sides, **brief),
        graph_version=7,
        invitees=[Invitee(organisation=ref(o), side=SIDES[o], score=1.0, reasons=[f"{o} works on it"]) for o in "acbd"],
        meetings=[
            Meeting(a=ref(x), b=ref(y), side_a=SIDES[x], side_b=SIDES[y], score=0.5, hops=2, reason="not tied yet")
            for x, y in [("a", "d"), ("c", "d"), ("c", "b")]
        ],
    )


def post(server: LiveServer, path: str, body: object, role: str = "admin") -> httpx.Response:
    return httpx.post(server.url + path, json=body, headers={"X-API-Key": KEY[role]}, timeout=60)


def later_projects() -> list[st.Step]:
    """P-NEW (2021: a, d) and P-NEW2 (2022: c, b), loaded after the event."""
    projects = {"p-new": (date_of(2021), "ad"), "p-new2": (date_of(2022), "cb")}
    return [
        st.projects(
            r.Project(id=p, acronym=p.upper(), title=p, start=start, sources=API_SOURCE)
            for p, (start, _) in projects.items()
        ),
        st.participations(
            r.Participation(org_id=o, project_id=p, sources=API_SOURCE)
            for p, (_, orgs) in projects.items()
            for o in orgs
        ),
        st.derive_cooperation(projects),
    ]


def date_of(year: int) -> dt.date:
    return dt.date(year, 3, 1)


def test_save_twice_record_attendance_and_outcome(live_api: LiveServer, api_ecosystem: Store) -> None:
    body = plan().model_dump(mode="json")
    saved = post(live_api, "/events", body)
    assert saved.status_code == 200, saved.text
    eid = saved.json()["id"]
    assert eid == "event:optik-trifft-photonik-2019-05-14" == event_id(plan().brief)
    assert saved.json()["invitees"] == 4 and saved.json()["meetings"] == 3
    counts, first = api_ecosystem.counts(), get(live_api, f"/events/{eid}").json()
    again = post(live_api, "/events", body)
    assert again.json()["id"] == eid and again.json()["graph_version"] > saved.json()["graph_version"]
    assert api_ecosystem.counts() == counts
    assert counts.labels["Event"] == 1 and counts.labels["Meeting"] == 3
    assert counts.relationships["INVITED_TO"] == 4 and counts.relationships["IN_MEETING"] == 6
    assert get(live_api, f"/events/{eid}").json() == first
    assert first["brief"]["title"] == "Optik trifft Photonik" and first["attendance_recorded_at"] is None
    assert [m["a"]["name"] for m in first["meetings"]] == [NAMES["a"], NAMES["c"], NAMES["c"]]

    listed = get(live_api, "/events").json()
    assert [(e["id"], e["invitees"], e["meetings"], e["attended"]) for e in listed] == [(eid, 4, 3, 0)]

    before = get(live_api, f"/events/{eid}/outcome").json()
    assert before["sentence"].startswith("Attendance is not recorded yet; of all proposed: 0 of 3 meetings")

    recorded = post(
        live_api, f"/events/{eid}/attendance", {"attended": ["b"], "meetings_held": [["d", "a"], ["c", "d"]]}
    )
    assert recorded.status_code == 200, recorded.text
    came = {i["organisation"]["id"]: i["attended"] for i in recorded.json()["invitees"]}
    assert came == {"a": True, "b": True, "c": True, "d": True}  # a held meeting's organisations came
    assert [m["took_place"] for m in recorded.json()["meetings"]] == [True, True, False]

    api_ecosystem.apply(later_projects())
    answer = get(live_api, f"/events/{eid}/outcome").json()
    assert answer["meetings_held"] == 2 and answer["held_led_to_project"] == 1
    assert answer["proposed_led_to_project"] == 2 and answer["data_until"] == 2023
    assert answer["sentence"] == (
        "1 of 2 meetings of the 2019 event led to a joint project by 2023: "
        "Alpha Optics GmbH & Delta Institut für Photonik (P-NEW, 2021). "
        "Proposed but not held, yet partners since: Gamma Laser AG & Universität Beta (P-NEW2, 2022)."
    )
    pairs = {(f["a"]["id"], f["b"]["id"]) for f in answer["follow_ups"]}
    assert ("c", "d") not in pairs  # c and d share only P-BIG2, from 2015
    by_side = {s["side"]: (s["invited"], s["attended"]) for s in answer["attendance"]}
    assert by_side == {"Optics": (2, 2), "Photonics research": (2, 2)}


def test_errors_and_roles(live_api: LiveServer, api_ecosystem: Store) -> None:
    body = plan().model_dump(mode="json")
    assert post(live_api, "/events", body, role="viewer").status_code == 403
    assert httpx.post(live_api.url + "/events", json=body).status_code == 401
    unknown = plan()
    unknown.invitees.append(Invitee(organisation=ref("nobody"), side="Optics", score=0, reasons=[]))
    refused = post(live_api, "/events", unknown.model_dump(mode="json"))
    assert refused.status_code == 422 and "nobody" in refused.json()["error"]["message"]
    assert api_ecosystem.counts().labels.get("Event") is None
    eid = post(live_api, "/events", body).json()["id"]
    not_proposed = post(live_api, f"/events/{eid}/attendance", {"meetings_held": [["a", "b"]]})
    assert not_proposed.status_code == 422 and "a and b were not proposed" in not_proposed.json()["error"]["message"]
    not_invited = post(live_api, f"/events/{eid}/attendance", {"attended": ["f1"]})
    assert not_invited.status_code == 422 and "f1" in not_invited.json()["error"]["message"]
    assert post(live_api, f"/events/{eid}/attendance", {"attended": ["a"]}, role="viewer").status_code == 403
    missing = get(live_api, "/events/event:nothing/outcome")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_a_saved_event_changes_no_metric_gap_or_path(live_api: LiveServer, api_ecosystem: Store) -> None:
    def answers() -> list[object]:
        metrics = get(live_api, "/metrics", scope="all", page_size=200).json()
        paths = get(live_api, "/paths", **{"from": "a", "to": "d", "k": 3}).json()
        return [metrics["items"], metrics["total"], get(live_api, "/gaps").json(), paths["paths"]]

    graph_before, before = api_ecosystem.to_networkx(), answers()
    eid = post(live_api, "/events", plan().model_dump(mode="json")).json()["id"]
    post(live_api, f"/events/{eid}/attendance", {"meetings_held": [["a", "d"]]})
    graph_after = api_ecosystem.to_networkx()
    assert set(graph_after.nodes) == set(graph_before.nodes)
    assert sorted(graph_after.edges(keys=True)) == sorted(graph_before.edges(keys=True))
    assert answers() == before


def test_outcome_rule_without_a_database() -> None:
    """Same year only by start year does not count; a later start date does; an undated event names no outcome."""
    event, invitations, meetings = event_rows(plan())
    row = {
        "event": {**event, "saved_at": "2019-01-01", "attendance_recorded_at": None},
        "invitees": [{"id": i["org_id"], "name": NAMES[i["org_id"]], **i} for i in invitations],
        "meetings": meetings,
    }
    saved = stored_event(row)
    graph = nx.MultiDiGraph()
    graph.add_node("same-year", labels=["Project"], start_year=2019, acronym="SAME")
    graph.add_node("later", labels=["Project"], start="2019-09-01", start_year=2019, acronym="LATER")
    for org, project in [("a", "same-year"), ("d", "same-year"), ("c", "later"), ("b", "later")]:
        graph.add_edge(org, project, key="PARTICIPATES_IN")
    outcome = event_outcome(saved, graph)
    assert [(f.a.id, f.b.id) for f in outcome.follow_ups] == [("c", "b")]
    assert outcome.sentence.endswith("Gamma Laser AG & Universität Beta (LATER, 2019).")
    undated = stored_event({**row, "event": {**row["event"], "date": None}})
    assert "has no date" in event_outcome(undated, graph).sentence
