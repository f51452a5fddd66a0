"""Cross-specialisation events (issue #13): the planner on a hand-made ecosystem, and the real slice over HTTP.

Hand-made: photonics organisations P1-P4 and B, medical-technology organisations M1-M4, a university U
(no field) in one project with B and in one with all of M1-M4, and one cross tie P4 -- M4. B is the
best bridge (two hops from every medical organisation via U).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import httpx
import networkx as nx
import pytest

from innograph.errors import InvalidRequestError
from innograph.graph.store import Store
from innograph.loaders.cordis import load_cordis
from innograph.queries.event_commands import invitation_rows, meeting_rows, read_brief, read_csvs, write_csvs
from innograph.queries.events import EventBrief, EventPlan, EventSide, plan_event
from innograph.queries.tie_graph import TieGraph, build_tie_graph
from tests.helpers import KEY, LiveServer

PHOTONICS, MEDICAL = "Optics & Photonics", "Medical Technology"
FIELD_MEMBERS = {PHOTONICS: ("P1", "P2", "P3", "P4", "B"), MEDICAL: ("M1", "M2", "M3", "M4")}
PROJECTS = {
    "PX": ("P1", "P2", "B"),
    "PY": ("P3", "P4"),
    "BU": ("B", "U"),
    "UM": ("U", "M1", "M2", "M3", "M4"),
    "PM": ("P4", "M4"),
}


def ecosystem() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for org in ("P1", "P2", "P3", "P4", "B", "M1", "M2", "M3", "M4", "U"):
        kind = "University" if org == "U" else "Company"
        graph.add_node(
            org, labels=["Organisation", kind], kind=kind, name=f"Org {org}", home=org != "U", region="DEG03"
        )
    for field, members in FIELD_MEMBERS.items():
        graph.add_node(field, labels=["SpecialisationField"], name=field)
        for org in members:
            graph.add_edge(org, field, key="ACTIVE_IN", type="ACTIVE_IN")
    for project, members in PROJECTS.items():
        graph.add_node(project, labels=["Project"], acronym=project, start_year=2020, end_year=2022)
        for org in members:
            graph.add_edge(org, project, key="PARTICIPATES_IN", type="PARTICIPATES_IN")
    graph.add_node("K", labels=["Cluster"], name="Photonics Thuringia")
    for org in ("P1", "P2"):
        graph.add_edge(org, "K", key="MEMBER_OF", type="MEMBER_OF", since=2015)
    return graph


def brief(**changes) -> EventBrief:
    sides = [EventSide(label="Photonics", fields=[PHOTONICS]), EventSide(label="Medtech", fields=[MEDICAL])]
    return EventBrief(
        **{"title": "Light meets health", "sides": sides, "size": 6, "meetings_per_organisation": 2} | changes
    )


@pytest.fixture(scope="module")
def ties() -> TieGraph:
    return build_tie_graph(ecosystem())


def assert_caps_and_untied(ties: TieGraph, plan: EventPlan) -> None:
    invited = {i.organisation.id: i.side for i in plan.invitees}
    per_org = Counter(n for m in plan.meetings for n in (m.a.id, m.b.id))
    assert max(per_org.values(), default=0) <= plan.brief.meetings_per_organisation
    assert len(invited) == len(plan.invitees) <= plan.brief.size
    for side in plan.brief.sides:
        if side.quota:
            assert sum(1 for i in plan.invitees if i.side == side.label) <= side.quota
    for m in plan.meetings:
        assert not ties.graph.has_edge(m.a.id, m.b.id), (m.a.id, m.b.id)
        assert invited[m.a.id] == m.side_a != m.side_b == invited[m.b.id]
        assert m.reason and m.a.name in m.reason and m.b.name in m.reason
    assert all(i.reasons and all(i.reasons) for i in plan.invitees)


def test_the_bridge_is_invited_first_with_a_reason_naming_its_broker(ties: TieGraph) -> None:
    plan = plan_event(ties, brief())
    by_side = {s: [i.organisation.id for i in plan.invitees if i.side == s] for s in ("Photonics", "Medtech")}
    assert by_side == {"Photonics": ["B", "P4", "P3"], "Medtech": ["M1", "M2", "M3"]}
    bridge = plan.invitees[0]
    assert "field 'Optics & Photonics' matches 'Optics & Photonics'" in bridge.reasons
    assert "2 hops from 4 of the 4 Medtech candidates, 4 of them via Org U" in bridge.reasons
    assert "2 partners on Photonics, 0 ties to Medtech" in bridge.reasons
    assert any(r.startswith("already tied to 1 Medtech candidates: Org M4") for r in plan.invitees[1].reasons)
    assert len(plan.meetings) == 6  # 3 x 3 invitees, cap 2: the b-matching fills every cap
    assert_caps_and_untied(ties, plan)
    assert any("2 hops apart via Org U" in m.reason for m in plan.meetings)


def test_caps_quotas_and_ties_already_there(ties: TieGraph) -> None:
    sides = [
        EventSide(label="Photonics", fields=[PHOTONICS], quota=4),
        EventSide(label="Medtech", fields=[MEDICAL], quota=4),
    ]
    plan = plan_event(ties, brief(sides=sides, size=8, meetings_per_organisation=1))
    assert len(plan.invitees) == 8 and len(plan.meetings) == 4
    assert ("P4", "M4") not in {(m.a.id, m.b.id) for m in plan.meetings} | {(m.b.id, m.a.id) for m in plan.meetings}
    assert_caps_and_untied(ties, plan)
    uneven = [EventSide(label="Photonics", fields=[PHOTONICS]), EventSide(label="Medtech", fields=[MEDICAL], quota=6)]
    plan = plan_event(ties, brief(sides=uneven, size=9))
    assert Counter(i.side for i in plan.invitees) == {"Photonics": 5, "Medtech": 4}
    assert "only 4 organisations match Medtech; the quota of 6 is not reached" in plan.notes
    assert_caps_and_untied(ties, plan)


def test_clusters_exclusions_and_other_home_filters(ties: TieGraph) -> None:
    sides = [EventSide(label="Cluster", clusters=["Photonics Thuringia"]), EventSide(label="Medtech", fields=[MEDICAL])]
    plan = plan_event(ties, brief(sides=sides, size=4, exclude=["M1"]))
    assert {i.organisation.id for i in plan.invitees if i.side == "Cluster"} == {"P1", "P2"}
    assert "member of the cluster Photonics Thuringia" in plan.invitees[0].reasons
    assert "M1" not in {i.organisation.id for i in plan.invitees}
    assert_caps_and_untied(ties, plan)


@pytest.mark.parametrize(
    ("sides", "changes", "message"),
    [
        ([EventSide(label="X", fields=["xyz"])], {}, "sides.1.fields.0: unknown field 'xyz'"),
        ([EventSide(label="X", clusters=["nope"])], {}, "sides.1.clusters.0: unknown cluster 'nope'"),
        ([EventSide(label="X")], {}, "sides.1: give fields, clusters or keywords"),
        ([EventSide(label="X", fields=[MEDICAL])], {"region": "DEG0F"}, "sides.0: no organisation matches"),
        ([EventSide(label="X", keywords=["quantum"])], {}, "sides.1: no organisation matches side 'X'"),
        ([EventSide(label="X", fields=[MEDICAL])], {"size": 20}, "size: 20 invitees asked for, only 9"),
    ],
)
def test_bad_briefs_name_the_parameter(ties: TieGraph, sides, changes, message: str) -> None:
    wanted = brief(sides=[EventSide(label="Photonics", fields=[PHOTONICS]), *sides], **changes)
    with pytest.raises(InvalidRequestError, match="^" + message.replace(".", r"\.").replace("(", r"\(")):
        plan_event(ties, wanted)


def test_csv_round_trip(ties: TieGraph, tmp_path: Path) -> None:
    plan = plan_event(ties, brief())
    write_csvs(plan, tmp_path / "out")
    invitations, meetings = read_csvs(tmp_path / "out")
    assert invitations == invitation_rows(plan) and meetings == meeting_rows(plan)
    assert [(r["side"], r["id"]) for r in invitations] == [(i.side, i.organisation.id) for i in plan.invitees]
    assert [(r["id_a"], r["id_b"]) for r in meetings] == [(m.a.id, m.b.id) for m in plan.meetings]
    assert invitations[0]["reasons"].split(" | ") == plan.invitees[0].reasons


def test_the_cli_reads_a_brief_file_and_names_what_is_wrong(tmp_path: Path) -> None:
    path = tmp_path / "brief.json"
    path.write_text(brief().model_dump_json(), encoding="utf-8")
    assert read_brief(path) == brief()
    path.write_text('{"title": "t", "sides": [{"label": "A", "keywords": ["x"]}], "meetings_per_organisation": 0}')
    with pytest.raises(InvalidRequestError, match="sides: List should have at least 2 items") as error:
        read_brief(path)
    assert "meetings_per_organisation: Input should be greater than or equal to 1" in str(error.value)
    path.write_text("[1]")
    with pytest.raises(InvalidRequestError, match="must be a JSON object"):
        read_brief(path)


# --- the real H2020 Thuringia slice -------------------------------------------------------

REAL_SIDES = [
    {"label": "Photonics", "keywords": ["photonics"]},
    {"label": "Medical", "keywords": ["medical technology"]},
]


@pytest.fixture(scope="module")
def h2020_api(session_store: Store, live_api: LiveServer, shared_data: Path) -> LiveServer:
    session_store.clear()
    load_cordis(shared_data / "cordis_h2020_thuringia", session_store)
    return live_api


def post(api: LiveServer, body: dict) -> httpx.Response:
    return httpx.post(f"{api.url}/events/plan", json=body, headers={"X-API-Key": KEY["viewer"]}, timeout=60)


def test_a_photonics_and_medical_event_on_the_real_slice(h2020_api: LiveServer, tmp_path: Path) -> None:
    body = {"title": "Photonics meets medicine", "sides": REAL_SIDES, "size": 40, "home_only": False}
    assert post(h2020_api, body).status_code == 200  # the first request after a load builds the tie graph (~7 s)
    response = post(h2020_api, body)
    assert response.status_code == 200, response.text
    plan = EventPlan.model_validate(response.json())
    print(f"\nplanned: {Counter(i.side for i in plan.invitees)}, {len(plan.meetings)} meetings")
    for line in [*plan.invitees[0].reasons, plan.meetings[0].reason, *plan.notes]:
        print(" -", line)
    # How fast: bench/events.py (no wall-clock limit in a test); the CSVs of the real plan round-trip.
    write_csvs(plan, tmp_path / "real")
    assert read_csvs(tmp_path / "real") == (invitation_rows(plan), meeting_rows(plan))
    assert Counter(i.side for i in plan.invitees) == {"Photonics": 20, "Medical": 20}
    assert plan.graph_version is not None and not plan.notes
    assert len(plan.meetings) >= 20
    per_org = Counter(n for m in plan.meetings for n in (m.a.id, m.b.id))
    assert max(per_org.values()) <= 3
    evidence = ("project", "field", "technology", "description", "name", "cluster", "hops", "ties")
    for invitee in plan.invitees:
        assert invitee.reasons and any(word in r for r in invitee.reasons for word in evidence), invitee
    for reason in (r for i in plan.invitees for r in i.reasons if r.startswith("2 hops from")):
        near, through = re.match(r"2 hops from (\d+) of the \d+ .* candidates, (\d+) of them via .+", reason).groups()
        assert 1 <= int(through) <= int(near), reason
    # Only 23 organisations of the slice are home: 5 of them on photonics, 7 on medical technology.
    home = EventPlan.model_validate(post(h2020_api, body | {"home_only": True, "size": 8}).json())
    assert Counter(i.side for i in home.invitees) == {"Photonics": 4, "Medical": 4}
    assert all(i.organisation.home for i in home.invitees)
    assert post(h2020_api, body | {"home_only": True}).json()["error"]["message"].startswith("size: 40 invitees")
    for meeting in plan.meetings:
        assert "brings" in meeting.reason and ("hops" in meeting.reason or "not connected" in meeting.reason), meeting
        assert meeting.side_a != meeting.side_b


@pytest.mark.parametrize(
    ("change", "parameter"),
    [
        ({"sides": [REAL_SIDES[0], {"label": "X", "fields": ["xyz"]}]}, "sides.1.fields.0: unknown field 'xyz'"),
        ({"sides": [REAL_SIDES[0], {"label": "X"}]}, "sides.1: give fields, clusters or keywords"),
        ({"sides": [REAL_SIDES[0], {"label": "X", "keywords": ["zzzqqq"]}]}, "sides.1: no organisation matches"),
        ({"meetings_per_organisation": 0}, "meetings_per_organisation"),
        ({"size": 500}, "size: 500 invitees asked for"),
    ],
)
def test_bad_briefs_are_422_naming_the_parameter(h2020_api: LiveServer, change: dict, parameter: str) -> None:
    response = post(h2020_api, {"title": "t", "sides": REAL_SIDES, "home_only": False} | change)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_request" and parameter in error["message"], error
